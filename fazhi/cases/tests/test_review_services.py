"""案卷评查 services: the verifiable sample of closed files, scoring with recusal, the
《行政执法监督意见书》 with its working-day deadlines, and each refusal."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fazhi.cases import review, review_selectors, review_services
from fazhi.cases.models import (
    CaseReview,
    OpinionStatus,
    PenaltyCase,
    ReviewPlan,
    ReviewPlanStatus,
)
from fazhi.cases.review_services import ReviewError
from fazhi.cases.services import UploadedFile
from fazhi.cases.testing import CaseCast, walk
from fazhi.cases.workflow import Status
from fazhi.core import services as core_services
from fazhi.core.choices import DataScope, Role
from fazhi.core.errors import ConflictError
from fazhi.core.selectors import forget_roles
from fazhi.core.testing import TEST_PASSWORD
from fazhi.draws.models import Draw, DrawStatus
from fazhi.draws.selectors import public_draws
from fazhi.ledger.models import LedgerEntry
from fazhi.ledger.services import attachment_path

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = dt.date
SOURCE = "中国福利彩票双色球开奖号码（按开奖顺序）"
RANDOMNESS = "03 07 12 19 25 31 09"
EVIDENCE = "https://www.cwl.gov.cn/ 当期开奖公告"


def closed_cases(cc: CaseCast, n: int = 3) -> list[PenaltyCase]:
    return [walk(cc, Status.CLOSED, on=D(2024, 3, 1) + dt.timedelta(days=i)) for i in range(n)]


def make_plan(cc: CaseCast, **kw: Any) -> ReviewPlan:
    cast = cc.cast
    args: dict[str, Any] = {
        "actor": cast.supervisor,
        "organization": cast.justice_bureau,
        "year": 2024,
        "title": "2024年度行政处罚案卷评查",
        "departments": [cast.department_a, cast.department_b],
        "closed_from": D(2024, 1, 1),
        "closed_to": D(2024, 12, 31),
        "sample_size": 2,
    }
    args.update(kw)
    return review_services.create_plan(**args)


def drawn_plan(cc: CaseCast, **kw: Any) -> ReviewPlan:
    plan = make_plan(cc, **kw)
    actor = cc.cast.supervisor
    plan = review_services.commit_plan(
        actor=actor, plan=plan, randomness_source=SOURCE, randomness_due=TODAY
    )
    return review_services.reveal_plan(actor=actor, plan=plan, value=RANDOMNESS, evidence=EVIDENCE)


def full_scores(plan) -> dict[str, int]:
    return {c.code: c.points for c in review.criteria(plan.sheet)}


def reviewer_in(cc: CaseCast, org, username: str):
    """A supervisor account (cases.review, whole county) in ``org``."""
    cast = cc.cast
    user = core_services.create_user(
        actor=cast.system_admin,
        username=username,
        full_name="评查员",
        organization=org,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(
        actor=cast.security_admin, user=user, role=Role.SUPERVISOR, scope=DataScope.COUNTY
    )
    return user


@pytest.fixture
def files(cc):
    return closed_cases(cc)


# --- the sheet --------------------------------------------------------------------------------


def test_default_sheet_has_the_six_sections_and_100_points():
    sheet = review.default_sheet()
    names = [s["name"] for s in sheet["sections"]]
    assert names == ["执法主体与依据", "程序", "证据", "文书", "期限", "公示"]
    assert review.max_total(sheet) == 100


def test_a_malformed_sheet_is_refused(cc):
    bad = {"sections": [{"code": "x", "name": "程序", "criteria": [{"code": "a", "points": 0}]}]}
    with pytest.raises(ReviewError, match="正整数"):
        make_plan(cc, sheet=bad)


# --- plans and the draw -----------------------------------------------------------------------


def test_plan_draws_closed_files_per_department_and_records_the_commitment(cc, files):
    walk(cc, Status.DECIDED, on=D(2024, 4, 1))  # not closed: never in the pool
    plan = drawn_plan(cc)
    assert plan.status == ReviewPlanStatus.DRAWN
    draw = plan.draw
    assert draw is not None
    assert draw.status == DrawStatus.DRAWN
    assert draw.commitment["strata"] == {"scj": 2, "hbj": 0}
    assert draw.candidate_count == 3
    reviews = list(review_selectors.current_reviews(plan))
    assert len(reviews) == 2
    assert {r.case.number for r in reviews} <= {c.number for c in files}
    assert [r.rank for r in reviews] == [1, 2]
    kinds = list(
        LedgerEntry.objects.filter(kind__startswith="draw.").values_list("kind", flat=True)
    )
    assert kinds.count("draw.committed") == 1 and kinds.count("draw.drawn") == 1
    assert LedgerEntry.objects.filter(kind="review.plan_created").count() == 1


def test_percentage_rounds_up_and_never_exceeds_the_department(cc, files):
    plan = make_plan(cc, sample_size=None, sample_percent=50)
    plan = review_services.commit_plan(
        actor=cc.cast.supervisor, plan=plan, randomness_source=SOURCE, randomness_due=TODAY
    )
    assert plan.draw is not None
    assert plan.draw.commitment["strata"]["scj"] == 2  # ceil(3 × 50%)
    assert review_services.quotas_for(plan, {"scj": 1}) == {"scj": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "评查名称"),
        ({"closed_to": D(2023, 1, 1)}, "不能早于"),
        ({"sample_percent": 10}, "二者选一"),
        ({"sample_size": None}, "二者选一"),
        ({"sample_size": 0}, "至少为1"),
        ({"departments": []}, "被评查部门"),
        ({"year": 1900}, "年度"),
    ],
)
def test_plan_refusals_say_why(cc, change, message):
    with pytest.raises(ReviewError, match=message):
        make_plan(cc, **change)


def test_only_supervisors_and_the_justice_bureau_make_plans(cc):
    for user in (cc.cast.officer, cc.cast.department_head, cc.cast.legal_reviewer):
        with pytest.raises(PermissionDenied):
            make_plan(cc, actor=user)
    assert make_plan(cc, actor=cc.cast.rule_of_law_office).pk


def test_commit_without_closed_files_is_refused(cc):
    plan = make_plan(cc)
    with pytest.raises(ReviewError, match="没有已结案"):
        review_services.commit_plan(
            actor=cc.cast.supervisor, plan=plan, randomness_source=SOURCE, randomness_due=TODAY
        )


def test_a_redraw_needs_a_new_commitment_with_a_reason_and_keeps_the_old(cc, files):
    plan = drawn_plan(cc)
    first = plan.draw
    sup = cc.cast.supervisor
    with pytest.raises(ConflictError, match="不能再次抽取"):
        review_services.reveal_plan(actor=sup, plan=plan, value="1 2 3", evidence=EVIDENCE)
    with pytest.raises(ReviewError, match="理由"):
        review_services.commit_plan(
            actor=sup, plan=plan, randomness_source=SOURCE, randomness_due=TODAY
        )
    plan = review_services.commit_plan(
        actor=sup,
        plan=plan,
        randomness_source="次日开奖号码",
        randomness_due=TODAY,
        redraw_reason="抽中的案卷正在复议",
    )
    assert plan.draw is not None and plan.draw.supersedes == first
    assert review_selectors.current_reviews(plan).count() == 0
    assert CaseReview.objects.filter(draw=first).count() == 2  # the old sample stays
    plan = review_services.reveal_plan(actor=sup, plan=plan, value="9 8 7", evidence=EVIDENCE)
    assert review_selectors.current_reviews(plan).count() == 2
    assert review_selectors.draw_history(plan) == [plan.draw, first]


def test_no_redraw_once_a_file_is_scored(cc, files):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    review_services.score(
        actor=cc.cast.supervisor, plan=plan, case=row.case, scores=full_scores(plan), on=TODAY
    )
    with pytest.raises(ReviewError, match="已有案卷评分"):
        review_services.commit_plan(
            actor=cc.cast.supervisor,
            plan=plan,
            randomness_source=SOURCE,
            randomness_due=TODAY,
            redraw_reason="想换一批",
        )


# --- scoring ----------------------------------------------------------------------------------


def test_scoring_totals_the_sheet_and_records_it(cc, files):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    scores = full_scores(plan)
    scores["legal_basis_cited"] = 5
    result = review_services.score(
        actor=cc.cast.supervisor,
        plan=plan,
        case=row.case,
        scores=scores,
        notes={"legal_basis_cited": "未引用到款项"},
        findings="法律依据引用不具体",
        on=TODAY,
    )
    assert result.total == Decimal(97)
    assert result.scores["legal_basis_cited"] == {"score": 5, "note": "未引用到款项"}
    assert list(result.reviewers.all()) == [cc.cast.supervisor]
    entry = LedgerEntry.objects.get(kind="review.scored")
    assert entry.seq == result.ledger_seq


@pytest.mark.parametrize(
    ("change", "notes", "message"),
    [
        ({"body_standing": 9}, {}, "0至8分"),
        ({"body_standing": -1}, {}, "0至8分"),
        ({"nonexistent": 1}, {}, "没有评分细则"),
        ({"body_standing": 7}, {}, "扣分理由"),
    ],
)
def test_score_refusals(cc, files, change, notes, message):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    scores = {**full_scores(plan), **change}
    with pytest.raises(ReviewError, match=message):
        review_services.score(
            actor=cc.cast.supervisor, plan=plan, case=row.case, scores=scores, notes=notes, on=TODAY
        )


def test_every_criterion_must_be_scored(cc, files):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    scores = full_scores(plan)
    del scores["service"]
    with pytest.raises(ReviewError, match="请为"):
        review_services.score(
            actor=cc.cast.supervisor, plan=plan, case=row.case, scores=scores, on=TODAY
        )


def test_a_file_not_drawn_cannot_be_scored(cc, files):
    plan = drawn_plan(cc)
    drawn = {r.case_id for r in review_selectors.current_reviews(plan)}
    other = next(c for c in files if c.pk not in drawn)
    with pytest.raises(ReviewError, match="未被本计划抽中"):
        review_services.score(
            actor=cc.cast.supervisor, plan=plan, case=other, scores=full_scores(plan), on=TODAY
        )


def test_scoring_before_the_draw_is_refused(cc, files):
    plan = make_plan(cc)
    with pytest.raises(ReviewError, match="尚未完成抽取"):
        review_services.score(
            actor=cc.cast.supervisor, plan=plan, case=files[0], scores={}, on=TODAY
        )


def test_recusal_an_officer_of_the_case_cannot_score_it(cc, files):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    officer = cc.cast.officer  # 张执法, officer of every walked case
    core_services.assign_role(
        actor=cc.cast.security_admin, user=officer, role=Role.SUPERVISOR, scope=DataScope.COUNTY
    )
    forget_roles(officer)
    with pytest.raises(ReviewError, match="办案人员，应当回避"):
        review_services.score(
            actor=officer, plan=plan, case=row.case, scores=full_scores(plan), on=TODAY
        )


def test_recusal_a_reviewer_of_the_same_department_cannot_score(cc, files):
    plan = drawn_plan(cc)
    row = review_selectors.current_reviews(plan)[0]
    colleague = reviewer_in(cc, cc.cast.department_a, "colleague")
    with pytest.raises(ReviewError, match="同一部门，应当回避"):
        review_services.score(
            actor=colleague, plan=plan, case=row.case, scores=full_scores(plan), on=TODAY
        )
    outsider = reviewer_in(cc, cc.cast.department_b, "outsider")
    done = review_services.score(
        actor=outsider, plan=plan, case=row.case, scores=full_scores(plan), on=TODAY
    )
    assert done.total == 100


def test_department_averages(cc, files):
    plan = drawn_plan(cc)
    rows = list(review_selectors.current_reviews(plan))
    scores = full_scores(plan)
    review_services.score(
        actor=cc.cast.supervisor, plan=plan, case=rows[0].case, scores=scores, on=TODAY
    )
    scores["file_order"] = 0
    review_services.score(
        actor=cc.cast.supervisor,
        plan=plan,
        case=rows[1].case,
        scores=scores,
        notes={"file_order": "卷内目录缺失"},
        on=TODAY,
    )
    (scj,) = [d for d in review_selectors.department_scores(plan) if d.code == "scj"]
    assert (scj.files, scj.scored, scj.average) == (2, 2, Decimal("98.0"))


# --- the opinion ------------------------------------------------------------------------------


def scored_plan(cc):
    plan = drawn_plan(cc)
    for i, row in enumerate(review_selectors.current_reviews(plan)):
        scores = full_scores(plan)
        scores["decision_published"] = 2
        review_services.score(
            actor=cc.cast.supervisor,
            plan=plan,
            case=row.case,
            scores=scores,
            notes={"decision_published": "逾期公开"},
            findings=f"问题{i + 1}：决定未按期公开",
            on=TODAY,
        )
    return plan


def issue(cc, plan, **kw):
    args = {
        "actor": cc.cast.supervisor,
        "plan": plan,
        "department": cc.cast.department_a,
        "findings": "行政处罚决定未在七个工作日内公开。",
        "requirements": "建立公示台账，逐案核对公开时限。",
        "on": TODAY,
    }
    args.update(kw)
    return review_services.issue_opinion(**args)


def test_opinion_is_refused_while_files_are_unscored(cc, files):
    plan = drawn_plan(cc)
    with pytest.raises(ReviewError, match="未评分"):
        issue(cc, plan)


def test_opinion_document_in_gbt9704_with_receipt(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    assert opinion.number.endswith(f"执监〔{TODAY.year}〕1号")
    assert opinion.status == OpinionStatus.ISSUED
    data = attachment_path(opinion.attachment_id).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert "行政执法监督意见书" in xml and opinion.number in xml
    assert "测试县市场监督管理局：" in xml
    assert "30个工作日内予以整改" in xml and "第二十九条第二款" in xml
    assert f"第{opinion.ledger_seq}号日志条目" in xml
    assert "仿宋_GB2312" in xml
    assert media  # the receipt's QR code
    entry = LedgerEntry.objects.get(kind="review.opinion_issued")
    assert entry.seq == opinion.ledger_seq
    with pytest.raises(ConflictError):
        issue(cc, plan)
    with pytest.raises(ReviewError, match="不是本计划"):
        issue(cc, plan, department=cc.cast.township)


def test_opinion_refusals_need_findings_and_requirements(cc, files):
    plan = scored_plan(cc)
    with pytest.raises(ReviewError, match="发现的问题"):
        issue(cc, plan, findings=" ")
    with pytest.raises(ReviewError, match="整改要求"):
        issue(cc, plan, requirements="")
    with pytest.raises(ReviewError, match="没有抽中"):
        issue(cc, plan, department=cc.cast.department_b)


def test_rectification_due_30_working_days_after_receipt(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    head = cc.cast.department_head
    received = TODAY + dt.timedelta(days=1)
    opinion = review_services.receive_opinion(actor=head, opinion=opinion, on=received)
    assert opinion.due_on == review_services.add_wdays(received, "SUPERVISION_RECTIFY_WDAYS")
    # 30 working days are at least six calendar weeks, 15 at least three.
    assert opinion.due_on is not None and opinion.recheck_until is not None
    assert opinion.due_on >= received + dt.timedelta(days=42)
    assert opinion.recheck_until >= received + dt.timedelta(days=21)
    assert opinion.due_on.weekday() < 5
    with pytest.raises(ConflictError):
        review_services.receive_opinion(actor=head, opinion=opinion, on=received)


def test_working_days_on_a_known_week():
    # 2021-03-01 is a Monday outside any holiday: 30 working days later is Monday 2021-04-12.
    assert review_services.add_wdays(D(2021, 3, 1), "SUPERVISION_RECTIFY_WDAYS") == D(2021, 4, 12)
    assert review_services.add_wdays(D(2021, 3, 1), "SUPERVISION_RECHECK_WDAYS") == D(2021, 3, 22)


def test_the_department_answers_and_closes_it(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    head = cc.cast.department_head
    with pytest.raises(ReviewError, match="收到意见书的日期"):
        review_services.answer_opinion(actor=head, opinion=opinion, report="已整改", on=TODAY)
    opinion = review_services.receive_opinion(actor=head, opinion=opinion, on=TODAY)
    with pytest.raises(PermissionDenied):
        review_services.answer_opinion(
            actor=cc.cast.supervisor, opinion=opinion, report="已整改", on=TODAY
        )
    with pytest.raises(ReviewError, match="书面报告"):
        review_services.answer_opinion(actor=head, opinion=opinion, report=" ", on=TODAY)
    report = UploadedFile(io.BytesIO(b"%PDF-1.4 report"), "整改报告.pdf", "application/pdf")
    opinion = review_services.answer_opinion(
        actor=head, opinion=opinion, report="已建立公示台账", on=TODAY, file=report
    )
    assert opinion.status == OpinionStatus.ANSWERED and opinion.on_time is True
    assert opinion.report_attachment_id
    entry = LedgerEntry.objects.get(kind="review.opinion_answered")
    assert opinion.report_attachment_id in entry.body
    with pytest.raises(ConflictError):
        review_services.answer_opinion(actor=head, opinion=opinion, report="再报", on=TODAY)


def test_a_late_report_is_marked_and_the_opinion_was_overdue(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    head = cc.cast.department_head
    opinion = review_services.receive_opinion(actor=head, opinion=opinion, on=TODAY)
    assert opinion.due_on is not None
    late = opinion.due_on + dt.timedelta(days=1)
    overdue = review_selectors.opinions_for(cc.cast.supervisor, overdue_on=late)
    assert list(overdue) == [opinion]
    assert not review_selectors.opinions_for(cc.cast.supervisor, overdue_on=opinion.due_on)
    opinion = review_services.answer_opinion(actor=head, opinion=opinion, report="已整改", on=late)
    assert opinion.on_time is False
    assert not review_selectors.opinions_for(cc.cast.supervisor, overdue_on=late)


def test_the_other_department_cannot_answer(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    head_b = core_services.create_user(
        actor=cc.cast.system_admin,
        username="head_b",
        full_name="钱局长",
        organization=cc.cast.department_b,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(
        actor=cc.cast.security_admin,
        user=head_b,
        role=Role.DEPARTMENT_HEAD,
        scope=DataScope.SUBTREE,
    )
    with pytest.raises(ReviewError, match="数据范围"):
        review_services.receive_opinion(actor=head_b, opinion=opinion, on=TODAY)


def test_recheck_within_15_working_days_and_its_answer(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    head, sup = cc.cast.department_head, cc.cast.supervisor
    opinion = review_services.receive_opinion(actor=sup, opinion=opinion, on=TODAY)
    assert opinion.recheck_until is not None
    with pytest.raises(ReviewError, match="申请复查期限"):
        review_services.request_recheck(
            actor=head,
            opinion=opinion,
            reason="该案已公开",
            on=opinion.recheck_until + dt.timedelta(days=1),
        )
    with pytest.raises(ReviewError, match="理由"):
        review_services.request_recheck(actor=head, opinion=opinion, reason="", on=TODAY)
    opinion = review_services.request_recheck(
        actor=head, opinion=opinion, reason="该案已于决定后5个工作日公开", on=TODAY
    )
    assert opinion.status == OpinionStatus.RECHECK
    assert opinion.recheck_due_on == review_services.add_wdays(TODAY, "SUPERVISION_RECHECK_WDAYS")
    with pytest.raises(ReviewError, match="复查申请尚未答复"):
        review_services.answer_opinion(actor=head, opinion=opinion, report="已整改", on=TODAY)
    with pytest.raises(ConflictError):
        review_services.request_recheck(actor=head, opinion=opinion, reason="再次", on=TODAY)
    with pytest.raises(PermissionDenied):
        review_services.answer_recheck(
            actor=head, opinion=opinion, upheld=True, answer="维持", on=TODAY
        )
    opinion = review_services.answer_recheck(
        actor=sup, opinion=opinion, upheld=True, answer="经复查，维持原意见", on=TODAY
    )
    assert opinion.status == OpinionStatus.RECEIVED and opinion.recheck_upheld is True
    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {"review.recheck_requested", "review.recheck_answered"} <= kinds


def test_draw_of_the_plan_is_a_case_review_draw_kept_inside(cc, files):
    plan = drawn_plan(cc)
    assert plan.draw_id is not None
    assert not public_draws().filter(pk=plan.draw_id).exists()
    assert Draw.objects.get(pk=plan.draw_id).purpose == "case_review"
