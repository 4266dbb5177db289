"""Validators shared by the services and the import, and rows → :mod:`fazhi.rules` values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.catalog import conversions, services
from fazhi.catalog.conversions import (
    CatalogValidationError,
    TierInput,
    check_credit_code,
    check_fine_range,
    check_penalty_types,
    check_tiers,
    conditions_from_json,
    conditions_to_json,
    describe_conditions,
    parse_money,
)
from fazhi.catalog.testing import CatalogCast, build_catalog, credit_code
from fazhi.core.errors import DomainError
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListConditions,
    ListKind,
    PartyKind,
    PenaltyType,
    Severity,
    Treatment,
)

D = Decimal


@pytest.fixture
def catalog(cast) -> CatalogCast:
    return build_catalog(cast)


# --- plain values ------------------------------------------------------------------------------


def test_a_credit_code_is_returned_in_compact_upper_case_form():
    code = credit_code(3)
    assert code[-1] == "B"  # a letter check character
    assert check_credit_code(f"{code[:6]} {code[6:10]}-{code[10:].lower()}") == code
    assert check_credit_code(credit_code(42)) == credit_code(42)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91110000600037341Y", "校验位错误"),
        ("9111000060003734", "应为18位"),
        ("9A110000600037341L", "格式错误"),
        ("91110000600037341I", "格式错误"),  # I, O, S, V, Z are not in the alphabet
    ],
)
def test_an_invalid_credit_code_names_its_field_and_reason(value, reason):
    with pytest.raises(CatalogValidationError) as exc:
        check_credit_code(value, field="信用代码列")
    assert exc.value.message == f"统一社会信用代码“{value}”无效（{reason}）"
    assert exc.value.field == "信用代码列"
    assert exc.value.details == {"信用代码列": [exc.value.message]}
    assert isinstance(exc.value, DomainError)  # interfaces turn it into a 400


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("0", D(0)),
        (" 1,234.50 ", D("1234.50")),
        (500, D(500)),
        (D("0.01"), D("0.01")),
        ("999999999999.99", D("999999999999.99")),
    ],
)
def test_parse_money_reads_amounts_in_yuan(value, expected):
    assert parse_money(value, "fine_min", "罚款下限") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "罚款下限“abc”不是有效的金额"),
        ("-1", "罚款下限不能为负数或非数字"),
        ("NaN", "罚款下限不能为负数或非数字"),
        ("Infinity", "罚款下限不能为负数或非数字"),
        ("1.005", "罚款下限最多保留两位小数"),
        ("1000000000000", "罚款下限超出允许范围"),
        # used to escape as decimal.InvalidOperation from quantize()
        ("1e30", "罚款下限超出允许范围"),
        ("1e999999", "罚款下限超出允许范围"),
    ],
)
def test_parse_money_refuses_with_a_chinese_message(value, message):
    with pytest.raises(CatalogValidationError) as exc:
        parse_money(value, "fine_min", "罚款下限")
    assert exc.value.message == message
    assert exc.value.field == "fine_min"


def test_check_fine_range_returns_the_statutory_range():
    assert check_fine_range("", None, None) is None
    assert check_fine_range("amount", D(0), D(5000)) == FineRange(D(0), D(5000))
    assert check_fine_range("multiple", D(1), D(5)) == FineRange(D(1), D(5), FineBasis.MULTIPLE)
    # “处……以上罚款”: no upper bound
    assert check_fine_range("amount", D(2000), None) == FineRange(D(2000), None)
    assert check_fine_range("amount", D(10), D(10)) == FineRange(D(10), D(10))


@pytest.mark.parametrize(
    ("basis", "low", "high", "field", "message"),
    [
        ("amount", None, None, "fine_min", "填写了罚款表述，但未填写罚款幅度"),
        ("", D(1), D(2), "fine_basis", "填写了罚款幅度，请选择罚款表述"),
        ("yuan", D(1), D(2), "fine_basis", "罚款表述“yuan”无效"),
        ("amount", None, D(2), "fine_min", "请填写罚款下限（“以下”的填0）"),
        ("amount", D(-1), D(2), "fine_min", "罚款下限-1不能为负数"),
        ("amount", D(3), D(2), "fine_max", "罚款幅度上下限颠倒：下限3大于上限2"),
    ],
)
def test_check_fine_range_refuses_field_by_field(basis, low, high, field, message):
    with pytest.raises(CatalogValidationError, match=message) as exc:
        check_fine_range(basis, low, high)
    assert exc.value.field == field


def test_penalty_types_are_those_of_article_9_without_duplicates():
    assert check_penalty_types(["fine", "warning", "fine"]) == ["fine", "warning"]
    assert check_penalty_types([]) == []
    with pytest.raises(CatalogValidationError) as exc:
        check_penalty_types(["warning", "罚金"])
    assert exc.value.field == "penalty_types"
    assert exc.value.message.startswith("处罚种类“罚金”不在行政处罚法第九条所列种类中（警告、")
    assert "行政拘留" in exc.value.message


# --- structured conditions --------------------------------------------------------------------


def test_conditions_round_trip_through_json():
    conditions = ListConditions(
        requires_first_violation=True,
        requires_corrected_in_time=True,
        max_harm=HarmLevel.MINOR,
        party_kinds=frozenset({PartyKind.ORGANIZATION, PartyKind.INDIVIDUAL}),
        any_circumstance=frozenset({Circumstance.COOPERATED}),
        max_amount_involved=D("5000.00"),
    )
    data = conditions_to_json(conditions)
    assert data == {
        "requires_first_violation": True,
        "requires_corrected_in_time": True,
        "max_harm": "minor",
        "party_kinds": ["individual", "organization"],
        "any_circumstance": ["cooperated"],
        "max_amount_involved": "5000.00",
    }
    assert conditions_from_json(data) == conditions
    assert conditions_to_json(ListConditions()) == {}
    assert conditions_from_json({}) == ListConditions()


def test_false_and_empty_conditions_are_no_conditions():
    assert (
        conditions_from_json(
            {
                "requires_first_violation": False,
                "requires_corrected_in_time": None,
                "max_harm": "",
                "party_kinds": [],
                "max_amount_involved": "",
            }
        )
        == ListConditions()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first": True}, "适用条件含未知项：first"),
        # bool("false") is True: a string flag would silently invert the condition
        ({"requires_first_violation": "false"}, "适用条件“须为初次违法”应为是或否，不能是“false”"),
        ({"requires_corrected_in_time": 1}, "适用条件“须及时改正”应为是或否"),
        ({"max_harm": "fatal"}, "适用条件“危害后果上限”的值“fatal”无效"),
        ({"party_kinds": "individual"}, "适用条件“当事人类型”应为列表"),
        ({"party_kinds": ["company"]}, "适用条件“当事人类型”的值“company”无效"),
        ({"any_circumstance": [1]}, "适用条件“情形”的值“1”无效"),
        ({"max_amount_involved": "-5"}, "涉案金额上限不能为负数或非数字"),
        (["requires_first_violation"], "适用条件应为键值形式的对象"),
    ],
)
def test_invalid_conditions_are_refused_in_chinese(data, message):
    with pytest.raises(CatalogValidationError) as exc:
        conditions_from_json(data)
    assert exc.value.field == "conditions"
    assert message in exc.value.message


def test_conditions_are_described_in_words():
    assert describe_conditions(ListConditions()) == "无附加条件"
    text = describe_conditions(
        ListConditions(
            requires_first_violation=True,
            max_harm=HarmLevel.NONE,
            requires_corrected_in_time=True,
            party_kinds=frozenset({PartyKind.INDIVIDUAL}),
            max_amount_involved=D(500),
        )
    )
    assert text == "初次违法、没有造成危害后果、及时改正、当事人为公民、涉案金额不超过500元"
    assert "危害后果不超过“危害后果轻微”" in describe_conditions(
        ListConditions(max_harm=HarmLevel.MINOR)
    )


# --- tiers ---------------------------------------------------------------------------------------

STATUTE = FineRange(D(10000), D(100000))


def tier(treatment: str, severity: str = "", low=None, high=None) -> TierInput:
    return TierInput(treatment, severity, low, high, "适用条件", "具体标准")


FILLER = tuple(tier("ordinary", s.value) for s in Severity)  # the DB-6 情节 levels, no fines


def test_check_tiers_accepts_ranges_inside_the_statute():
    check_tiers(
        (
            *FILLER,
            tier("lighter", "", D(10000), D(30000)),
            tier("heavier", "", D(70000), D(100000)),
            tier("reduced", "", D(0), D(10000)),
            tier("no_penalty"),
        ),
        statutory=STATUTE,
    )


def test_db6_severities_are_required_only_for_a_bounded_range():
    with pytest.raises(
        CatalogValidationError, match="缺少：情节轻微、情节较轻、情节较重、情节严重"
    ):
        check_tiers((tier("ordinary", "", D(10000), D(20000)),), statutory=STATUTE)
    # without a fine, or with an open-ended one, there is no range to divide
    check_tiers((tier("ordinary"),), statutory=None)
    check_tiers((tier("ordinary", "", D(10000), D(20000)),), statutory=FineRange(D(10000), None))


def test_a_fine_on_a_tier_needs_a_statutory_fine():
    with pytest.raises(CatalogValidationError, match="该执法事项没有法定罚款幅度"):
        check_tiers((tier("ordinary", "", D(1), D(2)),), statutory=None)


def test_an_unknown_severity_is_refused():
    with pytest.raises(CatalogValidationError, match="第1个阶次的情节“mild”无效") as exc:
        check_tiers((tier("ordinary", "mild"),), statutory=None)
    assert exc.value.field == "severity"


def test_a_county_tier_without_a_fine_may_refine_a_parent_tier():
    parent = (*FILLER, tier("lighter", "", D(10000), D(30000)))
    check_tiers((*FILLER, tier("lighter")), statutory=STATUTE, parent_tiers=parent)


def test_a_parent_tier_without_a_fine_leaves_the_statute_as_the_limit():
    parent = (*FILLER, tier("lighter"))
    check_tiers(
        (*FILLER, tier("lighter", "", D(10000), D(90000))), statutory=STATUTE, parent_tiers=parent
    )


def test_a_county_tier_without_severity_does_not_match_parent_tiers_with_one():
    # The county's unqualified 一般 tier would be broader than every one of the city's.
    parent = tuple(tier("ordinary", s.value, D(10000), D(100000)) for s in Severity)
    with pytest.raises(CatalogValidationError, match="不在上级裁量基准划定的阶次内"):
        check_tiers(
            (*parent, tier("ordinary", "", D(10000), D(20000))),
            statutory=STATUTE,
            parent_tiers=parent,
        )


def test_a_county_tier_may_fit_any_of_several_parent_tiers_of_its_kind():
    parent = (
        *FILLER,
        tier("lighter", "", D(10000), D(20000)),
        tier("lighter", "", D(40000), D(50000)),
    )
    check_tiers(
        (*FILLER, tier("lighter", "", D(40000), D(45000))), statutory=STATUTE, parent_tiers=parent
    )
    with pytest.raises(CatalogValidationError, match=r"10000至20000元、40000至50000元"):
        check_tiers(
            (*FILLER, tier("lighter", "", D(15000), D(45000))),
            statutory=STATUTE,
            parent_tiers=parent,
        )


# --- rows → rules values (database) ------------------------------------------------------------


def test_item_values_for_the_rules(catalog):
    assert conversions.statutory_fine(catalog.item_a) == FineRange(D(10000), D(100000))
    assert conversions.statutory_fine(catalog.item_b) == FineRange(D(1), D(5), FineBasis.MULTIPLE)
    assert conversions.penalty_types(catalog.item_a) == {PenaltyType.WARNING, PenaltyType.FINE}


def test_an_item_without_a_fine_has_no_statutory_fine(catalog):
    item = services.create_item(
        actor=catalog.cast.department_head,
        organization=catalog.cast.department_a,
        code="SCJ-CF-002",
        name="对某违法行为的警告",
        category="penalty",
        basis_law="中华人民共和国某法",
        basis_article="第一条",
        penalty_types=["warning"],
        effective_from=dt.date(2024, 1, 1),
    )
    assert conversions.statutory_fine(item) is None
    assert conversions.penalty_types(item) == {PenaltyType.WARNING}


def test_a_list_entry_for_the_rules(catalog):
    entry = conversions.list_entry(catalog.entry_a)
    assert entry.kind is ListKind.FIRST_VIOLATION
    assert entry.list_title == "《测试县市场监督管理局首违不罚事项清单》(2024年版)"
    assert entry.number == 1
    assert entry.item_code == "SCJ-CF-001"
    assert entry.conditions == ListConditions(
        requires_first_violation=True, requires_corrected_in_time=True, max_harm=HarmLevel.MINOR
    )
    assert entry.effective_from == dt.date(2024, 1, 1)
    assert entry.effective_until is None
    assert entry.in_force_on(dt.date(2024, 1, 1))
    assert not entry.in_force_on(dt.date(2023, 12, 31))


def test_a_benchmark_for_the_rules_keeps_its_tiers_in_order(catalog):
    standard = conversions.standard(catalog.standard_a)
    assert standard.title == "《测试县市场监督管理局行政处罚裁量基准》(2024年版)"
    assert standard.item_code == "SCJ-CF-001"
    assert [(t.treatment, t.severity) for t in standard.tiers] == [
        (Treatment.NO_PENALTY, None),
        (Treatment.LIGHTER, Severity.MINOR),
        (Treatment.ORDINARY, Severity.SLIGHT),
        (Treatment.ORDINARY, Severity.SERIOUS),
        (Treatment.HEAVIER, Severity.GRAVE),
    ]
    assert standard.tiers[0].fine is None
    assert standard.tiers[3].fine == FineRange(D(30000), D(70000))
    assert standard.tier(Treatment.ORDINARY, Severity.SERIOUS) is standard.tiers[3]


def test_tiers_of_a_multiple_based_item_are_multiples(catalog):
    # Item B's fine is 1–5 times the amount involved; so are its tiers, and the engine must
    # know it to convert them to yuan (it did not: every tier came out as an amount in yuan).
    cast = catalog.cast
    row = services.create_standard(
        actor=cast.rule_of_law_office,
        item=catalog.item_b,
        organization=cast.department_b,
        level="county",
        title="测试县生态环境分局行政处罚裁量基准",
        version="2024年版",
        violation="未批先建",
        legal_basis="《中华人民共和国环境影响评价法》第三十一条第一款",
        effective_from=dt.date(2024, 1, 1),
        tiers=tuple(
            TierInput("ordinary", s.value, D(n), D(n + 1), s.label_zh, f"{n}至{n + 1}倍")
            for n, s in enumerate(Severity, start=1)
        ),
    )
    standard = conversions.standard(row)
    assert {t.fine.basis for t in standard.tiers if t.fine} == {FineBasis.MULTIPLE}
    statute, first = conversions.statutory_fine(catalog.item_b), standard.tiers[0].fine
    assert statute is not None and first is not None
    assert statute.contains(first)
