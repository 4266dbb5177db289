"""Fixtures of the case tests: the catalog cast plus a second certified officer."""

from __future__ import annotations

import pytest

from fazhi.cases.testing import CaseCast, build_cases
from fazhi.core.testing import Cast


@pytest.fixture
def cc(cast: Cast) -> CaseCast:
    return build_cases(cast)
