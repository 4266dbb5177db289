"""包容审慎监管清单 pages (四张清单, 首违不罚): lists, entries, publication."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.catalog import selectors, services
from fazhi.catalog.conversions import (
    conditions_from_json,
    describe_conditions,
)
from fazhi.catalog.forms import (
    EntryForm,
    ListFilterForm,
    ListForm,
)
from fazhi.catalog.views._common import (
    actor_of,
    clean_filters,
    item_by_code,
    optional_url,
    paginate,
    refuse,
)
from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_perm
from fazhi.core.selectors import visible_organizations
from fazhi.core.views import requires

# --- 清单 -------------------------------------------------------------------------------------


@requires("catalog.view")
def list_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = ListFilterForm(request.GET)
    data = clean_filters(filters)
    lists = (
        selectors.lists_for(actor, kind=data.get("kind", ""), search=data.get("q", ""))
        .annotate(entry_count=Count("entries"))
        .order_by("kind", "organization__path", "-effective_from", "pk")
    )
    context = {
        "filters": filters,
        "page": paginate(request, lists),
        "can_manage": has_perm(actor, "catalog.manage"),
        "export_url": optional_url("catalog:export_download", "list_entries"),
    }
    return render(request, "catalog/list_list.html", context)


@requires("catalog.view")
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    lst = selectors.get_list_for(actor, pk)
    search = (request.GET.get("q") or "").strip()[:100]
    entries = lst.entries.select_related("item", "organization")
    if search:
        entries = entries.filter(
            Q(violation__icontains=search)
            | Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
        )
    page = paginate(request, entries)
    context = {
        "list": lst,
        "search": search,
        "page": page,
        "rows": [(e, describe_conditions(conditions_from_json(e.conditions))) for e in page],
        "total": lst.entries.count(),
        "can_manage": has_perm(actor, "catalog.manage") and lst.published_at is None,
    }
    return render(request, "catalog/list_detail.html", context)


@requires("catalog.manage")
def list_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = ListForm(
        request.POST or None,
        organizations=visible_organizations(actor).filter(is_active=True),
        initial={"organization": actor.organization, "effective_from": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                lst = services.create_list(
                    actor=actor,
                    kind=data["kind"],
                    title=data["title"],
                    organization=data["organization"],
                    version=data["version"],
                    effective_from=data["effective_from"],
                    effective_until=data["effective_until"],
                    document_number=data["document_number"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已创建清单“{lst.title}”，请添加清单事项后公布")
                return redirect("catalog:list_detail", pk=lst.pk)
        status = 400
    return render(request, "catalog/list_form.html", {"form": form}, status=status)


@requires("catalog.manage")
def list_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    lst = selectors.get_list_for(actor, pk)
    last = lst.entries.order_by("-number").values_list("number", flat=True).first() or 0
    form = EntryForm(request.POST or None, initial={"number": last + 1})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            item = item_by_code(actor, data["item_code"])
            if item is None:
                form.add_error(
                    "item_code", f"事项编码“{data['item_code']}”不存在或不在您的数据范围内"
                )
            else:
                try:
                    services.add_list_entry(
                        actor=actor,
                        lenient_list=lst,
                        item=item,
                        number=data["number"],
                        violation=data["violation"],
                        legal_basis=data["legal_basis"],
                        condition_text=data["condition_text"],
                        conditions=form.conditions(),
                    )
                except DomainError as exc:
                    refuse(form, exc, {"item": "item_code"})
                else:
                    messages.success(request, f"已添加第{data['number']}项")
                    return redirect("catalog:list_detail", pk=lst.pk)
        status = 400
    context = {"form": form, "list": lst, "published": lst.published_at is not None}
    return render(request, "catalog/entry_form.html", context, status=status)


@require_POST
@requires("catalog.manage")
def list_entry_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    actor = actor_of(request)
    lst = selectors.get_list_for(actor, pk)
    entry = lst.entries.select_related("item", "lenient_list").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404("没有找到该清单事项")
    try:
        services.remove_list_entry(actor=actor, entry=entry)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除第{entry.number}项")
    return redirect("catalog:list_detail", pk=pk)


@require_POST
@requires("catalog.manage")
def list_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    lst = selectors.get_list_for(actor, pk)
    try:
        services.publish_list(actor=actor, lenient_list=lst)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{lst.title}已公布，此后不能再修改")
    return redirect("catalog:list_detail", pk=pk)
