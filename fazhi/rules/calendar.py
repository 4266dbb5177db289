"""Working-day calendars for deadline arithmetic.

Why a data-driven calendar: several laws count short deadlines in working days (工作日), e.g.
行政处罚法 第八十五条, 行政复议法 第八十八条, 行政强制法 第六十九条, and 民事诉讼法 第八十五条
moves a period that ends on a rest day. China's working days are not simply Monday-Friday:
each year the State Council's holiday notice (国务院办公厅关于部分节假日安排的通知) declares
holidays and make-up working days on weekends (调休上班日). LEGAL-RULES DAY-5 therefore asks for
a holiday calendar taken from that notice.

The platform stores the schedule in a database table that administrators can correct; this
module only knows the plain-Python side: a :class:`MappingCalendar` built from such rows, and
:func:`chinese_calendar_overrides` to seed the table from the ``chinese_calendar`` package.

This module is pure Python: it must never import Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "DescribedCalendar",
    "MappingCalendar",
    "ScheduleAwareCalendar",
    "WEEKDAY_NAMES",
    "WorkdayCalendar",
    "chinese_calendar_overrides",
    "describe_day",
    "holiday_label",
    "is_weekend",
    "known_years",
    "official_calendar",
]

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# Status strings returned by describe(); deadlines.py relies on these to decide how to word
# its explanation, so they are constants rather than literals scattered around.
WORKDAY = "工作日"
MAKEUP_WORKDAY = "调休上班日"
REST_DAY = "休息日"
HOLIDAY_SUFFIX = "假期"

# chinese_calendar uses short names for some festivals; the State Council notices use these.
_OFFICIAL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@runtime_checkable
class WorkdayCalendar(Protocol):
    """Anything that can say whether a day is a working day."""

    def is_workday(self, d: date) -> bool: ...


@runtime_checkable
class DescribedCalendar(WorkdayCalendar, Protocol):
    """A calendar that can also name a day's status in Chinese (for legal explanations)."""

    def describe(self, d: date) -> str: ...


@runtime_checkable
class ScheduleAwareCalendar(WorkdayCalendar, Protocol):
    """A calendar that knows for which years an official holiday schedule was loaded.

    Outside those years it can only guess Monday-Friday, and a deadline computed there must
    carry a warning (the holiday notice for a year is usually published in the previous
    November or December).
    """

    def has_schedule_for(self, year: int) -> bool: ...


def is_weekend(d: date) -> bool:
    return d.weekday() >= 5


def holiday_label(name: str) -> str:
    """``国庆节`` -> ``国庆节假期``; a name that already says 假期 is kept as is."""
    name = name.strip()
    return name if name.endswith(HOLIDAY_SUFFIX) else f"{name}{HOLIDAY_SUFFIX}"


def describe_day(calendar: WorkdayCalendar, d: date) -> str:
    """Chinese status of ``d`` for any calendar; uses ``calendar.describe`` when available."""
    if isinstance(calendar, DescribedCalendar):
        return calendar.describe(d)
    working = calendar.is_workday(d)
    if working:
        return MAKEUP_WORKDAY if is_weekend(d) else WORKDAY
    return WEEKDAY_NAMES[d.weekday()] if is_weekend(d) else REST_DAY


@dataclass(frozen=True)
class MappingCalendar:
    """Monday-Friday work week, corrected by explicit per-day overrides.

    ``overrides`` maps a date to ``True`` (a working day, e.g. a 调休上班日 on a weekend) or
    ``False`` (a rest day, e.g. a statutory holiday). ``labels`` optionally names the holiday
    an override belongs to (``国庆节``), which :meth:`describe` shows to the reviewer.
    ``schedule_years`` lists the years whose official schedule is loaded; ``None`` means
    "unknown", in which case no coverage warning is produced.
    """

    overrides: Mapping[date, bool]
    labels: Mapping[date, str] = field(default_factory=dict)
    schedule_years: frozenset[int] | None = None

    def __post_init__(self) -> None:
        # Copy into read-only views so a frozen calendar cannot change under a computation.
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))
        if self.schedule_years is not None:
            object.__setattr__(self, "schedule_years", frozenset(self.schedule_years))

    @classmethod
    def from_entries(
        cls,
        entries: Mapping[date, tuple[bool, str]],
        schedule_years: Iterable[int] | None = None,
    ) -> MappingCalendar:
        """Build from ``{date: (is_workday, holiday_name)}`` rows (the database shape)."""
        return cls(
            overrides={d: working for d, (working, _) in entries.items()},
            labels={d: name for d, (_, name) in entries.items() if name},
            schedule_years=None if schedule_years is None else frozenset(schedule_years),
        )

    def is_workday(self, d: date) -> bool:
        override = self.overrides.get(d)
        if override is not None:
            return override
        return not is_weekend(d)

    def has_schedule_for(self, year: int) -> bool:
        return self.schedule_years is None or year in self.schedule_years

    def describe(self, d: date) -> str:
        """The day's status in Chinese: ``国庆节假期``, ``调休上班日``, ``周六``, ``工作日``."""
        override = self.overrides.get(d)
        label = self.labels.get(d)
        if override is None:
            return WEEKDAY_NAMES[d.weekday()] if is_weekend(d) else WORKDAY
        if override:
            return MAKEUP_WORKDAY if is_weekend(d) else WORKDAY
        if label:
            return holiday_label(label)
        return WEEKDAY_NAMES[d.weekday()] if is_weekend(d) else REST_DAY


# --- chinese_calendar ----------------------------------------------------------------------
# Imported lazily: the package is only needed to seed the holiday table, not to compute.


def _chinese_calendar() -> Any:
    import chinese_calendar  # type: ignore[import-untyped, unused-ignore]

    return chinese_calendar


def known_years() -> tuple[int, ...]:
    """Years for which the installed ``chinese_calendar`` has the State Council schedule."""
    cc = _chinese_calendar()
    holidays: Mapping[date, str] = cc.holidays
    workdays: Mapping[date, str] = cc.workdays
    return tuple(sorted({d.year for d in holidays} | {d.year for d in workdays}))


def _chinese_name(cc: Any, english: str) -> str:
    name = str(cc.Holiday(english).chinese)
    return _OFFICIAL_NAMES.get(name, name)


def chinese_calendar_overrides(year: int) -> dict[date, tuple[bool, str]]:
    """One year's overrides from ``chinese_calendar``: ``{date: (is_workday, 节日名称)}``.

    Holidays (including the weekend days inside a holiday block) map to ``(False, name)``;
    make-up working days (调休上班日) map to ``(True, name of the holiday they pay for)``.
    """
    if year not in known_years():
        raise ValueError(f"chinese_calendar 中没有{year}年的节假日安排，请手工录入国务院通知。")
    cc = _chinese_calendar()
    holidays: Mapping[date, str] = cc.holidays
    workdays: Mapping[date, str] = cc.workdays
    result: dict[date, tuple[bool, str]] = {}
    for d, english in holidays.items():
        if d.year == year:
            result[d] = (False, _chinese_name(cc, english))
    for d, english in workdays.items():
        if d.year == year:
            result[d] = (True, _chinese_name(cc, english))
    return dict(sorted(result.items()))


def official_calendar(years: Iterable[int] | None = None) -> MappingCalendar:
    """A calendar from ``chinese_calendar`` for ``years`` (default: every known year)."""
    chosen = tuple(known_years() if years is None else years)
    entries: dict[date, tuple[bool, str]] = {}
    for year in chosen:
        entries.update(chinese_calendar_overrides(year))
    return MappingCalendar.from_entries(entries, schedule_years=chosen)
