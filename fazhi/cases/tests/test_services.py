"""The case services: each guard of the law refuses with its Chinese message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fazhi.cases import services
from fazhi.cases.models import CaseStep, Disclosure, Outcome, PenaltyCase
from fazhi.cases.services import CaseError, PartyInput
from fazhi.cases.testing import COMPANY, PERSON, START, new_lead, resident_id, walk
from fazhi.cases.workflow import Status
from fazhi.catalog import services as catalog_services
from fazhi.ledger.models import LedgerEntry

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_ordinary_path_writes_one_ledger_entry_per_step(cc):
    before = LedgerEntry.objects.count()
    case = walk(cc, Status.ARCHIVED)
    assert case.status == Status.ARCHIVED
    steps = CaseStep.objects.filter(case=case)
    entries = LedgerEntry.objects.filter(stream=f"case.{case.number}")
    assert steps.count() == entries.count()
    assert LedgerEntry.objects.count() - before >= steps.count()
    assert sorted(steps.values_list("ledger_seq", flat=True)) == sorted(
        entries.values_list("seq", flat=True)
    )
    kinds = set(case.documents.values_list("kind", flat=True))
    assert {"registration_approval", "prior_notice", "penalty_decision"} <= kinds
    assert {"service_receipt", "closing_report"} <= kinds


def test_documents_carry_the_receipt_of_their_own_entry(cc):
    case = walk(cc, Status.DECIDED)
    decision = case.documents.get(kind="penalty_decision")
    entry = LedgerEntry.objects.get(seq=decision.ledger_seq)
    assert decision.attachment_id in entry.body
    assert case.decision_number == decision.number


# --- intake -----------------------------------------------------------------------------------


def test_an_invalid_resident_id_is_refused(cc):
    bad = PartyInput(kind="individual", name="李四", id_number="220422198001010000")
    with pytest.raises(CaseError, match="居民身份证号码.*无效"):
        new_lead(cc, party=bad)


def test_an_invalid_credit_code_is_refused(cc):
    bad = PartyInput(kind="organization", name="某公司", id_number="91220422MA0000000X")
    with pytest.raises(CaseError, match="统一社会信用代码"):
        new_lead(cc, party=bad)


def test_fewer_than_two_officers_is_refused(cc):
    cast = cc.cast
    with pytest.raises(CaseError, match="不得少于2人.*第四十二条"):
        services.receive_lead(
            actor=cast.officer,
            organization=cast.department_a,
            item=cc.catalog.item_a,
            title="未按规定公示年度报告",
            source="inspection",
            act_date=D(2024, 2, 1),
            discovered_date=D(2024, 3, 1),
            on=D(2024, 3, 1),
            parties=[COMPANY],
            officers=[cc.catalog.officer_a],
        )


def test_an_expired_certificate_is_refused(cc):
    cast = cc.cast
    with pytest.raises(Exception, match="钱过期"):
        services.receive_lead(
            actor=cast.officer,
            organization=cast.department_a,
            item=cc.catalog.item_a,
            title="未按规定公示年度报告",
            source="inspection",
            act_date=D(2024, 2, 1),
            discovered_date=D(2024, 3, 1),
            on=D(2024, 3, 1),
            parties=[COMPANY],
            officers=[cc.catalog.officer_a, cc.catalog.expired_officer],
        )


def test_the_same_idempotency_key_gives_the_same_case(cc):
    first = new_lead(cc, key="abc-123")
    second = new_lead(cc, key="abc-123")
    assert first.pk == second.pk
    assert PenaltyCase.objects.count() == 1


def test_an_officer_outside_the_scope_cannot_open_a_case(cc):
    cast = cc.cast
    with pytest.raises(Exception, match="数据范围"):
        services.receive_lead(
            actor=cast.other_officer,
            organization=cast.department_a,
            item=cc.catalog.item_a,
            title="x",
            source="inspection",
            act_date=D(2024, 2, 1),
            discovered_date=D(2024, 3, 1),
            on=D(2024, 3, 1),
        )


def test_only_the_head_registers(cc):
    case = new_lead(cc)
    with pytest.raises(PermissionDenied):
        services.register(actor=cc.cast.officer, case=case, on=D(2024, 3, 1))


def test_a_transition_out_of_order_is_refused_with_the_stage(cc):
    case = new_lead(cc)
    with pytest.raises(CaseError, match="案源登记.*作出决定"):
        services.decide(actor=cc.cast.department_head, case=case, on=D(2024, 3, 2))


def test_recusal_below_two_officers_is_refused(cc):
    case = walk(cc, Status.INVESTIGATING)
    with pytest.raises(CaseError, match="第四十二条"):
        services.recuse(
            actor=cc.cast.department_head,
            case=case,
            officer=cc.second_officer,
            on=D(2024, 3, 2),
            reason="与当事人有亲属关系",
        )


# --- notice, hearing, review ------------------------------------------------------------------


def test_a_hearing_request_after_five_working_days_is_refused(cc):
    case = walk(cc, Status.NOTIFIED)
    assert case.hearing_right  # 40,000 yuan for an organization is a large fine
    assert case.noticed_on is not None
    late = case.noticed_on + dt.timedelta(days=10)
    with pytest.raises(CaseError, match="五个工作日"):
        services.request_hearing(actor=cc.cast.officer, case=case, on=late)


def test_a_hearing_needs_seven_working_days_notice_and_a_host_who_did_not_investigate(cc):
    case = walk(cc, Status.NOTIFIED)
    assert case.noticed_on is not None
    services.request_hearing(actor=cc.cast.officer, case=case, on=case.noticed_on)
    head = cc.cast.department_head
    with pytest.raises(CaseError, match="七日前"):
        services.schedule_hearing(
            actor=head,
            case=case,
            on=D(2024, 3, 15),
            hearing_on=D(2024, 3, 18),
            location="会议室",
            host=cc.cast.legal_reviewer,
        )
    with pytest.raises(CaseError, match="调查人员"):
        services.schedule_hearing(
            actor=head,
            case=case,
            on=D(2024, 3, 15),
            hearing_on=D(2024, 4, 1),
            location="会议室",
            host=cc.cast.officer,
        )


def test_the_statement_period_must_run_out_before_concluding(cc):
    case = walk(cc, Status.NOTIFIED)
    with pytest.raises(CaseError, match="陈述申辩期尚未届满"):
        services.conclude_statement(actor=cc.cast.officer, case=case, on=case.noticed_on or START)


def test_no_decision_before_a_required_legal_review_has_passed(cc):
    facts = {"severity": "serious", "harm": "ordinary", "complex_case": True}
    case = walk(cc, Status.READY, facts=facts)
    assert case.legal_review_required  # 第五十八条（三）: 案件情况疑难复杂
    with pytest.raises(CaseError, match="第五十八条"):
        services.decide(
            actor=cc.cast.department_head,
            case=case,
            on=D(2024, 3, 20),
            penalty_types=["fine"],
            fine=Decimal(40000),
        )


def test_a_handler_cannot_review_his_own_case(cc):
    case = walk(cc, Status.LEGAL_REVIEW)
    officer_user = cc.cast.officer
    # give the handling officer the reviewer role too: SAMR-49 still refuses
    from fazhi.core import services as core_services

    core_services.assign_role(
        actor=cc.cast.security_admin, user=officer_user, role="legal_reviewer"
    )
    with pytest.raises(CaseError, match="办案人员不得作为"):
        services.pass_legal_review(
            actor=officer_user, case=case, on=D(2024, 3, 20), comments="同意"
        )


def test_a_failed_checklist_point_cannot_be_approved(cc):
    case = walk(cc, Status.LEGAL_REVIEW)
    with pytest.raises(CaseError, match="审核要点未通过"):
        services.pass_legal_review(
            actor=cc.cast.legal_reviewer,
            case=case,
            on=D(2024, 3, 20),
            comments="同意",
            checklist={"body": True, "facts": False},
        )


def test_a_returned_review_sends_the_case_back(cc):
    case = walk(cc, Status.LEGAL_REVIEW)
    services.return_legal_review(
        actor=cc.cast.legal_reviewer, case=case, on=D(2024, 3, 20), comments="证据不足"
    )
    case.refresh_from_db()
    assert case.status == Status.EXAMINING
    assert not services.legal_review_passed(case)


def _ready_with_review(cc):
    case = walk(cc, Status.LEGAL_REVIEW)
    services.pass_legal_review(
        actor=cc.cast.legal_reviewer, case=case, on=D(2024, 3, 16), comments="同意"
    )
    case.refresh_from_db()
    if case.discussion_required:
        services.record_discussion(
            actor=cc.cast.department_head,
            case=case,
            on=D(2024, 3, 16),
            participants="局长、副局长",
            conclusion="同意",
        )
    return case


def test_no_heavier_fine_than_noticed(cc):
    case = _ready_with_review(cc)
    with pytest.raises(CaseError, match="第四十五条"):
        services.decide(
            actor=cc.cast.department_head,
            case=case,
            on=D(2024, 3, 20),
            penalty_types=["fine"],
            fine=Decimal(50000),
        )


def test_no_new_penalty_type_after_the_notice(cc):
    case = _ready_with_review(cc)
    with pytest.raises(CaseError, match="重新告知"):
        services.decide(
            actor=cc.cast.department_head,
            case=case,
            on=D(2024, 3, 20),
            penalty_types=["fine", "warning"],
            fine=Decimal(40000),
        )


def test_deviation_from_the_benchmark_needs_a_reason(cc):
    case = _ready_with_review(cc)
    # 情节较重 allows 30,000–70,000: 20,000 deviates and needs the head's recorded reason.
    with pytest.raises(CaseError, match="偏离基准"):
        services.decide(
            actor=cc.cast.department_head,
            case=case,
            on=D(2024, 3, 20),
            penalty_types=["fine"],
            fine=Decimal(20000),
        )
    case = services.decide(
        actor=cc.cast.department_head,
        case=case,
        on=D(2024, 3, 20),
        penalty_types=["fine"],
        fine=Decimal(20000),
        deviation_reason="当事人确有经济困难，经负责人批准",
    )
    assert case.deviation_approved_by == cc.cast.department_head


def test_a_decision_after_ninety_days_needs_an_extension(cc):
    case = _ready_with_review(cc)
    late = case.registered_on + dt.timedelta(days=95)
    with pytest.raises(CaseError, match="第六十条"):
        services.decide(
            actor=cc.cast.department_head,
            case=case,
            on=late,
            penalty_types=["fine"],
            fine=Decimal(40000),
        )
    services.extend(actor=cc.cast.department_head, case=case, on=late, days=30, reason="案情复杂")
    with pytest.raises(CaseError, match="集体讨论"):
        services.extend(
            actor=cc.cast.department_head, case=case, on=late, days=10, reason="再次延期"
        )
    case.refresh_from_db()
    decided = services.decide(
        actor=cc.cast.department_head,
        case=case,
        on=late,
        penalty_types=["fine"],
        fine=Decimal(40000),
    )
    assert decided.status == Status.DECIDED


def test_a_fine_must_be_paid_before_closing(cc):
    case = walk(cc, Status.SERVED)
    with pytest.raises(CaseError, match="罚款尚未缴纳"):
        services.close(actor=cc.cast.department_head, case=case, on=D(2024, 4, 1), summary="结案")


# --- lenience ---------------------------------------------------------------------------------


def _lenient_case(cc):
    case = walk(
        cc,
        Status.EXAMINING,
        facts={
            "severity": "slight",
            "harm": "minor",
            "corrected_in_time": True,
        },
    )
    assert case.lenient, case.evaluation.get("paragraph")
    return case


def test_a_first_violation_case_gets_no_penalty_with_the_three_documents(cc):
    case = _lenient_case(cc)
    head, officer = cc.cast.department_head, cc.cast.officer
    services.propose_no_penalty(
        actor=officer, case=case, on=D(2024, 3, 14), outcome="no_penalty", reason="首违不罚"
    )
    case.refresh_from_db()
    if case.discussion_required:
        services.record_discussion(
            actor=head, case=case, on=D(2024, 3, 15), participants="班子成员", conclusion="同意"
        )
    with pytest.raises(CaseError, match="第三十三条第三款"):
        services.decide(actor=head, case=case, on=D(2024, 3, 15))
    case = services.decide(
        actor=head, case=case, on=D(2024, 3, 15), education_record="已对当事人进行法治教育"
    )
    assert case.outcome == Outcome.NO_PENALTY
    kinds = set(case.documents.values_list("kind", flat=True))
    assert {"no_penalty_decision", "tolerance_commitment", "administrative_guidance"} <= kinds
    # 减免金额 = the lower bound of the ordinary range the engine gives without lenient facts.
    assert case.baseline_fine is not None and case.baseline_fine > 0
    assert services.relief_amount(case) == case.baseline_fine


def test_no_penalty_is_refused_when_the_engine_does_not_allow_it(cc):
    case = walk(cc, Status.EXAMINING)
    with pytest.raises(CaseError, match="不允许不予行政处罚"):
        services.propose_no_penalty(
            actor=cc.cast.officer,
            case=case,
            on=D(2024, 3, 14),
            outcome="no_penalty",
            reason="x",
        )


# --- summary procedure ------------------------------------------------------------------------


def test_an_on_the_spot_fine_above_the_threshold_is_refused(cc):
    with pytest.raises(CaseError, match="第五十一条"):
        services.decide_on_spot(
            actor=cc.cast.officer,
            organization=cc.cast.department_a,
            item=cc.catalog.item_a,
            title="未按规定公示年度报告",
            act_date=D(2024, 3, 1),
            on=D(2024, 3, 1),
            party=PERSON,
            officers=cc.officers,
            penalty_types=["fine"],
            fine=Decimal(500),
        )


def test_an_on_the_spot_warning_is_decided_and_served_at_once(cc):
    case = services.decide_on_spot(
        actor=cc.cast.officer,
        organization=cc.cast.department_a,
        item=cc.catalog.item_a,
        title="未按规定公示年度报告",
        act_date=D(2024, 3, 1),
        on=D(2024, 3, 1),
        party=COMPANY,
        officers=cc.officers,
        penalty_types=["warning"],
    )
    assert case.status == Status.SERVED
    assert case.procedure == "summary"
    assert case.documents.filter(kind="penalty_decision").exists()


# --- side paths -------------------------------------------------------------------------------


def test_suspend_and_resume_return_to_the_stage(cc):
    case = walk(cc, Status.NOTIFIED)
    head = cc.cast.department_head
    services.suspend(actor=head, case=case, on=D(2024, 3, 20), reason="当事人下落不明")
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED
    services.resume(actor=head, case=case, on=D(2024, 4, 1))
    case.refresh_from_db()
    assert case.status == Status.NOTIFIED


def test_transfer_to_judicial_organs(cc):
    case = walk(cc, Status.INVESTIGATING)
    services.transfer(
        actor=cc.cast.department_head,
        case=case,
        on=D(2024, 3, 5),
        target="judicial",
        recipient="东辽县公安局",
        reason="涉嫌生产销售伪劣产品罪",
    )
    case.refresh_from_db()
    assert case.status == Status.TRANSFERRED


# --- 公示 -------------------------------------------------------------------------------------


def test_publication_is_redacted_and_withdrawn_after_revocation(cc):
    case = walk(cc, Status.SERVED, party=PERSON)
    officer, head = cc.cast.officer, cc.cast.department_head
    d = services.publish_decision(actor=officer, case=case, on=D(2024, 3, 18))
    text = str(d.snapshot)
    assert PERSON.name not in text and PERSON.id_number not in text
    assert PERSON.phone not in text
    with pytest.raises(CaseError, match="已公开"):
        services.publish_decision(actor=officer, case=case, on=D(2024, 3, 18))
    services.revoke_decision(actor=head, case=case, on=D(2024, 5, 6), reason="行政复议决定撤销")
    case.refresh_from_db()
    w = services.withdraw_disclosure(actor=officer, case=case, on=D(2024, 5, 8), reason="复议撤销")
    assert w.on_time
    assert list(Disclosure.objects.filter(case=case).values_list("action", flat=True)) == [
        "withdraw",
        "publish",
    ]


def test_cases_of_minors_are_never_published(cc):
    minor = PartyInput(
        kind="individual",
        name="王小弟",
        id_number=resident_id(31, birth="20100101"),
        address="吉林省辽源市东辽县白泉镇",
    )
    facts: dict[str, object] = {"severity": "minor", "harm": "ordinary"}
    case = walk(cc, Status.DECIDED, party=minor, facts=facts, fine=Decimal(20000))
    with pytest.raises(CaseError, match="不予公开"):
        services.publish_decision(actor=cc.cast.officer, case=case, on=D(2024, 3, 18))


def test_the_catalog_officer_status_change_blocks_new_assignment(cc):
    catalog_services.set_officer_status(
        actor=cc.cast.rule_of_law_office,
        officer=cc.second_officer,
        status="suspended",
        reason="暂扣",
    )
    with pytest.raises(Exception, match="暂扣"):
        new_lead(cc)
