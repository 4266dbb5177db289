"""Holiday calendars: Monday-Friday defaults, overrides and the chinese_calendar seed data."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]
import pytest

from fazhi.rules.calendar import (
    MappingCalendar,
    chinese_calendar_overrides,
    describe_day,
    holiday_label,
    known_years,
    official_calendar,
)


class WeekdaysOnly:
    """A minimal calendar that only implements the WorkdayCalendar protocol."""

    def is_workday(self, d: date) -> bool:
        return d.weekday() < 5


def test_default_is_monday_to_friday() -> None:
    calendar = MappingCalendar({})
    week = [date(2024, 3, 4) + timedelta(days=i) for i in range(7)]  # Monday .. Sunday
    assert [calendar.is_workday(d) for d in week] == [True] * 5 + [False] * 2


def test_overrides_win_over_the_weekday_rule() -> None:
    holiday, makeup = date(2024, 10, 1), date(2024, 10, 12)
    calendar = MappingCalendar({holiday: False, makeup: True})
    assert calendar.is_workday(holiday) is False
    assert calendar.is_workday(makeup) is True


def test_describe_names_the_status_in_chinese() -> None:
    calendar = MappingCalendar.from_entries(
        {
            date(2024, 10, 1): (False, "国庆节"),
            date(2024, 10, 5): (False, "国庆节"),  # a Saturday inside the holiday block
            date(2024, 10, 12): (True, "国庆节"),
            date(2024, 11, 4): (False, ""),  # a rest day without a name
        }
    )
    assert calendar.describe(date(2024, 10, 1)) == "国庆节假期"
    assert calendar.describe(date(2024, 10, 5)) == "国庆节假期"
    assert calendar.describe(date(2024, 10, 12)) == "调休上班日"
    assert calendar.describe(date(2024, 10, 19)) == "周六"
    assert calendar.describe(date(2024, 10, 20)) == "周日"
    assert calendar.describe(date(2024, 10, 21)) == "工作日"
    assert calendar.describe(date(2024, 11, 4)) == "休息日"


def test_holiday_label_does_not_double_the_suffix() -> None:
    assert holiday_label("春节") == "春节假期"
    assert holiday_label("春节假期") == "春节假期"


def test_describe_day_works_for_calendars_without_describe() -> None:
    calendar = WeekdaysOnly()
    assert describe_day(calendar, date(2024, 10, 19)) == "周六"
    assert describe_day(calendar, date(2024, 10, 21)) == "工作日"


def test_calendar_is_a_snapshot_of_its_input() -> None:
    source = {date(2024, 10, 1): False}
    calendar = MappingCalendar(source)
    source[date(2024, 10, 1)] = True
    assert calendar.is_workday(date(2024, 10, 1)) is False
    with pytest.raises(TypeError):
        calendar.overrides[date(2024, 10, 2)] = False  # type: ignore[index]


def test_known_years_cover_2024_and_2025() -> None:
    years = known_years()
    assert list(years) == sorted(years)
    assert {2024, 2025} <= set(years)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 4), (True, "春节")),
        (date(2024, 2, 10), (False, "春节")),
        (date(2024, 2, 18), (True, "春节")),
        (date(2024, 4, 28), (True, "劳动节")),
        (date(2024, 5, 11), (True, "劳动节")),
        (date(2024, 9, 15), (False, "中秋节")),
        (date(2024, 9, 29), (True, "国庆节")),
        (date(2024, 10, 7), (False, "国庆节")),
        (date(2024, 10, 12), (True, "国庆节")),
        (date(2025, 1, 26), (True, "春节")),
        (date(2025, 2, 4), (False, "春节")),
        (date(2025, 2, 8), (True, "春节")),
        (date(2025, 4, 4), (False, "清明节")),
        (date(2025, 5, 31), (False, "端午节")),
        (date(2025, 9, 28), (True, "国庆节")),
        (date(2025, 10, 6), (False, "中秋节")),
        (date(2025, 10, 8), (False, "国庆节")),
        (date(2025, 10, 11), (True, "国庆节")),
    ],
)
def test_chinese_calendar_overrides_use_official_chinese_names(
    day: date, expected: tuple[bool, str]
) -> None:
    assert chinese_calendar_overrides(day.year)[day] == expected


def test_overrides_only_contain_the_requested_year() -> None:
    assert {d.year for d in chinese_calendar_overrides(2025)} == {2025}


def test_unknown_year_is_refused_with_a_chinese_message() -> None:
    with pytest.raises(ValueError, match="没有1990年的节假日安排"):
        chinese_calendar_overrides(1990)


@pytest.mark.parametrize("year", [2024, 2025])
def test_official_calendar_agrees_with_chinese_calendar_every_day(year: int) -> None:
    calendar = official_calendar([year])
    day = date(year, 1, 1)
    while day.year == year:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_official_calendar_knows_its_years() -> None:
    calendar = official_calendar([2024, 2025])
    assert calendar.has_schedule_for(2025)
    assert not calendar.has_schedule_for(2027)
    assert MappingCalendar({}).has_schedule_for(2099)  # unknown coverage: no claim, no warning
