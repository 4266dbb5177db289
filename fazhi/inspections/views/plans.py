"""Plans (抽查计划: departmental and joint) and their tasks (抽查任务)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_perm
from fazhi.inspections import selectors, services
from fazhi.inspections.forms import (
    DateForm,
    PlanFilterForm,
    PlanForm,
    TaskFilterForm,
    TaskForm,
    refuse,
)
from fazhi.inspections.models import ItemKind, Plan, PlanStatus, RiskClass
from fazhi.inspections.views._common import (
    actor_of,
    all_departments,
    own_organizations,
    paginate,
    requires,
)
from fazhi.rules.parameters import ParameterError

MANAGE = "inspections.manage"


def _default_ratios() -> dict[str, dict[str, str]]:
    """The ratios per item kind and risk class of the parameter in force today
    (INSPECTION_RATIO_BY_RISK_CLASS), if there is one: the form's initial values."""
    try:
        value = services.params_on(timezone.localdate())["ratios"]
    except ParameterError:
        return {}
    return services.stored_ratios(value) if isinstance(value, Mapping) else {}


@require_GET
@requires("inspections.view")
def plan_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = PlanFilterForm(request.GET)
    plans = (
        selectors.plans_for(actor, **filters.selector_kwargs())
        .select_related("organization")
        .prefetch_related("departments")
        .order_by("-year", "number")
    )
    context = {
        "filters": filters,
        "page": paginate(request, plans),
        "can_manage": has_perm(actor, MANAGE),
    }
    return render(request, "inspections/plan_list.html", context)


def _plan_form(actor: Any, data: Any = None) -> PlanForm:
    return PlanForm(
        data,
        organizations=own_organizations(actor),
        departments=all_departments(),
        items=selectors.items_for(actor).filter(is_active=True),
        default_ratios=_default_ratios(),
    )


@requires(MANAGE)
def plan_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = _plan_form(actor, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.create_plan(actor=actor, **form.service_kwargs())
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已制定抽查计划“{plan.title}”")
                return redirect("inspections:plan_detail", pk=plan.pk)
        status = 400
    context = {"form": form, "title": "制定抽查计划", "back": "inspections:plan_list"}
    return render(request, "inspections/form.html", context, status=status)


def _plan_page(
    request: HttpRequest,
    plan: Plan,
    task_form: TaskForm | None = None,
    publish_form: DateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    can_manage = has_perm(actor, MANAGE)
    ratio_kind, quotas = services.quota_preview(plan)
    ratios = services.stored_ratios(plan.ratios)
    context = {
        "plan": plan,
        "departments": plan.departments.all(),
        "items": plan.items.select_related("organization"),
        "tasks": selectors.tasks_for(actor, plan=plan).order_by("number"),
        # Both kinds' ratios, the one the draw uses marked, and its quota per risk class.
        "ratio_rows": [
            (
                ItemKind(kind).label,
                kind == ratio_kind,
                [ratios[kind].get(c, "") for c in RiskClass.values],
            )
            for kind in ItemKind.values
        ],
        "ratio_kind": ItemKind(ratio_kind).label,
        "quotas": quotas,
        "can_manage": can_manage,
        "task_form": task_form or TaskForm(),
        "publish_form": publish_form or DateForm(),
        "can_publish": can_manage and plan.status == PlanStatus.DRAFT,
    }
    return render(request, "inspections/plan_detail.html", context, status=status)


@require_GET
@requires("inspections.view")
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, selectors.plan_for(actor_of(request), pk))


@require_POST
@requires(MANAGE)
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    plan = selectors.plan_for(actor, pk)
    form = DateForm(request.POST)
    if form.is_valid():
        try:
            services.publish_plan(actor=actor, plan=plan, on=form.cleaned_data["on"])
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, "抽查计划已公布，公开门户可见")
            return redirect("inspections:plan_detail", pk=plan.pk)
    return _plan_page(request, plan, publish_form=form, status=400)


@require_POST
@requires(MANAGE)
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    plan = selectors.plan_for(actor, pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            task = services.add_task(actor=actor, plan=plan, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"已添加抽查任务“{task.title}”")
            return redirect("inspections:task_detail", pk=task.pk)
    return _plan_page(request, plan, task_form=form, status=400)


@require_GET
@requires("inspections.view")
def task_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = TaskFilterForm(request.GET)
    tasks = (
        selectors.tasks_for(actor, **filters.selector_kwargs())
        .select_related("plan__organization", "draw")
        .order_by("-plan__year", "plan__number", "number")
    )
    context = {"filters": filters, "page": paginate(request, tasks)}
    return render(request, "inspections/task_list.html", context)
