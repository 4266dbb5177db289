"""Every error is JSON of one shape: {code, message (Chinese), details}."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fazhi.core import selectors as core_selectors

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["details"], dict)
    assert CJK.search(body["message"]), f"message should be Chinese: {body['message']}"
    return body


def test_401_not_authenticated(db):
    assert_error(Client().get("/api/v1/organizations"), 401, "not_authenticated")


def test_403_permission_denied(cast, as_user):
    body = assert_error(as_user(cast.officer).get("/api/v1/users"), 403, "permission_denied")
    assert "查看用户" in body["message"]


def test_404_missing_object(cast, as_user):
    response = as_user(cast.system_admin).get("/api/v1/organizations/nosuch")
    assert_error(response, 404, "not_found")


def test_404_unknown_path(db):
    assert_error(Client().get("/api/v1/no/such/endpoint"), 404, "not_found")


def test_405_method_not_allowed(cast, as_user):
    response = as_user(cast.system_admin).put("/api/v1/organizations")
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_422_lists_each_bad_field(cast, as_user):
    response = as_user(cast.system_admin).get("/api/v1/organizations?limit=500&kind=bogus")
    body = assert_error(response, 422, "validation_error")
    fields = body["details"]["fields"]
    assert fields["limit"] == ["不能大于 200"]
    assert fields["kind"][0].startswith("取值应为：") and "department" in fields["kind"][0]


def test_422_for_a_body(cast, as_user):
    response = as_user(cast.system_admin).post(
        "/api/v1/organizations",
        {"code": "含空格 的代码", "name": ""},
        content_type="application/json",
    )
    fields = assert_error(response, 422, "validation_error")["details"]["fields"]
    assert fields["code"] == ["格式不正确"]
    assert fields["name"] == ["不能为空"]
    assert fields["kind"] == ["必须填写"] and fields["parent"] == ["必须填写"]


def test_400_malformed_json(cast, as_user):
    response = as_user(cast.system_admin).post(
        "/api/v1/organizations", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "invalid")


def test_400_domain_error_carries_its_details(cast, as_user):
    response = as_user(cast.system_admin).post(
        "/api/v1/users",
        {"username": "weak", "organization": "scj", "password": "12345678"},
        content_type="application/json",
    )
    body = assert_error(response, 400, "invalid")
    assert body["details"]["password"]  # one reason per failed password rule


def test_409_conflict(cast, as_user):
    client = as_user(cast.system_admin)
    body = {"code": "scj", "name": "重复", "kind": "department", "parent": "county"}
    response = client.post("/api/v1/organizations", body, content_type="application/json")
    assert "已存在" in assert_error(response, 409, "conflict")["message"]


def test_500_is_json_too(cast, as_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(core_selectors, "organizations_for", broken)
    body = assert_error(
        as_user(cast.system_admin).get("/api/v1/organizations"), 500, "server_error"
    )
    assert "boom" not in body["message"]  # internals never leak to the client


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/ledger/checkpoints"), ("delete", "/api/v1/users/officer/roles/officer")],
)
def test_csrf_failure_is_json(cast, login, method, path):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = login(cast.system_admin, Client()).cookies
    response = getattr(strict, method)(path)
    assert_error(response, 403, "csrf_failed")
