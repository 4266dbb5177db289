"""Reading penalty cases: data scope on every query, and the lists staff work from."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from fazhi.cases.models import (
    CaseDocument,
    CaseOfficer,
    CaseStep,
    Disclosure,
    DisclosureAction,
    Discussion,
    Evidence,
    EvidenceHold,
    Extension,
    LegalReview,
    Party,
    PenaltyCase,
    RemedyPeriod,
)
from fazhi.cases.services import decision_due
from fazhi.cases.workflow import PENDING
from fazhi.core.models import User
from fazhi.core.permissions import require
from fazhi.core.selectors import scope_filter


def cases_for(
    user: User,
    *,
    search: str = "",
    status: str = "",
    organization: str = "",
    procedure: str = "",
    lenient: str = "",
    year: int | None = None,
    officer: int | None = None,
) -> QuerySet[PenaltyCase]:
    """The cases the user may see (cases.view + data scope), filtered for the list page/API."""
    require(user, "cases.view")
    qs = PenaltyCase.objects.filter(scope_filter(user))
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(title__icontains=search)
            | Q(decision_number__icontains=search)
            | Q(parties__name__icontains=search)
        ).distinct()
    if status:
        qs = qs.filter(status=status)
    if organization:
        qs = qs.filter(organization__code=organization)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if lenient in ("1", "0"):
        qs = qs.filter(lenient=lenient == "1")
    if year:
        qs = qs.filter(received_on__year=year)
    if officer:
        qs = qs.filter(case_officers__officer_id=officer, case_officers__recused_on=None)
    return qs.select_related("organization", "item").prefetch_related(
        Prefetch(
            "case_officers",
            queryset=CaseOfficer.objects.select_related("officer").filter(recused_on=None),
        ),
        "parties",
    )


def case_for(user: User, pk: int) -> PenaltyCase:
    """One case in the user's scope (404 otherwise, so existence does not leak)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_for(user), pk=pk)


def case_page(user: User, pk: int) -> PenaltyCase:
    """One case in the user's scope (404 otherwise) with every row its page shows: one query
    for the case (joined with its hearing and the hearing's host) and one per related table.

    The list's prefetches are replaced: the page shows every officer, recused ones too, so
    ``case.case_officers.all()`` holds them all here (the list keeps only the active ones).
    Each table comes in the page's order, its model's order within one case (disclosures by
    version): the models' ``("case", …)`` order would join the case table again only to sort
    by the case first.
    """
    from django.shortcuts import get_object_or_404

    qs = (
        cases_for(user)
        .select_related("hearing__host")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.order_by("order")),
            Prefetch(
                "case_officers",
                queryset=CaseOfficer.objects.select_related("officer").order_by("-lead", "id"),
            ),
            Prefetch("steps", queryset=CaseStep.objects.select_related("actor").order_by("id")),
            Prefetch("documents", queryset=CaseDocument.objects.order_by("id")),
            Prefetch(
                "evidence", queryset=Evidence.objects.select_related("attachment").order_by("id")
            ),
            Prefetch(
                "holds", queryset=EvidenceHold.objects.select_related("approved_by").order_by("id")
            ),
            Prefetch(
                "legal_reviews",
                queryset=LegalReview.objects.select_related("reviewer").order_by("id"),
            ),
            Prefetch("discussions", queryset=Discussion.objects.order_by("id")),
            Prefetch(
                "extensions",
                queryset=Extension.objects.select_related("approved_by").order_by("id"),
            ),
            Prefetch("remedies", queryset=RemedyPeriod.objects.order_by("started_on")),
            Prefetch("disclosures", queryset=Disclosure.objects.order_by("version")),
        )
    )
    return get_object_or_404(qs, pk=pk)


def overdue_on(cases: QuerySet[PenaltyCase], day: dt.date) -> QuerySet[PenaltyCase]:
    """Pending cases whose decision deadline (第六十条 + extensions) ended before ``day``."""
    ids = [
        c.pk
        for c in cases.filter(status__in=[s.value for s in PENDING], registered_on__isnull=False)
        if (due := decision_due(c)) is not None and due < day
    ]
    return cases.filter(pk__in=ids)


# --- public (published snapshots only) -------------------------------------------------------

# Parties are searched position by position in the snapshot's JSON list (portable JSON lookups).
SEARCHED_PARTIES = 10


def public_decisions(
    *, search: str = "", organization: str = "", year: int | None = None
) -> QuerySet[Disclosure]:
    """The decisions on public display: the current version of each case, unless withdrawn.

    ``search`` looks in the published decision number, the parties' published names (masked
    for natural persons, so a full name finds nothing), the body and the enforcement item.
    ``organization`` is the body's name as published; ``year`` the year of the decision.
    """
    qs = Disclosure.objects.filter(is_current=True).exclude(action=DisclosureAction.WITHDRAW)
    if search:
        q = (
            Q(snapshot__decision_number__icontains=search)
            | Q(snapshot__organization__icontains=search)
            | Q(snapshot__item_name__icontains=search)
            | Q(snapshot__item_code__icontains=search)
        )
        for i in range(SEARCHED_PARTIES):
            q |= Q(**{f"snapshot__parties__{i}__name__icontains": search})
        qs = qs.filter(q)
    if organization:
        qs = qs.filter(snapshot__organization=organization)
    if year:
        qs = qs.filter(snapshot__decided_on__startswith=f"{year:04d}-")
    first = Disclosure.objects.filter(case_id=OuterRef("case_id"), version=1).values("on")[:1]
    return qs.annotate(published_on=Subquery(first)).order_by("-snapshot__decided_on", "-case_id")
