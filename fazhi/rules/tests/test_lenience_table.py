"""Runs every case of ``lenience.yaml`` (the table legal staff review) through the engine.

The inputs go through the JSON readers (:mod:`fazhi.rules.lenience_json`) exactly as a FACTS.json
file would, so the table also checks that the readers accept what a reviewer writes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from fazhi.rules.enforcement import Treatment
from fazhi.rules.lenience import Decision, LenienceError, evaluate
from fazhi.rules.lenience_json import (
    facts_from_json,
    item_from_json,
    list_entry_from_json,
    standard_from_json,
)
from fazhi.rules.parameters import ParameterSet

TABLE = Path(__file__).with_name("lenience.yaml")
DATA: dict[str, Any] = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]

CASE_KEYS = {"name", "facts", "item", "entries", "standard", "expected"}
EXPECTED_KEYS = {
    "treatment",
    "mandatory",
    "allowed",
    "fine_range",
    "options",
    "time_barred",
    "first_violation",
    "no_coercion",
    "procedure",
    "applied",
    "not_applied",
    "not_applicable",
    "citations",
    "applied_entries",
    "paragraph",
    "paragraph_contains",
    "reason_contains",
    "trace_parameters",
    "warnings_contain",
    "no_warnings",
    "error",
}


def _resolve(case: dict[str, Any], key: str, table: str) -> Any:
    value = case.get(key)
    if isinstance(value, str):
        return DATA[table][value]
    return value


def _decide(case: dict[str, Any], params: ParameterSet) -> Decision:
    facts = facts_from_json(case["facts"])
    raw_item = _resolve(case, "item", "items")
    item = item_from_json(raw_item) if raw_item is not None else None
    entries = [
        list_entry_from_json(DATA["entries"][e] if isinstance(e, str) else e, path=f"entries[{i}]")
        for i, e in enumerate(case.get("entries", []))
    ]
    raw_standard = _resolve(case, "standard", "standards")
    standard = standard_from_json(raw_standard) if raw_standard is not None else None
    return evaluate(
        facts,
        statutory_fine=item.statutory_fine if item else None,
        entries=entries,
        standard=standard,
        params=params,
        penalty_types=item.penalty_types if item else frozenset(),
    )


def _span(raw: dict[str, Any] | None) -> tuple[Decimal, Decimal | None] | None:
    if raw is None:
        return None
    maximum = raw.get("maximum")
    return Decimal(str(raw["minimum"])), None if maximum is None else Decimal(str(maximum))


def test_table_is_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    assert len(CASES) >= 40
    for case in CASES:
        assert set(case) <= CASE_KEYS, case["name"]
        assert set(case["expected"]) <= EXPECTED_KEYS, case["name"]
        for name in case.get("entries", []):
            assert not isinstance(name, str) or name in DATA["entries"], name


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_lenience_case(case: dict[str, Any], params: ParameterSet) -> None:
    expected = case["expected"]
    if "error" in expected:
        # given facts the engine must refuse / then the Chinese message says why
        with pytest.raises(LenienceError, match=expected["error"]):
            _decide(case, params)
        return

    # when
    decision = _decide(case, params)
    explain = f"\n{decision.paragraph}\n" + "\n".join(
        f"{s.rule_id} [{s.outcome}] {s.reason}" for s in decision.trace
    )

    # then
    if "treatment" in expected:
        assert decision.treatment is Treatment(expected["treatment"]), explain
    if "mandatory" in expected:
        assert decision.mandatory is expected["mandatory"], explain
    if "allowed" in expected:
        assert decision.allowed == {Treatment(t) for t in expected["allowed"]}, explain
    if "fine_range" in expected:
        actual = decision.fine_range
        got = None if actual is None else (actual.minimum, actual.maximum)
        assert got == _span(expected["fine_range"]), explain
    for treatment, raw in expected.get("options", {}).items():
        option = decision.option(Treatment(treatment))
        assert option is not None, f"{treatment} is not an option{explain}"
        r = option.fine_range
        assert (None if r is None else (r.minimum, r.maximum)) == _span(raw), explain
    for flag in ("time_barred", "first_violation", "no_coercion"):
        if flag in expected:
            assert getattr(decision, flag) is expected[flag], f"{flag}{explain}"
    for flag, value in expected.get("procedure", {}).items():
        assert getattr(decision.procedure, flag) is value, f"{flag}{explain}"
        assert decision.procedure.note(flag).reason, flag

    outcomes = {"applied": "applied", "not_applied": "not_applied"}
    outcomes["not_applicable"] = "not_applicable"
    for key, outcome in outcomes.items():
        for rule_id in expected.get(key, []):
            steps = [s for s in decision.trace if s.rule_id == rule_id]
            assert steps, f"{rule_id} missing from the trace{explain}"
            assert any(s.outcome == outcome for s in steps), f"{rule_id} not {outcome}{explain}"
    applied_citations = {s.citation for s in decision.trace if s.applied}
    for citation in expected.get("citations", []):
        assert citation in applied_citations, f"{citation} not applied{explain}"
    if "applied_entries" in expected:
        got_entries = [f"{e.kind.value}:{e.number}" for e in decision.applied_entries]
        assert got_entries == expected["applied_entries"], explain
    if "paragraph" in expected:
        assert decision.paragraph == expected["paragraph"], explain
    for phrase in expected.get("paragraph_contains", []):
        assert phrase in decision.paragraph, f"missing “{phrase}”{explain}"
    for rule_id, phrases in expected.get("reason_contains", {}).items():
        reasons = " ".join(s.reason for s in decision.trace if s.rule_id == rule_id)
        for phrase in phrases:
            assert phrase in reasons, f"{rule_id}: missing “{phrase}” in {reasons}"
    for rule_id, parameters in expected.get("trace_parameters", {}).items():
        used = dict(decision.step(rule_id).parameters)
        for key, value in parameters.items():
            assert key in used, f"{rule_id} did not use {key}: {used}"
            if isinstance(value, bool):
                assert used[key] is value, f"{key}: {used[key]}"
            else:
                assert Decimal(str(used[key])) == Decimal(str(value)), f"{key}: {used[key]}"
    for phrase in expected.get("warnings_contain", []):
        assert any(phrase in w for w in decision.warnings), f"“{phrase}” not in {decision.warnings}"
    if expected.get("no_warnings"):
        assert decision.warnings == (), decision.warnings

    # every decision explains itself
    assert decision.paragraph.endswith("。")
    assert all(s.reason for s in decision.trace)
    assert decision.treatment in decision.allowed
