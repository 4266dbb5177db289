"""The 裁量计算器 as an officer uses it (htmx result panel, item search), and the portal's
行政执法公示 pages as a citizen uses them (search, filter, open an item, its list and benchmark).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_catalog(live_cast):
    from fazhi.catalog.testing import build_catalog

    return build_catalog(live_cast)


def _watch_console(page) -> list[str]:
    """Console errors, e.g. a script or style the CSP blocked."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_calculator_shows_treatment_trace_and_paragraph(live_catalog, new_page):
    from playwright.sync_api import expect

    page = new_page()
    errors = _watch_console(page)
    browser_login(page, live_catalog.cast.officer.username)
    page.locator("nav.sidebar").get_by_role("link", name="裁量计算器").click()
    page.wait_for_url("**/catalog/calculator/")

    # Typing part of a name asks the server for matching items (htmx fills the datalist).
    page.fill("#id_item_code", "年度报告")
    page.locator('#item-options option[value="SCJ-CF-001"]').wait_for(state="attached")
    page.fill("#id_item_code", "SCJ-CF-001")
    page.fill("#id_act_date", "2024-03-01")
    page.fill("#id_discovered_date", "2024-04-01")
    page.select_option("#id_party_kind", "organization")
    page.select_option("#id_harm", "minor")
    page.check("#id_corrected_in_time")
    page.click("#calculate")

    treatment = page.locator("#calc-result #treatment")
    treatment.wait_for()
    assert treatment.inner_text() == "不予处罚"
    result = page.locator("#calc-result").inner_text()
    assert "可以" in result
    trace = page.locator("#trace").inner_text()
    assert "首违可不罚" in trace and "《中华人民共和国行政处罚法》第三十三条第一款" in trace
    assert "适用" in trace
    paragraph = page.locator("#paragraph").input_value()
    assert "当事人系初次违法、危害后果轻微并及时改正，决定不予行政处罚" in paragraph
    # Only the panel was swapped: the form kept the facts and the page did not reload.
    assert page.input_value("#id_act_date") == "2024-03-01"

    # A case without lenience: the benchmark's tier for 情节较重 sets the fine range.
    page.select_option("#id_harm", "ordinary")
    page.select_option("#id_severity", "serious")
    page.uncheck("#id_corrected_in_time")
    page.click("#calculate")
    expect(page.locator("#calc-result #treatment")).to_have_text("一般处罚")
    assert "30000元至70000元" in page.locator("#fine-range").inner_text()

    # Impossible dates: the panel explains, in Chinese, and the form keeps the input.
    page.fill("#id_discovered_date", "2024-01-01")
    page.click("#calculate")
    page.locator("#calc-result >> text=无法计算").wait_for()
    assert "不能早于违法行为发生之日" in page.locator("#calc-result").inner_text()
    assert page.input_value("#id_item_code") == "SCJ-CF-001"
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_portal_search_filter_and_item_with_its_list_and_benchmark(live_catalog, new_page):
    page = new_page()  # a citizen: no login
    errors = _watch_console(page)
    page.goto("/")
    page.get_by_role("link", name="执法事项").first.click()
    page.wait_for_url("**/enforcement/items/")
    rows = page.locator("#items tbody tr")
    assert rows.count() == 2

    page.fill("input[name=q]", "年度报告")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/enforcement/items/?*q=*")
    assert rows.count() == 1 and "SCJ-CF-001" in rows.first.inner_text()

    page.goto("/enforcement/items/")
    page.select_option("select[name=organization]", "hbj")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**organization=hbj*")
    assert rows.count() == 1 and "HBJ-CF-001" in rows.first.inner_text()

    page.goto("/enforcement/items/?q=SCJ")
    page.get_by_role("link", name="对未按规定公示年度报告的处罚").click()
    page.wait_for_url("**/enforcement/items/SCJ-CF-001/")
    assert "《中华人民共和国市场主体登记管理条例》第四十六条" in page.content()
    entries = page.locator("#entries").inner_text()
    assert "测试县市场监督管理局首违不罚事项清单" in entries
    standards = page.locator("#standards").inner_text()
    assert "测试县市场监督管理局行政处罚裁量基准" in standards
    assert "罚款七万元至十万元" in standards

    page.locator("#entries").get_by_role(
        "link", name="测试县市场监督管理局首违不罚事项清单"
    ).click()
    page.wait_for_url("**/enforcement/lists/*/")
    assert "未按规定公示年度报告" in page.locator("#entries").inner_text()

    page.goto("/enforcement/standards/")
    page.get_by_role("link", name="测试县市场监督管理局行政处罚裁量基准").click()
    page.wait_for_url("**/enforcement/standards/*/")
    assert "情节严重" in page.content()
    assert not errors, errors
