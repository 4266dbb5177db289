"""Annual plans (departmental and joint) and their tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from fazhi.core.errors import ConflictError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.inspections.models import (
    InspectionItem,
    Plan,
    PlanKind,
    PlanStatus,
    Task,
)
from fazhi.inspections.services._common import (
    InspectionError,
    _lock_plan,
    _plan_stream,
    _ratios,
    _require_in_scope,
    _today,
    required_text,
    valid_choice,
)
from fazhi.ledger.services import record as ledger_record

# --- plans and tasks --------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor: User,
    organization: Organization,
    kind: str,
    year: int,
    number: str,
    title: str,
    items: Sequence[InspectionItem],
    ratios: Mapping[str, Any] | None,
    starts_on: dt.date,
    ends_on: dt.date,
    departments: Iterable[Organization] = (),
    industries: Iterable[str] = (),
) -> Plan:
    """An annual plan: a department's own (部门抽查计划) or a joint one (部门联合抽查计划, one
    plan led by ``organization``, several ``departments``, one visit per entity — 58号 三（三）).

    ``ratios``: item kind → risk class → fraction (Decimal strings), or the flat risk class →
    fraction for both kinds; empty for the parameter's defaults (see ``_ratios``)."""
    require(actor, "inspections.manage")
    _require_in_scope(actor, organization)
    kind = valid_choice(kind, PlanKind.values, "kind", "计划类型")
    others = list({d.pk: d for d in departments if d.pk != organization.pk}.values())
    if kind == PlanKind.DEPARTMENT and others:
        raise InspectionError(
            "部门抽查计划不能有其他参加部门；请改为部门联合抽查计划", "departments"
        )
    if kind == PlanKind.JOINT and not others:
        raise InspectionError("部门联合抽查计划应至少有一个其他参加部门", "departments")
    number = required_text(number, "number", "计划编号")
    if Plan.objects.filter(number=number).exists():
        raise InspectionError(f"计划编号“{number}”已被使用", "number")
    if starts_on > ends_on:
        raise InspectionError("开始日期不能晚于完成日期", "ends_on")
    if not 2000 <= int(year) <= 2100 or starts_on.year != int(year):
        raise InspectionError(f"开始日期应在{year}年内", "starts_on")
    chosen = list({i.pk: i for i in items}.values())
    if not chosen:
        raise InspectionError("请选择抽查事项（清单以外不得检查）", "items")
    allowed = {organization.pk, *(d.pk for d in others)}
    outside = [i.name for i in chosen if i.organization_id not in allowed]
    if outside:
        raise InspectionError(f"抽查事项“{'、'.join(outside)}”不属于参加部门", "items")
    inactive = [i.name for i in chosen if not i.is_active]
    if inactive:
        raise InspectionError(f"抽查事项“{'、'.join(inactive)}”已停用", "items")
    plan = Plan.objects.create(
        organization=organization,
        kind=kind,
        year=int(year),
        number=number,
        title=required_text(title, "title", "计划名称"),
        ratios=_ratios(ratios, starts_on),
        industries=sorted({s.strip() for s in industries if s and s.strip()}),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    plan.items.set(chosen)
    plan.departments.set(others)
    ledger_record(
        stream=_plan_stream(plan),
        kind="inspections.plan.created",
        actor=actor,
        payload={
            "plan": plan.pk,
            "number": number,
            "title": plan.title,
            "kind": kind,
            "year": plan.year,
            "organization": organization.code,
            "departments": sorted(d.code for d in others),
            "items": sorted(i.code for i in chosen),
            "ratios": plan.ratios,
            "industries": plan.industries,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return plan


@transaction.atomic
def publish_plan(*, actor: User, plan: Plan, on: dt.date) -> Plan:
    """Announce the plan (一公开: 抽查事项 and the plan are public before the draws)."""
    plan = _lock_plan(plan)
    require(actor, "inspections.manage")
    _require_in_scope(actor, plan.organization)
    if plan.status != PlanStatus.DRAFT:
        raise ConflictError("该计划已经公布")
    if on > _today():
        raise InspectionError("公布日期不能晚于今天", "on")
    plan.status, plan.published_on = PlanStatus.PUBLISHED, on
    plan.save(update_fields=["status", "published_on", "updated_at"])
    ledger_record(
        stream=_plan_stream(plan),
        kind="inspections.plan.published",
        actor=actor,
        payload={"plan": plan.pk, "number": plan.number, "on": on.isoformat()},
    )
    return plan


@transaction.atomic
def add_task(*, actor: User, plan: Plan, number: str, title: str, due_on: dt.date) -> Task:
    """A round of the plan, with its own draw and its deadline (within the plan's dates)."""
    plan = _lock_plan(plan)
    require(actor, "inspections.manage")
    _require_in_scope(actor, plan.organization)
    if plan.status == PlanStatus.CLOSED:
        raise InspectionError("计划已完成，不能再增加任务")
    number = required_text(number, "number", "任务编号")
    if Task.objects.filter(number=number).exists():
        raise InspectionError(f"任务编号“{number}”已被使用", "number")
    if not plan.starts_on <= due_on <= plan.ends_on:
        raise InspectionError(
            f"检查完成期限应在计划期间（{plan.starts_on:%Y年%m月%d日}至"
            f"{plan.ends_on:%Y年%m月%d日}）内",
            "due_on",
        )
    task = Task.objects.create(
        plan=plan, number=number, title=required_text(title, "title", "任务名称"), due_on=due_on
    )
    ledger_record(
        stream=_plan_stream(plan),
        kind="inspections.task.created",
        actor=actor,
        payload={
            "task": task.pk,
            "number": number,
            "title": task.title,
            "due_on": due_on.isoformat(),
        },
    )
    return task
