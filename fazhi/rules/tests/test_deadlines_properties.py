"""Properties of the deadline arithmetic, checked by Hypothesis.

On the real schedule (every year chinese_calendar knows) and on random calendars: the due
date of a working-day period is always a working day, strictly after the start, with exactly
n working days in (start, due]; a calendar period ends on the first working day on or after
its nominal last day.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.rules.calendar import MappingCalendar, official_calendar
from fazhi.rules.deadlines import PeriodUnit, add_period, add_working_days, deadline_for
from fazhi.rules.parameters import default_parameters

OFFICIAL = official_calendar()
PARAMS = default_parameters()

# Starts in 2024-2025; even 250 working days stay inside the packaged schedule (to 2026).
real_starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2025, 12, 31))
counts = st.integers(min_value=1, max_value=250)
units = st.sampled_from(["days", "months", "years"])


@st.composite
def random_calendars(draw: st.DrawFn) -> MappingCalendar:
    """Monday-Friday plus up to 40 random overrides in 2030 (rest days and make-up days)."""
    overrides = draw(
        st.dictionaries(
            st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 12, 31)),
            st.booleans(),
            max_size=40,
        )
    )
    return MappingCalendar(overrides)


random_starts = st.dates(min_value=date(2029, 12, 1), max_value=date(2030, 12, 31))


def _workdays_between(calendar: MappingCalendar, start: date, due: date) -> int:
    """Working days in (start, due]."""
    return sum(
        calendar.is_workday(start + timedelta(days=i)) for i in range(1, (due - start).days + 1)
    )


def _check_working_days(calendar: MappingCalendar, start: date, n: int) -> None:
    deadline = add_working_days(start, n, calendar)
    assert calendar.is_workday(deadline.due)
    assert deadline.due > start
    assert _workdays_between(calendar, start, deadline.due) == n
    assert deadline.nominal_end == deadline.due
    assert (
        f"届满日：{deadline.due.year}年{deadline.due.month}月{deadline.due.day}日" in deadline.text
    )


def _check_period(calendar: MappingCalendar, start: date, n: int, unit: PeriodUnit) -> None:
    deadline = add_period(start, n, unit, calendar)
    raw = deadline.nominal_end
    assert calendar.is_workday(deadline.due)
    assert deadline.due >= raw > start
    # the first working day on or after the raw date: nothing in between is a working day
    assert all(
        not calendar.is_workday(raw + timedelta(days=i)) for i in range((deadline.due - raw).days)
    )
    if unit == "days":
        assert raw == start + timedelta(days=n)
    else:
        months = n if unit == "months" else 12 * n
        assert (raw.year * 12 + raw.month) - (start.year * 12 + start.month) == months
        assert raw.day == start.day or (raw.day < start.day and (raw + timedelta(days=1)).day == 1)
    assert deadline.moved == (deadline.due != raw)


@given(real_starts, counts)
def test_working_days_on_the_real_schedule(start: date, n: int) -> None:
    _check_working_days(OFFICIAL, start, n)


@given(random_calendars(), random_starts, st.integers(min_value=1, max_value=60))
def test_working_days_on_random_calendars(calendar: MappingCalendar, start: date, n: int) -> None:
    _check_working_days(calendar, start, n)


@given(real_starts, st.integers(min_value=1, max_value=12), units)
def test_periods_on_the_real_schedule(start: date, n: int, unit: PeriodUnit) -> None:
    _check_period(OFFICIAL, start, n, unit)


@given(random_calendars(), random_starts, st.integers(min_value=1, max_value=90))
def test_day_periods_on_random_calendars(calendar: MappingCalendar, start: date, n: int) -> None:
    _check_period(calendar, start, n, "days")


@settings(max_examples=50)
@given(real_starts, st.sampled_from([2, 3, 5, 7, 15, 60, 90]))
def test_penalty_law_uses_working_days_only_for_2_3_5_7(start: date, n: int) -> None:
    deadline = deadline_for("administrative_penalty_law", n, start, OFFICIAL, PARAMS)
    assert deadline.unit == ("working_days" if n in (2, 3, 5, 7) else "days")
    assert OFFICIAL.is_workday(deadline.due)
    assert "《中华人民共和国行政处罚法》第八十五条" in deadline.citation
