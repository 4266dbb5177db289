"""Session policy and security headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect

from fazhi.core.services import requires_two_factor

SESSION_LOGIN_AT = "fazhi_login_at"
SESSION_SEEN_AT = "fazhi_seen_at"
SEEN_RESOLUTION_S = 60


class SessionPolicyMiddleware:
    """Idle timeout and absolute lifetime (等保 8.1.4.1 b; ASVS 7.3.1/7.3.2), and the
    second factor for roles that require it (等保 8.1.4.1 d)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            login_at = request.session.get(SESSION_LOGIN_AT, now)
            seen_at = request.session.get(SESSION_SEEN_AT, now)
            idle = now - seen_at > settings.FAZHI_IDLE_TIMEOUT_MINUTES * 60
            expired = now - login_at > settings.FAZHI_SESSION_MAX_HOURS * 3600
            # is_verified() is set by django_otp's middleware.
            is_verified = getattr(user, "is_verified", lambda: False)
            unverified = requires_two_factor(user) and not is_verified()
            if idle or expired or unverified:
                logout(request)
                if idle or expired:
                    messages.info(request, "会话已超时，请重新登录")
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?{urlencode({'next': request.path})}")
            if SESSION_LOGIN_AT not in request.session:
                request.session[SESSION_LOGIN_AT] = login_at
            # The last-seen time is refreshed at most once a minute: every refresh writes the
            # session row (a COMMIT, an fsync on SQLite) and a page read should not write, while
            # an idle timeout counted in minutes only needs minutes.
            if SESSION_SEEN_AT not in request.session or now - seen_at >= SEEN_RESOLUTION_S:
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Same-origin only: every script and style is served by the app itself."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        return response


class RejectNullCharactersMiddleware:
    """Refuse text input containing NUL (U+0000) before any view sees it.

    PostgreSQL text columns cannot store NUL, so such a value would fail deep in a query
    as a server error on PostgreSQL while SQLite accepts it: one rule at the door keeps
    both databases behaving alike. Uploaded files are not text and are not checked.
    """

    MESSAGE = "请求参数不能包含空字符（U+0000）"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._offending_field(request)
        if field is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # The API's error contract: {code, message, details} (fazhi/api/v1/errors.py).
            return JsonResponse(
                {
                    "code": "validation_error",
                    "message": f"请求参数不符合要求：{field}：{self.MESSAGE}",
                    "details": {"fields": {field: [self.MESSAGE]}},
                },
                status=422,
                json_dumps_params={"ensure_ascii": False},
            )
        return HttpResponseBadRequest(
            f"{self.MESSAGE}：{field}", content_type="text/plain; charset=utf-8"
        )

    @staticmethod
    def _offending_field(request: HttpRequest) -> str | None:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "")
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if content_type == "application/json":
                # A JSON string may spell NUL as the escape \u0000.
                if b"\x00" in request.body or b"\\u0000" in request.body:
                    return "body"
            elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                for name, values in request.POST.lists():
                    if "\x00" in name or any("\x00" in v for v in values):
                        return name.replace("\x00", "")
        return None
