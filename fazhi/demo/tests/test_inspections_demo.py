"""The demo county's 2024 双随机、一公开: the report's counts, draws anyone can re-compute,
recusals kept, results published."""

from __future__ import annotations

import json

import pytest

from fazhi.draws import selectors as draw_selectors
from fazhi.draws import verifier
from fazhi.draws.models import DrawStatus
from fazhi.inspections.models import (
    Entity,
    InspectionRecord,
    Plan,
    PlanKind,
    Relationship,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db


def test_the_report_counts_come_from_plans_and_tasks(demo_county):
    plans = Plan.objects.filter(year=2024)
    assert plans.filter(kind=PlanKind.DEPARTMENT).count() == 41
    assert plans.filter(kind=PlanKind.JOINT).count() == 28
    assert Task.objects.filter(plan__year=2024).count() == 69
    assert all(p.departments.exists() for p in plans.filter(kind=PlanKind.JOINT))
    assert Entity.objects.count() == 20_000


def test_every_task_was_drawn_inspected_and_published(demo_county):
    for task in Task.objects.filter(plan__year=2024).select_related("draw"):
        assert task.status == TaskStatus.PUBLISHED, task.title
        assert task.draw is not None and task.draw.status == DrawStatus.DRAWN
        assert task.draw.revealed_at is not None
        assert task.draw.revealed_at.date() >= task.draw.randomness_due
        records = task.records.all()
        assert records.exists() and not records.filter(outcome="").exists()
        assert task.draw.result is not None
        assert records.count() == len(task.draw.result["selected"])


def test_published_bundles_verify_with_the_standalone_verifier(demo_county):
    draws = list(draw_selectors.public_draws()[:6])
    assert len(draws) == 6
    for draw in draws:
        bundle = json.loads(json.dumps(draw_selectors.bundle(draw), ensure_ascii=False))
        assert verifier.check_bundle(bundle) == draw.result
        tampered = {**bundle, "randomness": {**bundle["randomness"], "value": "01 02 03"}}
        with pytest.raises(verifier.Mismatch):
            verifier.check_bundle(tampered)


def test_no_inspector_was_sent_to_an_entity_he_or_she_declared(demo_county):
    declared = set(Relationship.objects.values_list("inspector_id", "entity_id"))
    assert len(declared) == 40
    sent = set(
        InspectionRecord.inspectors.through.objects.values_list(
            "inspector_id", "inspectionrecord__entity_id"
        )
    )
    assert sent and not (declared & sent)


def test_a_case_file_review_of_2024_was_drawn_scored_and_answered(demo_county):
    from fazhi.cases.models import CaseReview, ReviewPlan, SupervisionOpinion

    plan = ReviewPlan.objects.get(year=2024)
    assert plan.draw is not None and plan.draw.status == DrawStatus.DRAWN
    reviews = CaseReview.objects.filter(draw=plan.draw)
    assert reviews.count() == 3 * plan.departments.count()
    assert not reviews.filter(scored_on__isnull=True).exists()
    opinions = SupervisionOpinion.objects.filter(plan=plan)
    assert opinions.exists() and not opinions.filter(received_on__isnull=True).exists()
