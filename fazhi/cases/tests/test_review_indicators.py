"""The 案卷评查 indicators: files reviewed in the period and their average score."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.cases import review_selectors, review_services
from fazhi.cases.tests.test_review_services import (
    TODAY,
    closed_cases,
    drawn_plan,
    full_scores,
)
from fazhi.core.indicator_registry import Period, Scope, registry

pytestmark = pytest.mark.django_db


def test_files_and_average_score(cc):
    closed_cases(cc, 3)
    plan = drawn_plan(cc, sample_size=3)
    period, county = Period.year(TODAY.year), Scope(cc.cast.county)
    files, average = registry.get("review.files"), registry.get("review.average_score")
    assert files.value(period, county) == 0 and average.value(period, county) == 0
    rows = list(review_selectors.current_reviews(plan))
    for row, deducted in zip(rows[:2], (0, 5), strict=True):
        scores = full_scores(plan)
        scores["discretion"] -= deducted
        review_services.score(
            actor=cc.cast.supervisor,
            plan=plan,
            case=row.case,
            scores=scores,
            notes={"discretion": "裁量说理不足"},
            on=TODAY,
        )
    assert files.value(period, county) == 2  # the third drawn file is not scored yet
    assert average.value(period, county) == Decimal("97.5")
    scored = {r.case.number for r in rows[:2]}
    assert set(files.records(period, county).values_list("case__number", flat=True)) == scored
    # Scope is the case's department; the previous year has none.
    assert files.value(period, Scope(cc.cast.department_b)) == 0
    assert files.value(Period.year(TODAY.year - 1), county) == 0
