"""/case-reviews: 案卷评查 — review plans and their verifiable draws, scoring drawn case files,
and the 《行政执法监督意见书》 with the department's answer (issue 5 §5).

Same rules as the pages: reads through ``fazhi.cases.review_selectors`` (outside the caller's
scope is a 404), every write one service of ``fazhi.cases.review_services``. The permission is
checked before anything is looked up, so a wrong role is a 403, never a 404. A refusal that
names a field is a 422 (``details.fields``), other refusals 400, conflicts 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.params import functions as param
from pydantic import Field, StringConstraints

from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT, OrgRef, Page, PageQuery, org_ref, paginate
from fazhi.api.v1.security import caller
from fazhi.cases import review, review_selectors, review_services
from fazhi.cases.models import (
    CaseReview,
    OpinionStatus,
    ReviewPlan,
    SupervisionOpinion,
)
from fazhi.cases.review_services import ReviewError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.draws.models import Draw
from fazhi.ledger.services import attachment_path

router = Router(tags=["案卷评查"])

REVIEW = "cases.review"
ANSWER = "cases.answer_review"
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2099, 12, 31)
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]
OrgCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]
PlanId = param.Path(..., ge=1, le=MAX_DB_INT, description="评查计划 id")
CaseId = param.Path(..., ge=1, le=MAX_DB_INT, description="案件 id")
OpinionId = param.Path(..., ge=1, le=MAX_DB_INT, description="监督意见书 id")


def _text(max_length: int, description: str) -> Any:
    return Field(min_length=1, max_length=max_length, description=description)


@contextmanager
def _fields() -> Iterator[None]:
    """A service refusal that names a field becomes a 422 on that field."""
    try:
        yield
    except ReviewError as exc:
        if exc.field:
            raise ApiError(
                422, "validation_error", exc.message, {"fields": {exc.field: [exc.message]}}
            ) from None
        raise


def _org(user: User, code: str, field: str) -> Organization:
    org = visible_organizations(user).filter(code=code).first()
    if org is None:
        message = f"单位代码“{code}”不存在或不在您的数据范围内"
        raise ApiError(422, "validation_error", message, {"fields": {field: [message]}})
    return org


def _today() -> dt.date:
    return timezone.localdate()


# --- schemas ----------------------------------------------------------------------------------


class PlanIn(Schema):
    organization: OrgCode | None = Field(None, description="评查机关代码（默认本人所属单位）")
    year: int = Field(ge=2000, le=2100, description="年度")
    title: str = _text(200, "评查名称")
    departments: list[OrgCode] = Field(min_length=1, max_length=200, description="被评查部门代码")
    closed_from: Day = Field(description="结案日期起")
    closed_to: Day = Field(description="结案日期止")
    sample_size: int | None = Field(None, ge=1, le=1000, description="每部门抽取案卷数")
    sample_percent: int | None = Field(None, ge=1, le=100, description="或：每部门抽取比例（%）")


class CommitIn(Schema):
    randomness_source: str = _text(500, "承诺时尚未产生的公开随机数来源")
    randomness_due: Day = Field(description="随机数产生日期")
    redraw_reason: str = Field("", max_length=500, description="重新抽取理由（重新抽取时必填）")


class RevealIn(Schema):
    value: str = _text(500, "公开的随机数")
    evidence: str = _text(500, "随机数公开出处（网址或公告）")


class CriterionScoreIn(Schema):
    score: int = Field(ge=0, le=1000, description="得分（0 至该细则分值）")
    note: str = Field("", max_length=500, description="扣分理由（扣分时必填）")


class ScoreIn(Schema):
    scores: dict[str, CriterionScoreIn] = Field(description="评分细则代码 → 得分与扣分理由")
    findings: str = Field("", max_length=5000, description="评查意见（发现的问题）")
    on: Day | None = Field(None, description="评分日期（默认今日）")


class OpinionIn(Schema):
    department: OrgCode = Field(description="被监督部门代码")
    findings: str = _text(5000, "发现的问题")
    requirements: str = _text(5000, "处理意见和整改要求")
    on: Day | None = Field(None, description="制发日期（默认今日）")


class DateIn(Schema):
    on: Day | None = Field(None, description="日期（默认今日）")


class AnswerIn(DateIn):
    report: str = _text(10000, "整改情况书面报告")


class RecheckIn(DateIn):
    reason: str = _text(5000, "申请复查的理由")


class RecheckAnswerIn(DateIn):
    upheld: bool = Field(description="true 维持原意见，false 变更原意见")
    answer: str = _text(5000, "复查答复")


class CriterionOut(Schema):
    code: str
    section: str
    points: int
    description: str


class DrawOut(Schema):
    id: int
    status: str
    commitment_digest: str
    randomness_source: str
    randomness_due: dt.date
    randomness: str
    randomness_evidence: str
    candidate_count: int
    selected_count: int
    strata: dict[str, int]
    selected: list[str]
    failure: str
    redraw_reason: str
    supersedes: int | None


class ReviewOut(Schema):
    case_id: int
    case_number: str
    case_title: str
    department: OrgRef
    rank: int
    total: Decimal | None
    scores: dict[str, Any]
    findings: str
    scored_on: dt.date | None
    reviewers: list[str]


class DepartmentScoreOut(Schema):
    code: str
    name: str
    files: int
    scored: int
    average: Decimal | None


class PlanRowOut(Schema):
    id: int
    year: int
    title: str
    organization: OrgRef
    departments: list[OrgRef]
    closed_from: dt.date
    closed_to: dt.date
    sample_size: int | None
    sample_percent: int | None
    status: str
    status_label: str


class PlanOut(PlanRowOut):
    sheet: list[CriterionOut]
    max_total: int
    draws: list[DrawOut]
    reviews: list[ReviewOut]
    department_scores: list[DepartmentScoreOut]


class OpinionOut(Schema):
    id: int
    number: str
    plan_id: int
    organization: OrgRef
    department: OrgRef
    findings: str
    requirements: str
    issued_on: dt.date
    status: str
    status_label: str
    received_on: dt.date | None
    due_on: dt.date | None
    overdue: bool
    recheck_until: dt.date | None
    recheck_requested_on: dt.date | None
    recheck_due_on: dt.date | None
    recheck_answered_on: dt.date | None
    recheck_upheld: bool | None
    recheck_answer: str
    report: str
    answered_on: dt.date | None
    on_time: bool | None
    ledger_seq: int


class OpinionQuery(PageQuery):
    search: str = Field("", max_length=100, description="文号或部门名称")
    status: OpinionStatus | None = Field(None, description="状态")
    overdue: bool = Field(False, description="只列逾期未报送整改报告的")


class PlanQuery(PageQuery):
    search: str = Field("", max_length=100, description="评查名称")
    year: int | None = Field(None, ge=2000, le=2100, description="年度")


# --- serializers ------------------------------------------------------------------------------


def _draw(d: Draw) -> dict[str, Any]:
    return {
        "id": d.pk,
        "status": d.status,
        "commitment_digest": d.commitment_digest,
        "randomness_source": d.randomness_source,
        "randomness_due": d.randomness_due,
        "randomness": d.randomness,
        "randomness_evidence": d.randomness_evidence,
        "candidate_count": d.candidate_count,
        "selected_count": d.selected_count,
        "strata": d.commitment.get("strata", {}),
        "selected": [s["id"] for s in (d.result or {}).get("selected", [])],
        "failure": d.failure,
        "redraw_reason": d.redraw_reason,
        "supersedes": d.supersedes_id,
    }


def _review(r: CaseReview) -> dict[str, Any]:
    return {
        "case_id": r.case_id,
        "case_number": r.case.number,
        "case_title": r.case.title,
        "department": org_ref(r.case.organization),
        "rank": r.rank,
        "total": r.total,
        "scores": r.scores,
        "findings": r.findings,
        "scored_on": r.scored_on,
        "reviewers": [u.full_name or u.username for u in r.reviewers.all()],
    }


def _plan_row(p: ReviewPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "year": p.year,
        "title": p.title,
        "organization": org_ref(p.organization),
        "departments": [org_ref(d) for d in p.departments.all()],
        "closed_from": p.closed_from,
        "closed_to": p.closed_to,
        "sample_size": p.sample_size,
        "sample_percent": p.sample_percent,
        "status": p.status,
        "status_label": p.get_status_display(),
    }


def _plan(p: ReviewPlan) -> dict[str, Any]:
    return {
        **_plan_row(p),
        "sheet": [c.__dict__ for c in review.criteria(p.sheet)],
        "max_total": review.max_total(p.sheet),
        "draws": [_draw(d) for d in review_selectors.draw_history(p)],
        "reviews": [_review(r) for r in review_selectors.current_reviews(p)],
        "department_scores": [s.__dict__ for s in review_selectors.department_scores(p)],
    }


def _opinion(o: SupervisionOpinion) -> dict[str, Any]:
    today = _today()
    return {
        "id": o.pk,
        "number": o.number,
        "plan_id": o.plan_id,
        "organization": org_ref(o.plan.organization),
        "department": org_ref(o.department),
        "findings": o.findings,
        "requirements": o.requirements,
        "issued_on": o.issued_on,
        "status": o.status,
        "status_label": o.get_status_display(),
        "received_on": o.received_on,
        "due_on": o.due_on,
        "overdue": o.status in review_selectors.OPEN and o.due_on is not None and o.due_on < today,
        "recheck_until": o.recheck_until,
        "recheck_requested_on": o.recheck_requested_on,
        "recheck_due_on": o.recheck_due_on,
        "recheck_answered_on": o.recheck_answered_on,
        "recheck_upheld": o.recheck_upheld,
        "recheck_answer": o.recheck_answer,
        "report": o.report,
        "answered_on": o.answered_on,
        "on_time": o.on_time,
        "ledger_seq": o.ledger_seq,
    }


def _plan_of(request: HttpRequest, plan_id: int) -> tuple[User, ReviewPlan]:
    user = caller(request)
    require(user, REVIEW)
    return user, review_selectors.plan_for(user, plan_id)


# --- plans ------------------------------------------------------------------------------------


@router.get(
    "/plans",
    response={200: Page[PlanRowOut], **responses(401, 403, 422)},
    summary="评查计划列表",
    description="数据范围内的评查计划，按年度由近及远排列。",
)
def list_plans(request: HttpRequest, q: Query[PlanQuery]) -> dict[str, Any]:
    plans = review_selectors.plans_for(caller(request), search=q.search, year=q.year)
    return paginate(plans, q, _plan_row)


@router.post(
    "/plans",
    response={201: PlanOut, **responses(400, 401, 403, 422)},
    summary="新建评查计划",
    description=(
        "评查机关、年度、被评查部门、结案日期范围和每部门抽取数（或比例，二者选一）。"
        "评分表采用当前配置的默认评分表，随计划保存（《吉林省行政执法监督条例》第二十条）。"
    ),
)
def create_plan(request: HttpRequest, payload: PlanIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, REVIEW)
    if payload.organization is None:
        if user.organization is None:
            raise ApiError(422, "validation_error", "请指定评查机关")
        organization = user.organization
    else:
        organization = _org(user, payload.organization, "organization")
    departments = [_org(user, code, "departments") for code in payload.departments]
    with _fields():
        plan = review_services.create_plan(
            actor=user,
            organization=organization,
            year=payload.year,
            title=payload.title,
            departments=departments,
            closed_from=payload.closed_from,
            closed_to=payload.closed_to,
            sample_size=payload.sample_size,
            sample_percent=payload.sample_percent,
        )
    return 201, _plan(review_selectors.plan_for(user, plan.pk))


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, **responses(401, 403, 404, 422)},
    summary="评查计划详情",
    description="计划、评分表、抽取承诺与结果（含被替代的抽取）、抽中的案卷及评分、各部门平均得分。",
)
def get_plan(request: HttpRequest, plan_id: int = PlanId) -> dict[str, Any]:
    _, plan = _plan_of(request, plan_id)
    return _plan(plan)


@router.post(
    "/plans/{plan_id}/commit",
    response={200: PlanOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="作出抽取承诺",
    description=(
        "冻结候选案卷（所选部门在范围内已结案或归档的案卷）和各部门抽取数，公布承诺摘要。"
        "已承诺的计划重新抽取须写明理由，原抽取仍然保留；已有案卷评分的不能重新抽取。"
    ),
)
def commit_plan(request: HttpRequest, payload: CommitIn, plan_id: int = PlanId) -> dict[str, Any]:
    user, plan = _plan_of(request, plan_id)
    with _fields():
        review_services.commit_plan(actor=user, plan=plan, **payload.dict())
    return _plan(review_selectors.plan_for(user, plan_id))


@router.post(
    "/plans/{plan_id}/reveal",
    response={200: PlanOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="录入公开随机数并抽取",
    description="随机数产生日期到来后录入；每次承诺只能抽取一次（再次抽取返回 409）。",
)
def reveal_plan(request: HttpRequest, payload: RevealIn, plan_id: int = PlanId) -> dict[str, Any]:
    user, plan = _plan_of(request, plan_id)
    with _fields():
        review_services.reveal_plan(actor=user, plan=plan, **payload.dict())
    return _plan(review_selectors.plan_for(user, plan_id))


@router.post(
    "/plans/{plan_id}/files/{case_id}/score",
    response={200: ReviewOut, **responses(400, 401, 403, 404, 422)},
    summary="案卷评分",
    description=(
        "按计划的评分表逐项评分（0 至分值的整数，扣分须写明理由）。未被抽中的案卷、"
        "评查人为该案办案人员或与办案机关同一部门（回避）的，予以拒绝。"
    ),
)
def score_file(
    request: HttpRequest, payload: ScoreIn, plan_id: int = PlanId, case_id: int = CaseId
) -> dict[str, Any]:
    user, plan = _plan_of(request, plan_id)
    drawn = review_selectors.review_for(user, plan_id, case_id)  # not drawn: 404
    with _fields():
        row = review_services.score(
            actor=user,
            plan=plan,
            case=drawn.case,
            scores={k: v.score for k, v in payload.scores.items()},
            notes={k: v.note for k, v in payload.scores.items()},
            findings=payload.findings,
            on=payload.on or _today(),
        )
    return _review(review_selectors.review_for(user, plan_id, row.case_id))


@router.post(
    "/plans/{plan_id}/opinions",
    response={201: OpinionOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="制发行政执法监督意见书",
    description=(
        "向被评查部门制发《行政执法监督意见书》（.docx，GB/T 9704 版式，含全过程记录回执），"
        "该部门抽中的案卷须全部评分；每个计划对每个部门制发一份。"
    ),
)
def issue_opinion(
    request: HttpRequest, payload: OpinionIn, plan_id: int = PlanId
) -> tuple[int, dict[str, Any]]:
    user, plan = _plan_of(request, plan_id)
    department = _org(user, payload.department, "department")
    with _fields():
        opinion = review_services.issue_opinion(
            actor=user,
            plan=plan,
            department=department,
            findings=payload.findings,
            requirements=payload.requirements,
            on=payload.on or _today(),
        )
    return 201, _opinion(review_selectors.opinion_for(user, opinion.pk, REVIEW))


# --- opinions ---------------------------------------------------------------------------------
#
# Two sides, each under one permission: ``/opinions`` for the supervising body that issued
# them (cases.review), ``/department-opinions`` for the departments that answer them
# (cases.answer_review). Both return the same shape.


def _side_user(request: HttpRequest, side: str) -> User:
    user = caller(request)
    require(user, side)
    return user


def _list(request: HttpRequest, q: OpinionQuery, side: str) -> dict[str, Any]:
    user = _side_user(request, side)
    qs = review_selectors.opinions_for(
        user,
        side=side,
        search=q.search,
        status=q.status.value if q.status else "",
        overdue_on=_today() if q.overdue else None,
    )
    return paginate(qs, q, _opinion)


def _get(request: HttpRequest, opinion_id: int, side: str) -> tuple[User, SupervisionOpinion]:
    user = _side_user(request, side)
    return user, review_selectors.opinion_for(user, opinion_id, side)


def _document(request: HttpRequest, opinion_id: int, side: str) -> FileResponse:
    _, opinion = _get(request, opinion_id, side)
    path = attachment_path(opinion.attachment_id)
    if not path.exists():
        raise ApiError(404, "not_found", "文件不存在（存储中缺失），请联系系统管理员")
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{opinion.number}-{review.OPINION_TITLE}.docx",
        content_type=review.DOCX,
    )
    response["ETag"] = f'"{opinion.attachment_id}"'
    return response


def _receive(request: HttpRequest, payload: DateIn, opinion_id: int, side: str) -> dict[str, Any]:
    user, opinion = _get(request, opinion_id, side)
    with _fields():
        opinion = review_services.receive_opinion(
            actor=user, opinion=opinion, on=payload.on or _today(), side=side
        )
    return _opinion(opinion)


_DOCX_RESPONSE = {
    "responses": {
        200: {
            "description": "行政执法监督意见书（Word 文件）",
            "content": {review.DOCX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
_OVERDUE = (
    "overdue=true 只列收到后30个工作日仍未报送整改报告的（《吉林省行政执法监督条例》"
    "第二十九条第二款）。"
)
_RECEIVE = "整改报告期限（30个工作日）和申请复查期限（15个工作日）自收到之日起计算。"


@router.get(
    "/opinions",
    response={200: Page[OpinionOut], **responses(401, 403, 422)},
    summary="监督意见书列表（评查机关）",
    description="数据范围内的评查机关制发的监督意见书。" + _OVERDUE,
)
def list_opinions(request: HttpRequest, q: Query[OpinionQuery]) -> dict[str, Any]:
    return _list(request, q, REVIEW)


@router.get(
    "/opinions/{opinion_id}",
    response={200: OpinionOut, **responses(401, 403, 404, 422)},
    summary="监督意见书详情（评查机关）",
)
def get_opinion(request: HttpRequest, opinion_id: int = OpinionId) -> dict[str, Any]:
    return _opinion(_get(request, opinion_id, REVIEW)[1])


@router.get(
    "/opinions/{opinion_id}/document",
    response=responses(401, 403, 404, 422),
    summary="下载监督意见书（评查机关，.docx）",
    openapi_extra=_DOCX_RESPONSE,
)
def download_opinion(request: HttpRequest, opinion_id: int = OpinionId) -> FileResponse:
    return _document(request, opinion_id, REVIEW)


@router.post(
    "/opinions/{opinion_id}/receive",
    response={200: OpinionOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="登记送达（评查机关）",
    description="评查机关登记被监督部门收到意见书的日期。" + _RECEIVE,
)
def receive_opinion(
    request: HttpRequest, payload: DateIn, opinion_id: int = OpinionId
) -> dict[str, Any]:
    return _receive(request, payload, opinion_id, REVIEW)


@router.post(
    "/opinions/{opinion_id}/recheck-answer",
    response={200: OpinionOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="答复复查申请",
    description="评查机关自收到申请之日起15个工作日内复查并答复（第三十条）。",
)
def answer_recheck(
    request: HttpRequest, payload: RecheckAnswerIn, opinion_id: int = OpinionId
) -> dict[str, Any]:
    user, opinion = _get(request, opinion_id, REVIEW)
    with _fields():
        opinion = review_services.answer_recheck(
            actor=user,
            opinion=opinion,
            upheld=payload.upheld,
            answer=payload.answer,
            on=payload.on or _today(),
        )
    return _opinion(opinion)


@router.get(
    "/department-opinions",
    response={200: Page[OpinionOut], **responses(401, 403, 422)},
    summary="待整改的监督意见书列表（被监督部门）",
    description="发给数据范围内部门的监督意见书。" + _OVERDUE,
)
def list_department_opinions(request: HttpRequest, q: Query[OpinionQuery]) -> dict[str, Any]:
    return _list(request, q, ANSWER)


@router.get(
    "/department-opinions/{opinion_id}",
    response={200: OpinionOut, **responses(401, 403, 404, 422)},
    summary="监督意见书详情（被监督部门）",
)
def get_department_opinion(request: HttpRequest, opinion_id: int = OpinionId) -> dict[str, Any]:
    return _opinion(_get(request, opinion_id, ANSWER)[1])


@router.get(
    "/department-opinions/{opinion_id}/document",
    response=responses(401, 403, 404, 422),
    summary="下载监督意见书（被监督部门，.docx）",
    openapi_extra=_DOCX_RESPONSE,
)
def download_department_opinion(request: HttpRequest, opinion_id: int = OpinionId) -> FileResponse:
    return _document(request, opinion_id, ANSWER)


@router.post(
    "/department-opinions/{opinion_id}/receive",
    response={200: OpinionOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="登记收到日期（被监督部门）",
    description=_RECEIVE,
)
def receive_department_opinion(
    request: HttpRequest, payload: DateIn, opinion_id: int = OpinionId
) -> dict[str, Any]:
    return _receive(request, payload, opinion_id, ANSWER)


@router.post(
    "/department-opinions/{opinion_id}/answer",
    response={200: OpinionOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="报送整改情况书面报告",
    description="被监督部门负责人报送；逾期报送的予以接收并标记为逾期（附件请在页面上传）。",
)
def answer_opinion(
    request: HttpRequest, payload: AnswerIn, opinion_id: int = OpinionId
) -> dict[str, Any]:
    user, opinion = _get(request, opinion_id, ANSWER)
    with _fields():
        opinion = review_services.answer_opinion(
            actor=user, opinion=opinion, report=payload.report, on=payload.on or _today()
        )
    return _opinion(opinion)


@router.post(
    "/department-opinions/{opinion_id}/recheck",
    response={200: OpinionOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="申请复查",
    description="收到之日起15个工作日内申请（《吉林省行政执法监督条例》第三十条）。",
)
def request_recheck(
    request: HttpRequest, payload: RecheckIn, opinion_id: int = OpinionId
) -> dict[str, Any]:
    user, opinion = _get(request, opinion_id, ANSWER)
    with _fields():
        opinion = review_services.request_recheck(
            actor=user, opinion=opinion, reason=payload.reason, on=payload.on or _today()
        )
    return _opinion(opinion)
