"""Organizations, users and indicators through the API: scope, filters, pagination, writes."""

from __future__ import annotations

import pytest

from fazhi.core import services
from fazhi.core.indicator_registry import Period, registry
from fazhi.core.models import Organization, RoleAssignment, User
from fazhi.ledger.models import LedgerEntry
from fazhi.reports import selectors as report_selectors

# --- organizations ------------------------------------------------------------------------


def test_organization_list_is_scoped_like_the_pages(cast, as_user):
    head = as_user(cast.department_head).get("/api/v1/organizations").json()
    assert [o["code"] for o in head["items"]] == ["scj"]  # own department and below only
    admin = as_user(cast.system_admin).get("/api/v1/organizations").json()
    assert {o["code"] for o in admin["items"]} == {"county", "sfj", "scj", "hbj", "xz1"}


def test_organization_filters_and_pagination(cast, as_user):
    client = as_user(cast.system_admin)
    departments = client.get("/api/v1/organizations?kind=department").json()
    assert {o["code"] for o in departments["items"]} == {"scj", "hbj"}
    assert client.get("/api/v1/organizations?search=司法").json()["items"][0]["code"] == "sfj"
    page = client.get("/api/v1/organizations?limit=2&offset=2").json()
    assert page["count"] == 5 and page["limit"] == 2 and page["offset"] == 2
    assert len(page["items"]) == 2
    everything = [o["code"] for o in client.get("/api/v1/organizations").json()["items"]]
    assert [o["code"] for o in page["items"]] == everything[2:4]


def test_organization_detail(cast, as_user):
    org = as_user(cast.supervisor).get("/api/v1/organizations/scj").json()
    assert org == {
        "code": "scj",
        "name": "测试县市场监督管理局",
        "kind": "department",
        "kind_label": "行政执法部门",
        "enforcement_basis": "statutory",
        "enforcement_basis_label": "法定行政执法机关",
        "parent": "county",
        "depth": 1,
        "is_active": True,
        "sort_order": 0,
    }


def test_create_and_patch_organization(cast, as_user):
    client = as_user(cast.system_admin)
    before = LedgerEntry.objects.count()
    created = client.post(
        "/api/v1/organizations",
        {
            "code": "scj-jd",
            "name": "执法大队",
            "kind": "enforcement_unit",
            "parent": "scj",
            "enforcement_basis": "entrusted",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content.decode()
    assert created.json()["parent"] == "scj" and created.json()["depth"] == 2
    assert Organization.objects.get(code="scj-jd").path == "/county/scj/scj-jd/"
    patched = client.patch(
        "/api/v1/organizations/scj-jd", {"is_active": False}, content_type="application/json"
    )
    assert patched.status_code == 200
    org = patched.json()
    # Only the given field changed.
    assert (org["is_active"], org["name"], org["enforcement_basis"]) == (
        False,
        "执法大队",
        "entrusted",
    )
    kinds = list(LedgerEntry.objects.filter(seq__gte=before).values_list("kind", flat=True))
    assert kinds == ["core.organization.created", "core.organization.updated"]


def test_create_organization_under_an_unknown_parent_is_404(cast, as_user):
    response = as_user(cast.system_admin).post(
        "/api/v1/organizations",
        {"code": "x", "name": "某单位", "kind": "department", "parent": "nosuch"},
        content_type="application/json",
    )
    assert response.status_code == 404


# --- users --------------------------------------------------------------------------------


def test_user_list_and_filters(cast, as_user):
    client = as_user(cast.security_admin)
    everyone = client.get("/api/v1/users").json()
    assert everyone["count"] == User.objects.count()
    officers = client.get("/api/v1/users?role=officer").json()
    assert {u["username"] for u in officers["items"]} == {"officer", "officer_b"}
    assert [u["username"] for u in client.get("/api/v1/users?search=孙").json()["items"]] == [
        "supervisor"
    ]
    in_a = client.get("/api/v1/users?organization=scj").json()
    assert {u["username"] for u in in_a["items"]} == {"officer", "reviewer", "head"}
    services.set_user_active(actor=cast.system_admin, user=cast.legal_reviewer, is_active=False)
    inactive = client.get("/api/v1/users?is_active=false").json()
    assert [u["username"] for u in inactive["items"]] == ["reviewer"]


def test_user_detail_has_no_password_or_phone(cast, as_user):
    response = as_user(cast.system_admin).get("/api/v1/users/head")
    user = response.json()
    assert user["organization"] == {"code": "scj", "name": "测试县市场监督管理局"}
    assert user["roles"][0]["role"] == "department_head"
    assert user["roles"][0]["scope"] == "subtree"
    text = response.content.decode()
    assert "password" not in text and "phone" not in text


def test_create_user_then_grant_and_revoke_a_role(cast, as_user):
    created = as_user(cast.system_admin).post(
        "/api/v1/users",
        {
            "username": "newbie",
            "name": "新同事",
            "organization": "hbj",
            "password": "Newbie-Pass-2024!",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content.decode()
    assert created.json()["roles"] == []
    assert not LedgerEntry.objects.filter(body__contains="Newbie-Pass-2024!").exists()

    sec = as_user(cast.security_admin)
    granted = sec.post(
        "/api/v1/users/newbie/roles",
        {"role": "officer", "scope": "own"},
        content_type="application/json",
    )
    assert granted.status_code == 201
    assert [r["role"] for r in granted.json()["roles"]] == ["officer"]
    twice = sec.post(
        "/api/v1/users/newbie/roles", {"role": "officer"}, content_type="application/json"
    )
    assert twice.status_code == 409
    admin_role = sec.post(
        "/api/v1/users/newbie/roles", {"role": "audit_admin"}, content_type="application/json"
    )
    assert admin_role.status_code == 400  # 三员分立: no business + administrator roles
    assert sec.delete("/api/v1/users/newbie/roles/officer").status_code == 204
    assert not RoleAssignment.objects.filter(user__username="newbie").exists()
    assert sec.delete("/api/v1/users/newbie/roles/officer").status_code == 400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "not-a-phone"}, "phone"),
        ({"username": "new"}, "username"),  # /users/new/ is the page that creates accounts
    ],
)
def test_create_user_checks_what_the_page_form_checks(cast, as_user, changes, field):
    payload = {
        "username": "newbie",
        "name": "新同事",
        "organization": "hbj",
        "password": "Newbie-Pass-2024!",
        **changes,
    }
    response = as_user(cast.system_admin).post(
        "/api/v1/users", payload, content_type="application/json"
    )
    assert response.status_code == 400, response.content.decode()
    assert field in response.json()["details"]
    assert not User.objects.filter(username=payload["username"]).exists()


def test_an_organization_cannot_take_a_reserved_code(cast, as_user):
    response = as_user(cast.system_admin).post(
        "/api/v1/organizations",
        {"code": "new", "name": "新单位", "kind": "department", "parent": "county"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content.decode()
    assert "保留字" in response.json()["message"]
    assert not Organization.objects.filter(code="new").exists()


def test_security_admin_cannot_grant_themselves(cast, as_user):
    response = as_user(cast.security_admin).post(
        "/api/v1/users/secadmin/roles", {"role": "officer"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "自己" in response.json()["message"]


# --- indicators ---------------------------------------------------------------------------


def _expected(user, year=2024, org=None) -> dict:
    values = report_selectors.indicator_values_for(user, Period.year(year), org)
    return {v.indicator.code: v.as_dict() for v in values}


def test_indicators_match_the_report_selectors(cast, as_user):
    response = as_user(cast.rule_of_law_office).get("/api/v1/indicators?year=2024")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {i.code for i in registry}
    assert body == _expected(cast.rule_of_law_office)
    assert body["supervision.staff"]["value"] == 1
    for value in body.values():
        assert set(value) == {"name", "value", "unit", "precision"}


def test_indicators_default_to_the_callers_scope(cast, as_user):
    officer = as_user(cast.officer).get("/api/v1/indicators?year=2024").json()
    assert officer == _expected(cast.officer)
    assert officer["supervision.staff"]["value"] == 0  # 司法局 is outside department A
    supervisor = as_user(cast.supervisor).get("/api/v1/indicators?year=2024&org=sfj").json()
    assert supervisor["supervision.staff"]["value"] == 1


def test_indicator_detail_with_drilldown(cast, as_user):
    body = (
        as_user(cast.supervisor)
        .get("/api/v1/indicators/supervision.staff?year=2024&limit=10")
        .json()
    )
    indicator = registry.get("supervision.staff")
    assert body["code"] == "supervision.staff"
    assert body["definition"] == indicator.definition
    assert body["organization"] == {"code": "county", "name": "测试县人民政府"}
    assert body["columns"] == [{"field": f, "label": label} for f, label in indicator.columns]
    assert body["count"] == 1 == body["value"]
    assert body["items"] == [
        {"username": "supervisor", "full_name": "孙监督", "organization__name": "测试县司法局"}
    ]


def test_unknown_indicator_is_404(cast, as_user):
    response = as_user(cast.supervisor).get("/api/v1/indicators/no.such?year=2024")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["", "?year=1800", "?year=2024&org=含空格"])
def test_indicator_parameters_are_validated(cast, as_user, query):
    response = as_user(cast.supervisor).get(f"/api/v1/indicators{query}")
    assert response.status_code == 422
