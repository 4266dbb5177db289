"""执法主体 pages: list, detail, register, edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from fazhi.catalog import selectors, services
from fazhi.catalog.forms import (
    BodyFilterForm,
    BodyForm,
)
from fazhi.catalog.models import (
    EnforcementBody,
)
from fazhi.catalog.views._common import (
    DETAIL_ROWS,
    actor_of,
    clean_filters,
    enforcement_orgs,
    optional_url,
    paginate,
    refuse,
)
from fazhi.core.choices import EnforcementBasis
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import has_perm
from fazhi.core.views import requires

# --- 执法主体 ---------------------------------------------------------------------------------


@requires("catalog.view")
def body_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = BodyFilterForm(request.GET)
    data = clean_filters(filters)
    bodies = selectors.bodies_for(actor, search=data.get("q", ""), kind=data.get("kind", ""))
    # An aggregate drops Meta.ordering: order again, or pages could repeat or skip rows.
    bodies = bodies.annotate(
        item_count=Count("organization__enforcement_items", distinct=True),
        officer_count=Count("organization__officers", distinct=True),
    ).order_by("organization__path")
    context = {
        "filters": filters,
        "page": paginate(request, bodies),
        "can_manage": has_perm(actor, "catalog.manage_bodies"),
        "export_url": optional_url("catalog:export_download", "bodies"),
    }
    return render(request, "catalog/body_list.html", context)


def _get_body(actor: User, code: str) -> EnforcementBody:
    body = selectors.bodies_for(actor).filter(organization__code=code).first()
    if body is None:
        raise Http404("没有找到该执法主体，或不在您的数据范围内")
    return body


@requires("catalog.view")
def body_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    body = _get_body(actor, code)
    org = body.organization
    items = selectors.items_for(actor, organization=org.code)
    officers = selectors.officers_for(actor, organization=org.code)
    context = {
        "body": body,
        "items": items[:DETAIL_ROWS],
        "item_count": items.count(),
        "officers": officers[:DETAIL_ROWS],
        "officer_count": officers.count(),
        "entrusted": selectors.bodies_for(actor).filter(entrusting_organization=org),
        "delegations": org.delegated_items.select_related("item", "item__organization"),
        "today": timezone.localdate(),
        "can_manage": has_perm(actor, "catalog.manage_bodies"),
    }
    return render(request, "catalog/body_detail.html", context)


def _entrusting_choices(actor: User) -> QuerySet[Organization]:
    return enforcement_orgs(actor).filter(enforcement_basis=EnforcementBasis.STATUTORY)


@requires("catalog.manage_bodies")
def body_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    candidates = enforcement_orgs(actor).filter(enforcement_body__isnull=True)
    form = BodyForm(
        request.POST or None,
        organizations=candidates,
        entrusting=_entrusting_choices(actor),
        initial={"organization": candidates.filter(code=request.GET.get("org", "")).first()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                body = services.register_body(
                    actor=actor,
                    organization=data["organization"],
                    credit_code=data["credit_code"],
                    authority_basis=data["authority_basis"],
                    entrusting_organization=data["entrusting_organization"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已登记执法主体“{body.organization.name}”")
                return redirect("catalog:body_detail", code=body.organization.code)
        status = 400
    return render(request, "catalog/body_form.html", {"form": form, "body": None}, status=status)


@requires("catalog.manage_bodies")
def body_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    body = _get_body(actor, code)
    form = BodyForm(
        request.POST or None,
        organizations=None,
        entrusting=_entrusting_choices(actor),
        initial={
            "credit_code": body.credit_code,
            "authority_basis": body.authority_basis,
            "entrusting_organization": body.entrusting_organization,
            "is_active": body.is_active,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_body(
                    actor=actor,
                    body=body,
                    credit_code=data["credit_code"],
                    authority_basis=data["authority_basis"],
                    entrusting_organization=data["entrusting_organization"],
                    is_active=data["is_active"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, "执法主体信息已保存")
                return redirect("catalog:body_detail", code=code)
        status = 400
    return render(request, "catalog/body_form.html", {"form": form, "body": body}, status=status)
