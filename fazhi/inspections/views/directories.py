"""一单两库: the item list (抽查事项清单), the entity directory (检查对象名录库) and the inspector
directory (执法检查人员名录库), with the inspectors' declared relationships."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from fazhi.catalog.models import Officer
from fazhi.core import exports
from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_perm, require
from fazhi.inspections import selectors, services
from fazhi.inspections.forms import (
    EntityFilterForm,
    EntityForm,
    InspectorFilterForm,
    InspectorForm,
    ItemFilterForm,
    ItemForm,
    RelationshipForm,
    refuse,
)
from fazhi.inspections.models import Entity, Inspector, Relationship
from fazhi.inspections.views._common import (
    actor_of,
    own_organizations,
    paginate,
    requires,
    townships,
    wants_xlsx,
)

MANAGE = "inspections.manage"


def _form_page(
    request: HttpRequest, form: Any, title: str, back: str, status: int = 200
) -> HttpResponse:
    context = {"form": form, "title": title, "back": back}
    return render(request, "inspections/form.html", context, status=status)


# --- 抽查事项清单 -------------------------------------------------------------------------------


@require_GET
@requires("inspections.view")
def item_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = ItemFilterForm(request.GET, organizations=own_organizations(actor))
    items = selectors.items_for(actor, **filters.selector_kwargs())
    context = {
        "filters": filters,
        "page": paginate(request, items),
        "can_manage": has_perm(actor, MANAGE),
    }
    return render(request, "inspections/item_list.html", context)


@requires(MANAGE)
def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    item = get_object_or_404(selectors.items_for(actor), pk=pk) if pk else None
    initial: dict[str, Any] = {}
    if item is not None:
        initial = {
            f: getattr(item, f)
            for f in ("code", "name", "kind", "basis", "content", "method", "qualification")
        }
        initial["organization"] = item.organization_id
    orgs = own_organizations(actor)
    if request.method == "POST":
        form = ItemForm(request.POST, organizations=orgs)
        if form.is_valid():
            try:
                saved = services.save_item(actor=actor, item=item, **form.service_kwargs())
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已保存抽查事项“{saved.name}”")
                return redirect("inspections:item_list")
        return _form_page(request, form, "抽查事项", "inspections:item_list", 400)
    form = ItemForm(initial=initial, organizations=orgs)
    return _form_page(request, form, "抽查事项", "inspections:item_list")


# --- 检查对象名录库 -----------------------------------------------------------------------------

ENTITY_HEADERS = (
    "统一社会信用代码",
    "名称",
    "市场主体类型",
    "行业",
    "所在乡镇",
    "住所（经营场所）",
    "信用风险分类",
    "许可证",
    "存续",
)


def _entity_rows(entities: QuerySet[Entity]) -> Any:
    for e in entities.iterator(chunk_size=2000):
        yield (
            e.credit_code,
            e.name,
            e.kind,
            e.industry,
            e.township.name,
            e.address,
            e.risk_class,
            "、".join(str(x) for x in e.licences or []),
            "是" if e.is_active else "否",
        )


@require_GET
@requires("inspections.view")
def entity_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = EntityFilterForm(request.GET, townships=townships())
    entities = selectors.entities_for(actor, **filters.selector_kwargs())
    if wants_xlsx(request):
        content = exports.build_workbook("检查对象", ENTITY_HEADERS, _entity_rows(entities))
        return exports.xlsx_response("检查对象名录库", content)
    context = {
        "filters": filters,
        "page": paginate(request, entities),
        "can_manage": has_perm(actor, MANAGE),
    }
    return render(request, "inspections/entity_list.html", context)


@requires(MANAGE)
def entity_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    entity = get_object_or_404(selectors.entities_for(actor), pk=pk) if pk else None
    if request.method == "POST":
        form = EntityForm(request.POST, townships=townships())
        if form.is_valid():
            try:
                saved = services.save_entity(actor=actor, entity=entity, **form.service_kwargs())
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已保存检查对象“{saved.name}”")
                return redirect("inspections:entity_list")
        return _form_page(request, form, "检查对象", "inspections:entity_list", 400)
    initial = EntityForm.initial_of(entity) if entity else {"is_active": True}
    form = EntityForm(initial=initial, townships=townships())
    return _form_page(request, form, "检查对象", "inspections:entity_list")


# --- 执法检查人员名录库 -------------------------------------------------------------------------


def _officers(actor: Any) -> QuerySet[Officer]:
    return Officer.objects.filter(organization__in=own_organizations(actor)).select_related(
        "organization"
    )


@require_GET
@requires("inspections.view")
def inspector_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = InspectorFilterForm(request.GET)
    inspectors = selectors.inspectors_for(actor, **filters.selector_kwargs()).order_by(
        "officer__certificate_number"
    )
    context = {
        "filters": filters,
        "page": paginate(request, inspectors),
        "can_manage": has_perm(actor, MANAGE),
    }
    return render(request, "inspections/inspector_list.html", context)


@requires(MANAGE)
def inspector_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    kw = {"officers": _officers(actor), "townships": townships()}
    if request.method == "POST":
        form = InspectorForm(request.POST, **kw)  # type: ignore[arg-type]
        if form.is_valid():
            try:
                saved = services.save_inspector(actor=actor, **form.service_kwargs())
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已将“{saved.officer.name}”纳入检查人员名录库")
                return redirect("inspections:inspector_detail", pk=saved.pk)
        return _form_page(request, form, "执法检查人员", "inspections:inspector_list", 400)
    form = InspectorForm(initial={"is_active": True}, **kw)  # type: ignore[arg-type]
    return _form_page(request, form, "执法检查人员", "inspections:inspector_list")


def _inspector(actor: Any, pk: int) -> Inspector:
    return get_object_or_404(selectors.inspectors_for(actor), pk=pk)


@requires("inspections.view")
def inspector_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector with his or her declared relationships (回避), and the form to add one."""
    actor = actor_of(request)
    inspector = _inspector(actor, pk)
    form = RelationshipForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(actor, MANAGE)
        if form.is_valid():
            try:
                services.declare_relationship(
                    actor=actor,
                    inspector=inspector,
                    entity=form.cleaned_data["credit_code"],
                    description=form.cleaned_data["description"],
                )
            except DomainError as exc:
                refuse(form, exc, {"entity": "credit_code"})
            else:
                messages.success(request, "已登记回避关系")
                return redirect("inspections:inspector_detail", pk=inspector.pk)
        status = 400
    can_manage = has_perm(actor, MANAGE)
    # The declared relationships are personal: shown to those who keep the directory only.
    relationships = inspector.relationships.select_related("entity").order_by("pk")
    context = {
        "inspector": inspector,
        "relationships": relationships if can_manage else None,
        "relationship_count": inspector.relationships.count(),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "inspections/inspector_detail.html", context, status=status)


@require_POST
@requires(MANAGE)
def relationship_remove(request: HttpRequest, pk: int, rel: int) -> HttpResponse:
    actor = actor_of(request)
    inspector = _inspector(actor, pk)
    relationship = get_object_or_404(Relationship, pk=rel, inspector=inspector)
    try:
        services.remove_relationship(actor=actor, relationship=relationship)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已删除回避关系")
    return redirect("inspections:inspector_detail", pk=inspector.pk)
