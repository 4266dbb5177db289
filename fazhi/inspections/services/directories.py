"""一单两库: the inspection item list, the entity and inspector directories, recusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from fazhi.catalog.conversions import CatalogValidationError, check_credit_code
from fazhi.catalog.models import EnforcementItem, Officer
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.inspections.models import (
    Entity,
    InspectionItem,
    Inspector,
    ItemKind,
    Relationship,
    RiskClass,
)
from fazhi.inspections.services._common import (
    InspectionError,
    _require_in_scope,
    _today,
    check_township,
    required_strings,
    required_text,
    valid_choice,
)
from fazhi.ledger.services import record as ledger_record

# --- 一单: the inspection item list ----------------------------------------------------------


@transaction.atomic
def save_item(
    *,
    actor: User,
    organization: Organization,
    code: str,
    name: str,
    kind: str,
    basis: str,
    qualification: str,
    content: str = "",
    method: str = "现场检查",
    catalog_items: Iterable[EnforcementItem] = (),
    item: InspectionItem | None = None,
    is_active: bool = True,
) -> InspectionItem:
    """Create (``item`` None) or change an item of a department's random-inspection list.

    58号 二（一）: no inspection without a legal basis, so the basis is required."""
    require(actor, "inspections.manage")
    _require_in_scope(actor, organization)
    if item is not None:
        item = (
            InspectionItem.objects.select_for_update()
            .select_related("organization")
            .get(pk=item.pk)
        )
        _require_in_scope(actor, item.organization)
    else:
        item = InspectionItem()
    code = required_text(code, "code", "事项编码")
    clash = InspectionItem.objects.filter(code=code).exclude(pk=item.pk)
    if clash.exists():
        raise InspectionError(f"事项编码“{code}”已被使用", "code")
    linked = list(catalog_items)
    foreign = [i.name for i in linked if i.organization_id != organization.pk]
    if foreign:
        raise InspectionError(
            f"执法事项“{'、'.join(foreign)}”不属于{organization.name}", "catalog_items"
        )
    created = item.pk is None
    item.organization = organization
    item.code = code
    item.name = required_text(name, "name", "抽查事项名称")
    item.kind = valid_choice(kind, ItemKind.values, "kind", "事项类别")
    item.basis = required_text(basis, "basis", "抽查依据（法律法规规章没有规定的，不得检查）")
    item.qualification = required_text(qualification, "qualification", "检查人员应具备的资格")
    item.content = (content or "").strip()
    item.method = required_text(method, "method", "抽查方式")
    item.is_active = is_active
    item.save()
    item.catalog_items.set(linked)
    ledger_record(
        stream="inspections.item",
        kind="inspections.item.created" if created else "inspections.item.updated",
        actor=actor,
        payload={
            "item": item.pk,
            "organization": organization.code,
            "code": item.code,
            "name": item.name,
            "kind": item.kind,
            "basis": item.basis,
            "qualification": item.qualification,
            "method": item.method,
            "catalog_items": sorted(i.code for i in linked),
            "is_active": item.is_active,
        },
    )
    return item


# --- 两库: entities and inspectors ----------------------------------------------------------


@transaction.atomic
def save_entity(
    *,
    actor: User,
    credit_code: str,
    name: str,
    industry: str,
    township: Organization,
    risk_class: str,
    kind: str = "",
    address: str = "",
    licences: Iterable[Any] = (),
    is_active: bool = True,
    entity: Entity | None = None,
) -> Entity:
    """Create (``entity`` None) or change an entity of the county-wide directory."""
    require(actor, "inspections.manage")
    try:
        code = check_credit_code((credit_code or "").strip())
    except CatalogValidationError as exc:
        raise InspectionError(exc.message, "credit_code") from None
    if entity is not None:
        entity = Entity.objects.select_for_update().get(pk=entity.pk)
    else:
        entity = Entity()
    if Entity.objects.filter(credit_code=code).exclude(pk=entity.pk).exists():
        raise InspectionError(f"统一社会信用代码“{code}”已在名录库中", "credit_code")
    if township is None:
        raise InspectionError("请选择所在乡镇", "township")
    check_township(actor, township)
    created = entity.pk is None
    entity.credit_code = code
    entity.name = required_text(name, "name", "名称")
    entity.industry = required_text(industry, "industry", "行业")
    entity.township = township
    entity.risk_class = valid_choice(risk_class, RiskClass.values, "risk_class", "信用风险分类")
    entity.kind = (kind or "").strip()
    entity.address = (address or "").strip()
    entity.licences = [str(x).strip() if not isinstance(x, dict) else x for x in licences]
    entity.is_active = is_active
    entity.save()
    ledger_record(
        stream="inspections.entity",
        kind="inspections.entity.created" if created else "inspections.entity.updated",
        actor=actor,
        payload={
            "entity": entity.pk,
            "credit_code": code,
            "name": entity.name,
            "industry": entity.industry,
            "township": township.code,
            "risk_class": entity.risk_class,
            "is_active": is_active,
        },
    )
    return entity


@transaction.atomic
def save_inspector(
    *,
    actor: User,
    officer: Officer,
    qualifications: Iterable[str],
    township: Organization | None = None,
    is_active: bool = True,
    on: dt.date | None = None,
) -> Inspector:
    """Put an officer in the inspector directory, or change his or her entry.

    Only an officer whose certificate is valid on the day of the entry (``on``, today unless
    a past entry is recorded) may be active in the directory (行政处罚法 第四十二条); the draw
    checks again when it freezes the inspector pool."""
    require(actor, "inspections.manage")
    officer = Officer.objects.select_related("organization").get(pk=officer.pk)
    _require_in_scope(actor, officer.organization)
    if is_active:
        if on is not None and on > _today():
            raise InspectionError("登记日期不能晚于今天", "on")
        problem = officer.certificate_problem(on or _today())
        if problem:
            raise InspectionError(problem, "officer")
    quals = required_strings(qualifications, "qualifications", "检查资格（执法领域）")
    check_township(actor, township)
    inspector = Inspector.objects.select_for_update().filter(officer=officer).first()
    created = inspector is None
    inspector = inspector or Inspector(officer=officer)
    inspector.qualifications = quals
    inspector.township = township
    inspector.is_active = is_active
    inspector.save()
    ledger_record(
        stream="inspections.inspector",
        kind="inspections.inspector.created" if created else "inspections.inspector.updated",
        actor=actor,
        payload={
            "inspector": inspector.pk,
            "certificate": officer.certificate_number,
            "name": officer.name,
            "organization": officer.organization.code,
            "qualifications": quals,
            "township": township.code if township else "",
            "is_active": is_active,
        },
    )
    return inspector


def _may_change_relationships(actor: User, inspector: Inspector) -> None:
    """The inspector him- or herself declares (回避 is a duty of the person), or a manager of
    the inspector's department."""
    if inspector.officer.user_id is not None and inspector.officer.user_id == actor.pk:
        require(actor, "inspections.view")
        return
    require(actor, "inspections.manage")
    _require_in_scope(actor, inspector.officer.organization)


@transaction.atomic
def declare_relationship(
    *, actor: User, inspector: Inspector, entity: Entity, description: str
) -> Relationship:
    """Record that ``inspector`` has a relationship with ``entity``: never drawn for it
    (行政处罚法 第四十三条)."""
    inspector = (
        Inspector.objects.select_for_update()
        .select_related("officer", "officer__organization")
        .get(pk=inspector.pk)
    )
    _may_change_relationships(actor, inspector)
    description = required_text(description, "description", "关系说明")
    if Relationship.objects.filter(inspector=inspector, entity=entity).exists():
        raise InspectionError(f"已申报与“{entity.name}”的关系", "entity")
    relationship = Relationship.objects.create(
        inspector=inspector, entity=entity, description=description
    )
    ledger_record(
        stream="inspections.inspector",
        kind="inspections.relationship.declared",
        actor=actor,
        payload={
            "relationship": relationship.pk,
            "certificate": inspector.officer.certificate_number,
            "credit_code": entity.credit_code,
            "description": description,
        },
    )
    return relationship


@transaction.atomic
def remove_relationship(*, actor: User, relationship: Relationship) -> None:
    """Withdraw a declared relationship (only a manager: the recusal protects the entity too)."""
    relationship = (
        Relationship.objects.select_for_update()
        .select_related("inspector__officer__organization", "entity")
        .get(pk=relationship.pk)
    )
    require(actor, "inspections.manage")
    _require_in_scope(actor, relationship.inspector.officer.organization)
    payload = {
        "relationship": relationship.pk,
        "certificate": relationship.inspector.officer.certificate_number,
        "credit_code": relationship.entity.credit_code,
        "description": relationship.description,
    }
    relationship.delete()
    ledger_record(
        stream="inspections.inspector",
        kind="inspections.relationship.removed",
        actor=actor,
        payload=payload,
    )
