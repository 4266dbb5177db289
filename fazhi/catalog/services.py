"""Every write of the enforcement catalog (ARCHITECTURE §5 rule 1).

Keyword-only, an actor, atomic, permission- and scope-checked, exactly one ledger event each.
Published lists and benchmarks are immutable: a change is a new version (AP-34: benchmarks are
published, so what was published must stay what it was).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.catalog.conversions import (
    CatalogValidationError,
    TierInput,
    check_credit_code,
    check_fine_range,
    check_penalty_types,
    check_tiers,
    conditions_from_json,
    conditions_to_json,
    statutory_fine,
    tier_inputs,
)
from fazhi.catalog.models import (
    Delegation,
    DelegationConclusion,
    DelegationEvaluation,
    DiscretionStandard,
    DiscretionTier,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
    OfficerStatus,
    ShadowingAssignment,
    StandardLevel,
    TrainingKind,
    TrainingRecord,
)
from fazhi.core.choices import EnforcementBasis, OrgKind
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.ledger.services import record
from fazhi.rules.enforcement import ItemCategory, ListKind

ITEM_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


def require_in_scope(actor: User, org: Organization) -> None:
    """Refuse a write for an organization outside the actor's data scope."""
    if not visible_organizations(actor).filter(pk=org.pk).exists():
        raise DomainError(f"“{org.name}”不在您的数据范围内")


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CatalogValidationError(field, f"请填写{label}")
    return value


def _dates(start: dt.date, end: dt.date | None, label: str = "失效日期") -> None:
    if end is not None and end < start:
        raise CatalogValidationError("effective_until", f"{label}不能早于施行日期")


def _save_unique(obj: models.Model, conflict: str) -> None:
    """Save in a savepoint; a unique constraint refusing the row becomes ``conflict`` (409)."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ConflictError(conflict) from exc


def _choice(value: str, allowed: Iterable[str], field: str, label: str) -> str:
    if value not in set(allowed):
        raise CatalogValidationError(field, f"{label}“{value}”无效")
    return value


# --- 执法主体 ------------------------------------------------------------------------------


def _body_payload(body: EnforcementBody) -> dict[str, object]:
    return {
        "organization": body.organization.code,
        "kind": body.organization.enforcement_basis,
        "credit_code": body.credit_code,
        "authority_basis": body.authority_basis,
        "entrusting_organization": (
            body.entrusting_organization.code if body.entrusting_organization else None
        ),
        "is_active": body.is_active,
    }


def check_body(organization: Organization, entrusting_organization: Organization | None) -> None:
    basis = organization.enforcement_basis
    if not basis:
        raise CatalogValidationError(
            "organization",
            f"“{organization.name}”未登记执法主体资格（法定、受委托或授权），不能作为执法主体",
        )
    if basis == EnforcementBasis.ENTRUSTED:
        # 行政处罚法 第二十条: the entrusting body is a 行政机关 and answers for the entrusted acts.
        if entrusting_organization is None:
            raise CatalogValidationError("entrusting_organization", "受委托组织应填写委托机关")
        if entrusting_organization.enforcement_basis != EnforcementBasis.STATUTORY:
            raise CatalogValidationError("entrusting_organization", "委托机关应为法定行政执法机关")
    elif entrusting_organization is not None:
        raise CatalogValidationError("entrusting_organization", "只有受委托组织才填写委托机关")


@transaction.atomic
def register_body(
    *,
    actor: User,
    organization: Organization,
    credit_code: str,
    authority_basis: str,
    entrusting_organization: Organization | None = None,
) -> EnforcementBody:
    require(actor, "catalog.manage_bodies")
    require_in_scope(actor, organization)
    check_body(organization, entrusting_organization)
    if EnforcementBody.objects.filter(organization=organization).exists():
        raise ConflictError(f"“{organization.name}”已登记为执法主体")
    body = EnforcementBody(
        organization=organization,
        credit_code=check_credit_code(credit_code),
        authority_basis=_required(authority_basis, "authority_basis", "执法主体资格依据"),
        entrusting_organization=entrusting_organization,
    )
    _save_unique(body, f"统一社会信用代码{body.credit_code}已被其他执法主体使用")
    record(
        stream="catalog.body",
        kind="catalog.body.registered",
        actor=actor,
        payload=_body_payload(body),
    )
    return body


@transaction.atomic
def update_body(
    *,
    actor: User,
    body: EnforcementBody,
    credit_code: str,
    authority_basis: str,
    entrusting_organization: Organization | None,
    is_active: bool,
) -> EnforcementBody:
    require(actor, "catalog.manage_bodies")
    body = (
        EnforcementBody.objects.select_for_update().select_related("organization").get(pk=body.pk)
    )
    require_in_scope(actor, body.organization)
    check_body(body.organization, entrusting_organization)
    body.credit_code = check_credit_code(credit_code)
    body.authority_basis = _required(authority_basis, "authority_basis", "执法主体资格依据")
    body.entrusting_organization = entrusting_organization
    body.is_active = is_active
    _save_unique(body, f"统一社会信用代码{body.credit_code}已被其他执法主体使用")
    record(
        stream="catalog.body", kind="catalog.body.updated", actor=actor, payload=_body_payload(body)
    )
    return body


# --- 执法人员 ------------------------------------------------------------------------------


def _officer_payload(officer: Officer) -> dict[str, object]:
    return {
        "certificate_number": officer.certificate_number,
        "organization": officer.organization.code,
        "name": officer.name,
        "issuing_authority": officer.issuing_authority,
        "valid_from": officer.valid_from.isoformat(),
        "valid_until": officer.valid_until.isoformat(),
        "fields": officer.fields,
        "status": officer.status,
        "user": officer.user.username if officer.user else None,
    }


def fill_officer(
    officer: Officer,
    *,
    organization: Organization,
    name: str,
    certificate_number: str,
    issuing_authority: str,
    valid_from: dt.date,
    valid_until: dt.date,
    fields: str,
    user: User | None,
) -> None:
    if not organization.enforcement_basis:
        raise CatalogValidationError(
            "organization", f"“{organization.name}”不是执法主体，不能登记执法人员"
        )
    if valid_until < valid_from:
        raise CatalogValidationError("valid_until", "执法证有效期至不能早于有效期起")
    number = _required(certificate_number, "certificate_number", "执法证号")
    if not re.fullmatch(r"[0-9A-Za-z-]{4,32}", number):
        raise CatalogValidationError("certificate_number", "执法证号应为4至32位数字、字母或连字符")
    officer.organization = organization
    officer.name = _required(name, "name", "姓名")
    officer.certificate_number = number
    officer.issuing_authority = _required(issuing_authority, "issuing_authority", "发证机关")
    officer.valid_from = valid_from
    officer.valid_until = valid_until
    officer.fields = fields.strip()
    officer.user = user


@transaction.atomic
def create_officer(
    *,
    actor: User,
    organization: Organization,
    name: str,
    certificate_number: str,
    issuing_authority: str,
    valid_from: dt.date,
    valid_until: dt.date,
    fields: str = "",
    user: User | None = None,
) -> Officer:
    require(actor, "catalog.manage_officers")
    require_in_scope(actor, organization)
    officer = Officer()
    fill_officer(
        officer,
        organization=organization,
        name=name,
        certificate_number=certificate_number,
        issuing_authority=issuing_authority,
        valid_from=valid_from,
        valid_until=valid_until,
        fields=fields,
        user=user,
    )
    _save_unique(officer, f"执法证号{officer.certificate_number}已登记")
    record(
        stream="catalog.officer",
        kind="catalog.officer.created",
        actor=actor,
        payload=_officer_payload(officer),
    )
    return officer


@transaction.atomic
def update_officer(
    *,
    actor: User,
    officer: Officer,
    organization: Organization,
    name: str,
    certificate_number: str,
    issuing_authority: str,
    valid_from: dt.date,
    valid_until: dt.date,
    fields: str = "",
    user: User | None = None,
) -> Officer:
    require(actor, "catalog.manage_officers")
    officer = Officer.objects.select_for_update().select_related("organization").get(pk=officer.pk)
    require_in_scope(actor, officer.organization)
    require_in_scope(actor, organization)
    fill_officer(
        officer,
        organization=organization,
        name=name,
        certificate_number=certificate_number,
        issuing_authority=issuing_authority,
        valid_from=valid_from,
        valid_until=valid_until,
        fields=fields,
        user=user,
    )
    _save_unique(officer, f"执法证号{officer.certificate_number}已登记")
    record(
        stream="catalog.officer",
        kind="catalog.officer.updated",
        actor=actor,
        payload=_officer_payload(officer),
    )
    return officer


@transaction.atomic
def set_officer_status(*, actor: User, officer: Officer, status: str, reason: str) -> Officer:
    """暂扣 / 注销 / 恢复 a certificate; a suspended or revoked one blocks new assignments."""
    require(actor, "catalog.manage_officers")
    officer = Officer.objects.select_for_update().select_related("organization").get(pk=officer.pk)
    require_in_scope(actor, officer.organization)
    _choice(status, OfficerStatus.values, "status", "证件状态")
    if status != OfficerStatus.ACTIVE:
        reason = _required(reason, "status_reason", "暂扣或注销的原因")
    officer.status = status
    officer.status_reason = reason.strip()
    officer.save(update_fields=["status", "status_reason", "updated_at"])
    record(
        stream="catalog.officer",
        kind="catalog.officer.status_changed",
        actor=actor,
        payload={
            "certificate_number": officer.certificate_number,
            "status": status,
            "reason": officer.status_reason,
        },
    )
    return officer


@transaction.atomic
def record_training(
    *, actor: User, officer: Officer, kind: str, title: str, held_on: dt.date, hours: Decimal
) -> TrainingRecord:
    require(actor, "catalog.manage_officers")
    require_in_scope(actor, officer.organization)
    _choice(kind, TrainingKind.values, "kind", "培训类型")
    if hours <= 0 or hours > 200:
        raise CatalogValidationError("hours", "学时应大于0且不超过200")
    training = TrainingRecord.objects.create(
        officer=officer,
        kind=kind,
        title=_required(title, "title", "培训名称"),
        held_on=held_on,
        hours=hours,
    )
    record(
        stream="catalog.officer",
        kind="catalog.officer.training_recorded",
        actor=actor,
        payload={
            "certificate_number": officer.certificate_number,
            "kind": kind,
            "title": training.title,
            "held_on": held_on.isoformat(),
            "hours": str(hours),
        },
    )
    return training


@transaction.atomic
def assign_shadowing(
    *, actor: User, officer: Officer, mentor: Officer, case_reference: str, started_on: dt.date
) -> ShadowingAssignment:
    """跟案学习: the mentor must hold a certificate that is valid on the start date."""
    require(actor, "catalog.manage_officers")
    require_in_scope(actor, officer.organization)
    if mentor.pk == officer.pk:
        raise CatalogValidationError("mentor", "带教人员不能是学习人员本人")
    problem = mentor.certificate_problem(started_on)
    if problem:
        raise CatalogValidationError("mentor", problem)
    assignment = ShadowingAssignment.objects.create(
        officer=officer,
        mentor=mentor,
        case_reference=_required(case_reference, "case_reference", "跟学案件"),
        started_on=started_on,
    )
    record(
        stream="catalog.officer",
        kind="catalog.officer.shadowing_assigned",
        actor=actor,
        payload={
            "officer": officer.certificate_number,
            "mentor": mentor.certificate_number,
            "case_reference": assignment.case_reference,
            "started_on": started_on.isoformat(),
        },
    )
    return assignment


# --- 执法事项 ------------------------------------------------------------------------------


def item_payload(item: EnforcementItem) -> dict[str, object]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "organization": item.organization.code,
        "basis": item.citation,
        "penalty_types": list(item.penalty_types),
        "fine_basis": item.fine_basis,
        "fine_min": None if item.fine_min is None else str(item.fine_min),
        "fine_max": None if item.fine_max is None else str(item.fine_max),
        "effective_from": item.effective_from.isoformat(),
        "is_active": item.is_active,
    }


def fill_item(
    item: EnforcementItem,
    *,
    code: str,
    name: str,
    category: str,
    organization: Organization,
    basis_law: str,
    basis_article: str,
    basis_paragraph: str = "",
    basis_text: str = "",
    penalty_types: Sequence[str] = (),
    fine_basis: str = "",
    fine_min: Decimal | None = None,
    fine_max: Decimal | None = None,
    effective_from: dt.date | None = None,
) -> None:
    """Validate and set an item's fields (shared by the services and the Excel import)."""
    code = _required(code, "code", "事项编码")
    if not ITEM_CODE_RE.fullmatch(code):
        raise CatalogValidationError(
            "code", "事项编码只能包含数字、字母、点、下划线和连字符，最长64位"
        )
    _choice(category, [str(c) for c in ItemCategory], "category", "事项类别")
    if not organization.enforcement_basis:
        raise CatalogValidationError(
            "organization", f"“{organization.name}”不是执法主体，不能作为执法事项的实施主体"
        )
    types = check_penalty_types(penalty_types)
    if types and category != ItemCategory.PENALTY:
        raise CatalogValidationError("penalty_types", "只有行政处罚事项才填写处罚种类")
    if fine_basis:
        _choice(fine_basis, ["amount", "multiple"], "fine_basis", "罚款表述")
    fine = check_fine_range(fine_basis, fine_min, fine_max)
    if fine is not None and "fine" not in types:
        raise CatalogValidationError("penalty_types", "填写了罚款幅度，处罚种类应包含“罚款”")
    item.code = code
    item.name = _required(name, "name", "事项名称")
    item.category = category
    item.organization = organization
    # 行政处罚法 第三十八条: a penalty without a legal basis is void, so the basis is mandatory.
    item.basis_law = _required(basis_law, "basis_law", "法律依据（法律法规名称）")
    item.basis_article = _required(basis_article, "basis_article", "法律依据的条")
    item.basis_paragraph = basis_paragraph.strip()
    item.basis_text = basis_text.strip()
    item.penalty_types = types
    item.fine_basis = fine_basis
    item.fine_min = fine_min
    item.fine_max = fine_max
    item.effective_from = effective_from or item.effective_from or timezone.localdate()


@transaction.atomic
def create_item(*, actor: User, organization: Organization, **fields: Any) -> EnforcementItem:
    require(actor, "catalog.manage")
    require_in_scope(actor, organization)
    item = EnforcementItem()
    fill_item(item, organization=organization, **fields)
    _save_unique(item, f"事项编码{item.code}已存在")
    record(
        stream="catalog.item", kind="catalog.item.created", actor=actor, payload=item_payload(item)
    )
    return item


@transaction.atomic
def update_item(
    *, actor: User, item: EnforcementItem, organization: Organization, **fields: Any
) -> EnforcementItem:
    require(actor, "catalog.manage")
    item = (
        EnforcementItem.objects.select_for_update().select_related("organization").get(pk=item.pk)
    )
    require_in_scope(actor, item.organization)
    require_in_scope(actor, organization)
    fill_item(item, organization=organization, **fields)
    _save_unique(item, f"事项编码{item.code}已存在")
    record(
        stream="catalog.item", kind="catalog.item.updated", actor=actor, payload=item_payload(item)
    )
    return item


@transaction.atomic
def set_item_active(*, actor: User, item: EnforcementItem, is_active: bool) -> EnforcementItem:
    require(actor, "catalog.manage")
    item = (
        EnforcementItem.objects.select_for_update().select_related("organization").get(pk=item.pk)
    )
    require_in_scope(actor, item.organization)
    item.is_active = is_active
    item.save(update_fields=["is_active", "updated_at"])
    record(
        stream="catalog.item",
        kind="catalog.item.activated" if is_active else "catalog.item.deactivated",
        actor=actor,
        payload={"code": item.code},
    )
    return item


@transaction.atomic
def publish_items(*, actor: User, items: Iterable[EnforcementItem]) -> int:
    """事前公示 (118号 二（四）): make items visible on the portal; one event for the batch."""
    require(actor, "catalog.manage")
    scope = visible_organizations(actor)
    pks = [i.pk for i in items]
    rows = EnforcementItem.objects.select_for_update().filter(
        pk__in=pks, is_active=True, published_at__isnull=True
    )
    outside = rows.exclude(organization__in=scope)
    if outside.exists():
        raise DomainError(f"事项{outside.first()}不在您的数据范围内")
    codes = list(rows.values_list("code", flat=True))
    if not codes:
        return 0
    now = timezone.now()
    EnforcementItem.objects.filter(code__in=codes).update(published_at=now, updated_at=now)
    record(
        stream="catalog.item",
        kind="catalog.item.published",
        actor=actor,
        payload={"codes": codes, "count": len(codes), "published_at": now.isoformat()},
    )
    return len(codes)


@transaction.atomic
def delegate_item(
    *,
    actor: User,
    item: EnforcementItem,
    township: Organization,
    decided_on: dt.date,
    document_number: str,
) -> Delegation:
    """下放乡镇: a county item exercised by a township (itself an enforcement body)."""
    require(actor, "catalog.manage_bodies")
    require_in_scope(actor, township)
    if township.kind != OrgKind.TOWNSHIP:
        raise CatalogValidationError("township", f"“{township.name}”不是乡镇人民政府")
    if not township.enforcement_basis:
        raise CatalogValidationError("township", f"“{township.name}”尚无执法主体资格")
    if not item.is_active:
        raise CatalogValidationError("item", f"执法事项{item.code}已停用，不能下放")
    if item.organization.kind == OrgKind.TOWNSHIP:
        raise CatalogValidationError("item", "该事项已由乡镇实施，不是县级事项")
    try:
        with transaction.atomic():
            delegation = Delegation.objects.create(
                item=item,
                township=township,
                decided_on=decided_on,
                document_number=_required(document_number, "document_number", "下放文件文号"),
            )
    except IntegrityError as exc:
        raise ConflictError(f"事项{item.code}已下放至{township.name}") from exc
    record(
        stream="catalog.delegation",
        kind="catalog.delegation.created",
        actor=actor,
        payload={
            "item": item.code,
            "township": township.code,
            "decided_on": decided_on.isoformat(),
            "document_number": delegation.document_number,
        },
    )
    return delegation


@transaction.atomic
def evaluate_delegation(
    *,
    actor: User,
    delegation: Delegation,
    evaluated_on: dt.date,
    conclusion: str,
    opinion: str,
) -> DelegationEvaluation:
    """Record an evaluation; a 收回 conclusion ends the delegation."""
    require(actor, "catalog.manage_bodies")
    delegation = (
        Delegation.objects.select_for_update()
        .select_related("item", "township")
        .get(pk=delegation.pk)
    )
    require_in_scope(actor, delegation.township)
    _choice(conclusion, DelegationConclusion.values, "conclusion", "评估结论")
    if evaluated_on < delegation.decided_on:
        raise CatalogValidationError("evaluated_on", "评估日期不能早于下放日期")
    evaluation = DelegationEvaluation.objects.create(
        delegation=delegation,
        evaluated_on=evaluated_on,
        conclusion=conclusion,
        opinion=_required(opinion, "opinion", "评估意见"),
    )
    if conclusion == DelegationConclusion.WITHDRAW and delegation.is_active:
        delegation.is_active = False
        delegation.save(update_fields=["is_active", "updated_at"])
    record(
        stream="catalog.delegation",
        kind="catalog.delegation.evaluated",
        actor=actor,
        payload={
            "item": delegation.item.code,
            "township": delegation.township.code,
            "evaluated_on": evaluated_on.isoformat(),
            "conclusion": conclusion,
        },
    )
    return evaluation


# --- 四张清单 / 首违不罚 -------------------------------------------------------------------------


def _list_payload(lst: LenientList) -> dict[str, object]:
    return {
        "id": lst.pk,
        "kind": lst.kind,
        "title": lst.title,
        "organization": lst.organization.code,
        "version": lst.version,
        "document_number": lst.document_number,
        "effective_from": lst.effective_from.isoformat(),
        "effective_until": lst.effective_until.isoformat() if lst.effective_until else None,
    }


def check_list(
    *, kind: str, title: str, version: str, effective_from: dt.date, effective_until: dt.date | None
) -> None:
    """A list version's own fields (shared by the services and the Excel import)."""
    _choice(kind, [str(k) for k in ListKind], "kind", "清单类型")
    _required(title, "title", "清单名称")
    _required(version, "version", "版本")
    _dates(effective_from, effective_until)


@transaction.atomic
def create_list(
    *,
    actor: User,
    kind: str,
    title: str,
    organization: Organization,
    version: str,
    effective_from: dt.date,
    effective_until: dt.date | None = None,
    document_number: str = "",
) -> LenientList:
    require(actor, "catalog.manage")
    require_in_scope(actor, organization)
    check_list(
        kind=kind,
        title=title,
        version=version,
        effective_from=effective_from,
        effective_until=effective_until,
    )
    lst = LenientList(
        kind=kind,
        title=title.strip(),
        organization=organization,
        version=version.strip(),
        document_number=document_number.strip(),
        effective_from=effective_from,
        effective_until=effective_until,
    )
    _save_unique(lst, f"{organization.name}的该类清单已有“{lst.version}”版本")
    record(
        stream="catalog.list", kind="catalog.list.created", actor=actor, payload=_list_payload(lst)
    )
    return lst


def _editable_list(actor: User, lenient_list: LenientList) -> LenientList:
    lst = (
        LenientList.objects.select_for_update()
        .select_related("organization")
        .get(pk=lenient_list.pk)
    )
    require_in_scope(actor, lst.organization)
    if lst.published_at is not None:
        raise ConflictError(f"{lst}已公布，不能再修改，请制定新版本")
    return lst


def check_entry(
    *,
    lenient_list: LenientList,
    item: EnforcementItem,
    violation: str,
    legal_basis: str,
    condition_text: str,
    conditions: Mapping[str, Any],
) -> dict[str, Any]:
    """Validate one entry (services and import); returns the normalized structured conditions."""
    if not item.is_active:
        raise CatalogValidationError("item", f"执法事项{item.code}已停用")
    kind = ListKind(lenient_list.kind)
    if kind is ListKind.NO_COERCION:
        if item.category not in (ItemCategory.COERCION, ItemCategory.PENALTY):
            raise CatalogValidationError(
                "item", f"免予行政强制清单只能列入行政强制或行政处罚事项，{item.code}不是"
            )
    elif item.category != ItemCategory.PENALTY:
        raise CatalogValidationError(
            "item", f"{kind.label_zh}只能列入行政处罚事项，{item.code}不是"
        )
    _required(violation, "violation", "违法行为")
    _required(legal_basis, "legal_basis", "法律依据")
    _required(condition_text, "condition_text", "适用条件")
    parsed = conditions_from_json(conditions)
    # 第三十三条第一款后句: a first-violation entry is, by definition, about a first violation.
    if kind is ListKind.FIRST_VIOLATION and not parsed.requires_first_violation:
        raise CatalogValidationError("conditions", "首违不罚清单事项的适用条件应包含“初次违法”")
    return conditions_to_json(parsed)


@transaction.atomic
def add_list_entry(
    *,
    actor: User,
    lenient_list: LenientList,
    item: EnforcementItem,
    number: int,
    violation: str,
    legal_basis: str,
    condition_text: str,
    conditions: Mapping[str, Any],
) -> LenientListEntry:
    require(actor, "catalog.manage")
    lst = _editable_list(actor, lenient_list)
    require_in_scope(actor, item.organization)
    if number < 1:
        raise CatalogValidationError("number", "序号应为正整数")
    normalized = check_entry(
        lenient_list=lst,
        item=item,
        violation=violation,
        legal_basis=legal_basis,
        condition_text=condition_text,
        conditions=conditions,
    )
    try:
        with transaction.atomic():
            entry = LenientListEntry.objects.create(
                lenient_list=lst,
                number=number,
                item=item,
                organization=item.organization,
                violation=violation.strip(),
                legal_basis=legal_basis.strip(),
                condition_text=condition_text.strip(),
                conditions=normalized,
            )
    except IntegrityError as exc:
        raise ConflictError(f"{lst}中已有第{number}项") from exc
    record(
        stream="catalog.list",
        kind="catalog.list.entry_added",
        actor=actor,
        payload={"list": lst.pk, "number": number, "item": item.code, "conditions": normalized},
    )
    return entry


@transaction.atomic
def remove_list_entry(*, actor: User, entry: LenientListEntry) -> None:
    require(actor, "catalog.manage")
    lst = _editable_list(actor, entry.lenient_list)
    payload = {"list": lst.pk, "number": entry.number, "item": entry.item.code}
    entry.delete()
    record(stream="catalog.list", kind="catalog.list.entry_removed", actor=actor, payload=payload)


@transaction.atomic
def publish_list(*, actor: User, lenient_list: LenientList) -> LenientList:
    """公布 a list version: from now on it is immutable and shown on the portal (AP-34)."""
    require(actor, "catalog.manage")
    lst = _editable_list(actor, lenient_list)
    count = lst.entries.count()
    if count == 0:
        raise DomainError("清单没有事项，不能公布")
    lst.published_at = timezone.now()
    lst.save(update_fields=["published_at", "updated_at"])
    record(
        stream="catalog.list",
        kind="catalog.list.published",
        actor=actor,
        payload={**_list_payload(lst), "entries": count},
    )
    return lst


# --- 裁量基准 ----------------------------------------------------------------------------------


def check_standard(
    *,
    item: EnforcementItem,
    parent: DiscretionStandard | None,
    level: str,
    violation: str,
    legal_basis: str,
    effective_from: dt.date,
    effective_until: dt.date | None,
    tiers: Sequence[TierInput],
) -> None:
    """DB-6 required fields and DB-5 refinement (shared by the services and the import)."""
    _choice(level, StandardLevel.values, "level", "制定层级")
    _required(violation, "violation", "违法行为")
    _required(legal_basis, "legal_basis", "法定依据")
    _dates(effective_from, effective_until)
    if item.category != ItemCategory.PENALTY:
        raise CatalogValidationError("item", f"裁量基准只适用于行政处罚事项，{item.code}不是")
    if parent is not None and parent.item_id != item.pk:
        raise CatalogValidationError("parent", "上级裁量基准应针对同一执法事项")
    # DB-4/DB-5 (国办发〔2022〕27号 二（四）、二（五）): a benchmark refines a *higher* body's one.
    # StandardLevel lists the levels from national down to county.
    rank = StandardLevel.values.index
    if parent is not None and rank(parent.level) >= rank(level):
        raise CatalogValidationError(
            "parent",
            f"上级裁量基准的制定层级（{StandardLevel(parent.level).label}）应高于本基准的制定层级"
            f"（{StandardLevel(level).label}）",
        )
    if parent is None:
        # DB-5: 上级行政机关已经制定行政裁量权基准的，下级行政机关原则上应直接适用. A lower
        # body may only refine it, so a lower benchmark must name the higher one as its parent.
        higher = (
            DiscretionStandard.objects.filter(
                item=item,
                published_at__isnull=False,
                level__in=StandardLevel.values[: rank(level)],
                effective_from__lte=effective_from,
            )
            .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=effective_from))
            .first()
        )
        if higher is not None:
            raise CatalogValidationError(
                "parent",
                f"该事项已有上级裁量基准{higher}，下级只能在其阶次和幅度内细化，请选择它作为上级基准"
                "（国办发〔2022〕27号 二（五））",
            )
    check_tiers(
        tiers,
        statutory=statutory_fine(item),
        parent_tiers=tier_inputs(parent) if parent is not None else None,
    )


@transaction.atomic
def create_standard(
    *,
    actor: User,
    item: EnforcementItem,
    organization: Organization,
    level: str,
    title: str,
    version: str,
    violation: str,
    legal_basis: str,
    effective_from: dt.date,
    tiers: Sequence[TierInput],
    effective_until: dt.date | None = None,
    parent: DiscretionStandard | None = None,
) -> DiscretionStandard:
    require(actor, "catalog.manage")
    require_in_scope(actor, organization)
    # The benchmark binds the item's own enforcement body (rules_inputs picks the most local
    # one), so a department may not write one for another department's item.
    require_in_scope(actor, item.organization)
    check_standard(
        item=item,
        parent=parent,
        level=level,
        violation=violation,
        legal_basis=legal_basis,
        effective_from=effective_from,
        effective_until=effective_until,
        tiers=tiers,
    )
    standard = DiscretionStandard(
        item=item,
        organization=organization,
        level=level,
        parent=parent,
        title=_required(title, "title", "基准名称"),
        version=_required(version, "version", "版本"),
        violation=violation.strip(),
        legal_basis=legal_basis.strip(),
        effective_from=effective_from,
        effective_until=effective_until,
    )
    _save_unique(
        standard, f"{organization.name}对事项{item.code}已有“{standard.version}”版本的裁量基准"
    )
    DiscretionTier.objects.bulk_create(
        DiscretionTier(
            standard=standard,
            order=n,
            treatment=t.treatment,
            severity=t.severity,
            fine_min=t.fine_min,
            fine_max=t.fine_max,
            condition_text=t.condition_text.strip(),
            standard_text=t.standard_text.strip(),
        )
        for n, t in enumerate(tiers)
    )
    record(
        stream="catalog.standard",
        kind="catalog.standard.created",
        actor=actor,
        payload={
            "id": standard.pk,
            "item": item.code,
            "organization": organization.code,
            "level": level,
            "version": standard.version,
            "parent": parent.pk if parent else None,
            "tiers": [
                {
                    "treatment": t.treatment,
                    "severity": t.severity,
                    "fine_min": None if t.fine_min is None else str(t.fine_min),
                    "fine_max": None if t.fine_max is None else str(t.fine_max),
                }
                for t in tiers
            ],
        },
    )
    return standard


@transaction.atomic
def publish_standard(*, actor: User, standard: DiscretionStandard) -> DiscretionStandard:
    """行政处罚法 第三十四条: 裁量基准应当向社会公布."""
    require(actor, "catalog.manage")
    row = (
        DiscretionStandard.objects.select_for_update()
        .select_related("organization", "item")
        .get(pk=standard.pk)
    )
    require_in_scope(actor, row.organization)
    if row.published_at is not None:
        raise ConflictError(f"{row}已公布")
    row.published_at = timezone.now()
    row.save(update_fields=["published_at", "updated_at"])
    record(
        stream="catalog.standard",
        kind="catalog.standard.published",
        actor=actor,
        payload={"id": row.pk, "item": row.item.code, "version": row.version},
    )
    return row
