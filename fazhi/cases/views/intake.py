"""登记案源 and 当场处罚: the two pages that create a case.

Each rendering of the form carries a fresh idempotency key in a hidden field; the service
returns the case already created with that key, so a double click (or a resubmitted page)
creates one case, not two.

登记案源 may start from a 双随机 inspection record whose result was 移送立案
(``?inspection_record=<id>``, then a hidden field): the form is prefilled from the record and
the case is linked to it. A record outside the user's scope is a 404, like the record page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.cases import services
from fazhi.cases.forms import CaseCreateForm, OnSpotForm, refuse
from fazhi.cases.views._common import actor_of, enforcement_orgs, requires
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.inspections import selectors as inspection_selectors
from fazhi.inspections.models import InspectionRecord

# The services name the item ``item``; the form takes its code.
ALIASES = {"item": "item_code"}
# The inspection record travels in a hidden field: its refusal goes to the top of the form.
CREATE_ALIASES = {**ALIASES, services.RECORD_FIELD: ""}


def _inspection_record(actor: User, raw: str | None) -> InspectionRecord | None:
    """The record named by the request, in the user's scope of the inspections (else 404)."""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("没有找到该检查记录")
    return inspection_selectors.record_for(actor, int(raw))


@requires("cases.handle")
def case_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    params = request.POST if request.method == "POST" else request.GET
    record = _inspection_record(actor, params.get(services.RECORD_FIELD))
    refusal = ""
    if record is not None and request.method != "POST":
        try:
            services.check_inspection_record(actor, record)
        except DomainError as exc:  # shown on the page; the form is the plain one
            refusal, record = exc.message, None
    form = CaseCreateForm(
        request.POST if request.method == "POST" else None,
        organizations=enforcement_orgs(actor),
        inspection_record=record,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.receive_lead(
                    actor=actor,
                    organization=d["organization"],
                    item=d["item"],
                    title=d["title"],
                    source=d["source"],
                    source_detail=d.get("source_detail") or "",
                    act_date=d["act_date"],
                    discovered_date=d["discovered_date"],
                    on=d["on"],
                    parties=form.parties.parties(),
                    officers=list(d.get("officers") or []),
                    facts_text=d.get("facts_text") or "",
                    idempotency_key=d["idempotency_key"],
                    inspection_record=record,
                )
            except DomainError as exc:
                refuse(form, exc, CREATE_ALIASES)
            else:
                messages.success(request, f"已登记案源，案件编号{case.number}")
                return redirect("cases:case_detail", pk=case.pk)
        status = 400
    context = {
        "form": form,
        "title": "登记案源",
        "on_spot": False,
        "inspection_record": record,
        "record_refusal": refusal,
    }
    return render(request, "cases/case_form.html", context, status=status)


@requires("cases.handle")
def case_on_spot(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = OnSpotForm(
        request.POST if request.method == "POST" else None,
        organizations=enforcement_orgs(actor),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.decide_on_spot(
                    actor=actor,
                    organization=d["organization"],
                    item=d["item"],
                    title=d["title"],
                    act_date=d["act_date"],
                    on=d["on"],
                    party=form.party.party(),
                    officers=list(d["officers"]),
                    penalty_types=list(d["penalty_types"]),
                    fine=d.get("fine"),
                    facts=form.facts(),
                    facts_text=d.get("facts_text") or "",
                    idempotency_key=d["idempotency_key"],
                )
            except DomainError as exc:
                refuse(form, exc, ALIASES)
            else:
                messages.success(
                    request, f"已当场作出行政处罚决定，决定书文号{case.decision_number}"
                )
                return redirect("cases:case_detail", pk=case.pk)
        status = 400
    context = {"form": form, "title": "当场处罚（简易程序）", "on_spot": True}
    return render(request, "cases/case_form.html", context, status=status)
