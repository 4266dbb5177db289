"""The demo county's 2024 penalty cases reproduce the report's figures from their records.

Seed report: “我县各部门共办理行政处罚案件424件，其中适用包容审慎监管执法‘四张清单’案件86件，
适用率为20.3%，减免金额为79.97万元” and “县公安局受理行政案件309件，结案率100%”.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from fazhi.cases.documents import DocumentKind, one_case_three_documents
from fazhi.cases.indicators import lenient_cases, penalty_cases, police_cases
from fazhi.cases.models import CaseDocument, Disclosure, DisclosureAction, Outcome, PenaltyCase
from fazhi.cases.services import relief_amount
from fazhi.cases.workflow import Status
from fazhi.core.calendar import database_calendar
from fazhi.core.indicator_registry import Period, Scope, registry
from fazhi.demo.cases import plan_cases
from fazhi.ledger.integrity import verify_ledger
from fazhi.reports.selectors import county_root

YEAR = Period.year(2024)
REPORTED = {
    "penalty.cases": Decimal(424),
    "penalty.lenient_cases": Decimal(86),
    "penalty.lenient_rate": Decimal("20.3"),
    "penalty.lenient_relief_amount": Decimal("79.97"),
    "police.admin_cases": Decimal(309),
    "police.closure_rate": Decimal(100),
}


def _scope() -> Scope:
    return Scope(county_root())


def _decided_in_2024() -> list[PenaltyCase]:
    return list(penalty_cases(YEAR, _scope()))


def _is_minor(case: PenaltyCase) -> bool:
    for party in case.parties.all():
        if party.birth_date is None:
            continue
        born, acted = party.birth_date, case.act_date
        age = acted.year - born.year - ((acted.month, acted.day) < (born.month, born.day))
        if age < 18:
            return True
    return False


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(REPORTED))
def test_the_indicators_give_the_reported_figures(demo_county, code):
    value = registry.get(code).value(YEAR, _scope())
    assert Decimal(str(value)) == REPORTED[code]


@pytest.mark.django_db
def test_the_indicators_command_prints_the_case_figures(demo_county, capsys):
    call_command("indicators", "--year", "2024", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    for code, value in REPORTED.items():
        assert Decimal(str(data[code]["value"])) == value, code


@pytest.mark.django_db
def test_the_relieved_amounts_add_up_to_the_report_case_by_case(demo_county):
    lenient = list(lenient_cases(YEAR, _scope()))
    total = sum((relief_amount(c) for c in lenient), Decimal(0))
    assert total == Decimal("799700.00")
    # Every relief comes from the engine's baseline, never typed: baseline − fine, not below 0.
    for case in lenient:
        assert case.baseline_fine is not None, case.number
        assert case.lenient_list_kinds, case.number
        assert relief_amount(case) == max(case.baseline_fine - (case.fine or 0), 0)
    # The non-lenient cases relieve nothing.
    others = [c for c in _decided_in_2024() if not c.lenient]
    assert all(relief_amount(c) == 0 for c in others)


@pytest.mark.django_db
def test_lenient_cases_mix_no_penalty_and_reduced_fines(demo_county):
    lenient = list(lenient_cases(YEAR, _scope()))
    outcomes = {c.outcome for c in lenient}
    assert outcomes == {Outcome.NO_PENALTY, Outcome.PENALTY}
    kinds = {k for c in lenient for k in c.lenient_list_kinds}
    assert {"no_penalty", "first_violation", "reduced", "lighter"} <= kinds
    # Each reduced or lighter fine lies in a range the engine allowed for the case.
    for case in lenient:
        if case.fine is None:
            continue
        ranges = [
            (Decimal(o["fine_range"]["minimum"]), Decimal(o["fine_range"]["maximum"]))
            for o in case.evaluation["options"]
            if o.get("fine_range") and o["treatment"] in ("reduced", "lighter")
        ]
        assert any(low <= case.fine <= high for low, high in ranges), case.number


@pytest.mark.django_db
def test_every_decided_case_has_its_decision_document(demo_county):
    decided = PenaltyCase.objects.exclude(decided_on=None)
    assert decided.count() >= 424 + 300
    kinds = {DocumentKind.PENALTY_DECISION.value, DocumentKind.NO_PENALTY_DECISION.value}
    numbered = set(CaseDocument.objects.filter(kind__in=kinds).values_list("case_id", "number"))
    for case in decided:
        assert case.decision_number, case.number
        assert (case.pk, case.decision_number) in numbered, case.number


@pytest.mark.django_db
def test_lenient_no_penalty_decisions_carry_the_three_documents(demo_county):
    bundle = {k.value for k in one_case_three_documents()}
    cases = [c for c in lenient_cases(YEAR, _scope()) if c.outcome == Outcome.NO_PENALTY]
    assert cases
    for case in cases:
        assert bundle <= set(case.documents.values_list("kind", flat=True)), case.number
        assert case.education_record


@pytest.mark.django_db
def test_decisions_are_published_but_never_a_minor_s(demo_county):
    published = Disclosure.objects.filter(action=DisclosureAction.PUBLISH)
    assert published.count() > 200
    assert not published.filter(case__public_security=True).exists()
    assert published.filter(on_time=True).count() > 0.9 * published.count()
    minors = [c for c in _decided_in_2024() if _is_minor(c)]
    assert minors  # the demo proves the rule on real records
    for case in minors:
        assert not case.disclosures.exists(), case.number


@pytest.mark.django_db
def test_a_revoked_decision_has_its_disclosure_withdrawn(demo_county):
    revoked = PenaltyCase.objects.filter(status=Status.DECISION_REVOKED)
    assert revoked.count() == 1
    case = revoked.get()
    actions = list(case.disclosures.order_by("version").values_list("action", flat=True))
    assert actions == [DisclosureAction.PUBLISH, DisclosureAction.WITHDRAW]
    assert case.disclosures.get(action=DisclosureAction.WITHDRAW).on_time
    assert case.remedies.filter(kind="reconsideration").exists()


@pytest.mark.django_db
def test_police_cases_are_counted_apart_and_all_concluded(demo_county):
    police = police_cases(YEAR, _scope())
    assert police.count() == 309
    assert not penalty_cases(YEAR, _scope()).filter(public_security=True).exists()
    assert police.filter(procedure="summary").count() > police.count() / 2
    assert set(police.values_list("status", flat=True)) <= {
        Status.ARCHIVED,
        Status.CLOSED,
        Status.NOT_REGISTERED,
        Status.TRANSFERRED,
    }


@pytest.mark.django_db
def test_cases_were_handled_lawfully_in_time(demo_county):
    calendar = database_calendar()
    for case in _decided_in_2024():
        officers = list(case.case_officers.select_related("officer"))
        assert len(officers) >= 2, case.number
        assert all(o.officer.organization_id == case.organization_id for o in officers)
        assert case.decided_on is not None
        assert calendar.is_workday(case.decided_on), case.number
        if case.procedure == "ordinary":
            assert case.registered_on is not None
            assert (case.decided_on - case.registered_on).days <= 90, case.number
            assert case.noticed_on or case.outcome == Outcome.NO_PENALTY, case.number
    # A few cases were still open at the year's end: decided in 2025, counted then.
    later = PenaltyCase.objects.filter(
        public_security=False, received_on__year=2024, decided_on__gt=date(2024, 12, 31)
    )
    assert later.exists()


@pytest.mark.django_db
def test_the_plan_is_deterministic_and_is_what_was_built(demo_county):
    first, second = plan_cases(seed=2024), plan_cases(seed=2024)
    assert first == second
    built = set(PenaltyCase.objects.values_list("title", flat=True))
    assert built == {c.title for c in first.cases}


@pytest.mark.django_db
def test_the_ledger_verifies_after_the_cases(demo_county):
    report = verify_ledger()
    assert report.ok
