"""The indicator dashboard, drill-downs and their Excel export."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core import services as core_services
from fazhi.core.choices import OrgKind

YEAR = 2024
ALLOWED = ["officer", "legal_reviewer", "department_head", "supervisor", "rule_of_law_office"]
REFUSED = ["system_admin", "security_admin", "audit_admin"]


def _items(response) -> dict[str, dict]:
    return {item["code"]: item for g in response.context["groups"] for item in g["items"]}


def _supervision_unit(cast, parent, code: str) -> None:
    core_services.create_organization(
        actor=cast.system_admin,
        code=code,
        name=f"{parent.name}行政执法监督科",
        kind=OrgKind.SUPERVISION_UNIT,
        parent=parent,
    )


def _dashboard(client, **params):
    return client.get(reverse("reports:dashboard"), {"year": YEAR, **params})


def _detail(client, code: str, **params):
    return client.get(reverse("reports:indicator_detail", args=[code]), {"year": YEAR, **params})


def _export(client, code: str, **params):
    return client.get(reverse("reports:indicator_export", args=[code]), {"year": YEAR, **params})


# --- who may see what ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/reports/",
        "/reports/indicators/supervision.staff/",
        "/reports/indicators/supervision.staff/export.xlsx",
    ],
)
def test_anonymous_is_sent_to_login(client, cast, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_pages_by_role(cast, login, role):
    client = login(getattr(cast, role))
    expected = 200 if role in ALLOWED else 403
    assert _dashboard(client).status_code == expected
    assert _detail(client, "supervision.staff").status_code == expected
    assert _export(client, "supervision.staff").status_code == expected


def test_an_organization_outside_the_scope_is_404(cast, login):
    client = login(cast.officer)  # department A, own scope
    other = cast.department_b.code
    assert _dashboard(client, org=other).status_code == 404
    assert _detail(client, "supervision.staff", org=other).status_code == 404
    assert _export(client, "supervision.staff", org=other).status_code == 404
    assert _dashboard(client, org=cast.department_a.code).status_code == 200


def test_unknown_indicator_is_404(cast, login):
    client = login(cast.supervisor)
    assert _detail(client, "nope.nothing").status_code == 404
    assert _export(client, "nope.nothing").status_code == 404


# --- the figures -----------------------------------------------------------------------------


def test_dashboard_shows_supervision_figures_computed_from_records(cast, login):
    client = login(cast.rule_of_law_office)
    response = _dashboard(client)
    items = _items(response)
    assert items["supervision.staff"]["display"] == "1"  # the cast's one supervisor
    assert items["supervision.department_units"]["display"] == "0"
    html = response.content.decode()
    assert "内设机构加挂行政执法监督科牌子的执法部门数" in html
    assert "行政执法监督体系" in html  # the group of the "supervision." prefix
    assert 'id="dashboard-data"' in html  # chart data for dashboard.js, not inline script
    assert "fazhi/dashboard.js" in html and "vendor/echarts.min.js" in html

    _supervision_unit(cast, cast.department_a, "scj-jd")
    _supervision_unit(cast, cast.township, "xz1-jd")
    items = _items(_dashboard(client))
    assert items["supervision.department_units"]["display"] == "1"
    assert items["supervision.township_units"]["display"] == "1"
    assert items["supervision.department_units"]["url"].startswith(
        "/reports/indicators/supervision.department_units/?year=2024"
    )


def test_figures_follow_the_users_data_scope(cast, login):
    _supervision_unit(cast, cast.department_b, "hbj-jd")
    officer = login(cast.officer)  # department A only
    items = _items(_dashboard(officer))
    assert items["supervision.staff"]["display"] == "0"  # the supervisor is in 司法局
    assert items["supervision.department_units"]["display"] == "0"  # B is not in scope


def test_drilldown_lists_the_records_behind_the_figure(cast, login):
    _supervision_unit(cast, cast.department_a, "scj-jd")
    client = login(cast.supervisor)
    response = _detail(client, "supervision.department_units")
    assert response.status_code == 200
    assert response.context["headers"] == ["单位代码", "单位名称"]
    assert response.context["rows"] == [["scj", "测试县市场监督管理局"]]
    html = response.content.decode()
    assert "下设启用的“行政执法监督机构”" in html  # the definition
    assert "<td>测试县生态环境分局</td>" not in html
    assert "<td>测试县市场监督管理局</td>" in html

    staff = _detail(client, "supervision.staff")
    assert staff.context["rows"] == [["supervisor", "孙监督", "测试县司法局"]]
    assert staff.context["display"] == "1"

    searched = _detail(client, "supervision.staff", q="孙")
    assert len(searched.context["rows"]) == 1
    assert _detail(client, "supervision.staff", q="不存在").context["rows"] == []


def test_excel_export_has_the_records(cast, login):
    _supervision_unit(cast, cast.department_a, "scj-jd")
    _supervision_unit(cast, cast.department_b, "hbj-jd")
    client = login(cast.rule_of_law_office)
    response = _export(client, "supervision.department_units")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "supervision.department_units-2024.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb["明细"].iter_rows(values_only=True))
    assert rows[0] == ("单位代码", "单位名称")
    assert sorted(rows[1:]) == [("hbj", "测试县生态环境分局"), ("scj", "测试县市场监督管理局")]
    about = dict(r[:2] for r in wb["说明"].iter_rows(min_row=2, values_only=True))
    assert about["指标值"] == "2 个"
    assert about["统计期间"] == "2024年"


def test_excel_export_never_writes_formulas(cast, login):
    dept = core_services.create_organization(
        actor=cast.system_admin,
        code="evil",
        name='=HYPERLINK("http://example.com","x")',
        kind=OrgKind.DEPARTMENT,
        parent=cast.county,
    )
    _supervision_unit(cast, dept, "evil-jd")
    client = login(cast.supervisor)
    wb = load_workbook(io.BytesIO(_export(client, "supervision.department_units").content))
    cells = [c for row in wb["明细"].iter_rows(min_row=2) for c in row if c.value]
    evil = [c for c in cells if str(c.value).startswith("=")]
    assert evil and all(c.data_type == "s" for c in evil)


def test_invalid_year_falls_back_with_a_message(cast, login):
    client = login(cast.supervisor)
    response = client.get(reverse("reports:dashboard"), {"year": "abc"})
    assert response.status_code == 200
    assert "年度“abc”无效" in response.content.decode()


def test_query_counts_do_not_grow_with_rows(cast, login):
    client = login(cast.supervisor)

    def counts() -> tuple[int, ...]:
        result = []
        for fetch in (
            lambda: _dashboard(client),
            lambda: _detail(client, "supervision.department_units"),
            lambda: _detail(client, "supervision.staff"),
        ):
            with CaptureQueriesContext(connection) as ctx:
                assert fetch().status_code == 200
            result.append(len(ctx))
        return tuple(result)

    _supervision_unit(cast, cast.department_a, "scj-jd")
    before = counts()
    for i in range(8):
        dept = core_services.create_organization(
            actor=cast.system_admin,
            code=f"d{i}",
            name=f"部门{i}",
            kind=OrgKind.DEPARTMENT,
            parent=cast.county,
        )
        _supervision_unit(cast, dept, f"d{i}-jd")
    after = counts()
    assert _items(_dashboard(client))["supervision.department_units"]["display"] == "9"
    assert after == before


@pytest.mark.django_db
def test_an_export_is_recorded_in_the_ledger_with_its_row_count(cast, login):
    from fazhi.ledger.models import LedgerEntry

    client = login(cast.supervisor)
    response = client.get("/reports/indicators/supervision.staff/export.xlsx?year=2024")
    assert response.status_code == 200
    entry = LedgerEntry.objects.filter(kind="core.records.exported").get()
    assert entry.actor == "user:supervisor"
    assert '"subject":"indicator:supervision.staff"' in entry.body
    assert '"rows":1' in entry.body  # the cast has one supervisor
