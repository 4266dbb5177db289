"""The API's permission matrix: for every operation, anonymous / wrong role / other
organization / right user get 401 / 403 / 404 / 2xx — with a session and with a token.

Expectations come from the one permission table (fazhi/core/permissions.py), and every
operation in the OpenAPI schema must have a row, so a new endpoint cannot ship without
declaring who may call it (the pages have the same matrix in tests/test_permission_matrix.py).
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from fazhi.api.v1.api import api
from fazhi.core import services as core_services
from fazhi.core.models import User
from fazhi.core.permissions import PERMISSIONS, roles_of
from fazhi.core.testing import Cast
from fazhi.ledger import selectors as ledger_selectors
from fazhi.ledger import services as ledger_services

PUBLIC = "public"
LOGGED_IN = "logged_in"
_serial = itertools.count(1)

Path = Callable[[Cast, User | None], str]


@dataclass(frozen=True)
class Op:
    access: str  # PUBLIC, LOGGED_IN or a permission code
    path: str | Path
    body: Callable[[Cast], dict[str, Any]] | None = None
    ok: int = 200
    # (persona, path): has the permission but the object lies outside their data scope → 404
    other_org: tuple[str, str] | None = None
    session_only: bool = False  # a bearer token is refused (403) even for the right user


def _new_org(cast: Cast) -> dict[str, Any]:
    n = next(_serial)
    return {"code": f"matrix{n}", "name": f"矩阵单位{n}", "kind": "department", "parent": "county"}


def _new_user(cast: Cast) -> dict[str, Any]:
    n = next(_serial)
    return {
        "username": f"matrix{n}",
        "name": "矩阵用户",
        "organization": "scj",
        "password": "Matrix-Pass-2024!",
    }


def _witness(cast: Cast) -> dict[str, Any]:
    key = Ed25519PrivateKey.generate()
    cp = ledger_selectors.get_checkpoint(_latest_size())
    signature = key.sign(ledger_services.checkpoint_message(cp))
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {
        "witness": f"市司法局{next(_serial)}",
        "public_key": base64.b64encode(raw).decode(),
        "signature": base64.b64encode(signature).decode(),
    }


def _latest_size() -> int:
    cp = ledger_selectors.latest_checkpoint()
    assert cp is not None
    return cp.tree_size


def _first_size() -> int:
    from fazhi.ledger.models import Checkpoint

    return min(Checkpoint.objects.values_list("tree_size", flat=True))


def _import_job(cast: Cast, user: User | None) -> int:
    """A validated (ready) items import uploaded by ``user`` if they may import items, else by
    the rule-of-law office (whose role no earlier row revokes); only its uploader applies it."""
    import io

    from fazhi.catalog import excel, imports

    uploader = user if user is not None and "items" in imports.importable_kinds(user) else None
    uploader = uploader or cast.rule_of_law_office
    row = {
        "事项编码": f"MATRIX-{next(_serial)}",
        "事项名称": "矩阵测试事项",
        "事项类别": "行政检查",
        "实施主体（单位代码）": "scj",
        "法律依据（法律法规名称）": "中华人民共和国行政处罚法",
        "条": "第一条",
    }
    content = excel.build_workbook("items", excel.rows_from_dicts("items", [row]))
    job = imports.start_import(
        actor=uploader,
        kind="items",
        file=io.BytesIO(content),
        original_name="matrix.xlsx",
        size=len(content),
    )
    return job.pk


def _own_token(cast: Cast, user: User | None) -> str:
    if user is None:
        return "/api/v1/auth/tokens/1"
    issued = core_services.issue_api_token(actor=user, name="待撤销", expires_in_days=1)
    return f"/api/v1/auth/tokens/{issued.token.pk}"


def _catalog(cast: Cast) -> dict[str, int]:
    """Department A's test catalog (fazhi.catalog.testing), built once per test, and a draft
    list to add entries to; returns primary keys by name. Other-organization 404s of the
    catalog endpoints are in fazhi/catalog/tests/test_api.py."""
    import datetime as dt

    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import DiscretionStandard, EnforcementItem, LenientList
    from fazhi.catalog.testing import build_catalog

    if not EnforcementItem.objects.filter(code="SCJ-CF-001").exists():
        build_catalog(cast)
        catalog_services.create_list(
            actor=cast.rule_of_law_office,
            kind="lighter",
            title="矩阵从轻处罚事项清单",
            organization=cast.department_a,
            version="草稿",
            effective_from=dt.date(2024, 1, 1),
        )
    lists = dict(LenientList.objects.values_list("version", "pk"))
    standard = DiscretionStandard.objects.get(organization__code="scj", version="2024年版")
    return {
        "published_list": lists["2024年版"],
        "draft_list": lists["草稿"],
        "standard": standard.pk,
    }


def _entry_body(number: int) -> dict[str, Any]:
    return {
        "item_code": "SCJ-CF-001",
        "number": number,
        "violation": "未按规定公示年度报告",
        "legal_basis": "《中华人民共和国行政处罚法》第三十二条",
        "condition_text": "主动消除或者减轻违法行为危害后果",
        "conditions": {"any_circumstance": ["eliminated_harm"]},
    }


def _draft_entry(cast: Cast) -> tuple[int, int]:
    """A fresh entry on the draft list, added through the service: (list id, entry id)."""
    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import EnforcementItem, LenientList

    lst = LenientList.objects.get(pk=_catalog(cast)["draft_list"])
    body = _entry_body(next(_serial))
    entry = catalog_services.add_list_entry(
        actor=cast.rule_of_law_office,
        lenient_list=lst,
        item=EnforcementItem.objects.get(code=body["item_code"]),
        number=body["number"],
        violation=body["violation"],
        legal_basis=body["legal_basis"],
        condition_text=body["condition_text"],
        conditions=body["conditions"],
    )
    return lst.pk, entry.pk


def _list_to_publish(cast: Cast, user: User | None) -> str:
    """A new draft list with one entry, ready to be published."""
    import datetime as dt

    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import EnforcementItem

    _catalog(cast)
    lst = catalog_services.create_list(
        actor=cast.rule_of_law_office,
        kind="lighter",
        title="矩阵待公布清单",
        organization=cast.department_a,
        version=f"第{next(_serial)}版",
        effective_from=dt.date(2024, 1, 1),
    )
    body = _entry_body(1)
    catalog_services.add_list_entry(
        actor=cast.rule_of_law_office,
        lenient_list=lst,
        item=EnforcementItem.objects.get(code="SCJ-CF-001"),
        number=1,
        violation=body["violation"],
        legal_basis=body["legal_basis"],
        condition_text=body["condition_text"],
        conditions=body["conditions"],
    )
    return f"/api/v1/catalog/lists/{lst.pk}/publish"


def _standard_body(cast: Cast) -> dict[str, Any]:
    from fazhi.catalog.testing import STANDARD_TIERS

    _catalog(cast)
    return {
        "item_code": "SCJ-CF-001",
        "organization": "scj",
        "level": "county",
        "title": "矩阵裁量基准",
        "version": f"第{next(_serial)}版",
        "violation": "未按规定公示年度报告",
        "legal_basis": "《中华人民共和国市场主体登记管理条例》第四十六条",
        "effective_from": "2024-01-01",
        "tiers": [
            {
                "treatment": t.treatment,
                "severity": t.severity or None,
                "fine_min": None if t.fine_min is None else str(t.fine_min),
                "fine_max": None if t.fine_max is None else str(t.fine_max),
                "condition_text": t.condition_text,
                "standard_text": t.standard_text,
            }
            for t in STANDARD_TIERS
        ],
    }


def _standard_to_publish(cast: Cast, user: User | None) -> str:
    """A new, unpublished benchmark of department A."""
    import datetime as dt

    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import EnforcementItem
    from fazhi.catalog.testing import STANDARD_TIERS

    body = _standard_body(cast)
    row = catalog_services.create_standard(
        actor=cast.rule_of_law_office,
        item=EnforcementItem.objects.get(code=body["item_code"]),
        organization=cast.department_a,
        level="county",
        title=body["title"],
        version=body["version"],
        violation=body["violation"],
        legal_basis=body["legal_basis"],
        effective_from=dt.date(2024, 1, 1),
        tiers=STANDARD_TIERS,
    )
    return f"/api/v1/catalog/standards/{row.pk}/publish"


def _in_catalog(path: str) -> Path:
    """A path whose object is in the test catalog (built on first use)."""

    def build(cast: Cast, user: User | None) -> str:
        ids = _catalog(cast)
        return path.format(**ids)

    return build


MATRIX: dict[str, Op] = {
    "GET /api/v1/auth/me": Op(LOGGED_IN, "/api/v1/auth/me"),
    "GET /api/v1/auth/tokens": Op("core.manage_own_api_tokens", "/api/v1/auth/tokens"),
    "POST /api/v1/auth/tokens": Op(
        "core.manage_own_api_tokens",
        "/api/v1/auth/tokens",
        body=lambda c: {"name": "脚本", "expires_in_days": 30},
        ok=201,
        session_only=True,
    ),
    "DELETE /api/v1/auth/tokens/{token_id}": Op("core.manage_own_api_tokens", _own_token, ok=204),
    "GET /api/v1/organizations": Op("core.view_organizations", "/api/v1/organizations"),
    "GET /api/v1/organizations/{code}": Op(
        "core.view_organizations",
        "/api/v1/organizations/scj",
        other_org=("department_head", "/api/v1/organizations/hbj"),
    ),
    "POST /api/v1/organizations": Op(
        "core.manage_organizations", "/api/v1/organizations", body=_new_org, ok=201
    ),
    "PATCH /api/v1/organizations/{code}": Op(
        "core.manage_organizations",
        "/api/v1/organizations/xz1",
        body=lambda c: {"name": "改名后的镇人民政府"},
    ),
    "GET /api/v1/users": Op("core.view_users", "/api/v1/users"),
    "GET /api/v1/users/{username}": Op("core.view_users", "/api/v1/users/officer"),
    "POST /api/v1/users": Op("core.manage_users", "/api/v1/users", body=_new_user, ok=201),
    "POST /api/v1/users/{username}/roles": Op(
        "core.manage_roles",
        "/api/v1/users/officer/roles",
        body=lambda c: {"role": "mediator", "scope": "own"},
        ok=201,
    ),
    "DELETE /api/v1/users/{username}/roles/{role}": Op(
        "core.manage_roles", "/api/v1/users/reviewer/roles/legal_reviewer", ok=204
    ),
    "GET /api/v1/ledger/checkpoints": Op(PUBLIC, "/api/v1/ledger/checkpoints"),
    "GET /api/v1/ledger/checkpoints/latest": Op(PUBLIC, "/api/v1/ledger/checkpoints/latest"),
    "POST /api/v1/ledger/checkpoints": Op(
        "ledger.create_checkpoint", "/api/v1/ledger/checkpoints", ok=201
    ),
    "POST /api/v1/ledger/checkpoints/{tree_size}/witnesses": Op(
        "ledger.add_witness",
        lambda c, u: f"/api/v1/ledger/checkpoints/{_latest_size()}/witnesses",
        body=_witness,
        ok=201,
    ),
    "GET /api/v1/ledger/proofs/inclusion": Op(
        PUBLIC, lambda c, u: f"/api/v1/ledger/proofs/inclusion?seq=2&tree_size={_latest_size()}"
    ),
    "GET /api/v1/ledger/proofs/consistency": Op(
        PUBLIC,
        lambda c, u: (
            f"/api/v1/ledger/proofs/consistency?first={_first_size()}&second={_latest_size()}"
        ),
    ),
    "GET /api/v1/ledger/entries": Op("ledger.view_entries", "/api/v1/ledger/entries"),
    "GET /api/v1/ledger/entries/{seq}": Op("ledger.view_entries", "/api/v1/ledger/entries/1"),
    "GET /api/v1/ledger/entries/{seq}/receipt": Op(
        "ledger.view_entries", "/api/v1/ledger/entries/1/receipt"
    ),
    "GET /api/v1/indicators": Op(
        "reports.view_indicators",
        "/api/v1/indicators?year=2024",
        other_org=("officer", "/api/v1/indicators?year=2024&org=hbj"),
    ),
    "GET /api/v1/indicators/{code}": Op(
        "reports.view_indicators",
        "/api/v1/indicators/supervision.staff?year=2024",
        other_org=("officer", "/api/v1/indicators/supervision.staff?year=2024&org=hbj"),
    ),
    # catalog pages' API (other-organization 404s: fazhi/catalog/tests/test_api.py)
    "GET /api/v1/catalog/bodies": Op("catalog.view", "/api/v1/catalog/bodies"),
    "GET /api/v1/catalog/bodies/{code}": Op(
        "catalog.view", _in_catalog("/api/v1/catalog/bodies/scj")
    ),
    "GET /api/v1/catalog/officers": Op("catalog.view", "/api/v1/catalog/officers"),
    "POST /api/v1/catalog/officers": Op(
        "catalog.manage_officers",
        "/api/v1/catalog/officers",
        body=lambda c: {
            "organization": "scj",
            "name": "矩阵执法",
            "certificate_number": f"M{next(_serial):07d}",
            "issuing_authority": "吉林省人民政府",
            "valid_from": "2024-01-01",
            "valid_until": "2029-12-31",
        },
        ok=201,
    ),
    "GET /api/v1/catalog/officers/{number}": Op(
        "catalog.view", _in_catalog("/api/v1/catalog/officers/22040001")
    ),
    "PATCH /api/v1/catalog/officers/{number}": Op(
        "catalog.manage_officers",
        _in_catalog("/api/v1/catalog/officers/22040001"),
        body=lambda c: {"fields": "市场监管、广告监管"},
    ),
    "GET /api/v1/catalog/items": Op("catalog.view", "/api/v1/catalog/items"),
    "POST /api/v1/catalog/items": Op(
        "catalog.manage",
        "/api/v1/catalog/items",
        body=lambda c: {
            "code": f"MATRIX-API-{next(_serial)}",
            "name": "矩阵事项",
            "category": "inspection",
            "organization": "scj",
            "basis_law": "中华人民共和国行政处罚法",
            "basis_article": "第一条",
        },
        ok=201,
    ),
    "GET /api/v1/catalog/items/{code}": Op(
        "catalog.view", _in_catalog("/api/v1/catalog/items/SCJ-CF-001")
    ),
    "PATCH /api/v1/catalog/items/{code}": Op(
        "catalog.manage",
        _in_catalog("/api/v1/catalog/items/SCJ-CF-001"),
        body=lambda c: {"basis_text": "（条文）"},
    ),
    "POST /api/v1/catalog/items/publish": Op(
        "catalog.manage",
        _in_catalog("/api/v1/catalog/items/publish"),
        body=lambda c: {"codes": ["SCJ-CF-001"]},
    ),
    "GET /api/v1/catalog/lists": Op("catalog.view", "/api/v1/catalog/lists"),
    "POST /api/v1/catalog/lists": Op(
        "catalog.manage",
        "/api/v1/catalog/lists",
        body=lambda c: {
            "kind": "reduced",
            "title": "矩阵减轻处罚事项清单",
            "organization": "scj",
            "version": f"第{next(_serial)}版",
            "effective_from": "2024-01-01",
        },
        ok=201,
    ),
    "GET /api/v1/catalog/lists/{list_id}": Op(
        "catalog.view", _in_catalog("/api/v1/catalog/lists/{published_list}")
    ),
    "GET /api/v1/catalog/lists/{list_id}/entries": Op(
        "catalog.view", _in_catalog("/api/v1/catalog/lists/{published_list}/entries")
    ),
    "POST /api/v1/catalog/lists/{list_id}/entries": Op(
        "catalog.manage",
        _in_catalog("/api/v1/catalog/lists/{draft_list}/entries"),
        body=lambda c: _entry_body(next(_serial)),
        ok=201,
    ),
    "DELETE /api/v1/catalog/lists/{list_id}/entries/{entry_id}": Op(
        "catalog.manage",
        lambda c, u: "/api/v1/catalog/lists/{}/entries/{}".format(*_draft_entry(c)),
        ok=204,
    ),
    "POST /api/v1/catalog/lists/{list_id}/publish": Op("catalog.manage", _list_to_publish),
    "GET /api/v1/catalog/standards": Op("catalog.view", "/api/v1/catalog/standards"),
    "POST /api/v1/catalog/standards": Op(
        "catalog.manage", "/api/v1/catalog/standards", body=_standard_body, ok=201
    ),
    "GET /api/v1/catalog/standards/{standard_id}": Op(
        "catalog.view",
        _in_catalog("/api/v1/catalog/standards/{standard}"),
    ),
    "POST /api/v1/catalog/standards/{standard_id}/publish": Op(
        "catalog.manage", _standard_to_publish
    ),
    "POST /api/v1/rules/evaluate": Op(
        "rules.evaluate",
        "/api/v1/rules/evaluate",
        body=lambda c: {
            "item_code": "SCJ-CF-001" if _catalog(c) else "",  # builds the catalog
            "act_date": "2024-03-01",
            "discovered_date": "2024-04-01",
            "harm": "minor",
            "corrected_in_time": True,
        },
    ),
    # catalog: Excel import/export (other-organization 404s: api/tests/test_catalog_imports.py)
    "POST /api/v1/catalog/imports": Op(
        # The matrix posts no file: permission passes, then the missing upload is a 400.
        "catalog.manage",
        "/api/v1/catalog/imports",
        ok=400,
    ),
    "GET /api/v1/catalog/imports/{job_id}": Op(
        "catalog.manage", lambda c, u: f"/api/v1/catalog/imports/{_import_job(c, u)}"
    ),
    "POST /api/v1/catalog/imports/{job_id}/apply": Op(
        "catalog.manage",
        lambda c, u: f"/api/v1/catalog/imports/{_import_job(c, u)}/apply",
        ok=202,
    ),
}

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


def _send(client: Client, key: str, op: Op, cast: Cast, user: User | None, path: str = ""):
    method = key.split(" ")[0].lower()
    url = path or (op.path(cast, user) if callable(op.path) else op.path)
    if op.body is not None:
        return getattr(client, method)(url, op.body(cast), content_type="application/json")
    return getattr(client, method)(url)


def _allowed(op: Op, user: User) -> bool:
    if op.access in (PUBLIC, LOGGED_IN):
        return True
    return bool(roles_of(user) & PERMISSIONS[op.access])


def test_every_operation_has_a_row():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
    }
    assert operations == set(MATRIX)


def test_every_permission_in_the_matrix_exists():
    for op in MATRIX.values():
        assert op.access in (PUBLIC, LOGGED_IN) or op.access in PERMISSIONS


@pytest.fixture
def ledger_ready(cast: Cast) -> Cast:
    """Two signed checkpoints with entries between them, so both proofs have work to do."""
    ledger_services.create_checkpoint()
    core_services.create_organization(
        actor=cast.system_admin,
        code="later",
        name="后建单位",
        kind="department",
        parent=cast.county,
    )
    ledger_services.create_checkpoint()
    return cast


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_anonymous(key, ledger_ready):
    op = MATRIX[key]
    response = _send(Client(), key, op, ledger_ready, None)
    expected = op.ok if op.access == PUBLIC else 401
    assert response.status_code == expected, response.content.decode()
    if expected == 401:
        assert response.json()["code"] == "not_authenticated"


def _check_persona(client: Client, persona: str, cast: Cast, *, by_token: bool) -> list[str]:
    user = getattr(cast, persona)
    failures = []
    for key, op in sorted(MATRIX.items()):
        response = _send(client, key, op, cast, user)
        if op.session_only and by_token:
            expected, code = 403, "permission_denied"
        elif _allowed(op, user):
            expected, code = op.ok, None
        else:
            expected, code = 403, "permission_denied"
        if response.status_code != expected or (code and response.json()["code"] != code):
            failures.append(f"{key}: {response.status_code} {response.content.decode()[:200]}")
    return failures


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_with_a_session(persona, ledger_ready, login):
    client = login(getattr(ledger_ready, persona), Client())
    failures = _check_persona(client, persona, ledger_ready, by_token=False)
    assert not failures, f"{persona}: {failures}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_with_a_token(persona, ledger_ready, as_user):
    client = as_user(getattr(ledger_ready, persona))
    failures = _check_persona(client, persona, ledger_ready, by_token=True)
    assert not failures, f"{persona}: {failures}"


@pytest.mark.parametrize("key", sorted(k for k, op in MATRIX.items() if op.other_org))
def test_other_organization_gets_404(key, ledger_ready, as_user):
    op = MATRIX[key]
    assert op.other_org is not None
    persona, path = op.other_org
    user = getattr(ledger_ready, persona)
    assert _allowed(op, user)
    response = _send(as_user(user), key, op, ledger_ready, user, path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
