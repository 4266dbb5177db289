"""Helpers shared by the 双随机 pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from fazhi.core.choices import OrgKind
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations

PAGE_SIZE = 50

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def requires(perm: str) -> Callable[[View], View]:
    """login_required (302 to /login/ for anonymous), then the permission (403 without)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return cast(View, login_required(wrapped))

    return decorator


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def paginate(request: HttpRequest, rows: QuerySet[Any] | list[Any]) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def own_organizations(actor: User) -> QuerySet[Organization]:
    """The departments in scope that may run inspections (they have enforcement standing)."""
    return (
        visible_organizations(actor)
        .exclude(enforcement_basis="")
        .filter(is_active=True)
        .order_by("path")
    )


def all_departments() -> QuerySet[Organization]:
    """Every department with enforcement standing: the partners a joint plan may invite."""
    return (
        Organization.objects.exclude(enforcement_basis="").filter(is_active=True).order_by("path")
    )


def townships() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrgKind.TOWNSHIP, is_active=True).order_by("path")
