"""Reads of 双随机、一公开: data scope (own plans, joint plans seen by participants, county-wide
directories), the public lists, and the entity-side “was I drawn” lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from fazhi.draws.models import DrawStatus
from fazhi.draws.services import load_pool
from fazhi.inspections import selectors, services
from fazhi.inspections.models import InspectionRecord, TaskStatus
from fazhi.inspections.testing import (
    EVIDENCE,
    SOURCE,
    InspectionCast,
    build_inspections,
    draw,
    today,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast)


def _joint_plan(ic, *, publish=True):
    cast = ic.cast
    year = today().year
    plan = services.create_plan(
        actor=cast.rule_of_law_office,
        organization=cast.justice_bureau,
        kind="joint",
        year=year,
        number=f"LH-{year}-01",
        title=f"{year}年餐饮联合抽查计划",
        items=[ic.item],
        ratios={"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
        starts_on=D(year, 1, 1),
        ends_on=D(year, 12, 31),
        departments=[cast.department_a, cast.department_b],
        industries=["餐饮"],
    )
    if publish:
        services.publish_plan(actor=cast.rule_of_law_office, plan=plan, on=today())
    return plan


def test_department_sees_its_own_and_joined_plans_only(ic):
    cast = ic.cast
    joint = _joint_plan(ic)
    assert set(selectors.plans_for(cast.officer)) == {ic.plan, joint}
    assert set(selectors.plans_for(cast.other_officer)) == {joint}  # department B joins it
    assert set(selectors.plans_for(cast.supervisor)) == {ic.plan, joint}
    with pytest.raises(Http404):
        selectors.plan_for(cast.other_officer, ic.plan.pk)
    assert selectors.plan_for(cast.other_officer, joint.pk) == joint
    assert list(selectors.plans_for(cast.officer, kind="joint")) == [joint]
    assert list(selectors.plans_for(cast.officer, year=today().year - 1)) == []
    assert vars(selectors.plans_for(cast.officer).get(pk=ic.plan.pk))["task_count"] == 1
    with pytest.raises(PermissionDenied):
        selectors.plans_for(cast.system_admin)


def test_tasks_and_records_follow_the_plan_scope(ic):
    cast = ic.cast
    task = draw(ic)
    assert list(selectors.tasks_for(cast.officer)) == [task]
    assert list(selectors.tasks_for(cast.other_officer)) == []
    with pytest.raises(Http404):
        selectors.task_for(cast.other_officer, task.pk)
    counted = selectors.task_for(cast.officer, task.pk)
    assert (vars(counted)["record_count"], vars(counted)["recorded_count"]) == (13, 0)
    assert selectors.records_for(cast.officer, task=task).count() == 13
    assert selectors.records_for(cast.other_officer).count() == 0
    rec = task.records.first()
    assert rec is not None
    with pytest.raises(Http404):
        selectors.record_for(cast.other_officer, rec.pk)
    assert list(selectors.tasks_for(cast.officer, status=TaskStatus.PLANNED)) == []


def test_records_list_has_no_n_plus_one(ic):
    draw(ic)
    with CaptureQueriesContext(connection) as ctx:
        rows = [
            (r.entity.name, r.entity.township.name, [i.officer.name for i in r.inspectors.all()])
            for r in selectors.records_for(ic.cast.officer)
        ]
    assert len(rows) == 13
    assert len(ctx.captured_queries) <= 6


def test_directories_are_county_wide_and_searchable(ic):
    cast = ic.cast
    assert selectors.entities_for(cast.other_officer).count() == 42
    assert selectors.entities_for(cast.other_officer, industry="零售").count() == 2
    assert selectors.entities_for(cast.officer, q="第1餐馆").count() == 1
    assert selectors.entities_for(cast.officer, risk_class="D").count() == 4
    assert selectors.entities_for(cast.officer, township=ic.township2).count() == 20
    assert selectors.entities_for(cast.officer, township="xz2").count() == 20
    assert selectors.inspectors_for(cast.other_officer).count() == 5
    assert [i.officer.name for i in selectors.inspectors_for(cast.officer, q="22050001")] == [
        "周环保"
    ]
    # Items are per department.
    assert list(selectors.items_for(cast.officer)) == [ic.item]
    assert list(selectors.items_for(cast.other_officer)) == []
    assert list(selectors.items_for(cast.supervisor, organization="scj")) == [ic.item]
    assert list(selectors.items_for(cast.supervisor, organization="hbj")) == []
    assert list(selectors.items_for(cast.supervisor, q="食品安全法")) == [ic.item]


def test_public_lists_show_published_plans_and_results_only(ic):
    draft = _joint_plan(ic, publish=False)
    assert ic.plan in selectors.public_plans() and draft not in selectors.public_plans()
    task = draw(ic)
    assert list(selectors.public_tasks()) == [task]
    assert selectors.public_results().count() == 0
    for rec in task.records.all():
        services.record_result(
            actor=ic.head, record=rec, inspected_on=today(), outcome="passed", findings=""
        )
    assert selectors.public_results().count() == 0  # done, not yet published
    services.publish_results(actor=ic.head, task=task, on=today())
    assert selectors.public_results().count() == 13


def test_entity_draws_lists_every_draw_whose_pool_held_it(ic):
    task = draw(ic)
    first = task.draw
    assert first is not None and first.result is not None
    selected = {s["id"] for s in first.result["selected"]}
    picked = next(e for e in ic.entities if e.credit_code in selected)
    missed = next(e for e in ic.entities if e.credit_code not in selected)
    # A re-draw: the old draw stays listed, marked as replaced.
    services.commit_draw(
        actor=ic.head,
        task=task,
        randomness_source=SOURCE,
        randomness_due=today(),
        redraw_reason="检查人员调整",
    )
    rows = selectors.entity_draws(picked.credit_code.lower())
    assert [r["draw_id"] for r in rows][-1] == first.pk and len(rows) == 2
    old = rows[-1]
    assert old["selected"] is True and old["superseded"] is True
    assert old["task"] == task and old["plan"] == ic.plan
    assert len(old["inspectors"]) == 2 and old["stratum"] == picked.risk_class
    pending = rows[0]
    assert pending["status"] == DrawStatus.COMMITTED and pending["selected"] is None
    assert pending["task"] == task
    mine = selectors.entity_draws(missed.credit_code)[-1]
    assert mine["selected"] is False and mine["inspectors"] == []
    # A shop outside the plan's industries was never in a pool.
    assert selectors.entity_draws(ic.shops[0].credit_code) == []
    assert selectors.entity_draws('x"') == []
    assert InspectionRecord.objects.filter(task=task).count() == 0
    services.reveal_draw(actor=ic.head, task=task, value="11 22 33", evidence=EVIDENCE)
    latest = selectors.entity_draws(picked.credit_code)[0]
    assert latest["status"] == DrawStatus.DRAWN and latest["superseded"] is False
    task.refresh_from_db()
    drawn_now = task.records.filter(entity=picked).exists()
    assert latest["selected"] is drawn_now and bool(latest["inspectors"]) is drawn_now


def test_task_draws_keeps_the_replaced_draws(ic):
    assert selectors.task_draws(ic.task) == []
    task = draw(ic)
    first = task.draw
    assert first is not None
    second = services.commit_draw(
        actor=ic.head,
        task=task,
        randomness_source=SOURCE,
        randomness_due=today(),
        redraw_reason="检查人员调整",
    )
    task.refresh_from_db()
    assert selectors.task_draws(task) == [second, first]


def test_pool_record_finds_every_record_by_binary_search(ic):
    task = draw(ic)
    assert task.draw is not None
    digest = task.draw.pool_file
    pool = load_pool(digest)
    for record in pool:
        assert selectors.pool_record(digest, record["id"]) == record
    ids = sorted(r["id"] for r in pool)
    for absent in ("", "0", ids[0][:-1], ids[-1] + "0", "ZZZZ", ic.shops[0].credit_code):
        assert selectors.pool_record(digest, absent) is None
    assert selectors.pool_record("0" * 64, ids[0]) is None  # no such file


def test_pool_record_on_a_large_pool_with_a_tricky_value():
    """Values holding ``{``, ``"`` and ``}`` do not fool the search (quotes are escaped)."""
    import io

    from fazhi.draws.verifier import canonical
    from fazhi.ledger.services import store_attachment

    records = [
        {"id": f"ID{i:05d}", "stratum": "A", "needs": ['x{"id":"ID00001"}'], "township": "t"}
        for i in range(0, 3000, 3)
    ]
    stored = store_attachment(
        stream=io.BytesIO(canonical(records)), original_name="p.json", content_type="x"
    )
    for i in range(3000):
        found = selectors.pool_record(stored.digest, f"ID{i:05d}")
        assert (found is not None) == (i % 3 == 0)
        if found is not None:
            assert found["id"] == f"ID{i:05d}" and found["needs"] == ['x{"id":"ID00001"}']
