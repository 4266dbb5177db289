"""JSON in and out of the lenience engine: readable Chinese errors, stable output, round trips."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListKind,
    PartyKind,
    PenaltyType,
    Severity,
    Treatment,
)
from fazhi.rules.lenience import Facts, evaluate
from fazhi.rules.lenience_json import (
    LenienceInputError,
    decision_to_json,
    evaluate_json,
    facts_from_json,
    facts_to_json,
    fine_range_from_json,
    fine_range_to_json,
    item_from_json,
    list_entry_from_json,
    list_entry_to_json,
    standard_from_json,
    standard_to_json,
)
from fazhi.rules.parameters import ParameterSet
from fazhi.rules.tests.test_lenience_properties import entries, facts, standards

ENTRY: dict[str, Any] = {
    "kind": "first_violation",
    "list_title": "《东辽县市场监督管理局首违不罚事项清单》(2024年版)",
    "number": 12,
    "item_code": "SC-001",
    "violation": "未按规定公示营业执照",
    "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
    "conditions": {"requires_first_violation": True, "max_harm": "minor"},
    "effective_from": "2024-01-01",
}
STANDARD: dict[str, Any] = {
    "title": "《东辽县市场监督管理局行政处罚裁量基准》(2024年版)",
    "item_code": "SC-001",
    "tiers": [
        {"treatment": "ordinary", "severity": "serious", "fine": {"minimum": 4000, "maximum": 8000}}
    ],
}
FACTS: dict[str, Any] = {
    "act_date": "2024-03-01",
    "discovered_date": "2024-03-10",
    "party_kind": "organization",
    "item_code": "SC-001",
    "harm": "minor",
    "corrected_in_time": True,
}
ITEM: dict[str, Any] = {
    "statutory_fine": {"minimum": "1000", "maximum": "10000"},
    "penalty_types": ["warning", "fine"],
}


# --- reading facts ---------------------------------------------------------------------------


def test_facts_accept_iso_dates_string_amounts_and_chinese_labels() -> None:
    # given a FACTS.json as a clerk might write it
    raw = {
        **FACTS,
        "party_kind": "公民",
        "age": 16,
        "harm": "危害后果轻微",
        "amount_involved": "1234.50",
        "proposed_fine": 800.5,
        "circumstances": ["coerced", "积极配合调查并主动提供证据材料"],
        "proposed_penalties": ["fine"],
        "prior_violation_dates": ["2021-01-01"],
        "decision_date": None,
    }

    # when
    result = facts_from_json(raw)

    # then
    assert result.act_date == date(2024, 3, 1)
    assert result.party_kind is PartyKind.INDIVIDUAL
    assert result.harm is HarmLevel.MINOR
    assert result.amount_involved == Decimal("1234.50")
    assert result.proposed_fine == Decimal("800.5")
    assert result.circumstances == {Circumstance.COERCED, Circumstance.COOPERATED}
    assert result.prior_violation_dates == (date(2021, 1, 1),)
    assert result.decision_date is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"harm": "big"}, r"字段“harm”的取值“big”无效，可选值：none（没有造成危害后果）、minor"),
        ({"severity": "very"}, r"字段“severity”的取值“very”无效，可选值：slight（情节轻微）"),
        ({"circumstances": ["coerced", "bribed"]}, r"字段“circumstances\[1\]”的取值“bribed”无效"),
        ({"act_date": "2024-02-30"}, r"字段“act_date”必须是有效日期（YYYY-MM-DD）"),
        ({"act_date": 20240301}, r"字段“act_date”必须是有效日期"),
        ({"discovered_date": datetime(2024, 3, 10, 9, 0)}, r"字段“discovered_date”必须是日期"),
        ({"amount_involved": "-1"}, r"字段“amount_involved”不能为负数"),
        ({"proposed_fine": -0.5}, r"字段“proposed_fine”不能为负数"),
        ({"proposed_fine": "abc"}, r"字段“proposed_fine”必须是数值"),
        ({"proposed_fine": "NaN"}, r"字段“proposed_fine”必须是有限数值"),
        ({"proposed_fine": True}, r"字段“proposed_fine”必须是数值"),
        ({"corrected_in_time": "yes"}, r"字段“corrected_in_time”必须是 true 或 false"),
        ({"age": "16"}, r"字段“age”必须是整数"),
        ({"circumstances": "coerced"}, r"字段“circumstances”必须是列表"),
        ({"colour": "red"}, r"未知字段：colour"),
        ({"discovered_date": "2024-02-01"}, r"发现之日（2024年2月1日）不能早于违法行为发生之日"),
        ({"age": 30}, r"年龄仅适用于公民"),
    ],
)
def test_bad_facts_are_refused_with_the_field_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(LenienceInputError, match=message):
        facts_from_json({**FACTS, **change})


def test_missing_required_fields_are_named() -> None:
    raw = {k: v for k, v in FACTS.items() if k != "act_date"}
    with pytest.raises(LenienceInputError, match="缺少必填字段“act_date”"):
        facts_from_json(raw)


def test_input_errors_are_value_errors() -> None:
    # The CLI and API catch ValueError; the engine's own errors are ValueErrors too.
    with pytest.raises(ValueError, match="不能为负数"):
        facts_from_json({**FACTS, "amount_involved": -3})


# --- reading entries, benchmarks, items ----------------------------------------------------


def test_list_entry_and_standard_are_read() -> None:
    entry = list_entry_from_json(ENTRY)
    standard = standard_from_json(STANDARD)
    assert entry.kind is ListKind.FIRST_VIOLATION
    assert entry.conditions.max_harm is HarmLevel.MINOR
    assert entry.effective_from == date(2024, 1, 1)
    assert standard.tiers[0].severity is Severity.SERIOUS
    assert standard.tiers[0].fine == FineRange(Decimal(4000), Decimal(8000))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**ENTRY, "kind": "amnesty"}, r"字段“entry.kind”的取值“amnesty”无效，可选值：no_penalty"),
        (
            {**ENTRY, "conditions": {"max_harm": "huge"}},
            r"字段“entry.conditions.max_harm”的取值“huge”无效",
        ),
        ({**ENTRY, "number": 0}, r"字段“entry.number”（序号）必须是正整数"),
        ({**ENTRY, "effective_until": "2023-01-01"}, r"“entry.effective_until”早于"),
        ({k: v for k, v in ENTRY.items() if k != "list_title"}, r"缺少必填字段“entry.list_title”"),
        ({**ENTRY, "conditions": {"max_amount_involved": -5}}, r"max_amount_involved”不能为负数"),
    ],
)
def test_bad_entries_are_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(LenienceInputError, match=message):
        list_entry_from_json(raw)


def test_reversed_fine_range_is_refused_with_the_path() -> None:
    with pytest.raises(LenienceInputError, match="字段“item.statutory_fine”：罚款幅度上下限颠倒"):
        item_from_json({"statutory_fine": {"minimum": 500, "maximum": 100}})


def test_bad_tier_is_refused_with_its_index() -> None:
    raw = {**STANDARD, "tiers": [*STANDARD["tiers"], {"treatment": "lenient"}]}
    with pytest.raises(LenienceInputError, match=r"standard.tiers\[1\].treatment"):
        standard_from_json(raw)


def test_fine_range_round_trip_keeps_the_basis() -> None:
    r = FineRange(Decimal("1"), Decimal("5"), FineBasis.MULTIPLE)
    out = fine_range_to_json(r)
    assert out is not None
    assert out == {
        "minimum": "1",
        "maximum": "5",
        "basis": "multiple",
        "basis_label": out["basis_label"],
    }
    assert fine_range_from_json(json.loads(json.dumps(out))) == r


ROUND_TRIP = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=50)


@ROUND_TRIP
@given(facts())
def test_facts_survive_a_json_round_trip(original: Facts) -> None:
    assert facts_from_json(json.loads(json.dumps(facts_to_json(original)))) == original


@ROUND_TRIP
@given(entries(), standards())
def test_entries_and_standards_survive_a_json_round_trip(entry: Any, standard: Any) -> None:
    assert list_entry_from_json(json.loads(json.dumps(list_entry_to_json(entry)))) == entry
    assert standard_from_json(json.loads(json.dumps(standard_to_json(standard)))) == standard


# --- output ------------------------------------------------------------------------------------

DECISION_KEYS = {
    "treatment",
    "treatment_label",
    "mandatory",
    "mandatory_label",
    "allowed",
    "allowed_labels",
    "options",
    "fine_range",
    "fine_text",
    "time_barred",
    "limitation",
    "first_violation",
    "no_coercion",
    "procedure",
    "applied_entries",
    "paragraph",
    "warnings",
    "trace",
}


def test_decision_json_has_stable_keys_labels_and_string_amounts(params: ParameterSet) -> None:
    # given a 14-17 year old with a fine range
    result = evaluate_json(
        {**FACTS, "party_kind": "individual", "age": 16, "harm": "ordinary", "item": ITEM},
        params,
    )

    # then
    assert set(result) == DECISION_KEYS
    assert result["treatment"] == "reduced"
    assert result["treatment_label"] == "减轻处罚"
    assert result["mandatory_label"] == "应当"
    assert result["allowed"] == ["reduced", "lighter"]
    assert result["fine_range"] == {
        "minimum": "0",
        "maximum": "1000",
        "basis": "amount",
        "basis_label": "罚款金额",
    }
    assert result["options"][1]["fine_range"]["maximum"] == "3700"
    assert set(result["procedure"]) == {
        "summary_allowed",
        "hearing_right",
        "legal_review_required",
        "collective_discussion",
        "education_required",
        "notes",
    }
    step = next(s for s in result["trace"] if s["rule_id"] == "AP-36")
    assert set(step) == {
        "rule_id",
        "citation",
        "title",
        "outcome",
        "outcome_label",
        "reason",
        "parameters",
    }
    assert step["parameters"] == {"LIMITATION_YEARS<2021-07-15>": 2}
    band = next(s for s in result["trace"] if s["rule_id"] == "LE-D1")
    assert band["outcome_label"] == "适用"
    assert result["limitation"]["last_day"] == "2026-03-01"
    json.dumps(result, ensure_ascii=False)  # serialisable as is


def test_decimal_parameters_are_strings_in_json(params: ParameterSet) -> None:
    lighter_entry = {**ENTRY, "kind": "lighter", "number": 7, "conditions": {}}
    obj = {**FACTS, "harm": "ordinary", "circumstances": ["meritorious"]}
    result = evaluate_json({**obj, "item": ITEM, "entries": [lighter_entry]}, params)
    assert result["treatment"] == "reduced"
    summary = next(s for s in result["trace"] if s["rule_id"] == "AP-51")
    assert summary["parameters"] == {"PENALTY_SUMMARY_MAX_FINE_ORG<2021-07-15>": "3000"}


def test_evaluate_json_reads_item_entries_and_standard_inline(params: ParameterSet) -> None:
    # given everything in one FACTS.json
    obj = {**FACTS, "item": ITEM, "entries": [ENTRY], "standard": STANDARD}

    # when
    result = evaluate_json(obj, params)

    # then it equals evaluating the parsed objects directly
    direct = evaluate(
        facts_from_json(FACTS),
        statutory_fine=item_from_json(ITEM).statutory_fine,
        entries=[list_entry_from_json(ENTRY)],
        standard=standard_from_json(STANDARD),
        params=params,
        penalty_types=item_from_json(ITEM).penalty_types,
    )
    assert result == decision_to_json(direct)
    assert result["treatment"] == "no_penalty"
    assert result["applied_entries"][0]["number"] == 12
    assert "第12项" in result["paragraph"]


def test_evaluate_json_accepts_facts_under_a_key(params: ParameterSet) -> None:
    flat = evaluate_json({**FACTS, "item": ITEM}, params)
    nested = evaluate_json({"facts": FACTS, "item": ITEM}, params)
    assert flat == nested
    with pytest.raises(LenienceInputError, match="未知字段：harm"):
        evaluate_json({"facts": FACTS, "harm": "none"}, params)


def test_caller_supplied_item_and_entries_win_over_the_json(params: ParameterSet) -> None:
    # given a FACTS.json with an inline entry, but the catalog supplies none and its own item
    obj = {**FACTS, "item": ITEM, "entries": [ENTRY]}
    item = item_from_json({"statutory_fine": {"minimum": 0, "maximum": 500}, "penalty_types": []})

    # when
    result = evaluate_json(obj, params, item=item, entries=[])

    # then the inline entry is ignored and the supplied fine range is used
    assert result["applied_entries"] == []
    assert result["options"][-1]["fine_range"] == {
        "minimum": "0",
        "maximum": "500",
        "basis": "amount",
        "basis_label": "罚款金额",
    }


def test_engine_errors_pass_through_evaluate_json(params: ParameterSet) -> None:
    with pytest.raises(ValueError, match="早于本引擎所收录"):
        evaluate_json({**FACTS, "act_date": "2020-01-01", "discovered_date": "2021-01-01"}, params)


def test_penalty_type_and_treatment_enums_round_trip_by_label() -> None:
    item = item_from_json({"penalty_types": ["警告", "吊销许可证件"]})
    assert item.penalty_types == {PenaltyType.WARNING, PenaltyType.REVOKE_LICENCE}
    tier = standard_from_json({**STANDARD, "tiers": [{"treatment": "从重处罚"}]}).tiers[0]
    assert tier.treatment is Treatment.HEAVIER
