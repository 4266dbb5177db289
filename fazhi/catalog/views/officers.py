"""执法人员 pages: list, detail, create, edit, certificate status, training, 跟案学习."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.catalog import selectors, services
from fazhi.catalog.forms import (
    OfficerFilterForm,
    OfficerForm,
    OfficerStatusForm,
    ShadowingForm,
    TrainingForm,
)
from fazhi.catalog.models import (
    Officer,
    OfficerStatus,
    TrainingKind,
    TrainingRecord,
)
from fazhi.catalog.views._common import (
    actor_of,
    clean_filters,
    enforcement_orgs,
    optional_url,
    paginate,
    refuse,
)
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import has_perm
from fazhi.core.selectors import visible_organizations
from fazhi.core.views import requires

# Yearly training targets per officer, as the county's annual report counts them (网络培训 20
# 学时、专业法律知识培训 40 学时). They are the report's own yardstick, not a statutory threshold.
TRAINING_TARGETS = {TrainingKind.ONLINE: Decimal(20), TrainingKind.PROFESSIONAL: Decimal(40)}


# --- 执法人员 ---------------------------------------------------------------------------------


@requires("catalog.view")
def officer_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = OfficerFilterForm(request.GET, organizations=enforcement_orgs(actor))
    data = clean_filters(filters)
    officers = selectors.officers_for(
        actor,
        search=data.get("q", ""),
        status=data.get("status", ""),
        organization=data.get("organization", ""),
    )
    today = timezone.localdate()
    if data.get("validity") == "expired":
        officers = officers.filter(valid_until__lt=today)
    elif data.get("validity") == "valid":
        officers = officers.filter(valid_from__lte=today, valid_until__gte=today)
    context = {
        "filters": filters,
        "page": paginate(request, officers),
        "today": today,
        "can_manage": has_perm(actor, "catalog.manage_officers"),
        "export_url": optional_url("catalog:export_download", "officers"),
    }
    return render(request, "catalog/officer_list.html", context)


def _training_years(trainings: list[TrainingRecord]) -> list[dict[str, Any]]:
    """Hours per year and kind against the yearly targets, newest year first."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for t in trainings:
        hours_by_kind = totals[t.held_on.year]
        hours_by_kind[t.kind] = hours_by_kind.get(t.kind, Decimal(0)) + t.hours
    rows = []
    for year in sorted(totals, reverse=True):
        row: dict[str, Any] = {"year": year}
        for kind, target in TRAINING_TARGETS.items():
            hours = totals[year].get(kind, Decimal(0))
            row[kind.value] = {"hours": hours, "target": target, "met": hours >= target}
        rows.append(row)
    return rows


def _officer_page(
    request: HttpRequest,
    officer: Officer,
    *,
    status_form: OfficerStatusForm | None = None,
    training_form: TrainingForm | None = None,
    shadowing_form: ShadowingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    mentors = (
        selectors.officers_for(actor, status=OfficerStatus.ACTIVE)
        .exclude(pk=officer.pk)
        .filter(valid_from__lte=today, valid_until__gte=today)
    )
    trainings = list(officer.trainings.all())
    context = {
        "officer": officer,
        "today": today,
        "problem": officer.certificate_problem(today),
        "trainings": trainings,
        "training_years": _training_years(trainings),
        "shadowing": officer.shadowing.select_related("mentor"),
        "mentees": officer.mentees.select_related("officer"),
        "can_manage": has_perm(actor, "catalog.manage_officers"),
        "status_form": status_form or OfficerStatusForm(),
        "training_form": training_form or TrainingForm(initial={"held_on": today}),
        "shadowing_form": shadowing_form
        or ShadowingForm(mentors=mentors, initial={"started_on": today}),
    }
    return render(request, "catalog/officer_detail.html", context, status=status)


@requires("catalog.view")
def officer_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _officer_page(request, selectors.get_officer_for(actor_of(request), number))


def _officer_choices(actor: User, officer: Officer | None) -> dict[str, Any]:
    orgs = visible_organizations(actor)
    users = User.objects.filter(organization__in=orgs, is_active=True).select_related(
        "organization"
    )
    # An account belongs to one officer at most (Officer.user is one-to-one): offer free
    # accounts, and the officer's own when editing.
    free = Q(officer__isnull=True)
    users = users.filter(free | Q(officer=officer) if officer is not None else free)
    return {"organizations": enforcement_orgs(actor), "users": users}


def _officer_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "organization": data["organization"],
        "name": data["name"],
        "certificate_number": data["certificate_number"],
        "issuing_authority": data["issuing_authority"],
        "valid_from": data["valid_from"],
        "valid_until": data["valid_until"],
        "fields": data["enforcement_fields"],
        "user": data["user"],
    }


@requires("catalog.manage_officers")
def officer_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = OfficerForm(request.POST or None, **_officer_choices(actor, None))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                officer = services.create_officer(actor=actor, **_officer_fields(form.cleaned_data))
            except DomainError as exc:
                refuse(form, exc, {"fields": "enforcement_fields"})
            else:
                messages.success(request, f"已登记执法人员“{officer.name}”")
                return redirect("catalog:officer_detail", number=officer.certificate_number)
        status = 400
    return render(
        request, "catalog/officer_form.html", {"form": form, "officer": None}, status=status
    )


@requires("catalog.manage_officers")
def officer_edit(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    officer = selectors.get_officer_for(actor, number)
    form = OfficerForm(
        request.POST or None,
        initial={
            "organization": officer.organization,
            "name": officer.name,
            "certificate_number": officer.certificate_number,
            "issuing_authority": officer.issuing_authority,
            "valid_from": officer.valid_from,
            "valid_until": officer.valid_until,
            "enforcement_fields": officer.fields,
            "user": officer.user_id,
        },
        **_officer_choices(actor, officer),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                officer = services.update_officer(
                    actor=actor, officer=officer, **_officer_fields(form.cleaned_data)
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, "执法人员信息已保存")
                return redirect("catalog:officer_detail", number=officer.certificate_number)
        status = 400
    return render(
        request, "catalog/officer_form.html", {"form": form, "officer": officer}, status=status
    )


@require_POST
@requires("catalog.manage_officers")
def officer_status(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    officer = selectors.get_officer_for(actor, number)
    form = OfficerStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_officer_status(
                actor=actor,
                officer=officer,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            refuse(form, exc, {"status_reason": "reason"})
        else:
            labels = {"suspended": "已暂扣", "revoked": "已注销", "active": "已恢复有效"}
            messages.success(request, f"执法证{labels[form.cleaned_data['status']]}")
            return redirect("catalog:officer_detail", number=number)
    return _officer_page(request, officer, status_form=form, status=400)


@require_POST
@requires("catalog.manage_officers")
def officer_training(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    officer = selectors.get_officer_for(actor, number)
    form = TrainingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_training(
                actor=actor,
                officer=officer,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                hours=data["hours"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"已登记培训“{data['title']}”{data['hours']}学时")
            return redirect("catalog:officer_detail", number=number)
    return _officer_page(request, officer, training_form=form, status=400)


@require_POST
@requires("catalog.manage_officers")
def officer_shadowing(request: HttpRequest, number: str) -> HttpResponse:
    actor = actor_of(request)
    officer = selectors.get_officer_for(actor, number)
    form = ShadowingForm(request.POST, mentors=selectors.officers_for(actor).exclude(pk=officer.pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_shadowing(
                actor=actor,
                officer=officer,
                mentor=data["mentor"],
                case_reference=data["case_reference"],
                started_on=data["started_on"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, f"已安排跟案学习，带教人员：{data['mentor'].name}")
            return redirect("catalog:officer_detail", number=number)
    return _officer_page(request, officer, shadowing_form=form, status=400)
