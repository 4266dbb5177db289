"""双随机、一公开 on the public portal: plan announcements, every draw with its commitment
(before the reveal too), its randomness and result, the draws a re-draw replaced (linked both
ways), the bundle and the verifier, published results, and the enterprise lookup "was I drawn,
and can I check it".

Only published plans and what hangs from them: a draw is shown when the latest draw of its
re-draw chain is the draw of a task of a published plan. No personal data: inspectors by name
and certificate number only (public under 国办发〔2018〕118号); relationships never.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from fazhi.draws.models import Draw, DrawStatus
from fazhi.draws.selectors import public_draws
from fazhi.inspections import selectors, services
from fazhi.inspections.models import ItemKind, PlanKind, Task, TaskStatus
from fazhi.inspections.views.ceremony import (
    POLL_SECONDS,
    bundle_response,
    draw_view,
    verifier_response,
)

PAGE_SIZE = 30
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def _page(request: HttpRequest, qs: QuerySet[Any] | list[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _search(placeholder: str) -> forms.CharField:
    return forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": placeholder, "type": "search"}),
    )


class PlanFilter(forms.Form):
    q = _search("计划名称、编号或牵头单位")
    kind = forms.ChoiceField(
        label="计划类型", required=False, choices=[("", "全部类型"), *PlanKind.choices]
    )
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2099)


class ResultFilter(forms.Form):
    q = _search("检查对象名称或统一社会信用代码")


class LookupForm(forms.Form):
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        widget=forms.TextInput(attrs={"placeholder": "18位统一社会信用代码"}),
    )

    def clean_credit_code(self) -> str:
        code = str(self.cleaned_data["credit_code"]).strip().upper()
        if not CREDIT_CODE_RE.match(code):
            raise forms.ValidationError("请输入18位统一社会信用代码（数字和大写字母）")
        return code


# --- which draws are public -------------------------------------------------------------------


def _latest(draw: Draw) -> Draw:
    """The draw that replaced ``draw`` last (the chain of re-draws, followed forward)."""
    seen = {draw.pk}
    while True:
        nxt = getattr(draw, "superseded_by", None)
        if nxt is None or nxt.pk in seen:
            return draw
        seen.add(nxt.pk)
        draw = Draw.objects.select_related("superseded_by").get(pk=nxt.pk)


def _public_task_of(draw: Draw) -> Task:
    """The task of a published plan whose draw chain holds ``draw``, or 404."""
    task = selectors.public_tasks().filter(draw=_latest(draw)).first()
    if task is None:
        raise Http404("没有这个公开的抽取")
    return task


def _public_draw(pk: int) -> tuple[Draw, Task]:
    draw = get_object_or_404(public_draws(), pk=pk)
    return draw, _public_task_of(draw)


# --- pages ------------------------------------------------------------------------------------


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    filters = PlanFilter(request.GET)
    plans = selectors.public_plans()
    if filters.is_valid():
        q, kind, year = (filters.cleaned_data[k] for k in ("q", "kind", "year"))
        if q:
            plans = plans.filter(
                Q(title__icontains=q) | Q(number__icontains=q) | Q(organization__name__icontains=q)
            )
        if kind:
            plans = plans.filter(kind=kind)
        if year:
            plans = plans.filter(year=year)
    plans = plans.order_by("-published_on", "-year", "number")
    context = {"filters": filters, "page": _page(request, plans)}
    return render(request, "portal/inspection_plans.html", context)


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.public_plans(), pk=pk)
    tasks = selectors.public_tasks().filter(plan=plan).order_by("number")
    # The ratios the plan's draws use: 重点检查事项's if it has a 重点 item (quotas_for).
    applied = services.ratio_kind(plan)
    context = {
        "plan": plan,
        "departments": plan.departments.all(),
        "items": plan.items.all(),
        "ratios": sorted(services.stored_ratios(plan.ratios)[applied].items()),
        "ratio_kind": ItemKind(applied).label,
        "tasks": tasks,
    }
    return render(request, "portal/inspection_plan.html", context)


@require_GET
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One draw: the commitment (from the moment it is made), the randomness, the result; the
    block refreshes itself while the randomness is awaited, so a public screen follows."""
    draw, task = _public_draw(pk)
    replaced_by = getattr(draw, "superseded_by", None)
    context = {
        "view": draw_view(draw),
        "task": task,
        "plan": task.plan,
        "replaced_by": replaced_by,
        "poll": draw.status == DrawStatus.COMMITTED,
        "poll_seconds": POLL_SECONDS,
        "results_published": task.status == TaskStatus.PUBLISHED and replaced_by is None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "portal/_inspection_draw.html", context)
    return render(request, "portal/inspection_draw.html", context)


@require_GET
def draw_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    draw, _ = _public_draw(pk)
    return bundle_response(draw)


@require_GET
def draw_verifier(request: HttpRequest) -> FileResponse:
    return verifier_response()


@require_GET
def result_list(request: HttpRequest) -> HttpResponse:
    filters = ResultFilter(request.GET)
    results = selectors.public_results()
    if filters.is_valid() and filters.cleaned_data["q"]:
        q = filters.cleaned_data["q"]
        results = results.filter(Q(entity__name__icontains=q) | Q(entity__credit_code=q.upper()))
    context = {"filters": filters, "page": _page(request, results)}
    return render(request, "portal/inspection_results.html", context)


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """ "Was I drawn, and can I check it": every public draw whose pool held the entity."""
    form = LookupForm(request.GET or None)
    entries: list[dict[str, Any]] | None = None
    if form.is_bound and form.is_valid():
        # Draws of unpublished plans are not public: the lookup shows only those with a plan.
        found = selectors.entity_draws(form.cleaned_data["credit_code"])
        entries = [e for e in found if e.get("plan") is not None]
    context = {"form": form, "entries": entries}
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "portal/inspection_lookup.html", context, status=status)
