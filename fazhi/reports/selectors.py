"""Reads of indicator values, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.http import Http404

from fazhi.core.choices import DataScope
from fazhi.core.indicator_registry import Indicator, Period, Scope, Value, registry
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import data_scope, visible_organizations


@dataclass(frozen=True)
class IndicatorValue:
    indicator: Indicator
    value: Value

    def as_dict(self) -> dict[str, object]:
        v = self.value
        return {
            "name": self.indicator.name,
            "value": v if isinstance(v, int) else float(v),
            "unit": self.indicator.unit,
            "precision": self.indicator.precision,
        }


def county_root(org: Organization | None = None) -> Organization:
    if org is not None:
        code = org.path.strip("/").split("/")[0]
        return Organization.objects.get(code=code)
    root = Organization.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise Http404("尚未建立任何单位")
    return root


def compute_all(period: Period, scope: Scope) -> list[IndicatorValue]:
    """Every registered indicator for the period and scope (CLI and reports)."""
    return [IndicatorValue(ind, ind.value(period, scope)) for ind in registry]


def scope_for(user: User, org_code: str | None) -> Scope:
    """The user's own organization subtree by default; another only if within scope."""
    require(user, "reports.view_indicators")
    if user.organization is None:
        raise Http404("您的账号未归属任何单位")
    subtree = data_scope(user) != DataScope.OWN
    if org_code:
        org = visible_organizations(user).filter(code=org_code).first()
        if org is None:
            raise Http404("单位不存在或不在您的数据范围内")
        return Scope(org, include_descendants=subtree)
    if data_scope(user) == DataScope.COUNTY:
        return Scope(county_root(user.organization))
    return Scope(user.organization, include_descendants=subtree)


def indicator_values_for(user: User, period: Period, org_code: str | None) -> list[IndicatorValue]:
    return compute_all(period, scope_for(user, org_code))


def drilldown_for(
    user: User, code: str, period: Period, org_code: str | None
) -> tuple[IndicatorValue, QuerySet[Model]]:
    scope = scope_for(user, org_code)
    try:
        indicator = registry.get(code)
    except KeyError:
        raise Http404("未定义的指标") from None
    return IndicatorValue(indicator, indicator.value(period, scope)), indicator.records(
        period, scope
    )
