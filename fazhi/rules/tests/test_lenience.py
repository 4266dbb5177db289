"""Unit tests of the lenience engine beyond the reviewed table (lenience.yaml)."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListConditions,
    ListEntry,
    ListKind,
    MentalCapacity,
    PartyKind,
    Severity,
    Standard,
    StandardTier,
    Treatment,
)
from fazhi.rules.lenience import Decision, Facts, LenienceError, evaluate
from fazhi.rules.parameters import DEFAULT_PARAMETER_DIR, ParameterSet, load_parameters

FINE = FineRange(Decimal(1000), Decimal(10000))
BASE = Facts(act_date=date(2024, 3, 1), discovered_date=date(2024, 3, 10), item_code="SC-001")


def _entry(kind: ListKind, number: int = 1, **conditions: object) -> ListEntry:
    return ListEntry(
        kind=kind,
        list_title="《某局清单》",
        number=number,
        item_code="SC-001",
        violation="某违法行为",
        legal_basis="《某法》第一条",
        conditions=ListConditions(**conditions),  # type: ignore[arg-type]
    )


def _decide(
    params: ParameterSet,
    facts: Facts = BASE,
    *,
    entries: tuple[ListEntry, ...] = (),
    standard: Standard | None = None,
    fine: FineRange | None = FINE,
) -> Decision:
    return evaluate(facts, statutory_fine=fine, entries=entries, standard=standard, params=params)


# --- facts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"discovered_date": date(2024, 2, 1)}, "发现之日.*不能早于违法行为发生之日"),
        ({"continuing_until": date(2024, 2, 1)}, "违法行为终了之日.*不能早于"),
        ({"decision_date": date(2024, 3, 9)}, "作出决定之日.*不能早于发现之日"),
        ({"age": 30}, "年龄仅适用于公民"),
        ({"mental_capacity": MentalCapacity.PARTIAL}, "仅适用于公民"),
        ({"amount_involved": Decimal(-1)}, "金额不能为负数（amount_involved）"),
        ({"proposed_fine": Decimal("-0.01")}, "金额不能为负数（proposed_fine）"),
        ({"party_kind": PartyKind.INDIVIDUAL, "age": 200}, "年龄必须是0至149之间的整数"),
    ],
)
def test_impossible_facts_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(LenienceError, match=message):
        dataclasses.replace(BASE, **changes)


def test_decision_date_defaults_to_discovery_and_act_end_to_the_act() -> None:
    assert BASE.decided_on == date(2024, 3, 10)
    assert BASE.act_end == date(2024, 3, 1)
    continuing = dataclasses.replace(BASE, continuing_until=date(2024, 3, 5))
    assert continuing.act_end == date(2024, 3, 5)


# --- limitation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("discovered", "barred"),
    [(date(2026, 2, 28), False), (date(2026, 3, 1), True)],
)
def test_limitation_from_29_february_ends_on_28_february(
    params: ParameterSet, discovered: date, barred: bool
) -> None:
    # 民法典 第二百零二条: no corresponding day in the final month -> its last day.
    facts = dataclasses.replace(BASE, act_date=date(2024, 2, 29), discovered_date=discovered)
    decision = _decide(params, facts)
    assert decision.limitation.last_day == date(2026, 2, 28)
    assert decision.time_barred is barred


# --- which date's rules (第三十七条) ---------------------------------------------------------


@pytest.fixture
def amended(tmp_path: Path) -> ParameterSet:
    """The packaged parameters plus an imagined 2025 amendment of two of them."""
    for path in DEFAULT_PARAMETER_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    penalty = tmp_path / "penalty.yaml"
    text = penalty.read_text(encoding="utf-8")
    for code, old, new in (
        ("PENALTY_SUMMARY_MAX_FINE_ORG", "2021-07-15: 3000", "2025-01-01: 5000"),
        ("LIMITATION_YEARS", "2021-07-15: 2", "2025-01-01: 3"),
    ):
        head, block, rest = text.partition(f"\n{code}:\n")
        assert block, code
        before, found, after = rest.partition(f"    {old}\n")
        assert found, code
        text = f"{head}{block}{before}{found}    {new}\n{after}"
    penalty.write_text(text, encoding="utf-8")
    amended = load_parameters(tmp_path)
    assert amended.int_value("LIMITATION_YEARS", date(2025, 1, 1)) == 3
    assert amended.int_value("MIN_OFFICERS", date(2025, 1, 1)) == 2
    return amended


def test_substantive_rules_are_read_at_the_act_and_procedure_at_the_decision(
    amended: ParameterSet,
) -> None:
    # given an act in 2024 decided in 2025, after both thresholds changed
    facts = dataclasses.replace(
        BASE,
        act_date=date(2024, 6, 1),
        discovered_date=date(2024, 12, 1),
        decision_date=date(2025, 2, 1),
        proposed_fine=Decimal(4000),
        proposed_penalties=frozenset(),
    )

    # when
    decision = _decide(amended, facts)

    # then the limitation is the old 2 years (从旧) and the summary limit the new 5000 (程序从新)
    assert dict(decision.step("AP-36").parameters) == {"LIMITATION_YEARS<2021-07-15>": 2}
    assert dict(decision.step("AP-51").parameters) == {
        "PENALTY_SUMMARY_MAX_FINE_ORG<2025-01-01>": Decimal(5000)
    }
    assert decision.procedure.summary_allowed


def test_parameter_sets_never_share_cached_values(
    params: ParameterSet, amended: ParameterSet
) -> None:
    # The engine caches parameter reads; a second parameter set must not see the first's values.
    facts = dataclasses.replace(BASE, act_date=date(2025, 6, 1), discovered_date=date(2025, 6, 2))
    assert _decide(params, facts).limitation.years == 2
    assert _decide(amended, facts).limitation.years == 3
    assert _decide(params, facts).limitation.years == 2


def test_continuing_act_is_governed_by_the_law_when_it_ends(params: ParameterSet) -> None:
    # given an act that began before the 2021 law and continued after it
    facts = dataclasses.replace(
        BASE,
        act_date=date(2021, 5, 1),
        continuing_until=date(2021, 9, 1),
        discovered_date=date(2022, 1, 1),
    )
    # when / then it is decided (under the 2021 law), not refused
    assert _decide(params, facts).treatment is Treatment.ORDINARY
    with pytest.raises(LenienceError, match="2021年5月1日"):
        _decide(params, dataclasses.replace(facts, continuing_until=None))


# --- precedence ----------------------------------------------------------------------------------


def test_published_no_penalty_list_outranks_statutory_mitigation(params: ParameterSet) -> None:
    facts = dataclasses.replace(BASE, party_kind=PartyKind.INDIVIDUAL, age=16, harm=HarmLevel.MINOR)
    decision = _decide(
        params, facts, entries=(_entry(ListKind.NO_PENALTY, max_harm=HarmLevel.MINOR),)
    )
    assert decision.treatment is Treatment.NO_PENALTY
    assert decision.mandatory
    assert decision.allowed == {Treatment.NO_PENALTY}


def test_first_violation_list_cannot_widen_the_statute(params: ParameterSet) -> None:
    # given a 首违 entry without structured conditions, and harm beyond 危害后果轻微
    facts = dataclasses.replace(BASE, harm=HarmLevel.ORDINARY, corrected_in_time=True)
    decision = _decide(params, facts, entries=(_entry(ListKind.FIRST_VIOLATION, 4),))
    # then the statutory conditions of 第三十三条第一款后句 still apply
    assert decision.treatment is Treatment.ORDINARY
    step = decision.step("LIST:first_violation:4")
    assert step.outcome == "not_applied"
    assert "首违不罚以危害后果轻微为法定条件" in step.reason


def test_articles_of_the_same_law_are_cited_together(params: ParameterSet) -> None:
    facts = dataclasses.replace(
        BASE,
        party_kind=PartyKind.INDIVIDUAL,
        age=15,
        circumstances=frozenset({Circumstance.CONFESSED}),
    )
    decision = _decide(params, facts)
    assert decision.paragraph.startswith("依据《中华人民共和国行政处罚法》第三十条、第三十二条，")


def test_benchmark_of_another_item_is_not_applied(params: ParameterSet) -> None:
    standard = Standard(
        "《某局裁量基准》",
        "SC-999",
        "",
        "",
        (StandardTier(Treatment.ORDINARY, None, FineRange(Decimal(2000), Decimal(3000)), "", ""),),
    )
    decision = _decide(params, standard=standard)
    assert decision.fine_range == FINE
    assert decision.step("STD:ordinary").outcome == "not_applicable"


def test_benchmark_with_multiples_needs_the_amount(params: ParameterSet) -> None:
    tier_fine = FineRange(Decimal(1), Decimal(2), FineBasis.MULTIPLE)
    standard = Standard(
        "《某局裁量基准》",
        "SC-001",
        "",
        "",
        (StandardTier(Treatment.ORDINARY, Severity.MINOR, tier_fine, "情节较轻", ""),),
    )
    facts = dataclasses.replace(BASE, severity=Severity.MINOR)
    without = _decide(params, facts, standard=standard)
    assert without.fine_range == FINE
    assert without.step("STD:ordinary:minor").outcome == "not_applied"
    with_amount = _decide(
        params, dataclasses.replace(facts, amount_involved=Decimal(3000)), standard=standard
    )
    assert with_amount.fine_range == FineRange(Decimal(3000), Decimal(6000))


def test_evaluation_is_deterministic_and_leaves_its_inputs_alone(params: ParameterSet) -> None:
    entries = (_entry(ListKind.LIGHTER, 7), _entry(ListKind.NO_COERCION, 2))
    first = _decide(params, BASE, entries=entries)
    second = _decide(params, BASE, entries=entries)
    assert first == second
    assert entries == (_entry(ListKind.LIGHTER, 7), _entry(ListKind.NO_COERCION, 2))


def test_decision_helpers(params: ParameterSet) -> None:
    decision = _decide(params)
    assert decision.option(Treatment.ORDINARY) is not None
    assert decision.option(Treatment.HEAVIER) is None
    assert decision.step("AP-36").rule_id == "AP-36"
    with pytest.raises(KeyError):
        decision.step("NO-SUCH-RULE")
    with pytest.raises(KeyError):
        decision.procedure.note("no_such_flag")
    assert "AP-37" in decision.applied_rule_ids
    assert "《中华人民共和国行政处罚法》第三十七条" in decision.applied_citations


def test_mandatory_no_penalty_with_a_proposed_fine_warns(params: ParameterSet) -> None:
    facts = dataclasses.replace(BASE, no_subjective_fault=True, proposed_fine=Decimal(500))
    decision = _decide(params, facts)
    assert decision.treatment is Treatment.NO_PENALTY
    assert any("依法应当不予处罚，但拟处罚款500元" in w for w in decision.warnings)


def test_reduced_fine_must_be_below_the_minimum(params: ParameterSet) -> None:
    # 减轻 = 法定最低限以下: a fine equal to the minimum is 从轻, not 减轻.
    facts = dataclasses.replace(
        BASE, circumstances=frozenset({Circumstance.COERCED}), proposed_fine=Decimal(1000)
    )
    decision = _decide(params, facts)
    assert decision.treatment is Treatment.REDUCED
    step = decision.step("CHECK-FINE")
    assert step.outcome == "applied"
    assert "从轻处罚" in step.reason and "减轻处罚" not in step.reason


def test_unbounded_statutory_fine_has_no_bands(params: ParameterSet) -> None:
    facts = dataclasses.replace(BASE, circumstances=frozenset({Circumstance.REPEAT_OFFENCE}))
    decision = _decide(params, facts, fine=FineRange(Decimal(5000), None))
    assert decision.treatment is Treatment.HEAVIER
    assert decision.fine_range == FineRange(Decimal(5000), None)
    assert decision.step("LE-D3").outcome == "not_applied"
    assert "5000元以上" in decision.paragraph
