"""Shared fixtures for the rules tests: the real holiday schedule and the packaged parameters."""

from __future__ import annotations

import pytest

from fazhi.rules.calendar import MappingCalendar, official_calendar
from fazhi.rules.parameters import ParameterSet, default_parameters


@pytest.fixture(scope="session")
def official() -> MappingCalendar:
    """Every year chinese_calendar knows, as the database table would hold it."""
    return official_calendar()


@pytest.fixture(scope="session")
def params() -> ParameterSet:
    return default_parameters()
