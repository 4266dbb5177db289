"""/catalog: the enforcement catalog (执法主体, 执法人员, 执法事项, 清单, 裁量基准), and /rules:
the lenience and discretion rules (裁量计算器) as a service.

Same scope as the pages: reads go through the scoped selectors (another organization's row is a
404), writes through the services (their Chinese refusals come back as 400/409). Permissions
are checked before any lookup, so a wrong role is a 403, never a 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Body, Path, Query, Router, Schema
from pydantic import Field

from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT, OrgRef, Page, SearchQuery, org_ref, paginate
from fazhi.api.v1.security import caller
from fazhi.catalog import selectors, services
from fazhi.catalog.conversions import (
    CatalogValidationError,
    TierInput,
    conditions_from_json,
    describe_conditions,
)
from fazhi.catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
    OfficerStatus,
    StandardLevel,
)
from fazhi.core.choices import EnforcementBasis
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    HarmLevel,
    ItemCategory,
    ListKind,
    PartyKind,
    PenaltyType,
    Severity,
    Treatment,
)
from fazhi.rules.lenience import ItemPenalty, LenienceError
from fazhi.rules.lenience_json import (
    RESERVED_KEYS,
    LenienceInputError,
    evaluate_json,
    facts_from_json,
)
from fazhi.rules.parameters import default_parameters

router = Router(tags=["执法目录"])

ITEM_CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$"
CERTIFICATE_PATTERN = r"^[0-9A-Za-z-]{1,32}$"
ORG_CODE_PATTERN = r"^[-a-zA-Z0-9_]+$"

ItemCode = Path(..., min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN, description="事项编码")
CertificateNumber = Path(
    ..., min_length=1, max_length=32, pattern=CERTIFICATE_PATTERN, description="执法证号"
)
OrgCode = Path(..., min_length=1, max_length=64, pattern=ORG_CODE_PATTERN, description="单位代码")
RowId = Path(..., ge=1, le=MAX_DB_INT, description="编号")

Money = Field(
    None,
    ge=0,
    lt=Decimal("1e12"),
    max_digits=14,
    decimal_places=2,
    description="金额（元；倍数表述时为倍数），最多两位小数",
)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _label(enum: Any, value: str) -> str:
    try:
        return str(enum(value).label_zh)
    except ValueError:
        return ""


def _org_in_scope(user: User, code: str, field: str = "organization") -> Organization:
    """A referenced organization: unknown and out-of-scope codes are refused alike."""
    org = visible_organizations(user).filter(code=code).first()
    if org is None:
        raise CatalogValidationError(field, f"单位代码“{code}”不存在或不在您的数据范围内")
    return org


def _item_in_scope(user: User, code: str, field: str = "item_code") -> EnforcementItem:
    item = selectors.items_for(user).filter(code=code).first()
    if item is None:
        raise CatalogValidationError(field, f"事项编码“{code}”不存在或不在您的数据范围内")
    return item


# --- 执法主体 ---------------------------------------------------------------------------------


class BodyOut(Schema):
    organization: OrgRef
    kind: EnforcementBasis = Field(description="主体类型（法定、受委托、授权）")
    kind_label: str
    credit_code: str = Field(description="统一社会信用代码")
    authority_basis: str = Field(description="执法主体资格依据")
    entrusting_organization: OrgRef | None = Field(description="委托机关（受委托组织）")
    is_active: bool


class BodyQuery(SearchQuery):
    kind: EnforcementBasis | None = Field(None, description="主体类型")


def body_out(body: EnforcementBody) -> dict[str, Any]:
    basis = body.organization.enforcement_basis
    return {
        "organization": org_ref(body.organization),
        "kind": basis,
        "kind_label": EnforcementBasis(basis).label if basis in EnforcementBasis.values else "",
        "credit_code": body.credit_code,
        "authority_basis": body.authority_basis,
        "entrusting_organization": org_ref(body.entrusting_organization),
        "is_active": body.is_active,
    }


@router.get(
    "/bodies",
    response={200: Page[BodyOut], **responses(401, 403, 422)},
    summary="执法主体列表",
)
def list_bodies(request: HttpRequest, q: Query[BodyQuery]) -> dict[str, Any]:
    qs = selectors.bodies_for(caller(request), search=q.search, kind=str(q.kind) if q.kind else "")
    return paginate(qs, q, body_out)


@router.get(
    "/bodies/{code}",
    response={200: BodyOut, **responses(401, 403, 404, 422)},
    summary="执法主体详情",
)
def get_body(request: HttpRequest, code: str = OrgCode) -> dict[str, Any]:
    body = selectors.bodies_for(caller(request)).filter(organization__code=code).first()
    if body is None:
        raise Http404("没有找到该执法主体，或不在您的数据范围内")
    return body_out(body)


# --- 执法人员 ---------------------------------------------------------------------------------


class OfficerOut(Schema):
    certificate_number: str = Field(description="执法证号")
    name: str
    organization: OrgRef
    issuing_authority: str
    valid_from: dt.date
    valid_until: dt.date
    fields: str = Field(description="执法领域")
    status: OfficerStatus
    status_label: str
    status_reason: str
    certificate_problem: str = Field(
        description="今日不能分配执法任务的原因（过期、暂扣、注销、未生效）；为空表示证件有效"
    )
    user: str | None = Field(description="关联的系统账号（用户名）")


class TrainingOut(Schema):
    kind: str
    kind_label: str
    title: str
    held_on: dt.date
    hours: str


class OfficerDetailOut(OfficerOut):
    trainings: list[TrainingOut]


class OfficerQuery(SearchQuery):
    status: OfficerStatus | None = Field(None, description="证件状态")
    organization: str | None = Field(
        None, min_length=1, max_length=64, pattern=ORG_CODE_PATTERN, description="所属单位代码"
    )
    expired: bool | None = Field(None, description="true 仅已过期；false 仅未过期")


class OfficerIn(Schema):
    organization: str = Field(min_length=1, max_length=64, description="所属执法主体的单位代码")
    name: str = Field(min_length=1, max_length=50)
    certificate_number: str = Field(min_length=4, max_length=32, pattern=CERTIFICATE_PATTERN)
    issuing_authority: str = Field(min_length=1, max_length=100)
    valid_from: dt.date
    valid_until: dt.date
    fields: str = Field("", max_length=200, description="执法领域")
    user: str | None = Field(None, min_length=1, max_length=150, description="关联账号的用户名")


class OfficerPatch(Schema):
    organization: str | None = Field(None, min_length=1, max_length=64)
    name: str | None = Field(None, min_length=1, max_length=50)
    issuing_authority: str | None = Field(None, min_length=1, max_length=100)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    fields: str | None = Field(None, max_length=200)


def officer_out(officer: Officer, today: dt.date | None = None) -> dict[str, Any]:
    return {
        "certificate_number": officer.certificate_number,
        "name": officer.name,
        "organization": org_ref(officer.organization),
        "issuing_authority": officer.issuing_authority,
        "valid_from": officer.valid_from,
        "valid_until": officer.valid_until,
        "fields": officer.fields,
        "status": officer.status,
        "status_label": officer.get_status_display(),
        "status_reason": officer.status_reason,
        "certificate_problem": officer.certificate_problem(today or timezone.localdate()),
        "user": officer.user.username if officer.user else None,
    }


def officer_detail_out(officer: Officer) -> dict[str, Any]:
    out = officer_out(officer)
    out["trainings"] = [
        {
            "kind": t.kind,
            "kind_label": t.get_kind_display(),
            "title": t.title,
            "held_on": t.held_on,
            "hours": str(t.hours),
        }
        for t in officer.trainings.all()
    ]
    return out


def _officers(user: User) -> Any:
    return selectors.officers_for(user).select_related("user")


@router.get(
    "/officers",
    response={200: Page[OfficerOut], **responses(401, 403, 422)},
    summary="执法人员列表",
)
def list_officers(request: HttpRequest, q: Query[OfficerQuery]) -> dict[str, Any]:
    qs = selectors.officers_for(
        caller(request),
        search=q.search,
        status=q.status.value if q.status else "",
        organization=q.organization or "",
    ).select_related("user")
    today = timezone.localdate()
    if q.expired is not None:
        qs = qs.filter(valid_until__lt=today) if q.expired else qs.filter(valid_until__gte=today)
    return paginate(qs, q, lambda o: officer_out(o, today))


def _get_officer(user: User, number: str) -> Officer:
    officer = _officers(user).filter(certificate_number=number).first()
    if officer is None:
        raise Http404("没有找到该执法人员，或不在您的数据范围内")
    return officer


@router.get(
    "/officers/{number}",
    response={200: OfficerDetailOut, **responses(401, 403, 404, 422)},
    summary="执法人员详情（含培训记录）",
)
def get_officer(request: HttpRequest, number: str = CertificateNumber) -> dict[str, Any]:
    return officer_detail_out(_get_officer(caller(request), number))


def _account(user: User, username: str | None) -> User | None:
    if not username:
        return None
    account = User.objects.filter(
        username=username, organization__in=visible_organizations(user)
    ).first()
    if account is None:
        raise CatalogValidationError("user", f"账号“{username}”不存在或不在您的数据范围内")
    return account


@router.post(
    "/officers",
    response={201: OfficerDetailOut, **responses(400, 401, 403, 409, 422)},
    summary="登记执法人员（部门负责人、依法治县办）",
)
def create_officer(request: HttpRequest, payload: OfficerIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, "catalog.manage_officers")
    officer = services.create_officer(
        actor=user,
        organization=_org_in_scope(user, payload.organization),
        name=payload.name,
        certificate_number=payload.certificate_number,
        issuing_authority=payload.issuing_authority,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        fields=payload.fields,
        user=_account(user, payload.user),
    )
    return 201, officer_detail_out(_get_officer(user, officer.certificate_number))


@router.patch(
    "/officers/{number}",
    response={200: OfficerDetailOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="修改执法人员信息",
    description="只修改请求中给出的字段；执法证号不可修改，证件状态另行办理。",
)
def update_officer(
    request: HttpRequest, payload: OfficerPatch, number: str = CertificateNumber
) -> dict[str, Any]:
    user = caller(request)
    require(user, "catalog.manage_officers")
    officer = _get_officer(user, number)
    services.update_officer(
        actor=user,
        officer=officer,
        organization=(
            _org_in_scope(user, payload.organization)
            if payload.organization
            else officer.organization
        ),
        name=payload.name if payload.name is not None else officer.name,
        certificate_number=officer.certificate_number,
        issuing_authority=(
            payload.issuing_authority
            if payload.issuing_authority is not None
            else officer.issuing_authority
        ),
        valid_from=payload.valid_from or officer.valid_from,
        valid_until=payload.valid_until or officer.valid_until,
        fields=payload.fields if payload.fields is not None else officer.fields,
        user=officer.user,
    )
    return officer_detail_out(_get_officer(user, number))


# --- 执法事项 ---------------------------------------------------------------------------------


class ItemOut(Schema):
    code: str
    name: str
    category: ItemCategory
    category_label: str
    organization: OrgRef = Field(description="实施主体")
    basis_law: str
    basis_article: str
    basis_paragraph: str
    basis_text: str
    citation: str = Field(description="引用形式的法律依据，如《法》第N条第M款")
    penalty_types: list[PenaltyType] = Field(description="处罚种类（行政处罚法第九条）")
    penalty_type_labels: list[str]
    fine_basis: str = Field(description="amount（金额）、multiple（倍数）或空")
    fine_min: str | None = Field(description="法定罚款下限")
    fine_max: str | None = Field(description="法定罚款上限")
    effective_from: dt.date
    is_active: bool
    published_at: dt.datetime | None = Field(description="事前公示时间；null 为未公示")


class ItemQuery(SearchQuery):
    category: ItemCategory | None = Field(None, description="事项类别")
    organization: str | None = Field(
        None, min_length=1, max_length=64, pattern=ORG_CODE_PATTERN, description="实施主体代码"
    )
    published: bool | None = Field(None, description="true 仅已公示；false 仅未公示")
    active: bool | None = Field(None, description="true 仅有效；false 仅已停用")


class ItemIn(Schema):
    code: str = Field(min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    category: ItemCategory
    organization: str = Field(min_length=1, max_length=64, description="实施主体的单位代码")
    basis_law: str = Field(min_length=1, max_length=200, description="法律法规名称")
    basis_article: str = Field(min_length=1, max_length=50, description="条")
    basis_paragraph: str = Field("", max_length=50, description="款、项")
    basis_text: str = Field("", max_length=20000, description="依据条文")
    penalty_types: list[PenaltyType] = Field(default_factory=list, max_length=14)
    fine_basis: FineBasis | None = None
    fine_min: Decimal | None = Money
    fine_max: Decimal | None = Money
    effective_from: dt.date | None = Field(None, description="列入清单日期（默认今日）")


class ItemPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    category: ItemCategory | None = None
    organization: str | None = Field(None, min_length=1, max_length=64)
    basis_law: str | None = Field(None, min_length=1, max_length=200)
    basis_article: str | None = Field(None, min_length=1, max_length=50)
    basis_paragraph: str | None = Field(None, max_length=50)
    basis_text: str | None = Field(None, max_length=20000)
    penalty_types: list[PenaltyType] | None = Field(None, max_length=14)
    fine_basis: FineBasis | None = None
    fine_min: Decimal | None = Money
    fine_max: Decimal | None = Money
    effective_from: dt.date | None = None
    is_active: bool | None = Field(None, description="false 停用事项，true 恢复")


class ItemPublishIn(Schema):
    codes: list[str] = Field(min_length=1, max_length=1000, description="要公示的事项编码")


class ItemPublishOut(Schema):
    count: int = Field(description="本次公示的事项数（已公示、已停用的不重复公示）")


def item_out(item: EnforcementItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "category_label": _label(ItemCategory, item.category),
        "organization": org_ref(item.organization),
        "basis_law": item.basis_law,
        "basis_article": item.basis_article,
        "basis_paragraph": item.basis_paragraph,
        "basis_text": item.basis_text,
        "citation": item.citation,
        "penalty_types": list(item.penalty_types),
        "penalty_type_labels": [_label(PenaltyType, p) for p in item.penalty_types],
        "fine_basis": item.fine_basis,
        "fine_min": _money(item.fine_min),
        "fine_max": _money(item.fine_max),
        "effective_from": item.effective_from,
        "is_active": item.is_active,
        "published_at": item.published_at,
    }


@router.get(
    "/items",
    response={200: Page[ItemOut], **responses(401, 403, 422)},
    summary="执法事项列表",
)
def list_items(request: HttpRequest, q: Query[ItemQuery]) -> dict[str, Any]:
    qs = selectors.items_for(
        caller(request),
        search=q.search,
        category=str(q.category) if q.category else "",
        organization=q.organization or "",
        published=q.published,
    )
    if q.active is not None:
        qs = qs.filter(is_active=q.active)
    return paginate(qs, q, item_out)


# Before /items/{code}: ninja matches paths in the order they are declared.
@router.post(
    "/items/publish",
    response={200: ItemPublishOut, **responses(400, 401, 403, 422)},
    summary="事前公示执法事项",
    description=(
        "公示后事项出现在公开门户（国办发〔2018〕118号 二（四））。不在数据范围内的编码被忽略。"
    ),
)
def publish_items(request: HttpRequest, payload: ItemPublishIn) -> dict[str, int]:
    user = caller(request)
    require(user, "catalog.manage")
    items = list(selectors.items_for(user).filter(code__in=payload.codes))
    return {"count": services.publish_items(actor=user, items=items)}


@router.get(
    "/items/{code}",
    response={200: ItemOut, **responses(401, 403, 404, 422)},
    summary="执法事项详情",
)
def get_item(request: HttpRequest, code: str = ItemCode) -> dict[str, Any]:
    return item_out(selectors.get_item_for(caller(request), code))


@router.post(
    "/items",
    response={201: ItemOut, **responses(400, 401, 403, 409, 422)},
    summary="新增执法事项",
)
def create_item(request: HttpRequest, payload: ItemIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, "catalog.manage")
    item = services.create_item(
        actor=user,
        organization=_org_in_scope(user, payload.organization),
        code=payload.code,
        name=payload.name,
        category=str(payload.category),
        basis_law=payload.basis_law,
        basis_article=payload.basis_article,
        basis_paragraph=payload.basis_paragraph,
        basis_text=payload.basis_text,
        penalty_types=[str(p) for p in payload.penalty_types],
        fine_basis=str(payload.fine_basis) if payload.fine_basis else "",
        fine_min=payload.fine_min,
        fine_max=payload.fine_max,
        effective_from=payload.effective_from,
    )
    return 201, item_out(selectors.get_item_for(user, item.code))


@router.patch(
    "/items/{code}",
    response={200: ItemOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="修改执法事项",
    description="只修改请求中给出的字段；事项编码不可修改。is_active 停用或恢复事项。",
)
def update_item(request: HttpRequest, payload: ItemPatch, code: str = ItemCode) -> dict[str, Any]:
    user = caller(request)
    require(user, "catalog.manage")
    item = selectors.get_item_for(user, code)
    given = payload.model_dump(exclude_unset=True)
    is_active = given.pop("is_active", None)
    if given:
        fields: dict[str, Any] = {
            "code": item.code,
            "name": item.name,
            "category": item.category,
            "basis_law": item.basis_law,
            "basis_article": item.basis_article,
            "basis_paragraph": item.basis_paragraph,
            "basis_text": item.basis_text,
            "penalty_types": list(item.penalty_types),
            "fine_basis": item.fine_basis,
            "fine_min": item.fine_min,
            "fine_max": item.fine_max,
            "effective_from": item.effective_from,
        }
        organization = item.organization
        for key, value in given.items():
            if key == "organization":
                organization = _org_in_scope(user, value)
            elif key == "penalty_types":
                fields[key] = [str(p) for p in value or []]
            elif key in ("category", "fine_basis"):
                fields[key] = str(value) if value else ""
            elif value is not None or key in ("fine_min", "fine_max"):
                fields[key] = value
        services.update_item(actor=user, item=item, organization=organization, **fields)
    if is_active is not None and is_active != item.is_active:
        # A second call and event, on purpose: 停用 is its own act in the record.
        services.set_item_active(actor=user, item=item, is_active=is_active)
    return item_out(selectors.get_item_for(user, code))


# --- 清单 -------------------------------------------------------------------------------------


class ListOut(Schema):
    id: int
    kind: ListKind
    kind_label: str
    title: str
    organization: OrgRef = Field(description="制定单位")
    version: str
    document_number: str
    effective_from: dt.date
    effective_until: dt.date | None
    published_at: dt.datetime | None = Field(description="公布时间；null 为草稿，可修改")
    entry_count: int


class ListConditionsSchema(Schema):
    requires_first_violation: bool = False
    requires_corrected_in_time: bool = False
    max_harm: HarmLevel | None = Field(None, description="危害后果不超过")
    party_kinds: list[PartyKind] = Field(default_factory=list, max_length=2)
    any_circumstance: list[Circumstance] = Field(default_factory=list, max_length=10)
    max_amount_involved: Decimal | None = Money


class ListEntryOut(Schema):
    id: int
    number: int
    item_code: str
    item_name: str
    organization: OrgRef = Field(description="实施部门")
    violation: str
    legal_basis: str
    condition_text: str = Field(description="适用条件（清单原文）")
    conditions: dict[str, Any] = Field(description="结构化适用条件，供裁量计算")
    conditions_text: str = Field(description="结构化条件的文字表述")


class ListQuery(SearchQuery):
    kind: ListKind | None = Field(None, description="清单类型")
    published: bool | None = Field(None, description="true 仅已公布；false 仅草稿")


class ListIn(Schema):
    kind: ListKind
    title: str = Field(min_length=1, max_length=200)
    organization: str = Field(min_length=1, max_length=64, description="制定单位代码")
    version: str = Field(min_length=1, max_length=50)
    document_number: str = Field("", max_length=100)
    effective_from: dt.date
    effective_until: dt.date | None = None


class ListEntryIn(Schema):
    item_code: str = Field(min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN)
    number: int = Field(ge=1, le=100000, description="序号")
    violation: str = Field(min_length=1, max_length=300)
    legal_basis: str = Field(min_length=1, max_length=5000)
    condition_text: str = Field(min_length=1, max_length=5000)
    conditions: ListConditionsSchema | None = Field(None, description="不填为无附加条件")


def list_out(lst: LenientList) -> dict[str, Any]:
    return {
        "id": lst.pk,
        "kind": lst.kind,
        "kind_label": _label(ListKind, lst.kind),
        "title": lst.title,
        "organization": org_ref(lst.organization),
        "version": lst.version,
        "document_number": lst.document_number,
        "effective_from": lst.effective_from,
        "effective_until": lst.effective_until,
        "published_at": lst.published_at,
        "entry_count": getattr(lst, "entry_count", 0),
    }


def entry_out(entry: LenientListEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "number": entry.number,
        "item_code": entry.item.code,
        "item_name": entry.item.name,
        "organization": org_ref(entry.organization),
        "violation": entry.violation,
        "legal_basis": entry.legal_basis,
        "condition_text": entry.condition_text,
        "conditions": entry.conditions,
        "conditions_text": describe_conditions(conditions_from_json(entry.conditions)),
    }


def _lists(user: User, *, kind: str = "", search: str = "") -> Any:
    return (
        selectors.lists_for(user, kind=kind, search=search)
        .annotate(entry_count=Count("entries"))
        .order_by("kind", "organization__path", "-effective_from", "pk")
    )


def _get_list(user: User, pk: int) -> LenientList:
    lst = _lists(user).filter(pk=pk).first()
    if lst is None:
        raise Http404("没有找到该清单，或不在您的数据范围内")
    return lst


@router.get(
    "/lists",
    response={200: Page[ListOut], **responses(401, 403, 422)},
    summary="包容审慎监管清单列表（四张清单、首违不罚）",
)
def list_lists(request: HttpRequest, q: Query[ListQuery]) -> dict[str, Any]:
    qs = _lists(caller(request), kind=str(q.kind) if q.kind else "", search=q.search)
    if q.published is not None:
        qs = qs.filter(published_at__isnull=not q.published)
    return paginate(qs, q, list_out)


@router.get(
    "/lists/{list_id}",
    response={200: ListOut, **responses(401, 403, 404, 422)},
    summary="清单详情",
)
def get_list(request: HttpRequest, list_id: int = RowId) -> dict[str, Any]:
    return list_out(_get_list(caller(request), list_id))


@router.get(
    "/lists/{list_id}/entries",
    response={200: Page[ListEntryOut], **responses(401, 403, 404, 422)},
    summary="清单事项",
)
def list_entries(
    request: HttpRequest, q: Query[SearchQuery], list_id: int = RowId
) -> dict[str, Any]:
    lst = _get_list(caller(request), list_id)
    qs = lst.entries.select_related("item", "organization").order_by("number")
    if q.search:
        qs = qs.filter(
            Q(violation__icontains=q.search)
            | Q(item__code__icontains=q.search)
            | Q(item__name__icontains=q.search)
        )
    return paginate(qs, q, entry_out)


@router.post(
    "/lists",
    response={201: ListOut, **responses(400, 401, 403, 409, 422)},
    summary="制定清单（草稿）",
)
def create_list(request: HttpRequest, payload: ListIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, "catalog.manage")
    lst = services.create_list(
        actor=user,
        kind=str(payload.kind),
        title=payload.title,
        organization=_org_in_scope(user, payload.organization),
        version=payload.version,
        effective_from=payload.effective_from,
        effective_until=payload.effective_until,
        document_number=payload.document_number,
    )
    return 201, list_out(_get_list(user, lst.pk))


@router.post(
    "/lists/{list_id}/entries",
    response={201: ListEntryOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="添加清单事项",
    description="已公布的清单不能修改（409），请制定新版本。",
)
def add_entry(
    request: HttpRequest, payload: ListEntryIn, list_id: int = RowId
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, "catalog.manage")
    lst = _get_list(user, list_id)
    entry = services.add_list_entry(
        actor=user,
        lenient_list=lst,
        item=_item_in_scope(user, payload.item_code),
        number=payload.number,
        violation=payload.violation,
        legal_basis=payload.legal_basis,
        condition_text=payload.condition_text,
        conditions=(
            payload.conditions.model_dump(mode="json", exclude_none=True)
            if payload.conditions
            else {}
        ),
    )
    return 201, entry_out(entry)


@router.delete(
    "/lists/{list_id}/entries/{entry_id}",
    response={204: None, **responses(400, 401, 403, 404, 409, 422)},
    summary="删除清单事项（仅草稿）",
)
def remove_entry(
    request: HttpRequest, list_id: int = RowId, entry_id: int = RowId
) -> tuple[int, None]:
    user = caller(request)
    require(user, "catalog.manage")
    lst = _get_list(user, list_id)
    entry = lst.entries.select_related("item", "lenient_list").filter(pk=entry_id).first()
    if entry is None:
        raise Http404("没有找到该清单事项")
    services.remove_list_entry(actor=user, entry=entry)
    return 204, None


@router.post(
    "/lists/{list_id}/publish",
    response={200: ListOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="公布清单",
    description="公布后清单不能再修改，并在公开门户公开（行政处罚法第三十四条）。",
)
def publish_list(request: HttpRequest, list_id: int = RowId) -> dict[str, Any]:
    user = caller(request)
    require(user, "catalog.manage")
    services.publish_list(actor=user, lenient_list=_get_list(user, list_id))
    return list_out(_get_list(user, list_id))


# --- 裁量基准 ----------------------------------------------------------------------------------


class TierIn(Schema):
    treatment: Treatment = Field(description="裁量阶次")
    severity: Severity | None = Field(None, description="情节")
    fine_min: Decimal | None = Money
    fine_max: Decimal | None = Money
    condition_text: str = Field(min_length=1, max_length=5000, description="适用条件")
    standard_text: str = Field(min_length=1, max_length=5000, description="具体标准")


class TierOut(Schema):
    order: int
    treatment: Treatment
    treatment_label: str
    severity: str
    severity_label: str
    fine_min: str | None
    fine_max: str | None
    condition_text: str
    standard_text: str


class StandardOut(Schema):
    id: int
    item_code: str
    item_name: str
    organization: OrgRef = Field(description="制定单位")
    level: StandardLevel
    level_label: str
    parent: int | None = Field(description="上级裁量基准的编号")
    title: str
    version: str
    violation: str
    legal_basis: str
    effective_from: dt.date
    effective_until: dt.date | None
    published_at: dt.datetime | None
    tiers: list[TierOut]


class StandardQuery(SearchQuery):
    published: bool | None = Field(None, description="true 仅已公布；false 仅未公布")
    item_code: str | None = Field(None, min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN)


class StandardIn(Schema):
    item_code: str = Field(min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN)
    organization: str = Field(min_length=1, max_length=64, description="制定单位代码")
    level: StandardLevel = StandardLevel.COUNTY
    parent: int | None = Field(None, ge=1, le=MAX_DB_INT, description="细化的上级基准编号")
    title: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=50)
    violation: str = Field(min_length=1, max_length=300)
    legal_basis: str = Field(min_length=1, max_length=5000)
    effective_from: dt.date
    effective_until: dt.date | None = None
    tiers: list[TierIn] = Field(min_length=1, max_length=20)


def standard_out(row: DiscretionStandard) -> dict[str, Any]:
    return {
        "id": row.pk,
        "item_code": row.item.code,
        "item_name": row.item.name,
        "organization": org_ref(row.organization),
        "level": row.level,
        "level_label": row.get_level_display(),
        "parent": row.parent_id,
        "title": row.title,
        "version": row.version,
        "violation": row.violation,
        "legal_basis": row.legal_basis,
        "effective_from": row.effective_from,
        "effective_until": row.effective_until,
        "published_at": row.published_at,
        "tiers": [
            {
                "order": t.order,
                "treatment": t.treatment,
                "treatment_label": _label(Treatment, t.treatment),
                "severity": t.severity,
                "severity_label": _label(Severity, t.severity) if t.severity else "",
                "fine_min": _money(t.fine_min),
                "fine_max": _money(t.fine_max),
                "condition_text": t.condition_text,
                "standard_text": t.standard_text,
            }
            for t in row.tiers.all()
        ],
    }


def _standards(user: User, search: str = "") -> Any:
    return selectors.standards_for(user, search=search).prefetch_related(
        Prefetch("tiers", queryset=DiscretionTier.objects.order_by("order", "pk"))
    )


def _get_standard(user: User, pk: int) -> DiscretionStandard:
    row = _standards(user).filter(pk=pk).first()
    if row is None:
        raise Http404("没有找到该裁量基准，或不在您的数据范围内")
    return row


@router.get(
    "/standards",
    response={200: Page[StandardOut], **responses(401, 403, 422)},
    summary="裁量基准列表（含裁量阶次）",
)
def list_standards(request: HttpRequest, q: Query[StandardQuery]) -> dict[str, Any]:
    qs = _standards(caller(request), q.search)
    if q.published is not None:
        qs = qs.filter(published_at__isnull=not q.published)
    if q.item_code:
        qs = qs.filter(item__code=q.item_code)
    return paginate(qs, q, standard_out)


@router.get(
    "/standards/{standard_id}",
    response={200: StandardOut, **responses(401, 403, 404, 422)},
    summary="裁量基准详情",
)
def get_standard(request: HttpRequest, standard_id: int = RowId) -> dict[str, Any]:
    return standard_out(_get_standard(caller(request), standard_id))


@router.post(
    "/standards",
    response={201: StandardOut, **responses(400, 401, 403, 409, 422)},
    summary="制定裁量基准",
    description=(
        "各阶次的罚款幅度应在法定幅度内（减轻处罚低于法定下限）；细化上级基准的，"
        "不能超出上级基准的阶次和幅度（国办发〔2022〕27号 二（五））。"
    ),
)
def create_standard(request: HttpRequest, payload: StandardIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, "catalog.manage")
    parent = None
    if payload.parent is not None:
        # A higher body's benchmark is relied on once published; a draft only within scope.
        parent = (
            DiscretionStandard.objects.filter(pk=payload.parent)
            .filter(Q(published_at__isnull=False) | Q(organization__in=visible_organizations(user)))
            .prefetch_related("tiers")
            .first()
        )
        if parent is None:
            raise CatalogValidationError("parent", f"上级裁量基准{payload.parent}不存在")
    row = services.create_standard(
        actor=user,
        item=_item_in_scope(user, payload.item_code),
        organization=_org_in_scope(user, payload.organization),
        level=payload.level.value,
        title=payload.title,
        version=payload.version,
        violation=payload.violation,
        legal_basis=payload.legal_basis,
        effective_from=payload.effective_from,
        effective_until=payload.effective_until,
        parent=parent,
        tiers=[
            TierInput(
                treatment=str(t.treatment),
                severity=str(t.severity) if t.severity else "",
                fine_min=t.fine_min,
                fine_max=t.fine_max,
                condition_text=t.condition_text,
                standard_text=t.standard_text,
            )
            for t in payload.tiers
        ],
    )
    return 201, standard_out(_get_standard(user, row.pk))


@router.post(
    "/standards/{standard_id}/publish",
    response={200: StandardOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="公布裁量基准（行政处罚法第三十四条）",
)
def publish_standard(request: HttpRequest, standard_id: int = RowId) -> dict[str, Any]:
    user = caller(request)
    require(user, "catalog.manage")
    services.publish_standard(actor=user, standard=_get_standard(user, standard_id))
    return standard_out(_get_standard(user, standard_id))


# --- /rules: 裁量计算器 --------------------------------------------------------------------------

rules_router = Router(tags=["裁量规则"])

EVALUATE_DESCRIPTION = """\
按行政处罚法、本地清单和裁量基准计算一个案件的处理（不予、减轻、从轻、一般、从重）、
剩余罚款幅度、追责时效和程序要求，并逐条给出审查记录（trace）和说理段落（paragraph）。

请求体即 `fazhi rules evaluate FACTS.json` 的 FACTS.json：事实字段（act_date、discovered_date、
party_kind、harm、corrected_in_time、prior_violation_dates、circumstances、severity、
proposed_fine 等）放在顶层或 `facts` 之下。给出 `item_code` 而不附 `item` 时，按数据库中该事项
（须在您的数据范围内或已公示）在违法行为发生之日（或 `on`）有效的已公布清单和裁量基准计算；
附 `item`（及 `entries`、`standard`）时按请求中的数据计算，不读数据库。
"""

EVALUATE_EXAMPLE = {
    "item_code": "SCJ-CF-001",
    "act_date": "2024-03-01",
    "discovered_date": "2024-04-01",
    "party_kind": "organization",
    "harm": "minor",
    "corrected_in_time": True,
}


FactsBody = Body(..., description="FACTS.json：案件事实（及可选的 item、entries、standard）")
OnDate = Query(None, description="按该日有效的清单和裁量基准（默认违法行为终了之日）")


def _facts_part(obj: dict[str, Any]) -> dict[str, Any]:
    inner = obj.get("facts")
    return inner if isinstance(inner, dict) else obj


@rules_router.post(
    "/evaluate",
    response={200: dict[str, Any], **responses(400, 401, 403, 422)},
    summary="裁量计算（不予、减轻、从轻、从重及程序要求）",
    description=EVALUATE_DESCRIPTION,
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"example": EVALUATE_EXAMPLE}},
        }
    },
)
def evaluate_rules(
    request: HttpRequest,
    payload: dict[str, Any] = FactsBody,
    on: dt.date | None = OnDate,
) -> dict[str, Any]:
    user = caller(request)
    require(user, "rules.evaluate")
    params = default_parameters()
    try:
        facts_obj = _facts_part(payload)
        code = facts_obj.get("item_code")
        if code and payload.get("item") is None:
            if not isinstance(code, str):
                raise LenienceInputError("字段“item_code”必须是文本。")
            facts = facts_from_json({k: v for k, v in facts_obj.items() if k not in RESERVED_KEYS})
            item = _rules_item(user, code)
            # 行政处罚法 第三十七条: the lists and benchmarks in force when the act ended.
            inputs = selectors.rules_inputs(item.code, on or facts.act_end)
            return evaluate_json(
                payload,
                params,
                item=ItemPenalty(inputs.statutory_fine, inputs.penalty_types),
                entries=inputs.entries,
                standard=inputs.standard,
            )
        return evaluate_json(payload, params)
    except LenienceInputError as exc:
        raise ApiError(
            422,
            "validation_error",
            f"请求参数不符合要求：{exc}",
            {"fields": {"body": [str(exc)]}},
        ) from exc
    except LenienceError as exc:
        raise ApiError(400, "invalid", str(exc)) from exc


def _rules_item(user: User, code: str) -> EnforcementItem:
    """An active item in the caller's scope, or any published one (delegated county items)."""
    item = selectors.items_for(user).filter(code=code, is_active=True).first()
    item = item or selectors.public_items().filter(code=code).first()
    if item is None:
        raise CatalogValidationError(
            "item_code", f"执法事项{code}不存在、已停用或不在您的数据范围内"
        )
    return item
