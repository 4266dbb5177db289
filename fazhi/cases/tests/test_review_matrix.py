"""Who may open each 案卷评查 page and API operation: every persona of the cast against every
URL name and operation of this feature (allowed → 200, or 302/400/422/409 for an empty POST;
otherwise 403). The shared matrices (tests/test_permission_matrix.py and
fazhi/api/tests/test_permission_matrix.py) need the same rows; see the report of issue 5."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.api.v1.api import api
from fazhi.cases import review_selectors, review_services
from fazhi.cases.models import ReviewPlan, SupervisionOpinion
from fazhi.cases.tests.test_review_services import TODAY, closed_cases, issue, scored_plan
from fazhi.core import services as core_services
from fazhi.core.permissions import has_perm

pytestmark = pytest.mark.django_db

REVIEW, ANSWER = "cases.review", "cases.answer_review"


def _fixture(cc: Any) -> tuple[ReviewPlan, SupervisionOpinion, int]:
    closed_cases(cc, 2)
    plan = scored_plan(cc)
    opinion = issue(cc, plan)
    opinion = review_services.receive_opinion(actor=cc.cast.supervisor, opinion=opinion, on=TODAY)
    case_pk = review_selectors.current_reviews(plan)[0].case_id
    return plan, opinion, case_pk


# (URL name, permission, kwargs builder, method)
Kw = Callable[[ReviewPlan, SupervisionOpinion, int], dict[str, object]]
PAGES: list[tuple[str, str, Kw, str]] = [
    ("cases:review_plan_list", REVIEW, lambda p, o, c: {}, "get"),
    ("cases:review_plan_create", REVIEW, lambda p, o, c: {}, "get"),
    ("cases:review_plan_detail", REVIEW, lambda p, o, c: {"pk": p.pk}, "get"),
    ("cases:review_plan_export", REVIEW, lambda p, o, c: {"pk": p.pk}, "get"),
    (
        "cases:review_draw_bundle",
        REVIEW,
        lambda p, o, c: {"pk": p.pk, "draw_pk": p.draw_id},
        "get",
    ),
    ("cases:review_plan_commit", REVIEW, lambda p, o, c: {"pk": p.pk}, "post"),
    ("cases:review_plan_reveal", REVIEW, lambda p, o, c: {"pk": p.pk}, "post"),
    ("cases:review_opinion_issue", REVIEW, lambda p, o, c: {"pk": p.pk}, "post"),
    ("cases:review_score", REVIEW, lambda p, o, c: {"pk": p.pk, "case_pk": c}, "get"),
    ("cases:review_opinion_list", REVIEW, lambda p, o, c: {}, "get"),
    ("cases:review_opinion_detail", REVIEW, lambda p, o, c: {"pk": o.pk}, "get"),
    ("cases:review_opinion_document", REVIEW, lambda p, o, c: {"pk": o.pk}, "get"),
    (
        "cases:review_opinion_action",
        REVIEW,
        lambda p, o, c: {"pk": o.pk, "action": "recheck_answer"},
        "post",
    ),
    ("cases:department_opinion_list", ANSWER, lambda p, o, c: {}, "get"),
    ("cases:department_opinion_detail", ANSWER, lambda p, o, c: {"pk": o.pk}, "get"),
    ("cases:department_opinion_document", ANSWER, lambda p, o, c: {"pk": o.pk}, "get"),
    (
        "cases:department_opinion_action",
        ANSWER,
        lambda p, o, c: {"pk": o.pk, "action": "answer"},
        "post",
    ),
]
# The report download exists once a report file was uploaded: 404 before, for both sides.
NO_FILE_YET = {"cases:review_opinion_report", "cases:department_opinion_report"}


def test_every_review_page_is_in_the_table():
    from fazhi.cases.urls import urlpatterns

    names = {
        f"cases:{p.name}"
        for p in urlpatterns
        if p.name and p.name.startswith(("review_", "department_opinion_"))
    }
    assert names == {name for name, *_ in PAGES} | NO_FILE_YET


def test_each_persona_on_every_review_page(cc, login):
    plan, opinion, case_pk = _fixture(cc)
    failures = []
    for role, user in cc.cast.by_role().items():
        client = login(user, Client())
        for name, perm, kwargs, method in PAGES:
            response = getattr(client, method)(reverse(name, kwargs=kwargs(plan, opinion, case_pk)))
            if has_perm(user, perm):
                ok = response.status_code == 200 or (
                    method == "post" and response.status_code in (302, 400)
                )
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{role} {name}: {response.status_code}")
    assert not failures


# (method, path, permission, body)
BASE = "/api/v1/case-reviews"
# Valid bodies: the schema is checked before the permission, so an invalid one would be 422
# for everybody. The allowed personas then meet the services' own refusals (400/409/422).
PLAN_BODY = {
    "year": 2024,
    "title": "矩阵评查",
    "departments": ["scj"],
    "closed_from": "2024-01-01",
    "closed_to": "2024-12-31",
    "sample_size": 1,
}
OPS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("GET", "/plans", REVIEW, None),
    ("POST", "/plans", REVIEW, PLAN_BODY),
    ("GET", "/plans/{plan_id}", REVIEW, None),
    (
        "POST",
        "/plans/{plan_id}/commit",
        REVIEW,
        {"randomness_source": "x", "randomness_due": "2099-01-01"},
    ),
    ("POST", "/plans/{plan_id}/reveal", REVIEW, {"value": "1", "evidence": "e"}),
    ("POST", "/plans/{plan_id}/files/{case_id}/score", REVIEW, {"scores": {}}),
    (
        "POST",
        "/plans/{plan_id}/opinions",
        REVIEW,
        {"department": "scj", "findings": "x", "requirements": "y"},
    ),
    ("GET", "/opinions", REVIEW, None),
    ("GET", "/opinions/{opinion_id}", REVIEW, None),
    ("GET", "/opinions/{opinion_id}/document", REVIEW, None),
    ("POST", "/opinions/{opinion_id}/receive", REVIEW, {}),
    ("POST", "/opinions/{opinion_id}/recheck-answer", REVIEW, {"upheld": True, "answer": "x"}),
    ("GET", "/department-opinions", ANSWER, None),
    ("GET", "/department-opinions/{opinion_id}", ANSWER, None),
    ("GET", "/department-opinions/{opinion_id}/document", ANSWER, None),
    ("POST", "/department-opinions/{opinion_id}/receive", ANSWER, {}),
    ("POST", "/department-opinions/{opinion_id}/answer", ANSWER, {"report": "已整改"}),
    ("POST", "/department-opinions/{opinion_id}/recheck", ANSWER, {"reason": "x"}),
]


def test_every_operation_is_in_the_table():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    ours = {
        f"{method.upper()} {path.removeprefix('/api/v1/case-reviews')}"
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/case-reviews/")
        for method in item
    }
    assert ours == {f"{m} {p}" for m, p, *_ in OPS}


def test_each_persona_on_every_operation(cc):
    plan, opinion, case_pk = _fixture(cc)
    failures = []
    for role, user in cc.cast.by_role().items():
        token = core_services.issue_api_token(actor=user, name="矩阵", expires_in_days=1).secret
        client = Client(headers={"Authorization": f"Bearer {token}"})
        for method, path, perm, body in OPS:
            url = BASE + path.format(plan_id=plan.pk, case_id=case_pk, opinion_id=opinion.pk)
            if body is None:
                response = client.get(url)
            else:
                response = client.post(url, json.dumps(body), content_type="application/json")
            if has_perm(user, perm):
                ok = response.status_code in (200, 201) or (
                    method == "POST" and response.status_code in (400, 409, 422)
                )
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{role} {method} {path}: {response.status_code}")
        anonymous = Client().get(BASE + "/plans")
        assert anonymous.status_code == 401
    assert not failures
