"""Shared shapes of the API: pagination and small reference objects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import BaseModel, Field

from fazhi.core.pagination import COUNT_CAP, capped_count

MAX_LIMIT = 200
# Larger integers cannot be stored or compared in a 64-bit column (SQLite raises).
MAX_DB_INT = 2**63 - 1
DEFAULT_LIMIT = 50

T = TypeVar("T")


class PageQuery(Schema):
    """limit/offset pagination, shared by every list endpoint."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")
    offset: int = Field(0, ge=0, le=10_000_000, description="跳过的条数")


class SearchQuery(PageQuery):
    search: str = Field("", max_length=100, description="关键词（名称、代码等，模糊匹配）")


class Page(BaseModel, Generic[T]):
    count: int = Field(description="符合条件的总条数（count_capped 为 true 时为计数上限）")
    count_capped: bool = Field(
        False,
        description=f"为 true 时符合条件的记录超过 {COUNT_CAP:,} 条，只计到该上限（大表的列表）",
    )
    limit: int
    offset: int
    items: list[T]


def paginate(
    qs: QuerySet[Any] | Sequence[Any],
    page: PageQuery,
    serialize: Callable[[Any], Any] | None = None,
    *,
    capped: bool = False,
) -> dict[str, Any]:
    """One COUNT and one page of rows, whatever the table size. ``capped``: the count stops at
    COUNT_CAP (fazhi.core.pagination), for the lists that hold a million rows."""
    more = False
    if capped:
        count, more = capped_count(qs)
    else:
        count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    if isinstance(qs, QuerySet) and not qs.ordered:
        qs = qs.order_by("pk")  # a stable order, or pages could repeat or skip rows
    rows = list(qs[page.offset : page.offset + page.limit])
    items = [serialize(r) for r in rows] if serialize else rows
    return {
        "count": count,
        "count_capped": more,
        "limit": page.limit,
        "offset": page.offset,
        "items": items,
    }


class OrgRef(Schema):
    code: str
    name: str


def org_ref(org: Model | None) -> dict[str, str] | None:
    if org is None:
        return None
    return {"code": org.code, "name": org.name}  # type: ignore[attr-defined]
