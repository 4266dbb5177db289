"""Statutory deadline arithmetic that shows its working.

Every function returns a :class:`Deadline` carrying the due date *and* the arithmetic in
Chinese (``steps`` and ``text``), so a legal reviewer can check a date without reading code.

Counting rules (LEGAL-RULES §0):

* Working-day periods (行政处罚法 第八十五条, 行政复议法 第八十八条, 行政强制法 第六十九条):
  the day the period starts does not count; the due date is the n-th working day after it;
  holidays and rest days are skipped, make-up working days (调休上班日) count.
* Other periods (民事诉讼法 第八十五条): the start day does not count; a period ending on a
  statutory rest day (法定休假日) ends on the first working day after it.

Which rule a given law and day count uses is data, read from
``parameters/day_counting.yaml`` by :func:`deadline_for`.

This module is pure Python: it must never import Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, get_args

from fazhi.rules.calendar import (
    MAKEUP_WORKDAY,
    WEEKDAY_NAMES,
    ScheduleAwareCalendar,
    WorkdayCalendar,
    describe_day,
    is_weekend,
)
from fazhi.rules.parameters import ParameterSet, ParamValue, format_date_zh

__all__ = [
    "CIVIL_PROCEDURE_CITATION",
    "DAY_COUNTING_AREA",
    "MAX_CONSECUTIVE_REST_DAYS",
    "MONTH_END_CITATION",
    "Deadline",
    "DeadlineError",
    "DeadlineUnit",
    "PeriodUnit",
    "add_period",
    "add_working_days",
    "deadline_for",
    "short_citation",
]

PeriodUnit = Literal["days", "months", "years"]
DeadlineUnit = Literal["working_days", "days", "months", "years"]

DAY_COUNTING_AREA = "day_counting"

# Defaults for callers of add_period() that do not go through deadline_for(); deadline_for()
# always takes the citation from day_counting.yaml instead.
CIVIL_PROCEDURE_CITATION = "《中华人民共和国民事诉讼法》第八十五条"
MONTH_END_CITATION = "《中华人民共和国民法典》第二百零二条"

# A real calendar never has more than about ten consecutive rest days (春节 with weekends).
# A longer run means the holiday table is wrong; stop instead of looping for ever.
MAX_CONSECUTIVE_REST_DAYS = 60

_UNIT_ZH: Mapping[DeadlineUnit, str] = {
    "working_days": "个工作日",
    "days": "日",
    "months": "个月",
    "years": "年",
}
_HOLIDAY_SUFFIX = "假期"


class DeadlineError(ValueError):
    """Invalid input or an impossible computation; the message is in Chinese."""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed due date with its legal basis and human-readable arithmetic."""

    start: date
    due: date
    n: int
    unit: DeadlineUnit
    citation: str
    steps: tuple[str, ...]
    text: str
    # The last day of the period before any move to a working day (== due for working days).
    nominal_end: date
    warnings: tuple[str, ...] = ()

    @property
    def moved(self) -> bool:
        """True if the period ended on a rest day and was moved forward."""
        return self.due != self.nominal_end


# --- formatting helpers --------------------------------------------------------------------


def short_citation(reference: str) -> str:
    """Drop the revision marker: ``《…行政处罚法》(2021修订) 第八十五条`` -> ``《…》第八十五条``."""
    without_revision = re.sub(r"\s*[（(][^（）()]*\d{4}[^（）()]*[）)]\s*", "", reference)
    return without_revision.strip()


def _md(d: date, ref_year: int) -> str:
    """Month and day, with the year only when it differs from the start date's year."""
    return f"{d.month}月{d.day}日" if d.year == ref_year else format_date_zh(d)


def _span(first: date, last: date, ref_year: int) -> str:
    if first == last:
        return _md(first, ref_year)
    return f"{_md(first, ref_year)}至{_md(last, ref_year)}"


def _full(d: date) -> str:
    return format_date_zh(d)


def _is_holiday(description: str) -> bool:
    return description.endswith(_HOLIDAY_SUFFIX)


def _holiday_names(descriptions: Sequence[str]) -> str:
    """``["国庆节假期", "中秋节假期", "国庆节假期"]`` -> ``国庆节、中秋节假期``."""
    names: list[str] = []
    for description in descriptions:
        name = description.removesuffix(_HOLIDAY_SUFFIX)
        if name not in names:
            names.append(name)
    return "、".join(names) + _HOLIDAY_SUFFIX


def _unique(items: Sequence[str]) -> str:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return "、".join(seen)


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        # 民事诉讼法 第八十五条: the start day is not counted, so a period of 0 has no last
        # day. Refuse rather than return the start date, which would look like a real answer.
        raise DeadlineError(
            f"期间必须是正整数（至少为1），收到{n!r}：期间开始之日不计入，零日期间没有届满日。"
        )


def _coverage_warnings(calendar: WorkdayCalendar, first: date, last: date) -> tuple[str, ...]:
    if not isinstance(calendar, ScheduleAwareCalendar):
        return ()
    return tuple(
        f"注意：{year}年的节假日安排尚未录入日历，该年按周一至周五为工作日推算，请人工核对。"
        for year in range(first.year, last.year + 1)
        if not calendar.has_schedule_for(year)
    )


def _next_day(d: date) -> date:
    try:
        return d + timedelta(days=1)
    except OverflowError:
        raise DeadlineError(f"{_full(d)}之后的日期超出可计算的日期范围。") from None


def _first_workday_after(d: date, calendar: WorkdayCalendar) -> date:
    current = d
    for _ in range(MAX_CONSECUTIVE_REST_DAYS):
        current = _next_day(current)
        if calendar.is_workday(current):
            return current
    raise DeadlineError(
        f"{_full(d)}之后连续{MAX_CONSECUTIVE_REST_DAYS}日均不是工作日，请检查节假日设置。"
    )


def _with_basis(text: str, citation: str, warnings: tuple[str, ...]) -> str:
    if citation:
        text += f"依据：{citation}。"
    return text + "".join(warnings)


# --- working days --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of consecutive days of one kind: work / makeup / holiday / rest."""

    kind: Literal["work", "makeup", "holiday", "rest"]
    days: tuple[date, ...]
    descriptions: tuple[str, ...]
    counts: tuple[int, ...]  # the ordinal of each day in the period (0 for days not counted)


def _segments(start: date, n: int, calendar: WorkdayCalendar) -> tuple[list[_Segment], date]:
    segments: list[_Segment] = []
    current = start
    counted = 0
    rest_run = 0
    while counted < n:
        current = _next_day(current)
        description = describe_day(calendar, current)
        if calendar.is_workday(current):
            counted += 1
            rest_run = 0
            kind: Literal["work", "makeup", "holiday", "rest"] = (
                "makeup" if description == MAKEUP_WORKDAY or is_weekend(current) else "work"
            )
            count = counted
        else:
            rest_run += 1
            if rest_run > MAX_CONSECUTIVE_REST_DAYS:
                raise DeadlineError(
                    f"{_full(start)}之后连续{MAX_CONSECUTIVE_REST_DAYS}日以上不是工作日，"
                    "请检查节假日设置。"
                )
            kind = "holiday" if _is_holiday(description) else "rest"
            count = 0
        last = segments[-1] if segments else None
        # Make-up days stay on their own so each one is named in the explanation.
        if last is not None and last.kind == kind and kind != "makeup":
            segments[-1] = _Segment(
                kind,
                (*last.days, current),
                (*last.descriptions, description),
                (*last.counts, count),
            )
        else:
            segments.append(_Segment(kind, (current,), (description,), (count,)))
    return segments, current


def _working_steps(segments: Sequence[_Segment], ref_year: int) -> list[str]:
    steps: list[str] = []
    for seg in segments:
        span = _span(seg.days[0], seg.days[-1], ref_year)
        if seg.kind == "work":
            first, last = seg.counts[0], seg.counts[-1]
            counted = f"第{first}日" if first == last else f"第{first}日至第{last}日"
            steps.append(f"{span}：工作日，计{counted}。")
        elif seg.kind == "makeup":
            weekday = WEEKDAY_NAMES[seg.days[0].weekday()]
            steps.append(f"{span}：{seg.descriptions[0]}（{weekday}），计第{seg.counts[0]}日。")
        elif seg.kind == "holiday":
            steps.append(f"{span}：{_holiday_names(seg.descriptions)}，不计（{len(seg.days)}天）。")
        else:
            steps.append(f"{span}：{_unique(seg.descriptions)}，不计（{len(seg.days)}天）。")
    return steps


def _working_text_body(segments: Sequence[_Segment], n: int, ref_year: int) -> str:
    """The compact sequence for ``text``: holidays and make-up days named, the rest elided.

    Shown: the first and last counted day, every make-up day, the counted days next to a
    holiday, and every holiday block. Ordinary weekends are summarised separately.
    """
    markers = {1, n}
    for index, seg in enumerate(segments):
        if seg.kind == "makeup":
            markers.add(seg.counts[0])
        elif seg.kind == "holiday":
            before = [c for s in segments[:index] for c in s.counts if c]
            after = [c for s in segments[index + 1 :] for c in s.counts if c]
            if before:
                markers.add(before[-1])
            if after:
                markers.add(after[0])

    tokens: list[tuple[str, int, str]] = []  # (kind, count, text)
    for seg in segments:
        if seg.kind == "holiday":
            span = _span(seg.days[0], seg.days[-1], ref_year)
            tokens.append(("holiday", 0, f"{span}{_holiday_names(seg.descriptions)}不计"))
        elif seg.kind in ("work", "makeup"):
            for day, count in zip(seg.days, seg.counts, strict=True):
                if count in markers:
                    label = f"{MAKEUP_WORKDAY}，" if seg.kind == "makeup" else ""
                    tokens.append(("day", count, f"{_md(day, ref_year)}（{label}第{count}日）"))

    body = ""
    previous: tuple[str, int, str] | None = None
    for token in tokens:
        if previous is not None:
            if token[0] == "day" and previous[0] == "day":
                body += "、" if token[1] == previous[1] + 1 else "……"
            else:
                body += "；"
        body += token[2]
        previous = token
    return body


def add_working_days(
    start: date, n: int, calendar: WorkdayCalendar, *, citation: str = ""
) -> Deadline:
    """The n-th working day after ``start`` (``start`` itself never counts).

    Used for the periods that a law declares to be working days, e.g. 行政处罚法 第八十五条
    (“二日”“三日”“五日”“七日”), 行政复议法 第八十八条, 行政强制法 第六十九条, and for deadlines
    written as “N个工作日” in policy documents (国办发〔2018〕118号).
    """
    _check_n(n)
    segments, due = _segments(start, n, calendar)
    ref_year = start.year
    warnings = _coverage_warnings(calendar, start + timedelta(days=1), due)

    steps = [
        f"起算：{_full(start)}（{WEEKDAY_NAMES[start.weekday()]}）为期间开始之日，不计入；"
        f"自次日起计算{n}个工作日。",
        *_working_steps(segments, ref_year),
        f"届满日：{_full(due)}（第{n}个工作日）。",
        *warnings,
    ]

    rest_days = [d for s in segments if s.kind == "rest" for d in s.days]
    summary = ""
    if rest_days:
        kind = "周末休息日" if all(is_weekend(d) for d in rest_days) else "休息日"
        summary = f"其间{kind}{len(rest_days)}天不计。"
    text = (
        f"自{_full(start)}（不计入）起算{n}个工作日："
        f"{_working_text_body(segments, n, ref_year)}。{summary}届满日：{_full(due)}。"
    )
    return Deadline(
        start=start,
        due=due,
        n=n,
        unit="working_days",
        citation=citation,
        steps=tuple(steps),
        text=_with_basis(text, citation, warnings),
        nominal_end=due,
        warnings=warnings,
    )


# --- calendar periods (民事诉讼法 第八十五条) -------------------------------------------------


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _add_months(start: date, months: int) -> tuple[date, bool]:
    """Same day ``months`` later; clamped to the month end when that day does not exist.

    Returns the date and whether it was clamped. 民法典 第二百零二条: 按照年、月计算期间的，
    到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = _days_in_month(year, month0 + 1)
    return date(year, month0 + 1, min(start.day, last_day)), start.day > last_day


def add_period(
    start: date,
    n: int,
    unit: PeriodUnit,
    calendar: WorkdayCalendar,
    *,
    citation: str = CIVIL_PROCEDURE_CITATION,
    month_end_citation: str = MONTH_END_CITATION,
    rule_citation: str | None = None,
) -> Deadline:
    """A period of n days, months or years under 民事诉讼法 第八十五条.

    期间开始的时和日，不计算在期间内。期间届满的最后一日是法定休假日的，以法定休假日后的第一日为
    期间届满的日期。

    "法定休假日" is read as every day that is not a working day in ``calendar``: statutory
    holidays and weekend rest days, but not 调休上班日. This is the courts' settled practice
    but not the wording of the article itself (UNVERIFIED as a legal reading; see DAY-4).

    ``citation`` is the full basis shown in the result; ``rule_citation`` (default: the same)
    is the article that sets the counting rule itself, cited in the first step.
    """
    _check_n(n)
    if unit not in get_args(PeriodUnit):
        raise DeadlineError(f"期间单位必须是 days / months / years 之一，收到{unit!r}。")
    ref_year = start.year
    try:
        if unit == "days":
            nominal_end, clamped = start + timedelta(days=n), False
        else:
            nominal_end, clamped = _add_months(start, n if unit == "months" else 12 * n)
    except (OverflowError, ValueError):
        raise DeadlineError(f"期间{n}{_UNIT_ZH[unit]}超出可计算的日期范围。") from None

    end_description = describe_day(calendar, nominal_end)
    moved = not calendar.is_workday(nominal_end)
    due = _first_workday_after(nominal_end, calendar) if moved else nominal_end
    warnings = _coverage_warnings(calendar, start + timedelta(days=1), due)

    rule_basis = citation if rule_citation is None else rule_citation
    steps = [f"起算：{_full(start)}为期间开始之日，不计入期间，自次日起算（{rule_basis}）。"]
    if unit == "days":
        end_phrase = f"第{n}日为{_full(nominal_end)}（{end_description}）"
        steps.append(f"{_full(start)}后第{n}日为{_full(nominal_end)}（{end_description}）。")
    else:
        end_phrase = f"期间最后一日为{_full(nominal_end)}（{end_description}）"
        if clamped:
            steps.append(
                f"{n}{_UNIT_ZH[unit]}后的{nominal_end.year}年{nominal_end.month}月没有"
                f"{start.day}日，以该月最后一日{_full(nominal_end)}为期间最后一日"
                f"{f'（{month_end_citation}）' if month_end_citation else ''}。"
            )
            end_phrase = (
                f"到期月无对应日，以月末{_full(nominal_end)}（{end_description}）为期间最后一日"
            )
        else:
            steps.append(f"到期月的对应日{_full(nominal_end)}（{end_description}）为期间最后一日。")

    text = f"自{_full(start)}（不计入）起算{n}{_UNIT_ZH[unit]}，{end_phrase}"
    if moved:
        skipped_last = due - timedelta(days=1)
        skipped = [
            describe_day(calendar, nominal_end + timedelta(days=i))
            for i in range((skipped_last - nominal_end).days + 1)
        ]
        holidays = [s for s in skipped if _is_holiday(s)]
        what = _holiday_names(holidays) if holidays else _unique(skipped)
        steps.append(
            f"{_span(nominal_end, skipped_last, ref_year)}为{what}，不是工作日；"
            f"顺延至其后第一个工作日{_full(due)}。"
        )
        after = "假期" if holidays else "休息日"
        text += f"，顺延至{after}后第一个工作日{_full(due)}。"
    else:
        text += "，无需顺延。"
    steps.append(f"届满日：{_full(due)}。")
    steps.extend(warnings)
    text += f"届满日：{_full(due)}。"

    full_citation = citation
    if clamped and month_end_citation and month_end_citation not in citation:
        full_citation = f"{citation}；{month_end_citation}" if citation else month_end_citation
    return Deadline(
        start=start,
        due=due,
        n=n,
        unit=unit,
        citation=full_citation,
        steps=tuple(steps),
        text=_with_basis(text, full_citation, warnings),
        nominal_end=nominal_end,
        warnings=warnings,
    )


# --- choosing the rule from day_counting.yaml ---------------------------------------------


@dataclass(frozen=True, slots=True)
class _CountingRule:
    citation: str
    working_days: frozenset[int]
    working_days_up_to: int
    other_periods: str
    other_periods_basis: str
    month_end_rule: str | None


def _int_list(value: ParamValue | None, where: str) -> frozenset[int]:
    if value is None:
        return frozenset()
    if not isinstance(value, tuple) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise DeadlineError(f"{where}：working_days 必须是整数列表。")
    return frozenset(v for v in value if isinstance(v, int))


def _counting_rule(params: ParameterSet, law: str, on: date) -> _CountingRule:
    parameter = params.parameter(law)
    if parameter.area != DAY_COUNTING_AREA:
        raise DeadlineError(f"“{law}”不是期间计算规则（应定义在 {DAY_COUNTING_AREA}.yaml 中）。")
    resolved = params.get(law, on)
    value = resolved.value
    where = f"期间计算规则“{law}”"
    if not isinstance(value, Mapping) or "other_periods" not in value:
        raise DeadlineError(f"{where}的取值必须是含 other_periods 的映射。")
    up_to = value.get("working_days_up_to", 0)
    other = value.get("other_periods")
    basis = value.get("other_periods_basis", "")
    month_end = value.get("month_end_rule")
    if isinstance(up_to, bool) or not isinstance(up_to, int):
        raise DeadlineError(f"{where}：working_days_up_to 必须是整数。")
    if not isinstance(other, str) or not isinstance(basis, str):
        raise DeadlineError(f"{where}：other_periods / other_periods_basis 必须是文本。")
    if month_end is not None and not isinstance(month_end, str):
        raise DeadlineError(f"{where}：month_end_rule 必须是参数代码。")
    return _CountingRule(
        citation=short_citation(resolved.reference),
        working_days=_int_list(value.get("working_days"), where),
        working_days_up_to=up_to,
        other_periods=other,
        other_periods_basis=basis,
        month_end_rule=month_end,
    )


def _describe_working_counts(rule: _CountingRule) -> str:
    parts = [f"{d}日" for d in sorted(rule.working_days)]
    if rule.working_days_up_to:
        parts.append(f"{rule.working_days_up_to}日以内")
    return "、".join(parts) if parts else "无"


def deadline_for(
    law: str,
    n: int,
    start: date,
    calendar: WorkdayCalendar,
    params: ParameterSet,
    unit: PeriodUnit = "days",
) -> Deadline:
    """A deadline of ``n`` days/months/years set by ``law``, counted as that law requires.

    ``law`` is a code from ``day_counting.yaml`` (``administrative_penalty_law``,
    ``administrative_reconsideration_law``, ``administrative_coercion_law``,
    ``civil_procedure_law``). The rule in force on ``start`` decides whether ``n`` days are
    working days (e.g. 行政处罚法 五日) or calendar days handled under 民事诉讼法 第八十五条
    (e.g. 行政处罚法 十五日).
    """
    _check_n(n)
    if unit not in get_args(PeriodUnit):
        raise DeadlineError(f"期间单位必须是 days / months / years 之一，收到{unit!r}。")
    rule = _counting_rule(params, law, start)

    is_working = unit == "days" and (
        n in rule.working_days or (rule.working_days_up_to > 0 and n <= rule.working_days_up_to)
    )
    if is_working:
        deadline = add_working_days(start, n, calendar, citation=rule.citation)
        reason = (
            f"计算方法：{rule.citation}规定按工作日计算的期限为"
            f"{_describe_working_counts(rule)}，本期限{n}日按工作日计算，不含法定节假日。"
        )
        return replace(deadline, steps=(reason, *deadline.steps))

    period_rule = _counting_rule(params, rule.other_periods, start)
    month_end_citation = ""
    month_end_code = period_rule.month_end_rule or rule.month_end_rule
    if month_end_code is not None and unit != "days":
        month_end_citation = short_citation(params.get(month_end_code, start).reference)
    how = {"days": "按自然日计算", "months": "按公历月计算", "years": "按公历年计算"}[unit]
    if rule.other_periods == law:
        citation = rule.citation
        reason = f"计算方法：按{rule.citation}规定的期间规则计算。"
        prefix = ""
    else:
        citation = f"{rule.citation}；{period_rule.citation}"
        basis = f"（{rule.other_periods_basis}）" if rule.other_periods_basis else ""
        reason = (
            f"计算方法：{rule.citation}规定按工作日计算的期限为{_describe_working_counts(rule)}；"
            f"本期限{n}{_UNIT_ZH[unit]}不在其列，{how}，"
            f"适用{period_rule.citation}的期间规则{basis}。"
        )
        prefix = f"本期限{n}{_UNIT_ZH[unit]}不属于{rule.citation}规定的工作日期限，{how}。"
    deadline = add_period(
        start,
        n,
        unit,
        calendar,
        citation=citation,
        month_end_citation=month_end_citation,
        rule_citation=period_rule.citation,
    )
    return replace(deadline, steps=(reason, *deadline.steps), text=prefix + deadline.text)
