"""执法事项 pages: list, detail, create, edit, deactivate, 事前公示, 下放乡镇 and its evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from fazhi.catalog import selectors, services
from fazhi.catalog.conversions import (
    conditions_from_json,
    describe_conditions,
)
from fazhi.catalog.forms import (
    DelegationEvaluationForm,
    DelegationForm,
    ItemFilterForm,
    ItemForm,
)
from fazhi.catalog.models import (
    Delegation,
)
from fazhi.catalog.views._common import (
    actor_of,
    clean_filters,
    enforcement_orgs,
    fine_text,
    optional_url,
    paginate,
    penalty_labels,
    published_filter,
    refuse,
    visible_or_published,
)
from fazhi.core.choices import OrgKind
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import has_perm
from fazhi.core.selectors import visible_organizations
from fazhi.core.views import requires

# --- 执法事项 ---------------------------------------------------------------------------------


@requires("catalog.view")
def item_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = ItemFilterForm(request.GET, organizations=enforcement_orgs(actor))
    data = clean_filters(filters)
    items = selectors.items_for(
        actor,
        search=data.get("q", ""),
        category=data.get("category", ""),
        organization=data.get("organization", ""),
        published=published_filter(data.get("published", "")),
    )
    context = {
        "filters": filters,
        "page": paginate(request, items),
        "can_manage": has_perm(actor, "catalog.manage"),
        "export_url": optional_url("catalog:export_download", "items"),
    }
    return render(request, "catalog/item_list.html", context)


@require_GET
@requires("catalog.view")
def item_lookup(request: HttpRequest) -> HttpResponse:
    """<option>s for the item-code inputs' <datalist>, fetched by htmx as the user types."""
    term = (request.GET.get("item_code") or request.GET.get("q") or "").strip()[:64]
    items = selectors.items_for(actor_of(request), search=term).filter(is_active=True)[:20]
    return render(request, "catalog/_item_options.html", {"items": items if term else []})


@requires("catalog.view")
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    item = selectors.get_item_for(actor, code)
    entries = (
        item.list_entries.filter(visible_or_published(actor, "lenient_list__"))
        .select_related("lenient_list", "lenient_list__organization")
        .order_by("lenient_list__kind", "-lenient_list__effective_from", "number")
    )
    standards = (
        item.standards.filter(visible_or_published(actor, ""))
        .select_related("organization", "parent")
        .prefetch_related("tiers")
    )
    context = {
        "item": item,
        "penalty_labels": penalty_labels(item.penalty_types),
        "fine_text": fine_text(item.fine_basis, item.fine_min, item.fine_max),
        "entries": [(e, describe_conditions(conditions_from_json(e.conditions))) for e in entries],
        "standards": standards,
        "delegations": item.delegations.select_related("township").prefetch_related("evaluations"),
        "can_manage": has_perm(actor, "catalog.manage"),
        "can_delegate": has_perm(actor, "catalog.manage_bodies"),
        "can_evaluate": has_perm(actor, "rules.evaluate"),
    }
    return render(request, "catalog/item_detail.html", context)


ITEM_FIELDS = (
    "code",
    "name",
    "category",
    "basis_law",
    "basis_article",
    "basis_paragraph",
    "basis_text",
    "penalty_types",
    "fine_basis",
    "fine_min",
    "fine_max",
    "effective_from",
)


def _item_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    fields = {k: data[k] for k in ITEM_FIELDS}
    fields["penalty_types"] = list(fields["penalty_types"] or [])
    fields["fine_basis"] = fields["fine_basis"] or ""
    return fields


@requires("catalog.manage")
def item_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ItemForm(
        request.POST or None,
        organizations=enforcement_orgs(actor),
        initial={"organization": actor.organization, "effective_from": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.create_item(
                    actor=actor,
                    organization=form.cleaned_data["organization"],
                    **_item_fields(form.cleaned_data),
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已新增执法事项“{item.name}”")
                return redirect("catalog:item_detail", code=item.code)
        status = 400
    return render(request, "catalog/item_form.html", {"form": form, "item": None}, status=status)


@requires("catalog.manage")
def item_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    item = selectors.get_item_for(actor, code)
    initial = {k: getattr(item, k) for k in ITEM_FIELDS}
    initial["organization"] = item.organization
    form = ItemForm(request.POST or None, organizations=enforcement_orgs(actor), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.update_item(
                    actor=actor,
                    item=item,
                    organization=form.cleaned_data["organization"],
                    **_item_fields(form.cleaned_data),
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, "执法事项已保存")
                return redirect("catalog:item_detail", code=item.code)
        status = 400
    return render(request, "catalog/item_form.html", {"form": form, "item": item}, status=status)


@require_POST
@requires("catalog.manage")
def item_active(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    item = selectors.get_item_for(actor, code)
    active = request.POST.get("is_active") == "1"
    try:
        services.set_item_active(actor=actor, item=item, is_active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "事项已恢复有效" if active else "事项已停用")
    return redirect("catalog:item_detail", code=code)


@require_POST
@requires("catalog.manage")
def item_publish(request: HttpRequest) -> HttpResponse:
    """事前公示 of the checked items (国办发〔2018〕118号 二（四）): one service call per batch."""
    actor = actor_of(request)
    codes = [c for c in request.POST.getlist("codes") if c][:1000]
    back = reverse("catalog:item_list")
    if not codes:
        messages.error(request, "请先勾选要公示的事项")
        return redirect(back)
    items = list(selectors.items_for(actor).filter(code__in=codes))
    try:
        count = services.publish_items(actor=actor, items=items)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        skipped = len(codes) - count
        text = f"已公示 {count} 个事项"
        if skipped:
            text += f"；{skipped} 个事项已公示过、已停用或不在您的数据范围内，未重复公示"
        messages.success(request, text)
    return redirect(back)


def _townships(actor: User) -> QuerySet[Organization]:
    return enforcement_orgs(actor).filter(kind=OrgKind.TOWNSHIP)


@requires("catalog.manage_bodies")
def item_delegate(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_of(request)
    item = selectors.get_item_for(actor, code)
    form = DelegationForm(
        request.POST or None,
        townships=_townships(actor),
        initial={"decided_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.delegate_item(
                    actor=actor,
                    item=item,
                    township=data["township"],
                    decided_on=data["decided_on"],
                    document_number=data["document_number"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已将事项下放至{data['township'].name}")
                return redirect("catalog:item_detail", code=code)
        status = 400
    return render(
        request, "catalog/delegation_form.html", {"form": form, "item": item}, status=status
    )


@requires("catalog.manage_bodies")
def delegation_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    scope = visible_organizations(actor)
    delegation = (
        Delegation.objects.filter(pk=pk)
        .filter(Q(item__organization__in=scope) | Q(township__in=scope))
        .select_related("item", "township")
        .first()
    )
    if delegation is None:
        raise Http404("没有找到该下放事项，或不在您的数据范围内")
    form = DelegationEvaluationForm(
        request.POST or None, initial={"evaluated_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluate_delegation(
                    actor=actor,
                    delegation=delegation,
                    evaluated_on=data["evaluated_on"],
                    conclusion=data["conclusion"],
                    opinion=data["opinion"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, "评估结果已记录")
                return redirect("catalog:item_detail", code=delegation.item.code)
        status = 400
    context = {
        "form": form,
        "delegation": delegation,
        "evaluations": delegation.evaluations.all(),
    }
    return render(request, "catalog/delegation_evaluate.html", context, status=status)
