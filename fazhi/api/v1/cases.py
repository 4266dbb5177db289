"""/cases: penalty cases (行政处罚案件) — the list, intake, the case file, every step of the
procedure, evidence and documents (issue 4 §9).

Same rules as the pages. Reads go through `fazhi.cases.selectors` (a case outside the caller's
data scope is a 404, so its existence does not leak); every write is one service of
`fazhi.cases.services`, i.e. one transition of the workflow table with its one ledger entry.
The permission of the step is checked before the case is looked up, so a wrong role is a 403,
never a 404.

A refusal of the services that names a field of the request (an invalid 居民身份证号码, fewer
than two officers, a date before the 立案 …) is a 422 in the same shape as a schema error
(`details.fields`); other refusals (the case is at the wrong stage, 第五十八条 not satisfied …)
are 400, conflicts 409.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Annotated, Any, Literal, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.params import functions as param
from pydantic import Field, StringConstraints

from fazhi.api.v1.catalog import CERTIFICATE_PATTERN, ITEM_CODE_PATTERN, ORG_CODE_PATTERN
from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT, OrgRef, Page, SearchQuery, org_ref, paginate
from fazhi.api.v1.security import caller
from fazhi.cases import services
from fazhi.cases.deadlines import CaseDeadline, case_deadlines
from fazhi.cases.models import (
    CaseDocument,
    CaseOfficer,
    CaseSource,
    CaseStep,
    Disclosure,
    DisclosureAction,
    Evidence,
    EvidenceKind,
    Hearing,
    LegalReview,
    Medium,
    Outcome,
    PenaltyCase,
    Procedure,
    RemedyKind,
    ServiceMethod,
    TransferTarget,
)
from fazhi.cases.selectors import cases_for
from fazhi.cases.services import REVIEW_CHECKLIST, PartyInput
from fazhi.cases.workflow import DECIDED_STATES, TRANSITIONS, Status, available
from fazhi.catalog import selectors as catalog_selectors
from fazhi.catalog.models import EnforcementItem, Officer
from fazhi.core.calendar import database_calendar
from fazhi.core.choices import OrgKind
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import has_perm, require
from fazhi.core.selectors import visible_organizations
from fazhi.inspections import selectors as inspection_selectors
from fazhi.inspections.models import InspectionRecord
from fazhi.ledger.models import Attachment
from fazhi.ledger.services import attachment_path
from fazhi.rules.enforcement import PartyKind, PenaltyType
from fazhi.rules.parameters import ParameterError

router = Router(tags=["行政处罚案件"])

PUBLISH = "cases.publish"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CaseId = param.Path(..., ge=1, le=MAX_DB_INT, description="案件 id")
RowId = param.Path(..., ge=1, le=MAX_DB_INT, description="编号")

# The services count deadlines from these dates with the dated parameters; a date far outside
# the platform's years is a typing error, refused before it reaches the calendar arithmetic.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2099, 12, 31)
Day = Annotated[dt.date, Field(ge=EARLIEST, le=LATEST)]
CertificateNumber = Annotated[
    str, StringConstraints(min_length=1, max_length=32, pattern=CERTIFICATE_PATTERN)
]
IdempotencyKey = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")
]

Money = Field(
    None,
    ge=0,
    lt=Decimal("1e12"),
    max_digits=14,
    decimal_places=2,
    description="金额（元），最多两位小数",
)


def _on() -> Any:
    return Field(None, ge=EARLIEST, le=LATEST, description="办理日期（默认今日）")


def _text(max_length: int, description: str) -> Any:
    return Field(min_length=1, max_length=max_length, description=description)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _choice_label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return ""


# --- input schemas --------------------------------------------------------------------------


class CasePartyIn(Schema):
    """当事人。号码按国家标准校验（GB 11643 居民身份证号码、GB 32100 统一社会信用代码）。"""

    kind: PartyKind = Field(description="individual 公民；organization 法人或者其他组织")
    name: str = _text(200, "姓名或名称")
    id_number: str = Field(
        min_length=1,
        max_length=30,
        description="居民身份证号码（公民）或统一社会信用代码（法人或者其他组织）",
    )
    legal_representative: str = Field("", max_length=50, description="法定代表人（负责人）")
    phone: str = Field("", max_length=20, description="联系电话")
    address: str = Field("", max_length=200, description="住所（地址）")

    def to_input(self) -> PartyInput:
        return PartyInput(
            kind=self.kind.value,
            name=self.name,
            id_number=self.id_number,
            legal_representative=self.legal_representative,
            phone=self.phone,
            address=self.address,
        )


class CaseIn(Schema):
    """登记案源（行政处罚法 第五十四条）。"""

    organization: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=ORG_CODE_PATTERN,
        description="办案机关单位代码（默认本人所在单位）",
    )
    item_code: str = Field(
        min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN, description="执法事项编码"
    )
    title: str = _text(200, "案由")
    source: CaseSource = Field(description="案源")
    source_detail: str = Field("", max_length=500, description="案源说明")
    act_date: Day = Field(description="违法行为发生日期")
    discovered_date: Day = Field(description="发现日期")
    on: Day | None = _on()
    parties: list[CasePartyIn] = Field(default_factory=list, max_length=50, description="当事人")
    officers: list[CertificateNumber] = Field(
        default_factory=list,
        max_length=20,
        description="办案执法人员的执法证号，第一位为主办（行政处罚法 第四十二条：不少于两人）",
    )
    facts_text: str = Field("", max_length=20000, description="违法事实")
    idempotency_key: IdempotencyKey | None = Field(
        None, description="幂等键（也可用请求头 Idempotency-Key）：重复提交返回首次登记的案件"
    )
    inspection_record: int | None = Field(
        None,
        ge=1,
        le=MAX_DB_INT,
        description=(
            "据以登记的双随机检查记录 id（检查结果须为“移送立案”，案源须为 random_inspection，"
            "每条记录只能登记一个案件）"
        ),
    )


class OnSpotIn(Schema):
    """当场作出行政处罚决定（简易程序，行政处罚法 第五十一条、第五十二条）。"""

    organization: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=ORG_CODE_PATTERN,
        description="办案机关单位代码（默认本人所在单位）",
    )
    item_code: str = Field(
        min_length=1, max_length=64, pattern=ITEM_CODE_PATTERN, description="执法事项编码"
    )
    title: str = _text(200, "案由")
    act_date: Day = Field(description="违法行为发生日期")
    on: Day | None = _on()
    party: CasePartyIn
    officers: list[CertificateNumber] = Field(
        max_length=20, description="执法人员的执法证号（不少于两人）"
    )
    penalty_types: list[PenaltyType] = Field(
        min_length=1, max_length=14, description="处罚种类（警告、罚款）"
    )
    fine: Decimal | None = Money
    facts: dict[str, Any] | None = Field(
        None, description="裁量情节（同 POST /rules/evaluate 的 FACTS.json 事实字段）"
    )
    facts_text: str = Field("", max_length=20000, description="违法事实")
    idempotency_key: IdempotencyKey | None = Field(
        None, description="幂等键（也可用请求头 Idempotency-Key）"
    )


class StepIn(Schema):
    on: Day | None = _on()


class ReasonIn(StepIn):
    reason: str = _text(5000, "理由")


class DeclineIn(ReasonIn):
    """不予立案，须说明理由。"""


class RegisterIn(StepIn):
    """立案：须已登记当事人和两名以上持有效执法证件的执法人员。"""


class HoldEvidenceIn(StepIn):
    """先行登记保存证据：负责人批准，七个工作日内作出处理决定。"""

    description: str = _text(5000, "登记保存的物品")


class HandleHeldEvidenceIn(StepIn):
    """对先行登记保存的证据作出处理决定。"""

    hold_id: int = Field(
        ge=1, le=MAX_DB_INT, description="先行登记保存记录的编号（见案件详情 holds）"
    )
    handling: str = _text(300, "处理决定")


class UpdateCaseIn(StepIn):
    """更正当事人、办案人员或违法事实；只更正给出的字段。"""

    parties: list[CasePartyIn] | None = Field(None, max_length=50, description="全部当事人")
    officers: list[CertificateNumber] | None = Field(
        None, max_length=20, description="全部办案执法人员的执法证号"
    )
    facts_text: str | None = Field(None, max_length=20000, description="违法事实")


class AssessIn(StepIn):
    """裁量计算：按案件情节、清单和裁量基准得出处理及推理记录。"""

    facts: dict[str, Any] = Field(
        description=(
            "裁量情节（同 POST /rules/evaluate 的 FACTS.json 事实字段，如 severity、harm、"
            "corrected_in_time、circumstances）；违法行为日期、当事人类型取自案件"
        )
    )


class RecuseIn(ReasonIn):
    """回避：负责人决定。"""

    officer: CertificateNumber = Field(description="回避的执法人员的执法证号")


class ReportIn(StepIn):
    """调查终结，提交案件审查。"""

    report: str = _text(20000, "调查终结报告")


class ReturnForInvestigationIn(ReasonIn):
    """退回补充调查。"""


class NotifyIn(StepIn):
    """告知拟作出的行政处罚决定及陈述、申辩（和听证）权利。"""

    penalty_types: list[PenaltyType] = Field(min_length=1, max_length=14, description="拟处罚种类")
    fine: Decimal | None = Money


class ProposeNoPenaltyIn(ReasonIn):
    """拟不予行政处罚。"""

    outcome: Literal["no_penalty", "not_established"] = Field(
        description="no_penalty 不予行政处罚；not_established 违法事实不能成立"
    )


class StatementIn(StepIn):
    """记录当事人的陈述、申辩，或当事人明确放弃。"""

    statement: str = Field("", max_length=20000, description="陈述申辩意见")
    waived: bool = Field(False, description="当事人明确放弃陈述申辩")


class RequestHearingIn(StepIn):
    """当事人要求听证（告知后五个工作日内）。"""


class ScheduleHearingIn(StepIn):
    """通知听证：举行听证的七日前通知，主持人不得是本案调查人员。"""

    hearing_on: Day = Field(description="举行听证日期")
    location: str = _text(200, "地点")
    host: str = Field(min_length=1, max_length=150, description="主持人的用户名")
    public: bool = Field(True, description="公开举行")


class ConcludeHearingIn(StepIn):
    """听证结束，或当事人无正当理由缺席（视为放弃）。"""

    record_text: str = _text(20000, "听证笔录摘要或当事人缺席的情况")
    held: bool = Field(True, description="false：当事人缺席，听证未举行")


class ConcludeStatementIn(StepIn):
    """陈述申辩期结束（已陈述申辩、明确放弃或期满）。"""


class SubmitLegalReviewIn(StepIn):
    """提交法制审核。"""


_CHECKLIST_TEXT = "；".join(f"{key} {label}" for key, label in REVIEW_CHECKLIST)


class ReviewIn(StepIn):
    comments: str = _text(20000, "书面审核意见")
    checklist: dict[str, bool] | None = Field(
        None, description=f"审核要点（true 为通过）：{_CHECKLIST_TEXT}"
    )


class PassLegalReviewIn(ReviewIn):
    """法制审核同意：全部审核要点须通过（不填为全部通过）。"""


class ReturnLegalReviewIn(ReviewIn):
    """法制审核提出问题，退回案件审查。"""


class DiscussionIn(StepIn):
    """负责人集体讨论。"""

    participants: str = _text(2000, "参加人员")
    conclusion: str = _text(20000, "讨论结论")


class ExtendIn(ReasonIn):
    """延长办案期限。"""

    days: int = Field(ge=1, le=3650, description="延长天数")
    collective: bool = Field(False, description="经负责人集体讨论决定（再次延期时必须）")


class DecideIn(StepIn):
    """作出处理决定。"""

    penalty_types: list[PenaltyType] = Field(
        default_factory=list, max_length=14, description="处罚种类（不予行政处罚时为空）"
    )
    fine: Decimal | None = Money
    confiscation: Decimal | None = Money
    deviation_reason: str = Field(
        "", max_length=5000, description="偏离裁量基准的理由（罚款超出裁量幅度时必填）"
    )
    education_record: str = Field(
        "", max_length=5000, description="教育记录（不予行政处罚时必填，第三十三条第三款）"
    )
    correction: str = Field(
        "", max_length=5000, description="责令改正的内容（同时出具责令改正通知书）"
    )


class ServeIn(StepIn):
    """送达决定书。"""

    method: ServiceMethod = Field(description="送达方式")
    recipient: str = Field("", max_length=100, description="签收人")


class PaymentIn(StepIn):
    """登记履行（缴纳罚款及加处罚款）。"""

    amount: Decimal = Field(
        ge=0, lt=Decimal("1e12"), max_digits=14, decimal_places=2, description="缴纳罚款（元）"
    )
    surcharge: Decimal = Field(
        Decimal(0),
        ge=0,
        lt=Decimal("1e12"),
        max_digits=14,
        decimal_places=2,
        description="加处罚款（元）",
    )


class RemedyIn(Schema):
    """登记行政复议或行政诉讼期间（期间内不计加处罚款）。"""

    kind: RemedyKind = Field(description="行政复议或行政诉讼")
    started_on: Day = Field(description="开始日期")
    ended_on: Day | None = Field(None, description="结束日期（未结束不填）")


class CloseIn(StepIn):
    """结案。"""

    summary: str = _text(20000, "结案报告")


class ArchiveIn(StepIn):
    """归档。"""


class RevokeRegistrationIn(ReasonIn):
    """撤销立案。"""


class TransferIn(ReasonIn):
    """移送其他行政机关或司法机关。"""

    target: TransferTarget = Field(description="移送对象")
    recipient: str = _text(200, "接收机关")


class SuspendIn(ReasonIn):
    """中止调查。"""


class ResumeIn(StepIn):
    """恢复调查，回到中止前的阶段。"""


class TerminateIn(ReasonIn):
    """终止调查。"""


class RevokeDecisionIn(ReasonIn):
    """登记决定被变更、撤销或确认违法、无效（理由为复议决定、判决等依据）。"""


class PublishIn(StepIn):
    """公开行政处罚决定（脱敏快照）。"""


class CorrectDisclosureIn(ReasonIn):
    """更正已公开的决定信息，生成新版本。"""

    facts_text: str | None = Field(None, max_length=20000, description="更正后的违法事实")


class WithdrawDisclosureIn(ReasonIn):
    """撤回已公开的决定信息，撤回理由向社会公开。"""


class EvidenceIn(Schema):
    kind: EvidenceKind = Field(description="证据种类（行政处罚法 第四十六条）")
    medium: Medium = Field(description="载体，须与文件类型相符")
    title: str = _text(200, "证据名称")
    on: Day | None = Field(None, ge=EARLIEST, le=LATEST, description="取证日期（默认今日）")
    activity: str = Field(
        "", max_length=40, description="记录的执法环节（音像记录，如 on_site 现场检查）"
    )


class CaseQuery(SearchQuery):
    search: str = Field("", max_length=100, description="案件编号、案由、决定书文号或当事人")
    status: Status | None = Field(None, description="阶段")
    organization: str | None = Field(
        None, min_length=1, max_length=64, pattern=ORG_CODE_PATTERN, description="办案机关代码"
    )
    procedure: Procedure | None = Field(None, description="程序")
    lenient: bool | None = Field(None, description="true 仅适用“四张清单”的案件；false 仅其他")
    year: int | None = Field(None, ge=1990, le=2099, description="案源登记年度")


# --- output schemas -------------------------------------------------------------------------


class CaseRowOut(Schema):
    id: int
    number: str = Field(description="案件编号")
    title: str = Field(description="案由")
    status: Status
    status_label: str
    organization: OrgRef = Field(description="办案机关")
    item_code: str = Field(description="执法事项编码")
    procedure: Procedure
    procedure_label: str
    received_on: dt.date = Field(description="案源登记日期")
    registered_on: dt.date | None = Field(description="立案日期")
    decided_on: dt.date | None = Field(description="决定日期")
    fine: str | None = Field(description="罚款金额（元）")
    lenient: bool = Field(description="适用“四张清单”")
    decision_number: str = Field(description="决定书文号")


class CasePartyOut(Schema):
    kind: str
    kind_label: str
    name: str
    id_number: str
    birth_date: dt.date | None
    legal_representative: str
    phone: str
    address: str


class CaseOfficerOut(Schema):
    certificate_number: str
    name: str
    lead: bool = Field(description="主办")
    recused_on: dt.date | None = Field(description="回避日期")
    recusal_reason: str


class CaseStepOut(Schema):
    action: str
    label: str
    status_after: str
    on: dt.date
    at: dt.datetime
    actor: str = Field(description="操作人姓名")
    note: str
    data: dict[str, Any]
    ledger_seq: int = Field(description="全过程记录（日志）序号，可在 /ledger/verify 核验")


class CaseDeadlineOut(Schema):
    code: str
    label: str
    due: dt.date = Field(description="期限届满日")
    state: str = Field(description="met / overdue / due_soon / open / not_applicable")
    state_label: str
    text: str = Field(description="期限的计算过程")
    citation: str
    met_on: dt.date | None
    late: bool = Field(description="已完成但晚于期限")
    informational: bool = Field(description="当事人的期间，仅供参考，不计逾期")
    note: str
    surcharge: str | None = Field(description="加处罚款（元），逾期缴纳罚款时")


class CaseTraceOut(Schema):
    rule_id: str
    citation: str
    title: str
    outcome: str
    outcome_label: str
    reason: str
    parameters: dict[str, Any]


class CaseEvaluationOut(Schema):
    evaluated_on: dt.date | None
    treatment: str = Field(description="处理（不予、减轻、从轻、一般、从重）")
    treatment_label: str
    mandatory: bool = Field(description="应当（true）或可以（false）")
    allowed: list[str]
    fine_text: str
    paragraph: str = Field(description="说理段落")
    warnings: list[str]
    trace: list[CaseTraceOut] = Field(description="逐条审查记录")


class CaseDocumentOut(Schema):
    id: int
    kind: str
    title: str
    number: str = Field(description="文书编号")
    issued_on: dt.date
    ledger_seq: int
    digest: str = Field(description="文件哈希")
    size: int
    url: str = Field(description="下载地址（.docx）")


class CaseEvidenceOut(Schema):
    id: int
    kind: str
    kind_label: str
    medium: str
    medium_label: str
    activity: str
    title: str
    collected_on: dt.date
    ledger_seq: int
    digest: str
    size: int
    content_type: str
    original_name: str
    url: str = Field(description="下载地址")


class CaseDisclosureOut(Schema):
    version: int
    action: str
    action_label: str
    on: dt.date
    due_on: dt.date
    on_time: bool
    is_current: bool
    reason: str
    ledger_seq: int
    snapshot: dict[str, Any] = Field(description="公开内容（已脱敏）")


class EvidenceHoldOut(Schema):
    id: int
    description: str
    held_on: dt.date
    handled_on: dt.date | None
    handling: str


class HearingOut(Schema):
    requested_on: dt.date
    notified_on: dt.date | None
    scheduled_on: dt.date | None
    location: str
    host: str | None
    public: bool
    held: bool
    record: str


class LegalReviewOut(Schema):
    submitted_on: dt.date
    reviewer: str | None
    reviewed_on: dt.date | None
    opinion: str
    comments: str
    checklist: dict[str, Any]


class CaseActionOut(Schema):
    name: str
    label: str
    citation: str
    permitted: bool = Field(description="当前账号有权办理")
    url: str


class CaseDetailOut(CaseRowOut):
    item_name: str
    public_security: bool = Field(description="公安行政案件")
    source: str
    source_label: str
    source_detail: str
    facts_text: str
    act_date: dt.date
    continuing_until: dt.date | None
    discovered_date: dt.date
    noticed_on: dt.date | None
    served_on: dt.date | None
    paid_on: dt.date | None
    closed_on: dt.date | None
    archived_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    transfer_target: str
    transfer_recipient: str
    inspection_record: int | None = Field(description="据以登记的双随机检查记录 id（移送立案）")
    hearing_right: bool
    legal_review_required: bool
    discussion_required: bool
    education_required: bool
    lenient_list_kinds: list[str]
    baseline_fine: str | None
    relief_amount: str = Field(description="减免金额（元）")
    proposed_types: list[str]
    proposed_fine: str | None
    statement_text: str
    statement_waived: bool
    outcome: str
    outcome_label: str
    penalty_types: list[str]
    penalty_type_labels: list[str]
    confiscation: str | None
    reasoning: str
    deviation_reason: str
    education_record: str
    extension_days: int
    service_method: str
    service_recipient: str
    paid_amount: str | None
    surcharge_paid: str | None
    decision_revoked_on: dt.date | None
    revocation_reason: str
    created_by: str
    parties: list[CasePartyOut]
    officers: list[CaseOfficerOut]
    steps: list[CaseStepOut]
    deadlines: list[CaseDeadlineOut]
    evaluation: CaseEvaluationOut | None
    documents: list[CaseDocumentOut]
    evidence: list[CaseEvidenceOut]
    disclosures: list[CaseDisclosureOut]
    holds: list[EvidenceHoldOut]
    hearing: HearingOut | None
    legal_reviews: list[LegalReviewOut]
    actions: list[CaseActionOut] = Field(description="当前阶段可办理的环节")


# --- serializers ------------------------------------------------------------------------------


def case_row(case: PenaltyCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": Status(case.status).label_zh,
        "organization": org_ref(case.organization),
        "item_code": case.item.code,
        "procedure": case.procedure,
        "procedure_label": case.get_procedure_display(),
        "received_on": case.received_on,
        "registered_on": case.registered_on,
        "decided_on": case.decided_on,
        "fine": _money(case.fine),
        "lenient": case.lenient,
        "decision_number": case.decision_number,
    }


def _base(case_id: int) -> str:
    return f"/api/v1/cases/{case_id}"


def _deadline_out(d: CaseDeadline) -> dict[str, Any]:
    return {
        "code": d.code,
        "label": d.label,
        "due": d.due,
        "state": d.state.value,
        "state_label": d.state_label,
        "text": d.computation,
        "citation": d.citation,
        "met_on": d.met_on,
        "late": d.late,
        "informational": d.informational,
        "note": d.note,
        "surcharge": _money(d.surcharge.amount) if d.surcharge is not None else None,
    }


def _evaluation_out(case: PenaltyCase) -> dict[str, Any] | None:
    ev: Mapping[str, Any] = case.evaluation or {}
    if not ev:
        return None
    return {
        "evaluated_on": case.evaluated_on,
        "treatment": str(ev.get("treatment", "")),
        "treatment_label": str(ev.get("treatment_label", "")),
        "mandatory": bool(ev.get("mandatory", False)),
        "allowed": [str(t) for t in ev.get("allowed", [])],
        "fine_text": str(ev.get("fine_text", "")),
        "paragraph": str(ev.get("paragraph", "")),
        "warnings": [str(w) for w in ev.get("warnings", [])],
        "trace": [
            {
                "rule_id": str(s.get("rule_id", "")),
                "citation": str(s.get("citation", "")),
                "title": str(s.get("title", "")),
                "outcome": str(s.get("outcome", "")),
                "outcome_label": str(s.get("outcome_label", "")),
                "reason": str(s.get("reason", "")),
                "parameters": dict(s.get("parameters") or {}),
            }
            for s in ev.get("trace", [])
        ],
    }


def _hearing_of(case: PenaltyCase) -> Hearing | None:
    try:
        return case.hearing
    except ObjectDoesNotExist:
        return None


def _name(user: User | None) -> str | None:
    return None if user is None else (user.full_name or user.username)


def _attachment_meta(a: Attachment) -> dict[str, Any]:
    return {"digest": a.digest, "size": a.size}


def _actions(user: User, case: PenaltyCase) -> list[dict[str, Any]]:
    """The steps the table allows from the case's stage that this API offers, and whether
    the caller holds their permission (the service still applies the law's own guards)."""
    base = _base(case.pk)
    out = []
    for t in available(Status(case.status)):
        if t.name == "add_evidence":
            out.append((t.name, t.label, t.citation, t.permission, f"{base}/evidence"))
        elif t.name in ACTIONS:
            out.append((t.name, t.label, t.citation, t.permission, f"{base}/actions/{t.name}"))
    current = [d for d in case.disclosures.all() if d.is_current]
    published = bool(current) and current[0].action != DisclosureAction.WITHDRAW
    if Status(case.status) in DECIDED_STATES:
        names = ["correct_disclosure", "withdraw_disclosure"] if published else []
        names = names if current else ["publish_decision"]
    else:
        names = ["withdraw_disclosure"] if published else []  # 第四十八条: after a revocation
    for name in names:
        a = ACTIONS[name]
        out.append((name, a.label, a.citation, a.permission, f"{base}/actions/{name}"))
    return [
        {
            "name": name,
            "label": label,
            "citation": citation,
            "permitted": has_perm(user, permission),
            "url": url,
        }
        for name, label, citation, permission, url in out
    ]


def case_detail(user: User, case: PenaltyCase) -> dict[str, Any]:
    """The whole case file; `case` comes from `_detail_queryset` (its rows prefetched)."""
    hearing = _hearing_of(case)
    holds = list(case.holds.all())
    disclosures = list(case.disclosures.all())
    deadlines = case_deadlines(
        case,
        today=timezone.localdate(),
        calendar=database_calendar(),
        holds=holds,
        hearing=hearing,
        extensions=list(case.extensions.all()),
        remedies=list(case.remedies.all()),
        disclosures=disclosures,
    )
    base = _base(case.pk)
    out = case_row(case)
    out.update(
        {
            "item_name": case.item.name,
            "public_security": case.public_security,
            "source": case.source,
            "source_label": _choice_label(CaseSource, case.source),
            "source_detail": case.source_detail,
            "facts_text": case.facts_text,
            "act_date": case.act_date,
            "continuing_until": case.continuing_until,
            "discovered_date": case.discovered_date,
            "noticed_on": case.noticed_on,
            "served_on": case.served_on,
            "paid_on": case.paid_on,
            "closed_on": case.closed_on,
            "archived_on": case.archived_on,
            "ended_on": case.ended_on,
            "end_reason": case.end_reason,
            "transfer_target": case.transfer_target,
            "transfer_recipient": case.transfer_recipient,
            "inspection_record": case.inspection_record_id,
            "hearing_right": case.hearing_right,
            "legal_review_required": case.legal_review_required,
            "discussion_required": case.discussion_required,
            "education_required": case.education_required,
            "lenient_list_kinds": [str(k) for k in case.lenient_list_kinds],
            "baseline_fine": _money(case.baseline_fine),
            "relief_amount": str(services.relief_amount(case)),
            "proposed_types": [str(t) for t in case.proposed_types],
            "proposed_fine": _money(case.proposed_fine),
            "statement_text": case.statement_text,
            "statement_waived": case.statement_waived,
            "outcome": case.outcome,
            "outcome_label": _choice_label(Outcome, case.outcome) if case.outcome else "",
            "penalty_types": [str(t) for t in case.penalty_types],
            "penalty_type_labels": [_penalty_label(t) for t in case.penalty_types],
            "confiscation": _money(case.confiscation),
            "reasoning": case.reasoning,
            "deviation_reason": case.deviation_reason,
            "education_record": case.education_record,
            "extension_days": case.extension_days,
            "service_method": case.service_method,
            "service_recipient": case.service_recipient,
            "paid_amount": _money(case.paid_amount),
            "surcharge_paid": _money(case.surcharge_paid),
            "decision_revoked_on": case.decision_revoked_on,
            "revocation_reason": case.revocation_reason,
            "created_by": _name(case.created_by),
            "parties": [
                {
                    "kind": p.kind,
                    "kind_label": _party_kind_label(p.kind),
                    "name": p.name,
                    "id_number": p.id_number,
                    "birth_date": p.birth_date,
                    "legal_representative": p.legal_representative,
                    "phone": p.phone,
                    "address": p.address,
                }
                for p in case.parties.all()
            ],
            "officers": [
                {
                    "certificate_number": co.officer.certificate_number,
                    "name": co.officer.name,
                    "lead": co.lead,
                    "recused_on": co.recused_on,
                    "recusal_reason": co.recusal_reason,
                }
                for co in getattr(case, "officer_rows", [])
            ],
            "steps": [
                {
                    "action": s.action,
                    "label": s.label,
                    "status_after": s.status_after,
                    "on": s.on,
                    "at": s.at,
                    "actor": _name(s.actor),
                    "note": s.note,
                    "data": dict(s.data or {}),
                    "ledger_seq": s.ledger_seq,
                }
                for s in case.steps.all()
            ],
            "deadlines": [_deadline_out(d) for d in deadlines],
            "evaluation": _evaluation_out(case),
            "documents": [
                {
                    "id": d.pk,
                    "kind": d.kind,
                    "title": d.title,
                    "number": d.number,
                    "issued_on": d.issued_on,
                    "ledger_seq": d.ledger_seq,
                    **_attachment_meta(d.attachment),
                    "url": f"{base}/documents/{d.pk}",
                }
                for d in case.documents.all()
            ],
            "evidence": [
                {
                    "id": e.pk,
                    "kind": e.kind,
                    "kind_label": _choice_label(EvidenceKind, e.kind),
                    "medium": e.medium,
                    "medium_label": _choice_label(Medium, e.medium),
                    "activity": e.activity,
                    "title": e.title,
                    "collected_on": e.collected_on,
                    "ledger_seq": e.step.ledger_seq,
                    **_attachment_meta(e.attachment),
                    "content_type": e.attachment.content_type,
                    "original_name": e.attachment.original_name,
                    "url": f"{base}/evidence/{e.pk}",
                }
                for e in case.evidence.all()
            ],
            "disclosures": [
                {
                    "version": d.version,
                    "action": d.action,
                    "action_label": _choice_label(DisclosureAction, d.action),
                    "on": d.on,
                    "due_on": d.due_on,
                    "on_time": d.on_time,
                    "is_current": d.is_current,
                    "reason": d.reason,
                    "ledger_seq": d.ledger_seq,
                    "snapshot": dict(d.snapshot or {}),
                }
                for d in disclosures
            ],
            "holds": [
                {
                    "id": h.pk,
                    "description": h.description,
                    "held_on": h.held_on,
                    "handled_on": h.handled_on,
                    "handling": h.handling,
                }
                for h in holds
            ],
            "hearing": None
            if hearing is None
            else {
                "requested_on": hearing.requested_on,
                "notified_on": hearing.notified_on,
                "scheduled_on": hearing.scheduled_on,
                "location": hearing.location,
                "host": _name(hearing.host),
                "public": hearing.public,
                "held": hearing.held,
                "record": hearing.record,
            },
            "legal_reviews": [
                {
                    "submitted_on": r.submitted_on,
                    "reviewer": _name(r.reviewer),
                    "reviewed_on": r.reviewed_on,
                    "opinion": r.opinion,
                    "comments": r.comments,
                    "checklist": dict(r.checklist or {}),
                }
                for r in case.legal_reviews.all()
            ],
            "actions": _actions(user, case),
        }
    )
    return out


def _penalty_label(value: str) -> str:
    try:
        return PenaltyType(value).label_zh
    except ValueError:
        return ""


def _party_kind_label(value: str) -> str:
    try:
        return PartyKind(value).label_zh
    except ValueError:
        return ""


# --- lookups ----------------------------------------------------------------------------------


def _detail_queryset(user: User) -> QuerySet[PenaltyCase]:
    return (
        cases_for(user)
        .select_related("created_by", "hearing", "hearing__host")
        .prefetch_related(
            Prefetch(
                "case_officers",
                queryset=CaseOfficer.objects.select_related("officer").order_by("-lead", "id"),
                to_attr="officer_rows",
            ),
            Prefetch("steps", queryset=CaseStep.objects.select_related("actor").order_by("id")),
            Prefetch(
                "documents",
                queryset=CaseDocument.objects.select_related("attachment").order_by("id"),
            ),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("attachment", "step").order_by("id"),
            ),
            Prefetch("disclosures", queryset=Disclosure.objects.order_by("version")),
            Prefetch("legal_reviews", queryset=LegalReview.objects.select_related("reviewer")),
            "holds",
            "extensions",
            "remedies",
        )
    )


NOT_FOUND = "没有找到该案件，或不在您的数据范围内"


def _case(user: User, case_id: int) -> PenaltyCase:
    case = cases_for(user).filter(pk=case_id).first()
    if case is None:
        raise Http404(NOT_FOUND)
    return case


def _detail(user: User, case_id: int) -> dict[str, Any]:
    case = _detail_queryset(user).filter(pk=case_id).first()
    if case is None:
        raise Http404(NOT_FOUND)
    return case_detail(user, case)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", message, {"fields": {field: [message]}})


def _organization(user: User, code: str | None) -> Organization:
    if code is None:
        if user.organization is None:
            raise _invalid("organization", "您的账号没有所属单位，请指定办案机关")
        return user.organization
    org = visible_organizations(user).filter(code=code).first()
    if org is None:
        raise _invalid("organization", f"单位代码“{code}”不存在或不在您的数据范围内")
    return org


def _item(user: User, organization: Organization, code: str) -> EnforcementItem:
    """An item of the catalog in the caller's scope; a township (乡镇人民政府) may also use the
    published items of the county departments whose penalty powers were handed to it
    (行政处罚法 第二十四条), as the discretion calculator does."""
    item = catalog_selectors.items_for(user).filter(code=code).first()
    if item is None and organization.kind == OrgKind.TOWNSHIP:
        item = catalog_selectors.public_items().filter(code=code).first()
    if item is None:
        raise _invalid("item_code", f"执法事项“{code}”不存在或不在您的数据范围内")
    return item


def _officers(user: User, numbers: Sequence[str], field: str = "officers") -> list[Officer]:
    found = {
        o.certificate_number: o
        for o in Officer.objects.filter(
            certificate_number__in=numbers, organization__in=visible_organizations(user)
        )
    }
    missing = [n for n in numbers if n not in found]
    if missing:
        raise _invalid(field, f"执法证号“{'、'.join(missing)}”不存在或不在您的数据范围内")
    return [found[n] for n in numbers]


def _inspection_record(user: User, pk: int | None) -> InspectionRecord | None:
    """A 双随机 inspection record in the caller's scope of the inspections."""
    if pk is None:
        return None
    found = (
        inspection_selectors.records_for(user).filter(pk=pk).first()
        if has_perm(user, "inspections.view")
        else None
    )
    if found is None:
        raise _invalid("inspection_record", f"检查记录“{pk}”不存在或不在您的数据范围内")
    return found


def _host(user: User, username: str) -> User:
    host = User.objects.filter(
        username=username, is_active=True, organization__in=visible_organizations(user)
    ).first()
    if host is None:
        raise _invalid("host", f"账号“{username}”不存在或不在您的数据范围内")
    return host


def _root(field: str) -> str:
    return re.split(r"[.\[]", field, maxsplit=1)[0]


def _renamed(field: str, rename: Mapping[str, str]) -> str:
    for old, new in rename.items():
        if field == old or field.startswith((f"{old}.", f"{old}[")):
            return new + field[len(old) :]
    return field


@contextmanager
def _input_errors(
    fields: Collection[str], rename: Mapping[str, str] | None = None
) -> Iterator[None]:
    """A service's refusal that names fields of this request becomes a 422 on those fields."""
    rename = rename or {}
    try:
        yield
    except ConflictError:
        raise
    except DomainError as exc:
        named = {_renamed(str(k), rename): v for k, v in (exc.details or {}).items()}
        if not named or any(_root(k) not in fields for k in named):
            raise
        details = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in named.items()
        }
        raise ApiError(422, "validation_error", exc.message, {"fields": details}) from exc
    except ParameterError as exc:
        # A date the dated parameters do not cover (before their first version).
        raise ApiError(400, "invalid", str(exc)) from exc


def _idempotency_key(body: str | None, header: str | None) -> str | None:
    if body and header and body != header:
        raise _invalid("idempotency_key", "请求头 Idempotency-Key 与请求体 idempotency_key 不一致")
    return body or header


def _replayed(user: User, organization: Organization, key: str | None) -> bool:
    """Whether this key already made a case. Call inside the write's transaction: the services
    lock the organization row (case numbers are per organization), so taking that lock first
    makes this check and the write one step, and concurrent retries are told apart exactly."""
    if not key:
        return False
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk"))
    return PenaltyCase.objects.filter(created_by=user, idempotency_key=key).exists()


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


# --- list, intake and the case file ---------------------------------------------------------

WRITE_ERRORS = responses(400, 401, 403, 404, 409, 422)
IDEMPOTENCY_HEADER = param.Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=64,
    pattern=r"^[\x21-\x7e]+$",
    description="幂等键：同一账号以同一键重复提交，返回首次登记的案件（200），不重复登记",
)


@router.get(
    "",
    response={200: Page[CaseRowOut], **responses(401, 403, 422)},
    summary="案件列表",
    description=(
        "数据范围内的行政处罚案件，按案源登记日期由近及远排列。总数只计到 10,000 条"
        "（count_capped 为 true 表示更多），请用筛选条件缩小范围。"
    ),
)
def list_cases(request: HttpRequest, q: Query[CaseQuery]) -> dict[str, Any]:
    qs = cases_for(
        caller(request),
        search=q.search,
        status=q.status.value if q.status else "",
        organization=q.organization or "",
        procedure=q.procedure.value if q.procedure else "",
        lenient="" if q.lenient is None else ("1" if q.lenient else "0"),
        year=q.year,
    )
    return paginate(qs, q, case_row, capped=True)


@router.post(
    "",
    response={200: CaseDetailOut, 201: CaseDetailOut, **responses(400, 401, 403, 409, 422)},
    summary="登记案源",
    description=(
        "登记一个案源（行政处罚法 第五十四条），可同时登记当事人和办案执法人员。"
        "带幂等键（请求头 Idempotency-Key 或字段 idempotency_key）时，同一账号以同一键重复提交"
        "（如网络重试、双击）只登记一个案件：首次返回 201，之后返回 200 和同一案件。"
        "当事人号码无效、执法人员不足两人等返回 422，details.fields 指明字段。"
        "据双随机检查记录登记（检查结果为“移送立案”）时给出 inspection_record，案件与该记录关联；"
        "记录不在数据范围内、检查结果不是“移送立案”或已据以登记过案件的，返回 422。"
    ),
)
def create_case(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_header: str | None = IDEMPOTENCY_HEADER,
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, TRANSITIONS["receive_lead"].permission)
    key = _idempotency_key(payload.idempotency_key, idempotency_header)
    organization = _organization(user, payload.organization)
    item = _item(user, organization, payload.item_code)
    officers = _officers(user, payload.officers)
    record = _inspection_record(user, payload.inspection_record)
    with _input_errors(CaseIn.model_fields, {"item": "item_code"}), transaction.atomic():
        replay = _replayed(user, organization, key)
        case = services.receive_lead(
            actor=user,
            organization=organization,
            item=item,
            title=payload.title,
            source=payload.source.value,
            act_date=payload.act_date,
            discovered_date=payload.discovered_date,
            on=_today(payload.on),
            parties=[p.to_input() for p in payload.parties],
            officers=officers,
            source_detail=payload.source_detail,
            facts_text=payload.facts_text,
            idempotency_key=key,
            inspection_record=record,
        )
    return (200 if replay else 201), _detail(user, case.pk)


# Before /{case_id}: ninja matches paths in the order they are declared.
@router.post(
    "/on-spot",
    response={200: CaseDetailOut, 201: CaseDetailOut, **responses(400, 401, 403, 409, 422)},
    summary="当场作出行政处罚决定（简易程序）",
    description=(
        "违法事实确凿并有法定依据，处警告或者第五十一条规定限额以内罚款的，可以当场作出行政处罚"
        "决定（行政处罚法 第五十一条；限额按当事人类型取自参数，超出的返回 422）；决定书当场交付"
        "（第五十二条），案件直接进入“已送达”阶段。幂等键同“登记案源”。"
    ),
)
def decide_on_spot(
    request: HttpRequest,
    payload: OnSpotIn,
    idempotency_header: str | None = IDEMPOTENCY_HEADER,
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, TRANSITIONS["decide_on_spot"].permission)
    key = _idempotency_key(payload.idempotency_key, idempotency_header)
    organization = _organization(user, payload.organization)
    item = _item(user, organization, payload.item_code)
    officers = _officers(user, payload.officers)
    rename = {"parties[0]": "party", "parties": "party", "item": "item_code"}
    with _input_errors(OnSpotIn.model_fields, rename), transaction.atomic():
        replay = _replayed(user, organization, key)
        case = services.decide_on_spot(
            actor=user,
            organization=organization,
            item=item,
            title=payload.title,
            act_date=payload.act_date,
            on=_today(payload.on),
            party=payload.party.to_input(),
            officers=officers,
            penalty_types=[t.value for t in payload.penalty_types],
            fine=payload.fine,
            facts=payload.facts,
            facts_text=payload.facts_text,
            idempotency_key=key,
        )
    return (200 if replay else 201), _detail(user, case.pk)


@router.get(
    "/{case_id}",
    response={200: CaseDetailOut, **responses(401, 403, 404, 422)},
    summary="案件详情",
    description=(
        "全部案卷信息：当事人、执法人员、办案环节（含全过程记录序号）、期限、裁量结论（含推理"
        "记录和说理段落）、执法文书、证据、公示记录，以及当前阶段可办理的环节。"
    ),
)
def get_case(request: HttpRequest, case_id: int = CaseId) -> dict[str, Any]:
    return _detail(caller(request), case_id)


# --- evidence and documents -------------------------------------------------------------------


@router.post(
    "/{case_id}/evidence",
    response={201: CaseDetailOut, **WRITE_ERRORS},
    summary="上传证据",
    description=(
        "multipart/form-data：证据种类、载体、名称、取证日期和一个或多个文件（files）。文件以流"
        "的方式保存并计算哈希，哈希记入本环节的全过程记录（行政处罚法 第四十六条、第四十七条）。"
    ),
)
def add_evidence(
    request: HttpRequest,
    payload: Form[EvidenceIn],
    case_id: int = CaseId,
    # Optional here so that the permission is checked first; the service refuses an upload
    # without files on the field "files".
    files: list[UploadedFile] | None = param.File(None, description="证据文件（可多个）"),  # noqa: B008
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, TRANSITIONS["add_evidence"].permission)
    case = _case(user, case_id)
    uploads = [
        services.UploadedFile(
            # Django's upload (in memory, or a temporary file when large) is read in chunks by
            # the ledger's store: an hour of video never sits in memory.
            stream=cast(IO[bytes], f),
            name=f.name or "evidence",
            content_type=f.content_type or "application/octet-stream",
        )
        for f in files or []
    ]
    with _input_errors({*EvidenceIn.model_fields, "files"}):
        services.add_evidence(
            actor=user,
            case=case,
            files=uploads,
            kind=payload.kind.value,
            medium=payload.medium.value,
            title=payload.title,
            on=_today(payload.on),
            activity=payload.activity,
        )
    return 201, _detail(user, case_id)


def _download(attachment: Attachment, filename: str, content_type: str) -> FileResponse:
    path = attachment_path(attachment.digest)
    if not path.exists():
        raise ApiError(404, "not_found", "文件不存在（存储中缺失），请联系系统管理员")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["ETag"] = f'"{attachment.digest}"'
    return response


def _binary(content_type: str, description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/{case_id}/documents/{document_id}",
    response=responses(401, 403, 404, 422),
    summary="下载执法文书（.docx）",
    description="文书的全过程记录序号见案件详情 documents.ledger_seq；ETag 为文件哈希。",
    openapi_extra=_binary(DOCX, "执法文书（Word 文件）"),
)
def download_document(
    request: HttpRequest, case_id: int = CaseId, document_id: int = RowId
) -> FileResponse:
    case = _case(caller(request), case_id)
    document = (
        CaseDocument.objects.select_related("attachment").filter(case=case, pk=document_id).first()
    )
    if document is None:
        raise Http404("没有找到该文书")
    name = f"{case.number}-{document.title}.docx"
    return _download(document.attachment, name, DOCX)


@router.get(
    "/{case_id}/evidence/{evidence_id}",
    response=responses(401, 403, 404, 422),
    summary="下载证据文件",
    description="原样返回上传的文件（类型为上传时的类型）；ETag 为文件哈希。",
    openapi_extra=_binary("*/*", "证据文件"),
)
def download_evidence(
    request: HttpRequest, case_id: int = CaseId, evidence_id: int = RowId
) -> FileResponse:
    case = _case(caller(request), case_id)
    evidence = (
        Evidence.objects.select_related("attachment").filter(case=case, pk=evidence_id).first()
    )
    if evidence is None:
        raise Http404("没有找到该证据")
    a = evidence.attachment
    return _download(a, a.original_name, a.content_type or "application/octet-stream")


# --- the steps of the procedure ---------------------------------------------------------------

S = TypeVar("S", bound=Schema)
Perform = Callable[[User, PenaltyCase, S, dt.date], object]


@dataclass(frozen=True)
class CaseAction:
    name: str
    label: str
    citation: str
    permission: str
    schema: type[Schema]
    perform: Callable[[User, PenaltyCase, Any, dt.date], object]


ACTIONS: dict[str, CaseAction] = {}

# Disclosure steps are not transitions of the table (the case stays where it is).
_DISCLOSURE_STEPS = {
    "publish_decision": ("公开行政处罚决定", "国办发〔2018〕118号 二（六）"),
    "correct_disclosure": ("更正公开的决定信息", "国办发〔2018〕118号 二（六）"),
    "withdraw_disclosure": ("撤回公开的决定信息", "行政处罚法 第四十八条"),
}


def action(name: str, schema: type[S]) -> Callable[[Perform[S]], Perform[S]]:
    """Register `POST /cases/{case_id}/actions/<name>`: permission, scope, the service, and
    the updated case file back."""

    def register(perform: Perform[S]) -> Perform[S]:
        if name in TRANSITIONS:
            t = TRANSITIONS[name]
            label, citation, permission = t.label, t.citation, t.permission
        else:
            (label, citation), permission = _DISCLOSURE_STEPS[name], PUBLISH
        spec = CaseAction(name, label, citation, permission, schema, perform)
        ACTIONS[name] = spec
        _route(spec)
        return perform

    return register


def _route(spec: CaseAction) -> None:
    def view(request: HttpRequest, payload: Schema, case_id: int = CaseId) -> dict[str, Any]:
        user = caller(request)
        require(user, spec.permission)
        case = _case(user, case_id)
        on = _today(getattr(payload, "on", None))
        with _input_errors(spec.schema.model_fields):
            spec.perform(user, case, payload, on)
        return _detail(user, case_id)

    # ninja reads the body's schema from the signature; the operation id is cases_<name>.
    signature = inspect.signature(view)
    params = [
        p.replace(annotation=spec.schema) if p.name == "payload" else p
        for p in signature.parameters.values()
    ]
    view.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    view.__name__ = view.__qualname__ = spec.name
    doc = (spec.schema.__doc__ or spec.label).strip().rstrip("。")
    description = f"{doc}（{spec.citation}）" if spec.citation else doc
    router.post(
        f"/{{case_id}}/actions/{spec.name}",
        response={200: CaseDetailOut, **WRITE_ERRORS},
        summary=spec.label,
        description=f"{description}。返回更新后的案件详情。",
    )(view)


@action("decline", DeclineIn)
def _decline(user: User, case: PenaltyCase, p: DeclineIn, on: dt.date) -> None:
    services.decline(actor=user, case=case, on=on, reason=p.reason)


@action("register", RegisterIn)
def _register(user: User, case: PenaltyCase, p: RegisterIn, on: dt.date) -> None:
    services.register(actor=user, case=case, on=on)


@action("hold_evidence", HoldEvidenceIn)
def _hold_evidence(user: User, case: PenaltyCase, p: HoldEvidenceIn, on: dt.date) -> None:
    services.hold_evidence(actor=user, case=case, description=p.description, on=on)


@action("handle_held_evidence", HandleHeldEvidenceIn)
def _handle_held(user: User, case: PenaltyCase, p: HandleHeldEvidenceIn, on: dt.date) -> None:
    hold = case.holds.filter(pk=p.hold_id).first()
    if hold is None:
        raise _invalid("hold_id", f"本案没有编号为{p.hold_id}的先行登记保存记录")
    services.handle_held_evidence(actor=user, case=case, hold=hold, handling=p.handling, on=on)


@action("update_case", UpdateCaseIn)
def _update_case(user: User, case: PenaltyCase, p: UpdateCaseIn, on: dt.date) -> None:
    services.update_case(
        actor=user,
        case=case,
        on=on,
        parties=None if p.parties is None else [x.to_input() for x in p.parties],
        officers=None if p.officers is None else _officers(user, p.officers),
        facts_text=p.facts_text,
    )


@action("assess", AssessIn)
def _assess(user: User, case: PenaltyCase, p: AssessIn, on: dt.date) -> None:
    services.assess(actor=user, case=case, facts=p.facts, on=on)


@action("recuse", RecuseIn)
def _recuse(user: User, case: PenaltyCase, p: RecuseIn, on: dt.date) -> None:
    officer = Officer.objects.filter(
        certificate_number=p.officer, case_assignments__case=case
    ).first()
    if officer is None:
        raise _invalid("officer", f"执法证号“{p.officer}”不是本案的执法人员")
    services.recuse(actor=user, case=case, officer=officer, on=on, reason=p.reason)


@action("submit_for_examination", ReportIn)
def _submit_for_examination(user: User, case: PenaltyCase, p: ReportIn, on: dt.date) -> None:
    services.submit_for_examination(actor=user, case=case, on=on, report=p.report)


@action("return_for_investigation", ReturnForInvestigationIn)
def _return_for_investigation(
    user: User, case: PenaltyCase, p: ReturnForInvestigationIn, on: dt.date
) -> None:
    services.return_for_investigation(actor=user, case=case, on=on, reason=p.reason)


@action("notify", NotifyIn)
def _notify(user: User, case: PenaltyCase, p: NotifyIn, on: dt.date) -> None:
    services.notify(
        actor=user, case=case, on=on, penalty_types=[t.value for t in p.penalty_types], fine=p.fine
    )


@action("propose_no_penalty", ProposeNoPenaltyIn)
def _propose_no_penalty(user: User, case: PenaltyCase, p: ProposeNoPenaltyIn, on: dt.date) -> None:
    services.propose_no_penalty(actor=user, case=case, on=on, outcome=p.outcome, reason=p.reason)


@action("record_statement", StatementIn)
def _record_statement(user: User, case: PenaltyCase, p: StatementIn, on: dt.date) -> None:
    services.record_statement(actor=user, case=case, on=on, statement=p.statement, waived=p.waived)


@action("request_hearing", RequestHearingIn)
def _request_hearing(user: User, case: PenaltyCase, p: RequestHearingIn, on: dt.date) -> None:
    services.request_hearing(actor=user, case=case, on=on)


@action("schedule_hearing", ScheduleHearingIn)
def _schedule_hearing(user: User, case: PenaltyCase, p: ScheduleHearingIn, on: dt.date) -> None:
    services.schedule_hearing(
        actor=user,
        case=case,
        on=on,
        hearing_on=p.hearing_on,
        location=p.location,
        host=_host(user, p.host),
        public=p.public,
    )


@action("conclude_hearing", ConcludeHearingIn)
def _conclude_hearing(user: User, case: PenaltyCase, p: ConcludeHearingIn, on: dt.date) -> None:
    services.conclude_hearing(actor=user, case=case, on=on, record_text=p.record_text, held=p.held)


@action("conclude_statement", ConcludeStatementIn)
def _conclude_statement(user: User, case: PenaltyCase, p: ConcludeStatementIn, on: dt.date) -> None:
    services.conclude_statement(actor=user, case=case, on=on)


@action("submit_legal_review", SubmitLegalReviewIn)
def _submit_legal_review(
    user: User, case: PenaltyCase, p: SubmitLegalReviewIn, on: dt.date
) -> None:
    services.submit_legal_review(actor=user, case=case, on=on)


@action("pass_legal_review", PassLegalReviewIn)
def _pass_legal_review(user: User, case: PenaltyCase, p: PassLegalReviewIn, on: dt.date) -> None:
    services.pass_legal_review(
        actor=user, case=case, on=on, comments=p.comments, checklist=p.checklist
    )


@action("return_legal_review", ReturnLegalReviewIn)
def _return_legal_review(
    user: User, case: PenaltyCase, p: ReturnLegalReviewIn, on: dt.date
) -> None:
    services.return_legal_review(
        actor=user, case=case, on=on, comments=p.comments, checklist=p.checklist
    )


@action("record_discussion", DiscussionIn)
def _record_discussion(user: User, case: PenaltyCase, p: DiscussionIn, on: dt.date) -> None:
    services.record_discussion(
        actor=user, case=case, on=on, participants=p.participants, conclusion=p.conclusion
    )


@action("extend", ExtendIn)
def _extend(user: User, case: PenaltyCase, p: ExtendIn, on: dt.date) -> None:
    services.extend(
        actor=user, case=case, on=on, days=p.days, reason=p.reason, collective=p.collective
    )


@action("decide", DecideIn)
def _decide(user: User, case: PenaltyCase, p: DecideIn, on: dt.date) -> None:
    services.decide(
        actor=user,
        case=case,
        on=on,
        penalty_types=[t.value for t in p.penalty_types],
        fine=p.fine,
        confiscation=p.confiscation,
        deviation_reason=p.deviation_reason,
        education_record=p.education_record,
        correction=p.correction,
    )


@action("serve", ServeIn)
def _serve(user: User, case: PenaltyCase, p: ServeIn, on: dt.date) -> None:
    services.serve(actor=user, case=case, on=on, method=p.method.value, recipient=p.recipient)


@action("record_payment", PaymentIn)
def _record_payment(user: User, case: PenaltyCase, p: PaymentIn, on: dt.date) -> None:
    services.record_payment(actor=user, case=case, on=on, amount=p.amount, surcharge=p.surcharge)


@action("record_remedy", RemedyIn)
def _record_remedy(user: User, case: PenaltyCase, p: RemedyIn, on: dt.date) -> None:
    services.record_remedy(
        actor=user, case=case, kind=p.kind.value, started_on=p.started_on, ended_on=p.ended_on
    )


@action("close", CloseIn)
def _close(user: User, case: PenaltyCase, p: CloseIn, on: dt.date) -> None:
    services.close(actor=user, case=case, on=on, summary=p.summary)


@action("archive", ArchiveIn)
def _archive(user: User, case: PenaltyCase, p: ArchiveIn, on: dt.date) -> None:
    services.archive(actor=user, case=case, on=on)


@action("revoke_registration", RevokeRegistrationIn)
def _revoke_registration(
    user: User, case: PenaltyCase, p: RevokeRegistrationIn, on: dt.date
) -> None:
    services.revoke_registration(actor=user, case=case, on=on, reason=p.reason)


@action("transfer", TransferIn)
def _transfer(user: User, case: PenaltyCase, p: TransferIn, on: dt.date) -> None:
    services.transfer(
        actor=user,
        case=case,
        on=on,
        target=p.target.value,
        recipient=p.recipient,
        reason=p.reason,
    )


@action("suspend", SuspendIn)
def _suspend(user: User, case: PenaltyCase, p: SuspendIn, on: dt.date) -> None:
    services.suspend(actor=user, case=case, on=on, reason=p.reason)


@action("resume", ResumeIn)
def _resume(user: User, case: PenaltyCase, p: ResumeIn, on: dt.date) -> None:
    services.resume(actor=user, case=case, on=on)


@action("terminate", TerminateIn)
def _terminate(user: User, case: PenaltyCase, p: TerminateIn, on: dt.date) -> None:
    services.terminate(actor=user, case=case, on=on, reason=p.reason)


@action("revoke_decision", RevokeDecisionIn)
def _revoke_decision(user: User, case: PenaltyCase, p: RevokeDecisionIn, on: dt.date) -> None:
    services.revoke_decision(actor=user, case=case, on=on, reason=p.reason)


@action("publish_decision", PublishIn)
def _publish_decision(user: User, case: PenaltyCase, p: PublishIn, on: dt.date) -> None:
    services.publish_decision(actor=user, case=case, on=on)


@action("correct_disclosure", CorrectDisclosureIn)
def _correct_disclosure(user: User, case: PenaltyCase, p: CorrectDisclosureIn, on: dt.date) -> None:
    services.correct_disclosure(
        actor=user, case=case, on=on, reason=p.reason, facts_text=p.facts_text
    )


@action("withdraw_disclosure", WithdrawDisclosureIn)
def _withdraw_disclosure(
    user: User, case: PenaltyCase, p: WithdrawDisclosureIn, on: dt.date
) -> None:
    services.withdraw_disclosure(actor=user, case=case, on=on, reason=p.reason)
