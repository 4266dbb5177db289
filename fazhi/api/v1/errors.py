"""Every error of the API, in one shape: `{"code": ..., "message": 中文说明, "details": {...}}`.

Handlers are registered on the NinjaAPI for each exception the domain, Django and ninja
raise, so a client never sees an HTML page or ninja's `{"detail": ...}`.

| exception                                   | status | code                |
|---------------------------------------------|--------|---------------------|
| no or bad credentials                       | 401    | not_authenticated   |
| PermissionDenied / ninja AuthorizationError | 403    | permission_denied   |
| CSRF check failed (session, unsafe method)  | 403    | csrf_failed         |
| Http404                                     | 404    | not_found           |
| request does not match the schema           | 422    | validation_error    |
| DomainError / LedgerError                   | 400    | invalid             |
| ConflictError / IntegrityError              | 409    | conflict            |
| anything else                               | 500    | server_error        |
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import Field

from fazhi.core.errors import ConflictError, DomainError
from fazhi.ledger.services import LedgerError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("fazhi.api")


class ErrorOut(Schema):
    code: str = Field(description="机器可读的错误代码，如 not_found、validation_error")
    message: str = Field(description="中文说明，可直接展示给用户")
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="补充信息；校验错误时 details.fields 按字段列出原因",
    )


# Default Chinese messages per status, for errors raised without one of their own.
STATUS_ERRORS: dict[int, tuple[str, str]] = {
    400: ("invalid", "请求无效"),
    401: ("not_authenticated", "请先登录，或在请求头中提供有效的访问令牌（Bearer）"),
    403: ("permission_denied", "您没有执行此操作的权限"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "操作与现有数据冲突"),
    422: ("validation_error", "请求参数不符合要求"),
    429: ("throttled", "请求过于频繁，请稍后再试"),
    500: ("server_error", "服务器内部错误，请稍后再试或联系系统管理员"),
}


class ApiError(HttpError):
    """An error raised by an API handler itself, with its code and Chinese message."""

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(status, message)
        self.code = code
        self.details = dict(details or {})


def responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The documented error responses of an operation (schemathesis checks them)."""
    return dict.fromkeys(statuses, ErrorOut)


def error_body(
    status: int, message: str = "", code: str = "", details: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    # `details` is a mapping, not keyword arguments: a domain error about a field named
    # "code" or "message" (an organization's code) must not collide with the parameters.
    default_code, default_message = STATUS_ERRORS.get(status, ("error", "请求失败"))
    return {
        "code": code or default_code,
        "message": message or default_message,
        "details": dict(details or {}),
    }


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        # RFC 6750 §3: tell machine clients which scheme to use.
        response["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    return response


# --- validation messages ---------------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "dict_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "list_type": "应为数组",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不允许的字段",
    "string_unicode": "应为 UTF-8 文本",
    "datetime_parsing": "应为日期时间（如 2024-01-31T08:00:00+08:00）",
    "date_parsing": "应为日期（如 2024-01-31）",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return f"不能小于 {bound}" if kind == "greater_than_equal" else f"应大于 {bound}"
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return f"不能大于 {bound}" if kind == "less_than_equal" else f"应小于 {bound}"
    if kind == "string_too_short":
        minimum = ctx.get("min_length")
        return "不能为空" if minimum == 1 else f"不能少于 {minimum} 个字符"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "too_long":
        return f"不能超过 {ctx.get('max_length')} 项"
    if kind in {"enum", "literal_error"}:
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"取值应为：{expected}"
    if kind == "string_pattern_mismatch":
        return "格式不正确"
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        return str(ctx.get("error", error.get("msg", "格式不正确")))
    return f"格式不正确（{error.get('msg', kind)}）"


def _field_path(loc: Iterable[Any]) -> str:
    """`("query", "limit")` → "limit"; `("body", "payload", "name")` → "name"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "header", "cookie", "form", "file", "body"}:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the handler's body parameter name is not part of the contract
    return ".".join(parts) or "body"


def validation_details(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_path(error.get("loc", ())), []).append(_message(error))
    return fields


# --- the handlers ----------------------------------------------------------------------


def install_error_handlers(api: NinjaAPI) -> None:
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = validation_details(exc.errors)
        summary = "；".join(f"{name}：{'，'.join(msgs)}" for name, msgs in fields.items())
        body = error_body(422, f"请求参数不符合要求：{summary}", details={"fields": fields})
        return _respond(api, request, 422, body)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            return _respond(
                api,
                request,
                exc.status_code,
                error_body(exc.status_code, exc.message, exc.code, exc.details),
            )
        if isinstance(exc, AuthenticationError):
            return _respond(api, request, 401, error_body(401))
        if exc.status_code == 400 and "parse request body" in exc.message:
            body = error_body(400, "请求体不是有效的 JSON")
            return _respond(api, request, 400, body)
        # ninja's own messages are English; the status says enough.
        return _respond(api, request, exc.status_code, error_body(exc.status_code))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or STATUS_ERRORS[403][1]
        return _respond(api, request, 403, error_body(403, message))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) or STATUS_ERRORS[404][1]
        return _respond(api, request, 404, error_body(404, message))

    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        status = 409 if isinstance(exc, ConflictError) else 400
        body = error_body(status, exc.message, exc.code, exc.details)
        return _respond(api, request, status, body)

    def on_ledger_error(request: HttpRequest, exc: LedgerError) -> HttpResponse:
        return _respond(api, request, 400, error_body(400, str(exc)))

    def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A uniqueness race the service's own check could not see: the other writer won.
        logger.info("API integrity conflict on %s: %s", request.path, exc)
        message = "数据已被其他操作修改或已存在，请刷新后重试"
        return _respond(api, request, 409, error_body(409, message))

    def on_raw_post_data(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        # A form or multipart body sent to a JSON operation: the middleware read it as a form.
        body = error_body(400, "请求体应为 JSON（请求头 Content-Type: application/json）")
        return _respond(api, request, 400, body)

    def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API server error on %s %s", request.method, request.path)
        return _respond(api, request, 500, error_body(500))

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ValidationError, on_validation),
        (HttpError, on_http_error),
        (PermissionDenied, on_permission_denied),
        (Http404, on_not_found),
        (DomainError, on_domain_error),
        (LedgerError, on_ledger_error),
        (IntegrityError, on_integrity_error),
        (RawPostDataException, on_raw_post_data),
        (Exception, on_server_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
