"""The indicator registry (ARCHITECTURE §5 rule 4).

Every figure on a dashboard, in the annual report or in the API is an `Indicator`: a
stable code, a Chinese name, a unit, a precision, a definition, a function of
(period, organization scope) computed by SQL aggregation, and a drill-down to the records
behind it. Each app declares its own in `<app>/indicators.py`; `reports` discovers them.
It lives in the shared kernel so that domain apps can register without importing reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model, QuerySet

from fazhi.core.models import Organization


@dataclass(frozen=True)
class Period:
    """A closed date range, usually a calendar year."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def label(self) -> str:
        if (
            self.start.month == 1
            and self.start.day == 1
            and self.end == dt.date(self.start.year, 12, 31)
        ):
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


@dataclass(frozen=True)
class Scope:
    """The organizations whose records count: one organization, or its whole subtree."""

    root: Organization
    include_descendants: bool = True

    def organizations(self) -> QuerySet[Organization]:
        if not self.include_descendants:
            return Organization.objects.filter(pk=self.root.pk)
        return Organization.objects.filter(path__startswith=self.root.path)


Value = int | Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    definition: str
    compute: Callable[[Period, Scope], Value]
    drilldown: Callable[[Period, Scope], QuerySet[Any]]
    precision: int = 0
    # Column labels for the drill-down table: (field path, Chinese label).
    columns: tuple[tuple[str, str], ...] = ()

    def value(self, period: Period, scope: Scope) -> Value:
        result = self.compute(period, scope)
        if isinstance(result, Decimal):
            return result.quantize(Decimal(1).scaleb(-self.precision))
        return result

    def records(self, period: Period, scope: Scope) -> QuerySet[Model]:
        return self.drilldown(period, scope)


class IndicatorRegistry:
    def __init__(self) -> None:
        self._items: dict[str, Indicator] = {}

    def register(self, indicator: Indicator) -> Indicator:
        if indicator.code in self._items:
            raise ValueError(f"指标代码重复：{indicator.code}")
        self._items[indicator.code] = indicator
        return indicator

    def get(self, code: str) -> Indicator:
        try:
            return self._items[code]
        except KeyError:
            raise KeyError(f"未定义的指标：{code}") from None

    def __iter__(self) -> Iterator[Indicator]:
        return iter(sorted(self._items.values(), key=lambda i: i.code))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, code: object) -> bool:
        return code in self._items


registry = IndicatorRegistry()


def rate(numerator: int, denominator: int) -> Decimal:
    """A percentage; 0 of 0 counts as 100% (nothing was due, nothing was missed)."""
    if denominator == 0:
        return Decimal(100)
    return Decimal(numerator * 100) / Decimal(denominator)
