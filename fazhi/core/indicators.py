"""Indicators of the shared kernel: the enforcement-supervision structure (监督体系).

Seed report: "26个行政执法部门在内设机构加挂行政执法监督科牌子。13个乡镇均成立了……行政执法监督
组织。……共确定行政执法监督人员81人".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from fazhi.core.choices import ENFORCEMENT_DEPARTMENT_KINDS, OrgKind, Role
from fazhi.core.indicator_registry import Indicator, Period, Scope, registry
from fazhi.core.models import Organization, User


def _units_with_supervision(scope: Scope, parent_kinds: Iterable[str]) -> QuerySet[Organization]:
    return (
        scope.organizations()
        .filter(
            kind__in=list(parent_kinds),
            is_active=True,
            children__kind=OrgKind.SUPERVISION_UNIT,
            children__is_active=True,
        )
        .distinct()
    )


def _supervisors(scope: Scope) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            organization__in=scope.organizations(),
            role_assignments__role=Role.SUPERVISOR,
        )
        .select_related("organization")
        .distinct()
    )


registry.register(
    Indicator(
        code="supervision.department_units",
        name="内设机构加挂行政执法监督科牌子的执法部门数",
        unit="个",
        definition="范围内启用的行政执法部门（含公安局、司法局）中，下设启用的“行政执法监督机构”的部门数。",
        compute=lambda p, s: _units_with_supervision(s, ENFORCEMENT_DEPARTMENT_KINDS).count(),
        drilldown=lambda p, s: _units_with_supervision(s, ENFORCEMENT_DEPARTMENT_KINDS),
        columns=(("code", "单位代码"), ("name", "单位名称")),
    )
)

registry.register(
    Indicator(
        code="supervision.township_units",
        name="成立行政执法监督组织的乡镇数",
        unit="个",
        definition="范围内启用的乡镇人民政府中，下设启用的“行政执法监督机构”的乡镇数。",
        compute=lambda p, s: _units_with_supervision(s, [OrgKind.TOWNSHIP]).count(),
        drilldown=lambda p, s: _units_with_supervision(s, [OrgKind.TOWNSHIP]),
        columns=(("code", "单位代码"), ("name", "单位名称")),
    )
)


def _staff(period: Period, scope: Scope) -> int:
    return _supervisors(scope).count()


registry.register(
    Indicator(
        code="supervision.staff",
        name="行政执法监督人员数",
        unit="人",
        definition="范围内单位中持有“行政执法监督员”角色的在用账号数（按人计）。",
        compute=_staff,
        drilldown=lambda p, s: _supervisors(s),
        columns=(("username", "用户名"), ("full_name", "姓名"), ("organization__name", "所属单位")),
    )
)
