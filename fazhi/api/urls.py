"""/api/v1/: the NinjaAPI, the docs' own assets, and JSON answers for the paths and methods
the API does not have (errors are always JSON, ARCHITECTURE §8)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, path, re_path

from fazhi.api.v1.api import api
from fazhi.api.v1.docs import docs_asset
from fazhi.api.v1.errors import error_body


def _json_error(status: int, message: str) -> JsonResponse:
    body = error_body(status, message)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not an HTML page."""
    return _json_error(404, "接口不存在，请查阅 /api/v1/docs")


def json_method_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers an unsupported method with a plain-text 405; keep its Allow header and
    give the body the API's error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _json_error(405, f"该接口不支持 {request.method} 方法，可用：{allowed}")
            response["Allow"] = allowed
        return response

    return wrapper


def _api_patterns() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("docs/assets/<str:name>", docs_asset, name="api-docs-asset"),
    path("", _api_patterns()),
    re_path(r"^(?P<rest>.*)$", not_found),
]
