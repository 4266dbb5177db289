"""Helpers shared by the case pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from fazhi.cases.deadlines import CaseDeadline, DeadlineState, case_deadlines
from fazhi.cases.models import PenaltyCase
from fazhi.core.calendar import database_calendar
from fazhi.core.models import Organization, User
from fazhi.core.pagination import CappedPaginator
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.rules.calendar import WorkdayCalendar
from fazhi.rules.parameters import ParameterSet, default_parameters

PAGE_SIZE = 50

# What a list page reads for the deadlines of its rows, in one query each (deadlines.py). The
# hearing too is prefetched rather than joined: a join would widen the sorted query over every
# case in scope, a prefetch reads the page's rows only.
DEADLINE_PREFETCH = ("holds", "extensions", "remedies", "disclosures", "hearing")


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def requires(perm: str) -> Callable[[View], View]:
    """login_required (302 to /login/ for anonymous), then the permission (403 without); as
    ``fazhi.core.views.requires``, for views that also stream files."""

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
    """A page of rows; the count stops at COUNT_CAP (fazhi.core.pagination)."""
    return CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def enforcement_orgs(actor: User) -> QuerySet[Organization]:
    """The organizations in scope that may handle cases (they have enforcement standing)."""
    return visible_organizations(actor).exclude(enforcement_basis="").filter(is_active=True)


def with_deadline_rows(qs: QuerySet[PenaltyCase]) -> QuerySet[PenaltyCase]:
    """The related rows case_deadlines reads, fetched once for a whole page."""
    return qs.prefetch_related(*DEADLINE_PREFETCH)


@dataclass
class DeadlineContext:
    """One calendar and one parameter set for every case of a page."""

    today: dt.date
    calendar: WorkdayCalendar
    params: ParameterSet

    @classmethod
    def now(cls) -> DeadlineContext:
        return cls(timezone.localdate(), database_calendar(), default_parameters())

    def of(self, case: PenaltyCase) -> list[CaseDeadline]:
        """The case's deadlines from its prefetched rows (no query)."""
        try:
            hearing = case.hearing
        except ObjectDoesNotExist:
            hearing = None
        return case_deadlines(
            case,
            today=self.today,
            calendar=self.calendar,
            params=self.params,
            holds=list(case.holds.all()),
            hearing=hearing,
            extensions=list(case.extensions.all()),
            remedies=list(case.remedies.all()),
            disclosures=list(case.disclosures.all()),
        )


ALERT_STATES = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON)


def alerts(deadlines: Iterable[CaseDeadline]) -> list[CaseDeadline]:
    """The agency's deadlines that are overdue or due soon, the most urgent first (the
    party's own period, 听证申请, is shown on the case page but never raises an alert)."""
    found = [d for d in deadlines if d.state in ALERT_STATES and not d.informational]
    return sorted(found, key=lambda d: (d.state != DeadlineState.OVERDUE, d.due))
