"""The generic permission matrix: for every page, anonymous / wrong role / other
organization / right user get 302-to-login / 403 / 404 / 200.

Every named URL of the back office and the portal must have a row here, so a new page
cannot ship without declaring who may see it (NetBox-style ViewTestCases, one table).
The API has the same matrix in fazhi/api/tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fazhi.core.permissions import PERMISSIONS
from fazhi.core.testing import Cast

PUBLIC = "public"
LOGGED_IN = "logged_in"


@dataclass(frozen=True)
class Row:
    access: str  # PUBLIC, LOGGED_IN, or a permission code
    kwargs: Callable[[Cast], dict[str, object]] = lambda cast: {}
    query: str | Callable[[Cast], str] = ""
    method: str = "get"
    # (persona attribute, kwargs, query) that has the permission but not the data scope → 404
    other_org: tuple[str, Callable[[Cast], dict[str, object]], str] | None = None
    public_status: int = 200
    extra: dict[str, str] = field(default_factory=dict)


def _org(code_attr: str) -> Callable[[Cast], dict[str, object]]:
    return lambda cast: {"code": getattr(cast, code_attr).code}


MATRIX: dict[str, Row] = {
    # core
    "core:login": Row(PUBLIC),
    "core:logout": Row(LOGGED_IN, method="post"),
    "core:home": Row(LOGGED_IN),
    "core:password_change": Row(LOGGED_IN),
    "core:organization_list": Row("core.view_organizations"),
    "core:organization_create": Row("core.manage_organizations"),
    "core:organization_detail": Row(
        "core.view_organizations",
        kwargs=_org("department_a"),
        other_org=("department_head", _org("department_b"), ""),
    ),
    "core:organization_edit": Row("core.manage_organizations", kwargs=_org("department_a")),
    "core:user_list": Row("core.view_users"),
    "core:user_create": Row("core.manage_users"),
    "core:user_detail": Row("core.view_users", kwargs=lambda c: {"username": c.officer.username}),
    "core:calendar": Row("core.view_calendar"),
    "core:calendar_set": Row("core.manage_calendar", method="post"),
    "core:calendar_clear": Row("core.manage_calendar", method="post"),
    "core:calendar_seed": Row("core.manage_calendar", method="post"),
    "core:login_attempt_list": Row("core.view_login_attempts"),
    # ledger
    "ledger:entry_list": Row("ledger.view_entries"),
    "ledger:entry_detail": Row("ledger.view_entries", kwargs=lambda c: {"seq": 1}),
    "ledger:receipt": Row("ledger.view_entries", kwargs=lambda c: {"seq": 1}),
    "ledger:checkpoint_list": Row(PUBLIC),
    "ledger:checkpoint_create": Row("ledger.create_checkpoint", method="post"),
    "ledger:consistency": Row(PUBLIC, query=lambda c: _two_checkpoints()),
    "ledger:verifier_download": Row(PUBLIC),
    "ledger:verify": Row(PUBLIC),
    # reports
    "reports:dashboard": Row(
        "reports.view_indicators", other_org=("officer", lambda c: {}, "?org=hbj")
    ),
    "reports:indicator_detail": Row(
        "reports.view_indicators",
        kwargs=lambda c: {"code": "supervision.staff"},
        other_org=("officer", lambda c: {"code": "supervision.staff"}, "?org=hbj"),
    ),
    "reports:indicator_export": Row(
        "reports.view_indicators",
        kwargs=lambda c: {"code": "supervision.staff"},
        other_org=("officer", lambda c: {"code": "supervision.staff"}, "?org=hbj"),
    ),
    # portal
    "portal:home": Row(PUBLIC),
}


def _two_checkpoints() -> str:
    from fazhi.ledger.models import Checkpoint

    sizes = sorted(Checkpoint.objects.values_list("tree_size", flat=True))
    return f"?first={sizes[0]}&second={sizes[-1]}"


NAMESPACES = ("core", "ledger", "reports", "portal", "catalog")
PERSONAS = [
    "system_admin",
    "security_admin",
    "audit_admin",
    "officer",
    "legal_reviewer",
    "department_head",
    "supervisor",
    "rule_of_law_office",
]


def _named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif p.name and namespace in NAMESPACES:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_page_has_a_row_in_the_matrix():
    assert _named_urls() == set(MATRIX)


def test_every_permission_in_the_matrix_exists():
    for row in MATRIX.values():
        assert row.access in (PUBLIC, LOGGED_IN) or row.access in PERMISSIONS


def _request(client: Client, name: str, row: Row, cast: Cast, kwargs=None, query=None):
    q = row.query if query is None else query
    url = reverse(name, kwargs=(kwargs or row.kwargs)(cast)) + (q(cast) if callable(q) else q)
    return getattr(client, row.method)(url)


def _allowed(row: Row, persona: str, cast: Cast) -> bool:
    if row.access in (PUBLIC, LOGGED_IN):
        return True
    roles = cast.by_role()
    role = next(r for r, u in roles.items() if u == getattr(cast, persona))
    return role in PERMISSIONS[row.access]


@pytest.fixture
def ledger_ready(cast):
    import datetime as dt

    from fazhi.core import services as core_services
    from fazhi.ledger import services

    services.create_checkpoint()
    core_services.set_calendar_day(
        actor=cast.system_admin, date=dt.date(2030, 1, 2), is_workday=False, note="测试"
    )
    services.create_checkpoint()
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous(name, ledger_ready, client):
    row = MATRIX[name]
    response = _request(client, name, row, ledger_ready)
    if row.access == PUBLIC:
        assert response.status_code == row.public_status
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_on_every_page(persona, ledger_ready, login):
    cast = ledger_ready
    client = login(getattr(cast, persona), Client())
    failures = []
    for name, row in sorted(MATRIX.items()):
        if name == "core:logout":
            continue  # would end the session for the rows after it
        response = _request(client, name, row, cast)
        if _allowed(row, persona, cast):
            # An empty POST may be refused as bad input (400) or bounce back (302), but
            # never as forbidden or to the login page.
            ok = response.status_code == 200 or (
                row.method == "post"
                and response.status_code in (302, 400)
                and not response.get("Location", "").startswith("/login/")
            )
        else:
            ok = response.status_code == 403
        if not ok:
            failures.append(f"{name}: {response.status_code}")
    assert not failures, f"{persona}: {failures}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.other_org))
def test_other_organization_gets_404(name, ledger_ready, login):
    row = MATRIX[name]
    assert row.other_org is not None
    persona, kwargs, query = row.other_org
    client = login(getattr(ledger_ready, persona), Client())
    assert _allowed(row, persona, ledger_ready)
    response = _request(client, name, row, ledger_ready, kwargs=kwargs, query=query)
    assert response.status_code == 404
