"""Helpers shared by the catalog pages."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from fazhi.catalog import selectors
from fazhi.catalog.models import EnforcementItem
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.selectors import visible_organizations
from fazhi.rules.enforcement import FineBasis, PenaltyType

PAGE_SIZE = 50
DETAIL_ROWS = 20  # rows of a related list shown on a detail page before "查看全部"


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def clean_filters(form: forms.Form) -> dict[str, Any]:
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


def optional_url(name: str, *args: Any) -> str:
    """The URL of a page that may not be installed (the Excel export of import_urls), or ""."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def refuse(form: forms.Form, exc: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal on the field it names, else at the top of the form."""
    field = getattr(exc, "field", None) or next(iter(exc.details), None)
    field = (aliases or {}).get(str(field), field)
    if field and field in form.fields:
        form.add_error(str(field), exc.message)
    else:
        form.add_error(None, exc.message)


def fine_text(basis: str, low: Decimal | None, high: Decimal | None) -> str:
    """An item's statutory fine in words: 1万元至10万元 is written 10000元至100000元."""
    if low is None and high is None:
        return ""
    unit = "倍" if basis == FineBasis.MULTIPLE else "元"

    def n(v: Decimal) -> str:
        return f"{v.normalize():f}"

    if high is None:
        return f"{n(low or Decimal(0))}{unit}以上"
    if not low:
        return f"{n(high)}{unit}以下"
    return f"{n(low)}{unit}至{n(high)}{unit}"


def penalty_labels(values: list[str]) -> list[str]:
    labels = dict(PenaltyType.choices())
    return [labels.get(v, v) for v in values]


def enforcement_orgs(actor: User) -> QuerySet[Organization]:
    return visible_organizations(actor).exclude(enforcement_basis="").filter(is_active=True)


def published_filter(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def visible_or_published(actor: User, prefix: str) -> Q:
    """Rows of the actor's organizations, and published rows of any organization."""
    return Q(**{f"{prefix}organization__in": visible_organizations(actor)}) | Q(
        **{f"{prefix}published_at__isnull": False}
    )


def item_by_code(actor: User, code: str) -> EnforcementItem | None:
    return selectors.items_for(actor).filter(code=code.strip()).first()
