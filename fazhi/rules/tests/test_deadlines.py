"""Deadline behaviour not covered by the table: errors, warnings and rule selection."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fazhi.rules.calendar import MappingCalendar, official_calendar
from fazhi.rules.deadlines import (
    MAX_CONSECUTIVE_REST_DAYS,
    DeadlineError,
    add_period,
    add_working_days,
    deadline_for,
)
from fazhi.rules.parameters import ParameterSet, UnknownParameterError


class WeekdaysOnly:
    def is_workday(self, d: date) -> bool:
        return d.weekday() < 5


@pytest.mark.parametrize("n", [0, -1, True])
def test_non_positive_or_non_integer_n_is_refused(n: int) -> None:
    with pytest.raises(DeadlineError, match="正整数"):
        add_working_days(date(2024, 10, 8), n, WeekdaysOnly())
    with pytest.raises(DeadlineError, match="正整数"):
        add_period(date(2024, 10, 8), n, "days", WeekdaysOnly())


def test_unknown_unit_is_refused(params: ParameterSet) -> None:
    with pytest.raises(DeadlineError, match="期间单位"):
        add_period(date(2024, 10, 8), 1, "weeks", WeekdaysOnly())  # type: ignore[arg-type]
    with pytest.raises(DeadlineError, match="期间单位"):
        deadline_for(
            "civil_procedure_law",
            1,
            date(2024, 10, 8),
            WeekdaysOnly(),
            params,
            "hours",  # type: ignore[arg-type]
        )


def test_law_must_be_a_day_counting_rule(params: ParameterSet) -> None:
    with pytest.raises(DeadlineError, match="不是期间计算规则"):
        deadline_for("PAYMENT_DAYS", 15, date(2024, 10, 8), WeekdaysOnly(), params)
    with pytest.raises(UnknownParameterError):
        deadline_for("no_such_law", 15, date(2024, 10, 8), WeekdaysOnly(), params)


def test_a_calendar_without_working_days_is_reported_not_looped() -> None:
    days = range(MAX_CONSECUTIVE_REST_DAYS + 10)
    never = MappingCalendar({date(2024, 1, 1) + timedelta(days=i): False for i in days})
    with pytest.raises(DeadlineError, match="请检查节假日设置"):
        add_working_days(date(2023, 12, 31), 1, never)
    with pytest.raises(DeadlineError, match="请检查节假日设置"):
        add_period(date(2023, 12, 31), 1, "days", never)


def test_a_deadline_past_the_last_representable_date_is_refused_in_chinese() -> None:
    # 9999-12-31 is a Friday: five working days from the 30th cannot be counted, and a
    # period ending on the last day, a rest day here, cannot be moved past it.
    with pytest.raises(DeadlineError, match="超出可计算的日期范围"):
        add_working_days(date(9999, 12, 30), 5, WeekdaysOnly())
    last_day_off = MappingCalendar({date(9999, 12, 31): False})
    with pytest.raises(DeadlineError, match="超出可计算的日期范围"):
        add_period(date(9999, 12, 30), 1, "days", last_day_off)


def test_missing_schedule_year_produces_a_warning() -> None:
    calendar = official_calendar([2025])
    deadline = add_working_days(date(2025, 12, 30), 5, calendar)
    assert deadline.warnings == (
        "注意：2026年的节假日安排尚未录入日历，该年按周一至周五为工作日推算，请人工核对。",
    )
    assert deadline.text.endswith(deadline.warnings[0])
    assert deadline.steps[-1] == deadline.warnings[0]


def test_plain_protocol_calendar_is_enough() -> None:
    deadline = add_working_days(date(2024, 10, 4), 1, WeekdaysOnly())  # Friday
    assert deadline.due == date(2024, 10, 7)
    assert "其间周末休息日2天不计" in deadline.text
    assert deadline.warnings == ()


def test_working_day_steps_show_every_run(official: MappingCalendar, params: ParameterSet) -> None:
    deadline = deadline_for("administrative_penalty_law", 5, date(2024, 9, 30), official, params)
    assert deadline.steps == (
        "计算方法：《中华人民共和国行政处罚法》第八十五条规定按工作日计算的期限为2日、3日、5日、7日，"
        "本期限5日按工作日计算，不含法定节假日。",
        "起算：2024年9月30日（周一）为期间开始之日，不计入；自次日起计算5个工作日。",
        "10月1日至10月7日：国庆节假期，不计（7天）。",
        "10月8日至10月11日：工作日，计第1日至第4日。",
        "10月12日：调休上班日（周六），计第5日。",
        "届满日：2024年10月12日（第5个工作日）。",
    )
    assert deadline.citation == "《中华人民共和国行政处罚法》第八十五条"


def test_period_steps_explain_the_move(official: MappingCalendar, params: ParameterSet) -> None:
    deadline = deadline_for("civil_procedure_law", 15, date(2025, 9, 20), official, params)
    assert deadline.nominal_end == date(2025, 10, 5)
    assert deadline.moved
    assert (
        "10月5日至10月8日为国庆节、中秋节假期，不是工作日；顺延至其后第一个工作日2025年10月9日。"
        in (deadline.steps)
    )


def test_coercion_law_counts_up_to_ten_days_as_working_days(
    official: MappingCalendar, params: ParameterSet
) -> None:
    start = date(2024, 9, 27)
    assert deadline_for("administrative_coercion_law", 10, start, official, params).unit == (
        "working_days"
    )
    assert deadline_for("administrative_coercion_law", 1, start, official, params).unit == (
        "working_days"
    )
    assert deadline_for("administrative_coercion_law", 11, start, official, params).unit == "days"
