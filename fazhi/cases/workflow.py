"""The penalty-case workflow as one transition table (ARCHITECTURE §5 rule 1).

Plain Python: each transition names the states it may start from, the state it leads to and
the permission it needs. The services look a transition up here before running their own
guards (deadlines, 法制审核, 第四十五条 …), so "which step may follow which" is decided in one
place and the parametrized tests walk this table.

Ordinary procedure (行政处罚法 第五十四条至第六十五条):
案源 → 立案 → 调查取证 → 案件审查 → 告知 → 陈述申辩 / 听证 → 法制审核（第五十八条）→ 集体讨论
（第五十七条第二款）→ 决定 → 送达 → 执行 → 结案 → 归档.
Summary procedure (第五十一条、第五十二条): 当场作出决定并当场交付, then 执行 → 结案 → 归档.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING


class Status(StrEnum):
    """Where a case stands. Stored values are English (glossary); `label_zh` for people."""

    label_zh: str

    if TYPE_CHECKING:

        @property
        def value(self) -> str: ...

    else:

        def __new__(cls, value: str, label_zh: str) -> Status:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label_zh = label_zh
            return member

    LEAD = "lead", "案源登记"
    NOT_REGISTERED = "not_registered", "不予立案"
    INVESTIGATING = "investigating", "调查取证"
    EXAMINING = "examining", "案件审查"
    NOTIFIED = "notified", "已告知（陈述申辩期）"
    HEARING = "hearing", "听证"
    READY = "ready", "待决定"
    LEGAL_REVIEW = "legal_review", "法制审核中"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达"
    EXECUTED = "executed", "已执行"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    REVOKED = "revoked", "已撤销立案"
    TRANSFERRED = "transferred", "已移送"
    SUSPENDED = "suspended", "中止"
    TERMINATED = "terminated", "终止"
    DECISION_REVOKED = "decision_revoked", "决定已被撤销或变更"

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label_zh) for m in cls]


S = Status

# States in which the case is still being handled: the 90-day clock runs and it may be
# extended, suspended or terminated.
PENDING: frozenset[Status] = frozenset(
    {S.INVESTIGATING, S.EXAMINING, S.NOTIFIED, S.HEARING, S.READY, S.LEGAL_REVIEW}
)
# A decision exists (it may be published, served, paid, revoked).
DECIDED_STATES: frozenset[Status] = frozenset(
    {S.DECIDED, S.SERVED, S.EXECUTED, S.CLOSED, S.ARCHIVED}
)
# Nothing follows.
FINAL: frozenset[Status] = frozenset(
    {S.NOT_REGISTERED, S.ARCHIVED, S.REVOKED, S.TRANSFERRED, S.TERMINATED, S.DECISION_REVOKED}
)
# Counted as 结案 (closure rate): closed or archived, or ended by a side path.
CONCLUDED: frozenset[Status] = frozenset(
    {S.CLOSED, S.ARCHIVED, S.NOT_REGISTERED, S.REVOKED, S.TRANSFERRED, S.TERMINATED}
)

# Permission codes (fazhi.core.permissions).
HANDLE = "cases.handle"  # 办案人员
APPROVE = "cases.approve"  # 行政机关负责人
REVIEW = "cases.legal_review"  # 法制审核人员

SAME = "same"  # the transition records a step and leaves the state as it is
PREVIOUS = "previous"  # back to the state before the suspension


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[Status]  # empty: creates the case
    target: Status | str  # a Status, SAME or PREVIOUS
    permission: str
    citation: str = ""

    def allows(self, status: Status | None) -> bool:
        if not self.sources:
            return status is None
        return status in self.sources


def _t(
    name: str,
    label: str,
    sources: set[Status],
    target: Status | str,
    permission: str,
    citation: str = "",
) -> Transition:
    return Transition(name, label, frozenset(sources), target, permission, citation)


_OPEN_BEFORE_DECISION = {S.INVESTIGATING, S.EXAMINING, S.NOTIFIED, S.HEARING, S.READY}

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        _t("receive_lead", "登记案源", set(), S.LEAD, HANDLE, "行政处罚法 第五十四条"),
        _t("decline", "不予立案", {S.LEAD}, S.NOT_REGISTERED, APPROVE, "行政处罚法 第五十四条"),
        _t("register", "立案", {S.LEAD}, S.INVESTIGATING, APPROVE, "行政处罚法 第五十四条"),
        _t(
            "hold_evidence",
            "先行登记保存证据",
            {S.INVESTIGATING},
            SAME,
            APPROVE,
            "行政处罚法 第五十六条",
        ),
        _t(
            "handle_held_evidence",
            "对登记保存的证据作出处理决定",
            {S.INVESTIGATING, S.EXAMINING},
            SAME,
            HANDLE,
            "行政处罚法 第五十六条",
        ),
        _t(
            "add_evidence",
            "上传证据",
            _OPEN_BEFORE_DECISION | {S.LEAD, S.DECIDED, S.SERVED, S.EXECUTED},
            SAME,
            HANDLE,
            "行政处罚法 第四十六条、第四十七条",
        ),
        _t(
            "update_case",
            "更正当事人、办案人员或违法事实",
            {S.LEAD, S.INVESTIGATING, S.EXAMINING},
            SAME,
            HANDLE,
        ),
        _t(
            "assess",
            "裁量计算（录入情节）",
            {S.INVESTIGATING, S.EXAMINING},
            SAME,
            HANDLE,
            "行政处罚法 第五条、第三十二条、第三十三条、第三十四条",
        ),
        _t("recuse", "回避", _OPEN_BEFORE_DECISION, SAME, APPROVE, "行政处罚法 第四十三条"),
        _t(
            "submit_for_examination",
            "调查终结，提交案件审查",
            {S.INVESTIGATING},
            S.EXAMINING,
            HANDLE,
            "行政处罚法 第五十七条",
        ),
        _t(
            "return_for_investigation",
            "退回补充调查",
            {S.EXAMINING},
            S.INVESTIGATING,
            APPROVE,
        ),
        _t("notify", "告知拟处罚决定", {S.EXAMINING}, S.NOTIFIED, HANDLE, "行政处罚法 第四十四条"),
        _t(
            "propose_no_penalty",
            "拟不予行政处罚",
            {S.EXAMINING},
            S.READY,
            HANDLE,
            "行政处罚法 第五十七条第一款第二项、第三项",
        ),
        _t(
            "record_statement",
            "记录陈述申辩",
            {S.NOTIFIED},
            SAME,
            HANDLE,
            "行政处罚法 第四十五条",
        ),
        _t(
            "request_hearing",
            "当事人要求听证",
            {S.NOTIFIED},
            S.HEARING,
            HANDLE,
            "行政处罚法 第六十三条、第六十四条",
        ),
        _t(
            "schedule_hearing",
            "通知听证",
            {S.HEARING},
            SAME,
            APPROVE,
            "行政处罚法 第六十四条",
        ),
        _t(
            "conclude_hearing",
            "听证结束",
            {S.HEARING},
            S.READY,
            HANDLE,
            "行政处罚法 第六十四条、第六十五条",
        ),
        _t(
            "conclude_statement",
            "陈述申辩期结束",
            {S.NOTIFIED},
            S.READY,
            HANDLE,
            "行政处罚法 第四十五条、第六十二条",
        ),
        _t(
            "submit_legal_review",
            "提交法制审核",
            {S.READY},
            S.LEGAL_REVIEW,
            HANDLE,
            "行政处罚法 第五十八条",
        ),
        _t(
            "pass_legal_review",
            "法制审核通过",
            {S.LEGAL_REVIEW},
            S.READY,
            REVIEW,
            "行政处罚法 第五十八条；国办发〔2018〕118号 四（十三）",
        ),
        _t(
            "return_legal_review",
            "法制审核提出问题，退回",
            {S.LEGAL_REVIEW},
            S.EXAMINING,
            REVIEW,
            "国办发〔2018〕118号 四（十三）",
        ),
        _t(
            "record_discussion",
            "负责人集体讨论",
            {S.READY},
            SAME,
            APPROVE,
            "行政处罚法 第五十七条第二款",
        ),
        _t(
            "extend",
            "延长办案期限",
            _OPEN_BEFORE_DECISION | {S.LEGAL_REVIEW},
            SAME,
            APPROVE,
            "行政处罚法 第六十条",
        ),
        _t("decide", "作出决定", {S.READY}, S.DECIDED, APPROVE, "行政处罚法 第五十七条"),
        _t(
            "decide_on_spot",
            "当场作出行政处罚决定",
            set(),
            S.SERVED,
            HANDLE,
            "行政处罚法 第五十一条、第五十二条",
        ),
        _t("serve", "送达决定书", {S.DECIDED}, S.SERVED, HANDLE, "行政处罚法 第六十一条"),
        _t(
            "record_payment",
            "登记履行（缴纳罚款）",
            {S.SERVED},
            S.EXECUTED,
            HANDLE,
            "行政处罚法 第六十七条、第七十二条",
        ),
        _t(
            "record_remedy",
            "登记行政复议或行政诉讼期间",
            {S.SERVED, S.EXECUTED},
            SAME,
            HANDLE,
            "行政处罚法 第七十三条",
        ),
        _t("close", "结案", {S.SERVED, S.EXECUTED}, S.CLOSED, APPROVE),
        _t("archive", "归档", {S.CLOSED}, S.ARCHIVED, HANDLE, "行政处罚法 第四十七条"),
        _t(
            "revoke_registration",
            "撤销立案",
            {S.INVESTIGATING, S.EXAMINING},
            S.REVOKED,
            APPROVE,
        ),
        _t(
            "transfer",
            "移送",
            {S.LEAD, S.INVESTIGATING, S.EXAMINING},
            S.TRANSFERRED,
            APPROVE,
            "行政处罚法 第二十七条、第五十七条第一款第四项",
        ),
        _t("suspend", "中止调查", _OPEN_BEFORE_DECISION, S.SUSPENDED, APPROVE),
        _t("resume", "恢复调查", {S.SUSPENDED}, PREVIOUS, APPROVE),
        _t("terminate", "终止调查", _OPEN_BEFORE_DECISION | {S.SUSPENDED}, S.TERMINATED, APPROVE),
        _t(
            "revoke_decision",
            "登记决定被变更、撤销或确认违法、无效",
            set(DECIDED_STATES),
            S.DECISION_REVOKED,
            APPROVE,
            "行政处罚法 第四十八条",
        ),
    )
}


class TransitionError(ValueError):
    """A transition refused by the table, with a Chinese message."""


def check(name: str, status: Status | None) -> Transition:
    """The transition `name` if the table allows it from `status`; else TransitionError."""
    transition = TRANSITIONS[name]
    if not transition.allows(status):
        if status is None:
            raise TransitionError(f"“{transition.label}”只能用于新案件")
        raise TransitionError(f"案件处于“{status.label_zh}”阶段，不能“{transition.label}”")
    return transition


def target_of(transition: Transition, status: Status | None, previous: Status | None) -> Status:
    """The state after `transition` from `status` (SAME and PREVIOUS resolved)."""
    if transition.target == SAME:
        assert status is not None
        return status
    if transition.target == PREVIOUS:
        if previous is None:
            raise TransitionError("找不到中止前的阶段，无法恢复")
        return previous
    return Status(transition.target)


def available(status: Status | None) -> list[Transition]:
    """Transitions the table allows from `status`, in table order (for the case page)."""
    return [t for t in TRANSITIONS.values() if t.allows(status)]
