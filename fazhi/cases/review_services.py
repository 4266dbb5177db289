"""Every write of 案卷评查 (case-file review) and its 《行政执法监督意见书》.

吉林省行政执法监督条例: 第二十条 (the supervising body reviews case files regularly),
第二十八条 (what it may do about what it finds), 第二十九条第二款 (the department rectifies
within 30 working days of receiving the opinion and reports in writing), 第三十条
(re-examination asked within 15 working days, answered within 15). The periods are the
dated parameters ``SUPERVISION_RECTIFY_WDAYS`` and ``SUPERVISION_RECHECK_WDAYS``.

The sample is a verifiable draw (``fazhi.draws``, purpose 案卷评查, method ``ranked``, one
stratum per department): committing and revealing a plan's draw are the draw's own writes, and
their ledger entries (``draw.committed`` / ``draw.drawn``) are the one entry of those writes;
the draw's title names the plan. Every other write here records one entry on the plan's stream.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from fazhi.cases import review
from fazhi.cases.models import (
    CaseReview,
    OpinionStatus,
    PenaltyCase,
    ReviewPlan,
    ReviewPlanStatus,
    SupervisionOpinion,
)
from fazhi.cases.services import UploadedFile, _org_prefix, receipt_url
from fazhi.cases.workflow import Status
from fazhi.core.calendar import compute_deadline
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import has_perm, require
from fazhi.core.selectors import visible_organizations
from fazhi.draws import services as draws
from fazhi.draws.models import Draw, DrawStatus, Method, Purpose
from fazhi.ledger.services import record, reserve_seq, store_attachment
from fazhi.rules.parameters import default_parameters

REVIEW = "cases.review"
ANSWER = "cases.answer_review"
RECTIFY_WDAYS = "SUPERVISION_RECTIFY_WDAYS"
RECHECK_WDAYS = "SUPERVISION_RECHECK_WDAYS"
REVIEWABLE = (Status.CLOSED.value, Status.ARCHIVED.value)


class ReviewError(DomainError):
    """A refused review operation; `field` names the input at fault (forms, API)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message, details={field: [message]} if field else None)
        self.field = field


# --- helpers ----------------------------------------------------------------------------------


def _in_scope(actor: User, org: Organization) -> None:
    if not visible_organizations(actor).filter(pk=org.pk).exists():
        raise ReviewError(f"“{org.name}”不在您的数据范围内")


def _wdays_param(code: str, on: dt.date) -> int:
    return default_parameters().int_value(code, on)


def add_wdays(start: dt.date, code: str) -> dt.date:
    """``start`` + the parameter's working days (the regulation says “个工作日”)."""
    n = _wdays_param(code, start)
    return compute_deadline(start=start, n=n, unit="working_days", law="").due


def _lock_plan(plan: ReviewPlan) -> ReviewPlan:
    return (
        ReviewPlan.objects.select_for_update(of=("self",))
        .select_related("organization", "draw")
        .get(pk=plan.pk)
    )


def _lock_opinion(opinion: SupervisionOpinion) -> SupervisionOpinion:
    return (
        SupervisionOpinion.objects.select_for_update(of=("self",))
        .select_related("plan__organization", "department")
        .get(pk=opinion.pk)
    )


def _record(plan: ReviewPlan, kind: str, actor: User, payload: Mapping[str, Any], **kw: Any) -> int:
    entry = record(stream=plan.stream, kind=kind, actor=actor, payload=dict(payload), **kw)
    return int(entry.seq)


# --- plans ------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor: User,
    organization: Organization,
    year: int,
    title: str,
    departments: Iterable[Organization],
    closed_from: dt.date,
    closed_to: dt.date,
    sample_size: int | None = None,
    sample_percent: int | None = None,
    sheet: Mapping[str, Any] | None = None,
) -> ReviewPlan:
    """A review plan: who reviews, whose closed files, closed between which dates, how many."""
    require(actor, REVIEW)
    _in_scope(actor, organization)
    title = title.strip()
    if not title:
        raise ReviewError("请填写评查名称", "title")
    if not 2000 <= year <= 2100:
        raise ReviewError("年度无效", "year")
    if closed_to < closed_from:
        raise ReviewError("结案日期止不能早于结案日期起", "closed_to")
    if (sample_size is None) == (sample_percent is None):
        raise ReviewError("请填写每部门抽取案卷数或抽取比例（二者选一）", "sample_size")
    if sample_size is not None and sample_size < 1:
        raise ReviewError("每部门抽取案卷数至少为1", "sample_size")
    if sample_percent is not None and not 1 <= sample_percent <= 100:
        raise ReviewError("抽取比例应在1%至100%之间", "sample_percent")
    depts = list({d.pk: d for d in departments}.values())
    if not depts:
        raise ReviewError("请选择被评查部门", "departments")
    visible = set(visible_organizations(actor).values_list("pk", flat=True))
    for d in depts:
        if d.pk not in visible:
            raise ReviewError(f"“{d.name}”不在您的数据范围内", "departments")
    try:
        frozen = review.check_sheet(sheet) if sheet is not None else review.default_sheet()
    except review.SheetError as exc:
        raise ReviewError(str(exc), "sheet") from None
    seq = reserve_seq()
    plan = ReviewPlan.objects.create(
        organization=organization,
        year=year,
        title=title,
        closed_from=closed_from,
        closed_to=closed_to,
        sample_size=sample_size,
        sample_percent=sample_percent,
        sheet=frozen,
        created_by=actor,
        ledger_seq=seq,
    )
    plan.departments.set(depts)
    _record(
        plan,
        "review.plan_created",
        actor,
        {
            "plan": plan.pk,
            "title": title,
            "year": year,
            "departments": sorted(d.code for d in depts),
            "closed_from": closed_from.isoformat(),
            "closed_to": closed_to.isoformat(),
            "sample_size": sample_size,
            "sample_percent": sample_percent,
            "sheet_version": str(frozen.get("version", "")),
        },
    )
    return plan


def candidate_cases(plan: ReviewPlan) -> QuerySet[PenaltyCase]:
    """The plan's pool: closed or archived cases of its departments, closed in its range."""
    return PenaltyCase.objects.filter(
        organization__in=plan.departments.all(),
        status__in=REVIEWABLE,
        closed_on__gte=plan.closed_from,
        closed_on__lte=plan.closed_to,
    ).select_related("organization")


def quotas_for(plan: ReviewPlan, sizes: Mapping[str, int]) -> dict[str, int]:
    """Files to draw per department code: the sample size (or percentage, rounded up), never
    more than the department has; a department without closed files draws none."""
    out: dict[str, int] = {}
    for code, size in sizes.items():
        if plan.sample_size is not None:
            want = plan.sample_size
        else:
            want = math.ceil(size * (plan.sample_percent or 0) / 100)
        out[code] = min(want, size)
    return out


@transaction.atomic
def commit_plan(
    *,
    actor: User,
    plan: ReviewPlan,
    randomness_source: str,
    randomness_due: dt.date,
    redraw_reason: str = "",
    at: dt.datetime | None = None,
) -> ReviewPlan:
    """Freeze the pool and the quotas and publish the commitment (ARCHITECTURE §7). ``at``
    records a past commitment at its own time (the demo); pages and the API never pass it.

    A plan already committed is re-drawn only through a new commitment that names the old draw
    and why (the draws service keeps both); once a file of the current draw is scored, the
    sample stands."""
    plan = _lock_plan(plan)
    require(actor, REVIEW)
    _in_scope(actor, plan.organization)
    previous: Draw | None = plan.draw
    if previous is not None:
        if not redraw_reason.strip():
            raise ReviewError("该计划已作出抽取承诺；重新抽取须写明理由", "redraw_reason")
        if CaseReview.objects.filter(draw=previous, scored_on__isnull=False).exists():
            raise ReviewError("已有案卷评分，不能重新抽取")
    cases = list(candidate_cases(plan))
    pool = [{"id": c.number, "stratum": c.organization.code} for c in cases]
    sizes: dict[str, int] = {d.code: 0 for d in plan.departments.all()}
    for c in cases:
        sizes[c.organization.code] += 1
    quotas = quotas_for(plan, sizes)
    if not any(quotas.values()):
        raise ReviewError("所选部门在结案日期范围内没有已结案或归档的案卷")
    draw = draws.commit(
        actor=actor,
        organization=plan.organization,
        purpose=Purpose.CASE_REVIEW,
        title=f"{plan.title}（评查计划第{plan.pk}号）",
        pool=pool,
        randomness_source=randomness_source,
        randomness_due=randomness_due,
        quotas=quotas,
        method=Method.RANKED,
        supersedes=previous,
        redraw_reason=redraw_reason,
        at=at,
    )
    plan.draw = draw
    plan.status = ReviewPlanStatus.COMMITTED
    plan.save(update_fields=["draw", "status", "updated_at"])
    return plan


@transaction.atomic
def reveal_plan(
    *, actor: User, plan: ReviewPlan, value: str, evidence: str, at: dt.datetime | None = None
) -> ReviewPlan:
    """Enter the public randomness; the drawn files become the plan's reviews. ``at``: as in
    :func:`commit_plan`."""
    plan = _lock_plan(plan)
    require(actor, REVIEW)
    _in_scope(actor, plan.organization)
    if plan.draw is None:
        raise ReviewError("该计划尚未作出抽取承诺")
    draw = draws.reveal(actor=actor, draw=plan.draw, value=value, evidence=evidence, at=at)
    plan.draw = draw
    if draw.status != DrawStatus.DRAWN or draw.result is None:
        plan.status = ReviewPlanStatus.FAILED
        plan.save(update_fields=["status", "updated_at"])
        return plan
    numbers = [s["id"] for s in draw.result["selected"]]
    by_number = {c.number: c for c in PenaltyCase.objects.filter(number__in=numbers)}
    ranks: dict[str, int] = {}
    rows = []
    for s in draw.result["selected"]:
        stratum = str(s.get("stratum", ""))
        ranks[stratum] = ranks.get(stratum, 0) + 1
        rows.append(CaseReview(plan=plan, draw=draw, case=by_number[s["id"]], rank=ranks[stratum]))
    CaseReview.objects.bulk_create(rows)
    plan.status = ReviewPlanStatus.DRAWN
    plan.save(update_fields=["status", "updated_at"])
    return plan


# --- scoring ----------------------------------------------------------------------------------


def recusal_reason(actor: User, case: PenaltyCase) -> str:
    """Why ``actor`` may not review ``case`` ("" if he or she may).

    The regulation's recusal rule (第二十七条) is for supervisors in general; we apply its
    sense to scoring: nobody scores a file he or she handled (an officer of the case, recused
    or not), nor a file of his or her own department, which would be reviewing oneself."""
    if case.case_officers.filter(officer__user=actor).exists():
        return "您是该案的办案人员，应当回避，不能评查该案卷"
    if actor.organization_id == case.organization_id:
        return "您与该案办案机关为同一部门，应当回避，不能评查该案卷"
    return ""


@transaction.atomic
def score(
    *,
    actor: User,
    plan: ReviewPlan,
    case: PenaltyCase,
    scores: Mapping[str, int],
    notes: Mapping[str, str] | None = None,
    findings: str = "",
    on: dt.date,
) -> CaseReview:
    """Score a drawn file against every criterion of the plan's sheet (0..points); a deduction
    needs a note. Scoring again replaces the scores (each scoring is its own ledger entry)."""
    plan = _lock_plan(plan)
    require(actor, REVIEW)
    _in_scope(actor, plan.organization)
    if plan.status != ReviewPlanStatus.DRAWN or plan.draw is None:
        raise ReviewError("该计划尚未完成抽取，不能评分")
    try:
        row = (
            CaseReview.objects.select_for_update(of=("self",))
            .select_related("case__organization")
            .get(plan=plan, draw=plan.draw, case=case)
        )
    except CaseReview.DoesNotExist:
        raise ReviewError(f"案卷“{case.number}”未被本计划抽中，不能评分") from None
    reason = recusal_reason(actor, row.case)
    if reason:
        raise ReviewError(reason)
    if on < plan.draw.randomness_due:
        raise ReviewError("评分日期不能早于抽取日期", "on")
    notes = notes or {}
    criteria = review.criteria(plan.sheet)
    known = {c.code for c in criteria}
    unknown = sorted(set(scores) - known)
    if unknown:
        raise ReviewError(f"评分表中没有评分细则“{unknown[0]}”", "scores")
    out: dict[str, dict[str, Any]] = {}
    for c in criteria:
        if c.code not in scores:
            raise ReviewError(f"请为“{c.description}”评分", f"scores.{c.code}")
        value = scores[c.code]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= c.points:
            raise ReviewError(
                f"“{c.description}”的得分应为0至{c.points}分的整数", f"scores.{c.code}"
            )
        note = (notes.get(c.code) or "").strip()
        if value < c.points and not note:
            raise ReviewError(f"“{c.description}”扣分，请写明扣分理由", f"notes.{c.code}")
        out[c.code] = {"score": value, "note": note}
    row.scores = out
    row.total = Decimal(sum(v["score"] for v in out.values()))
    row.findings = findings.strip()
    row.scored_on = on
    row.ledger_seq = _record(
        plan,
        "review.scored",
        actor,
        {
            "plan": plan.pk,
            "case": row.case.number,
            "scores": out,
            "total": str(row.total),
            "findings": row.findings,
            "on": on.isoformat(),
        },
    )
    row.save()
    row.reviewers.add(actor)
    return row


# --- the 《行政执法监督意见书》 ---------------------------------------------------------------


def _opinion_number(org: Organization, on: dt.date) -> str:
    n = SupervisionOpinion.objects.filter(plan__organization=org, issued_on__year=on.year).count()
    return f"{_org_prefix(org)}执监〔{on.year}〕{n + 1}号"


@transaction.atomic
def issue_opinion(
    *,
    actor: User,
    plan: ReviewPlan,
    department: Organization,
    findings: str,
    requirements: str,
    on: dt.date,
) -> SupervisionOpinion:
    """Issue the opinion to a department once all its drawn files are scored (第二十八条)."""
    plan = _lock_plan(plan)
    require(actor, REVIEW)
    _in_scope(actor, plan.organization)
    if plan.status != ReviewPlanStatus.DRAWN or plan.draw is None:
        raise ReviewError("该计划尚未完成抽取")
    if not plan.departments.filter(pk=department.pk).exists():
        raise ReviewError(f"“{department.name}”不是本计划的被评查部门", "department")
    if plan.opinions.filter(department=department).exists():
        raise ConflictError(f"已向“{department.name}”制发过本计划的监督意见书")
    rows = list(
        CaseReview.objects.filter(plan=plan, draw=plan.draw, case__organization=department)
        .select_related("case")
        .order_by("rank")
    )
    if not rows:
        raise ReviewError(f"本计划没有抽中“{department.name}”的案卷", "department")
    if any(r.scored_on is None for r in rows):
        raise ReviewError(f"“{department.name}”还有抽中的案卷未评分", "department")
    findings, requirements = findings.strip(), requirements.strip()
    if not findings:
        raise ReviewError("请写明发现的问题", "findings")
    if not requirements:
        raise ReviewError("请写明处理意见和整改要求", "requirements")
    if on < plan.draw.randomness_due:
        raise ReviewError("制发日期不能早于抽取日期", "on")
    number = _opinion_number(plan.organization, on)
    seq = reserve_seq()
    content = review.render_opinion(
        review.OpinionData(
            organization=plan.organization.name,
            number=number,
            department=department.name,
            plan_title=plan.title,
            issued_on=on,
            findings=findings,
            requirements=requirements,
            files=[
                review.ReviewedFile(r.case.number, r.case.title, r.total, r.findings) for r in rows
            ],
            rectify_wdays=_wdays_param(RECTIFY_WDAYS, on),
            recheck_wdays=_wdays_param(RECHECK_WDAYS, on),
            receipt_seq=seq,
            receipt_url=receipt_url(seq),
        )
    )
    attachment = store_attachment(
        stream=BytesIO(content),
        original_name=f"{number}-{review.OPINION_TITLE}.docx",
        content_type=review.DOCX,
    )
    recorded = _record(
        plan,
        "review.opinion_issued",
        actor,
        {
            "plan": plan.pk,
            "department": department.code,
            "number": number,
            "on": on.isoformat(),
            "findings": findings,
            "requirements": requirements,
            "cases": [r.case.number for r in rows],
            "document": attachment.digest,
        },
        attachments=[attachment.digest],
    )
    if recorded != seq:  # cannot happen while the head is locked; never print a wrong receipt
        raise ConflictError("日志序号冲突，请重试")
    return SupervisionOpinion.objects.create(
        plan=plan,
        department=department,
        number=number,
        findings=findings,
        requirements=requirements,
        issued_on=on,
        attachment=attachment,
        ledger_seq=seq,
    )


def _opinion_scope(actor: User, opinion: SupervisionOpinion, perm: str) -> None:
    require(actor, perm)
    org = opinion.department if perm == ANSWER else opinion.plan.organization
    _in_scope(actor, org)


@transaction.atomic
def receive_opinion(
    *, actor: User, opinion: SupervisionOpinion, on: dt.date, side: str | None = None
) -> SupervisionOpinion:
    """The department received the opinion (entered by it, ``side`` cases.answer_review, or by
    the body that served it, cases.review; by default the side the actor's roles give): the 30
    working days of 第二十九条第二款 and the 15 of 第三十条 run from this date."""
    opinion = _lock_opinion(opinion)
    perm = side or (ANSWER if has_perm(actor, ANSWER) else REVIEW)
    if perm not in (ANSWER, REVIEW):
        raise ValueError(side)
    _opinion_scope(actor, opinion, perm)
    if opinion.status != OpinionStatus.ISSUED:
        raise ConflictError("已登记过收到日期")
    if on < opinion.issued_on:
        raise ReviewError("收到日期不能早于制发日期", "on")
    opinion.received_on = on
    opinion.due_on = add_wdays(on, RECTIFY_WDAYS)
    opinion.recheck_until = add_wdays(on, RECHECK_WDAYS)
    opinion.status = OpinionStatus.RECEIVED
    _record(
        opinion.plan,
        "review.opinion_received",
        actor,
        {
            "opinion": opinion.number,
            "on": on.isoformat(),
            "due_on": opinion.due_on.isoformat(),
            "recheck_until": opinion.recheck_until.isoformat(),
        },
    )
    opinion.save()
    return opinion


@transaction.atomic
def answer_opinion(
    *,
    actor: User,
    opinion: SupervisionOpinion,
    report: str,
    on: dt.date,
    file: UploadedFile | None = None,
) -> SupervisionOpinion:
    """The department's written report on its rectification closes the opinion; a report
    after the due date is accepted and marked late."""
    opinion = _lock_opinion(opinion)
    _opinion_scope(actor, opinion, ANSWER)
    if opinion.status == OpinionStatus.ISSUED:
        raise ReviewError("请先登记收到意见书的日期")
    if opinion.status == OpinionStatus.RECHECK:
        raise ReviewError("复查申请尚未答复，答复后再报送整改报告")
    if opinion.status == OpinionStatus.ANSWERED:
        raise ConflictError("整改报告已经报送")
    report = report.strip()
    if not report:
        raise ReviewError("请填写整改情况书面报告", "report")
    assert opinion.received_on is not None and opinion.due_on is not None
    if on < opinion.received_on:
        raise ReviewError("报送日期不能早于收到日期", "on")
    digests: list[str] = []
    if file is not None:
        stored = store_attachment(
            stream=file.stream, original_name=file.name, content_type=file.content_type
        )
        opinion.report_attachment = stored
        digests.append(stored.digest)
    opinion.report, opinion.answered_on, opinion.answered_by = report, on, actor
    opinion.on_time = on <= opinion.due_on
    opinion.status = OpinionStatus.ANSWERED
    _record(
        opinion.plan,
        "review.opinion_answered",
        actor,
        {
            "opinion": opinion.number,
            "on": on.isoformat(),
            "on_time": opinion.on_time,
            "report": report,
            "attachments": digests,
        },
        attachments=digests,
    )
    opinion.save()
    return opinion


@transaction.atomic
def request_recheck(
    *, actor: User, opinion: SupervisionOpinion, reason: str, on: dt.date
) -> SupervisionOpinion:
    """An objection: re-examination asked within 15 working days of receipt (第三十条)."""
    opinion = _lock_opinion(opinion)
    _opinion_scope(actor, opinion, ANSWER)
    if opinion.status != OpinionStatus.RECEIVED or opinion.recheck_requested_on is not None:
        raise ConflictError("只能在收到意见书后、报送整改报告前申请一次复查")
    reason = reason.strip()
    if not reason:
        raise ReviewError("请写明申请复查的理由", "reason")
    assert opinion.received_on is not None and opinion.recheck_until is not None
    if on < opinion.received_on:
        raise ReviewError("申请日期不能早于收到日期", "on")
    if on > opinion.recheck_until:
        raise ReviewError(
            f"已超过申请复查期限（{opinion.recheck_until:%Y年%m月%d日}，"
            "《吉林省行政执法监督条例》第三十条）",
            "on",
        )
    opinion.recheck_requested_on, opinion.recheck_reason = on, reason
    opinion.recheck_due_on = add_wdays(on, RECHECK_WDAYS)
    opinion.status = OpinionStatus.RECHECK
    _record(
        opinion.plan,
        "review.recheck_requested",
        actor,
        {
            "opinion": opinion.number,
            "on": on.isoformat(),
            "reason": reason,
            "due_on": opinion.recheck_due_on.isoformat(),
        },
    )
    opinion.save()
    return opinion


@transaction.atomic
def answer_recheck(
    *, actor: User, opinion: SupervisionOpinion, upheld: bool, answer: str, on: dt.date
) -> SupervisionOpinion:
    """The supervising body's answer to the re-examination; the rectification stays due
    (changed as the answer says when the opinion is not upheld)."""
    opinion = _lock_opinion(opinion)
    _opinion_scope(actor, opinion, REVIEW)
    if opinion.status != OpinionStatus.RECHECK:
        raise ConflictError("该意见书没有待答复的复查申请")
    answer = answer.strip()
    if not answer:
        raise ReviewError("请填写复查答复", "answer")
    assert opinion.recheck_requested_on is not None
    if on < opinion.recheck_requested_on:
        raise ReviewError("答复日期不能早于申请日期", "on")
    opinion.recheck_answered_on, opinion.recheck_answer = on, answer
    opinion.recheck_upheld = upheld
    opinion.status = OpinionStatus.RECEIVED
    _record(
        opinion.plan,
        "review.recheck_answered",
        actor,
        {"opinion": opinion.number, "on": on.isoformat(), "upheld": upheld, "answer": answer},
    )
    opinion.save()
    return opinion
