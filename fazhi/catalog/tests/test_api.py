"""The catalog and rules API (/api/v1/catalog, /api/v1/rules): data scope, filters, writes
through the services, the {code, message, details} errors, and list endpoints without N+1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.catalog import services
from fazhi.catalog.conversions import TierInput
from fazhi.catalog.models import (
    DiscretionStandard,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
)
from fazhi.catalog.testing import STANDARD_TIERS, CatalogCast, build_catalog, credit_code
from fazhi.core import services as core_services
from fazhi.core.models import User
from fazhi.core.testing import Cast
from fazhi.ledger.models import LedgerEntry

API = "/api/v1/catalog"


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


@pytest.fixture
def api(catalog: CatalogCast) -> Callable[[User], Client]:
    """A client authenticated by a bearer token issued to ``user`` through the service."""

    def _client(user: User) -> Client:
        secret = core_services.issue_api_token(actor=user, name="测试", expires_in_days=1).secret
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return _client


@pytest.fixture
def office(api, catalog) -> Client:
    return api(catalog.cast.rule_of_law_office)


@pytest.fixture
def head(api, catalog) -> Client:
    return api(catalog.cast.department_head)


def post(client: Client, url: str, body: dict[str, Any]):
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]):
    return client.patch(url, body, content_type="application/json")


def codes(response, key: str = "code") -> list[Any]:
    assert response.status_code == 200, response.content.decode()
    return [row[key] for row in response.json()["items"]]


def _hbj_officer(catalog: CatalogCast) -> Officer:
    return services.create_officer(
        actor=catalog.cast.rule_of_law_office,
        organization=catalog.cast.department_b,
        name="李执法",
        certificate_number="22050001",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2028, 12, 31),
    )


def _hbj_list(catalog: CatalogCast) -> LenientList:
    return services.create_list(
        actor=catalog.cast.rule_of_law_office,
        kind="no_penalty",
        title="测试县生态环境分局不予处罚事项清单",
        organization=catalog.cast.department_b,
        version="2024年版",
        effective_from=dt.date(2024, 1, 1),
    )


# --- data scope: another organization's row is a 404 -----------------------------------------


def test_other_organizations_rows_are_not_found(catalog, head):
    officer = _hbj_officer(catalog)
    lst = _hbj_list(catalog)
    standard = services.create_standard(
        actor=catalog.cast.rule_of_law_office,
        item=catalog.item_b,
        organization=catalog.cast.department_b,
        level="county",
        title="测试县生态环境分局裁量基准",
        version="2024年版",
        violation="未批先建",
        legal_basis="《中华人民共和国环境影响评价法》第三十一条第一款",
        effective_from=dt.date(2024, 1, 1),
        tiers=[
            TierInput("ordinary", sev, Decimal(low), Decimal(high), "情节", "罚款")
            for sev, low, high in [
                ("slight", 1, 2),
                ("minor", 1, 2),
                ("serious", 2, 4),
                ("grave", 4, 5),
            ]
        ],
    )
    for method, url, body in [
        ("get", f"{API}/bodies/hbj", None),
        ("get", f"{API}/officers/{officer.certificate_number}", None),
        ("patch", f"{API}/officers/{officer.certificate_number}", {"fields": "x"}),
        ("get", f"{API}/items/HBJ-CF-001", None),
        ("patch", f"{API}/items/HBJ-CF-001", {"name": "改名"}),
        ("get", f"{API}/lists/{lst.pk}", None),
        ("get", f"{API}/lists/{lst.pk}/entries", None),
        ("post", f"{API}/lists/{lst.pk}/publish", None),
        ("get", f"{API}/standards/{standard.pk}", None),
        ("post", f"{API}/standards/{standard.pk}/publish", None),
    ]:
        if body is None:
            response = getattr(head, method)(url)
        else:
            response = getattr(head, method)(url, body, content_type="application/json")
        assert response.status_code == 404, (url, response.content.decode())
        assert response.json()["code"] == "not_found"
    catalog.item_b.refresh_from_db()
    assert catalog.item_b.name == "对未批先建的处罚"
    assert codes(head.get(f"{API}/items")) == ["SCJ-CF-001"]
    assert codes(head.get(f"{API}/bodies"), "credit_code") == [catalog.body_a.credit_code]


def test_writes_outside_the_scope_are_refused(head):
    response = post(
        head,
        f"{API}/items",
        {
            "code": "HBJ-XK-9",
            "name": "越权事项",
            "category": "inspection",
            "organization": "hbj",
            "basis_law": "法",
            "basis_article": "第一条",
        },
    )
    assert response.status_code == 400
    assert response.json()["details"] == {
        "organization": ["单位代码“hbj”不存在或不在您的数据范围内"]
    }
    assert not EnforcementItem.objects.filter(code="HBJ-XK-9").exists()


# --- 执法主体, 执法人员 ---------------------------------------------------------------------------


def test_bodies(office):
    body = office.get(f"{API}/bodies/scj").json()
    assert body["kind"] == "statutory" and body["kind_label"] == "法定行政执法机关"
    assert body["organization"] == {"code": "scj", "name": "测试县市场监督管理局"}
    assert codes(office.get(f"{API}/bodies?kind=entrusted"), "credit_code") == []
    assert len(codes(office.get(f"{API}/bodies?search=生态"), "credit_code")) == 1


def test_officer_list_detail_and_filters(office, catalog):
    services.record_training(
        actor=catalog.cast.rule_of_law_office,
        officer=catalog.officer_a,
        kind="online",
        title="网络培训",
        held_on=dt.date(2024, 3, 1),
        hours=Decimal(20),
    )
    numbers = codes(office.get(f"{API}/officers?expired=true"), "certificate_number")
    assert numbers == ["22040002"]
    detail = office.get(f"{API}/officers/22040001").json()
    assert detail["certificate_problem"] == "" and detail["user"] == "officer"
    assert detail["trainings"] == [
        {
            "kind": "online",
            "kind_label": "网络培训",
            "title": "网络培训",
            "held_on": "2024-03-01",
            "hours": "20.0",
        }
    ]
    expired = office.get(f"{API}/officers/22040002").json()
    assert "已于2023年12月31日过期" in expired["certificate_problem"]


def test_create_and_patch_an_officer(office):
    before = LedgerEntry.objects.count()
    body = {
        "organization": "scj",
        "name": "孙新人",
        "certificate_number": "22040009",
        "issuing_authority": "吉林省人民政府",
        "valid_from": "2024-01-01",
        "valid_until": "2029-12-31",
    }
    created = post(office, f"{API}/officers", body)
    assert created.status_code == 201, created.content.decode()
    assert created.json()["status"] == "active"
    assert LedgerEntry.objects.count() == before + 1
    again = post(office, f"{API}/officers", body)
    assert again.status_code == 409 and again.json()["message"] == "执法证号22040009已登记"
    bad = patch(office, f"{API}/officers/22040009", {"valid_until": "2020-01-01"})
    assert bad.status_code == 400
    assert bad.json()["details"] == {"valid_until": ["执法证有效期至不能早于有效期起"]}
    ok = patch(office, f"{API}/officers/22040009", {"fields": "价格监督"})
    assert ok.status_code == 200 and ok.json()["fields"] == "价格监督"
    assert Officer.objects.get(certificate_number="22040009").name == "孙新人"


def test_officers_are_managed_only_with_the_permission(api, catalog):
    officer = api(catalog.cast.officer)
    response = patch(officer, f"{API}/officers/22040001", {"name": "改名"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


# --- 执法事项 ---------------------------------------------------------------------------------


def test_item_filters(office):
    assert codes(office.get(f"{API}/items?organization=scj")) == ["SCJ-CF-001"]
    assert codes(office.get(f"{API}/items?search=未批先建")) == ["HBJ-CF-001"]
    assert codes(office.get(f"{API}/items?category=licensing")) == []
    assert codes(office.get(f"{API}/items?published=false")) == []
    bad = office.get(f"{API}/items?category=nonsense")
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_item_detail(office):
    item = office.get(f"{API}/items/SCJ-CF-001").json()
    assert item["citation"] == "《中华人民共和国市场主体登记管理条例》第四十六条"
    assert item["penalty_types"] == ["warning", "fine"]
    assert item["penalty_type_labels"] == ["警告", "罚款"]
    assert (item["fine_min"], item["fine_max"]) == ("10000.00", "100000.00")
    assert item["published_at"] is not None


def test_create_patch_deactivate_and_publish_an_item(office):
    body = {
        "code": "SCJ-CF-002",
        "name": "对虚报注册资本的处罚",
        "category": "penalty",
        "organization": "scj",
        "basis_law": "中华人民共和国市场主体登记管理条例",
        "basis_article": "第四十五条",
        "penalty_types": ["warning"],
        "fine_basis": "amount",
        "fine_min": "50000",
        "fine_max": "200000",
    }
    refused = post(office, f"{API}/items", body)
    assert refused.status_code == 400
    assert refused.json()["message"] == "填写了罚款幅度，处罚种类应包含“罚款”"
    created = post(office, f"{API}/items", {**body, "penalty_types": ["fine"]})
    assert created.status_code == 201, created.content.decode()
    assert created.json()["published_at"] is None
    renamed = patch(office, f"{API}/items/SCJ-CF-002", {"name": "对虚报注册资本取得登记的处罚"})
    assert renamed.json()["name"] == "对虚报注册资本取得登记的处罚"
    assert renamed.json()["fine_max"] == "200000.00"  # untouched fields keep their values
    published = post(office, f"{API}/items/publish", {"codes": ["SCJ-CF-002", "SCJ-CF-001"]})
    assert published.json() == {"count": 1}  # SCJ-CF-001 was already published
    off = patch(office, f"{API}/items/SCJ-CF-002", {"is_active": False})
    assert off.json()["is_active"] is False
    assert not EnforcementItem.objects.get(code="SCJ-CF-002").is_active


# --- 清单 -------------------------------------------------------------------------------------


ENTRY = {
    "item_code": "SCJ-CF-001",
    "number": 1,
    "violation": "未按规定公示年度报告",
    "legal_basis": "《中华人民共和国行政处罚法》第三十二条",
    "condition_text": "主动消除或者减轻违法行为危害后果",
    "conditions": {"any_circumstance": ["eliminated_harm"], "party_kinds": ["organization"]},
}


def test_lists_and_their_entries(office, catalog):
    lists = office.get(f"{API}/lists?kind=first_violation").json()["items"]
    assert [(x["title"], x["entry_count"]) for x in lists] == [
        ("测试县市场监督管理局首违不罚事项清单", 1)
    ]
    entries = office.get(f"{API}/lists/{catalog.first_violation_list.pk}/entries").json()
    assert entries["count"] == 1
    entry = entries["items"][0]
    assert entry["item_code"] == "SCJ-CF-001"
    assert entry["conditions_text"] == "初次违法、危害后果不超过“危害后果轻微”、及时改正"
    assert codes(office.get(f"{API}/lists?published=false"), "id") == []


def test_build_and_publish_a_list(office):
    created = post(
        office,
        f"{API}/lists",
        {
            "kind": "lighter",
            "title": "测试县市场监督管理局从轻处罚事项清单",
            "organization": "scj",
            "version": "2025年版",
            "effective_from": "2025-01-01",
        },
    )
    assert created.status_code == 201, created.content.decode()
    list_id = created.json()["id"]
    empty = post(office, f"{API}/lists/{list_id}/publish", {})
    assert empty.status_code == 400 and empty.json()["message"] == "清单没有事项，不能公布"
    added = post(office, f"{API}/lists/{list_id}/entries", ENTRY)
    assert added.status_code == 201, added.content.decode()
    assert LenientListEntry.objects.get(pk=added.json()["id"]).conditions == {
        "any_circumstance": ["eliminated_harm"],
        "party_kinds": ["organization"],
    }
    spare = post(office, f"{API}/lists/{list_id}/entries", {**ENTRY, "number": 2})
    removed = office.delete(f"{API}/lists/{list_id}/entries/{spare.json()['id']}")
    assert removed.status_code == 204
    published = post(office, f"{API}/lists/{list_id}/publish", {})
    assert published.status_code == 200 and published.json()["published_at"] is not None
    late = post(office, f"{API}/lists/{list_id}/entries", {**ENTRY, "number": 3})
    assert late.status_code == 409 and "已公布，不能再修改" in late.json()["message"]


def test_entry_conditions_are_validated(office, catalog):
    lst = services.create_list(
        actor=catalog.cast.rule_of_law_office,
        kind="first_violation",
        title="首违不罚清单",
        organization=catalog.cast.department_a,
        version="2025年版",
        effective_from=dt.date(2025, 1, 1),
    )
    refused = post(office, f"{API}/lists/{lst.pk}/entries", ENTRY)
    assert refused.status_code == 400
    assert refused.json()["details"] == {
        "conditions": ["首违不罚清单事项的适用条件应包含“初次违法”"]
    }
    bad_enum = post(
        office,
        f"{API}/lists/{lst.pk}/entries",
        {**ENTRY, "conditions": {"max_harm": "huge"}},
    )
    assert bad_enum.status_code == 422
    assert "conditions.max_harm" in bad_enum.json()["details"]["fields"]


# --- 裁量基准 ----------------------------------------------------------------------------------


def _tiers_json(tiers: tuple[TierInput, ...] = STANDARD_TIERS) -> list[dict[str, Any]]:
    return [
        {
            "treatment": t.treatment,
            "severity": t.severity or None,
            "fine_min": None if t.fine_min is None else str(t.fine_min),
            "fine_max": None if t.fine_max is None else str(t.fine_max),
            "condition_text": t.condition_text,
            "standard_text": t.standard_text,
        }
        for t in tiers
    ]


STANDARD = {
    "item_code": "SCJ-CF-001",
    "organization": "scj",
    "title": "测试县市场监督管理局行政处罚裁量基准",
    "version": "2025年版",
    "violation": "未按规定公示年度报告",
    "legal_basis": "《中华人民共和国市场主体登记管理条例》第四十六条",
    "effective_from": "2025-01-01",
}


def test_standards_with_tiers(office, catalog):
    rows = office.get(f"{API}/standards?item_code=SCJ-CF-001").json()["items"]
    assert len(rows) == 1
    tiers = rows[0]["tiers"]
    assert [(t["treatment"], t["severity"]) for t in tiers][:2] == [
        ("no_penalty", ""),
        ("lighter", "minor"),
    ]
    assert tiers[-1] == {
        "order": 4,
        "treatment": "heavier",
        "treatment_label": "从重处罚",
        "severity": "grave",
        "severity_label": "情节严重",
        "fine_min": "70000.00",
        "fine_max": "100000.00",
        "condition_text": "情节严重",
        "standard_text": "罚款七万元至十万元",
    }


def test_create_and_publish_a_standard(office, catalog):
    bad_tiers = _tiers_json()
    bad_tiers[-1]["fine_max"] = "150000"
    refused = post(office, f"{API}/standards", {**STANDARD, "tiers": bad_tiers})
    assert refused.status_code == 400
    assert refused.json()["message"] == "第5个阶次的罚款上限150000超出法定上限100000.00"
    refinement = post(
        office, f"{API}/standards", {**STANDARD, "tiers": _tiers_json(), "parent": 999999}
    )
    assert refinement.status_code == 400 and refinement.json()["details"] == {
        "parent": ["上级裁量基准999999不存在"]
    }
    created = post(office, f"{API}/standards", {**STANDARD, "tiers": _tiers_json()})
    assert created.status_code == 201, created.content.decode()
    row_id = created.json()["id"]
    assert len(created.json()["tiers"]) == 5 and created.json()["published_at"] is None
    assert post(office, f"{API}/standards/{row_id}/publish", {}).status_code == 200
    again = post(office, f"{API}/standards/{row_id}/publish", {})
    assert again.status_code == 409
    assert DiscretionStandard.objects.get(pk=row_id).published_at is not None


# --- /rules/evaluate ------------------------------------------------------------------------------

FACTS = {
    "item_code": "SCJ-CF-001",
    "act_date": "2024-03-01",
    "discovered_date": "2024-04-01",
    "party_kind": "organization",
    "harm": "minor",
    "corrected_in_time": True,
}
RULES = "/api/v1/rules/evaluate"


def test_evaluate_reads_the_items_lists_and_benchmark(api, catalog):
    response = post(api(catalog.cast.officer), RULES, FACTS)
    assert response.status_code == 200, response.content.decode()
    decision = response.json()
    assert decision["treatment"] == "no_penalty" and decision["mandatory"] is False
    assert [e["list_title"] for e in decision["applied_entries"]] == [
        "《测试县市场监督管理局首违不罚事项清单》(2024年版)"
    ]
    assert "AP-33b" in [s["rule_id"] for s in decision["trace"] if s["outcome"] == "applied"]
    ordinary = post(
        api(catalog.cast.officer),
        RULES,
        {**FACTS, "harm": "ordinary", "severity": "serious", "corrected_in_time": False},
    ).json()
    # The benchmark's 一般/情节较重 tier (30000–70000) narrows the statutory 10000–100000.
    assert ordinary["treatment"] == "ordinary"
    assert ordinary["fine_range"]["minimum"] == "30000"
    assert ordinary["fine_range"]["maximum"] == "70000"


def test_evaluate_with_inline_data_does_not_need_the_catalog(api, catalog):
    body = {
        "facts": {"act_date": "2024-03-01", "discovered_date": "2024-04-01", "harm": "none"},
        "item": {"statutory_fine": {"minimum": "1000", "maximum": "5000"}},
    }
    decision = post(api(catalog.cast.officer), RULES, body).json()
    assert decision["treatment"] == "ordinary"
    assert decision["fine_range"] == {
        "minimum": "1000",
        "maximum": "5000",
        "basis": "amount",
        "basis_label": "罚款金额",
    }


@pytest.mark.parametrize(
    ("change", "status", "code", "message"),
    [
        ({"harm": "huge"}, 422, "validation_error", "字段“harm”的取值“huge”无效"),
        ({"act_date": "2019-01-01"}, 400, "invalid", "第三十七条比较新旧规定"),
        ({"discovered_date": "2024-01-01"}, 422, "validation_error", "不能早于违法行为发生之日"),
        ({"item_code": "NO-SUCH"}, 400, "invalid", "执法事项NO-SUCH不存在、已停用或不在"),
        ({"unknown": 1}, 422, "validation_error", "有未知字段：unknown"),
    ],
)
def test_evaluate_refusals(api, catalog, change, status, code, message):
    response = post(api(catalog.cast.officer), RULES, {**FACTS, **change})
    assert response.status_code == status, response.content.decode()
    assert response.json()["code"] == code
    assert message in response.json()["message"]


def test_evaluate_respects_scope_for_unpublished_items(api, catalog):
    services.create_item(
        actor=catalog.cast.rule_of_law_office,
        organization=catalog.cast.department_b,
        code="HBJ-CF-002",
        name="未公示事项",
        category="penalty",
        basis_law="中华人民共和国环境保护法",
        basis_article="第六十三条",
    )
    officer_a = api(catalog.cast.officer)
    hidden = post(officer_a, RULES, {**FACTS, "item_code": "HBJ-CF-002"})
    assert hidden.status_code == 400 and hidden.json()["details"] == {
        "item_code": ["执法事项HBJ-CF-002不存在、已停用或不在您的数据范围内"]
    }
    # A published item is public: a township officer may apply a county department's item.
    assert post(officer_a, RULES, {**FACTS, "item_code": "HBJ-CF-001"}).status_code == 200
    admin = post(api(catalog.cast.system_admin), RULES, FACTS)
    assert admin.status_code == 403 and admin.json()["code"] == "permission_denied"


# --- no N+1 -------------------------------------------------------------------------------------


def _draft(catalog: CatalogCast) -> LenientList:
    lst = LenientList.objects.filter(title="草稿清单").first()
    return lst or services.create_list(
        actor=catalog.cast.rule_of_law_office,
        kind="lighter",
        title="草稿清单",
        organization=catalog.cast.department_a,
        version="草稿",
        effective_from=dt.date(2024, 1, 1),
    )


@pytest.mark.parametrize(
    "path",
    ["/bodies", "/officers", "/items", "/lists", "/standards", "/lists/{draft}/entries"],
)
def test_list_endpoints_cost_the_same_for_few_or_many_rows(office, catalog, path):
    draft = _draft(catalog)
    url = f"{API}{path.format(draft=draft.pk)}?limit=200"

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = office.get(url)
        assert response.status_code == 200, response.content.decode()
        return len(ctx.captured_queries), len(response.json()["items"])

    _grow(catalog, 0)
    few, rows_before = count()
    for i in range(1, 6):
        _grow(catalog, i)
    many, rows_after = count()
    assert rows_after > rows_before, "the second call must really list more rows"
    assert many == few, f"{path}: {few} queries for {rows_before} rows, {many} for {rows_after}"


def _grow(catalog: CatalogCast, i: int) -> None:
    """One more row of every kind, in department A."""
    actor = catalog.cast.rule_of_law_office
    org = core_services.create_organization(
        actor=catalog.cast.system_admin,
        code=f"scj-d{i}",
        name=f"执法大队{i}",
        kind="enforcement_unit",
        parent=catalog.cast.department_a,
        enforcement_basis="authorized",
    )
    services.register_body(
        actor=actor, organization=org, credit_code=credit_code(30 + i), authority_basis="授权"
    )
    item = services.create_item(
        actor=actor,
        organization=catalog.cast.department_a,
        code=f"SCJ-Q-{i}",
        name=f"事项{i}",
        category="penalty",
        basis_law="法",
        basis_article="第一条",
    )
    services.create_standard(
        actor=actor,
        item=item,
        organization=catalog.cast.department_a,
        level="county",
        title=f"基准{i}",
        version="v1",
        violation="违法",
        legal_basis="依据",
        effective_from=dt.date(2024, 1, 1),
        tiers=[TierInput("no_penalty", "", None, None, "首次", "不予处罚")],
    )
    services.create_officer(
        actor=actor,
        organization=catalog.cast.department_a,
        name=f"人员{i}",
        certificate_number=f"2204100{i}",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2029, 1, 1),
    )
    services.add_list_entry(
        actor=actor,
        lenient_list=_draft(catalog),
        item=item,
        number=100 + i,
        violation="违法",
        legal_basis="依据",
        condition_text="条件",
        conditions={},
    )
    services.create_list(
        actor=actor,
        kind="reduced",
        title=f"清单{i}",
        organization=catalog.cast.department_a,
        version=f"v{i}",
        effective_from=dt.date(2024, 1, 1),
    )


def test_schema_names_are_unique_across_the_api():
    """ninja names an OpenAPI component after its class: two modules' ``EntryOut`` would
    silently share one schema, and one endpoint would then document the other's shape."""
    import inspect

    from ninja import Schema

    from fazhi.api.v1 import api as api_module

    names: dict[str, str] = {}
    for module_name in dir(api_module):
        module = getattr(api_module, module_name)
        if not inspect.ismodule(module) or not module.__name__.startswith("fazhi.api.v1."):
            continue
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, Schema)
                and obj.__module__ == module.__name__
            ):
                assert names.setdefault(name, module.__name__) == module.__name__, (
                    f"{name} is defined in {names[name]} and {module.__name__}"
                )
