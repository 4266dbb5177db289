"""The case list (search, filters, deadline colours) and the deadline reminders (到期提醒)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.cases.deadlines import CaseDeadline, DeadlineState
from fazhi.cases.forms import DEADLINE_GROUPS, CaseFilterForm, DeadlineFilterForm
from fazhi.cases.models import PenaltyCase
from fazhi.cases.selectors import cases_for
from fazhi.cases.views._common import (
    DeadlineContext,
    actor_of,
    alerts,
    enforcement_orgs,
    paginate,
    requires,
    with_deadline_rows,
)
from fazhi.cases.workflow import DECIDED_STATES, PENDING, Status
from fazhi.core.models import Organization
from fazhi.core.permissions import has_perm

OVERDUE, SOON = DeadlineState.OVERDUE, DeadlineState.DUE_SOON
# The cases with duties still running: being handled, or decided and not yet closed (结案
# and 归档 end them; a suspended case's clock stands still).
IN_PROGRESS = PENDING | (DECIDED_STATES - {Status.CLOSED, Status.ARCHIVED})


@dataclass
class CaseRow:
    case: PenaltyCase
    alerts: list[CaseDeadline]

    @property
    def worst(self) -> CaseDeadline | None:
        return self.alerts[0] if self.alerts else None


@require_GET
@requires("cases.view")
def case_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = CaseFilterForm(request.GET, organizations=enforcement_orgs(actor))
    cases = with_deadline_rows(cases_for(actor, **filters.selector_kwargs()))
    page = paginate(request, cases)
    # Deadlines of this page's rows only, with one calendar for all of them.
    deadlines = DeadlineContext.now()
    rows = [CaseRow(case, alerts(deadlines.of(case))) for case in page.object_list]
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "can_handle": has_perm(actor, "cases.handle"),
        "can_export": has_perm(actor, "cases.export"),
    }
    return render(request, "cases/case_list.html", context)


@dataclass
class DeadlineRow:
    group: str
    case: PenaltyCase
    deadline: CaseDeadline


def _group_names(case: PenaltyCase, group: str, counties: dict[str, str]) -> list[str]:
    if group == "officer":
        names = [co.officer.name for co in case.case_officers.all()]
        return names or ["（未指派执法人员）"]
    if group == "county":
        root = case.organization.path.strip("/").split("/")[0]
        return [counties.get(root, root)]
    return [case.organization.name]


def _deadline_rows(
    cases: Iterator[PenaltyCase], group: str, state: str, counties: dict[str, str]
) -> list[DeadlineRow]:
    deadlines = DeadlineContext.now()
    rows: list[DeadlineRow] = []
    for case in cases:
        for d in alerts(deadlines.of(case)):
            if state and d.state != state:
                continue
            rows.extend(DeadlineRow(g, case, d) for g in _group_names(case, group, counties))
    rows.sort(key=lambda r: (r.group, r.deadline.state != OVERDUE, r.deadline.due))
    return rows


@require_GET
@requires("cases.view")
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Overdue and due-soon deadlines of the cases being handled or decided, in scope."""
    actor = actor_of(request)
    form = DeadlineFilterForm(request.GET)
    form.is_valid()
    group = form.cleaned_data.get("group") or "department"
    state = form.cleaned_data.get("state") or ""
    statuses = [s.value for s in IN_PROGRESS]
    cases = with_deadline_rows(cases_for(actor).filter(status__in=statuses))
    counties = dict(Organization.objects.filter(parent__isnull=True).values_list("code", "name"))
    rows = _deadline_rows(cases.iterator(chunk_size=500), group, state, counties)
    context = {
        "form": form,
        "group": group,
        "group_label": dict(DEADLINE_GROUPS)[group],
        "page": paginate(request, rows),
        # Each deadline once, though grouped by officer it is listed under each of them.
        "overdue": len({(r.case.pk, r.deadline.code) for r in rows if r.deadline.state == OVERDUE}),
        "due_soon": len({(r.case.pk, r.deadline.code) for r in rows if r.deadline.state == SOON}),
    }
    return render(request, "cases/deadline_list.html", context)
