"""The inspections.* indicators: counts by lead organization and plan year, the joint share
of seed-figures (two decimals), entities inspected, problems found and on-time publication."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.indicator_registry import Period, Scope, registry
from fazhi.inspections import services
from fazhi.inspections.models import Plan, Task
from fazhi.inspections.testing import InspectionCast, build_inspections, draw, today

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast)


def _value(code, ic, org=None, year=None):
    period = Period.year(year or today().year)
    return registry.get(code).value(period, Scope(org or ic.cast.county))


def _plan(ic, number, *, kind="department", publish=True, tasks=1, year=None):
    cast = ic.cast
    year = year or today().year
    joint = kind == "joint"
    actor = cast.rule_of_law_office if joint else ic.head
    plan = services.create_plan(
        actor=actor,
        organization=cast.justice_bureau if joint else cast.department_a,
        kind=kind,
        year=year,
        number=number,
        title=number,
        items=[ic.item],
        ratios={},
        starts_on=D(year, 1, 1),
        ends_on=D(year, 12, 31),
        departments=[cast.department_a, cast.department_b] if joint else [],
    )
    if publish:
        services.publish_plan(actor=actor, plan=plan, on=min(today(), D(year, 12, 31)))
    for i in range(tasks):
        services.add_task(
            actor=actor, plan=plan, number=f"{number}-{i}", title="任务", due_on=D(year, 12, 31)
        )
    return plan


def test_plan_and_task_counts_and_joint_share(ic):
    # The cast's plan (department, 1 task) + 1 department plan with 2 tasks + 1 joint plan;
    # a draft and last year's plan do not count.
    _plan(ic, "D2", tasks=2)
    _plan(ic, "J1", kind="joint")
    _plan(ic, "DRAFT", publish=False, tasks=3)
    _plan(ic, "OLD", year=today().year - 1)
    assert _value("inspections.tasks", ic) == 4
    assert _value("inspections.department_plans", ic) == 2
    assert _value("inspections.joint_plans", ic) == 1
    assert _value("inspections.joint_share", ic) == Decimal("33.33")
    # A joint plan counts for its lead only.
    assert _value("inspections.joint_plans", ic, org=ic.cast.department_b) == 0
    assert _value("inspections.department_plans", ic, org=ic.cast.department_a) == 2
    drill = registry.get("inspections.joint_plans").records(
        Period.year(today().year), Scope(ic.cast.county)
    )
    assert list(drill.values_list("number", flat=True)) == ["J1"]


def test_the_four_seed_figures(ic):
    """41 departmental + 28 joint announced plans, one task each: 69, 41, 28 and 40.58 %.
    Rows are made in bulk (the services are tested elsewhere); the cast's plan is one of 41."""
    cast, year = ic.cast, today().year
    common = {
        "year": year,
        "ratios": ic.plan.ratios,
        "starts_on": D(year, 1, 1),
        "ends_on": D(year, 12, 31),
        "status": "published",
        "published_on": today(),
        "created_by": ic.head,
    }
    plans = Plan.objects.bulk_create(
        [
            Plan(
                organization=cast.department_a,
                kind="department",
                number=f"D{i}",
                title="d",
                **common,
            )
            for i in range(40)
        ]
        + [
            Plan(
                organization=cast.justice_bureau, kind="joint", number=f"J{i}", title="j", **common
            )
            for i in range(28)
        ]
    )
    Task.objects.bulk_create(
        Task(plan=p, number=f"T-{p.number}", title="t", due_on=D(year, 12, 31)) for p in plans
    )
    indicator = registry.get("inspections.joint_share")
    assert (indicator.name, indicator.unit, indicator.precision) == ("跨部门计划占比", "%", 2)
    assert _value("inspections.tasks", ic) == 69
    assert _value("inspections.department_plans", ic) == 41
    assert _value("inspections.joint_plans", ic) == 28
    assert _value("inspections.joint_share", ic) == Decimal("40.58")


def test_entities_inspected_problems_and_on_time_publication(ic):
    task = draw(ic)
    records = list(task.records.select_related("entity"))
    outcomes = ["failed", "rectify", "referred", "not_found"] + ["passed"] * (len(records) - 4)
    for rec, outcome in zip(records, outcomes, strict=True):
        services.record_result(
            actor=ic.head,
            record=rec,
            inspected_on=today(),
            outcome=outcome,
            findings="" if outcome == "passed" else "情况说明",
        )
    assert _value("inspections.entities_inspected", ic) == 13
    assert _value("inspections.problems_found", ic) == 3
    assert _value("inspections.entities_inspected", ic, org=ic.cast.department_b) == 0
    # Done but within the deadline and unpublished: nothing is due yet (0 of 0 = 100 %).
    assert (
        registry.get("inspections.results_on_time_rate")
        .records(Period.year(today().year), Scope(ic.cast.county))
        .count()
        == 0
    )
    services.publish_results(actor=ic.head, task=task, on=today())
    assert _value("inspections.results_on_time_rate", ic) == Decimal("100.0")


def test_a_late_publication_lowers_the_rate(ic):
    year = today().year
    plan = _plan(ic, "LATE", year=year - 1)
    task = plan.tasks.get()
    # An old task, finished long ago, published today: late.
    Task.objects.filter(pk=task.pk).update(status="done", finished_on=D(year - 1, 3, 1))
    task.refresh_from_db()
    services.publish_results(actor=ic.head, task=task, on=today())
    value = registry.get("inspections.results_on_time_rate").value(
        Period.year(year - 1), Scope(ic.cast.county)
    )
    assert value == Decimal("0.0")
