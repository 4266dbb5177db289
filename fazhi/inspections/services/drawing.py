"""A task's verifiable draw: the frozen pools, the commitment, the reveal (ARCHITECTURE §7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.draws import services as draws
from fazhi.draws.models import Draw, DrawStatus, Purpose
from fazhi.draws.services import AssignmentRules
from fazhi.inspections.models import (
    Entity,
    InspectionRecord,
    Inspector,
    ItemKind,
    Plan,
    PlanStatus,
    Relationship,
    RiskClass,
    Task,
    TaskStatus,
)
from fazhi.inspections.services._common import (
    InspectionError,
    _lock_task,
    _plan_stream,
    _require_in_scope,
    _today,
    default_rules,
    quota,
    stored_ratios,
)
from fazhi.ledger.services import record as ledger_record

# --- the draw ---------------------------------------------------------------------------------


def _plan_organizations(plan: Plan) -> list[Organization]:
    return [plan.organization, *plan.departments.all()]


def _needs(plan: Plan) -> list[str]:
    return sorted({i.qualification for i in plan.items.all() if i.is_active})


def _pool_entities(plan: Plan) -> QuerySet[Entity]:
    qs = Entity.objects.filter(is_active=True)
    if plan.industries:
        qs = qs.filter(industry__in=list(plan.industries))
    return qs


def entity_pool(plan: Plan) -> list[dict[str, Any]]:
    """The candidates of a plan's draw: active entities of its industries (all if none), as
    the records the draw freezes."""
    needs = _needs(plan)
    return [
        {"id": code, "stratum": risk, "township": township, "needs": needs}
        for code, risk, township in _pool_entities(plan).values_list(
            "credit_code", "risk_class", "township__code"
        )
    ]


def ratio_kind(plan: Plan) -> str:
    """The item kind whose ratios the plan's draw uses (see :func:`quotas_for`): 重点 if any
    of its active items is 重点, else 一般."""
    kinds = {i.kind for i in plan.items.all() if i.is_active}
    return ItemKind.KEY.value if ItemKind.KEY in kinds else ItemKind.GENERAL.value


def _quotas(ratios: Mapping[str, str], counts: Mapping[str, int]) -> dict[str, int]:
    return {c: quota(ratios.get(c, "0"), n) for c, n in sorted(counts.items())}


def quotas_for(plan: Plan, pool: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Per risk class present in the pool: ⌈ratio × entities of the class⌉.

    The ratio is the plan's ratio for the class and for its most demanding item kind among
    its active items (:func:`ratio_kind`): the 重点检查事项 ratios if the plan has any 重点
    item, else the 一般检查事项 ones. 重点 items are sampled at the higher ratio (国发〔2019〕5号,
    parameter ``INSPECTION_RATIO_BY_RISK_CLASS``), and one visit inspects all the plan's items
    (综合查一次, 58号 三（三）): an entity is drawn once, at the highest ratio that applies,
    not once more at the 一般 ratio for the plan's other items, which would mean a second
    visit."""
    counts: dict[str, int] = {}
    for r in pool:
        counts[r["stratum"]] = counts.get(r["stratum"], 0) + 1
    return _quotas(stored_ratios(plan.ratios)[ratio_kind(plan)], counts)


@dataclass(frozen=True)
class ClassQuota:
    """One risk class of :func:`quota_preview`."""

    risk_class: str
    ratio: str
    entities: int
    quota: int


def quota_preview(plan: Plan) -> tuple[str, list[ClassQuota]]:
    """The item kind whose ratios apply (:func:`ratio_kind`) and, per risk class, the ratio,
    the entities of the plan's pool and the quota, counted from the directory as it is now
    (a draw freezes the pool when committed, so its figures are those of that day)."""
    kind = ratio_kind(plan)
    ratios = stored_ratios(plan.ratios)[kind]
    counts = dict(
        _pool_entities(plan)
        .order_by()
        .values("risk_class")
        .annotate(n=Count("pk"))
        .values_list("risk_class", "n")
    )
    quotas = _quotas(ratios, counts)
    return kind, [
        ClassQuota(c, ratios.get(c, "0"), counts.get(c, 0), quotas.get(c, 0))
        for c in RiskClass.values
    ]


def inspector_pool(plan: Plan, on: dt.date) -> list[dict[str, Any]]:
    """The inspectors of a plan's draw: active inspectors of the plan's organization and
    departments, and of the enforcement units under them (a 综合行政执法大队 inspects for its
    department), whose certificate is valid on ``on``, with their recusals and pairings."""
    within = Q()
    for org in _plan_organizations(plan):
        within |= Q(officer__organization__path__startswith=org.path)
    inspectors = [
        i
        for i in Inspector.objects.filter(within, is_active=True).select_related(
            "officer", "township"
        )
        if not i.officer.certificate_problem(on)
    ]
    ids = [i.pk for i in inspectors]
    excluded: dict[int, list[str]] = {}
    for inspector_id, code in Relationship.objects.filter(inspector_id__in=ids).values_list(
        "inspector_id", "entity__credit_code"
    ):
        excluded.setdefault(inspector_id, []).append(code)
    pairings: dict[int, dict[str, int]] = {}
    through = InspectionRecord.inspectors.through
    rows = (
        through.objects.filter(inspector_id__in=ids)
        .values("inspector_id", "inspectionrecord__entity__credit_code")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        code = row["inspectionrecord__entity__credit_code"]
        pairings.setdefault(row["inspector_id"], {})[code] = row["n"]
    return [
        {
            "id": i.officer.certificate_number,
            "qualifications": sorted(i.qualifications),
            "township": i.township.code if i.township else "",
            "excluded": sorted(excluded.get(i.pk, [])),
            "pairings": pairings.get(i.pk, {}),
        }
        for i in inspectors
    ]


@transaction.atomic
def commit_draw(
    *,
    actor: User,
    task: Task,
    randomness_source: str,
    randomness_due: dt.date,
    rules: AssignmentRules | None = None,
    redraw_reason: str = "",
    at: dt.datetime | None = None,
) -> Draw:
    """Commit the task's draw before the named public randomness exists (ARCHITECTURE §7).

    A task with a draw already (committed, drawn or failed) is re-drawn only with a reason:
    the new commitment names the one it replaces, which stays public; inspection records of
    the replaced draw that have no result yet are removed (its result stays in the draw).
    ``at`` records a past commitment at its own time (the demo); pages and the API never
    pass it."""
    task = _lock_task(task)
    require(actor, "inspections.draw")
    plan = task.plan
    _require_in_scope(actor, plan.organization)
    if plan.status != PlanStatus.PUBLISHED:
        raise InspectionError("抽查计划尚未公布（或已完成），不能抽取")
    if task.status not in (TaskStatus.PLANNED, TaskStatus.DRAWN):
        raise InspectionError(f"任务“{task.title}”已{TaskStatus(task.status).label}，不能再抽取")
    previous = task.draw
    if previous is not None:
        if not redraw_reason.strip():
            raise InspectionError(
                "该任务已有抽取；重新抽取须写明理由，原抽取仍然公开", "redraw_reason"
            )
        if task.records.exclude(outcome="").exists():
            raise InspectionError("已有检查结果，不能重新抽取")
    else:
        redraw_reason = ""
    today = timezone.localdate(at) if at else _today()
    pool = entity_pool(plan)
    if not pool:
        raise InspectionError("检查对象名录库中没有符合计划行业范围的存续对象")
    rules = rules or default_rules(today)
    draw = draws.commit(
        actor=actor,
        organization=plan.organization,
        purpose=Purpose.INSPECTION,
        title=task.title,
        pool=pool,
        quotas=quotas_for(plan, pool),
        randomness_source=randomness_source,
        randomness_due=randomness_due,
        assignment=rules,
        inspectors=inspector_pool(plan, today),
        supersedes=previous,
        redraw_reason=redraw_reason,
        at=at,
    )
    removed = 0
    if previous is not None:
        removed, _ = task.records.all().delete()
    task.draw, task.status = draw, TaskStatus.PLANNED
    task.save(update_fields=["draw", "status", "updated_at"])
    ledger_record(
        stream=_plan_stream(plan),
        kind="inspections.task.draw_committed",
        actor=actor,
        payload={
            "task": task.pk,
            "number": task.number,
            "draw": draw.pk,
            "commitment_digest": draw.commitment_digest,
            "supersedes": previous.commitment_digest if previous else None,
            "redraw_reason": redraw_reason.strip(),
            "records_removed": removed,
        },
        at=at,
    )
    return draw


@transaction.atomic
def reveal_draw(
    *, actor: User, task: Task, value: str, evidence: str, at: dt.datetime | None = None
) -> Task:
    """Enter the public randomness and draw: one inspection record per drawn entity, with its
    inspectors and substitutes. A failed draw leaves the task planned, the failure shown on
    the draw; the way forward is a new commitment (:func:`commit_draw` with a reason)."""
    task = _lock_task(task)
    require(actor, "inspections.draw")
    _require_in_scope(actor, task.plan.organization)
    if task.draw is None:
        raise InspectionError("该任务尚未作出抽取承诺")
    if task.status != TaskStatus.PLANNED:
        raise InspectionError("该任务已经抽取")
    draw = draws.reveal(actor=actor, draw=task.draw, value=value, evidence=evidence, at=at)
    task.draw = draw  # the revealed row, not the one read before the reveal
    created = 0
    if draw.status == DrawStatus.DRAWN and draw.result is not None:
        assigned = draw.result.get("tasks") or [
            {"id": s["id"], "inspectors": [], "substitutes": []} for s in draw.result["selected"]
        ]
        codes = [a["id"] for a in assigned]
        entities = Entity.objects.in_bulk(codes, field_name="credit_code")
        certificates = {c for a in assigned for c in (*a["inspectors"], *a["substitutes"])}
        inspectors = {
            i.officer.certificate_number: i
            for i in Inspector.objects.filter(
                officer__certificate_number__in=certificates
            ).select_related("officer")
        }
        for a in assigned:
            rec = InspectionRecord.objects.create(task=task, entity=entities[a["id"]])
            rec.inspectors.set([inspectors[c] for c in a["inspectors"]])
            rec.substitutes.set([inspectors[c] for c in a["substitutes"]])
            created += 1
        task.status = TaskStatus.DRAWN
        task.save(update_fields=["status", "updated_at"])
    ledger_record(
        stream=_plan_stream(task.plan),
        kind="inspections.task.drawn"
        if draw.status == DrawStatus.DRAWN
        else "inspections.task.draw_failed",
        actor=actor,
        payload={
            "task": task.pk,
            "number": task.number,
            "draw": draw.pk,
            "result_digest": draws.result_digest(draw),
            "records": created,
            "failure": draw.failure,
        },
        at=at,
    )
    return task
