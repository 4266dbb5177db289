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
    other_org: tuple[str, str | Path] | None = None
    session_only: bool = False  # a bearer token is refused (403) even for the right user
    multipart: bool = False  # the body is sent as multipart/form-data (file uploads)


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
    # 行政处罚决定公示: published (redacted) snapshots, for everyone
    "GET /api/v1/decisions": Op(PUBLIC, "/api/v1/decisions?search=罚决&year=2024"),
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


# --- penalty cases (other-department 404s of every case operation: api/tests/test_cases_api.py)
# A case in the state a step starts from is walked through the services, and only for a user
# who may call the step: the others are refused before any lookup, so any id will do.


def _case_cast(cast: Cast) -> Any:
    """Department A's test catalog plus the second certified officer a case needs (第四十二条)."""
    import datetime as dt

    from fazhi.cases.testing import CaseCast
    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import (
        DiscretionStandard,
        EnforcementBody,
        EnforcementItem,
        LenientList,
        Officer,
    )
    from fazhi.catalog.testing import CatalogCast

    _catalog(cast)
    second = Officer.objects.filter(certificate_number="22040003").first()
    if second is None:
        second = catalog_services.create_officer(
            actor=cast.rule_of_law_office,
            organization=cast.department_a,
            name="陈协办",
            certificate_number="22040003",
            issuing_authority="吉林省人民政府",
            valid_from=dt.date(2023, 1, 1),
            valid_until=dt.date(2028, 12, 31),
            fields="市场监管",
        )
    first_violation = LenientList.objects.get(kind="first_violation", version="2024年版")
    catalog = CatalogCast(
        cast=cast,
        body_a=EnforcementBody.objects.get(organization=cast.department_a),
        body_b=EnforcementBody.objects.get(organization=cast.department_b),
        item_a=EnforcementItem.objects.get(code="SCJ-CF-001"),
        item_b=EnforcementItem.objects.get(code="HBJ-CF-001"),
        first_violation_list=first_violation,
        entry_a=first_violation.entries.get(number=1),
        standard_a=DiscretionStandard.objects.get(organization__code="scj", version="2024年版"),
        officer_a=Officer.objects.get(certificate_number="22040001"),
        expired_officer=Officer.objects.get(certificate_number="22040002"),
    )
    return CaseCast(catalog=catalog, second_officer=second)


def _may(user: User | None, permission: str) -> bool:
    return user is not None and bool(roles_of(user) & PERMISSIONS[permission])


def _on_case(permission: str, prepare: Callable[[Any], Any], suffix: Callable[[Any], str]) -> Path:
    def build(cast: Cast, user: User | None) -> str:
        if not _may(user, permission):
            return "/api/v1/cases/1" + suffix(None)
        case = prepare(_case_cast(cast))
        return f"/api/v1/cases/{case.pk}{suffix(case)}"

    return build


def _at(status: str, *then: Callable[[Any, Any], object]) -> Callable[[Any], Any]:
    """A fresh case walked to `status`, then the given service calls."""

    def prepare(cc: Any) -> Any:
        from fazhi.cases.testing import walk
        from fazhi.cases.workflow import Status

        case = walk(cc, Status(status))
        for call in then:
            call(cc, case)
            case.refresh_from_db()
        return case

    return prepare


def _shared_case(cc: Any) -> Any:
    """A case under investigation (its registration document and a photo), reused."""
    from fazhi.cases.models import PenaltyCase
    from fazhi.cases.testing import walk
    from fazhi.cases.workflow import Status

    found = PenaltyCase.objects.filter(status=Status.INVESTIGATING).order_by("pk").first()
    return found or walk(cc, Status.INVESTIGATING)


def _date_or(value: Any) -> Any:
    import datetime as dt
    import re

    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return value


def _svc(name: str, persona: str, **kwargs: Any) -> Callable[[Any, Any], object]:
    """A service call on the case by a persona; dates as ISO strings."""

    def call(cc: Any, case: Any) -> object:
        from fazhi.cases import services as case_services

        args = {k: _date_or(v) for k, v in kwargs.items()}
        return getattr(case_services, name)(actor=getattr(cc.cast, persona), case=case, **args)

    return call


def _third_officer(cc: Any, case: Any) -> None:
    """A third officer, so that one may withdraw and two remain (第四十二条、第四十三条)."""
    import datetime as dt

    from fazhi.cases import services as case_services
    from fazhi.catalog import services as catalog_services
    from fazhi.catalog.models import Officer

    third = Officer.objects.filter(certificate_number="22040009").first()
    third = third or catalog_services.create_officer(
        actor=cc.cast.rule_of_law_office,
        organization=cc.cast.department_a,
        name="孙回避",
        certificate_number="22040009",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2028, 12, 31),
    )
    case_services.update_case(
        actor=cc.cast.officer, case=case, on=dt.date(2024, 3, 2), officers=[*cc.officers, third]
    )


def _review_passed(cc: Any, case: Any) -> None:
    _svc("pass_legal_review", "legal_reviewer", on="2024-03-16", comments="同意")(cc, case)
    case.refresh_from_db()
    if case.discussion_required:
        _svc(
            "record_discussion",
            "department_head",
            on="2024-03-16",
            participants="局长、副局长",
            conclusion="同意",
        )(cc, case)


def _latest_hold(cast: Cast) -> dict[str, Any]:
    from fazhi.cases.models import EvidenceHold

    hold = EvidenceHold.objects.order_by("-pk").values_list("pk", flat=True).first()
    return {"on": "2024-03-04", "hold_id": hold or 1, "handling": "解除登记保存"}


def _step(
    name: str,
    status: str,
    body: dict[str, Any] | Callable[[Cast], dict[str, Any]],
    *then: Callable[[Any, Any], object],
    permission: str = "",
) -> Op:
    from fazhi.cases.workflow import TRANSITIONS

    permission = permission or TRANSITIONS[name].permission
    return Op(
        permission,
        _on_case(permission, _at(status, *then), lambda c: f"/actions/{name}"),
        body=body if callable(body) else (lambda c: body),
    )


def _case_party() -> dict[str, Any]:
    import dataclasses

    from fazhi.cases.testing import COMPANY

    return dataclasses.asdict(COMPANY)


def _intake(path: str) -> Path:
    def build(cast: Cast, user: User | None) -> str:
        if _may(user, "cases.handle"):
            _case_cast(cast)
        return path

    return build


def _photo(cast: Cast) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "kind": "record",
        "medium": "photo",
        "title": "现场检查照片",
        "on": "2024-03-02",
        "files": SimpleUploadedFile("现场.jpg", b"\xff\xd8 matrix", content_type="image/jpeg"),
    }


_LEAD_OFFICERS = ["22040001", "22040003"]
_PUBLISHED = _svc("publish_decision", "officer", on="2024-03-18")

MATRIX.update(
    {
        "GET /api/v1/cases": Op("cases.view", "/api/v1/cases"),
        "POST /api/v1/cases": Op(
            "cases.handle",
            _intake("/api/v1/cases"),
            body=lambda c: {
                "item_code": "SCJ-CF-001",
                "title": "未按规定公示年度报告",
                "source": "inspection",
                "act_date": "2024-02-01",
                "discovered_date": "2024-03-01",
                "on": "2024-03-01",
                "parties": [_case_party()],
                "officers": _LEAD_OFFICERS,
            },
            ok=201,
        ),
        "POST /api/v1/cases/on-spot": Op(
            "cases.handle",
            _intake("/api/v1/cases/on-spot"),
            body=lambda c: {
                "item_code": "SCJ-CF-001",
                "title": "未按规定公示年度报告",
                "act_date": "2024-03-01",
                "on": "2024-03-01",
                "party": _case_party(),
                "officers": _LEAD_OFFICERS,
                "penalty_types": ["warning"],
            },
            ok=201,
        ),
        "GET /api/v1/cases/{case_id}": Op(
            "cases.view", _on_case("cases.view", _shared_case, lambda c: "")
        ),
        "POST /api/v1/cases/{case_id}/evidence": Op(
            "cases.handle",
            _on_case("cases.handle", _shared_case, lambda c: "/evidence"),
            body=_photo,
            ok=201,
            multipart=True,
        ),
        "GET /api/v1/cases/{case_id}/documents/{document_id}": Op(
            "cases.view",
            _on_case(
                "cases.view",
                _shared_case,
                lambda c: f"/documents/{c.documents.first().pk if c else 1}",
            ),
        ),
        "GET /api/v1/cases/{case_id}/evidence/{evidence_id}": Op(
            "cases.view",
            _on_case(
                "cases.view",
                _shared_case,
                lambda c: f"/evidence/{c.evidence.first().pk if c else 1}",
            ),
        ),
        **{
            f"POST /api/v1/cases/{{case_id}}/actions/{name}": op
            for name, op in {
                "decline": _step(
                    "decline", "lead", {"on": "2024-03-02", "reason": "不属于本机关管辖"}
                ),
                "register": _step("register", "lead", {"on": "2024-03-01"}),
                "hold_evidence": _step(
                    "hold_evidence",
                    "investigating",
                    {"on": "2024-03-02", "description": "涉案物品"},
                ),
                "handle_held_evidence": _step(
                    "handle_held_evidence",
                    "investigating",
                    _latest_hold,
                    _svc(
                        "hold_evidence", "department_head", on="2024-03-02", description="涉案物品"
                    ),
                ),
                "update_case": _step(
                    "update_case", "lead", {"on": "2024-03-01", "facts_text": "更正后的违法事实"}
                ),
                "assess": _step(
                    "assess",
                    "investigating",
                    {"on": "2024-03-05", "facts": {"severity": "serious", "harm": "ordinary"}},
                ),
                "recuse": _step(
                    "recuse",
                    "investigating",
                    {"on": "2024-03-02", "officer": "22040009", "reason": "与当事人有利害关系"},
                    _third_officer,
                ),
                "submit_for_examination": _step(
                    "submit_for_examination",
                    "investigating",
                    {"on": "2024-03-11", "report": "调查终结"},
                ),
                "return_for_investigation": _step(
                    "return_for_investigation",
                    "examining",
                    {"on": "2024-03-12", "reason": "证据不足"},
                ),
                "notify": _step(
                    "notify",
                    "examining",
                    {"on": "2024-03-14", "penalty_types": ["fine"], "fine": "40000"},
                ),
                "propose_no_penalty": _step(
                    "propose_no_penalty",
                    "examining",
                    {"on": "2024-03-14", "outcome": "not_established", "reason": "事实不能成立"},
                ),
                "record_statement": _step(
                    "record_statement", "notified", {"on": "2024-03-15", "statement": "已改正"}
                ),
                "request_hearing": _step("request_hearing", "notified", {"on": "2024-03-15"}),
                "schedule_hearing": _step(
                    "schedule_hearing",
                    "notified",
                    {
                        "on": "2024-03-15",
                        "hearing_on": "2024-04-01",
                        "location": "第一会议室",
                        "host": "reviewer",
                    },
                    _svc("request_hearing", "officer", on="2024-03-15"),
                ),
                "conclude_hearing": _step(
                    "conclude_hearing",
                    "notified",
                    {"on": "2024-04-01", "record_text": "听证笔录摘要"},
                    _svc("request_hearing", "officer", on="2024-03-15"),
                    lambda cc, case: _svc(
                        "schedule_hearing",
                        "department_head",
                        on="2024-03-15",
                        hearing_on="2024-04-01",
                        location="第一会议室",
                        host=cc.cast.legal_reviewer,
                    )(cc, case),
                ),
                "conclude_statement": _step(
                    "conclude_statement",
                    "notified",
                    {"on": "2024-03-14"},
                    _svc("record_statement", "officer", on="2024-03-14", waived=True),
                ),
                "submit_legal_review": _step("submit_legal_review", "ready", {"on": "2024-03-14"}),
                "pass_legal_review": _step(
                    "pass_legal_review", "legal_review", {"on": "2024-03-16", "comments": "同意"}
                ),
                "return_legal_review": _step(
                    "return_legal_review",
                    "legal_review",
                    {"on": "2024-03-16", "comments": "证据不足", "checklist": {"facts": False}},
                ),
                "record_discussion": _step(
                    "record_discussion",
                    "ready",
                    {"on": "2024-03-15", "participants": "局长、副局长", "conclusion": "同意"},
                ),
                "extend": _step(
                    "extend",
                    "investigating",
                    {"on": "2024-03-05", "days": 30, "reason": "案情复杂"},
                ),
                "decide": _step(
                    "decide",
                    "legal_review",
                    {"on": "2024-03-16", "penalty_types": ["fine"], "fine": "40000"},
                    _review_passed,
                ),
                "serve": _step(
                    "serve",
                    "decided",
                    {"on": "2024-03-17", "method": "direct", "recipient": "王某"},
                ),
                "record_payment": _step(
                    "record_payment", "served", {"on": "2024-03-22", "amount": "40000"}
                ),
                "record_remedy": _step(
                    "record_remedy",
                    "served",
                    {"kind": "reconsideration", "started_on": "2024-03-25"},
                ),
                "close": _step("close", "executed", {"on": "2024-03-22", "summary": "案件办结"}),
                "archive": _step("archive", "closed", {"on": "2024-03-22"}),
                "revoke_registration": _step(
                    "revoke_registration",
                    "investigating",
                    {"on": "2024-03-02", "reason": "不应立案"},
                ),
                "transfer": _step(
                    "transfer",
                    "lead",
                    {
                        "on": "2024-03-02",
                        "target": "judicial",
                        "recipient": "测试县公安局",
                        "reason": "涉嫌犯罪",
                    },
                ),
                "suspend": _step(
                    "suspend", "investigating", {"on": "2024-03-02", "reason": "当事人下落不明"}
                ),
                "resume": _step(
                    "resume",
                    "investigating",
                    {"on": "2024-03-05"},
                    _svc("suspend", "department_head", on="2024-03-02", reason="当事人下落不明"),
                ),
                "terminate": _step(
                    "terminate", "investigating", {"on": "2024-03-02", "reason": "当事人死亡"}
                ),
                "revoke_decision": _step(
                    "revoke_decision", "decided", {"on": "2024-05-06", "reason": "复议决定撤销"}
                ),
                "publish_decision": _step(
                    "publish_decision", "decided", {"on": "2024-03-18"}, permission="cases.publish"
                ),
                "correct_disclosure": _step(
                    "correct_disclosure",
                    "decided",
                    {"on": "2024-03-20", "reason": "更正错字"},
                    _PUBLISHED,
                    permission="cases.publish",
                ),
                "withdraw_disclosure": _step(
                    "withdraw_disclosure",
                    "decided",
                    {"on": "2024-03-20", "reason": "决定已被撤销"},
                    _PUBLISHED,
                    permission="cases.publish",
                ),
            }.items()
        },
    }
)


# --- 双随机、一公开 (issue 5; more other-department 404s: api/tests/test_inspections_api.py)
# Department A's setting of fazhi.inspections.testing on the matrix catalog: a published plan
# whose first task is drawn. A write that moves a task gets a fresh task in the state it starts
# from, built through the services, and only for a user who may call it (the others are refused
# before any lookup, so any id will do).

_INSPECT_VIEW, _INSPECT_MANAGE = "inspections.view", "inspections.manage"
_INSPECT_DRAW, _INSPECT_RECORD = "inspections.draw", "inspections.record"


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _inspections(cast: Cast) -> dict[str, int]:
    from fazhi.inspections import testing as inspection_testing
    from fazhi.inspections.models import Task

    task = Task.objects.filter(draw__isnull=False).order_by("pk").first()
    if task is None:
        cc = _case_cast(cast)
        ic = inspection_testing.build_inspections(cast, entities=10, catalog=cc.catalog)
        task = inspection_testing.draw(ic)
    record = task.records.order_by("pk").first()
    assert record is not None
    assert task.draw_id is not None
    return {"plan": task.plan_id, "task": task.pk, "draw": task.draw_id, "record": record.pk}


def _in_inspections(template: str) -> Path:
    return lambda cast, user: template.format(**_inspections(cast))


def _fresh_task(cast: Cast, *, committed: bool = False, drawn: bool = False, done: bool = False):
    """A new task on the setting's plan, committed, drawn and recorded as asked."""
    import datetime as dt

    from fazhi.inspections import services as inspection_services
    from fazhi.inspections import testing as inspection_testing
    from fazhi.inspections.models import Plan

    head, today = cast.department_head, _today()
    plan = Plan.objects.get(pk=_inspections(cast)["plan"])
    task = inspection_services.add_task(
        actor=head,
        plan=plan,
        number=f"MATRIX-{next(_serial)}",
        title="矩阵抽查任务",
        due_on=dt.date(today.year, 12, 31),
    )
    if committed or drawn or done:
        inspection_services.commit_draw(
            actor=head,
            task=task,
            randomness_source=inspection_testing.SOURCE,
            randomness_due=today,
        )
    if drawn or done:
        task = inspection_services.reveal_draw(
            actor=head,
            task=task,
            value=inspection_testing.RANDOMNESS,
            evidence=inspection_testing.EVIDENCE,
        )
    if done:
        for record in task.records.all():
            inspection_services.record_result(
                actor=head,
                record=record,
                inspected_on=today,
                outcome="passed",
                findings="未发现问题",
            )
    return task


def _on_fresh_task(permission: str, suffix: str, **state: bool) -> Path:
    def build(cast: Cast, user: User | None) -> str:
        if not _may(user, permission):
            return f"/api/v1/inspections/tasks/1/{suffix}"
        return f"/api/v1/inspections/tasks/{_fresh_task(cast, **state).pk}/{suffix}"

    return build


def _plan_to_publish(cast: Cast, user: User | None) -> str:
    import datetime as dt

    from fazhi.inspections import services as inspection_services
    from fazhi.inspections import testing as inspection_testing
    from fazhi.inspections.models import InspectionItem

    if not _may(user, _INSPECT_MANAGE):
        return "/api/v1/inspections/plans/1/publish"
    _inspections(cast)
    year = _today().year
    plan = inspection_services.create_plan(
        actor=cast.department_head,
        organization=cast.department_a,
        kind="department",
        year=year,
        number=f"MATRIX-{next(_serial)}",
        title="矩阵待公布抽查计划",
        items=[InspectionItem.objects.get(code="SCJ-CC-001")],
        ratios=inspection_testing.RATIOS,
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    return f"/api/v1/inspections/plans/{plan.pk}/publish"


def _record_to_enter(cast: Cast, user: User | None) -> str:
    """A record without a result that the user may enter: one they inspect, or (for a head)
    any. The seed hashes the commitment, which holds the time it was made, so whether an officer
    is drawn differs from run to run: fresh tasks are drawn until one names them."""
    from fazhi.core.choices import Role
    from fazhi.inspections.models import InspectionRecord

    if not _may(user, _INSPECT_RECORD):
        return "/api/v1/inspections/records/1/result"
    assert user is not None
    _inspections(cast)
    open_records = InspectionRecord.objects.filter(outcome="").order_by("pk")
    for _ in range(20):
        record = open_records.filter(inspectors__officer__user=user).first()
        if record is None and Role.DEPARTMENT_HEAD in roles_of(user):
            record = open_records.first()
        if record is not None:
            return f"/api/v1/inspections/records/{record.pk}/result"
        _fresh_task(cast, drawn=True)
    raise AssertionError(f"{user.username} was not drawn as an inspector in 20 draws")


def _new_inspector(cast: Cast) -> dict[str, Any]:
    import datetime as dt

    from fazhi.catalog import services as catalog_services

    officer = catalog_services.create_officer(
        actor=cast.rule_of_law_office,
        organization=cast.department_a,
        name="矩阵检查",
        certificate_number=f"M{next(_serial):07d}",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2029, 12, 31),
    )
    return {"certificate_number": officer.certificate_number, "qualifications": ["食品"]}


def _new_entity(cast: Cast) -> dict[str, Any]:
    from fazhi.inspections.testing import entity_code

    return {
        "credit_code": entity_code(7000 + next(_serial)),
        "name": "矩阵餐馆",
        "industry": "餐饮",
        "township": "xz1",
        "risk_class": "B",
    }


def _new_inspection_plan(cast: Cast) -> dict[str, Any]:
    _inspections(cast)
    year = _today().year
    return {
        "organization": "scj",
        "kind": "department",
        "year": year,
        "number": f"MATRIX-{next(_serial)}",
        "title": "矩阵抽查计划",
        "items": ["SCJ-CC-001"],
        "ratios": {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"},
        "starts_on": f"{year}-01-01",
        "ends_on": f"{year}-12-31",
    }


def _inspection_import_job(cast: Cast, user: User | None) -> int:
    """A validated (ready) entity import uploaded by ``user`` if they may import entities, else
    by the rule-of-law office; only its uploader applies it."""
    import io

    from fazhi.catalog import excel
    from fazhi.inspections import imports
    from fazhi.inspections.testing import entity_code

    uploader = user if user is not None and "entities" in imports.importable_kinds(user) else None
    uploader = uploader or cast.rule_of_law_office
    row = {
        "统一社会信用代码": entity_code(8000 + next(_serial)),
        "企业名称": "矩阵导入餐馆",
        "行业": "餐饮",
        "所属乡镇": "测试镇人民政府",
        "信用风险分类": "C类",
    }
    content = excel.build_workbook("entities", excel.rows_from_dicts("entities", [row]))
    job = imports.start_import(
        actor=uploader,
        kind="entities",
        file=io.BytesIO(content),
        original_name="matrix.xlsx",
        size=len(content),
    )
    return job.pk


MATRIX.update(
    {
        "GET /api/v1/inspections/items": Op(_INSPECT_VIEW, "/api/v1/inspections/items"),
        "POST /api/v1/inspections/items": Op(
            _INSPECT_MANAGE,
            "/api/v1/inspections/items",
            body=lambda c: {
                "organization": "scj",
                "code": f"MATRIX-CC-{next(_serial)}",
                "name": "矩阵抽查事项",
                "kind": "general",
                "basis": "《中华人民共和国食品安全法》第一百一十条",
                "qualification": "食品",
            },
            ok=201,
        ),
        "GET /api/v1/inspections/entities": Op(_INSPECT_VIEW, "/api/v1/inspections/entities"),
        "POST /api/v1/inspections/entities": Op(
            _INSPECT_MANAGE,
            "/api/v1/inspections/entities",
            body=_new_entity,
            ok=201,
        ),
        "GET /api/v1/inspections/inspectors": Op(_INSPECT_VIEW, "/api/v1/inspections/inspectors"),
        "POST /api/v1/inspections/inspectors": Op(
            _INSPECT_MANAGE, "/api/v1/inspections/inspectors", body=_new_inspector, ok=201
        ),
        "GET /api/v1/inspections/plans": Op(_INSPECT_VIEW, "/api/v1/inspections/plans"),
        "POST /api/v1/inspections/plans": Op(
            _INSPECT_MANAGE, "/api/v1/inspections/plans", body=_new_inspection_plan, ok=201
        ),
        "GET /api/v1/inspections/plans/{plan_id}": Op(
            _INSPECT_VIEW,
            _in_inspections("/api/v1/inspections/plans/{plan}"),
            other_org=("other_officer", _in_inspections("/api/v1/inspections/plans/{plan}")),
        ),
        "POST /api/v1/inspections/plans/{plan_id}/publish": Op(
            _INSPECT_MANAGE, _plan_to_publish, body=lambda c: {"on": _today().isoformat()}
        ),
        "POST /api/v1/inspections/plans/{plan_id}/tasks": Op(
            _INSPECT_MANAGE,
            _in_inspections("/api/v1/inspections/plans/{plan}/tasks"),
            body=lambda c: {
                "number": f"MATRIX-{next(_serial)}",
                "title": "矩阵抽查任务",
                "due_on": f"{_today().year}-12-31",
            },
            ok=201,
        ),
        "GET /api/v1/inspections/tasks": Op(_INSPECT_VIEW, "/api/v1/inspections/tasks"),
        "GET /api/v1/inspections/tasks/{task_id}": Op(
            _INSPECT_VIEW,
            _in_inspections("/api/v1/inspections/tasks/{task}"),
            other_org=("other_officer", _in_inspections("/api/v1/inspections/tasks/{task}")),
        ),
        "POST /api/v1/inspections/tasks/{task_id}/commit": Op(
            _INSPECT_DRAW,
            _on_fresh_task(_INSPECT_DRAW, "commit"),
            body=lambda c: {
                "randomness_source": "中国福利彩票双色球开奖号码（按开奖顺序）",
                "randomness_due": _today().isoformat(),
            },
            ok=201,
        ),
        "POST /api/v1/inspections/tasks/{task_id}/reveal": Op(
            _INSPECT_DRAW,
            _on_fresh_task(_INSPECT_DRAW, "reveal", committed=True),
            body=lambda c: {
                "value": "03 07 12 19 25 31 09",
                "evidence": "https://www.cwl.gov.cn/ 当期开奖公告",
            },
        ),
        "POST /api/v1/inspections/tasks/{task_id}/publish": Op(
            _INSPECT_MANAGE,
            _on_fresh_task(_INSPECT_MANAGE, "publish", done=True),
            body=lambda c: {"on": _today().isoformat()},
        ),
        "GET /api/v1/inspections/draws/{draw_id}/bundle": Op(
            _INSPECT_VIEW,
            _in_inspections("/api/v1/inspections/draws/{draw}/bundle"),
            other_org=("other_officer", _in_inspections("/api/v1/inspections/draws/{draw}/bundle")),
        ),
        "GET /api/v1/inspections/records": Op(_INSPECT_VIEW, "/api/v1/inspections/records"),
        "GET /api/v1/inspections/records/{record_id}": Op(
            _INSPECT_VIEW,
            _in_inspections("/api/v1/inspections/records/{record}"),
            other_org=("other_officer", _in_inspections("/api/v1/inspections/records/{record}")),
        ),
        "POST /api/v1/inspections/records/{record_id}/result": Op(
            _INSPECT_RECORD,
            _record_to_enter,
            body=lambda c: {
                "inspected_on": _today().isoformat(),
                "outcome": "passed",
                "findings": "未发现问题",
            },
            multipart=True,
        ),
        # the directories' import (other-organization 404s: inspections/tests/test_import_views.py)
        "POST /api/v1/inspections/imports": Op(
            # No file: permission passes, then the missing upload is a 400.
            _INSPECT_MANAGE,
            "/api/v1/inspections/imports",
            ok=400,
        ),
        "GET /api/v1/inspections/imports/{job_id}": Op(
            _INSPECT_MANAGE,
            lambda c, u: f"/api/v1/inspections/imports/{_inspection_import_job(c, u)}",
        ),
        "POST /api/v1/inspections/imports/{job_id}/apply": Op(
            _INSPECT_MANAGE,
            lambda c, u: f"/api/v1/inspections/imports/{_inspection_import_job(c, u)}/apply",
            ok=202,
        ),
    }
)


# --- 案卷评查 (issue 5 §5; other-organization 404s: cases/tests/test_review_api.py): the justice
# bureau's review of department A's two closed cases; a write gets a fresh plan or opinion in the
# state it starts from, built through the review services, only for a user who may call it.

_REVIEW, _ANSWER = "cases.review", "cases.answer_review"


def _closed_cases(cast: Cast) -> None:
    import datetime as dt

    from fazhi.cases.models import PenaltyCase
    from fazhi.cases.testing import walk
    from fazhi.cases.workflow import Status

    if not PenaltyCase.objects.filter(status=Status.CLOSED).exists():
        cc = _case_cast(cast)
        for i in range(2):
            walk(cc, Status.CLOSED, on=dt.date(2024, 3, 1) + dt.timedelta(days=i))


def _review_plan(cast: Cast, stage: str = "drawn") -> Any:
    """A new review plan over the closed cases: "new", "committed", "drawn" or "scored"."""
    import datetime as dt

    from fazhi.cases import review, review_selectors, review_services
    from fazhi.inspections.testing import EVIDENCE, RANDOMNESS, SOURCE

    _closed_cases(cast)
    sup, today = cast.supervisor, _today()
    plan = review_services.create_plan(
        actor=sup,
        organization=cast.justice_bureau,
        year=2024,
        title=f"2024年度行政处罚案卷评查（矩阵{next(_serial)}）",
        departments=[cast.department_a],
        closed_from=dt.date(2024, 1, 1),
        closed_to=dt.date(2024, 12, 31),
        sample_size=2,
    )
    if stage == "new":
        return plan
    plan = review_services.commit_plan(
        actor=sup, plan=plan, randomness_source=SOURCE, randomness_due=today
    )
    if stage == "committed":
        return plan
    plan = review_services.reveal_plan(actor=sup, plan=plan, value=RANDOMNESS, evidence=EVIDENCE)
    if stage == "scored":
        for row in review_selectors.current_reviews(plan):
            review_services.score(
                actor=sup,
                plan=plan,
                case=row.case,
                scores={c.code: c.points for c in review.criteria(plan.sheet)},
                notes={},
                findings="未发现问题",
                on=today,
            )
    return plan


def _opinion(cast: Cast, stage: str = "issued") -> Any:
    """A new opinion to department A: "issued", "received" or "recheck"."""
    from fazhi.cases import review_services

    today = _today()
    opinion = review_services.issue_opinion(
        actor=cast.supervisor,
        plan=_review_plan(cast, "scored"),
        department=cast.department_a,
        findings="行政处罚决定未在七个工作日内公开。",
        requirements="建立公示台账，逐案核对公开时限。",
        on=today,
    )
    if stage in ("received", "recheck"):
        opinion = review_services.receive_opinion(actor=cast.supervisor, opinion=opinion, on=today)
    if stage == "recheck":
        opinion = review_services.request_recheck(
            actor=cast.department_head, opinion=opinion, reason="部分案卷已按期公开", on=today
        )
    return opinion


def _shared_opinion(cast: Cast) -> Any:
    from fazhi.cases.models import SupervisionOpinion

    return SupervisionOpinion.objects.order_by("pk").first() or _opinion(cast)


def _on_review(permission: str, build: Callable[[Cast, User | None], str], dummy: str) -> Path:
    def path(cast: Cast, user: User | None) -> str:
        return build(cast, user) if _may(user, permission) else dummy

    return path


def _score_path(cast: Cast, user: User | None) -> str:
    from fazhi.cases import review_selectors

    plan = _review_plan(cast, "drawn")
    case = review_selectors.current_reviews(plan)[0].case_id
    return f"/api/v1/case-reviews/plans/{plan.pk}/files/{case}/score"


def _full_scores(cast: Cast) -> dict[str, Any]:
    from fazhi.cases import review

    return {
        "scores": {c.code: {"score": c.points} for c in review.criteria(review.default_sheet())},
        "findings": "未发现问题",
    }


_R = "/api/v1/case-reviews"


def _shared_opinion_path(side: str, tail: str) -> Path:
    return lambda cast, user: f"{_R}/{side}/{_shared_opinion(cast).pk}{tail}"


def _fresh_opinion_path(side: str, action: str, stage: str) -> Path:
    return lambda cast, user: f"{_R}/{side}/{_opinion(cast, stage).pk}/{action}"


def _constant(body: dict[str, Any]) -> Callable[[Cast], dict[str, Any]]:
    return lambda cast: body


MATRIX.update(
    {
        f"GET {_R}/plans": Op(_REVIEW, f"{_R}/plans"),
        f"POST {_R}/plans": Op(
            _REVIEW,
            f"{_R}/plans",
            body=lambda c: {
                "organization": "sfj",
                "year": 2024,
                "title": f"矩阵评查{next(_serial)}",
                "departments": ["scj"],
                "closed_from": "2024-01-01",
                "closed_to": "2024-12-31",
                "sample_size": 1,
            },
            ok=201,
        ),
        f"GET {_R}/plans/{{plan_id}}": Op(
            _REVIEW,
            _on_review(
                _REVIEW, lambda c, u: f"{_R}/plans/{_shared_opinion(c).plan_id}", f"{_R}/plans/1"
            ),
        ),
        f"POST {_R}/plans/{{plan_id}}/commit": Op(
            _REVIEW,
            _on_review(
                _REVIEW,
                lambda c, u: f"{_R}/plans/{_review_plan(c, 'new').pk}/commit",
                f"{_R}/plans/1/commit",
            ),
            body=lambda c: {
                "randomness_source": "中国福利彩票双色球开奖号码（按开奖顺序）",
                "randomness_due": _today().isoformat(),
            },
        ),
        f"POST {_R}/plans/{{plan_id}}/reveal": Op(
            _REVIEW,
            _on_review(
                _REVIEW,
                lambda c, u: f"{_R}/plans/{_review_plan(c, 'committed').pk}/reveal",
                f"{_R}/plans/1/reveal",
            ),
            body=lambda c: {
                "value": "03 07 12 19 25 31 09",
                "evidence": "https://www.cwl.gov.cn/ 当期开奖公告",
            },
        ),
        f"POST {_R}/plans/{{plan_id}}/files/{{case_id}}/score": Op(
            _REVIEW,
            _on_review(_REVIEW, _score_path, f"{_R}/plans/1/files/1/score"),
            body=_full_scores,
        ),
        f"POST {_R}/plans/{{plan_id}}/opinions": Op(
            _REVIEW,
            _on_review(
                _REVIEW,
                lambda c, u: f"{_R}/plans/{_review_plan(c, 'scored').pk}/opinions",
                f"{_R}/plans/1/opinions",
            ),
            body=lambda c: {
                "department": "scj",
                "findings": "行政处罚决定未在七个工作日内公开。",
                "requirements": "建立公示台账，逐案核对公开时限。",
            },
            ok=201,
        ),
        **{
            f"GET {_R}/{side}": Op(perm, f"{_R}/{side}")
            for side, perm in (("opinions", _REVIEW), ("department-opinions", _ANSWER))
        },
        **{
            f"GET {_R}/{side}/{{opinion_id}}{tail}": Op(
                perm,
                _on_review(perm, _shared_opinion_path(side, tail), f"{_R}/{side}/1{tail}"),
            )
            for side, perm in (("opinions", _REVIEW), ("department-opinions", _ANSWER))
            for tail in ("", "/document")
        },
        **{
            f"POST {_R}/{side}/{{opinion_id}}/{action}": Op(
                perm,
                _on_review(
                    perm, _fresh_opinion_path(side, action, stage), f"{_R}/{side}/1/{action}"
                ),
                body=_constant(body),
            )
            for side, perm, action, stage, body in (
                ("opinions", _REVIEW, "receive", "issued", {}),
                (
                    "opinions",
                    _REVIEW,
                    "recheck-answer",
                    "recheck",
                    {"upheld": True, "answer": "经复查，维持原意见"},
                ),
                ("department-opinions", _ANSWER, "receive", "issued", {}),
                ("department-opinions", _ANSWER, "answer", "received", {"report": "已逐案整改"}),
                (
                    "department-opinions",
                    _ANSWER,
                    "recheck",
                    "received",
                    {"reason": "部分案卷已按期公开"},
                ),
            )
        },
    }
)


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
    if op.body is not None and op.multipart:
        return getattr(client, method)(url, op.body(cast))
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
    url = path(ledger_ready, user) if callable(path) else path
    response = _send(as_user(user), key, op, ledger_ready, user, url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
