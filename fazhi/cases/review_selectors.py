"""Reads of 案卷评查: plans, drawn files, opinions and average scores, by data scope.

The supervising body (cases.review) sees the plans of the organizations in its scope; a
department head (cases.answer_review) sees the opinions addressed to the departments in his or
her scope. Anything outside is a 404, so its existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404

from fazhi.cases.models import CaseReview, OpinionStatus, ReviewPlan, SupervisionOpinion
from fazhi.core.models import User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.draws.models import Draw

REVIEW = "cases.review"
ANSWER = "cases.answer_review"
OPEN = (OpinionStatus.RECEIVED, OpinionStatus.RECHECK)


def plans_for(user: User, *, search: str = "", year: int | None = None) -> QuerySet[ReviewPlan]:
    require(user, REVIEW)
    qs = ReviewPlan.objects.filter(organization__in=visible_organizations(user))
    if search:
        qs = qs.filter(title__icontains=search)
    if year:
        qs = qs.filter(year=year)
    return (
        qs.select_related("organization", "draw")
        .prefetch_related("departments")
        .annotate(
            file_count=Count("reviews", filter=Q(reviews__draw=F("draw"))),
            scored_count=Count(
                "reviews", filter=Q(reviews__draw=F("draw"), reviews__scored_on__isnull=False)
            ),
        )
        .order_by("-year", "-pk")
    )


def plan_for(user: User, pk: int) -> ReviewPlan:
    try:
        return plans_for(user).get(pk=pk)
    except ReviewPlan.DoesNotExist:
        raise Http404("没有这个评查计划") from None


def current_reviews(plan: ReviewPlan) -> QuerySet[CaseReview]:
    """The files of the plan's current draw, by department and rank."""
    if plan.draw_id is None:
        return CaseReview.objects.none()
    return (
        CaseReview.objects.filter(plan=plan, draw_id=plan.draw_id)
        .select_related("case__organization")
        .prefetch_related("reviewers")
        .order_by("case__organization__path", "rank")
    )


def review_for(user: User, plan_pk: int, case_pk: int) -> CaseReview:
    plan = plan_for(user, plan_pk)
    try:
        return current_reviews(plan).get(case_id=case_pk)
    except CaseReview.DoesNotExist:
        raise Http404("该案卷未被本计划抽中") from None


def draw_history(plan: ReviewPlan) -> list[Draw]:
    """Every draw of the plan, newest first: the current one and those it replaced."""
    out: list[Draw] = []
    draw = plan.draw
    while draw is not None:
        out.append(draw)
        draw = draw.supersedes
    return out


@dataclass(frozen=True)
class DepartmentScore:
    code: str
    name: str
    files: int
    scored: int
    average: Decimal | None


def department_scores(plan: ReviewPlan) -> list[DepartmentScore]:
    """Per department: files drawn, files scored, and the average total of the scored ones."""
    rows = (
        current_reviews(plan)
        .values("case__organization__code", "case__organization__name")
        .annotate(
            files=Count("pk"),
            scored=Count("pk", filter=Q(scored_on__isnull=False)),
            average=Avg("total"),
        )
        .order_by("case__organization__code")
    )
    return [
        DepartmentScore(
            r["case__organization__code"],
            r["case__organization__name"],
            r["files"],
            r["scored"],
            None if r["average"] is None else Decimal(r["average"]).quantize(Decimal("0.1")),
        )
        for r in rows
    ]


def opinions_for(
    user: User,
    *,
    side: str = REVIEW,
    search: str = "",
    status: str = "",
    overdue_on: dt.date | None = None,
) -> QuerySet[SupervisionOpinion]:
    """The opinions of one side: ``cases.review`` — issued by the bodies of the user's scope;
    ``cases.answer_review`` — addressed to the departments of the user's scope."""
    require(user, side)
    scope = visible_organizations(user)
    if side == REVIEW:
        qs = SupervisionOpinion.objects.filter(plan__organization__in=scope)
    elif side == ANSWER:
        qs = SupervisionOpinion.objects.filter(department__in=scope)
    else:
        raise ValueError(side)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(department__name__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if overdue_on is not None:
        qs = overdue(qs, overdue_on)
    return qs.select_related("plan__organization", "department").order_by("-issued_on", "-pk")


def overdue(qs: QuerySet[SupervisionOpinion], today: dt.date) -> QuerySet[SupervisionOpinion]:
    """Received, not yet reported, and past the 30 working days of 第二十九条第二款."""
    return qs.filter(status__in=OPEN, due_on__lt=today)


def opinion_for(user: User, pk: int, side: str = REVIEW) -> SupervisionOpinion:
    try:
        return opinions_for(user, side=side).get(pk=pk)
    except SupervisionOpinion.DoesNotExist:
        raise Http404("没有这份监督意见书") from None
