"""The indicator dashboard and drill-downs (ARCHITECTURE §5 rule 4).

Every figure shown is an `Indicator` computed by the registry for the chosen year and the
organization scope the user may see; each links to the records behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET

from fazhi.core import services as core_services
from fazhi.core.exports import XLSX_CONTENT_TYPE
from fazhi.core.indicator_registry import Indicator, Period, Scope, Value
from fazhi.core.selectors import visible_organizations
from fazhi.reports import exports, selectors
from fazhi.reports.selectors import IndicatorValue

if TYPE_CHECKING:
    from fazhi.core.models import Organization, User

PAGE_SIZE = 50
FIRST_YEAR = 2020

# The part of an indicator code before the dot names its domain.
GROUP_LABELS: dict[str, str] = {
    "supervision": "行政执法监督体系",
    "catalog": "执法主体与清单",
    "cases": "行政执法案件",
    "inspections": "双随机、一公开",
    "normdocs": "规范性文件与重大决策",
    "disputes": "行政复议与应诉",
    "society": "调解、普法与政务服务",
    "mediation": "人民调解",
    "outreach": "普法宣传",
    "govservice": "政务服务",
    "reports": "综合",
}


def format_value(value: Value, precision: int) -> str:
    if isinstance(value, Decimal):
        return f"{value:.{precision}f}"
    return str(value)


def _chart_number(value: Value) -> int | float:
    return value if isinstance(value, int) else float(value)


@dataclass(frozen=True)
class Filters:
    year: int
    org: str
    error: str

    @property
    def period(self) -> Period:
        return Period.year(self.year)

    def query(self) -> str:
        params: dict[str, str | int] = {"year": self.year}
        if self.org:
            params["org"] = self.org
        return urlencode(params)


def _filters(request: HttpRequest) -> Filters:
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    error = ""
    try:
        year = int(raw) if raw else this_year
    except ValueError:
        year, error = this_year, f"年度“{raw}”无效，已显示 {this_year} 年"
    if not FIRST_YEAR <= year <= this_year + 1:
        year, error = this_year, f"年度“{raw}”超出范围，已显示 {this_year} 年"
    return Filters(year=year, org=request.GET.get("org", "").strip(), error=error)


def _year_choices() -> list[int]:
    """The years the filter offers, newest first: exactly the range `_filters` accepts."""
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _org_choices(user: User) -> QuerySet[Organization]:
    return visible_organizations(user).only("code", "name", "path").order_by("path")


def _scope_label(scope: Scope) -> str:
    return scope.root.name + ("（含下级单位）" if scope.include_descendants else "")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = _filters(request)
    scope = selectors.scope_for(user, filters.org or None)  # 403 / 404 outside the scope
    values = selectors.compute_all(filters.period, scope)
    groups: dict[str, dict[str, Any]] = {}
    for item in values:
        ind = item.indicator
        key = ind.code.split(".", 1)[0]
        group = groups.setdefault(
            key, {"key": key, "label": GROUP_LABELS.get(key, key), "items": []}
        )
        group["items"].append(
            {
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "display": format_value(item.value, ind.precision),
                "value": _chart_number(item.value),
                "url": reverse("reports:indicator_detail", args=[ind.code]) + "?" + filters.query(),
            }
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            "groups": list(groups.values()),
            "filters": filters,
            "years": _year_choices(),
            "organizations": _org_choices(user),
            "scope_label": _scope_label(scope),
            "period": filters.period,
        },
    )


def _columns(indicator: Indicator) -> tuple[tuple[str, str], ...]:
    return indicator.columns or (("pk", "编号"),)


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _rows(
    records: QuerySet[Any], columns: tuple[tuple[str, str], ...], search: str
) -> QuerySet[Any]:
    """The drill-down as plain tuples, one query per page however many columns join."""
    fields = [name for name, _ in columns]
    if search:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": search})
        records = records.filter(condition)
    rows = records.values_list(*fields)
    if not rows.ordered:
        rows = rows.order_by("pk")  # stable pages
    return rows


def _drilldown(
    request: HttpRequest, code: str
) -> tuple[User, Filters, IndicatorValue, QuerySet[Model], Scope]:
    """The records behind one figure, within the user's data scope (detail and export)."""
    user = _user(request)
    filters = _filters(request)
    item, records = selectors.drilldown_for(user, code, filters.period, filters.org or None)
    return user, filters, item, records, selectors.scope_for(user, filters.org or None)


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    user, filters, item, records, scope = _drilldown(request, code)
    ind = item.indicator
    columns = _columns(ind)
    search = request.GET.get("q", "").strip()
    page = Paginator(_rows(records, columns, search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/indicator_detail.html",
        {
            "indicator": ind,
            "display": format_value(item.value, ind.precision),
            "headers": [label for _, label in columns],
            "rows": [[_display(v) for v in row] for row in page],
            "page": page,
            "filters": filters,
            "search": search,
            "scope_label": _scope_label(scope),
            "period": filters.period,
            "years": _year_choices(),
            "organizations": _org_choices(user),
        },
    )


@login_required
@require_GET
def indicator_export(request: HttpRequest, code: str) -> HttpResponse:
    """Every record behind the figure, as an Excel workbook."""
    user, filters, item, records, scope = _drilldown(request, code)
    ind = item.indicator
    columns = _columns(ind)
    core_services.record_export(
        actor=user,
        permission="reports.view_indicators",
        subject=f"indicator:{ind.code}",
        criteria={
            "start": filters.period.start,
            "end": filters.period.end,
            "organization": scope.root.code,
            "include_descendants": scope.include_descendants,
        },
        row_count=records.count(),
    )
    content = exports.drilldown_workbook(
        title=ind.name,
        summary=[
            ("指标代码", ind.code),
            ("指标名称", ind.name),
            ("统计期间", filters.period.label),
            ("统计范围", _scope_label(scope)),
            ("指标值", f"{format_value(item.value, ind.precision)} {ind.unit}"),
            ("口径", ind.definition),
            ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ],
        headers=[label for _, label in columns],
        rows=_rows(records, columns, "").iterator(chunk_size=2000),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=f"{ind.code}-{filters.year}.xlsx")
        or "attachment"
    )
    return response
