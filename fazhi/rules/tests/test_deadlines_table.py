"""Runs every case of ``deadlines.yaml`` (the table legal staff review) on the real calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from fazhi.rules.calendar import MappingCalendar
from fazhi.rules.deadlines import (
    Deadline,
    DeadlineError,
    add_period,
    add_working_days,
    deadline_for,
)
from fazhi.rules.parameters import ParameterError, ParameterSet

TABLE = Path(__file__).with_name("deadlines.yaml")
ALLOWED_KEYS = {
    "name",
    "start",
    "n",
    "law",
    "unit",
    "expected_due",
    "expected_unit",
    "expected_text_contains",
    "expected_error",
}


def _cases() -> list[dict[str, Any]]:
    cases = yaml.safe_load(TABLE.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


CASES = _cases()


def _compute(case: dict[str, Any], calendar: MappingCalendar, params: ParameterSet) -> Deadline:
    start, n = case["start"], case["n"]
    if "law" in case:
        return deadline_for(case["law"], n, start, calendar, params, unit=case.get("unit", "days"))
    if case["unit"] == "working_days":
        return add_working_days(start, n, calendar)
    return add_period(start, n, case["unit"], calendar)


def test_table_is_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for case in CASES:
        assert set(case) <= ALLOWED_KEYS, case["name"]
        assert isinstance(case["start"], date), case["name"]
        assert ("law" in case) or ("unit" in case), case["name"]
        assert ("expected_due" in case) != ("expected_error" in case), case["name"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_deadline_case(
    case: dict[str, Any], official: MappingCalendar, params: ParameterSet
) -> None:
    # given a case from the reviewed table
    if "expected_error" in case:
        # when the input is invalid / then the error message says why, in Chinese
        with pytest.raises((DeadlineError, ParameterError), match=case["expected_error"]):
            _compute(case, official, params)
        return

    # when
    deadline = _compute(case, official, params)

    # then
    assert deadline.due == case["expected_due"], deadline.text
    if "expected_unit" in case:
        assert deadline.unit == case["expected_unit"], deadline.text
    for phrase in case.get("expected_text_contains", []):
        assert phrase in deadline.text, f"missing “{phrase}” in: {deadline.text}"
    assert deadline.start == case["start"]
    assert deadline.n == case["n"]
    assert deadline.steps, "the arithmetic must be shown step by step"
    assert deadline.steps[-1].startswith("届满日") or deadline.warnings
    assert deadline.warnings == (), "2024/2025 are in the official schedule"
