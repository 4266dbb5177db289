"""The interactive API docs (Swagger UI), served entirely by this installation.

County networks (政务外网) are often offline and the project allows no CDN, so the page and
its JS/CSS come from the Swagger UI build that django-ninja ships inside its package, through
a small view here. That needs neither "ninja" in INSTALLED_APPS nor a collectstatic step,
and it cannot drift from the installed ninja version.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
# Exactly the files the page needs: the view never maps a URL onto the filesystem freely.
ASSETS = frozenset(
    {"swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css", "favicon.png", "favicon.svg"}
)
# The docs page is exempt from the site-wide CSP (ContentSecurityPolicyMiddleware skips
# /api/v1/docs) because Swagger UI sets inline styles; it still loads nothing from elsewhere.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


class LocalSwagger(DocsBase):
    """Swagger UI from the installed package, never from a CDN."""

    settings: dict[str, Any] = {
        "layout": "BaseLayout",
        "deepLinking": True,
        "persistAuthorization": False,
        # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        response = render(
            request,
            "api/docs.html",
            {
                "api": api,
                "swagger_settings": settings,
                # Session calls from "Try it out" need the CSRF token (see security.py).
                "csrf_token_value": get_token(request),
                "asset": {
                    key: reverse("api-docs-asset", args=[name])
                    for key, name in (
                        ("css", "swagger-ui.css"),
                        ("bundle", "swagger-ui-bundle.js"),
                        ("init", "swagger-ui-init.js"),
                        ("favicon_svg", "favicon.svg"),
                        ("favicon_png", "favicon.png"),
                    )
                },
            },
        )
        response["Content-Security-Policy"] = DOCS_CSP
        return response


@require_GET
@cache_control(public=True, max_age=86400)
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404("文件不存在")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
