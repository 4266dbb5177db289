"""The back-office pages of the shared kernel, driven through the real login and forms."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from fazhi.core import selectors, services
from fazhi.core.choices import DataScope, OrgKind, Role
from fazhi.core.models import CalendarDay, LoginAttempt, Organization, RoleAssignment, User
from fazhi.core.navigation import NAVIGATION, menu_for
from fazhi.core.testing import TEST_PASSWORD, TEST_TOTP_KEY
from fazhi.ledger.models import LedgerEntry

STRONG = "Xinmima-2025!"


def last_entry() -> LedgerEntry:
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def text(response) -> str:
    return response.content.decode()


# --- who may open which page ------------------------------------------------------------------

PAGES = [
    # (url, persona allowed, persona refused)
    ("/workbench/", "officer", None),
    ("/password/", "officer", None),
    ("/organizations/", "system_admin", "officer"),
    ("/organizations/", "department_head", "legal_reviewer"),
    ("/organizations/scj/", "department_head", "officer"),
    ("/organizations/new/", "system_admin", "security_admin"),
    ("/organizations/scj/edit/", "system_admin", "supervisor"),
    ("/users/", "security_admin", "supervisor"),
    ("/users/new/", "system_admin", "security_admin"),
    ("/users/officer/", "system_admin", "department_head"),
    ("/calendar/", "officer", "audit_admin"),
    ("/audit/logins/", "audit_admin", "system_admin"),
]


@pytest.mark.parametrize(("url", "allowed", "refused"), PAGES)
def test_each_page_opens_for_its_persona_and_is_refused_to_others(
    cast, login, url, allowed, refused
):
    response = login(getattr(cast, allowed)).get(url)
    assert response.status_code == 200, text(response)[:300]
    assert "<h1>" in text(response)
    if refused:
        response = login(getattr(cast, refused), Client()).get(url)
        assert response.status_code == 403
        assert "无权访问" in text(response)


@pytest.mark.parametrize(
    "url",
    sorted({p[0] for p in PAGES} | {"/calendar/set/", "/calendar/clear/", "/calendar/seed/"}),
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, cast, url):
    is_post_only = url.startswith("/calendar/") and url != "/calendar/"
    response = client.post(url) if is_post_only else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_the_calendar_write_endpoints_are_for_the_system_administrator_only(cast, login):
    c = login(cast.officer)
    for url, data in [
        ("/calendar/set/", {"date": "2025-03-05", "is_workday": "0", "note": "测试"}),
        ("/calendar/clear/", {"date": "2025-03-05"}),
        ("/calendar/seed/", {"year": "2025"}),
    ]:
        assert c.post(url, data).status_code == 403
    assert not CalendarDay.objects.exists()


def test_menu_shows_each_role_its_own_pages(cast, login):
    officer_page = text(login(cast.officer).get("/workbench/"))
    assert "工作日历" in officer_page
    assert "用户管理" not in officer_page
    assert "登录审计" not in officer_page
    admin_page = text(login(cast.system_admin, Client()).get("/workbench/"))
    assert 'href="/users/"' in admin_page
    assert 'href="/organizations/new/"' in admin_page  # a quick action of the system admin


def test_the_menu_keeps_the_pages_of_other_apps_and_skips_those_not_installed_yet(cast):
    names = {item.url_name for item in NAVIGATION}
    assert {
        "ledger:entry_list",
        "ledger:checkpoint_list",
        "ledger:verify",
        "reports:dashboard",
        "portal:home",
    } <= names
    # Every entry the menu returns resolves; the audit admin sees the login audit.
    labels = [item["label"] for item in menu_for(cast.audit_admin)]
    assert "登录审计" in labels
    assert "用户管理" not in labels


# --- data scope: another department's records are not found ---------------------------------


def test_a_department_head_cannot_open_another_departments_organization(cast, login):
    c = login(cast.department_head)
    assert c.get("/organizations/scj/").status_code == 200
    assert c.get("/organizations/hbj/").status_code == 404
    listing = text(c.get("/organizations/"))
    assert "测试县市场监督管理局" in listing
    assert "测试县生态环境分局" not in listing


@pytest.fixture
def department_admin(cast) -> User:
    """A system administrator whose data scope is department A only."""
    admin = services.create_user(
        actor=cast.system_admin,
        username="scj_admin",
        full_name="市场局管理员",
        organization=cast.department_a,
        password=TEST_PASSWORD,
    )
    services.assign_role(
        actor=cast.security_admin, user=admin, role=Role.SYSTEM_ADMIN, scope=DataScope.OWN
    )
    services.enroll_totp(actor=admin, user=admin, key_hex=TEST_TOTP_KEY)
    return admin


def test_an_administrator_scoped_to_department_a_gets_404_for_department_b(
    cast, login, department_admin
):
    c = login(department_admin)
    assert c.get("/users/officer/").status_code == 200
    assert c.get("/users/officer_b/").status_code == 404
    assert c.get("/organizations/hbj/").status_code == 404
    assert c.get("/organizations/hbj/edit/").status_code == 404
    assert "officer_b" not in text(c.get("/users/"))


# --- organizations ----------------------------------------------------------------------------


def test_creating_an_organization_goes_through_the_service_and_the_ledger(cast, login):
    c = login(cast.system_admin)
    response = c.post(
        "/organizations/new/",
        {
            "code": "swj",
            "name": "测试县商务局",
            "parent": cast.county.pk,
            "kind": OrgKind.DEPARTMENT,
            "enforcement_basis": "statutory",
            "sort_order": "3",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/organizations/swj/"
    org = Organization.objects.get(code="swj")
    assert org.parent == cast.county
    assert org.path == "/county/swj/"
    entry = last_entry()
    assert entry.kind == "core.organization.created"
    assert entry.actor == "user:sysadmin"
    detail = text(c.get("/organizations/swj/"))
    assert "测试县商务局" in detail
    assert "已创建单位" in detail


def test_a_duplicate_code_shows_the_chinese_error_and_keeps_the_input(cast, login):
    c = login(cast.system_admin)
    before = LedgerEntry.objects.count()
    response = c.post(
        "/organizations/new/",
        {
            "code": "scj",
            "name": "重复的单位名称",
            "parent": cast.county.pk,
            "kind": OrgKind.DEPARTMENT,
            "enforcement_basis": "",
            "sort_order": "0",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "单位代码“scj”已存在" in page
    assert 'value="重复的单位名称"' in page
    assert 'value="scj"' in page
    assert LedgerEntry.objects.count() == before
    assert not Organization.objects.filter(name="重复的单位名称").exists()


def test_a_bad_code_is_refused_by_the_form(cast, login):
    # One login per administrator and test: a TOTP token is accepted only once.
    c = login(cast.system_admin)
    response = c.post(
        "/organizations/new/",
        {
            "code": "new",
            "name": "某单位",
            "parent": cast.county.pk,
            "kind": "department",
            "sort_order": "0",
        },
    )
    assert "系统保留字" in text(response)
    response = c.post(
        "/organizations/new/",
        {
            "code": "商务局",
            "name": "某单位",
            "parent": cast.county.pk,
            "kind": "department",
            "sort_order": "0",
        },
    )
    assert "单位代码只能包含" in text(response)


def test_editing_an_organization_updates_it_through_the_service(cast, login):
    c = login(cast.system_admin)
    response = c.post(
        "/organizations/hbj/edit/",
        {
            "name": "测试县生态环境局",
            "kind": "department",
            "enforcement_basis": "statutory",
            "sort_order": "5",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(code="hbj")
    assert org.name == "测试县生态环境局"
    assert org.is_active is False  # an unticked checkbox deactivates
    entry = last_entry()
    assert entry.kind == "core.organization.updated"


def test_organization_list_is_a_tree_with_search_and_kind_filter(cast, login):
    c = login(cast.system_admin)
    page = text(c.get("/organizations/"))
    assert page.index("测试县人民政府") < page.index("测试县司法局")
    assert 'class="tree-cell depth-1"' in page
    filtered = text(c.get("/organizations/", {"kind": OrgKind.TOWNSHIP}))
    assert "测试镇人民政府" in filtered
    assert "测试县司法局" not in filtered
    searched = text(c.get("/organizations/", {"q": "hbj"}))
    assert "测试县生态环境分局" in searched
    assert "测试县司法局" not in searched


def test_organization_detail_lists_children_and_users_for_admins_only(cast, login):
    admin_page = text(login(cast.system_admin).get("/organizations/county/"))
    assert "测试县司法局" in admin_page  # a child
    head_page = text(login(cast.department_head, Client()).get("/organizations/scj/"))
    assert "张执法" not in head_page  # the head may not read account details
    assert "在用账号" in head_page
    scj_page = text(login(cast.security_admin, Client()).get("/organizations/scj/"))
    assert "张执法" in scj_page


# --- Excel ------------------------------------------------------------------------------------


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    return list(wb.active.iter_rows(values_only=True))


def test_organization_export_has_one_row_per_visible_organization(cast, login):
    c = login(cast.system_admin)
    rows = rows_of(c.get("/organizations/", {"format": "xlsx"}))
    assert rows[0][:2] == ("单位代码", "单位名称")
    assert [r[0] for r in rows[1:]] == ["county", "hbj", "scj", "sfj", "xz1"]
    scj = next(r for r in rows if r[0] == "scj")
    assert scj[1] == "测试县市场监督管理局"
    assert scj[4] == "法定行政执法机关"
    assert scj[6] == 3  # the officer, the reviewer and the head
    rows = rows_of(c.get("/organizations/", {"format": "xlsx", "kind": "department"}))
    assert [r[0] for r in rows[1:]] == ["hbj", "scj"]


def test_a_department_heads_export_stays_within_the_data_scope(cast, login):
    rows = rows_of(login(cast.department_head).get("/organizations/", {"format": "xlsx"}))
    assert [r[0] for r in rows[1:]] == ["scj"]


def test_user_export_lists_users_with_roles(cast, login):
    c = login(cast.security_admin)
    rows = rows_of(c.get("/users/", {"format": "xlsx"}))
    assert rows[0][0] == "用户名"
    assert len(rows) - 1 == User.objects.count()
    officer = next(r for r in rows if r[0] == "officer")
    assert officer[1:4] == ("张执法", "测试县市场监督管理局", "执法人员（本单位）")
    rows = rows_of(c.get("/users/", {"format": "xlsx", "role": Role.SUPERVISOR}))
    assert [r[0] for r in rows[1:]] == ["supervisor"]


def test_a_user_export_is_recorded_as_personal_data_access(cast, login):
    from fazhi.ledger.models import LedgerEntry

    login(cast.security_admin).get("/users/", {"format": "xlsx", "role": Role.SUPERVISOR})
    entry = LedgerEntry.objects.get(kind="core.records.exported")
    assert entry.actor == "user:secadmin"
    assert '"subject":"users"' in entry.body and '"rows":1' in entry.body


def test_export_never_turns_a_name_into_a_formula(cast, login):
    services.create_organization(
        actor=cast.system_admin,
        code="evil",
        name='=HYPERLINK("http://x","点我")',
        kind="other",
        parent=cast.county,
    )
    response = login(cast.system_admin).get("/organizations/", {"format": "xlsx", "q": "evil"})
    wb = load_workbook(io.BytesIO(response.content))
    cell = wb.active["B2"]
    assert cell.value == '=HYPERLINK("http://x","点我")'
    assert cell.data_type == "s"


# --- list pages: a constant number of queries -------------------------------------------------


def count_queries(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_organization_list_queries_do_not_grow_with_rows(
    cast, login, django_assert_max_num_queries
):
    c = login(cast.system_admin)
    few = count_queries(c, "/organizations/")
    for i in range(30):
        services.create_organization(
            actor=cast.system_admin,
            code=f"org{i}",
            name=f"单位{i}",
            kind="township",
            parent=cast.township if i % 2 else cast.county,
        )
    with django_assert_max_num_queries(few):
        c.get("/organizations/")


def test_user_list_queries_do_not_grow_with_rows(cast, login, django_assert_max_num_queries):
    c = login(cast.system_admin)
    few = count_queries(c, "/users/")
    few_xlsx = count_queries(c, "/users/?format=xlsx")  # includes the export's ledger record
    for i in range(30):
        u = services.create_user(
            actor=cast.system_admin,
            username=f"user{i}",
            full_name=f"用户{i}",
            organization=cast.department_b if i % 2 else cast.township,
            password=TEST_PASSWORD,
        )
        services.assign_role(actor=cast.security_admin, user=u, role=Role.OFFICER)
    with django_assert_max_num_queries(few):
        c.get("/users/")
    with django_assert_max_num_queries(few_xlsx):
        c.get("/users/?format=xlsx")


def test_login_audit_queries_do_not_grow_with_rows(cast, login, django_assert_max_num_queries):
    c = login(cast.audit_admin)
    few = count_queries(c, "/audit/logins/")
    for i in range(30):
        services.authenticate(username=f"nobody{i}", password="x")
    with django_assert_max_num_queries(few):
        c.get("/audit/logins/")


def test_list_pages_paginate_at_fifty(cast, login):
    for i in range(55):
        services.authenticate(username=f"nobody{i:02d}", password="x")
    c = login(cast.audit_admin)
    first = text(c.get("/audit/logins/", {"result": "failure"}))
    assert "第 1 / 2 页" in first
    assert first.count("<tr>") == 51  # the header row and 50 attempts
    second = text(c.get("/audit/logins/", {"result": "failure", "page": "2"}))
    assert second.count("<tr>") == 1 + 5


# --- users ------------------------------------------------------------------------------------


def test_creating_a_user_goes_through_the_service(cast, login):
    c = login(cast.system_admin)
    response = c.post(
        "/users/new/",
        {
            "username": "newbie",
            "full_name": "钱新人",
            "organization": cast.department_b.pk,
            "phone": "13800001234",
            "new_password": STRONG,
            "new_password2": STRONG,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.organization == cast.department_b
    assert user.check_password(STRONG)
    assert last_entry().kind == "core.user.created"
    page = text(c.get("/users/newbie/"))
    assert "138****1234" in page
    assert "13800001234" not in page


def test_a_weak_password_shows_the_chinese_error_and_keeps_the_input(cast, login):
    c = login(cast.system_admin)
    response = c.post(
        "/users/new/",
        {
            "username": "weakling",
            "full_name": "孙弱",
            "organization": cast.department_a.pk,
            "phone": "",
            "new_password": "abcdefghijk",
            "new_password2": "abcdefghijk",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "密码须包含小写字母、大写字母、数字、符号中的至少 3 类" in page
    assert 'value="weakling"' in page
    assert 'value="孙弱"' in page
    assert re.search(rf'<option value="{cast.department_a.pk}" selected>', page)
    assert not User.objects.filter(username="weakling").exists()


def test_a_duplicate_username_is_shown_on_its_field(cast, login):
    response = login(cast.system_admin).post(
        "/users/new/",
        {
            "username": "officer",
            "full_name": "重名",
            "organization": cast.department_a.pk,
            "new_password": STRONG,
            "new_password2": STRONG,
        },
    )
    assert "用户名“officer”已存在" in text(response)


def test_user_list_searches_and_filters_by_role(cast, login):
    c = login(cast.security_admin)
    page = text(c.get("/users/", {"q": "张执法"}))
    assert 'href="/users/officer/"' in page
    assert 'href="/users/reviewer/"' not in page
    page = text(c.get("/users/", {"role": Role.LEGAL_REVIEWER}))
    assert 'href="/users/reviewer/"' in page
    assert 'href="/users/officer/"' not in page


def test_system_admin_deactivates_and_reactivates_an_account(cast, login):
    c = login(cast.system_admin)
    response = c.post("/users/officer/", {"action": "deactivate"})
    assert response.status_code == 302
    assert User.objects.get(username="officer").is_active is False
    assert last_entry().kind == "core.user.deactivated"
    c.post("/users/officer/", {"action": "activate"})
    assert User.objects.get(username="officer").is_active is True
    assert last_entry().kind == "core.user.activated"


def test_reset_password_refuses_a_weak_one_and_accepts_a_strong_one(cast, login):
    c = login(cast.system_admin)
    response = c.post(
        "/users/officer/",
        {"action": "reset_password", "new_password": "short", "new_password2": "short"},
    )
    assert response.status_code == 400
    assert "密码" in text(response) and "alert-error" in text(response)
    assert User.objects.get(username="officer").check_password(TEST_PASSWORD)
    response = c.post(
        "/users/officer/",
        {"action": "reset_password", "new_password": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert User.objects.get(username="officer").check_password(STRONG)
    assert last_entry().kind == "core.user.password_reset"


def test_totp_enrollment_shows_the_secret_and_an_inline_qr_code(cast, login):
    c = login(cast.system_admin)
    response = c.post("/users/officer/", {"action": "enroll_totp"})
    assert response.status_code == 200
    page = text(response)
    device = TOTPDevice.objects.get(user=cast.officer)
    import base64

    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    assert secret in page
    assert "<svg" in page and "<img" not in page.split("totp")[1][:2000]
    assert last_entry().kind == "core.user.totp_enrolled"


def test_only_the_security_admin_sees_and_uses_the_role_forms(cast, login):
    c_sys = login(cast.system_admin)
    sys_page = text(c_sys.get("/users/officer/"))
    assert 'value="assign_role"' not in sys_page
    assert 'value="revoke_role"' not in sys_page
    refused = c_sys.post(
        "/users/officer/", {"action": "assign_role", "role": "supervisor", "scope": "own"}
    )
    assert refused.status_code == 403

    c = login(cast.security_admin, Client())
    sec_page = text(c.get("/users/officer/"))
    assert 'value="assign_role"' in sec_page
    assert 'value="deactivate"' not in sec_page  # account actions belong to the system admin
    response = c.post(
        "/users/officer/", {"action": "assign_role", "role": "legal_reviewer", "scope": "subtree"}
    )
    assert response.status_code == 302
    ra = RoleAssignment.objects.get(user=cast.officer, role="legal_reviewer")
    assert ra.scope == "subtree"
    assert last_entry().kind == "core.role.assigned"
    response = c.post("/users/officer/", {"action": "revoke_role", "role": "legal_reviewer"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=cast.officer, role="legal_reviewer").exists()
    assert last_entry().kind == "core.role.revoked"


def test_a_refused_role_grant_shows_the_chinese_reason_and_keeps_the_choice(cast, login):
    c = login(cast.security_admin)
    response = c.post(
        "/users/officer/", {"action": "assign_role", "role": "audit_admin", "scope": "county"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "管理员账号不得兼任业务角色" in page
    assert '<option value="audit_admin" selected>' in page
    assert '<option value="county" selected>' in page
    assert not RoleAssignment.objects.filter(user=cast.officer, role="audit_admin").exists()


def test_an_unknown_action_is_a_bad_request(cast, login):
    assert login(cast.system_admin).post("/users/officer/", {"action": "x"}).status_code == 400


# --- own password -----------------------------------------------------------------------------


def test_everyone_changes_their_own_password_and_stays_logged_in(cast, login):
    c = login(cast.officer)
    response = c.post(
        "/password/",
        {"old_password": "wrong", "new_password": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    assert "原密码不正确" in text(response)
    response = c.post(
        "/password/",
        {"old_password": TEST_PASSWORD, "new_password": STRONG, "new_password2": "other"},
    )
    assert "两次输入的密码不一致" in text(response)
    response = c.post(
        "/password/",
        {"old_password": TEST_PASSWORD, "new_password": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    assert User.objects.get(username="officer").check_password(STRONG)
    assert last_entry().kind == "core.user.password_changed"
    assert c.get("/workbench/").status_code == 200


# --- login audit ------------------------------------------------------------------------------


def test_login_audit_searches_and_filters_by_outcome(cast, login):
    services.authenticate(username="officer", password="wrong")
    c = login(cast.audit_admin)
    failures = text(c.get("/audit/logins/", {"q": "officer", "result": "failure"}))
    assert "密码错误" in failures
    assert "登录成功" not in failures
    successes = text(c.get("/audit/logins/", {"result": "success"}))
    assert "auditor" in successes
    assert "密码错误" not in successes
    assert LoginAttempt.objects.filter(succeeded=False, username="officer").count() == 1


# --- calendar pages ---------------------------------------------------------------------------


def test_calendar_page_marks_holidays_and_makeup_days(cast, login):
    services.seed_calendar_year(actor=cast.system_admin, year=2025)
    page = text(login(cast.officer).get("/calendar/", {"year": "2025"}))
    assert "工作日历 · 2025年" in page
    assert 'title="10月1日 放假 · 国庆节"' in page
    assert 'title="9月28日 调休上班 · 国庆节"' in page
    assert "维护节假日" not in page  # the officer only reads


def test_system_admin_sets_clears_and_seeds_days(cast, login):
    c = login(cast.system_admin)
    response = c.post(
        "/calendar/set/",
        {"date": "2025-03-05", "is_workday": "0", "note": "停电停工", "year": "2025"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/calendar/?year=2025"
    day = CalendarDay.objects.get(date="2025-03-05")
    assert (day.is_workday, day.note) == (False, "停电停工")
    assert last_entry().kind == "core.calendar.day_set"

    assert c.post("/calendar/clear/", {"date": "2025-03-05"}).status_code == 302
    assert not CalendarDay.objects.filter(date="2025-03-05").exists()
    assert last_entry().kind == "core.calendar.day_cleared"
    page = text(c.post("/calendar/clear/", {"date": "2025-03-05"}, follow=True))
    assert "没有节假日调整" in page

    c.post("/calendar/seed/", {"year": "2025"})
    assert CalendarDay.objects.filter(date__year=2025).count() > 20
    assert last_entry().kind == "core.calendar.year_seeded"
    page = text(c.post("/calendar/seed/", {"year": "2099"}, follow=True))
    assert "请手工录入" in page


def test_a_bad_calendar_entry_keeps_the_input(cast, login):
    response = login(cast.system_admin).post(
        "/calendar/set/", {"date": "2025-02-30", "is_workday": "0", "note": "不存在的日子"}
    )
    assert response.status_code == 400
    page = text(response)
    assert 'value="不存在的日子"' in page
    assert "field-error" in page


def test_the_deadline_calculator_shows_the_due_date_and_its_arithmetic(cast, login):
    services.seed_calendar_year(actor=cast.system_admin, year=2025)
    c = login(cast.officer)
    page = text(
        c.get(
            "/calendar/",
            {
                "year": "2025",
                "start": "2025-09-26",
                "n": "5",
                "unit": "days",
                "law": "administrative_penalty_law",
            },
        )
    )
    assert "2025年10月10日" in page
    assert "国庆节、中秋节假期不计" in page
    assert "行政处罚法》第八十五条" in page
    bad = text(
        c.get(
            "/calendar/",
            {"start": "2023-01-01", "n": "15", "unit": "days", "law": "civil_procedure_law"},
        )
    )
    assert "尚未生效" in bad


def test_organizations_for_matches_the_list(cast):
    # The page and the selector agree on what the system admin can see.
    assert selectors.organizations_for(cast.system_admin).count() == 5
