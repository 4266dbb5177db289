"""Back-office pages of the shared kernel. Thin: parse, authorize, one service/selector, render."""

from __future__ import annotations

import time

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from fazhi.core import services
from fazhi.core.forms import LoginForm
from fazhi.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = services.authenticate(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            otp_token=form.cleaned_data["otp_token"],
            ip_address=client_ip(request),
        )
        if result.ok and result.user is not None:
            auth_login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            if result.device is not None:
                otp_login(request, result.device)
            request.session[SESSION_LOGIN_AT] = request.session[SESSION_SEEN_AT] = time.time()
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = ""
            return redirect(target or "core:home")
        error = result.message
    return render(request, "core/login.html", {"form": form, "error": error})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("core:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")
