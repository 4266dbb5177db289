"""Reads of the catalog: scoped staff lists, published-only public lists, rules inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from fazhi.catalog import selectors, services
from fazhi.catalog.conversions import TierInput
from fazhi.catalog.models import DiscretionStandard, Officer
from fazhi.catalog.selectors import CatalogIndex, require_assignable, rules_inputs
from fazhi.catalog.testing import STANDARD_TIERS, CatalogCast, build_catalog
from fazhi.core.errors import DomainError
from fazhi.rules.enforcement import FineBasis, FineRange, ListKind, PenaltyType

D = Decimal


@pytest.fixture
def catalog(cast) -> CatalogCast:
    return build_catalog(cast)


def codes(qs: Any, field: str = "code") -> set[str]:
    return set(qs.values_list(field, flat=True))


def new_item(c: CatalogCast, code: str, organization=None, **overrides: Any):
    fields: dict[str, Any] = {
        "code": code,
        "name": f"事项{code}",
        "category": "penalty",
        "basis_law": "中华人民共和国某法",
        "basis_article": "第十条",
        "penalty_types": ["warning", "fine"],
        "fine_basis": "amount",
        "fine_min": D(10000),
        "fine_max": D(100000),
        "effective_from": dt.date(2024, 1, 1),
    }
    fields.update(overrides)
    return services.create_item(
        actor=c.cast.rule_of_law_office,
        organization=organization or c.cast.department_a,
        **fields,
    )


def new_list(c: CatalogCast, kind: str, version: str, items, *, publish: bool = True, **dates):
    lst = services.create_list(
        actor=c.cast.rule_of_law_office,
        kind=kind,
        title=f"测试清单{version}",
        organization=dates.pop("organization", c.cast.department_a),
        version=version,
        effective_from=dates.pop("effective_from", dt.date(2024, 1, 1)),
        **dates,
    )
    for n, item in enumerate(items, start=1):
        services.add_list_entry(
            actor=c.cast.rule_of_law_office,
            lenient_list=lst,
            item=item,
            number=n,
            violation=f"{item.name}的违法行为",
            legal_basis="《中华人民共和国行政处罚法》第三十三条",
            condition_text="初次违法、危害后果轻微并及时改正",
            conditions={"requires_first_violation": True, "max_harm": "minor"},
        )
    if publish:
        services.publish_list(actor=c.cast.rule_of_law_office, lenient_list=lst)
    return lst


def new_standard(
    c: CatalogCast,
    item,
    *,
    level: str,
    version: str,
    effective_from: dt.date,
    publish: bool = True,
    tiers=STANDARD_TIERS,
    **extra: Any,
) -> DiscretionStandard:
    row = services.create_standard(
        actor=c.cast.rule_of_law_office,
        item=item,
        organization=extra.pop("organization", c.cast.department_a),
        level=level,
        title=f"{level}裁量基准",
        version=version,
        violation="违法行为",
        legal_basis="法定依据",
        effective_from=effective_from,
        tiers=tiers,
        **extra,
    )
    if publish:
        services.publish_standard(actor=c.cast.rule_of_law_office, standard=row)
    return row


# --- staff lists, by data scope -------------------------------------------------------------


def test_a_department_sees_only_its_own_catalog(catalog):
    cast = catalog.cast
    list_b = new_list(catalog, "no_penalty", "v1", [catalog.item_b], organization=cast.department_b)
    for user in (cast.department_head, cast.legal_reviewer, cast.officer):
        assert codes(selectors.items_for(user)) == {"SCJ-CF-001"}
        assert codes(selectors.bodies_for(user), "organization__code") == {"scj"}
        assert codes(selectors.officers_for(user), "certificate_number") == {
            "22040001",
            "22040002",
        }
        assert list_b not in selectors.lists_for(user)
        assert catalog.first_violation_list in selectors.lists_for(user)
        assert list(selectors.standards_for(user)) == [catalog.standard_a]
    assert codes(selectors.items_for(cast.other_officer)) == {"HBJ-CF-001"}
    assert not selectors.officers_for(cast.other_officer).exists()


@pytest.mark.parametrize("role", ["supervisor", "rule_of_law_office"])
def test_county_scope_roles_see_the_whole_catalog(catalog, role):
    user = getattr(catalog.cast, role)
    assert codes(selectors.items_for(user)) == {"SCJ-CF-001", "HBJ-CF-001"}
    assert codes(selectors.bodies_for(user), "organization__code") == {"scj", "hbj"}
    assert selectors.officers_for(user).count() == 2


def test_the_single_record_getters_hide_other_departments_rows(catalog):
    cast = catalog.cast
    assert selectors.get_item_for(cast.department_head, "SCJ-CF-001") == catalog.item_a
    with pytest.raises(Http404):
        selectors.get_item_for(cast.department_head, "HBJ-CF-001")
    assert selectors.get_item_for(cast.supervisor, "HBJ-CF-001") == catalog.item_b
    with pytest.raises(Http404):
        selectors.get_officer_for(cast.other_officer, "22040001")
    with pytest.raises(Http404):
        selectors.get_list_for(cast.other_officer, catalog.first_violation_list.pk)
    with pytest.raises(Http404):
        selectors.get_standard_for(cast.other_officer, catalog.standard_a.pk)
    row = selectors.get_standard_for(cast.officer, catalog.standard_a.pk)
    assert len(row.tiers.all()) == 5


def test_accounts_without_catalog_view_cannot_read_the_catalog(catalog):
    for reader in (
        selectors.items_for,
        selectors.bodies_for,
        selectors.officers_for,
        selectors.lists_for,
        selectors.standards_for,
    ):
        with pytest.raises(PermissionDenied, match="查看执法目录"):
            reader(catalog.cast.system_admin)


def test_staff_filters(catalog):
    cast = catalog.cast
    draft = new_item(catalog, "SCJ-CF-777", name="对无照经营的处罚")
    user = cast.rule_of_law_office
    assert codes(selectors.items_for(user, published=False)) == {"SCJ-CF-777"}
    assert codes(selectors.items_for(user, published=True)) == {"SCJ-CF-001", "HBJ-CF-001"}
    assert codes(selectors.items_for(user, search="无照")) == {draft.code}
    assert codes(selectors.items_for(user, organization="hbj")) == {"HBJ-CF-001"}
    assert codes(selectors.items_for(user, category="inspection")) == set()
    expired = selectors.officers_for(user, search="过期")
    assert list(expired) == [catalog.expired_officer]
    assert codes(selectors.bodies_for(user, kind="entrusted"), "pk") == set()


# --- 执法资格 ----------------------------------------------------------------------------------


def test_a_valid_certificate_has_no_problem(catalog):
    officer = catalog.officer_a  # valid 2023-01-01 … 2028-12-31
    for day in (dt.date(2023, 1, 1), dt.date(2026, 6, 1), dt.date(2028, 12, 31)):
        assert officer.certificate_problem(day) == ""
    require_assignable([officer], dt.date(2028, 12, 31))  # no error


def test_an_expired_certificate_names_the_officer_and_the_date(catalog):
    problem = catalog.expired_officer.certificate_problem(dt.date(2024, 1, 1))
    assert problem == (
        "执法人员钱过期（执法证号22040002）的执法证已于2023年12月31日过期，不能分配执法任务"
    )
    assert catalog.expired_officer.certificate_problem(dt.date(2023, 12, 31)) == ""


def test_a_certificate_not_yet_valid_names_the_start_date(catalog):
    newcomer = services.create_officer(
        actor=catalog.cast.rule_of_law_office,
        organization=catalog.cast.department_a,
        name="李新人",
        certificate_number="22040010",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2025, 10, 15),
        valid_until=dt.date(2030, 10, 14),
    )
    assert newcomer.certificate_problem(dt.date(2025, 10, 14)) == (
        "执法人员李新人（执法证号22040010）的执法证自2025年10月15日起有效，尚未生效"
    )
    assert newcomer.certificate_problem(dt.date(2025, 10, 15)) == ""


@pytest.mark.parametrize(("status", "word"), [("suspended", "暂扣"), ("revoked", "注销")])
def test_a_suspended_or_revoked_certificate_blocks_assignment_inside_its_dates(
    catalog, status, word
):
    services.set_officer_status(
        actor=catalog.cast.rule_of_law_office,
        officer=catalog.officer_a,
        status=status,
        reason="依规处理",
    )
    officer = Officer.objects.get(pk=catalog.officer_a.pk)
    expected = f"执法人员张执法（执法证号22040001）的执法证已{word}，不能分配执法任务"
    assert officer.certificate_problem(dt.date(2026, 6, 1)) == expected
    with pytest.raises(DomainError, match=expected):
        require_assignable([officer], dt.date(2026, 6, 1))


def test_require_assignable_lists_every_problem(catalog):
    services.set_officer_status(
        actor=catalog.cast.rule_of_law_office,
        officer=catalog.officer_a,
        status="suspended",
        reason="调查中",
    )
    officers = list(Officer.objects.order_by("certificate_number"))
    with pytest.raises(DomainError) as exc:
        require_assignable(officers, dt.date(2024, 6, 1))
    problems = exc.value.details["officers"]
    assert isinstance(problems, list)
    assert problems == [
        "执法人员张执法（执法证号22040001）的执法证已暂扣，不能分配执法任务",
        "执法人员钱过期（执法证号22040002）的执法证已于2023年12月31日过期，不能分配执法任务",
    ]
    assert exc.value.message == "；".join(problems)


# --- public (portal): published only ----------------------------------------------------------


def test_the_portal_shows_only_published_active_items(catalog):
    new_item(catalog, "SCJ-CF-777")  # never published
    assert codes(selectors.public_items()) == {"SCJ-CF-001", "HBJ-CF-001"}
    services.set_item_active(
        actor=catalog.cast.rule_of_law_office, item=catalog.item_b, is_active=False
    )
    assert codes(selectors.public_items()) == {"SCJ-CF-001"}
    assert selectors.public_item("SCJ-CF-001") == catalog.item_a
    for code in ("SCJ-CF-777", "HBJ-CF-001", "NONE"):
        with pytest.raises(Http404):
            selectors.public_item(code)


def test_the_portal_shows_only_published_lists_and_benchmarks(catalog):
    draft = new_list(catalog, "no_penalty", "草稿", [catalog.item_a], publish=False)
    draft_standard = new_standard(
        catalog,
        catalog.item_a,
        level="county",
        version="2025年版",
        effective_from=dt.date(2025, 1, 1),
        publish=False,
    )
    assert list(selectors.public_lists()) == [catalog.first_violation_list]
    with pytest.raises(Http404):
        selectors.public_list(draft.pk)
    assert selectors.public_list(catalog.first_violation_list.pk) == catalog.first_violation_list
    assert list(selectors.public_standards()) == [catalog.standard_a]
    assert draft_standard not in selectors.public_standards(search="SCJ")
    entries = selectors.public_entries_for_item(catalog.item_a)
    assert list(entries) == [catalog.entry_a]


def test_the_portal_hides_inactive_bodies(catalog):
    services.update_body(
        actor=catalog.cast.rule_of_law_office,
        body=catalog.body_b,
        credit_code=catalog.body_b.credit_code,
        authority_basis=catalog.body_b.authority_basis,
        entrusting_organization=None,
        is_active=False,
    )
    assert list(selectors.public_bodies()) == [catalog.body_a]
    assert list(selectors.public_bodies(search="市场")) == [catalog.body_a]
    assert list(selectors.public_bodies(kind="entrusted")) == []


# --- rules inputs ------------------------------------------------------------------------------


def test_rules_inputs_for_an_item_on_a_day(catalog):
    inputs = rules_inputs("SCJ-CF-001", dt.date(2024, 6, 1))
    assert inputs.item == catalog.item_a
    assert inputs.statutory_fine == FineRange(D(10000), D(100000))
    assert inputs.penalty_types == {PenaltyType.WARNING, PenaltyType.FINE}
    assert [(e.kind, e.number) for e in inputs.entries] == [(ListKind.FIRST_VIOLATION, 1)]
    assert inputs.standard is not None
    assert inputs.standard.title == "《测试县市场监督管理局行政处罚裁量基准》(2024年版)"


def test_nothing_is_in_force_before_it_takes_effect(catalog):
    inputs = rules_inputs("SCJ-CF-001", dt.date(2023, 12, 31))
    assert inputs.entries == ()
    assert inputs.standard is None


def test_rules_inputs_take_only_published_lists_in_force(catalog):
    item = catalog.item_a
    new_list(catalog, "no_penalty", "草稿", [item], publish=False)
    new_list(catalog, "reduced", "已失效", [item], effective_until=dt.date(2024, 3, 31))
    new_list(catalog, "lighter", "将施行", [item], effective_from=dt.date(2024, 7, 1))

    def kinds(day: dt.date) -> set[ListKind]:
        return {e.kind for e in rules_inputs(item.code, day).entries}

    assert kinds(dt.date(2024, 3, 31)) == {ListKind.FIRST_VIOLATION, ListKind.REDUCED}
    assert kinds(dt.date(2024, 6, 30)) == {ListKind.FIRST_VIOLATION}
    assert kinds(dt.date(2024, 7, 1)) == {ListKind.FIRST_VIOLATION, ListKind.LIGHTER}


def test_rules_inputs_take_the_most_local_published_benchmark_in_force(catalog):
    item = catalog.item_a
    city = new_standard(
        catalog,
        item,
        level="city",
        version="市2023年版",
        effective_from=dt.date(2023, 1, 1),
        organization=catalog.cast.justice_bureau,
    )
    new_standard(
        catalog, item, level="province", version="省2022年版", effective_from=dt.date(2022, 1, 1)
    )

    def title(day: dt.date) -> str | None:
        standard = rules_inputs(item.code, day).standard
        return standard.title if standard else None

    assert title(dt.date(2022, 6, 1)) == "《province裁量基准》(省2022年版)"
    assert title(dt.date(2023, 6, 1)) == "《city裁量基准》(市2023年版)"  # county not yet in force
    # the county refinement (2024) wins over the city benchmark
    assert title(dt.date(2024, 6, 1)) == "《测试县市场监督管理局行政处罚裁量基准》(2024年版)"

    # a newer county version counts only once published, then the latest in force wins
    newer = new_standard(
        catalog,
        item,
        level="county",
        version="2025年版",
        effective_from=dt.date(2025, 1, 1),
        parent=city,
        publish=False,
        tiers=(
            TierInput("lighter", "minor", D(10000), D(20000), "较轻", "一万至二万"),
            TierInput("ordinary", "slight", D(10000), D(20000), "轻微", "一万至二万"),
            TierInput("ordinary", "serious", D(30000), D(70000), "较重", "三万至七万"),
            TierInput("heavier", "grave", D(70000), D(100000), "严重", "七万至十万"),
        ),
    )
    assert title(dt.date(2025, 6, 1)) == "《测试县市场监督管理局行政处罚裁量基准》(2024年版)"
    services.publish_standard(actor=catalog.cast.rule_of_law_office, standard=newer)
    assert title(dt.date(2025, 6, 1)) == "《county裁量基准》(2025年版)"
    assert title(dt.date(2024, 12, 31)) == "《测试县市场监督管理局行政处罚裁量基准》(2024年版)"


def test_an_expired_benchmark_is_not_applied(catalog):
    item = new_item(catalog, "SCJ-CF-500")
    new_standard(
        catalog,
        item,
        level="county",
        version="2024年版",
        effective_from=dt.date(2024, 1, 1),
        effective_until=dt.date(2024, 6, 30),
    )
    assert rules_inputs(item.code, dt.date(2024, 6, 30)).standard is not None
    assert rules_inputs(item.code, dt.date(2024, 7, 1)).standard is None


def test_rules_inputs_refuse_an_unknown_or_inactive_item(catalog):
    with pytest.raises(DomainError, match="执法事项NOPE不存在或已停用"):
        rules_inputs("NOPE", dt.date(2024, 6, 1))
    services.set_item_active(
        actor=catalog.cast.rule_of_law_office, item=catalog.item_a, is_active=False
    )
    with pytest.raises(DomainError, match="执法事项SCJ-CF-001不存在或已停用"):
        rules_inputs("SCJ-CF-001", dt.date(2024, 6, 1))
    with pytest.raises(DomainError, match="执法事项SCJ-CF-001不存在或已停用"):
        CatalogIndex(dt.date(2024, 6, 1)).inputs("SCJ-CF-001")


def test_a_multiple_based_items_benchmark_reaches_the_rules_in_multiples(catalog):
    new_standard(
        catalog,
        catalog.item_b,
        level="county",
        version="2024年版",
        effective_from=dt.date(2024, 1, 1),
        organization=catalog.cast.department_b,
        tiers=tuple(
            TierInput("ordinary", s, D(n), D(n + 1), "情节", f"{n}至{n + 1}倍")
            for n, s in enumerate(("slight", "minor", "serious", "grave"), start=1)
        ),
    )
    inputs = rules_inputs("HBJ-CF-001", dt.date(2024, 6, 1))
    assert inputs.statutory_fine is not None
    assert inputs.statutory_fine.basis is FineBasis.MULTIPLE
    assert inputs.standard is not None
    fines = [t.fine for t in inputs.standard.tiers]
    assert fines[0] == FineRange(D(1), D(2), FineBasis.MULTIPLE)
    assert all(inputs.statutory_fine.contains(f) for f in fines if f is not None)


# --- CatalogIndex ------------------------------------------------------------------------------


def _grow(catalog: CatalogCast, n: int, start: int) -> None:
    """n more items, each on a published list and with a published benchmark."""
    items = [new_item(catalog, f"SCJ-CF-{start + i:03d}") for i in range(n)]
    new_list(catalog, "no_penalty", f"批次{start}", items)
    for item in items:
        new_standard(
            catalog, item, level="county", version="2024年版", effective_from=dt.date(2024, 1, 1)
        )


def test_catalog_index_gives_the_same_inputs_as_rules_inputs(catalog):
    _grow(catalog, 3, 100)
    new_list(catalog, "reduced", "已失效", [catalog.item_a], effective_until=dt.date(2024, 3, 31))
    new_list(catalog, "lighter", "草稿", [catalog.item_a], publish=False)
    new_standard(
        catalog,
        catalog.item_a,
        level="city",
        version="市2023年版",
        effective_from=dt.date(2023, 1, 1),
        organization=catalog.cast.justice_bureau,
    )
    codes_ = ["SCJ-CF-001", "HBJ-CF-001", "SCJ-CF-100", "SCJ-CF-102"]
    for day in (dt.date(2023, 6, 1), dt.date(2024, 3, 31), dt.date(2024, 6, 1)):
        index = CatalogIndex(day)
        for code in codes_:
            assert index.inputs(code) == rules_inputs(code, day), (code, day)


def test_catalog_index_loads_in_a_constant_number_of_queries(catalog):
    day = dt.date(2024, 6, 1)

    def build() -> tuple[int, CatalogIndex]:
        with CaptureQueriesContext(connection) as queries:
            index = CatalogIndex(day)
        return len(queries), index

    small, index = build()
    assert len(index.items) == 2
    _grow(catalog, 6, 200)
    large, index = build()
    assert len(index.items) == 8
    assert len(index.standards) == 7
    assert large == small
    assert small <= 4  # items, entries, benchmarks and their tiers

    # answering from the index does not touch the database
    with CaptureQueriesContext(connection) as queries:
        for code in index.items:
            index.inputs(code)
    assert len(queries) == 0
