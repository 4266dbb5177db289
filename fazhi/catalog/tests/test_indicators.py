"""The ``catalog.*`` indicators, computed on a small catalog built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fazhi.catalog import services
from fazhi.catalog.models import EnforcementItem, LenientList
from fazhi.catalog.testing import CatalogCast, build_catalog, credit_code
from fazhi.core import services as core_services
from fazhi.core.choices import OrgKind
from fazhi.core.indicator_registry import Period, Scope, registry

D = Decimal
Y2024 = Period.year(2024)

CATALOG_CODES = {
    "catalog.no_penalty_items",
    "catalog.reduced_penalty_items",
    "catalog.lighter_penalty_items",
    "catalog.no_coercion_items",
    "catalog.lenient_items_total",
    "catalog.first_violation_items",
    "catalog.first_violation_departments",
    "catalog.statutory_bodies",
    "catalog.entrusted_bodies",
    "catalog.authorized_bodies",
    "catalog.enforcement_items",
    "catalog.enforcement_items_published_rate",
    "catalog.delegated_items_evaluated",
}


@pytest.fixture
def catalog(cast) -> CatalogCast:
    return build_catalog(cast)


def value(code: str, scope_root, period: Period = Y2024) -> Any:
    return registry.get(code).value(period, Scope(scope_root))


def rows(code: str, scope_root, period: Period = Y2024) -> list[Any]:
    return list(registry.get(code).records(period, Scope(scope_root)))


def new_org(c: CatalogCast, code: str, name: str, kind: str, basis: str, parent=None):
    return core_services.create_organization(
        actor=c.cast.system_admin,
        code=code,
        name=name,
        kind=kind,
        parent=parent or c.cast.county,
        enforcement_basis=basis,
    )


def new_item(c: CatalogCast, code: str, organization=None, **overrides: Any) -> EnforcementItem:
    fields: dict[str, Any] = {
        "code": code,
        "name": f"事项{code}",
        "category": "penalty",
        "basis_law": "中华人民共和国某法",
        "basis_article": "第十条",
        "penalty_types": ["warning"],
        "effective_from": dt.date(2024, 1, 1),
    }
    fields.update(overrides)
    return services.create_item(
        actor=c.cast.rule_of_law_office,
        organization=organization or c.cast.department_a,
        **fields,
    )


def new_list(
    c: CatalogCast, kind: str, version: str, items, *, publish: bool = True, **extra: Any
) -> LenientList:
    lst = services.create_list(
        actor=c.cast.rule_of_law_office,
        kind=kind,
        title=f"测试清单{version}",
        organization=extra.pop("organization", c.cast.department_a),
        version=version,
        effective_from=extra.pop("effective_from", dt.date(2024, 1, 1)),
        **extra,
    )
    for n, item in enumerate(items, start=1):
        services.add_list_entry(
            actor=c.cast.rule_of_law_office,
            lenient_list=lst,
            item=item,
            number=n,
            violation=f"违法行为{n}",
            legal_basis="《中华人民共和国行政处罚法》第三十三条",
            condition_text="初次违法、危害后果轻微并及时改正",
            conditions={"requires_first_violation": True},
        )
    if publish:
        services.publish_list(actor=c.cast.rule_of_law_office, lenient_list=lst)
    return lst


def test_every_catalog_indicator_is_registered():
    # the seed report's figures (fazhi/demo/seed_figures.yaml); more may be added later
    registered = {i.code for i in registry if i.code.startswith("catalog.")}
    assert registered >= CATALOG_CODES
    for code in CATALOG_CODES:
        indicator = registry.get(code)
        assert indicator.name and indicator.definition and indicator.columns


def test_an_empty_catalog_counts_nothing_and_its_published_rate_is_100(cast):
    for code in CATALOG_CODES - {"catalog.enforcement_items_published_rate"}:
        assert value(code, cast.county) == 0, code
    assert value("catalog.enforcement_items_published_rate", cast.county) == D(100)


# --- 执法主体 ------------------------------------------------------------------------------


def test_bodies_are_counted_by_their_kind_and_scope(catalog):
    cast = catalog.cast
    unit = new_org(
        catalog,
        "scjdd",
        "市场监管综合执法大队",
        OrgKind.ENFORCEMENT_UNIT,
        "entrusted",
        parent=cast.department_a,
    )
    entrusted = services.register_body(
        actor=cast.rule_of_law_office,
        organization=unit,
        credit_code=credit_code(3),
        authority_basis="委托书",
        entrusting_organization=cast.department_a,
    )
    center = new_org(catalog, "jyzx", "某授权组织", OrgKind.ENFORCEMENT_UNIT, "authorized")
    authorized = services.register_body(
        actor=cast.rule_of_law_office,
        organization=center,
        credit_code=credit_code(4),
        authority_basis="某条例授权",
    )
    assert value("catalog.statutory_bodies", cast.county) == 2
    assert value("catalog.entrusted_bodies", cast.county) == 1
    assert value("catalog.authorized_bodies", cast.county) == 1
    assert rows("catalog.statutory_bodies", cast.county) == [catalog.body_b, catalog.body_a]
    assert rows("catalog.entrusted_bodies", cast.county) == [entrusted]
    assert rows("catalog.authorized_bodies", cast.county) == [authorized]
    # department A's subtree: itself and its entrusted unit
    assert value("catalog.statutory_bodies", cast.department_a) == 1
    assert value("catalog.entrusted_bodies", cast.department_a) == 1
    assert value("catalog.authorized_bodies", cast.department_a) == 0


def test_an_inactive_body_is_not_counted(catalog):
    services.update_body(
        actor=catalog.cast.rule_of_law_office,
        body=catalog.body_b,
        credit_code=credit_code(2),
        authority_basis="依法设立",
        entrusting_organization=None,
        is_active=False,
    )
    assert value("catalog.statutory_bodies", catalog.cast.county) == 1
    assert rows("catalog.statutory_bodies", catalog.cast.county) == [catalog.body_a]


# --- 执法事项 ------------------------------------------------------------------------------


def test_items_listed_by_the_period_end_and_active_are_counted(catalog):
    cast = catalog.cast
    later = new_item(catalog, "SCJ-CF-2025", effective_from=dt.date(2025, 3, 1))
    assert value("catalog.enforcement_items", cast.county) == 2
    assert value("catalog.enforcement_items", cast.county, Period.year(2025)) == 3
    assert value("catalog.enforcement_items", cast.department_a) == 1
    assert value("catalog.enforcement_items", cast.department_b) == 1
    assert rows("catalog.enforcement_items", cast.county, Period.year(2025)) == [
        catalog.item_b,
        catalog.item_a,
        later,
    ]
    services.set_item_active(actor=cast.rule_of_law_office, item=catalog.item_b, is_active=False)
    assert value("catalog.enforcement_items", cast.county) == 1
    assert rows("catalog.enforcement_items", cast.county) == [catalog.item_a]


def test_the_published_rate_is_published_over_active_items(catalog):
    cast = catalog.cast
    code = "catalog.enforcement_items_published_rate"
    assert value(code, cast.county) == D(100)
    new_item(catalog, "SCJ-CF-900")  # active, never published
    assert value(code, cast.county) == D(67)  # 2 of 3, to precision 0
    assert value(code, cast.department_a) == D(50)
    assert value(code, cast.department_b) == D(100)
    # the drill-down is the denominator: every active item, published or not
    assert len(rows(code, cast.department_a)) == 2
    # a deactivated draft no longer lowers the rate
    services.set_item_active(
        actor=cast.rule_of_law_office,
        item=EnforcementItem.objects.get(code="SCJ-CF-900"),
        is_active=False,
    )
    assert value(code, cast.department_a) == D(100)
    # a scope with no items: 0 of 0 is 100
    assert value(code, cast.township) == D(100)


# --- 四张清单 / 首违不罚 ----------------------------------------------------------------------


def test_each_list_is_counted_by_its_kind(catalog):
    cast = catalog.cast
    a = catalog.item_a
    new_list(catalog, "no_penalty", "v1", [a, a])
    new_list(catalog, "reduced", "v1", [a])
    new_list(catalog, "lighter", "v1", [a, a, a])
    new_list(catalog, "no_coercion", "v1", [a])
    assert value("catalog.no_penalty_items", cast.county) == 2
    assert value("catalog.reduced_penalty_items", cast.county) == 1
    assert value("catalog.lighter_penalty_items", cast.county) == 3
    assert value("catalog.no_coercion_items", cast.county) == 1
    assert value("catalog.lenient_items_total", cast.county) == 7  # 首违不罚 is counted apart
    assert value("catalog.first_violation_items", cast.county) == 1
    assert rows("catalog.first_violation_items", cast.county) == [catalog.entry_a]


def test_unpublished_lists_do_not_count(catalog):
    cast = catalog.cast
    draft = new_list(catalog, "no_penalty", "草稿", [catalog.item_a], publish=False)
    new_list(catalog, "first_violation", "草稿", [catalog.item_a], publish=False)
    assert value("catalog.no_penalty_items", cast.county) == 0
    assert value("catalog.first_violation_items", cast.county) == 1
    services.publish_list(actor=cast.rule_of_law_office, lenient_list=draft)
    assert value("catalog.no_penalty_items", cast.county) == 1


def test_lists_count_when_in_force_on_the_last_day_of_the_period(catalog):
    cast = catalog.cast
    a = catalog.item_a
    new_list(catalog, "no_penalty", "2025年版", [a], effective_from=dt.date(2025, 1, 1))
    new_list(catalog, "reduced", "上半年", [a, a], effective_until=dt.date(2024, 6, 30))
    first_half = Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))

    assert value("catalog.no_penalty_items", cast.county) == 0  # not yet in force
    assert value("catalog.no_penalty_items", cast.county, Period.year(2025)) == 1
    assert value("catalog.reduced_penalty_items", cast.county) == 0  # expired by 12-31
    assert value("catalog.reduced_penalty_items", cast.county, first_half) == 2
    assert value("catalog.lenient_items_total", cast.county, first_half) == 2
    assert value("catalog.first_violation_items", cast.county, Period.year(2023)) == 0


def test_a_county_wide_list_counts_each_entry_in_its_departments_scope(catalog):
    cast = catalog.cast
    county_list = new_list(
        catalog,
        "no_penalty",
        "全县2024年版",
        [catalog.item_a, catalog.item_b, catalog.item_b],
        organization=cast.justice_bureau,
    )
    assert value("catalog.no_penalty_items", cast.county) == 3
    assert value("catalog.no_penalty_items", cast.department_a) == 1
    assert value("catalog.no_penalty_items", cast.department_b) == 2
    assert value("catalog.no_penalty_items", cast.justice_bureau) == 0
    drilled = rows("catalog.no_penalty_items", cast.department_b)
    assert [(e.lenient_list, e.number, e.item) for e in drilled] == [
        (county_list, 2, catalog.item_b),
        (county_list, 3, catalog.item_b),
    ]


def test_first_violation_departments_counts_distinct_bodies(catalog):
    cast = catalog.cast
    code = "catalog.first_violation_departments"
    assert value(code, cast.county) == 1
    new_list(
        catalog, "first_violation", "环境2024年版", [catalog.item_b], organization=cast.department_b
    )
    # a second list covering both departments adds entries, not departments
    new_list(
        catalog,
        "first_violation",
        "全县2024年版",
        [catalog.item_a, catalog.item_b, catalog.item_a],
        organization=cast.justice_bureau,
    )
    assert value("catalog.first_violation_items", cast.county) == 5
    assert value(code, cast.county) == 2
    assert rows(code, cast.county) == [catalog.body_b, catalog.body_a]
    assert value(code, cast.department_a) == 1
    assert rows(code, cast.department_b) == [catalog.body_b]
    # the lists had to be published and in force at the period end
    assert value(code, cast.county, Period.year(2023)) == 0


# --- 下放乡镇事项评估 ---------------------------------------------------------------------------


def _evaluate(c: CatalogCast, delegation, on: dt.date, conclusion: str = "keep") -> None:
    services.evaluate_delegation(
        actor=c.cast.rule_of_law_office,
        delegation=delegation,
        evaluated_on=on,
        conclusion=conclusion,
        opinion="运行情况良好",
    )


def test_delegated_items_evaluated_counts_distinct_items_in_the_period(catalog):
    cast = catalog.cast
    code = "catalog.delegated_items_evaluated"
    township2 = new_org(catalog, "xz2", "测试二镇人民政府", OrgKind.TOWNSHIP, "statutory")

    def delegate(item, township):
        return services.delegate_item(
            actor=cast.rule_of_law_office,
            item=item,
            township=township,
            decided_on=dt.date(2023, 1, 1),
            document_number=f"测政发〔2023〕{item.pk}{township.code}号",
        )

    a1, a2 = delegate(catalog.item_a, cast.township), delegate(catalog.item_a, township2)
    b1 = delegate(catalog.item_b, cast.township)
    assert value(code, cast.county) == 0  # delegated, never evaluated

    _evaluate(catalog, a1, dt.date(2024, 3, 1))
    _evaluate(catalog, a1, dt.date(2024, 9, 1), "adjust")
    _evaluate(catalog, a2, dt.date(2024, 12, 31), "withdraw")
    _evaluate(catalog, b1, dt.date(2023, 11, 1))  # another year
    _evaluate(catalog, b1, dt.date(2025, 1, 1))  # and the next one

    # item A: evaluated three times in two townships, counted once
    assert value(code, cast.county) == 1
    assert rows(code, cast.county) == [catalog.item_a]
    assert value(code, cast.county, Period.year(2023)) == 1
    assert rows(code, cast.county, Period.year(2023)) == [catalog.item_b]
    assert value(code, cast.county, Period(dt.date(2023, 1, 1), dt.date(2025, 12, 31))) == 2
    # scope is the township that exercises the power
    assert value(code, township2) == 1
    assert value(code, cast.township) == 1
    assert value(code, cast.department_a) == 0
