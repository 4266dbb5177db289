"""The catalog's back-office pages: what they show, what they write (through the services),
how they refuse bad input (a Chinese message, nothing lost), scope (404) and permission (403).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.catalog import services
from fazhi.catalog.conversions import TierInput
from fazhi.catalog.models import (
    Delegation,
    DiscretionStandard,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
    ShadowingAssignment,
    TrainingRecord,
)
from fazhi.catalog.testing import CatalogCast, build_catalog, credit_code
from fazhi.core import services as core_services
from fazhi.core.testing import Cast
from fazhi.ledger.models import LedgerEntry


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


@pytest.fixture
def office(catalog: CatalogCast, login) -> Client:
    """依法治县办: county-wide, holds every catalog permission."""
    return login(catalog.cast.rule_of_law_office, Client())


@pytest.fixture
def head(catalog: CatalogCast, login) -> Client:
    """Department A's head: department A (and below) only."""
    return login(catalog.cast.department_head, Client())


def text(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def events() -> int:
    return LedgerEntry.objects.count()


# --- 执法主体 ---------------------------------------------------------------------------------


def test_body_list_search_and_filter(office):
    page = text(office.get(reverse("catalog:body_list")))
    assert "测试县市场监督管理局" in page and "测试县生态环境分局" in page
    page = text(office.get(reverse("catalog:body_list") + "?q=生态"))
    assert "测试县生态环境分局" in page and "测试县市场监督管理局" not in page
    page = text(office.get(reverse("catalog:body_list") + "?kind=entrusted"))
    assert "没有符合条件的执法主体" in page


def test_body_detail_shows_items_and_officers(office):
    page = text(office.get(reverse("catalog:body_detail", args=["scj"])))
    assert credit_code(1) in page
    assert "SCJ-CF-001" in page and "HBJ-CF-001" not in page
    assert "张执法" in page and "钱过期" in page and "已过期" in page


def test_register_a_body(office, catalog):
    url = reverse("catalog:body_create")
    assert "测试镇人民政府" in office.get(url).content.decode()  # not yet a body: offered
    before = events()
    response = office.post(
        url,
        {
            "organization": catalog.cast.township.pk,
            "credit_code": credit_code(9),
            "authority_basis": "《中华人民共和国行政处罚法》第二十四条",
        },
    )
    assert response.status_code == 302
    body = EnforcementBody.objects.get(organization=catalog.cast.township)
    assert response["Location"] == reverse("catalog:body_detail", args=["xz1"])
    assert body.authority_basis == "《中华人民共和国行政处罚法》第二十四条"
    assert events() == before + 1


def test_a_bad_credit_code_is_refused_in_chinese_and_the_input_kept(office, catalog):
    before = events()
    response = office.post(
        reverse("catalog:body_create"),
        {
            "organization": catalog.cast.township.pk,
            "credit_code": "112204220000000090",  # wrong check digit
            "authority_basis": "乡镇综合行政执法依据",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "统一社会信用代码“112204220000000090”无效（校验位错误）" in html
    assert "乡镇综合行政执法依据" in html  # what was typed is still in the form
    assert not EnforcementBody.objects.filter(organization=catalog.cast.township).exists()
    assert events() == before


def test_edit_a_body(office, catalog):
    url = reverse("catalog:body_edit", args=["hbj"])
    assert "《中华人民共和国环境保护法》等法律法规" in office.get(url).content.decode()
    response = office.post(
        url, {"credit_code": credit_code(2), "authority_basis": "新的依据", "is_active": ""}
    )
    assert response.status_code == 302
    catalog.body_b.refresh_from_db()
    assert catalog.body_b.authority_basis == "新的依据" and not catalog.body_b.is_active


def test_body_pages_respect_scope_and_permission(head):
    assert head.get(reverse("catalog:body_detail", args=["scj"])).status_code == 200
    assert head.get(reverse("catalog:body_detail", args=["hbj"])).status_code == 404
    assert "测试县生态环境分局" not in text(head.get(reverse("catalog:body_list")))
    # Confirming enforcement bodies is the justice bureau's (依法治县办) work.
    assert head.get(reverse("catalog:body_create")).status_code == 403
    assert head.get(reverse("catalog:body_edit", args=["scj"])).status_code == 403


# --- 执法人员 ---------------------------------------------------------------------------------


def test_officer_list_marks_expired_certificates_and_filters(office):
    html = office.get(reverse("catalog:officer_list")).content.decode()
    row = re.search(r"<tr class=\"row-inactive\">.*?</tr>", html, re.S)
    assert row is not None and "钱过期" in row.group(0) and "已过期" in row.group(0)
    expired = text(office.get(reverse("catalog:officer_list") + "?validity=expired"))
    assert "钱过期" in expired and "张执法" not in expired
    by_org = text(office.get(reverse("catalog:officer_list") + "?organization=hbj"))
    assert "没有符合条件的执法人员" in by_org
    by_name = text(office.get(reverse("catalog:officer_list") + "?q=22040001"))
    assert "张执法" in by_name and "钱过期" not in by_name


def test_create_an_officer(office, catalog):
    response = office.post(
        reverse("catalog:officer_create"),
        {
            "organization": catalog.cast.department_a.pk,
            "name": "孙新人",
            "certificate_number": "22040009",
            "issuing_authority": "吉林省人民政府",
            "valid_from": "2024-01-01",
            "valid_until": "2029-12-31",
            "enforcement_fields": "市场监管",
        },
    )
    assert response.status_code == 302
    officer = Officer.objects.get(certificate_number="22040009")
    assert officer.fields == "市场监管" and officer.organization == catalog.cast.department_a


def test_officer_form_refusals_keep_the_input(office, catalog):
    data = {
        "organization": catalog.cast.department_a.pk,
        "name": "孙新人",
        "certificate_number": "22040009",
        "issuing_authority": "吉林省人民政府",
        "valid_from": "2024-01-01",
        "valid_until": "2023-12-31",
    }
    response = office.post(reverse("catalog:officer_create"), data)
    assert response.status_code == 400
    assert "执法证有效期至不能早于有效期起" in response.content.decode()
    assert 'value="孙新人"' in response.content.decode()
    # A certificate number already registered: the service's conflict, on the number's field.
    data.update(valid_until="2029-12-31", certificate_number="22040001")
    response = office.post(reverse("catalog:officer_create"), data)
    assert response.status_code == 400
    assert "执法证号22040001已登记" in response.content.decode()
    assert Officer.objects.filter(name="孙新人").count() == 0


def test_edit_an_officer(office, catalog):
    url = reverse("catalog:officer_edit", args=["22040002"])
    response = office.post(
        url,
        {
            "organization": catalog.cast.department_a.pk,
            "name": "钱过期",
            "certificate_number": "22040002",
            "issuing_authority": "吉林省人民政府",
            "valid_from": "2024-01-01",
            "valid_until": "2030-12-31",
            "enforcement_fields": "价格监督",
        },
    )
    assert response.status_code == 302
    catalog.expired_officer.refresh_from_db()
    assert catalog.expired_officer.valid_until == dt.date(2030, 12, 31)


def test_suspend_and_restore_a_certificate(office, catalog):
    url = reverse("catalog:officer_status", args=["22040001"])
    refused = office.post(url, {"status": "suspended", "reason": ""})
    assert refused.status_code == 400
    assert "请填写暂扣或注销的原因" in refused.content.decode()
    assert office.post(url, {"status": "suspended", "reason": "涉嫌违纪"}).status_code == 302
    catalog.officer_a.refresh_from_db()
    assert catalog.officer_a.status == "suspended"
    page = text(office.get(reverse("catalog:officer_detail", args=["22040001"])))
    assert "执法证已暂扣" in page and "涉嫌违纪" in page
    assert office.post(url, {"status": "active", "reason": ""}).status_code == 302
    catalog.officer_a.refresh_from_db()
    assert catalog.officer_a.status == "active"


def test_training_hours_are_counted_per_year_against_the_targets(office, catalog):
    url = reverse("catalog:officer_training", args=["22040001"])
    for title, kind, hours in [
        ("网络培训一", "online", "12"),
        ("网络培训二", "online", "8"),
        ("行政处罚法专题", "professional", "16"),
    ]:
        response = office.post(
            url, {"kind": kind, "title": title, "held_on": "2024-05-01", "hours": hours}
        )
        assert response.status_code == 302
    assert TrainingRecord.objects.filter(officer=catalog.officer_a).count() == 3
    html = office.get(reverse("catalog:officer_detail", args=["22040001"])).content.decode()
    table = re.search(r'id="training-years".*?</table>', html, re.S)
    assert table is not None
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table.group(0)))
    assert "2024年 20.0 / 20 达标 16.0 / 40 未达标" in row
    refused = office.post(url, {"kind": "online", "title": "", "held_on": "2024-05-01"})
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()


def test_shadowing_needs_a_mentor_with_a_valid_certificate(office, catalog):
    url = reverse("catalog:officer_shadowing", args=["22040001"])
    refused = office.post(
        url,
        {
            "mentor": catalog.expired_officer.pk,
            "case_reference": "测市监罚〔2024〕1号",
            "started_on": "2024-06-01",
        },
    )
    assert refused.status_code == 400
    assert "已于2023年12月31日过期" in refused.content.decode()
    assert "测市监罚〔2024〕1号" in refused.content.decode()
    mentor = services.create_officer(
        actor=catalog.cast.rule_of_law_office,
        organization=catalog.cast.department_a,
        name="赵带教",
        certificate_number="22040010",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2030, 12, 31),
    )
    ok = office.post(
        url,
        {"mentor": mentor.pk, "case_reference": "测市监罚〔2024〕1号", "started_on": "2024-06-01"},
    )
    assert ok.status_code == 302
    assert ShadowingAssignment.objects.get(officer=catalog.officer_a).mentor == mentor


def test_officer_pages_respect_scope_and_permission(catalog, head, login):
    b_officer = services.create_officer(
        actor=catalog.cast.rule_of_law_office,
        organization=catalog.cast.department_b,
        name="李执法",
        certificate_number="22050001",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2028, 12, 31),
    )
    number = b_officer.certificate_number
    assert head.get(reverse("catalog:officer_detail", args=[number])).status_code == 404
    assert head.get(reverse("catalog:officer_edit", args=[number])).status_code == 404
    status = head.post(
        reverse("catalog:officer_status", args=[number]), {"status": "revoked", "reason": "x"}
    )
    assert status.status_code == 404
    assert "李执法" not in text(head.get(reverse("catalog:officer_list")))
    officer = login(catalog.cast.officer, Client())
    assert officer.get(reverse("catalog:officer_detail", args=["22040001"])).status_code == 200
    assert officer.get(reverse("catalog:officer_create")).status_code == 403
    denied = officer.post(
        reverse("catalog:officer_status", args=["22040001"]), {"status": "revoked", "reason": "x"}
    )
    assert denied.status_code == 403
    catalog.officer_a.refresh_from_db()
    assert catalog.officer_a.status == "active"


# --- 执法事项 ---------------------------------------------------------------------------------


ITEM_FORM = {
    "code": "SCJ-CF-002",
    "name": "对虚报注册资本的处罚",
    "category": "penalty",
    "basis_law": "中华人民共和国市场主体登记管理条例",
    "basis_article": "第四十五条",
    "basis_paragraph": "第一款",
    "penalty_types": ["fine"],
    "fine_basis": "amount",
    "fine_min": "50000",
    "fine_max": "200000",
    "effective_from": "2024-01-01",
}


def test_item_list_search_and_filters(office):
    url = reverse("catalog:item_list")
    page = text(office.get(url))
    assert "SCJ-CF-001" in page and "HBJ-CF-001" in page
    assert "HBJ-CF-001" not in text(office.get(url + "?q=年度报告"))
    assert "SCJ-CF-001" in text(office.get(url + "?q=市场主体登记"))  # by legal basis
    assert "SCJ-CF-001" not in text(office.get(url + "?organization=hbj"))
    assert "没有符合条件的执法事项" in text(office.get(url + "?category=licensing"))
    assert "没有符合条件的执法事项" in text(office.get(url + "?published=no"))


def test_item_detail_shows_basis_penalties_fine_lists_and_benchmarks(office):
    page = text(office.get(reverse("catalog:item_detail", args=["SCJ-CF-001"])))
    assert "《中华人民共和国市场主体登记管理条例》第四十六条" in page
    assert "警告" in page and "罚款" in page
    assert "10000元至100000元" in page
    assert "测试县市场监督管理局首违不罚事项清单" in page
    assert "初次违法、危害后果不超过“危害后果轻微”、及时改正" in page  # structured conditions
    assert "测试县市场监督管理局行政处罚裁量基准" in page and "罚款七万元至十万元" in page


def test_create_edit_and_deactivate_an_item(office, catalog):
    response = office.post(
        reverse("catalog:item_create"),
        {**ITEM_FORM, "organization": catalog.cast.department_a.pk},
    )
    assert response.status_code == 302
    item = EnforcementItem.objects.get(code="SCJ-CF-002")
    assert item.fine_max == Decimal(200000) and item.penalty_types == ["fine"]
    assert item.published_at is None
    edit = office.post(
        reverse("catalog:item_edit", args=["SCJ-CF-002"]),
        {**ITEM_FORM, "name": "对虚报注册资本取得登记的处罚", "organization": item.organization_id},
    )
    assert edit.status_code == 302
    item.refresh_from_db()
    assert item.name == "对虚报注册资本取得登记的处罚"
    office.post(reverse("catalog:item_active", args=["SCJ-CF-002"]), {"is_active": "0"})
    item.refresh_from_db()
    assert not item.is_active


def test_item_form_refusal_keeps_the_input(office, catalog):
    before = events()
    response = office.post(
        reverse("catalog:item_create"),
        {**ITEM_FORM, "penalty_types": ["warning"], "organization": catalog.cast.department_a.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "填写了罚款幅度，处罚种类应包含“罚款”" in html
    assert 'value="对虚报注册资本的处罚"' in html and 'value="200000"' in html
    assert not EnforcementItem.objects.filter(code="SCJ-CF-002").exists()
    assert events() == before


def test_publish_selected_items(office, catalog):
    for n in (2, 3):
        services.create_item(
            actor=catalog.cast.rule_of_law_office,
            organization=catalog.cast.department_a,
            code=f"SCJ-JC-00{n}",
            name=f"检查事项{n}",
            category="inspection",
            basis_law="中华人民共和国市场主体登记管理条例",
            basis_article="第三十五条",
        )
    listing = office.get(reverse("catalog:item_list") + "?published=no").content.decode()
    assert 'name="codes" value="SCJ-JC-002"' in listing
    assert 'name="codes" value="SCJ-CF-001"' not in listing  # already published: no box
    response = office.post(reverse("catalog:item_publish"), {"codes": ["SCJ-JC-002"]})
    assert response.status_code == 302
    assert EnforcementItem.objects.get(code="SCJ-JC-002").published_at is not None
    assert EnforcementItem.objects.get(code="SCJ-JC-003").published_at is None
    empty = office.post(reverse("catalog:item_publish"), {}, follow=True)
    assert "请先勾选要公示的事项" in empty.content.decode()


def test_delegate_and_evaluate_a_delegation(office, catalog):
    url = reverse("catalog:item_delegate", args=["SCJ-CF-001"])
    refused = office.post(url, {"township": catalog.cast.township.pk, "decided_on": "2024-06-01"})
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    response = office.post(
        url,
        {
            "township": catalog.cast.township.pk,
            "decided_on": "2024-06-01",
            "document_number": "测政发〔2024〕1号",
        },
    )
    assert response.status_code == 302
    delegation = Delegation.objects.get(item=catalog.item_a)
    assert "测试镇人民政府" in text(office.get(reverse("catalog:item_detail", args=["SCJ-CF-001"])))
    evaluate = reverse("catalog:delegation_evaluate", args=[delegation.pk])
    early = office.post(
        evaluate, {"evaluated_on": "2024-01-01", "conclusion": "keep", "opinion": "运行良好"}
    )
    assert early.status_code == 400 and "评估日期不能早于下放日期" in early.content.decode()
    done = office.post(
        evaluate,
        {"evaluated_on": "2024-12-01", "conclusion": "withdraw", "opinion": "承接能力不足"},
    )
    assert done.status_code == 302
    delegation.refresh_from_db()
    assert not delegation.is_active  # 收回 ends the delegation


def test_item_pages_respect_scope_and_permission(catalog, head, login):
    assert head.get(reverse("catalog:item_detail", args=["HBJ-CF-001"])).status_code == 404
    assert head.get(reverse("catalog:item_edit", args=["HBJ-CF-001"])).status_code == 404
    assert head.post(reverse("catalog:item_active", args=["HBJ-CF-001"])).status_code == 404
    assert "HBJ-CF-001" not in text(head.get(reverse("catalog:item_list")))
    # Publishing another department's item through the bulk form does nothing.
    head.post(reverse("catalog:item_publish"), {"codes": ["HBJ-CF-001"]})
    officer = login(catalog.cast.officer, Client())
    assert officer.get(reverse("catalog:item_create")).status_code == 403
    assert officer.post(reverse("catalog:item_publish"), {"codes": ["x"]}).status_code == 403
    assert head.get(reverse("catalog:item_delegate", args=["SCJ-CF-001"])).status_code == 403


def test_item_lookup_offers_matching_items_as_options(office):
    html = office.get(reverse("catalog:item_lookup") + "?item_code=年度报告").content.decode()
    assert '<option value="SCJ-CF-001">' in html and "HBJ-CF-001" not in html
    assert office.get(reverse("catalog:item_lookup")).content.decode().strip() == ""


# --- 清单 -------------------------------------------------------------------------------------


def _draft(office, catalog, kind: str = "first_violation") -> LenientList:
    response = office.post(
        reverse("catalog:list_create"),
        {
            "kind": kind,
            "title": "测试县市场监督管理局首违不罚事项清单",
            "organization": catalog.cast.department_a.pk,
            "version": "2025年版",
            "effective_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    return LenientList.objects.get(version="2025年版")


ENTRY = {
    "item_code": "SCJ-CF-001",
    "number": "1",
    "violation": "未按规定公示年度报告",
    "legal_basis": "《中华人民共和国行政处罚法》第三十三条第一款",
    "condition_text": "初次违法、危害后果轻微并及时改正",
    "requires_first_violation": "on",
    "requires_corrected_in_time": "on",
    "max_harm": "minor",
    "party_kinds": ["organization"],
    "max_amount_involved": "5000",
}


def test_list_list_filters_by_kind(office):
    assert "首违不罚" in text(office.get(reverse("catalog:list_list") + "?kind=first_violation"))
    assert "没有符合条件的清单" in text(office.get(reverse("catalog:list_list") + "?kind=reduced"))


def test_list_form_refusals_keep_the_input(office, catalog):
    data = {
        "kind": "first_violation",
        "title": "测试县市场监督管理局首违不罚事项清单",
        "organization": catalog.cast.department_a.pk,
        "version": "2024年版",  # the version build_catalog already made
        "document_number": "测市监发〔2024〕9号",
        "effective_from": "2024-01-01",
    }
    taken = office.post(reverse("catalog:list_create"), data)
    assert taken.status_code == 400
    assert "测试县市场监督管理局的该类清单已有“2024年版”版本" in taken.content.decode()
    assert "测市监发〔2024〕9号" in taken.content.decode()
    backwards = office.post(
        reverse("catalog:list_create"),
        {**data, "version": "2025年版", "effective_until": "2023-12-31"},
    )
    assert backwards.status_code == 400
    assert "失效日期不能早于施行日期" in backwards.content.decode()
    assert LenientList.objects.count() == 1


def test_build_and_publish_a_list(office, catalog):
    lst = _draft(office, catalog)
    url = reverse("catalog:list_entry_add", args=[lst.pk])
    assert 'value="1"' in office.get(url).content.decode()  # the next number is suggested
    assert office.post(url, ENTRY).status_code == 302
    entry = LenientListEntry.objects.get(lenient_list=lst)
    assert entry.conditions == {
        "requires_first_violation": True,
        "requires_corrected_in_time": True,
        "max_harm": "minor",
        "party_kinds": ["organization"],
        "max_amount_involved": "5000",
    }
    detail = text(office.get(reverse("catalog:list_detail", args=[lst.pk])))
    assert "当事人为法人或者其他组织" in detail and "涉案金额不超过5000元" in detail
    assert office.post(reverse("catalog:list_publish", args=[lst.pk])).status_code == 302
    lst.refresh_from_db()
    assert lst.published_at is not None
    # Published means immutable: the page says so and a POST changes nothing.
    assert "已公布，不能再修改" in text(office.get(url))
    again = office.post(url, {**ENTRY, "number": "2"})
    assert again.status_code == 400 and "已公布，不能再修改" in again.content.decode()
    assert lst.entries.count() == 1


def test_a_first_violation_entry_needs_the_first_violation_condition(office, catalog):
    lst = _draft(office, catalog)
    data = {k: v for k, v in ENTRY.items() if k != "requires_first_violation"}
    response = office.post(reverse("catalog:list_entry_add", args=[lst.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "首违不罚清单事项的适用条件应包含“初次违法”" in html
    assert "初次违法、危害后果轻微并及时改正" in html  # the typed text is kept
    unknown = office.post(
        reverse("catalog:list_entry_add", args=[lst.pk]), {**ENTRY, "item_code": "NO-SUCH"}
    )
    assert "事项编码“NO-SUCH”不存在或不在您的数据范围内" in unknown.content.decode()
    assert not lst.entries.exists()


def test_remove_an_entry_from_a_draft_and_not_from_a_published_list(office, catalog):
    lst = _draft(office, catalog)
    office.post(reverse("catalog:list_entry_add", args=[lst.pk]), ENTRY)
    entry = lst.entries.get()
    remove = reverse("catalog:list_entry_remove", args=[lst.pk, entry.pk])
    assert office.post(remove).status_code == 302
    assert not lst.entries.exists()
    published = catalog.first_violation_list
    kept = office.post(
        reverse("catalog:list_entry_remove", args=[published.pk, catalog.entry_a.pk]), follow=True
    )
    assert "已公布，不能再修改" in kept.content.decode()
    assert LenientListEntry.objects.filter(pk=catalog.entry_a.pk).exists()


def test_list_detail_searches_entries(office, catalog):
    url = reverse("catalog:list_detail", args=[catalog.first_violation_list.pk])
    assert "未按规定公示年度报告" in text(office.get(url + "?q=年度报告"))
    assert "没有符合条件的清单事项" in text(office.get(url + "?q=无此事项"))


def test_list_pages_respect_scope_and_permission(catalog, head, login):
    other = services.create_list(
        actor=catalog.cast.rule_of_law_office,
        kind="no_penalty",
        title="测试县生态环境分局不予处罚事项清单",
        organization=catalog.cast.department_b,
        version="2024年版",
        effective_from=dt.date(2024, 1, 1),
    )
    assert head.get(reverse("catalog:list_detail", args=[other.pk])).status_code == 404
    assert head.get(reverse("catalog:list_entry_add", args=[other.pk])).status_code == 404
    assert head.post(reverse("catalog:list_publish", args=[other.pk])).status_code == 404
    officer = login(catalog.cast.officer, Client())
    assert officer.get(reverse("catalog:list_create")).status_code == 403
    own = catalog.first_violation_list.pk
    assert officer.post(reverse("catalog:list_publish", args=[own])).status_code == 403


# --- 裁量基准 ----------------------------------------------------------------------------------


def _tier_rows(rows: list[tuple[str, str, str, str]]) -> dict[str, str]:
    data = {"tiers-TOTAL_FORMS": "6", "tiers-INITIAL_FORMS": "0"}
    for i, (treatment, severity, low, high) in enumerate(rows):
        data.update(
            {
                f"tiers-{i}-treatment": treatment,
                f"tiers-{i}-severity": severity,
                f"tiers-{i}-fine_min": low,
                f"tiers-{i}-fine_max": high,
                f"tiers-{i}-condition_text": f"条件{i}",
                f"tiers-{i}-standard_text": f"标准{i}",
            }
        )
    return data


STANDARD = {
    "item_code": "SCJ-CF-001",
    "level": "county",
    "title": "测试县市场监督管理局行政处罚裁量基准",
    "version": "2025年版",
    "violation": "未按规定公示年度报告",
    "legal_basis": "《中华人民共和国市场主体登记管理条例》第四十六条",
    "effective_from": "2025-01-01",
}
TIERS = [
    ("lighter", "minor", "10000", "30000"),
    ("ordinary", "slight", "10000", "20000"),
    ("ordinary", "serious", "30000", "70000"),
    ("heavier", "grave", "70000", "100000"),
]


def test_create_and_publish_a_standard_with_its_tiers(office, catalog):
    data = {**STANDARD, "organization": catalog.cast.department_a.pk, **_tier_rows(TIERS)}
    response = office.post(reverse("catalog:standard_create"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    row = DiscretionStandard.objects.get(version="2025年版")
    tiers = list(row.tiers.order_by("order").values_list("treatment", "severity", "fine_max"))
    assert tiers == [
        ("lighter", "minor", Decimal(30000)),
        ("ordinary", "slight", Decimal(20000)),
        ("ordinary", "serious", Decimal(70000)),
        ("heavier", "grave", Decimal(100000)),
    ]
    detail = text(office.get(reverse("catalog:standard_detail", args=[row.pk])))
    assert "70000.00 至 100000.00" in detail and "未公布" in detail
    assert office.post(reverse("catalog:standard_publish", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.published_at is not None


def test_a_tier_outside_the_statutory_range_is_refused_and_the_rows_kept(office, catalog):
    bad = [*TIERS[:3], ("heavier", "grave", "70000", "150000")]
    data = {**STANDARD, "organization": catalog.cast.department_a.pk, **_tier_rows(bad)}
    before = events()
    response = office.post(reverse("catalog:standard_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "第4个阶次的罚款上限150000超出法定上限100000.00" in html
    assert 'value="150000"' in html and "条件3" in html  # every typed row comes back
    assert not DiscretionStandard.objects.filter(version="2025年版").exists()
    assert events() == before


def test_a_standard_needs_at_least_one_tier(office, catalog):
    data = {**STANDARD, "organization": catalog.cast.department_a.pk, **_tier_rows([])}
    response = office.post(reverse("catalog:standard_create"), data)
    assert response.status_code == 400
    assert "请至少填写一个裁量阶次" in response.content.decode()


def test_standard_list_search(office):
    assert "行政处罚裁量基准" in text(office.get(reverse("catalog:standard_list") + "?q=SCJ"))
    empty = text(office.get(reverse("catalog:standard_list") + "?published=no"))
    assert "没有符合条件的裁量基准" in empty


def test_standard_pages_respect_scope_and_permission(catalog, login):
    officer_b = login(catalog.cast.other_officer, Client())
    pk = catalog.standard_a.pk
    assert officer_b.get(reverse("catalog:standard_detail", args=[pk])).status_code == 404
    assert officer_b.get(reverse("catalog:standard_create")).status_code == 403
    auditor = login(catalog.cast.audit_admin, Client())
    assert auditor.get(reverse("catalog:standard_list")).status_code == 403


# --- lists cost a constant number of queries ------------------------------------------------


def _rows(response) -> int:
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    assert body is not None
    return body.group(1).count("<tr")


@pytest.mark.parametrize(
    "name", ["body_list", "officer_list", "item_list", "list_list", "standard_list"]
)
def test_list_pages_do_not_query_per_row(office, catalog, name):
    url = reverse(f"catalog:{name}")
    office.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        first = office.get(url)
    actor = catalog.cast.rule_of_law_office
    for n in range(5):
        item = services.create_item(
            actor=actor,
            organization=catalog.cast.department_b,
            code=f"HBJ-CF-1{n}",
            name=f"处罚{n}",
            category="penalty",
            basis_law="中华人民共和国环境保护法",
            basis_article="第六十三条",
        )
        services.create_standard(
            actor=actor,
            item=item,
            organization=catalog.cast.department_b,
            level="county",
            title=f"基准{n}",
            version="2024年版",
            violation="违法行为",
            legal_basis="依据",
            effective_from=dt.date(2024, 1, 1),
            tiers=[TierInput("no_penalty", "", None, None, "首次", "不予处罚")],
        )
        org = core_services.create_organization(
            actor=catalog.cast.system_admin,
            code=f"jd{n}",
            name=f"执法大队{n}",
            kind="enforcement_unit",
            parent=catalog.cast.county,
            enforcement_basis="authorized",
        )
        services.register_body(
            actor=actor, organization=org, credit_code=credit_code(20 + n), authority_basis="授权"
        )
        services.create_officer(
            actor=actor,
            organization=catalog.cast.department_b,
            name=f"人员{n}",
            certificate_number=f"2205000{n}",
            issuing_authority="吉林省人民政府",
            valid_from=dt.date(2024, 1, 1),
            valid_until=dt.date(2029, 1, 1),
        )
        services.create_list(
            actor=actor,
            kind="no_coercion",
            title=f"清单{n}",
            organization=catalog.cast.department_b,
            version=f"v{n}",
            effective_from=dt.date(2024, 1, 1),
        )
    with CaptureQueriesContext(connection) as many:
        second = office.get(url)
    assert _rows(second) == _rows(first) + 5  # the comparison below is about more rows
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- 裁量计算器 --------------------------------------------------------------------------------

FACTS = {
    "item_code": "SCJ-CF-001",
    "act_date": "2024-03-01",
    "discovered_date": "2024-04-01",
    "party_kind": "organization",
    "mental_capacity": "full",
    "harm": "minor",
    "corrected_in_time": "on",
    "facts_certain": "on",
}


@pytest.fixture
def officer_client(catalog: CatalogCast, login) -> Client:
    return login(catalog.cast.officer, Client())


def _section(html: str, element_id: str) -> str:
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert found is not None, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(2)))


def test_calculator_form_is_prefilled_from_the_item_page(officer_client):
    html = officer_client.get(reverse("catalog:calculator") + "?item=SCJ-CF-001").content.decode()
    assert 'value="SCJ-CF-001"' in html
    assert 'hx-post="/catalog/calculator/"' in html and 'hx-target="#calc-result"' in html
    assert "<script>" not in html  # no inline script: the CSP allows only 'self'


def test_first_violation_with_minor_harm_may_go_unpunished(officer_client):
    response = officer_client.post(reverse("catalog:calculator"), FACTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert _section(html, "treatment").strip().startswith("不予处罚")
    assert "可以" in text(response)  # discretionary: 第三十三条第一款 “可以”
    allowed = _section(html, "allowed")
    assert "不予处罚" in allowed and "一般处罚" in allowed
    trace = _section(html, "trace")
    assert "首违可不罚" in trace and "《中华人民共和国行政处罚法》第三十三条第一款" in trace
    assert "《测试县市场监督管理局首违不罚事项清单》(2024年版)第1项" in trace
    paragraph = _section(html, "paragraph")
    assert "当事人系初次违法、危害后果轻微并及时改正，决定不予行政处罚" in paragraph
    procedure = _section(html, "procedure")
    assert "应当对当事人进行教育 是" in procedure


def test_an_ordinary_case_gets_the_benchmark_tier_for_its_severity(officer_client):
    facts = {**FACTS, "harm": "ordinary", "severity": "serious", "corrected_in_time": ""}
    html = officer_client.post(reverse("catalog:calculator"), facts).content.decode()
    assert _section(html, "treatment").strip() == "一般处罚"
    assert "30000元至70000元" in _section(html, "fine-range")


def test_htmx_gets_only_the_result_panel(officer_client):
    response = officer_client.post(
        reverse("catalog:calculator"), FACTS, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert 'id="treatment"' in html and 'id="trace"' in html


def test_impossible_dates_are_refused_in_chinese_and_the_facts_kept(officer_client):
    facts = {**FACTS, "discovered_date": "2024-01-01"}
    full = officer_client.post(reverse("catalog:calculator"), facts)
    assert full.status_code == 400
    html = full.content.decode()
    assert "发现之日（2024年1月1日）不能早于违法行为发生之日（2024年3月1日）" in html
    assert 'value="2024-03-01"' in html and 'value="SCJ-CF-001"' in html
    assert 'id="treatment"' not in html
    # htmx swaps only 2xx responses: the refusal comes back as a 200 fragment with the errors.
    fragment = officer_client.post(
        reverse("catalog:calculator"), facts, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "无法计算" in fragment.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"item_code": "NO-SUCH-ITEM"}, "事项编码“NO-SUCH-ITEM”不存在、已停用或不在您的数据范围内"),
        ({"prior_violation_dates": "2023-13-01"}, "“2023-13-01”不是有效日期"),
        ({"act_date": ""}, "违法行为发生之日：这个字段是必填项"),
        ({"act_date": "2019-03-01"}, "应依《中华人民共和国行政处罚法》第三十七条比较新旧规定"),
    ],
)
def test_calculator_refusals(officer_client, change, message):
    response = officer_client.post(reverse("catalog:calculator"), {**FACTS, **change})
    assert response.status_code == 400
    assert message in text(response)


def test_a_time_barred_act_is_not_punished(officer_client):
    facts = {**FACTS, "act_date": "2021-08-01", "discovered_date": "2024-01-01", "harm": "serious"}
    response = officer_client.post(reverse("catalog:calculator"), facts)
    html = response.content.decode()
    assert _section(html, "treatment").strip() == "不予处罚"
    assert "已过追责时效" in text(response)
    assert "不再给予行政处罚" in _section(html, "paragraph")


def test_prior_violations_within_the_lookback_defeat_first_violation(officer_client):
    facts = {**FACTS, "prior_violation_dates": "2023-05-01\n2020-01-01"}
    html = officer_client.post(reverse("catalog:calculator"), facts).content.decode()
    assert _section(html, "treatment").strip() == "一般处罚"


def test_calculator_permission(catalog, login):
    assert Client().get(reverse("catalog:calculator")).status_code == 302
    admin = login(catalog.cast.system_admin, Client())
    assert admin.get(reverse("catalog:calculator")).status_code == 403
    assert admin.post(reverse("catalog:calculator"), FACTS).status_code == 403
