"""Each role logs in through the real form and sees the pages it may see, and not others."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An oracle written by hand from ARCHITECTURE §1 and 三员分立, independent of the code's
# permission table: (persona, menu entries it must see, entries it must not see,
# a URL it may open, a URL it must be refused).
EXPECTATIONS = [
    (
        "system_admin",
        {"单位管理", "用户管理", "工作日历"},
        {"全过程记录", "登录审计", "统计指标"},
        "/users/",
        "/ledger/entries/",
    ),
    (
        "security_admin",
        {"用户管理", "单位管理"},
        {"全过程记录", "登录审计", "工作日历"},
        "/users/",
        "/audit/logins/",
    ),
    (
        "audit_admin",
        {"全过程记录", "登录审计"},
        {"用户管理", "单位管理", "工作日历"},
        "/audit/logins/",
        "/users/",
    ),
    (
        "officer",
        {"统计指标", "工作日历"},
        {"用户管理", "单位管理", "全过程记录", "登录审计"},
        "/reports/",
        "/organizations/",
    ),
    ("legal_reviewer", {"统计指标"}, {"用户管理", "全过程记录"}, "/reports/", "/users/"),
    (
        "department_head",
        {"统计指标", "单位管理"},
        {"用户管理", "全过程记录"},
        "/organizations/",
        "/ledger/entries/",
    ),
    (
        "supervisor",
        {"统计指标", "全过程记录", "单位管理"},
        {"用户管理", "登录审计"},
        "/ledger/entries/",
        "/users/",
    ),
    (
        "rule_of_law_office",
        {"统计指标", "全过程记录", "单位管理"},
        {"用户管理", "登录审计"},
        "/reports/",
        "/audit/logins/",
    ),
]


@pytest.mark.parametrize(("persona", "sees", "hidden", "allowed", "refused"), EXPECTATIONS)
def test_role_sees_its_pages_and_not_others(
    live_cast, new_page, persona, sees, hidden, allowed, refused
):
    page = new_page()
    user = getattr(live_cast, persona)
    browser_login(page, user.username)

    menu = set(page.locator("nav.sidebar a").all_inner_texts())
    assert sees <= menu, f"{persona} 缺少菜单：{sees - menu}"
    assert not (hidden & menu), f"{persona} 不应看到：{hidden & menu}"

    response = page.goto(allowed)
    assert response is not None and response.status == 200
    assert page.locator("h1").first.is_visible()

    response = page.goto(refused)
    assert response is not None and response.status == 403
    assert "权限" in page.content()


def test_anonymous_is_sent_to_the_login_page(live_cast, new_page):
    page = new_page()
    page.goto("/users/")
    assert "/login/" in page.url
    assert page.locator("#id_username").is_visible()


def test_wrong_password_shows_a_chinese_error(live_cast, new_page):
    page = new_page()
    page.goto("/login/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()
