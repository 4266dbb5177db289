"""A ledger receipt downloaded by staff verifies on the public page; a forged one fails."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download_receipt(page, seq: int) -> str:
    page.goto(f"/ledger/entries/{seq}/")
    with page.expect_download() as info:
        page.get_by_text("下载回执").first.click()
    path = info.value.path()
    return open(path, encoding="utf-8").read()


def _verify_publicly(page, bundle_text: str) -> str:
    page.goto("/ledger/verify/")
    page.locator("textarea").first.fill(bundle_text)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    return page.content()


def test_a_receipt_verifies_on_the_public_page(live_cast, new_page):
    staff = new_page()
    browser_login(staff, live_cast.audit_admin.username)
    bundle = _download_receipt(staff, 3)
    assert json.loads(bundle)["leaf_index"] == 3

    public = new_page()  # a citizen: no login
    assert "验证通过" in _verify_publicly(public, bundle)


def test_a_forged_receipt_fails_on_the_public_page(live_cast, new_page):
    staff = new_page()
    browser_login(staff, live_cast.audit_admin.username)
    bundle = json.loads(_download_receipt(staff, 3))
    forged = bundle["entry"].replace("sysadmin", "sysadmim", 1)
    assert forged != bundle["entry"]
    bundle["entry"] = forged
    public = new_page()
    page = _verify_publicly(public, json.dumps(bundle, ensure_ascii=False))
    assert "验证失败" in page
