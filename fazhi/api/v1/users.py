"""/users: accounts and their roles (三员分立: the system administrator manages accounts,
the security administrator grants roles)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema
from pydantic import Field

from fazhi.api.v1.auth import RoleOut, role_out
from fazhi.api.v1.errors import responses
from fazhi.api.v1.schemas import OrgRef, Page, SearchQuery, org_ref, paginate
from fazhi.api.v1.security import caller
from fazhi.core import selectors, services
from fazhi.core.choices import DataScope, Role
from fazhi.core.models import User
from fazhi.core.permissions import require

router = Router(tags=["用户"])

USERNAME_PATTERN = r"^[\w.@+-]+$"
Username = Path(..., min_length=1, max_length=150, pattern=USERNAME_PATTERN, description="用户名")


class UserOut(Schema):
    username: str
    name: str = Field(description="姓名")
    organization: OrgRef | None
    is_active: bool
    roles: list[RoleOut]
    last_login: dt.datetime | None
    locked: bool = Field(description="是否因连续登录失败被锁定")


class UserQuery(SearchQuery):
    role: Role | None = Field(None, description="只列出持有该角色的用户")
    organization: str | None = Field(
        None, min_length=1, max_length=64, pattern=r"^[-a-zA-Z0-9_]+$", description="所属单位代码"
    )
    is_active: bool | None = Field(None, description="true 仅在用账号；false 仅已停用账号")


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=USERNAME_PATTERN)
    name: str = Field("", max_length=50, description="姓名")
    organization: str = Field(min_length=1, max_length=64, description="所属单位代码")
    password: str = Field(min_length=1, max_length=128, description="初始密码（须符合密码策略）")
    phone: str = Field("", max_length=20)


class RoleIn(Schema):
    role: Role
    scope: DataScope = DataScope.OWN


def user_out(user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.full_name,
        "organization": org_ref(user.organization),
        "is_active": user.is_active,
        # .all() reads the prefetch cache filled by users_for (no query per row).
        "roles": [role_out(a) for a in user.role_assignments.all()],
        "last_login": user.last_login,
        "locked": user.is_locked(now or timezone.now()),
    }


@router.get(
    "",
    response={200: Page[UserOut], **responses(401, 403, 422)},
    summary="用户列表（系统管理员、安全管理员）",
)
def list_users(request: HttpRequest, q: Query[UserQuery]) -> dict[str, Any]:
    now = timezone.now()
    qs = selectors.users_for(caller(request), search=q.search, role=q.role.value if q.role else "")
    # Narrowing the scoped queryset further cannot widen it.
    if q.organization:
        qs = qs.filter(organization__code=q.organization)
    if q.is_active is not None:
        qs = qs.filter(is_active=q.is_active)
    return paginate(qs, q, lambda u: user_out(u, now))


@router.get(
    "/{username}",
    response={200: UserOut, **responses(401, 403, 404, 422)},
    summary="用户详情",
)
def get_user(request: HttpRequest, username: str = Username) -> dict[str, Any]:
    return user_out(selectors.get_user_for(caller(request), username))


@router.post(
    "",
    response={201: UserOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="新建用户（系统管理员）",
    description="新建的账号没有任何角色，由安全管理员另行授予。",
)
def create_user(request: HttpRequest, payload: UserIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    # Authorize before looking anything up: a wrong role is a 403, never a 404.
    require(user, "core.manage_users")
    organization = selectors.get_organization_for(user, payload.organization)
    created = services.create_user(
        actor=user,
        username=payload.username,
        full_name=payload.name,
        organization=organization,
        password=payload.password,
        phone=payload.phone,
    )
    return 201, user_out(created)


@router.post(
    "/{username}/roles",
    response={201: UserOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="授予角色（安全管理员）",
)
def assign_role(
    request: HttpRequest, payload: RoleIn, username: str = Username
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, "core.manage_roles")
    target = selectors.get_user_for(user, username)
    services.assign_role(
        actor=user, user=target, role=payload.role.value, scope=payload.scope.value
    )
    # Read again: the target's prefetched roles predate the grant.
    return 201, user_out(selectors.get_user_for(user, username))


@router.delete(
    "/{username}/roles/{role}",
    response={204: None, **responses(400, 401, 403, 404, 422)},
    summary="撤销角色（安全管理员）",
)
def revoke_role(request: HttpRequest, role: Role, username: str = Username) -> tuple[int, None]:
    user = caller(request)
    require(user, "core.manage_roles")
    target = selectors.get_user_for(user, username)
    services.revoke_role(actor=user, user=target, role=role.value)
    return 204, None
