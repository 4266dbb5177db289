"""How a caller proves who they are: a bearer token (machines) or the Django session
(the browser, with CSRF on unsafe methods).

The bearer scheme is tried first. A request that presents a token is judged by that token
alone: a wrong, expired or revoked token is a 401 even if a session cookie rides along, so a
script never silently acts as whoever last logged in on that machine.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from fazhi.api.selectors import token_for_secret
from fazhi.api.v1.errors import ApiError
from fazhi.core.models import ApiToken, User

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer fzt_…` — a token issued by POST /api/v1/auth/tokens."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_for_secret(token.strip())
        if found is None:
            raise ApiError(401, "not_authenticated", "访问令牌无效、已过期或已撤销")
        request.fazhi_api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's login session (the /login/ form, with TOTP where required)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # CSRF is checked below, and only for a logged-in session: an anonymous POST is
        # a 401 (log in first), not a confusing 403 about a token it never had.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method in UNSAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                "CSRF 校验失败：浏览器会话调用须在请求头 X-CSRFToken 中携带 csrftoken",
            )
        return user


def token_of(request: HttpRequest) -> ApiToken | None:
    """The bearer token that authenticated this request, or None for a session."""
    token: Any = getattr(request, "fazhi_api_token", None)
    return token if isinstance(token, ApiToken) else None


def caller(request: HttpRequest) -> User:
    """The authenticated user of an operation that requires authentication."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise ApiError(401, "not_authenticated", "请先登录或提供访问令牌")
    return user


AUTH = [BearerTokenAuth(), SessionAuth()]
