"""The REST API, version 1 (ARCHITECTURE §8): one NinjaAPI, one router per domain.

OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs. Every operation authenticates by
bearer token or Django session (security.py) unless it is marked public (`auth=None`),
and every error comes back as {code, message, details} (errors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ninja import NinjaAPI
from ninja.operation import Operation
from ninja.renderers import JSONRenderer

from fazhi.api.v1 import (
    auth,
    case_reviews,
    cases,
    catalog,
    catalog_imports,
    decisions,
    indicators,
    inspection_imports,
    inspections,
    ledger,
    organizations,
    users,
)
from fazhi.api.v1.docs import LocalSwagger
from fazhi.api.v1.errors import install_error_handlers
from fazhi.api.v1.security import AUTH

API_DESCRIPTION = """\
法治平台 REST 接口（第 1 版）。

**认证**：浏览器使用登录会话（修改类请求须在请求头 `X-CSRFToken` 中携带 csrftoken）；
程序使用访问令牌：`Authorization: Bearer <令牌>`。令牌由本人登录后通过
`POST /api/v1/auth/tokens` 签发，只显示一次，最长有效 365 天。

**错误**：一律返回 JSON `{"code": "...", "message": "中文说明", "details": {...}}`。
常见代码：`not_authenticated`（401）、`permission_denied`（403）、`not_found`（404）、
`validation_error`（422，details.fields 按字段说明）、`invalid`（400）、`conflict`（409）、
`server_error`（500）。

**分页**：列表接口使用 `limit`（1–200，默认 50）与 `offset`，返回 `{count, limit, offset, items}`。

**数据范围**：与页面相同，只返回您的角色和数据范围内的数据。
"""


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as UTF-8 rather than \\u escapes: readable in logs and a third smaller."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


class FazhiAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """Short, stable ids for generated clients: "<domain>_<handler>" (ledger_get_receipt)."""
        func = operation.view_func
        return f"{func.__module__.rsplit('.', 1)[-1]}_{func.__name__}"


api = FazhiAPI(
    title="法治平台接口",
    version="1.0.0",
    description=API_DESCRIPTION,
    auth=AUTH,
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=Utf8JSONRenderer(),
)
install_error_handlers(api)

api.add_router("/auth", auth.router)
api.add_router("/organizations", organizations.router)
api.add_router("/users", users.router)
api.add_router("/ledger", ledger.router)
api.add_router("/indicators", indicators.router)
api.add_router("/catalog/imports", catalog_imports.router)
api.add_router("/catalog", catalog.router)
api.add_router("/rules", catalog.rules_router)
api.add_router("/cases", cases.router)
api.add_router("/decisions", decisions.router)
api.add_router("/inspections/imports", inspection_imports.router)
api.add_router("/inspections", inspections.router)
api.add_router("/case-reviews", case_reviews.router)
