"""双随机、一公开 on the portal: published plans only; every draw with its commitment before the
reveal, its result after; re-draws linked both ways; bundles that verify; the enterprise lookup;
no relationships, no unpublished plan, no unpublished result."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.draws import verifier
from fazhi.draws.models import Draw
from fazhi.inspections import services
from fazhi.inspections.models import InspectionRecord, Task
from fazhi.inspections.testing import (
    EVIDENCE,
    RANDOMNESS,
    SOURCE,
    InspectionCast,
    build_inspections,
    draw,
    today,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def url(name: str, *args) -> str:
    return reverse(f"portal:{name}", args=args)


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast)


def _draft_plan(ic: InspectionCast):
    year = today().year
    plan = services.create_plan(
        actor=ic.head,
        organization=ic.cast.department_a,
        kind="department",
        year=year,
        number="DRAFT-SECRET-1",
        title="尚未公布的秘密计划",
        items=[ic.item],
        ratios={"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    services.add_task(
        actor=ic.head, plan=plan, number="DRAFT-SECRET-1-1", title="秘密任务", due_on=plan.ends_on
    )
    return plan


def _everything(client: Client, ic: InspectionCast) -> str:
    """Every public inspections page the cast gives, concatenated."""
    pages = [url("inspection_plans"), url("inspection_results")]
    pages += [url("inspection_plan", p.pk) for p in [ic.plan]]
    pages += [url("inspection_draw", d.pk) for d in Draw.objects.all()]
    pages += [url("inspection_lookup") + f"?credit_code={e.credit_code}" for e in ic.entities[:3]]
    out = []
    for p in pages:
        response = client.get(p)
        assert response.status_code == 200, p
        out.append(response.content.decode())
    return "\n".join(out)


def test_an_unpublished_plan_is_never_shown(ic):
    plan = _draft_plan(ic)
    client = Client()
    assert "尚未公布的秘密计划" not in text(client.get(url("inspection_plans")))
    assert client.get(url("inspection_plan", plan.pk)).status_code == 404
    assert "秘密" not in _everything(client, ic)
    # the published one is there, without login
    page = text(client.get(url("inspection_plans")))
    assert ic.plan.title in page
    plan_page = text(client.get(url("inspection_plan", ic.plan.pk)))
    assert ic.task.title in plan_page
    # the ratios its draws use (its only item is 一般), not the stored table per item kind
    assert "按一般检查事项的比例：A类 0.1；B类 0.2；C类 0.5；D类 1" in plan_page


def test_the_commitment_is_public_before_the_reveal_and_the_page_follows_it(ic):
    services.commit_draw(
        actor=ic.head, task=ic.task, randomness_source=SOURCE, randomness_due=today()
    )
    d = Draw.objects.get(task=ic.task)
    client = Client()
    response = client.get(url("inspection_draw", d.pk))
    page = response.content.decode()
    assert "承诺已公布" in page and d.commitment_digest in page
    assert d.commitment["pool"]["root"] in page and SOURCE in page
    assert 'hx-trigger="every' in page
    # the htmx refresh returns the block alone
    block = client.get(url("inspection_draw", d.pk), HTTP_HX_REQUEST="true").content.decode()
    assert block.lstrip().startswith("<section") and "承诺已公布" in block
    services.reveal_draw(actor=ic.head, task=ic.task, value=RANDOMNESS, evidence=EVIDENCE)
    d.refresh_from_db()
    page = text(client.get(url("inspection_draw", d.pk)))
    assert "已抽取" in page and RANDOMNESS in page
    assert d.result is not None
    for s in d.result["selected"]:
        assert s["id"] in page
    assert "hx-trigger" not in client.get(url("inspection_draw", d.pk)).content.decode()


def test_the_public_bundle_verifies_and_the_verifier_is_served(ic):
    task = draw(ic)
    client = Client()
    response = client.get(url("inspection_draw_bundle", task.draw_id))
    assert response.status_code == 200
    bundle = json.loads(response.content)
    assert verifier.check_bundle(bundle)["selected"]
    bundle["pool"][0]["stratum"] = "D" if bundle["pool"][0]["stratum"] != "D" else "A"
    with pytest.raises(verifier.Mismatch):
        verifier.check_bundle(bundle)
    response = client.get(url("inspection_verifier"))
    assert response["Content-Type"].startswith("text/x-python")
    assert 'filename="draw_verifier.py"' in response["Content-Disposition"]


def test_a_redraw_shows_both_draws_linked_both_ways(ic):
    task = draw(ic)
    old = Draw.objects.get(task=task)
    services.commit_draw(
        actor=ic.head,
        task=Task.objects.get(pk=task.pk),
        randomness_source=SOURCE,
        randomness_due=today(),
        redraw_reason="名录库行业登记有误",
    )
    new = Draw.objects.get(task=task)
    assert new.supersedes_id == old.pk
    client = Client()
    old_page = client.get(url("inspection_draw", old.pk)).content.decode()
    assert url("inspection_draw", new.pk) in old_page and "名录库行业登记有误" in old_page
    new_page = client.get(url("inspection_draw", new.pk)).content.decode()
    assert url("inspection_draw", old.pk) in new_page
    assert client.get(url("inspection_draw_bundle", old.pk)).status_code == 200


def test_the_enterprise_lookup(ic):
    task = draw(ic)
    d = Draw.objects.get(task=task)
    assert d.result is not None
    chosen = d.result["selected"][0]["id"]
    client = Client()
    page = client.get(url("inspection_lookup"), {"credit_code": chosen.lower()}).content.decode()
    assert "被抽中" in page and url("inspection_draw_bundle", d.pk) in page
    assert "python3 draw_verifier.py" in page
    shop = ic.shops[0].credit_code  # outside the plan's industries: in no pool
    page = text(client.get(url("inspection_lookup"), {"credit_code": shop}))
    assert "没有进入过公开抽取的候选名单" in page
    response = client.get(url("inspection_lookup"), {"credit_code": "12345"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "请输入18位统一社会信用代码" in page and 'value="12345"' in page


def test_results_only_once_published_and_no_relationships_anywhere(ic):
    services.declare_relationship(
        actor=ic.head,
        inspector=ic.inspectors[1],
        entity=ic.entities[0],
        description="亲属关系甲乙丙",
    )
    task = draw(ic)
    for rec in InspectionRecord.objects.filter(task=task):
        services.record_result(
            actor=ic.head,
            record=rec,
            inspected_on=today(),
            outcome="rectify",
            findings="内部检查情况不公开",
        )
    client = Client()
    first = InspectionRecord.objects.filter(task=task).select_related("entity").first()
    assert first is not None
    assert first.entity.name not in text(client.get(url("inspection_results")))
    services.publish_results(actor=ic.head, task=Task.objects.get(pk=task.pk), on=today())
    page = text(client.get(url("inspection_results")))
    assert first.entity.name in page and "责令整改" in page
    everything = _everything(client, ic)
    assert "亲属关系甲乙丙" not in everything
    # inspectors appear by name and certificate number, never their account or scope
    assert ic.cast.officer.username not in everything


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_public_lists_query_counts_do_not_grow(ic):
    task = draw(ic)
    for rec in InspectionRecord.objects.filter(task=task):
        services.record_result(
            actor=ic.head, record=rec, inspected_on=today(), outcome="passed", findings="无"
        )
    services.publish_results(actor=ic.head, task=Task.objects.get(pk=task.pk), on=today())
    client = Client()
    paths = [url("inspection_plans"), url("inspection_results"), url("inspection_plan", ic.plan.pk)]
    for p in paths:
        client.get(p)
    before = {p: _queries(client, p) for p in paths}
    year = today().year
    for i in range(4):
        plan = services.create_plan(
            actor=ic.head,
            organization=ic.cast.department_a,
            kind="joint",
            year=year,
            number=f"PUB-{i}",
            title=f"公开计划{i}",
            items=[ic.item],
            ratios={"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            departments=[ic.cast.department_b],
        )
        services.publish_plan(actor=ic.head, plan=plan, on=today())
        services.add_task(
            actor=ic.head, plan=ic.plan, number=f"EXTRA-{i}", title=f"任务{i}", due_on=plan.ends_on
        )
    after = {p: _queries(client, p) for p in paths}
    assert after == before
