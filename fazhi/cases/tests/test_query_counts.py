"""The case page (案件详情) reads each table once: its query count is pinned, and does not grow
with the rows the case has (steps, evidence, documents, holds, extensions, disclosures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.cases import services
from fazhi.cases.models import PenaltyCase
from fazhi.cases.testing import CaseCast, add_photo, walk
from fazhi.cases.workflow import Status

D = dt.date
pytestmark = pytest.mark.django_db

# Session, user and the user's roles and scope (4); the case with its organization, item and
# hearing (1); one query per table the page lists (11: parties, officers, steps, documents,
# evidence, holds, legal reviews, discussions, extensions, remedies, disclosures); the working-day
# calendar (1); the user's organization in the page header (1).
MAX_QUERIES = 18


def decided_case(cc: CaseCast, *, rows: int, hearing: bool = True) -> PenaltyCase:
    """A served and published case with ``rows`` each of holds, extensions, extra evidence,
    remedies and disclosure corrections; with a hearing, one more step and document."""
    cast = cc.cast
    head, officer, reviewer = cast.department_head, cast.officer, cast.legal_reviewer
    case = walk(cc, Status.INVESTIGATING)  # registered 2024-03-01, one photo
    for i in range(rows):
        hold = services.hold_evidence(
            actor=head, case=case, description=f"账簿{i + 1}本", on=D(2024, 3, 2)
        )
        if i % 2 == 0:
            services.handle_held_evidence(
                actor=officer, case=case, hold=hold, handling="退还当事人", on=D(2024, 3, 5)
            )
        services.extend(
            actor=head, case=case, on=D(2024, 3, 6), days=10, reason="案情复杂", collective=i > 0
        )
        add_photo(cc, case, on=D(2024, 3, 7))
    case = services.assess(
        actor=officer,
        case=case,
        facts={"severity": "serious", "harm": "ordinary"},
        on=D(2024, 3, 11),
    )
    case = services.submit_for_examination(
        actor=officer, case=case, on=D(2024, 3, 11), report="调查终结"
    )
    case = services.notify(
        actor=officer, case=case, on=D(2024, 3, 14), penalty_types=["fine"], fine=Decimal(40000)
    )
    if hearing:
        services.request_hearing(actor=officer, case=case, on=D(2024, 3, 15))
        services.schedule_hearing(
            actor=head,
            case=case,
            on=D(2024, 3, 15),
            hearing_on=D(2024, 3, 29),
            location="本局听证室",
            host=reviewer,
        )
        case = services.conclude_hearing(
            actor=officer, case=case, on=D(2024, 3, 29), record_text="当事人到场陈述"
        )
    else:
        case = services.record_statement(actor=officer, case=case, on=D(2024, 3, 15), waived=True)
        case = services.conclude_statement(actor=officer, case=case, on=D(2024, 3, 15))
    services.submit_legal_review(actor=officer, case=case, on=D(2024, 3, 30))
    services.pass_legal_review(actor=reviewer, case=case, on=D(2024, 4, 1), comments="同意")
    case.refresh_from_db()
    if case.discussion_required:
        services.record_discussion(
            actor=head, case=case, on=D(2024, 4, 1), participants="局长、副局长", conclusion="同意"
        )
    case = services.decide(
        actor=head, case=case, on=D(2024, 4, 1), penalty_types=["fine"], fine=Decimal(40000)
    )
    case = services.serve(
        actor=officer, case=case, on=D(2024, 4, 2), method="direct", recipient="王某某"
    )
    services.publish_decision(actor=officer, case=case, on=D(2024, 4, 3))
    for i in range(rows):
        services.record_remedy(
            actor=officer, case=case, kind="reconsideration", started_on=D(2024, 4, 10 + i)
        )
        services.correct_disclosure(
            actor=officer, case=case, on=D(2024, 4, 4), reason=f"更正第{i + 1}处笔误"
        )
    return PenaltyCase.objects.get(pk=case.pk)


def page_queries(client: Client, case: PenaltyCase) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def officer(cc: CaseCast, login) -> Client:
    client = login(cc.cast.officer, Client())
    client.get(reverse("cases:case_list"))  # warm the per-process caches (parameters)
    return client


def test_the_case_page_of_a_decided_case_reads_each_table_once(cc, officer):
    case = decided_case(cc, rows=1)
    assert case.holds.exists() and case.extensions.exists() and case.disclosures.exists()
    assert case.hearing.held and case.remedies.exists()
    assert page_queries(officer, case) <= MAX_QUERIES


def test_the_case_page_queries_do_not_grow_with_the_rows_of_the_case(cc, officer):
    few = decided_case(cc, rows=1, hearing=False)
    many = decided_case(cc, rows=3)
    for table in ("steps", "evidence", "documents", "holds", "extensions", "disclosures"):
        assert getattr(many, table).count() > getattr(few, table).count(), table
    assert page_queries(officer, many) == page_queries(officer, few) <= MAX_QUERIES
