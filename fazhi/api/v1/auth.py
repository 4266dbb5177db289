"""/auth: who am I, and my API access tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field

from fazhi.api import selectors as api_selectors
from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT, OrgRef, Page, PageQuery, org_ref, paginate
from fazhi.api.v1.security import caller, token_of
from fazhi.core import services
from fazhi.core.choices import DataScope, Role
from fazhi.core.models import ApiToken
from fazhi.core.permissions import PERMISSIONS, roles_of
from fazhi.core.selectors import data_scope

router = Router(tags=["认证"])


class RoleOut(Schema):
    role: str
    label: str
    scope: str
    scope_label: str


class CodeLabel(Schema):
    code: str
    label: str


class MeOut(Schema):
    username: str
    name: str = Field(description="姓名")
    organization: OrgRef | None
    roles: list[RoleOut]
    data_scope: CodeLabel = Field(description="数据范围：各角色中最宽的一个")
    permissions: list[str] = Field(description="当前账号拥有的权限代码")
    authenticated_by: str = Field(description="session（浏览器会话）或 token（访问令牌）")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="令牌用途，如“数据交换脚本”")
    expires_in_days: int = Field(
        90, ge=1, le=services.API_TOKEN_MAX_DAYS, description="有效天数（1–365）"
    )


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="令牌开头几位，用于辨认")
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    active: bool


class IssuedTokenOut(TokenOut):
    token: str = Field(description="令牌全文，仅此一次显示，请妥善保存")


class TokenQuery(PageQuery):
    search: str = Field("", max_length=100, description="按名称模糊匹配")
    active: bool | None = Field(None, description="true 仅有效令牌；false 仅已过期或已撤销")


def role_out(assignment: Any) -> dict[str, str]:
    return {
        "role": assignment.role,
        "label": Role(assignment.role).label,
        "scope": assignment.scope,
        "scope_label": DataScope(assignment.scope).label,
    }


def token_out(token: ApiToken, now: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "active": token.is_usable(now or timezone.now()),
    }


@router.get("/me", response={200: MeOut, **responses(401)}, summary="当前账号")
def me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    scope = data_scope(user)
    held = roles_of(user)
    return {
        "username": user.username,
        "name": user.full_name,
        "organization": org_ref(user.organization),
        "roles": [role_out(a) for a in user.role_assignments.all()],
        "data_scope": {"code": scope.value, "label": scope.label},
        "permissions": sorted(code for code, roles in PERMISSIONS.items() if held & roles),
        "authenticated_by": "token" if token_of(request) else "session",
    }


@router.post(
    "/tokens",
    response={201: IssuedTokenOut, **responses(400, 401, 403, 422)},
    summary="签发访问令牌（须浏览器登录）",
    description=(
        "为当前登录的本人签发一个访问令牌，令牌全文只在本次响应中出现一次，服务器只保存其 "
        "SHA-256 哈希。须通过浏览器会话调用（携带 CSRF 令牌）；访问令牌不能用来签发新令牌。"
    ),
)
def issue_token(request: HttpRequest, payload: TokenIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    if token_of(request) is not None:
        raise ApiError(
            403, "permission_denied", "访问令牌不能用于签发新令牌，请登录后在浏览器会话中签发"
        )
    issued = services.issue_api_token(
        actor=user, name=payload.name, expires_in_days=payload.expires_in_days
    )
    return 201, {**token_out(issued.token), "token": issued.secret}


@router.get(
    "/tokens", response={200: Page[TokenOut], **responses(401, 403, 422)}, summary="本人的访问令牌"
)
def list_tokens(request: HttpRequest, q: Query[TokenQuery]) -> dict[str, Any]:
    now = timezone.now()
    qs = api_selectors.api_tokens_for(caller(request), search=q.search, active=q.active)
    return paginate(qs, q, lambda t: token_out(t, now))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **responses(401, 403, 404, 409, 422)},
    summary="撤销访问令牌",
)
def revoke_token(
    request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_DB_INT)
) -> tuple[int, None]:
    user = caller(request)
    token = api_selectors.get_api_token_for(user, token_id)
    services.revoke_api_token(actor=user, token=token)
    return 204, None
