"""/api/v1/inspections: directories, plans, tasks with commit/reveal, records with results —
permission (403 before lookup), scope (404), refusals as {code, message, details}, and lists
whose query count does not grow with their rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.draws import verifier
from fazhi.draws.models import Draw
from fazhi.inspections import services
from fazhi.inspections.models import InspectionRecord, Plan, Task
from fazhi.inspections.testing import (
    EVIDENCE,
    RANDOMNESS,
    SOURCE,
    InspectionCast,
    build_inspections,
    draw,
    entity_code,
    today,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inspections"


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast)


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content.decode()[:1000]
    body = response.json()
    assert body["code"] == code and body["message"]
    assert set(body) == {"code", "message", "details"}
    return body


def _plan_body(number: str, ratios) -> dict:
    year = today().year
    return {
        "organization": "scj",
        "kind": "department",
        "year": year,
        "number": number,
        "title": "接口计划",
        "items": ["SCJ-CC-001"],
        "ratios": ratios,
        "starts_on": f"{year}-01-01",
        "ends_on": f"{year}-12-31",
    }


def test_plan_ratios_per_item_kind_round_trip_through_the_api(ic, as_user):
    head = as_user(ic.cast.department_head)
    ratios = {
        "general": {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"},
        "key": {"A": "3%", "B": "0.05", "C": "0.20", "D": "0.5"},
    }
    response = head.post(
        f"{BASE}/plans", _plan_body("API-K1", ratios), content_type="application/json"
    )
    assert response.status_code == 201, response.content.decode()
    expected = {
        "general": {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"},
        "key": {"A": "0.03", "B": "0.05", "C": "0.2", "D": "0.5"},
    }
    assert response.json()["ratios"] == expected
    assert Plan.objects.get(number="API-K1").ratios == expected
    assert head.get(f"{BASE}/plans/{response.json()['id']}").json()["ratios"] == expected
    # {} takes the parameter's defaults
    response = head.post(f"{BASE}/plans", _plan_body("API-K2", {}), content_type="application/json")
    assert response.status_code == 201 and set(response.json()["ratios"]) == {"general", "key"}


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        (
            {
                "general": {"A": "0", "B": "0", "C": "0", "D": "0"},
                "key": {"A": "0", "B": "0", "C": "1.5", "D": "0"},
            },
            "重点事项 C类的抽查比例应在0到1之间",
        ),
        ({"general": {"A": "0", "B": "0", "C": "0", "D": "0"}}, "请设定重点事项的抽查比例"),
        ({"special": {"A": "0"}}, "事项类别“special”无效"),
        ({"A": "0.1", "B": "0.1", "C": "0.1", "E": "0.1"}, "风险类别“E”无效"),
    ],
)
def test_plan_ratio_refusals_are_422_on_ratios(ic, as_user, ratios, message):
    head = as_user(ic.cast.department_head)
    err = _error(
        head.post(f"{BASE}/plans", _plan_body("API-BAD", ratios), content_type="application/json"),
        422,
        "validation_error",
    )
    assert any(message in m for m in err["details"]["fields"]["ratios"])
    assert not Plan.objects.filter(number="API-BAD").exists()


def test_wrong_role_403_anonymous_401_other_department_404(ic, as_user):
    _error(as_user(None).get(f"{BASE}/plans"), 401, "not_authenticated")
    admin = as_user(ic.cast.system_admin)
    _error(admin.get(f"{BASE}/entities"), 403, "permission_denied")
    officer = as_user(ic.cast.officer)  # may view, not draw: 403 even for a task it sees
    body = {"randomness_source": SOURCE, "randomness_due": today().isoformat()}
    _error(
        officer.post(f"{BASE}/tasks/{ic.task.pk}/commit", body, content_type="application/json"),
        403,
        "permission_denied",
    )
    other = as_user(ic.cast.other_officer)
    _error(other.get(f"{BASE}/plans/{ic.plan.pk}"), 404, "not_found")
    _error(other.get(f"{BASE}/tasks/{ic.task.pk}"), 404, "not_found")
    assert other.get(f"{BASE}/plans").json()["count"] == 0
    # the directories are county-wide
    assert other.get(f"{BASE}/entities").json()["count"] == len(ic.entities) + len(ic.shops)


def test_entities_search_and_create_with_a_chinese_refusal(ic, as_user):
    head = as_user(ic.cast.department_head)
    page = head.get(f"{BASE}/entities", {"industry": "零售"}).json()
    assert {e["name"] for e in page["items"]} == {"测试县第0商店", "测试县第1商店"}
    body = {
        "credit_code": "91220422000000000X",
        "name": "代码错误的公司",
        "industry": "餐饮",
        "township": ic.cast.township.code,
        "risk_class": "B",
    }
    err = _error(
        head.post(f"{BASE}/entities", body, content_type="application/json"),
        422,
        "validation_error",
    )
    assert "credit_code" in err["details"]["fields"]
    body["credit_code"] = entity_code(4242)
    response = head.post(f"{BASE}/entities", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["risk_class"] == "B"
    body["township"] = "no-such"
    err = _error(
        head.post(f"{BASE}/entities", body, content_type="application/json"),
        422,
        "validation_error",
    )
    assert "township" in err["details"]["fields"]


def test_plan_create_publish_task_and_the_draw_through_the_api(ic, as_user):
    head = as_user(ic.cast.department_head)
    year = today().year
    body = {
        "organization": ic.cast.department_a.code,
        "kind": "department",
        "year": year,
        "number": "API-1",
        "title": "接口计划",
        "items": [ic.item.code],
        "ratios": {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1.5"},
        "starts_on": f"{year}-01-01",
        "ends_on": f"{year}-12-31",
        "industries": ["餐饮"],
    }
    err = _error(
        head.post(f"{BASE}/plans", body, content_type="application/json"), 422, "validation_error"
    )
    assert "ratios" in err["details"]["fields"]
    assert not Plan.objects.filter(number="API-1").exists()
    body["ratios"]["D"] = "1"
    response = head.post(f"{BASE}/plans", body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    plan_id = response.json()["id"]
    # the flat form (same ratios for both item kinds) comes back nested
    flat = {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}
    assert response.json()["ratios"] == {"general": flat, "key": flat}
    r = head.post(
        f"{BASE}/plans/{plan_id}/publish",
        {"on": today().isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "published"
    r = head.post(
        f"{BASE}/plans/{plan_id}/tasks",
        {"number": "API-1-1", "title": "接口任务", "due_on": f"{year}-12-31"},
        content_type="application/json",
    )
    assert r.status_code == 201
    task_id = r.json()["id"]
    commit = {"randomness_source": SOURCE, "randomness_due": today().isoformat(), "substitutes": 1}
    r = head.post(f"{BASE}/tasks/{task_id}/commit", commit, content_type="application/json")
    assert r.status_code == 201, r.content.decode()
    d = r.json()["draw"]
    assert d["status"] == "committed" and len(d["commitment_digest"]) == 64
    # a second commitment without a reason is refused, nothing new is committed
    r = head.post(f"{BASE}/tasks/{task_id}/commit", commit, content_type="application/json")
    assert r.status_code in (400, 409, 422) and r.json()["message"]
    assert Draw.objects.count() == 1
    # reveal with empty evidence: schema refusal
    r = head.post(
        f"{BASE}/tasks/{task_id}/reveal",
        {"value": RANDOMNESS, "evidence": ""},
        content_type="application/json",
    )
    _error(r, 422, "validation_error")
    r = head.post(
        f"{BASE}/tasks/{task_id}/reveal",
        {"value": RANDOMNESS, "evidence": EVIDENCE},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content.decode()
    task = r.json()
    assert task["status"] == "drawn" and task["draw"]["status"] == "drawn"
    bundle = head.get(f"{BASE}/draws/{task['draw']['id']}/bundle").json()
    assert verifier.check_bundle(bundle)["selected"] == task["draw"]["result"]["selected"]
    # revealing again is a conflict
    r = head.post(
        f"{BASE}/tasks/{task_id}/reveal",
        {"value": RANDOMNESS, "evidence": EVIDENCE},
        content_type="application/json",
    )
    assert r.status_code in (400, 409) and r.json()["message"]


def test_a_record_result_with_a_photo_and_publication(ic, as_user):
    task = draw(ic)
    head = as_user(ic.cast.department_head)
    records = head.get(f"{BASE}/records", {"task": task.pk}).json()
    assert records["count"] == InspectionRecord.objects.filter(task=task).count() > 0
    first = records["items"][0]
    assert len(first["inspectors"]) == 2 and first["inspectors"][0]["certificate_number"]
    future = (today() + dt.timedelta(days=40)).isoformat()
    r = head.post(
        f"{BASE}/records/{first['id']}/result",
        {"inspected_on": future, "outcome": "passed", "findings": "x"},
    )
    assert r.status_code in (400, 422) and r.json()["message"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xffphoto", content_type="image/jpeg")
    r = head.post(
        f"{BASE}/records/{first['id']}/result",
        {
            "inspected_on": today().isoformat(),
            "outcome": "rectify",
            "findings": "未亮证",
            "files": photo,
        },
    )
    assert r.status_code == 200, r.content.decode()
    assert r.json()["outcome"] == "rectify" and r.json()["evidence"] and r.json()["ledger_seq"]
    for rec in InspectionRecord.objects.filter(task=task, outcome=""):
        services.record_result(
            actor=ic.head, record=rec, inspected_on=today(), outcome="passed", findings="无"
        )
    r = head.post(
        f"{BASE}/tasks/{task.pk}/publish",
        {"on": today().isoformat()},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "published"


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow(ic, as_user):
    draw(ic)
    head = as_user(ic.cast.department_head)
    paths = [
        f"{BASE}/{p}" for p in ("items", "entities", "inspectors", "plans", "tasks", "records")
    ]
    for p in paths:
        head.get(p)
    before = {p: _count(head, p) for p in paths}
    year = today().year
    for i in range(5):
        plan = services.create_plan(
            actor=ic.head,
            organization=ic.cast.department_a,
            kind="joint",
            year=year,
            number=f"QC-{i}",
            title=f"计划{i}",
            items=[ic.item],
            ratios={"A": "0.1", "B": "0.1", "C": "0.1", "D": "0.1"},
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            departments=[ic.cast.department_b],
        )
        services.add_task(
            actor=ic.head, plan=plan, number=f"QC-{i}-1", title="t", due_on=plan.ends_on
        )
        services.save_item(
            actor=ic.head,
            organization=ic.cast.department_a,
            code=f"QC-I-{i}",
            name="事项",
            kind="general",
            basis="依据",
            qualification="食品",
        )
    second = Task.objects.get(number="QC-0-1")
    services.publish_plan(actor=ic.head, plan=second.plan, on=today())
    draw(ic, second)
    after = {p: _count(head, p) for p in paths}
    assert after == before
