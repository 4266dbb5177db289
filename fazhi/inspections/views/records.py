"""Inspection records (抽查记录): the result of one drawn entity, with photos into the ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core import exports
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import has_perm, require
from fazhi.core.selectors import scope_filter
from fazhi.inspections import selectors, services
from fazhi.inspections.forms import ResultForm, refuse
from fazhi.inspections.models import InspectionRecord, Outcome
from fazhi.inspections.views._common import actor_of, requires

RECORD = "inspections.record"
RECORD_HEADERS = (
    "抽查任务",
    "统一社会信用代码",
    "检查对象",
    "检查人员",
    "检查日期",
    "检查结果",
    "检查情况",
)


def record_rows(records: Any) -> Any:
    for r in records:
        yield (
            r.task.title,
            r.entity.credit_code,
            r.entity.name,
            "、".join(i.officer.name for i in r.inspectors.all()),
            r.inspected_on.isoformat() if r.inspected_on else "",
            r.get_outcome_display(),
            r.findings,
        )


def cases_from_record(actor: User, record: InspectionRecord) -> dict[str, Any]:
    """移送立案: the cases registered from the record that the user may open (their data scope,
    as the case pages have it), and whether the user may register the first one. Read through
    the reverse relation ``record.cases``: the inspections never import the cases (layers)."""
    if record.outcome != Outcome.REFERRED:
        return {}
    linked = record.cases.all()
    visible = (
        list(linked.filter(scope_filter(actor)).order_by("pk"))
        if has_perm(actor, "cases.view")
        else []
    )
    registered = bool(visible) or linked.exists()
    return {
        "referred": True,
        "referred_cases": visible,
        # A case of a body outside the user's scope: said, never shown.
        "referred_elsewhere": registered and not visible,
        "can_register_case": not registered and has_perm(actor, "cases.handle"),
    }


@requires("inspections.view")
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record, and (for one of its inspectors or the head) the form for its result."""
    actor = actor_of(request)
    record: InspectionRecord = selectors.record_for(actor, pk)
    status = 200
    if request.method == "POST":
        require(actor, RECORD)
        form = ResultForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_result(
                    actor=actor,
                    record=record,
                    inspected_on=data["inspected_on"],
                    outcome=data["outcome"],
                    findings=data["findings"],
                    files=data["photos"],
                )
            except DomainError as exc:
                refuse(form, exc, {"files": "photos"})
            else:
                messages.success(request, "已录入检查结果")
                return redirect("inspections:task_detail", pk=record.task_id)
        status = 400
    else:
        initial = {}
        if record.outcome:
            initial = {
                "inspected_on": record.inspected_on,
                "outcome": record.outcome,
                "findings": record.findings,
            }
        form = ResultForm(initial=initial)
    context = {
        "record": record,
        "inspectors": record.inspectors.select_related("officer"),
        "substitutes": record.substitutes.select_related("officer"),
        "form": form,
        "can_record": services.can_record(actor, record),
        **cases_from_record(actor, record),
    }
    return render(request, "inspections/record_detail.html", context, status=status)


@requires("inspections.view")
def record_export(request: HttpRequest) -> HttpResponse:
    """The results in scope as Excel (one task with ?task=<id>)."""
    actor = actor_of(request)
    task = None
    if (request.GET.get("task") or "").isdigit():
        task = selectors.task_for(actor, int(request.GET["task"]))
    records = selectors.records_for(actor, task=task).select_related("task", "entity")
    records = records.prefetch_related("inspectors__officer")
    content = exports.build_workbook("抽查结果", RECORD_HEADERS, record_rows(records))
    return exports.xlsx_response("抽查结果", content)
