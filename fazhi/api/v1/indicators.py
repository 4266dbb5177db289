"""/indicators: every figure of the platform, with its definition and the records behind it
(ARCHITECTURE §5 rule 4). Same selectors as the dashboards, so the same numbers."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from fazhi.api.v1.errors import responses
from fazhi.api.v1.schemas import OrgRef, PageQuery, org_ref
from fazhi.api.v1.security import caller
from fazhi.core.indicator_registry import Period
from fazhi.reports import selectors

router = Router(tags=["统计指标"])

ORG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class IndicatorScopeQuery(Schema):
    year: int = Field(ge=1900, le=2100, description="统计年度")
    org: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=ORG_PATTERN,
        description="单位代码；默认为本人的数据范围",
    )


class DrilldownQuery(IndicatorScopeQuery, PageQuery):
    pass


class IndicatorValueOut(Schema):
    name: str
    value: int | float
    unit: str
    precision: int = Field(description="显示时保留的小数位数")


class ColumnOut(Schema):
    field: str
    label: str


class IndicatorDetailOut(IndicatorValueOut):
    code: str
    definition: str
    year: int
    organization: OrgRef = Field(description="统计范围的根单位")
    include_descendants: bool = Field(description="是否包含下级单位")
    columns: list[ColumnOut] = Field(description="明细表的列")
    count: int = Field(description="明细总条数")
    limit: int
    offset: int
    items: list[dict[str, Any]] = Field(description="明细行：列字段 → 值")


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


@router.get(
    "",
    response={200: dict[str, IndicatorValueOut], **responses(401, 403, 404, 422)},
    summary="全部指标",
    description=(
        "与 `fazhi indicators --year Y --org CODE --format json` 相同："
        "{指标代码: {name, value, unit, precision}}。"
    ),
)
def list_indicators(
    request: HttpRequest, q: Query[IndicatorScopeQuery]
) -> dict[str, dict[str, Any]]:
    values = selectors.indicator_values_for(caller(request), Period.year(q.year), q.org)
    return {iv.indicator.code: iv.as_dict() for iv in values}


@router.get(
    "/{code}",
    response={200: IndicatorDetailOut, **responses(401, 403, 404, 422)},
    summary="指标详情与明细",
)
def get_indicator(
    request: HttpRequest,
    q: Query[DrilldownQuery],
    code: str = Path(..., min_length=1, max_length=100, description="指标代码"),
) -> dict[str, Any]:
    user = caller(request)
    value, records = selectors.drilldown_for(user, code, Period.year(q.year), q.org)
    scope = selectors.scope_for(user, q.org)
    indicator = value.indicator
    # Only the declared columns leave the database: a drill-down never dumps whole rows.
    columns = list(indicator.columns) or [("pk", "编号")]
    fields = [f for f, _ in columns]
    if not records.ordered:
        records = records.order_by("pk")
    rows = records.values_list(*fields)[q.offset : q.offset + q.limit]
    return {
        **value.as_dict(),
        "code": indicator.code,
        "definition": indicator.definition,
        "year": q.year,
        "organization": org_ref(scope.root),
        "include_descendants": scope.include_descendants,
        "columns": [{"field": f, "label": label} for f, label in columns],
        "count": records.count(),
        "limit": q.limit,
        "offset": q.offset,
        "items": [dict(zip(fields, map(_cell, row), strict=True)) for row in rows],
    }
