"""The directories' import pages: upload → job page (progress polled with htmx) → 应用; error
list and its workbook; templates and exports (Excel and CSV) that import back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, include, path, reverse
from ninja import NinjaAPI
from openpyxl import load_workbook

from config.urls import urlpatterns as site_patterns
from fazhi.api.v1 import inspection_imports
from fazhi.api.v1.errors import install_error_handlers
from fazhi.api.v1.security import AUTH
from fazhi.catalog import excel as catalog_excel
from fazhi.catalog.models import ImportJob, ImportStatus
from fazhi.core import services as core_services
from fazhi.inspections import excel
from fazhi.inspections.models import Entity
from fazhi.inspections.testing import InspectionCast, build_inspections, entity_code
from fazhi.ledger.services import tree_size

# The site's URLs plus these pages (until config/urls.py includes them itself).
urlpatterns: list[URLPattern | URLResolver] = list(site_patterns)
if not any(getattr(p, "namespace", None) == "inspection_imports" for p in site_patterns):
    urlpatterns.append(path("inspections/", include("fazhi.inspections.import_urls")))
# The API router on an API of its own (until fazhi/api/v1/api.py adds it), as the site mounts it.
_api = NinjaAPI(
    auth=AUTH,
    urls_namespace="api-v1-inspection-imports-test",
    docs_url=None,
    openapi_url=None,
)
install_error_handlers(_api)
_api.add_router("/inspections/imports", inspection_imports.router)
urlpatterns.insert(0, path("api-test/", _api.urls))
API = "/api-test/inspections/imports"
pytestmark = pytest.mark.urls(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def as_user():
    """A client that authenticates with a real bearer token issued through the service."""

    def _client(user):
        token = core_services.issue_api_token(actor=user, name="测试令牌", expires_in_days=30)
        return Client(headers={"Authorization": f"Bearer {token.secret}"})

    return _client


@pytest.fixture
def ic(cast) -> InspectionCast:
    return build_inspections(cast, entities=4)


def entity(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "统一社会信用代码": entity_code(6000 + n),
        "企业名称": f"网页导入第{n}公司",
        "行业": "餐饮",
        "所属乡镇": "测试镇人民政府",
        "信用风险分类": "C类",
        "许可证": "食品经营许可证",
    }
    row.update(over)
    return row


def upload(client: Client, rows: list[dict[str, Any]], fmt: str = "xlsx"):
    cells = catalog_excel.rows_from_dicts(excel.ENTITIES, rows)
    if fmt == "csv":
        content = catalog_excel.build_csv(excel.ENTITIES, cells)
        file = SimpleUploadedFile("公示系统导出.csv", content, content_type="text/csv")
    else:
        content = catalog_excel.build_workbook(excel.ENTITIES, cells)
        file = SimpleUploadedFile("名录.xlsx", content, content_type=XLSX)
    return client.post(
        reverse("inspection_imports:import_upload"), {"kind": excel.ENTITIES, "file": file}
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_upload_then_apply_imports_with_one_ledger_event(ic, login, fmt):
    client = login(ic.head, Client())
    page = client.get(reverse("inspection_imports:import_list")).content.decode()
    assert "上传并校验" in page
    assert "检查对象名录" in page

    response = upload(client, [entity(1), entity(2)], fmt)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection_imports:import_detail", args=[job.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "校验通过：共 2 行，将新增 2 条" in detail
    assert 'hx-trigger="every 1s"' not in detail
    before = tree_size()

    response = client.post(reverse("inspection_imports:import_apply", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Entity.objects.filter(name__startswith="网页导入").count() == 2
    assert tree_size() == before + 1
    assert "已导入：共 2 行" in client.get(response["Location"]).content.decode()
    # The catalog's import page does not list it.
    reviewer = login(ic.cast.legal_reviewer, Client())
    listing = reviewer.get(reverse("catalog:import_list")).content.decode()
    assert "名录.xlsx" not in listing and "公示系统导出.csv" not in listing


def test_errors_are_listed_and_downloadable(ic, login):
    client = login(ic.head, Client())
    upload(client, [entity(1, 信用风险分类="X"), entity(2, 所属乡镇="不存在镇")])
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    detail = client.get(reverse("inspection_imports:import_detail", args=[job.pk])).content
    text = detail.decode()
    assert "校验发现 2 处错误，未导入任何数据" in text
    assert "信用风险分类“X”无效" in text
    assert "“不存在镇”不是本县的乡镇" in text

    response = client.get(reverse("inspection_imports:import_errors", args=[job.pk]))
    assert response["Content-Type"] == XLSX
    ws = load_workbook(filename=io.BytesIO(response.content)).active
    rows = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=2)]
    assert [(r[0], r[1]) for r in rows] == [(2, "信用风险分类"), (3, "所属乡镇")]
    assert not Entity.objects.filter(name__startswith="网页导入").exists()


def test_progress_partial_polls_while_running_and_reloads_when_done(ic, login):
    client = login(ic.head, Client())
    upload(client, [entity(1)])
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, total_rows=10)
    url = reverse("inspection_imports:import_progress", args=[job.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READY)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_an_officer_may_not_import_but_may_export(ic, login):
    client = login(ic.cast.officer, Client())
    assert client.get(reverse("inspection_imports:import_list")).status_code == 403
    assert upload(client, [entity(1)]).status_code == 403
    template = reverse("inspection_imports:template_download", args=["entities"])
    assert client.get(template).status_code == 403
    export = client.get(reverse("inspection_imports:export_download", args=["entities"]))
    assert export.status_code == 200
    assert not ImportJob.objects.exists()


def test_only_the_uploader_applies(ic, login):
    upload(login(ic.head, Client()), [entity(1)])
    job = ImportJob.objects.get()
    other = login(ic.cast.rule_of_law_office, Client())
    response = other.post(reverse("inspection_imports:import_apply", args=[job.pk]), follow=True)
    assert "只有上传该文件的人可以应用这次导入" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_template_and_export_downloads_import_back(ic, login):
    client = login(ic.head, Client())
    for name, kind in excel.SHORT_NAMES.items():
        response = client.get(reverse("inspection_imports:template_download", args=[name]))
        assert response.status_code == 200
        wb = load_workbook(filename=io.BytesIO(response.content))
        assert [c.value for c in wb.worksheets[0][1]] == excel.SHEETS[kind].headers
        assert "说明" in wb.sheetnames
    csv_template = client.get(
        reverse("inspection_imports:template_download", args=["entities"]) + "?format=csv"
    )
    assert csv_template["Content-Type"].startswith("text/csv")
    assert ".csv" in csv_template["Content-Disposition"]
    assert csv_template.content.decode("utf-8-sig").strip() == ",".join(excel.ENTITY_SHEET.headers)

    export = client.get(
        reverse("inspection_imports:export_download", args=["entities"]) + "?format=csv&q=餐馆"
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 4  # the four restaurants, not the shops
    file = SimpleUploadedFile("导出.csv", export.content, content_type="text/csv")
    client.post(reverse("inspection_imports:import_upload"), {"kind": excel.ENTITIES, "file": file})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY, job.errors
    assert job.summary["unchanged"] == 4

    assert (
        client.get(reverse("inspection_imports:export_download", args=["nope"])).status_code == 404
    )


# --- the API -----------------------------------------------------------------------------------


def test_api_upload_status_and_apply(ic, as_user):
    client = as_user(ic.head)
    cells = catalog_excel.rows_from_dicts(excel.ENTITIES, [entity(1), entity(2)])
    file = SimpleUploadedFile("公示系统.csv", catalog_excel.build_csv(excel.ENTITIES, cells))
    response = client.post(API, {"kind": "entities", "file": file})
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["kind"], job["kind_display"]) == (
        "ready",
        "entities",
        "检查对象名录",
    )
    assert job["summary"]["created"] == 2
    assert client.get(f"{API}/{job['id']}").json()["file_digest"] == job["file_digest"]
    before = tree_size()

    applied = client.post(f"{API}/{job['id']}/apply")

    assert applied.status_code == 202, applied.content
    assert applied.json()["status"] == "done"
    assert Entity.objects.filter(name__startswith="网页导入").count() == 2
    assert tree_size() == before + 1


def test_api_lists_errors_and_refuses_officers_and_catalog_kinds(ic, as_user):
    client = as_user(ic.head)
    cells = catalog_excel.rows_from_dicts(excel.ENTITIES, [entity(1, 信用风险分类="F")])
    file = SimpleUploadedFile("x.xlsx", catalog_excel.build_workbook(excel.ENTITIES, cells))
    job = client.post(API, {"kind": "entities", "file": file}).json()
    assert job["status"] == "invalid"
    assert job["errors"] == [
        {
            "row": 2,
            "column": "信用风险分类",
            "message": "信用风险分类“F”无效，可选值：A类、B类、C类、D类",
        }
    ]
    file = SimpleUploadedFile("x.xlsx", b"PK\x03\x04")
    assert as_user(ic.cast.officer).post(API, {"kind": "entities", "file": file}).status_code == 403
    assert client.post(API, {"kind": "items", "file": file}).status_code == 422
    assert client.get(f"{API}/{job['id'] + 1000}").status_code == 404
