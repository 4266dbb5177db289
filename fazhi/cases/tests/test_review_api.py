"""/api/v1/case-reviews: the same plans, draws, scores and opinions as the pages, with the
API's status codes (401/403/404/409/422) and its JSON shapes."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from fazhi.cases import review_selectors
from fazhi.cases.models import OpinionStatus
from fazhi.cases.tests.test_review_services import (
    EVIDENCE,
    RANDOMNESS,
    SOURCE,
    TODAY,
    closed_cases,
    drawn_plan,
    full_scores,
    issue,
    scored_plan,
)
from fazhi.core import services as core_services
from fazhi.core.choices import DataScope, Role
from fazhi.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db
BASE = "/api/v1/case-reviews"


def client_for(user) -> Client:
    token = core_services.issue_api_token(actor=user, name="评查", expires_in_days=30).secret
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(c: Client, url: str, body: dict):
    return c.post(url, json.dumps(body, default=str), content_type="application/json")


@pytest.fixture
def files(cc):
    return closed_cases(cc, 2)


def test_plan_lifecycle_over_the_api(cc, files):
    sup = client_for(cc.cast.supervisor)
    body = {
        "year": 2024,
        "title": "接口评查",
        "departments": ["scj", "hbj"],
        "closed_from": "2024-01-01",
        "closed_to": "2024-12-31",
        "sample_size": 1,
    }
    created = post(sup, f"{BASE}/plans", body)
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["organization"]["code"] == "sfj" and plan["max_total"] == 100
    assert sum(c["points"] for c in plan["sheet"]) == 100
    assert {"body_standing", "decision_published"} <= {c["code"] for c in plan["sheet"]}
    pid = plan["id"]
    assert sup.get(f"{BASE}/plans?year=2024").json()["count"] == 1
    committed = post(
        sup, f"{BASE}/plans/{pid}/commit", {"randomness_source": SOURCE, "randomness_due": TODAY}
    )
    assert committed.status_code == 200
    (draw,) = committed.json()["draws"]
    assert draw["status"] == "committed" and draw["strata"] == {"scj": 1, "hbj": 0}
    revealed = post(sup, f"{BASE}/plans/{pid}/reveal", {"value": RANDOMNESS, "evidence": EVIDENCE})
    assert revealed.status_code == 200
    detail = revealed.json()
    assert detail["status"] == "drawn" and len(detail["reviews"]) == 1
    assert detail["draws"][0]["selected"] == [detail["reviews"][0]["case_number"]]
    again = post(sup, f"{BASE}/plans/{pid}/reveal", {"value": "1", "evidence": EVIDENCE})
    assert again.status_code == 409
    no_reason = post(
        sup, f"{BASE}/plans/{pid}/commit", {"randomness_source": SOURCE, "randomness_due": TODAY}
    )
    assert no_reason.status_code == 422
    assert "redraw_reason" in no_reason.json()["details"]["fields"]


def test_scoring_over_the_api(cc, files):
    plan = drawn_plan(cc, sample_size=1)
    row = review_selectors.current_reviews(plan)[0]
    sup = client_for(cc.cast.supervisor)
    url = f"{BASE}/plans/{plan.pk}/files/{row.case_id}/score"
    scores: dict[str, dict[str, object]] = {k: {"score": v} for k, v in full_scores(plan).items()}
    scores["body_standing"] = {"score": 9}
    over = post(sup, url, {"scores": scores})
    assert over.status_code == 422
    assert "scores.body_standing" in over.json()["details"]["fields"]
    scores["body_standing"] = {"score": 4, "note": "主体资格材料缺失"}
    ok = post(sup, url, {"scores": scores, "findings": "主体资格材料缺失"})
    assert ok.status_code == 200
    assert float(ok.json()["total"]) == 96
    (undrawn,) = [c for c in files if c.pk != row.case_id]
    other = f"{BASE}/plans/{plan.pk}/files/{undrawn.pk}/score"
    assert post(sup, other, {"scores": scores}).status_code == 404
    # Roles: an officer is 403 before anything is looked up; anonymous is 401.
    assert post(client_for(cc.cast.officer), url, {"scores": scores}).status_code == 403
    assert post(Client(), url, {"scores": scores}).status_code == 401


def test_opinions_over_the_api(cc, files):
    plan = scored_plan(cc)
    sup = client_for(cc.cast.supervisor)
    head = client_for(cc.cast.department_head)
    body = {"department": "scj", "findings": "决定未按期公开", "requirements": "建立台账"}
    issued = post(sup, f"{BASE}/plans/{plan.pk}/opinions", body)
    assert issued.status_code == 201, issued.content
    oid = issued.json()["id"]
    assert post(sup, f"{BASE}/plans/{plan.pk}/opinions", body).status_code == 409
    dept = f"{BASE}/department-opinions"
    assert head.get(f"{BASE}/opinions").status_code == 403  # the supervising body's side
    document = head.get(f"{dept}/{oid}/document")
    assert document.status_code == 200 and document["ETag"]
    assert sup.get(f"{BASE}/opinions/{oid}/document").status_code == 200
    assert head.get(dept).json()["count"] == 1
    received = post(head, f"{dept}/{oid}/receive", {"on": TODAY})
    assert received.status_code == 200 and received.json()["due_on"]
    assert head.get(f"{dept}?overdue=true").json()["count"] == 0
    recheck = post(head, f"{dept}/{oid}/recheck", {"reason": "已公开", "on": TODAY})
    assert recheck.json()["status"] == OpinionStatus.RECHECK
    assert (
        post(head, f"{BASE}/opinions/{oid}/recheck-answer", {"upheld": True, "answer": "维持"})
    ).status_code == 403
    answered = post(
        sup, f"{BASE}/opinions/{oid}/recheck-answer", {"upheld": True, "answer": "维持"}
    )
    assert answered.json()["recheck_upheld"] is True
    assert post(sup, f"{dept}/{oid}/answer", {"report": "已整改"}).status_code == 403
    report = post(head, f"{dept}/{oid}/answer", {"report": "已整改"})
    assert report.status_code == 200
    assert report.json()["status"] == "answered" and report.json()["on_time"] is True
    assert client_for(cc.cast.officer).get(f"{BASE}/opinions").status_code == 403
    assert client_for(cc.cast.officer).get(dept).status_code == 403


def test_opinion_outside_scope_is_404(cc, files):
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    b_officer = client_for(cc.cast.other_officer)  # no review permission at all
    assert b_officer.get(f"{BASE}/opinions/{opinion.pk}").status_code == 403
    head_b = core_services.create_user(
        actor=cc.cast.system_admin,
        username="head_b",
        full_name="钱局长",
        organization=cc.cast.department_b,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(
        actor=cc.cast.security_admin,
        user=head_b,
        role=Role.DEPARTMENT_HEAD,
        scope=DataScope.SUBTREE,
    )
    other_head = client_for(head_b)
    dept = f"{BASE}/department-opinions"
    assert other_head.get(f"{dept}/{opinion.pk}").status_code == 404
    assert post(other_head, f"{dept}/{opinion.pk}/receive", {}).status_code == 404
    assert other_head.get(dept).json()["count"] == 0
    sup = client_for(cc.cast.supervisor)
    assert sup.get(f"{BASE}/opinions/{opinion.pk}").status_code == 200
    assert sup.get(f"{BASE}/opinions/{opinion.pk + 999}").status_code == 404
