"""List endpoints cost the same number of queries for 1 row or 200 (no N+1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core import services
from fazhi.core.choices import DataScope, OrgKind, Role
from fazhi.core.testing import TEST_PASSWORD, Cast
from fazhi.ledger import services as ledger_services

_n = iter(range(1, 10_000))


def _orgs(cast: Cast, k: int) -> None:
    for _ in range(k):
        i = next(_n)
        services.create_organization(
            actor=cast.system_admin,
            code=f"q{i}",
            name=f"单位{i}",
            kind=OrgKind.DEPARTMENT,
            parent=cast.county,
        )


def _users(cast: Cast, k: int) -> None:
    for _ in range(k):
        i = next(_n)
        u = services.create_user(
            actor=cast.system_admin,
            username=f"q{i}",
            full_name=f"用户{i}",
            organization=cast.justice_bureau,
            password=TEST_PASSWORD,
        )
        services.assign_role(
            actor=cast.security_admin, user=u, role=Role.SUPERVISOR, scope=DataScope.COUNTY
        )


def _tokens(cast: Cast, k: int) -> None:
    for _ in range(k):
        services.issue_api_token(actor=cast.supervisor, name=f"t{next(_n)}", expires_in_days=5)


def _checkpoints(cast: Cast, k: int) -> None:
    for _ in range(k):
        _orgs(cast, 1)
        cp = ledger_services.create_checkpoint()
        for name in ("市司法局", "省司法厅"):
            key = Ed25519PrivateKey.generate()
            ledger_services.add_witness_signature(
                checkpoint=cp,
                witness=name,
                public_key=key.public_key().public_bytes(
                    serialization.Encoding.Raw, serialization.PublicFormat.Raw
                ),
                signature=key.sign(ledger_services.checkpoint_message(cp)),
            )


CASES: dict[str, tuple[str, str, Callable[[Cast, int], None]]] = {
    "organizations": ("system_admin", "/api/v1/organizations?limit=200", _orgs),
    "users": ("security_admin", "/api/v1/users?limit=200", _users),
    "users by role": ("security_admin", "/api/v1/users?role=supervisor&limit=200", _users),
    "tokens": ("supervisor", "/api/v1/auth/tokens?limit=200", _tokens),
    "checkpoints": ("supervisor", "/api/v1/ledger/checkpoints?limit=200", _checkpoints),
    "entries": ("supervisor", "/api/v1/ledger/entries?limit=200", _orgs),
    "indicator drill-down": (
        "supervisor",
        "/api/v1/indicators/supervision.staff?year=2024&limit=200",
        _users,
    ),
    "indicators": ("supervisor", "/api/v1/indicators?year=2024", _users),
}


def _count(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    rows = len(body["items"]) if "items" in body else len(body)
    return len(ctx.captured_queries), rows


@pytest.mark.parametrize("case", sorted(CASES))
def test_query_count_does_not_grow_with_rows(cast, as_user, case):
    persona, url, add = CASES[case]
    client = as_user(getattr(cast, persona))
    add(cast, 1)
    few, rows_before = _count(client, url)
    add(cast, 12)
    many, rows_after = _count(client, url)
    if case != "indicators":
        assert rows_after > rows_before, "the second call must really list more rows"
    assert many == few, f"{case}: {few} queries for {rows_before} rows, {many} for {rows_after}"
