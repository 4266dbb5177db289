"""The database calendar agrees with the pure rules, and an administrator's edit counts."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core import services
from fazhi.core.calendar import compute_deadline, database_calendar, year_grid
from fazhi.core.models import CalendarDay
from fazhi.rules.calendar import official_calendar
from fazhi.rules.deadlines import DeadlineError, add_working_days, deadline_for
from fazhi.rules.parameters import default_parameters

YEARS = (2024, 2025)


@pytest.fixture
def seeded(cast):
    for year in YEARS:
        services.seed_calendar_year(actor=cast.system_admin, year=year)
    return cast


def every_day(years):
    d = dt.date(min(years), 1, 1)
    while d.year <= max(years):
        yield d
        d += dt.timedelta(days=1)


def test_the_database_calendar_is_built_in_one_query(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = database_calendar()
    assert calendar.schedule_years == frozenset(YEARS)
    with django_assert_num_queries(1):
        only_2025 = database_calendar(years=[2025])
    assert only_2025.schedule_years == frozenset({2025})
    assert only_2025.is_workday(dt.date(2024, 10, 1))  # 2024 was not read: Monday–Friday


def test_after_seeding_every_day_matches_chinese_calendar(seeded):
    ours, official = database_calendar(), official_calendar(YEARS)
    for d in every_day(YEARS):
        assert ours.is_workday(d) == official.is_workday(d), d
        assert ours.describe(d) == official.describe(d), d


@pytest.mark.parametrize(
    ("law", "n", "unit"),
    [
        ("administrative_penalty_law", 5, "days"),
        ("administrative_penalty_law", 15, "days"),
        ("administrative_reconsideration_law", 10, "days"),
        ("administrative_coercion_law", 10, "days"),
        ("civil_procedure_law", 3, "months"),
        ("civil_procedure_law", 7, "days"),
    ],
)
def test_due_dates_match_the_pure_rules_with_chinese_calendar_data(seeded, law, n, unit):
    ours, official, params = database_calendar(), official_calendar(YEARS), default_parameters()
    start = dt.date(2024, 1, 1)
    while start < dt.date(2025, 10, 1):
        expected = deadline_for(law, n, start, official, params, unit)
        got = compute_deadline(start=start, n=n, unit=unit, law=law, calendar=ours)
        assert (got.due, got.text) == (expected.due, expected.text), start
        start += dt.timedelta(days=3)


def test_plain_working_days_match_too(seeded):
    ours, official = database_calendar(), official_calendar(YEARS)
    for start in every_day([2025]):
        got = compute_deadline(start=start, n=20, unit="working_days", calendar=ours, law="")
        assert got.due == add_working_days(start, 20, official).due, start


def test_compute_deadline_reads_the_database_by_default(seeded):
    deadline = compute_deadline(start=dt.date(2025, 9, 26), n=5, law="administrative_penalty_law")
    assert deadline.due == dt.date(2025, 10, 10)
    assert "国庆节、中秋节假期不计" in deadline.text


def test_an_administrators_edit_of_one_day_changes_a_deadline(seeded, login):
    start = dt.date(2025, 3, 3)  # a Monday; five working days end on Monday 10 March
    before = compute_deadline(start=start, n=5, law="administrative_penalty_law")
    assert before.due == dt.date(2025, 3, 10)

    response = login(seeded.system_admin).post(
        "/calendar/set/", {"date": "2025-03-05", "is_workday": "0", "note": "防汛停工"}
    )
    assert response.status_code == 302

    after = compute_deadline(start=start, n=5, law="administrative_penalty_law")
    assert after.due == dt.date(2025, 3, 11)
    assert "防汛停工假期" in after.text


def test_a_makeup_working_day_added_by_hand_shortens_a_deadline(seeded):
    start = dt.date(2025, 3, 7)  # a Friday: 5 working days end on Friday 14 March
    assert compute_deadline(start=start, n=5, law="administrative_penalty_law").due == dt.date(
        2025, 3, 14
    )
    services.set_calendar_day(
        actor=seeded.system_admin, date=dt.date(2025, 3, 8), is_workday=True, note="补班"
    )
    after = compute_deadline(start=start, n=5, law="administrative_penalty_law")
    assert after.due == dt.date(2025, 3, 13)
    assert "调休上班日" in after.text


def test_a_year_without_a_schedule_carries_a_warning(cast):
    services.set_calendar_day(
        actor=cast.system_admin, date=dt.date(2025, 10, 1), is_workday=False, note="国庆节"
    )
    deadline = compute_deadline(start=dt.date(2025, 12, 29), n=5, law="administrative_penalty_law")
    assert any("2026年的节假日安排尚未录入" in w for w in deadline.warnings)


def test_bad_input_gets_a_chinese_error():
    with pytest.raises(DeadlineError, match="正整数"):
        compute_deadline(
            start=dt.date(2025, 1, 1),
            n=0,
            law="administrative_penalty_law",
            calendar=official_calendar([2025]),
        )


def test_year_grid_counts_the_holidays_and_makeup_days(seeded):
    days = {d.date: (d.is_workday, d.note) for d in CalendarDay.objects.filter(date__year=2025)}
    months = year_grid(2025, days, today=dt.date(2025, 10, 1))
    assert len(months) == 12
    october = months[9]
    assert (october.holidays, october.makeups) == (8, 1)  # 1–8 October; Saturday 11 October
    cells = [c for week in october.weeks for c in week if c.date]
    assert len(cells) == 31
    first = cells[0]
    assert (first.kind, first.note, first.is_today) == ("holiday", "国庆节", True)
    assert cells[10].kind == "makeup"  # 11 October
    assert cells[3].kind == "holiday"  # 4 October, a Saturday inside the holiday
    assert cells[17].kind == "weekend"  # 18 October, an ordinary Saturday
    assert all(len(week) == 7 for week in october.weeks)
