"""Pagination of the lists that can hold a million rows (the case list at T1).

An exact COUNT is a scan of every matching row: over 1,000,000 cases with a filter the index
does not cover (status, procedure, lenient), it cost more than the rest of the list request
(bench/cases_load.py). These lists count at most ``COUNT_CAP`` rows and then say “more than”,
as large trackers do; a user narrows the list with its filters, and the figures of record
come from the indicators, never from a list's count.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def capped_count(rows: QuerySet[Any] | Any, cap: int | None = None) -> tuple[int, bool]:
    """(rows counted, whether there are more than ``cap``): the count stops at cap + 1 rows."""
    cap = COUNT_CAP if cap is None else cap
    if not isinstance(rows, QuerySet):
        n = len(rows)
        return min(n, cap), n > cap
    n = rows.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


class CappedPaginator(Paginator):
    """A Paginator whose count stops at ``cap``; ``capped`` says whether rows were left out.
    Pages run to the cap (``cap / per_page`` pages)."""

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        n, self.capped = capped_count(self.object_list, self.cap)
        return n
