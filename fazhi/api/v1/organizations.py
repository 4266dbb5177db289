"""/organizations: the organization tree, within the caller's data scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from fazhi.api.v1.errors import responses
from fazhi.api.v1.schemas import Page, SearchQuery, paginate
from fazhi.api.v1.security import caller
from fazhi.core import selectors, services
from fazhi.core.choices import EnforcementBasis, OrgKind
from fazhi.core.models import Organization
from fazhi.core.permissions import require

router = Router(tags=["单位"])

CODE_PATTERN = r"^[-a-zA-Z0-9_]+$"
Code = Path(..., min_length=1, max_length=64, pattern=CODE_PATTERN, description="单位代码")


class OrganizationOut(Schema):
    code: str
    name: str
    kind: OrgKind
    kind_label: str
    enforcement_basis: EnforcementBasis
    enforcement_basis_label: str
    parent: str | None = Field(description="上级单位代码；县级根单位为 null")
    depth: int = Field(description="层级，县级根单位为 0")
    is_active: bool
    sort_order: int


class OrganizationListItem(OrganizationOut):
    user_count: int = Field(description="在用账号数")


class OrganizationQuery(SearchQuery):
    kind: OrgKind | None = Field(None, description="单位类型")


class OrganizationIn(Schema):
    code: str = Field(min_length=1, max_length=64, pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    kind: OrgKind
    parent: str = Field(min_length=1, max_length=64, description="上级单位代码")
    enforcement_basis: EnforcementBasis = EnforcementBasis.NONE
    sort_order: int = Field(0, ge=0, le=2_147_483_647)


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    kind: OrgKind | None = None
    enforcement_basis: EnforcementBasis | None = None
    is_active: bool | None = None
    sort_order: int | None = Field(None, ge=0, le=2_147_483_647)


def organization_out(org: Organization) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "kind_label": OrgKind(org.kind).label if org.kind in OrgKind.values else org.kind,
        "enforcement_basis": org.enforcement_basis,
        "enforcement_basis_label": EnforcementBasis(org.enforcement_basis).label,
        # The parent's code is the second-to-last segment of the materialized path, so the
        # list needs no join for it.
        "parent": org.path.strip("/").split("/")[-2] if org.path.count("/") > 2 else None,
        "depth": org.depth,
        "is_active": org.is_active,
        "sort_order": org.sort_order,
    }
    if hasattr(org, "user_count"):
        out["user_count"] = org.user_count
    return out


@router.get(
    "",
    response={200: Page[OrganizationListItem], **responses(401, 403, 422)},
    summary="单位列表",
    description="按数据范围列出单位（需“查看单位”权限）。",
)
def list_organizations(request: HttpRequest, q: Query[OrganizationQuery]) -> dict[str, Any]:
    qs = selectors.organizations_for(
        caller(request), search=q.search, kind=q.kind.value if q.kind else ""
    )
    return paginate(qs, q, organization_out)


@router.get(
    "/{code}",
    response={200: OrganizationOut, **responses(401, 403, 404, 422)},
    summary="单位详情",
)
def get_organization(request: HttpRequest, code: str = Code) -> dict[str, Any]:
    return organization_out(selectors.get_organization_for(caller(request), code))


@router.post(
    "",
    response={201: OrganizationOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="新建单位（系统管理员）",
)
def create_organization(
    request: HttpRequest, payload: OrganizationIn
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    # Authorize before looking anything up: a wrong role is a 403, never a 404.
    require(user, "core.manage_organizations")
    parent = selectors.get_organization_for(user, payload.parent)
    org = services.create_organization(
        actor=user,
        code=payload.code,
        name=payload.name,
        kind=payload.kind.value,
        parent=parent,
        enforcement_basis=payload.enforcement_basis.value,
        sort_order=payload.sort_order,
    )
    return 201, organization_out(org)


@router.patch(
    "/{code}",
    response={200: OrganizationOut, **responses(400, 401, 403, 404, 422)},
    summary="修改单位（系统管理员）",
    description="只修改请求中给出的字段；单位代码与上级单位不可修改。",
)
def update_organization(
    request: HttpRequest, payload: OrganizationPatch, code: str = Code
) -> dict[str, Any]:
    user = caller(request)
    require(user, "core.manage_organizations")
    org = selectors.get_organization_for(user, code)
    org = services.update_organization(
        actor=user,
        organization=org,
        name=payload.name if payload.name is not None else org.name,
        kind=payload.kind.value if payload.kind is not None else org.kind,
        enforcement_basis=(
            payload.enforcement_basis.value
            if payload.enforcement_basis is not None
            else org.enforcement_basis
        ),
        is_active=payload.is_active if payload.is_active is not None else org.is_active,
        sort_order=payload.sort_order if payload.sort_order is not None else org.sort_order,
    )
    return organization_out(org)
