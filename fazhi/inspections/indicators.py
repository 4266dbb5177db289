"""Indicators of 双随机、一公开 (seed-figures ``inspections.*``).

Seed report: “全年共开展双随机抽查任务69个，其中部门计划41个、跨部门计划28个，跨部门计划占比
40.58%” (69 = 41 + 28: each plan of the demo county has one task).

Which records count (the same words are on each drill-down page):

* a **plan** counts in the year it is made for (``year``) once announced (published or
  closed; drafts never count), for the organization that leads it — a joint plan counts once,
  for its lead, not for each participating department;
* a **task** counts with its plan;
* an **inspected entity** is an entity with a recorded result whose inspection date is in the
  period (an entity inspected in two tasks counts once);
* a **problem** is a result of 发现问题, 责令整改 or 移送立案;
* a task's results are **published on time** when published within the configured working
  days after its last inspection (parameter INSPECTION_RESULT_PUBLICATION_WDAYS); the tasks
  that count are those finished in the period and either published or past their deadline.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from fazhi.core.indicator_registry import Indicator, Period, Scope, rate, registry
from fazhi.inspections.models import (
    InspectionRecord,
    Plan,
    PlanKind,
    PlanStatus,
    Task,
)
from fazhi.inspections.services import PROBLEM_OUTCOMES, published_on_time

ANNOUNCED = (PlanStatus.PUBLISHED, PlanStatus.CLOSED)

_PLAN_COLUMNS = (
    ("number", "计划编号"),
    ("organization__name", "牵头单位"),
    ("title", "计划名称"),
    ("kind", "计划类型"),
    ("year", "年度"),
    ("published_on", "公布日期"),
)
_TASK_COLUMNS = (
    ("number", "任务编号"),
    ("plan__organization__name", "牵头单位"),
    ("plan__title", "抽查计划"),
    ("title", "任务名称"),
    ("status", "状态"),
    ("finished_on", "检查结束日期"),
    ("published_on", "结果公示日期"),
)
_RECORD_COLUMNS = (
    ("task__number", "任务编号"),
    ("task__plan__organization__name", "牵头单位"),
    ("entity__credit_code", "统一社会信用代码"),
    ("entity__name", "检查对象"),
    ("inspected_on", "检查日期"),
    ("outcome", "检查结果"),
)


def plans(period: Period, scope: Scope) -> QuerySet[Plan]:
    return Plan.objects.filter(
        organization__in=scope.organizations(),
        status__in=ANNOUNCED,
        year__gte=period.start.year,
        year__lte=period.end.year,
    ).select_related("organization")


def department_plans(period: Period, scope: Scope) -> QuerySet[Plan]:
    return plans(period, scope).filter(kind=PlanKind.DEPARTMENT)


def joint_plans(period: Period, scope: Scope) -> QuerySet[Plan]:
    return plans(period, scope).filter(kind=PlanKind.JOINT)


def tasks(period: Period, scope: Scope) -> QuerySet[Task]:
    return Task.objects.filter(plan__in=plans(period, scope)).select_related(
        "plan", "plan__organization"
    )


def inspected(period: Period, scope: Scope) -> QuerySet[InspectionRecord]:
    return (
        InspectionRecord.objects.filter(
            task__plan__organization__in=scope.organizations(),
            inspected_on__gte=period.start,
            inspected_on__lte=period.end,
        )
        .exclude(outcome="")
        .select_related("task", "task__plan__organization", "entity")
    )


def problems(period: Period, scope: Scope) -> QuerySet[InspectionRecord]:
    return inspected(period, scope).filter(outcome__in=PROBLEM_OUTCOMES)


def _entities(records: QuerySet[InspectionRecord]) -> int:
    return records.values("entity").distinct().count()


def publication_due_tasks(period: Period, scope: Scope) -> QuerySet[Task]:
    """Tasks finished in the period whose results are published or overdue. The deadline is
    in working days on the database calendar, so it is computed per task (a county's year:
    dozens of tasks)."""
    finished = Task.objects.filter(
        plan__organization__in=scope.organizations(),
        finished_on__gte=period.start,
        finished_on__lte=period.end,
    )
    ids = [t.pk for t in finished if published_on_time(t) is not None]
    return Task.objects.filter(pk__in=ids).select_related("plan", "plan__organization")


def _on_time_rate(period: Period, scope: Scope) -> Decimal:
    due = list(publication_due_tasks(period, scope))
    return rate(sum(1 for t in due if published_on_time(t)), len(due))


def _joint_share(period: Period, scope: Scope) -> Decimal:
    return rate(joint_plans(period, scope).count(), plans(period, scope).count())


for indicator in (
    Indicator(
        code="inspections.tasks",
        name="双随机抽查总任务数",
        unit="个",
        definition="统计年度的已公布抽查计划（部门计划和跨部门联合计划，按牵头单位计）中的抽查任务数。",
        compute=lambda p, s: tasks(p, s).count(),
        drilldown=tasks,
        columns=_TASK_COLUMNS,
    ),
    Indicator(
        code="inspections.department_plans",
        name="双随机部门计划数",
        unit="个",
        definition="统计年度已公布的部门抽查计划数（一个部门单独实施的计划）。",
        compute=lambda p, s: department_plans(p, s).count(),
        drilldown=department_plans,
        columns=_PLAN_COLUMNS,
    ),
    Indicator(
        code="inspections.joint_plans",
        name="双随机跨部门计划数",
        unit="个",
        definition=(
            "统计年度已公布的部门联合抽查计划数（一个计划、多个部门、对同一对象一次检查），"
            "只计入牵头单位。"
        ),
        compute=lambda p, s: joint_plans(p, s).count(),
        drilldown=joint_plans,
        columns=_PLAN_COLUMNS,
    ),
    Indicator(
        code="inspections.joint_share",
        name="跨部门计划占比",
        unit="%",
        precision=2,
        definition="跨部门联合抽查计划数 ÷（部门计划数 + 跨部门计划数）× 100%。",
        compute=_joint_share,
        drilldown=plans,
        columns=_PLAN_COLUMNS,
    ),
    Indicator(
        code="inspections.entities_inspected",
        name="双随机抽查检查对象数",
        unit="户",
        definition="统计期间内录入了检查结果（含查无下落）的检查对象数，以检查日期计，同一对象只计一次。",
        compute=lambda p, s: _entities(inspected(p, s)),
        drilldown=inspected,
        columns=_RECORD_COLUMNS,
    ),
    Indicator(
        code="inspections.problems_found",
        name="双随机抽查发现问题的检查对象数",
        unit="户",
        definition="统计期间内检查结果为发现问题、责令整改或移送立案的检查对象数，同一对象只计一次。",
        compute=lambda p, s: _entities(problems(p, s)),
        drilldown=problems,
        columns=_RECORD_COLUMNS,
    ),
    Indicator(
        code="inspections.results_on_time_rate",
        name="双随机抽查结果按期公示率",
        unit="%",
        precision=1,
        definition=(
            "统计期间内检查结束、且已公示或已过公示期限的任务中，自检查结束之日起在规定工作日内"
            "（参数 INSPECTION_RESULT_PUBLICATION_WDAYS，默认20个工作日）公示结果的比例。"
        ),
        compute=_on_time_rate,
        drilldown=publication_due_tasks,
        columns=_TASK_COLUMNS,
    ),
):
    registry.register(indicator)
