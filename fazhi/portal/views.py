"""The public disclosure portal: read-only, no login, published data only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.catalog import selectors as catalog_selectors
from fazhi.catalog.conversions import conditions_from_json, describe_conditions
from fazhi.catalog.models import LenientListEntry
from fazhi.core.choices import EnforcementBasis
from fazhi.portal import decisions, selectors
from fazhi.rules.enforcement import FineBasis, ItemCategory, ListKind, PenaltyType

PAGE_SIZE = 30


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "home": selectors.portal_home(),
        "catalog": selectors.catalog_counts(),
        "decisions": decisions.public_count(),
    }
    return render(request, "portal/home.html", context)


# --- 行政执法公示 -----------------------------------------------------------------------------


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _search_field(placeholder: str) -> forms.CharField:
    return forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": placeholder, "type": "search"}),
    )


class BodyFilter(forms.Form):
    q = _search_field("执法主体名称")
    kind = forms.ChoiceField(
        label="主体类型",
        required=False,
        choices=[("", "全部类型"), *[c for c in EnforcementBasis.choices if c[0]]],
    )


class ItemFilter(forms.Form):
    q = _search_field("事项编码、名称或法律依据")
    category = forms.ChoiceField(
        label="事项类别", required=False, choices=[("", "全部类别"), *ItemCategory.choices()]
    )
    organization = forms.ChoiceField(label="实施主体", required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            ("", "全部实施主体"),
            *[(o.code, o.name) for o in selectors.enforcement_organizations()],
        ]


class ListFilter(forms.Form):
    q = _search_field("清单名称或制定单位")
    kind = forms.ChoiceField(
        label="清单类型", required=False, choices=[("", "全部清单"), *ListKind.choices()]
    )


class StandardFilter(forms.Form):
    q = _search_field("事项编码或名称")


def _clean(form: forms.Form) -> dict[str, str]:
    form.is_valid()
    return {k: str(v) for k, v in form.cleaned_data.items() if v}


def fine_text(basis: str, low: Any, high: Any) -> str:
    if low is None and high is None:
        return ""
    unit = "倍" if basis == FineBasis.MULTIPLE else "元"

    def n(v: Any) -> str:
        return f"{v.normalize():f}"

    if high is None:
        return f"{n(low)}{unit}以上"
    if not low:
        return f"{n(high)}{unit}以下"
    return f"{n(low)}{unit}至{n(high)}{unit}"


def _entry_rows(entries: Any) -> list[tuple[LenientListEntry, str]]:
    return [(e, describe_conditions(conditions_from_json(e.conditions))) for e in entries]


@require_GET
def enforcement_bodies(request: HttpRequest) -> HttpResponse:
    filters = BodyFilter(request.GET)
    data = _clean(filters)
    bodies = catalog_selectors.public_bodies(search=data.get("q", ""), kind=data.get("kind", ""))
    context = {"filters": filters, "page": _page(request, bodies)}
    return render(request, "portal/enforcement_bodies.html", context)


@require_GET
def enforcement_items(request: HttpRequest) -> HttpResponse:
    filters = ItemFilter(request.GET)
    data = _clean(filters)
    items = catalog_selectors.public_items(
        search=data.get("q", ""),
        category=data.get("category", ""),
        organization=data.get("organization", ""),
    )
    context = {"filters": filters, "page": _page(request, items)}
    return render(request, "portal/enforcement_items.html", context)


@require_GET
def enforcement_item(request: HttpRequest, code: str) -> HttpResponse:
    item = catalog_selectors.public_item(code)
    labels = dict(PenaltyType.choices())
    context = {
        "item": item,
        "penalty_labels": [labels.get(p, p) for p in item.penalty_types],
        "fine_text": fine_text(item.fine_basis, item.fine_min, item.fine_max),
        "entries": _entry_rows(catalog_selectors.public_entries_for_item(item)),
        "standards": selectors.item_standards(item),
    }
    return render(request, "portal/enforcement_item.html", context)


@require_GET
def enforcement_lists(request: HttpRequest) -> HttpResponse:
    filters = ListFilter(request.GET)
    data = _clean(filters)
    lists = catalog_selectors.public_lists(kind=data.get("kind", ""), search=data.get("q", ""))
    context = {"filters": filters, "page": _page(request, lists)}
    return render(request, "portal/enforcement_lists.html", context)


@require_GET
def enforcement_list(request: HttpRequest, pk: int) -> HttpResponse:
    lst = catalog_selectors.public_list(pk)
    search = (request.GET.get("q") or "").strip()[:100]
    page = _page(request, selectors.published_entries(lst, search=search))
    context = {"list": lst, "search": search, "page": page, "rows": _entry_rows(page)}
    return render(request, "portal/enforcement_list.html", context)


@require_GET
def enforcement_standards(request: HttpRequest) -> HttpResponse:
    filters = StandardFilter(request.GET)
    data = _clean(filters)
    standards = selectors.published_standards(search=data.get("q", "")).select_related(
        "organization"
    )
    context = {"filters": filters, "page": _page(request, standards)}
    return render(request, "portal/enforcement_standards.html", context)


@require_GET
def enforcement_standard(request: HttpRequest, pk: int) -> HttpResponse:
    standard = selectors.published_standard(pk)
    item = standard.item
    context = {
        "standard": standard,
        "fine_text": fine_text(item.fine_basis, item.fine_min, item.fine_max),
    }
    return render(request, "portal/enforcement_standard.html", context)
