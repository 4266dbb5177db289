"""登记案源 and 当场处罚: the two pages that create a case.

Each rendering of the form carries a fresh idempotency key in a hidden field; the service
returns the case already created with that key, so a double click (or a resubmitted page)
creates one case, not two.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.cases import services
from fazhi.cases.forms import CaseCreateForm, OnSpotForm, refuse
from fazhi.cases.views._common import actor_of, enforcement_orgs, requires
from fazhi.core.errors import DomainError

# The services name the item ``item``; the form takes its code.
ALIASES = {"item": "item_code"}


@requires("cases.handle")
def case_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = CaseCreateForm(
        request.POST if request.method == "POST" else None,
        organizations=enforcement_orgs(actor),
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
                )
            except DomainError as exc:
                refuse(form, exc, ALIASES)
            else:
                messages.success(request, f"已登记案源，案件编号{case.number}")
                return redirect("cases:case_detail", pk=case.pk)
        status = 400
    context = {"form": form, "title": "登记案源", "on_spot": False}
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
