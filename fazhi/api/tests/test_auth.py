"""Authentication of the API: bearer tokens and browser sessions, and the token lifecycle."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.test import Client

from fazhi.core import services
from fazhi.core.errors import DomainError
from fazhi.core.models import ApiToken
from fazhi.ledger.models import LedgerEntry

ME = "/api/v1/auth/me"


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def strict_session(login, user) -> Client:
    """A logged-in browser whose writes go through the real CSRF check."""
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = login(user, Client()).cookies
    return strict


def assert_401(response) -> None:
    assert response.status_code == 401, response.content.decode()
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"] and body["details"] == {}
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- bearer tokens ------------------------------------------------------------------------


def test_token_authenticates_its_owner(cast, token_for):
    response = bearer(token_for(cast.supervisor)).get(ME)
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "supervisor"
    assert me["name"] == "孙监督"
    assert me["organization"] == {"code": "sfj", "name": "测试县司法局"}
    assert me["roles"] == [
        {"role": "supervisor", "label": "行政执法监督员", "scope": "county", "scope_label": "全县"}
    ]
    assert me["data_scope"] == {"code": "county", "label": "全县"}
    assert "ledger.view_entries" in me["permissions"]
    assert "core.manage_users" not in me["permissions"]
    assert me["authenticated_by"] == "token"


def test_session_authenticates_the_browser(cast, login):
    client = login(cast.department_head, Client())
    me = client.get(ME).json()
    assert me["username"] == "head"
    assert me["data_scope"]["code"] == "subtree"
    assert me["authenticated_by"] == "session"


def test_admin_session_works_after_totp(cast, login):
    client = login(cast.system_admin, Client())
    assert client.get(ME).json()["username"] == "sysadmin"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer fzt_not-a-real-token",
        "Bearer ",
        "Bearer",
        "bearer " + "x" * 500,
        "Token abc",  # another scheme: no credentials at all
        "Basic c3lzYWRtaW46RmF6aGktVGVzdC0yMDI0IQ==",  # a password is never accepted
    ],
)
def test_garbage_credentials_are_401(cast, header):
    assert_401(Client(headers={"Authorization": header}).get(ME))


def test_no_credentials_is_401(db):
    assert_401(Client().get(ME))


def test_expired_token_is_401(cast, token_for):
    secret = token_for(cast.officer, days=1)
    assert bearer(secret).get(ME).status_code == 200
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)):
        assert_401(bearer(secret).get(ME))


def test_revoked_token_is_401_at_once(cast, token_for):
    secret = token_for(cast.officer)
    client = bearer(secret)
    token = ApiToken.objects.get(token_hash=hashlib.sha256(secret.encode()).hexdigest())
    assert client.delete(f"/api/v1/auth/tokens/{token.pk}").status_code == 204
    assert_401(client.get(ME))


def test_token_of_a_deactivated_user_is_401(cast, token_for):
    secret = token_for(cast.officer)
    services.set_user_active(actor=cast.system_admin, user=cast.officer, is_active=False)
    assert_401(bearer(secret).get(ME))


def test_a_bad_token_is_not_rescued_by_a_session(cast, login):
    """A script with a wrong token must fail, not act as whoever is logged in."""
    client = login(cast.officer, Client())
    assert client.get(ME).status_code == 200
    assert_401(client.get(ME, headers={"Authorization": "Bearer fzt_wrong"}))


# --- issuing tokens -----------------------------------------------------------------------


def test_issue_token_through_the_browser_session_with_csrf(cast, login):
    client = strict_session(login, cast.officer)
    client.get("/api/v1/docs")  # any page sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/auth/tokens",
        {"name": "数据交换脚本", "expires_in_days": 365},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content.decode()
    issued = response.json()
    secret = issued["token"]
    assert secret.startswith("fzt_") and len(secret) >= 40
    assert secret.startswith(issued["prefix"])
    assert issued["active"] is True

    # Only the SHA-256 is stored; the token itself is nowhere in the database.
    row = ApiToken.objects.get(pk=issued["id"])
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {row.name, row.prefix, row.token_hash}
    entries = LedgerEntry.objects.filter(kind="core.api_token.issued")
    assert entries.count() == 1
    assert secret not in entries.get().body and row.token_hash not in entries.get().body

    # It works, and it is shown once: listing tokens never returns it again.
    assert bearer(secret).get(ME).json()["username"] == "officer"
    listed = client.get("/api/v1/auth/tokens").json()
    assert listed["count"] == 1
    assert "token" not in listed["items"][0]
    assert secret not in client.get("/api/v1/auth/tokens").content.decode()


def test_session_write_without_csrf_is_refused(cast, login):
    client = strict_session(login, cast.officer)
    response = client.post(
        "/api/v1/auth/tokens", {"name": "x", "expires_in_days": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not ApiToken.objects.exists()


def test_anonymous_write_is_401_not_a_csrf_error(db):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/auth/tokens", {"name": "x", "expires_in_days": 1}, content_type="application/json"
    )
    assert_401(response)


def test_a_token_cannot_mint_tokens(cast, token_for):
    response = bearer(token_for(cast.officer)).post(
        "/api/v1/auth/tokens", {"name": "x", "expires_in_days": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert ApiToken.objects.count() == 1  # only the one the fixture issued


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "expires_in_days": 366}, "expires_in_days"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "", "expires_in_days": 30}, "name"),
        ({"expires_in_days": 30}, "name"),
    ],
)
def test_token_request_is_validated(cast, login, body, field):
    client = login(cast.officer, Client())
    response = client.post("/api/v1/auth/tokens", body, content_type="application/json")
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "validation_error"
    assert field in error["details"]["fields"]


def test_blank_token_name_is_refused_by_the_service(cast, login):
    client = login(cast.officer, Client())
    response = client.post(
        "/api/v1/auth/tokens",
        {"name": "   ", "expires_in_days": 30},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "令牌名称不能为空",
        "details": {"name": ["令牌名称不能为空"]},
    }


# --- listing and revoking -------------------------------------------------------------------


def test_tokens_are_private_to_their_owner(cast, token_for):
    mine = token_for(cast.officer, name="我的")
    token_for(cast.other_officer, name="别人的")
    client = bearer(mine)
    listed = client.get("/api/v1/auth/tokens").json()
    assert [t["name"] for t in listed["items"]] == ["我的"]
    other = ApiToken.objects.get(name="别人的")
    response = client.delete(f"/api/v1/auth/tokens/{other.pk}")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None


def test_revoke_records_once_and_twice_is_a_conflict(cast, token_for):
    client = bearer(token_for(cast.officer))
    spare = services.issue_api_token(actor=cast.officer, name="备用", expires_in_days=5).token
    before = LedgerEntry.objects.count()
    assert client.delete(f"/api/v1/auth/tokens/{spare.pk}").status_code == 204
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.get(seq=before).kind == "core.api_token.revoked"
    again = client.delete(f"/api/v1/auth/tokens/{spare.pk}")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


def test_token_list_filters(cast, token_for):
    client = bearer(token_for(cast.officer, name="脚本甲"))
    spare = services.issue_api_token(actor=cast.officer, name="脚本乙", expires_in_days=5).token
    services.revoke_api_token(actor=cast.officer, token=spare)
    names = lambda q: [t["name"] for t in client.get(f"/api/v1/auth/tokens{q}").json()["items"]]  # noqa: E731
    assert names("?active=true") == ["脚本甲"]
    assert names("?active=false") == ["脚本乙"]
    assert names("?search=乙") == ["脚本乙"]


def test_live_tokens_are_capped(cast):
    for i in range(services.API_TOKEN_MAX_ACTIVE):
        services.issue_api_token(actor=cast.officer, name=f"t{i}", expires_in_days=1)
    with pytest.raises(DomainError):
        services.issue_api_token(actor=cast.officer, name="one too many", expires_in_days=1)
