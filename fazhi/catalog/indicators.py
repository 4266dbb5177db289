"""Indicators of the enforcement catalog (seed-figures ``catalog.*``).

Seed report: “全县共有行政执法主体54家，其中法定行政执法机关39家、受委托组织13家、法律法规授权组织
2家……梳理行政执法事项2645项……编制‘四张清单’，其中不予处罚事项643项、减轻处罚事项578项、从轻处罚
事项592项、免于强制事项64项……18个执法部门编制‘首违不罚清单’181项……评估下放乡镇县级行政执法权限53项”.

Lists and items count when they are in force on the last day of the period; a list counts only
once published (公布), because an unpublished draft is not a list anyone can rely on.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet

from fazhi.catalog.models import (
    DelegationEvaluation,
    EnforcementBody,
    EnforcementItem,
    LenientListEntry,
)
from fazhi.catalog.selectors import lists_in_force_on
from fazhi.core.choices import EnforcementBasis
from fazhi.core.indicator_registry import Indicator, Period, Scope, rate, registry
from fazhi.rules.enforcement import ListKind

_ENTRY_COLUMNS = (
    ("lenient_list__title", "清单"),
    ("number", "序号"),
    ("item__code", "事项编码"),
    ("violation", "违法行为"),
    ("organization__name", "实施部门"),
)


def _entries(period: Period, scope: Scope, *kinds: ListKind) -> QuerySet[LenientListEntry]:
    return (
        LenientListEntry.objects.filter(
            lists_in_force_on(period.end),
            lenient_list__kind__in=[str(k) for k in kinds],
            organization__in=scope.organizations(),
        )
        .select_related("lenient_list", "item", "organization")
        .order_by("lenient_list__kind", "lenient_list_id", "number")
    )


_LIST_INDICATORS = (
    ("catalog.no_penalty_items", "不予处罚事项清单项数", ListKind.NO_PENALTY),
    ("catalog.reduced_penalty_items", "减轻处罚事项清单项数", ListKind.REDUCED),
    ("catalog.lighter_penalty_items", "从轻处罚事项清单项数", ListKind.LIGHTER),
    ("catalog.no_coercion_items", "免于强制事项清单项数", ListKind.NO_COERCION),
)


def _register_list_indicator(code: str, name: str, kind: ListKind) -> None:
    registry.register(
        Indicator(
            code=code,
            name=name,
            unit="项",
            definition=f"统计期末施行中、已公布的“{kind.label_zh}”中，范围内部门的事项条数。",
            compute=lambda p, s: _entries(p, s, kind).count(),
            drilldown=lambda p, s: _entries(p, s, kind),
            columns=_ENTRY_COLUMNS,
        )
    )


for _code, _name, _kind in _LIST_INDICATORS:
    _register_list_indicator(_code, _name, _kind)

_FOUR_LISTS = tuple(kind for _, _, kind in _LIST_INDICATORS)

registry.register(
    Indicator(
        code="catalog.lenient_items_total",
        name="“四张清单”事项合计",
        unit="项",
        definition="不予处罚、减轻处罚、从轻处罚、免予行政强制四张清单事项条数之和（首违不罚清单另计）。",
        compute=lambda p, s: _entries(p, s, *_FOUR_LISTS).count(),
        drilldown=lambda p, s: _entries(p, s, *_FOUR_LISTS),
        columns=_ENTRY_COLUMNS,
    )
)

registry.register(
    Indicator(
        code="catalog.first_violation_items",
        name="“首违不罚清单”事项数",
        unit="项",
        definition="统计期末施行中、已公布的首违不罚事项清单中，范围内部门的事项条数。",
        compute=lambda p, s: _entries(p, s, ListKind.FIRST_VIOLATION).count(),
        drilldown=lambda p, s: _entries(p, s, ListKind.FIRST_VIOLATION),
        columns=_ENTRY_COLUMNS,
    )
)


def _first_violation_departments(period: Period, scope: Scope) -> QuerySet[EnforcementBody]:
    orgs = _entries(period, scope, ListKind.FIRST_VIOLATION).values("organization")
    return EnforcementBody.objects.filter(organization__in=orgs).select_related("organization")


_BODY_COLUMNS = (
    ("organization__code", "单位代码"),
    ("organization__name", "执法主体"),
    ("credit_code", "统一社会信用代码"),
    ("authority_basis", "执法主体资格依据"),
)

registry.register(
    Indicator(
        code="catalog.first_violation_departments",
        name="编制“首违不罚清单”的执法部门数",
        unit="个",
        definition="统计期末施行中、已公布的首违不罚事项清单所涉的执法主体数。",
        compute=lambda p, s: _first_violation_departments(p, s).count(),
        drilldown=_first_violation_departments,
        columns=_BODY_COLUMNS,
    )
)


def _bodies(scope: Scope, basis: EnforcementBasis) -> QuerySet[EnforcementBody]:
    return EnforcementBody.objects.filter(
        is_active=True,
        organization__is_active=True,
        organization__enforcement_basis=basis,
        organization__in=scope.organizations(),
    ).select_related("organization")


def _register_body_indicator(code: str, name: str, basis: EnforcementBasis) -> None:
    registry.register(
        Indicator(
            code=code,
            name=name,
            unit="家",
            definition=f"范围内已登记且有效的执法主体中，执法主体资格为“{basis.label}”的数量。",
            compute=lambda p, s: _bodies(s, basis).count(),
            drilldown=lambda p, s: _bodies(s, basis),
            columns=_BODY_COLUMNS,
        )
    )


_register_body_indicator("catalog.statutory_bodies", "法定执法机关数", EnforcementBasis.STATUTORY)
_register_body_indicator("catalog.entrusted_bodies", "受委托执法主体数", EnforcementBasis.ENTRUSTED)
_register_body_indicator(
    "catalog.authorized_bodies", "法律法规授权执法主体数", EnforcementBasis.AUTHORIZED
)


def _items(period: Period, scope: Scope) -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.filter(
        is_active=True,
        effective_from__lte=period.end,
        organization__in=scope.organizations(),
    ).select_related("organization")


_ITEM_COLUMNS = (
    ("code", "事项编码"),
    ("name", "事项名称"),
    ("category", "事项类别"),
    ("organization__name", "实施主体"),
    ("published_at", "公示时间"),
)

registry.register(
    Indicator(
        code="catalog.enforcement_items",
        name="行政执法事项数",
        unit="项",
        definition="统计期末已列入执法事项清单且有效的事项数。",
        compute=lambda p, s: _items(p, s).count(),
        drilldown=_items,
        columns=_ITEM_COLUMNS,
    )
)


def _published_rate(period: Period, scope: Scope) -> Decimal:
    items = _items(period, scope)
    return rate(items.filter(published_at__isnull=False).count(), items.count())


registry.register(
    Indicator(
        code="catalog.enforcement_items_published_rate",
        name="行政执法事项公示率",
        unit="%",
        definition="统计期末有效的执法事项中已在门户事前公示的比例（118号文 二（四））。",
        compute=_published_rate,
        drilldown=_items,
        columns=_ITEM_COLUMNS,
    )
)


def _evaluations(period: Period, scope: Scope) -> QuerySet[DelegationEvaluation]:
    return DelegationEvaluation.objects.filter(
        Q(evaluated_on__gte=period.start) & Q(evaluated_on__lte=period.end),
        delegation__township__in=scope.organizations(),
    ).select_related("delegation__item", "delegation__township")


def _evaluated_items(period: Period, scope: Scope) -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.filter(
        delegations__evaluations__in=_evaluations(period, scope)
    ).distinct()


registry.register(
    Indicator(
        code="catalog.delegated_items_evaluated",
        name="下放乡镇县级行政执法权限评估项数",
        unit="项",
        definition="统计期内做过评估的下放乡镇执法事项数（按事项计，同一事项下放多个乡镇只计一次）。",
        compute=lambda p, s: _evaluated_items(p, s).count(),
        drilldown=_evaluated_items,
        columns=(
            ("code", "事项编码"),
            ("name", "事项名称"),
            ("organization__name", "县级实施主体"),
        ),
    )
)
