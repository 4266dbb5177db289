"""The working-day calendar from the database, for the pure deadline rules.

`fazhi.rules` may not import Django, so it cannot read the `CalendarDay` table itself; this
adapter turns the table into the rules' `MappingCalendar` (one query) and offers the month
grid the calendar page draws.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from fazhi.core.models import CalendarDay
from fazhi.rules.calendar import MappingCalendar, is_weekend
from fazhi.rules.deadlines import Deadline, add_working_days, deadline_for, short_citation
from fazhi.rules.parameters import ParameterSet, default_parameters

__all__ = [
    "DAY_COUNTING_LAWS",
    "DayCell",
    "MonthGrid",
    "compute_deadline",
    "database_calendar",
    "day_counting_laws",
    "year_grid",
]

# What the calendar page offers; the keys are the codes in rules/parameters/day_counting.yaml.
DAY_COUNTING_LAWS: dict[str, str] = {
    "administrative_penalty_law": "行政处罚法",
    "administrative_reconsideration_law": "行政复议法",
    "administrative_coercion_law": "行政强制法",
    "civil_procedure_law": "民事诉讼法（一般期间）",
}

Unit = Literal["working_days", "days", "months", "years"]


def _holiday_name(note: str) -> str:
    # Staff write notes like "国庆节放假"; the rules add "假期" themselves ("国庆节假期").
    return note.strip().removesuffix("放假").strip()


def database_calendar(years: Iterable[int] | None = None) -> MappingCalendar:
    """The rules' calendar built from the `CalendarDay` rows, in one query.

    A year with at least one row counts as having its official schedule loaded; for other
    years the rules fall back to Monday–Friday and add a warning to the deadline's text.
    With `years`, only those years are read (and only those can count as loaded).
    """
    rows = CalendarDay.objects.all()
    if years is not None:
        rows = rows.filter(date__year__in=list(years))
    entries: dict[dt.date, tuple[bool, str]] = {
        # The rules name only rest days ("国庆节假期"); a make-up day is just "调休上班日".
        date: (is_workday, "" if is_workday else _holiday_name(note))
        for date, is_workday, note in rows.values_list("date", "is_workday", "note")
    }
    return MappingCalendar.from_entries(entries, schedule_years={d.year for d in entries})


def day_counting_laws(params: ParameterSet | None = None) -> list[tuple[str, str]]:
    """(code, label) of the laws whose day-counting rule the calculator can apply."""
    params = params or default_parameters()
    return [(code, label) for code, label in DAY_COUNTING_LAWS.items() if code in params]


def compute_deadline(
    *,
    start: dt.date,
    n: int,
    unit: Unit = "days",
    law: str = "civil_procedure_law",
    calendar: MappingCalendar | None = None,
    params: ParameterSet | None = None,
) -> Deadline:
    """A due date counted with the database calendar, with the rules' Chinese arithmetic.

    `unit="working_days"` counts plain working days (e.g. a policy's "N个工作日"), citing
    `law` only as the source; every other unit lets `law`'s day-counting rule decide whether
    the days are working days (行政处罚法 第八十五条) or calendar days (民事诉讼法 第八十五条).
    Raises `DeadlineError` or a `ParameterError`, both with Chinese messages.
    """
    params = params or default_parameters()
    calendar = calendar if calendar is not None else database_calendar()
    if unit == "working_days":
        citation = short_citation(params.get(law, start).reference) if law else ""
        return add_working_days(start, n, calendar, citation=citation)
    return deadline_for(law, n, start, calendar, params, unit)


# --- the month grid of the calendar page ------------------------------------------------------

DayKind = Literal["workday", "weekend", "holiday", "makeup"]


@dataclass(frozen=True)
class DayCell:
    date: dt.date | None  # None: padding before the 1st or after the last day of the month
    kind: DayKind = "workday"
    note: str = ""
    is_today: bool = False

    @property
    def kind_label(self) -> str:
        return {"workday": "工作日", "weekend": "休息日", "holiday": "放假", "makeup": "调休上班"}[
            self.kind
        ]


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: list[list[DayCell]]
    holidays: int  # days marked 放假 in this month
    makeups: int  # days marked 调休上班 in this month

    @property
    def title(self) -> str:
        return f"{self.month}月"


def year_grid(
    year: int, days: Mapping[dt.date, tuple[bool, str]], today: dt.date | None = None
) -> list[MonthGrid]:
    """Twelve month grids (weeks Monday first) with each day's status and note."""
    months: list[MonthGrid] = []
    for month in range(1, 13):
        weeks: list[list[DayCell]] = []
        holidays = makeups = 0
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[DayCell] = []
            for d in week:
                if d.month != month:
                    row.append(DayCell(date=None))
                    continue
                override = days.get(d)
                kind: DayKind
                if override is None:
                    kind, note = ("weekend" if is_weekend(d) else "workday"), ""
                elif override[0]:
                    kind, note = ("makeup" if is_weekend(d) else "workday"), override[1]
                    makeups += kind == "makeup"
                else:
                    kind, note = "holiday", override[1]
                    holidays += 1
                row.append(DayCell(date=d, kind=kind, note=note, is_today=d == today))
            weeks.append(row)
        months.append(
            MonthGrid(year=year, month=month, weeks=weeks, holidays=holidays, makeups=makeups)
        )
    return months
