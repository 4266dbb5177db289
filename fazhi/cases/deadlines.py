"""The deadlines of one penalty case (办案期限), each with its arithmetic and its state.

:func:`case_deadlines` reads a :class:`~fazhi.cases.models.PenaltyCase` (and, unless they are
passed in, its holds, hearing, extensions, remedy periods and disclosures) and returns one
:class:`CaseDeadline` per deadline that has started:

* ``decision`` 作出处理决定: 90日 from 立案 plus approved extensions (行政处罚法 第六十条); 治安案件
  30日 (治安管理处罚法 第九十九条). Met by the decision, or by the end of the case (移送、终止…).
* ``evidence_hold:<id>`` 先行登记保存处理决定: 7个工作日 from each hold (第五十六条、第八十五条).
* ``hearing_request`` 当事人要求听证: 5个工作日 from 告知, only with a hearing right
  (第六十四条第一项). The party's period: informational, never “overdue”; closed once run out.
* ``hearing_notice`` 通知听证: at least 7个工作日 before the hearing (第六十四条第二项); the due
  date is the latest day on which the notice is still in time.
* ``service`` 送达决定书: 7个工作日 from the decision (第六十一条).
* ``payment`` 缴纳罚款: 15日 from service (第六十七条); when late, with the surcharge of
  第七十二条 and the pauses of 第七十三条 (:mod:`fazhi.rules.surcharge`).
* ``publication`` 公开处罚决定: 7个工作日 from a penalty decision (国办发〔2018〕118号 二（六）);
  met by the first Disclosure with action ``publish``.
* ``withdrawal`` 撤回公开信息: 3个工作日 from the revocation of a published decision (第四十八条);
  met by a Disclosure with action ``withdraw``.

Every period is counted by :mod:`fazhi.rules.deadlines` with the calendar the caller passes
(one :func:`fazhi.core.calendar.database_calendar` for a whole page): the day-counting rule of
the law decides between working days and calendar days, so 九十日 and 十五日 are calendar days
moved off a rest day (民事诉讼法 第八十五条) and 七日 are working days (行政处罚法 第八十五条).

A deadline is ``met`` once the act is done (``late`` tells whether after the due date),
``overdue`` when undone after the due date, ``due_soon`` when undone and the due date is at most
CASE_DUE_SOON_DAYS calendar days away, ``open`` otherwise, and ``not_applicable`` when the case
took a turn that removed the duty (e.g. a revoked decision need not be paid or published).

For a list page, fetch the rows once: ``prefetch_related("holds", "extensions", "remedies",
"disclosures")`` and ``select_related("hearing")`` make every call here query-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from django.core.exceptions import ObjectDoesNotExist

from fazhi.cases.models import (
    Disclosure,
    DisclosureAction,
    EvidenceHold,
    Extension,
    Hearing,
    Outcome,
    PenaltyCase,
    RemedyKind,
    RemedyPeriod,
)
from fazhi.cases.workflow import Status
from fazhi.rules.calendar import MappingCalendar, WorkdayCalendar
from fazhi.rules.deadlines import (
    CIVIL_PROCEDURE_CITATION,
    MAX_CONSECUTIVE_REST_DAYS,
    Deadline,
    add_period,
    add_working_days,
    deadline_for,
    short_citation,
)
from fazhi.rules.parameters import (
    NotYetEffectiveError,
    ParameterError,
    ParameterSet,
    default_parameters,
    format_date_zh,
)
from fazhi.rules.surcharge import Pause, Surcharge, late_surcharge

__all__ = [
    "CaseDeadline",
    "DeadlineState",
    "case_deadlines",
    "latest_notice_day",
]

# The day-counting rule of 行政处罚法 第八十五条 (day_counting.yaml) decides how each 行政处罚法
# period is counted; 治安管理处罚法 第三条 sends its unregulated procedure to the same law.
PENALTY_LAW: Final = "administrative_penalty_law"
WORKING_DAYS_UNIT: Final = "工作日"

P_DECISION: Final = "DECISION_DAYS_FROM_FILING"
P_POLICE_DECISION: Final = "POLICE_DECISION_DAYS"
P_HOLD: Final = "EVIDENCE_HOLD_DECISION_WDAYS"
P_HEARING_REQUEST: Final = "HEARING_REQUEST_WDAYS"
P_HEARING_NOTICE: Final = "HEARING_NOTICE_WDAYS"
P_SERVICE: Final = "SERVICE_WDAYS_IF_ABSENT"
P_PAYMENT: Final = "PAYMENT_DAYS"
P_PUBLICATION: Final = "DISCLOSURE_PENALTY_LICENCE_WDAYS"
P_WITHDRAWAL: Final = "DISCLOSURE_WITHDRAW_WDAYS"
P_DUE_SOON: Final = "CASE_DUE_SOON_DAYS"

# Once the case is past these states the notice stage (陈述申辩、听证申请) is over.
_NOTICE_STAGE: Final = frozenset(
    {Status.LEAD, Status.INVESTIGATING, Status.EXAMINING, Status.NOTIFIED}
)


class DeadlineState(StrEnum):
    MET = "met"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label_zh(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS: Final = {
    DeadlineState.MET: "已完成",
    DeadlineState.OVERDUE: "已逾期",
    DeadlineState.DUE_SOON: "即将到期",
    DeadlineState.OPEN: "未到期",
    DeadlineState.NOT_APPLICABLE: "不适用",
}


@dataclass(frozen=True)
class CaseDeadline:
    """One deadline of a case: when it falls due, why, and whether it was kept."""

    code: str
    label: str
    due: date
    computation: str  # the Chinese arithmetic (Deadline.text), checkable by a legal reviewer
    citation: str
    state: DeadlineState
    met_on: date | None = None
    note: str = ""
    # The party's period (听证申请): shown for information, never coloured as the agency's fault.
    informational: bool = False
    surcharge: Surcharge | None = None
    steps: tuple[str, ...] = ()

    @property
    def late(self) -> bool:
        """Done, but after the due date."""
        return self.met_on is not None and self.met_on > self.due

    @property
    def state_label(self) -> str:
        if self.state is DeadlineState.MET and self.late:
            return "逾期完成"
        return self.state.label_zh


# --- parameters and counting ----------------------------------------------------------------


@dataclass(frozen=True)
class _Period:
    n: int
    citation: str
    working_days: bool  # the parameter itself says 工作日 (118号 “N个工作日”, SAMR rules)
    warning: str = ""


def _period(params: ParameterSet, code: str, on: date) -> _Period:
    """A period parameter at ``on``; before its first version, that version with a warning.

    A case started before a parameter's first recorded version (an old case migrated into the
    platform) still gets a date, marked for a person to check, rather than a page that fails.
    """
    parameter = params.parameter(code)
    warning = ""
    try:
        version = parameter.version_on(on)
    except NotYetEffectiveError:
        version = parameter.versions[0]
        warning = (
            f"注意：参数“{parameter.description}”在{format_date_zh(on)}尚未录入有效版本，"
            f"按{format_date_zh(version.effective_from)}起施行的版本推算，请人工核对。"
        )
    value = version.value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"参数“{code}”的取值不是整数：{value!r}。")
    return _Period(
        n=value,
        citation=short_citation(parameter.reference),
        working_days=parameter.unit == WORKING_DAYS_UNIT,
        warning=warning,
    )


# Counted deadlines, remembered per process. The arithmetic with its Chinese explanation costs
# milliseconds, and a list page counts every deadline of every row (bench/cases_load.py found
# it the bulk of a list request at T1). A result depends only on the key: the calendar's exact
# content, the parameter set, the law, the period and the start day. Deadlines are immutable,
# so sharing them is safe; a changed calendar (a new holiday notice) is a new key.
_COUNTED: dict[tuple[Any, ...], Deadline] = {}
_COUNTED_LIMIT = 100_000
# The parameter sets keyed by id(): held here so that an id is never reused by another set.
_PARAMETER_SETS: dict[int, ParameterSet] = {}


def _calendar_key(calendar: WorkdayCalendar) -> object | None:
    """The calendar's content as a key, computed once per calendar; None: not cacheable."""
    if type(calendar) is not MappingCalendar:
        return None
    key = calendar.__dict__.get("_content_key")
    if key is None:
        key = (
            frozenset(calendar.overrides.items()),
            frozenset(calendar.labels.items()),
            calendar.schedule_years,
        )
        object.__setattr__(calendar, "_content_key", key)  # a frozen dataclass: memo only
    return key


def _count(
    period: _Period,
    start: date,
    calendar: WorkdayCalendar,
    params: ParameterSet,
    *,
    extra_days: int = 0,
    law: str | None = PENALTY_LAW,
) -> Deadline:
    """Count ``period`` (+ ``extra_days``) from ``start`` under ``law``'s day-counting rule.

    ``law=None`` counts plain working days (a document that says “N个工作日” itself).
    """
    calendar_key = _calendar_key(calendar)
    if calendar_key is None:
        return _count_now(period, start, calendar, params, extra_days=extra_days, law=law)
    _PARAMETER_SETS.setdefault(id(params), params)
    key = (calendar_key, id(params), period, start, extra_days, law)
    found = _COUNTED.get(key)
    if found is None:
        if len(_COUNTED) >= _COUNTED_LIMIT:
            _COUNTED.clear()
        found = _COUNTED[key] = _count_now(
            period, start, calendar, params, extra_days=extra_days, law=law
        )
    return found


def _count_now(
    period: _Period,
    start: date,
    calendar: WorkdayCalendar,
    params: ParameterSet,
    *,
    extra_days: int,
    law: str | None,
) -> Deadline:
    n = period.n + extra_days
    if law is None:
        deadline = add_working_days(start, n, calendar, citation=period.citation)
    else:
        try:
            deadline = deadline_for(law, n, start, calendar, params)
        except NotYetEffectiveError as exc:
            # The day-counting rules are recorded from their current versions (民事诉讼法 2023修正
            # from 2024-01-01). An earlier start is counted with the current rule and flagged.
            if period.working_days:
                deadline = add_working_days(start, n, calendar, citation=period.citation)
            else:
                deadline = add_period(
                    start,
                    n,
                    "days",
                    calendar,
                    citation=f"{period.citation}；{CIVIL_PROCEDURE_CITATION}",
                )
            deadline = replace(deadline, text=f"{deadline.text}注意：{exc}已按现行期间规则推算。")
    if period.warning:
        deadline = replace(deadline, text=deadline.text + period.warning)
    return deadline


def latest_notice_day(event: date, n: int, calendar: WorkdayCalendar) -> date:
    """The last day on which notice of ``event`` is still ``n`` working days before it.

    行政处罚法 第六十四条第二项 “在举行听证的七日前通知” with 第八十五条 (working days): notice on
    day N is in time when the n-th working day after N (N itself not counted) is no later than
    the hearing, i.e. when (N, event] holds at least n working days. Our reading: the hearing day
    may be the n-th day (“七日前” = at least seven days earlier); the article does not say more.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    counted = 0
    day = event
    rest_run = 0
    while True:
        if calendar.is_workday(day):
            counted += 1
            rest_run = 0
            if counted == n:
                return day - timedelta(days=1)
        else:
            rest_run += 1
            if rest_run > MAX_CONSECUTIVE_REST_DAYS:
                raise ValueError(f"{format_date_zh(day)}之前连续多日不是工作日，请检查节假日设置。")
        day -= timedelta(days=1)


def _state(
    due: date, met_on: date | None, today: date, soon_days: int, *, done: bool = False
) -> DeadlineState:
    if met_on is not None or done:
        return DeadlineState.MET
    if today > due:
        return DeadlineState.OVERDUE
    if (due - today).days <= soon_days:
        return DeadlineState.DUE_SOON
    return DeadlineState.OPEN


def _zh(d: date) -> str:
    return format_date_zh(d)


# --- the case's related rows ----------------------------------------------------------------


class _Unset:
    """Marks a keyword argument that was not passed (``None`` means “no hearing”)."""


_UNSET: Final = _Unset()


def _hearing_of(case: PenaltyCase) -> Hearing | None:
    try:
        return case.hearing
    except ObjectDoesNotExist:
        return None


# --- the deadlines --------------------------------------------------------------------------


def case_deadlines(
    case: PenaltyCase,
    *,
    today: date,
    calendar: WorkdayCalendar,
    params: ParameterSet | None = None,
    holds: Sequence[EvidenceHold] | None = None,
    hearing: Hearing | None | _Unset = _UNSET,
    extensions: Sequence[Extension] | None = None,
    remedies: Sequence[RemedyPeriod] | None = None,
    disclosures: Sequence[Disclosure] | None = None,
) -> list[CaseDeadline]:
    """Every deadline of ``case`` that has started, in the order of the procedure.

    The related rows are read from the case unless passed in (pass them for an unsaved case,
    or to reuse rows already loaded). Nothing is written.
    """
    params = params or default_parameters()
    if holds is None:
        holds = list(case.holds.all())
    if isinstance(hearing, _Unset):
        hearing = _hearing_of(case)
    if extensions is None:
        extensions = list(case.extensions.all())
    if remedies is None:
        remedies = list(case.remedies.all())
    if disclosures is None:
        disclosures = list(case.disclosures.all())
    soon = _period(params, P_DUE_SOON, today).n

    builder = _Builder(case, today=today, calendar=calendar, params=params, soon=soon)
    result: list[CaseDeadline] = []
    result.extend(builder.decision(extensions))
    result.extend(builder.holds(holds))
    result.extend(builder.hearing_request(hearing))
    result.extend(builder.hearing_notice(hearing))
    result.extend(builder.service())
    result.extend(builder.payment(remedies))
    published = sorted(d.on for d in disclosures if d.action == DisclosureAction.PUBLISH)
    withdrawn = sorted(d.on for d in disclosures if d.action == DisclosureAction.WITHDRAW)
    result.extend(builder.publication(published))
    result.extend(builder.withdrawal(published, withdrawn))
    return result


class _Builder:
    """One method per deadline; each returns zero or one (holds: several) CaseDeadline."""

    def __init__(
        self,
        case: PenaltyCase,
        *,
        today: date,
        calendar: WorkdayCalendar,
        params: ParameterSet,
        soon: int,
    ) -> None:
        self.case = case
        self.today = today
        self.calendar = calendar
        self.params = params
        self.soon = soon

    def _make(
        self,
        *,
        code: str,
        label: str,
        deadline: Deadline,
        citation: str,
        met_on: date | None,
        computation: str | None = None,
        note: str = "",
        state: DeadlineState | None = None,
        informational: bool = False,
        surcharge: Surcharge | None = None,
    ) -> CaseDeadline:
        return CaseDeadline(
            code=code,
            label=label,
            due=deadline.due,
            computation=deadline.text if computation is None else computation,
            citation=citation,
            state=state or _state(deadline.due, met_on, self.today, self.soon),
            met_on=met_on,
            note=note,
            informational=informational,
            surcharge=surcharge,
            steps=deadline.steps,
        )

    # 作出决定 (行政处罚法 第六十条; 治安管理处罚法 第九十九条) ---------------------------------

    def decision(self, extensions: Sequence[Extension]) -> list[CaseDeadline]:
        case = self.case
        if case.registered_on is None:
            return []
        code = P_POLICE_DECISION if case.public_security else P_DECISION
        period = _period(self.params, code, case.registered_on)
        extra = case.extension_days
        deadline = _count(period, case.registered_on, self.calendar, self.params, extra_days=extra)
        computation = deadline.text
        if extra:
            approvals = "、".join(
                f"{_zh(e.on)}批准延长{e.days}日" for e in sorted(extensions, key=lambda e: e.on)
            )
            computation = (
                f"立案之日起{period.n}日，经批准延长{extra}日"
                f"{f'（{approvals}）' if approvals else ''}，合计{period.n + extra}日。"
                + computation
            )
        if case.public_security:
            computation = f"治安案件办案期限（{period.citation}）。" + computation
        met_on = case.decided_on or case.ended_on
        return [
            self._make(
                code="decision",
                label="作出处理决定",
                deadline=deadline,
                citation=period.citation,
                met_on=met_on,
                computation=computation,
            )
        ]

    # 先行登记保存 (第五十六条) ---------------------------------------------------------------

    def holds(self, holds: Sequence[EvidenceHold]) -> list[CaseDeadline]:
        result: list[CaseDeadline] = []
        for index, hold in enumerate(sorted(holds, key=lambda h: (h.held_on, h.pk or 0)), 1):
            period = _period(self.params, P_HOLD, hold.held_on)
            deadline = _count(period, hold.held_on, self.calendar, self.params)
            what = hold.description.strip()
            short = what if len(what) <= 20 else what[:20] + "…"
            result.append(
                self._make(
                    code=f"evidence_hold:{hold.pk or index}",
                    label=f"先行登记保存处理决定（{short}）" if short else "先行登记保存处理决定",
                    deadline=deadline,
                    citation=period.citation,
                    met_on=hold.handled_on,
                )
            )
        return result

    # 听证 (第六十四条) ---------------------------------------------------------------------

    def hearing_request(self, hearing: Hearing | None) -> list[CaseDeadline]:
        case = self.case
        if not case.hearing_right or case.noticed_on is None:
            return []
        period = _period(self.params, P_HEARING_REQUEST, case.noticed_on)
        deadline = _count(period, case.noticed_on, self.calendar, self.params)
        met_on = hearing.requested_on if hearing is not None else None
        stage_over = Status(case.status) not in _NOTICE_STAGE if case.status else False
        note = "当事人的期限，仅作提示。"
        if met_on is None and self.today > deadline.due:
            note += "期限已届满，当事人未要求听证。"
        if met_on is None and case.decided_on is not None and case.decided_on <= deadline.due:
            # 第六十四条第一项: the party may still ask for a hearing until the period ends.
            note += f"注意：决定作出时（{_zh(case.decided_on)}）听证申请期限尚未届满。"
        done = met_on is not None or stage_over or self.today > deadline.due
        return [
            self._make(
                code="hearing_request",
                label="当事人要求听证",
                deadline=deadline,
                citation=period.citation,
                met_on=met_on,
                note=note,
                state=_state(deadline.due, met_on, self.today, self.soon, done=done),
                informational=True,
            )
        ]

    def hearing_notice(self, hearing: Hearing | None) -> list[CaseDeadline]:
        if hearing is None or hearing.scheduled_on is None:
            return []
        held_on = hearing.scheduled_on
        period = _period(self.params, P_HEARING_NOTICE, held_on)
        latest = latest_notice_day(held_on, period.n, self.calendar)
        check = _count(period, latest, self.calendar, self.params)
        computation = (
            f"听证定于{_zh(held_on)}举行，应在举行听证的{period.n}日（工作日）前通知当事人及"
            f"有关人员，最晚通知日为{_zh(latest)}。验算：{check.text}"
        )
        met_on = hearing.notified_on
        note = ""
        if met_on is not None and met_on > latest:
            note = f"通知日期{_zh(met_on)}晚于最晚通知日，应当重新确定听证日期。"
        deadline = replace(check, due=latest, nominal_end=latest)
        return [
            self._make(
                code="hearing_notice",
                label="通知听证时间、地点",
                deadline=deadline,
                citation=period.citation,
                met_on=met_on,
                computation=computation,
                note=note,
            )
        ]

    # 送达 (第六十一条) ---------------------------------------------------------------------

    def service(self) -> list[CaseDeadline]:
        case = self.case
        if case.decided_on is None:
            return []
        period = _period(self.params, P_SERVICE, case.decided_on)
        deadline = _count(period, case.decided_on, self.calendar, self.params)
        return [
            self._make(
                code="service",
                label="送达决定书",
                deadline=deadline,
                citation=period.citation,
                met_on=case.served_on,
            )
        ]

    # 缴纳罚款 (第六十七条) and 加处罚款 (第七十二条、第七十三条) ------------------------------

    def payment(self, remedies: Sequence[RemedyPeriod]) -> list[CaseDeadline]:
        case = self.case
        fine = case.fine
        if fine is None or fine <= 0 or case.served_on is None:
            return []
        period = _period(self.params, P_PAYMENT, case.served_on)
        deadline = _count(period, case.served_on, self.calendar, self.params)
        paid_on = case.paid_on
        revoked = case.decision_revoked_on
        if paid_on is None and revoked is not None:
            return [
                self._make(
                    code="payment",
                    label="缴纳罚款",
                    deadline=deadline,
                    citation=period.citation,
                    met_on=None,
                    note=f"处罚决定已于{_zh(revoked)}被撤销或者变更，原缴纳期限不再适用。",
                    state=DeadlineState.NOT_APPLICABLE,
                )
            ]
        until = paid_on if paid_on is not None else self.today
        surcharge: Surcharge | None = None
        note = ""
        if until > deadline.due:
            pauses = [
                Pause(r.started_on, r.ended_on, RemedyKind(r.kind).label)
                for r in sorted(remedies, key=lambda r: r.started_on)
            ]
            surcharge = late_surcharge(
                fine=fine,
                payment_due=deadline.due,
                until=until,
                pauses=pauses,
                params=self.params,
            )
            when = "缴纳之日" if paid_on is not None else "今日"
            note = f"加处罚款（计至{when}）：{surcharge.text}"
        return [
            self._make(
                code="payment",
                label="缴纳罚款",
                deadline=deadline,
                citation=period.citation,
                met_on=paid_on,
                note=note,
                surcharge=surcharge,
            )
        ]

    # 公示 (国办发〔2018〕118号 二（六）) and 撤回 (第四十八条) ---------------------------------

    def publication(self, published: Sequence[date]) -> list[CaseDeadline]:
        case = self.case
        if case.decided_on is None or case.outcome != Outcome.PENALTY:
            return []
        period = _period(self.params, P_PUBLICATION, case.decided_on)
        # 118号 says “7个工作日” itself: plain working days, whatever the penalty law's rule.
        deadline = _count(period, case.decided_on, self.calendar, self.params, law=None)
        met_on = published[0] if published else None
        if met_on is None and case.decision_revoked_on is not None:
            return [
                self._make(
                    code="publication",
                    label="公开行政处罚决定",
                    deadline=deadline,
                    citation=period.citation,
                    met_on=None,
                    note=f"处罚决定已于{_zh(case.decision_revoked_on)}被撤销或者变更，不再公开。",
                    state=DeadlineState.NOT_APPLICABLE,
                )
            ]
        return [
            self._make(
                code="publication",
                label="公开行政处罚决定",
                deadline=deadline,
                citation=period.citation,
                met_on=met_on,
            )
        ]

    def withdrawal(
        self, published: Sequence[date], withdrawn: Sequence[date]
    ) -> list[CaseDeadline]:
        revoked = self.case.decision_revoked_on
        # 第四十八条第二款 applies to a *published* decision only.
        if revoked is None or not published:
            return []
        period = _period(self.params, P_WITHDRAWAL, revoked)
        deadline = _count(period, revoked, self.calendar, self.params)
        met_on = next((d for d in withdrawn if d >= published[0]), None)
        return [
            self._make(
                code="withdrawal",
                label="撤回公开的处罚决定信息并说明理由",
                deadline=deadline,
                citation=period.citation,
                met_on=met_on,
            )
        ]
