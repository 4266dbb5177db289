"""The public portal: read-only, no login, and nothing personal or unpublished on it."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core import services as core_services
from fazhi.core.models import User
from fazhi.core.testing import TEST_PASSWORD
from fazhi.ledger import services as ledger_services
from fazhi.ledger.models import LedgerEntry

PUBLIC_PAGES = ["/", "/ledger/checkpoints/", "/ledger/verify/"]


def test_home_is_public_and_names_the_county(cast):
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    # The root organization is 测试县人民政府 in the cast; the portal calls it 测试县.
    assert "<h1>测试县法治政府建设信息公开</h1>" in html
    for section in ("行政执法公示", "双随机抽查", "规范性文件", "年度报告"):
        assert section in html
    # Nothing is published yet, and the page says so rather than showing anything fake; the
    # 双随机 section always offers its plan list and the enterprise lookup.
    assert html.count("暂无公开内容") == 3
    assert reverse("portal:inspection_plans") in html
    assert reverse("portal:inspection_lookup") in html
    assert reverse("ledger:verify") in html
    assert reverse("ledger:verifier_download") in html
    assert "尚未公布签名检查点" in html


def test_home_shows_the_latest_signed_checkpoint(cast):
    ledger_services.create_checkpoint()
    core_services.create_organization(
        actor=cast.system_admin, code="xin", name="新单位", kind="other", parent=cast.county
    )
    latest = ledger_services.create_checkpoint()
    html = Client().get("/").content.decode()
    assert bytes(latest.root_hash).hex() in html
    assert f"{latest.tree_size} 条记录" in html


def test_home_without_any_organization_still_renders(db):
    html = Client().get("/").content.decode()
    assert "<h1>法治政府建设信息公开</h1>" in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_personal_data_or_ledger_payload_on_public_pages(cast, url):
    probe = core_services.create_user(
        actor=cast.system_admin,
        username="privacy_probe",
        full_name="钱隐私",
        organization=cast.department_a,
        password=TEST_PASSWORD,
        phone="13912345678",
    )
    ledger_services.create_checkpoint()
    html = Client().get(url).content.decode()
    assert "13912345678" not in html
    for user in User.objects.all():
        # Usernames like "head" occur in any HTML page; the distinctive ones are checked.
        if user.full_name:
            assert user.full_name not in html, user.full_name
    for username in ("privacy_probe", "officer_b", "supervisor", "sysadmin", "auditor"):
        assert username not in html, username
    # No ledger entry, nor any part of its payload, reaches a public page.
    assert '"payload"' not in html and "&quot;payload&quot;" not in html
    for entry in LedgerEntry.objects.all():
        payload = json.loads(entry.body)["payload"]
        assert entry.kind not in html
        assert json.dumps(payload, ensure_ascii=False) not in html
    assert probe.phone not in html


def test_portal_is_read_only(cast):
    assert Client().post("/").status_code == 405
