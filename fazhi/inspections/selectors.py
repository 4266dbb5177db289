"""Reading 双随机、一公开: staff lists by data scope, and what the portal shows.

Scope: a department sees its own items, plans, tasks and records (data scope); a joint plan is
seen by its lead and by every participating department. The entity and inspector directories
are county-wide: every enforcement role with ``inspections.view`` reads them.

Public: published plans (and closed ones), their tasks with their draws, the results of
tasks whose results were published, and the entity-side lookup “was I drawn”.
"""

from __future__ import annotations

import json
import mmap
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.draws.models import Draw, DrawStatus, Purpose
from fazhi.draws.selectors import public_draws
from fazhi.inspections.models import (
    Entity,
    InspectionItem,
    InspectionRecord,
    Inspector,
    Plan,
    PlanStatus,
    Task,
    TaskStatus,
)

PUBLIC_PLAN_STATUSES = (PlanStatus.PUBLISHED, PlanStatus.CLOSED)


def _org_filter(value: Organization | str | int | None) -> Q:
    if value is None or value == "":
        return Q()
    if isinstance(value, Organization):
        return Q(pk=value.pk)
    if isinstance(value, int) or str(value).isdigit():
        return Q(pk=int(value))
    return Q(code=value)


# --- 一单两库 ---------------------------------------------------------------------------------


def items_for(
    user: User, *, q: str = "", organization: Organization | str | int | None = None
) -> QuerySet[InspectionItem]:
    """The inspection items of the user's data scope (``organization``: one of them)."""
    require(user, "inspections.view")
    orgs = visible_organizations(user).filter(_org_filter(organization))
    qs = InspectionItem.objects.filter(organization__in=orgs)
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(name__icontains=q)
            | Q(basis__icontains=q)
            | Q(qualification__icontains=q)
        )
    return qs.select_related("organization").prefetch_related("catalog_items")


def entities_for(
    user: User,
    *,
    q: str = "",
    industry: str = "",
    risk_class: str = "",
    township: Organization | str | int | None = None,
) -> QuerySet[Entity]:
    """The county-wide entity directory, searched by credit code, name or address."""
    require(user, "inspections.view")
    qs = Entity.objects.all()
    if q:
        qs = qs.filter(Q(credit_code__icontains=q) | Q(name__icontains=q) | Q(address__icontains=q))
    if industry:
        qs = qs.filter(industry=industry)
    if risk_class:
        qs = qs.filter(risk_class=risk_class)
    if township not in (None, ""):
        qs = qs.filter(township__in=Organization.objects.filter(_org_filter(township)))
    return qs.select_related("township")


def inspectors_for(user: User, *, q: str = "") -> QuerySet[Inspector]:
    """The county-wide inspector directory, with the number of declared relationships."""
    require(user, "inspections.view")
    qs = Inspector.objects.all()
    if q:
        qs = qs.filter(
            Q(officer__name__icontains=q)
            | Q(officer__certificate_number__icontains=q)
            | Q(officer__organization__name__icontains=q)
        )
    return qs.select_related("officer", "officer__organization", "township").annotate(
        relationship_count=Count("relationships")
    )


# --- plans, tasks, records --------------------------------------------------------------------


def _visible_plan_ids(user: User) -> QuerySet[Plan, Any]:
    orgs = visible_organizations(user)
    return (
        Plan.objects.filter(Q(organization__in=orgs) | Q(departments__in=orgs))
        .values("pk")
        .distinct()
    )


def plans_for(user: User, *, year: int | None = None, kind: str | None = None) -> QuerySet[Plan]:
    """Plans led by, or (joint plans) joined by, an organization of the user's scope."""
    require(user, "inspections.view")
    qs = Plan.objects.filter(pk__in=_visible_plan_ids(user))
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("organization", "created_by")
        .prefetch_related("departments", "items")
        .annotate(task_count=Count("tasks", distinct=True))
    )


def plan_for(user: User, pk: int) -> Plan:
    """One plan of the user's scope (404 otherwise, so existence does not leak)."""
    return get_object_or_404(plans_for(user), pk=pk)


def tasks_for(
    user: User, *, plan: Plan | int | None = None, status: str | None = None
) -> QuerySet[Task]:
    """Tasks of the plans the user sees."""
    require(user, "inspections.view")
    qs = Task.objects.filter(plan__in=_visible_plan_ids(user))
    if plan is not None:
        qs = qs.filter(plan=plan)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("plan", "plan__organization", "draw", "draw__supersedes").annotate(
        record_count=Count("records", distinct=True),
        recorded_count=Count("records", filter=~Q(records__outcome=""), distinct=True),
    )


def task_for(user: User, pk: int) -> Task:
    return get_object_or_404(tasks_for(user), pk=pk)


def _record_prefetches() -> tuple[Prefetch[Any], Prefetch[Any]]:
    people = Inspector.objects.select_related("officer", "officer__organization")
    return Prefetch("inspectors", queryset=people), Prefetch("substitutes", queryset=people)


def records_for(user: User, *, task: Task | int | None = None) -> QuerySet[InspectionRecord]:
    """Inspection records of the tasks the user sees."""
    require(user, "inspections.view")
    qs = InspectionRecord.objects.filter(task__plan__in=_visible_plan_ids(user))
    if task is not None:
        qs = qs.filter(task=task)
    return qs.select_related(
        "task", "task__plan", "task__plan__organization", "entity", "entity__township"
    ).prefetch_related(*_record_prefetches())


def record_for(user: User, pk: int) -> InspectionRecord:
    return get_object_or_404(records_for(user), pk=pk)


# --- public -----------------------------------------------------------------------------------


def public_plans() -> QuerySet[Plan]:
    """Plans announced to the public (published, and closed ones)."""
    return (
        Plan.objects.filter(status__in=PUBLIC_PLAN_STATUSES)
        .select_related("organization")
        .prefetch_related("departments", "items")
    )


def public_tasks() -> QuerySet[Task]:
    """Tasks of published plans, with their current draw and the draw it replaced."""
    return Task.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES).select_related(
        "plan", "plan__organization", "draw", "draw__supersedes"
    )


def public_results() -> QuerySet[InspectionRecord]:
    """Inspection results of tasks whose results were published (without photos)."""
    return (
        InspectionRecord.objects.filter(
            task__status=TaskStatus.PUBLISHED, task__plan__status__in=PUBLIC_PLAN_STATUSES
        )
        .select_related("task", "task__plan", "task__plan__organization", "entity")
        .order_by("-task__published_on", "task__number", "entity__credit_code")
    )


def task_draws(task: Task) -> list[Draw]:
    """The task's draws, newest first: the current one and every draw it replaced (a re-draw
    keeps the old draw public, ARCHITECTURE §7 step 5)."""
    out: list[Draw] = []
    draw = (
        Draw.objects.select_related("organization").filter(pk=task.draw_id).first()
        if task.draw_id
        else None
    )
    while draw is not None and all(d.pk != draw.pk for d in out):
        out.append(draw)
        draw = (
            Draw.objects.select_related("organization").filter(pk=draw.supersedes_id).first()
            if draw.supersedes_id
            else None
        )
    return out


def _current(draw: Draw, by_pk: dict[int, Draw], successor: dict[int, int]) -> Draw:
    """The latest draw of the re-draw chain ``draw`` belongs to."""
    seen = {draw.pk}
    while draw.pk in successor and successor[draw.pk] not in seen:
        draw = by_pk[successor[draw.pk]]
        seen.add(draw.pk)
    return draw


_RECORD_START = b'{"id":"'


def pool_record(digest: str, key: str) -> dict[str, Any] | None:
    """The record ``key`` of a frozen pool, or None, without reading the whole file.

    A pool file is the canonical JSON of its records sorted by id, and ``id`` is the first key
    of each record (keys sorted), so every record starts with the bytes ``{"id":"`` — bytes a
    string value cannot contain, since its quotes are escaped. A binary search over file
    positions then finds the first record whose id is not below ``key``."""
    from fazhi.ledger.services import attachment_path

    if not key or '"' in key or "\\" in key:
        return None
    target = key.encode("utf-8")
    try:
        with (
            attachment_path(digest).open("rb") as fh,
            mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):

            def first_from(position: int) -> tuple[int, bytes]:
                start = mm.find(_RECORD_START, position)
                if start < 0:
                    return -1, b""
                begin = start + len(_RECORD_START)
                return start, mm[begin : mm.find(b'"', begin)]

            lo, hi = 0, len(mm)
            while lo < hi:
                mid = (lo + hi) // 2
                start, found = first_from(mid)
                if start < 0 or found >= target:
                    hi = mid
                else:
                    lo = start + 1
            start, found = first_from(lo)
            if start < 0 or found != target:
                return None
            text = mm[start : start + (1 << 16)].decode("utf-8", errors="ignore")
            record, _ = json.JSONDecoder().raw_decode(text)
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def entity_draws(credit_code: str) -> list[dict[str, Any]]:
    """“Was I drawn?”: every public inspection draw whose frozen pool held ``credit_code``,
    drawn or not, newest first, with its task and plan (None when the draw belongs to no task).

    Each pool is searched by :func:`pool_record` (a binary search in the file), so a lookup
    costs a few small reads per draw, not the reading of every pool."""
    code = credit_code.strip().upper()
    if not code or '"' in code or "\\" in code:
        return []
    draws = list(public_draws())
    by_pk = {d.pk: d for d in draws}
    successor = {d.supersedes_id: d.pk for d in draws if d.supersedes_id is not None}
    tasks = {t.draw_id: t for t in public_tasks().filter(draw__in=[d.pk for d in draws])}
    out: list[dict[str, Any]] = []
    for draw in draws:
        mine = pool_record(draw.pool_file, code)
        if mine is None:
            continue
        task = tasks.get(_current(draw, by_pk, successor).pk)
        selected: bool | None = None
        inspectors: list[str] = []
        if draw.status == DrawStatus.DRAWN and draw.result is not None:
            selected = any(s["id"] == code for s in draw.result.get("selected", []))
            for t in draw.result.get("tasks", []):
                if t["id"] == code:
                    inspectors = list(t["inspectors"])
        out.append(
            {
                "draw": draw,
                "draw_id": draw.pk,
                "title": draw.title,
                "organization": draw.organization.name,
                "status": draw.status,
                "status_label": DrawStatus(draw.status).label,
                "stratum": mine.get("stratum", ""),
                "candidates": draw.candidate_count,
                "quota": (draw.commitment.get("strata") or {}).get(mine.get("stratum", "")),
                "selected": selected,
                "inspectors": inspectors,
                "randomness_due": draw.randomness_due,
                "superseded": draw.pk in successor,
                "task": task,
                "plan": task.plan if task is not None else None,
            }
        )
    return out


def draw_for(user: User, pk: int) -> Draw:
    """A 双随机 draw of a task the user sees — its current draw or one a re-draw replaced —
    else 404. Whoever may open the task may check its draws (not only who may draw)."""
    draw = get_object_or_404(Draw.objects.filter(purpose=Purpose.INSPECTION), pk=pk)
    latest, seen = draw, {draw.pk}
    while (newer := Draw.objects.filter(supersedes=latest).first()) is not None:
        if newer.pk in seen:
            break
        seen.add(newer.pk)
        latest = newer
    get_object_or_404(tasks_for(user), draw=latest)
    return draw
