"""裁量基准 pages: list, detail (tiers), create with a formset of tiers, publication."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.catalog import selectors, services
from fazhi.catalog.conversions import (
    TierInput,
)
from fazhi.catalog.forms import (
    StandardFilterForm,
    StandardForm,
    TierFormSet,
)
from fazhi.catalog.models import (
    DiscretionStandard,
)
from fazhi.catalog.views._common import (
    actor_of,
    clean_filters,
    fine_text,
    item_by_code,
    optional_url,
    paginate,
    published_filter,
    refuse,
    visible_or_published,
)
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import has_perm
from fazhi.core.selectors import visible_organizations
from fazhi.core.views import requires

# --- 裁量基准 ----------------------------------------------------------------------------------


@requires("catalog.view")
def standard_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = StandardFilterForm(request.GET)
    data = clean_filters(filters)
    standards = (
        selectors.standards_for(actor, search=data.get("q", ""))
        .annotate(tier_count=Count("tiers"))
        .order_by("item__code", "-effective_from", "pk")
    )
    published = published_filter(data.get("published", ""))
    if published is not None:
        standards = standards.filter(published_at__isnull=not published)
    context = {
        "filters": filters,
        "page": paginate(request, standards),
        "can_manage": has_perm(actor, "catalog.manage"),
        "export_url": optional_url("catalog:export_download", "standards"),
    }
    return render(request, "catalog/standard_list.html", context)


@requires("catalog.view")
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    standard = selectors.get_standard_for(actor, pk)
    context = {
        "standard": standard,
        "tiers": standard.tiers.all(),
        "item_fine": fine_text(
            standard.item.fine_basis, standard.item.fine_min, standard.item.fine_max
        ),
        "refinements": standard.refinements.select_related("organization"),
        "can_manage": has_perm(actor, "catalog.manage") and standard.published_at is None,
    }
    return render(request, "catalog/standard_detail.html", context)


def _parent_choices(actor: User) -> QuerySet[DiscretionStandard]:
    return (
        DiscretionStandard.objects.filter(visible_or_published(actor, ""))
        .select_related("item")
        .order_by("item__code", "-effective_from")
    )


def _tier_inputs(formset: forms.BaseFormSet) -> list[TierInput]:
    tiers = []
    for f in formset.forms:
        if f.is_blank():
            continue
        d = f.cleaned_data
        tiers.append(
            TierInput(
                treatment=d["treatment"],
                severity=d.get("severity") or "",
                fine_min=d.get("fine_min"),
                fine_max=d.get("fine_max"),
                condition_text=d.get("condition_text") or "",
                standard_text=d.get("standard_text") or "",
            )
        )
    return tiers


@requires("catalog.manage")
def standard_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    post = request.POST or None
    form = StandardForm(
        post,
        organizations=visible_organizations(actor).filter(is_active=True),
        parents=_parent_choices(actor),
        initial={
            "organization": actor.organization,
            "effective_from": timezone.localdate(),
            "item_code": request.GET.get("item", ""),
        },
    )
    tiers = TierFormSet(post, prefix="tiers")
    status = 200
    if request.method == "POST":
        if form.is_valid() and tiers.is_valid():
            data = form.cleaned_data
            item = item_by_code(actor, data["item_code"])
            inputs = _tier_inputs(tiers)
            if item is None:
                form.add_error(
                    "item_code", f"事项编码“{data['item_code']}”不存在或不在您的数据范围内"
                )
            elif not inputs:
                form.add_error(None, "请至少填写一个裁量阶次")
            else:
                try:
                    standard = services.create_standard(
                        actor=actor,
                        item=item,
                        organization=data["organization"],
                        level=data["level"],
                        title=data["title"],
                        version=data["version"],
                        violation=data["violation"],
                        legal_basis=data["legal_basis"],
                        effective_from=data["effective_from"],
                        effective_until=data["effective_until"],
                        tiers=inputs,
                        parent=data["parent"],
                    )
                except DomainError as exc:
                    # Tier errors name a column shared by every row; the message names the row.
                    refuse(form, exc, {"item": "item_code", "tiers": "", "fine_min": ""})
                else:
                    messages.success(request, f"已创建裁量基准“{standard.title}”，核对后请公布")
                    return redirect("catalog:standard_detail", pk=standard.pk)
        status = 400
    context = {"form": form, "tiers": tiers}
    return render(request, "catalog/standard_form.html", context, status=status)


@require_POST
@requires("catalog.manage")
def standard_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    standard = selectors.get_standard_for(actor, pk)
    try:
        services.publish_standard(actor=actor, standard=standard)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{standard.title}已公布（行政处罚法第三十四条）")
    return redirect("catalog:standard_detail", pk=pk)
