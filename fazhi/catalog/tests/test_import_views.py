"""The import pages: upload → job page (progress polled with htmx) → preview → 应用."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.catalog import excel
from fazhi.catalog.models import EnforcementItem, ImportJob, ImportStatus, Officer
from fazhi.catalog.testing import CatalogCast, build_catalog
from fazhi.core.testing import Cast
from fazhi.ledger.models import LedgerEntry
from fazhi.ledger.services import tree_size

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


def item_row(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "事项编码": f"SCJ-WEB-{n:03d}",
        "事项名称": f"网页导入事项{n}",
        "事项类别": "行政处罚",
        "实施主体（单位代码）": "scj",
        "法律依据（法律法规名称）": "中华人民共和国市场主体登记管理条例",
        "条": "第四十六条",
        "处罚种类": "罚款",
        "罚款表述": "金额",
        "法定罚款下限": 100,
        "法定罚款上限": 1000,
        "列入清单日期": dt.date(2024, 1, 1),
    }
    row.update(over)
    return row


def upload_file(rows: list[dict[str, Any]], name: str = "事项.xlsx") -> SimpleUploadedFile:
    content = excel.build_workbook("items", excel.rows_from_dicts("items", rows))
    return SimpleUploadedFile(name, content, content_type=XLSX)


def post_upload(client: Client, rows: list[dict[str, Any]], kind: str = "items"):
    return client.post(reverse("catalog:import_upload"), {"kind": kind, "file": upload_file(rows)})


def test_upload_redirects_to_the_job_page_then_apply_imports(cast, login):
    client = login(cast.legal_reviewer, Client())
    page = client.get(reverse("catalog:import_list"))
    assert page.status_code == 200
    assert "上传并校验" in page.content.decode()

    response = post_upload(client, [item_row(1), item_row(2)])

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:import_detail", kwargs={"pk": job.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "校验通过：共 2 行，将新增 2 条" in detail
    assert 'hx-trigger="every 1s"' not in detail  # finished: nothing to poll
    ledger_before = tree_size()

    response = client.post(reverse("catalog:import_apply", kwargs={"pk": job.pk}))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert EnforcementItem.objects.filter(code__startswith="SCJ-WEB-").count() == 2
    assert tree_size() == ledger_before + 1
    page = client.get(reverse("catalog:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert "已导入：共 2 行，新增 2 条" in page
    listing = client.get(reverse("catalog:import_list")).content.decode()
    assert "事项.xlsx" in listing and "已导入" in listing


def test_job_page_lists_every_error_and_offers_them_as_excel(cast, login):
    client = login(cast.legal_reviewer, Client())
    rows = [item_row(n) for n in range(1, 61)]
    for n in range(0, 60, 2):
        rows[n]["法定罚款上限"] = 10  # below the minimum: 30 inverted ranges
    post_upload(client, rows)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    url = reverse("catalog:import_detail", kwargs={"pk": job.pk})

    first = client.get(url).content.decode()
    assert "校验发现 30 处错误，未导入任何数据" in first
    assert "罚款幅度上下限颠倒：下限100大于上限10" in first
    assert "共 30 条，第 1 / 1 页" in first
    assert "应用（导入全部" not in first

    errors = client.get(reverse("catalog:import_errors", kwargs={"pk": job.pk}))
    assert errors.status_code == 200
    assert errors["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(errors.content)).active
    table = list(ws.iter_rows(values_only=True))
    assert table[0] == ("行号", "列", "错误说明")
    assert len(table) == 31
    assert table[1] == (2, "法定罚款上限", "罚款幅度上下限颠倒：下限100大于上限10")
    assert EnforcementItem.objects.filter(code__startswith="SCJ-WEB-").count() == 0


def test_errors_are_paginated(cast, login):
    client = login(cast.legal_reviewer, Client())
    post_upload(client, [item_row(n, 事项类别="不存在") for n in range(1, 121)])
    job = ImportJob.objects.get()
    url = reverse("catalog:import_detail", kwargs={"pk": job.pk})
    page3 = client.get(url + "?page=3").content.decode()
    assert "共 120 条，第 3 / 3 页" in page3
    assert '<td class="num">102</td>' in page3  # the 101st error is on Excel row 102


def test_progress_partial_polls_while_running_and_reloads_when_done(cast, login):
    client = login(cast.legal_reviewer, Client())
    post_upload(client, [item_row(1)])
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.VALIDATING, total_rows=400, processed_rows=100
    )
    url = reverse("catalog:import_progress", kwargs={"pk": job.pk})
    running = client.get(url, headers={"HX-Request": "true"})
    html = running.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{url}"' in html
    assert '<progress value="100" max="400"' in html
    assert "已处理 100 / 400 行（25%）" in html
    assert "HX-Refresh" not in running
    assert "<script" not in html  # the CSP allows no inline script

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    applying = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "正在写入数据库" in applying and 'hx-trigger="every 1s"' in applying

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.READY)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_a_non_xlsx_upload_is_refused_on_the_form(cast, login):
    client = login(cast.legal_reviewer, Client())
    fake = SimpleUploadedFile("事项.xlsx", "事项编码,事项名称\n".encode(), content_type=XLSX)
    response = client.post(reverse("catalog:import_upload"), {"kind": "items", "file": fake})
    assert response.status_code == 400
    assert "文件不是Excel（.xlsx）格式" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_officer_cannot_import(catalog, login):
    client = login(catalog.cast.officer, Client())
    assert client.get(reverse("catalog:import_list")).status_code == 403
    assert post_upload(client, [item_row(1)]).status_code == 403
    template = reverse("catalog:template_download", kwargs={"kind": "items"})
    assert client.get(template).status_code == 403
    assert not ImportJob.objects.exists()


def test_department_head_cannot_import_rows_for_another_department(catalog, login):
    cast = catalog.cast
    client = login(cast.department_head, Client())
    before = EnforcementItem.objects.count()
    response = post_upload(client, [item_row(1), item_row(2, **{"实施主体（单位代码）": "hbj"})])
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 3,
            "column": "实施主体（单位代码）",
            "message": "“测试县生态环境分局”不在您的数据范围内",
        }
    ]
    page = client.get(reverse("catalog:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert "“测试县生态环境分局”不在您的数据范围内" in page
    response = client.post(reverse("catalog:import_apply", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    assert EnforcementItem.objects.count() == before
    # Nor may a department head upload enforcement bodies at all (the bureau confirms them).
    upload = SimpleUploadedFile("b.xlsx", excel.build_workbook("bodies"), content_type=XLSX)
    response = client.post(reverse("catalog:import_upload"), {"kind": "bodies", "file": upload})
    assert response.status_code == 400
    assert "选择一个有效的选项。 bodies 不在可用的选项中。" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_only_the_uploader_can_apply(cast, login):
    reviewer = login(cast.legal_reviewer, Client())
    post_upload(reviewer, [item_row(1)])
    job = ImportJob.objects.get()
    head = login(cast.department_head, Client())
    page = head.get(reverse("catalog:import_detail", kwargs={"pk": job.pk})).content.decode()
    assert "由上传人 王审核 确认应用" in page
    response = head.post(reverse("catalog:import_apply", kwargs={"pk": job.pk}), follow=True)
    assert "只有上传该文件的人可以应用这次导入" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_template_and_export_downloads(catalog, login):
    cast = catalog.cast
    client = login(cast.department_head, Client())
    template = client.get(reverse("catalog:template_download", kwargs={"kind": "officers"}))
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX
    assert "filename*=UTF-8''" in template["Content-Disposition"]
    assert load_workbook(io.BytesIO(template.content)).sheetnames[0] == "执法人员"
    assert (
        client.get(reverse("catalog:template_download", kwargs={"kind": "nosuch"})).status_code
        == 404
    )

    before = tree_size()
    export = client.get(reverse("catalog:export_download", kwargs={"kind": "officers"}) + "?q=张")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content))["执法人员"].iter_rows(values_only=True))
    assert rows[0][:3] == ("所属执法主体（单位代码）", "姓名", "执法证号")
    assert [r[2] for r in rows[1:]] == ["22040001"]
    # Personal data: the export is in the ledger, with its criteria and row count.
    assert tree_size() == before + 1
    event = json.loads(LedgerEntry.objects.get(seq=before).body)
    assert event["kind"] == "core.records.exported"
    assert event["payload"] == {"subject": "catalog.officers", "criteria": {"q": "张"}, "rows": 1}

    items = client.get(reverse("catalog:export_download", kwargs={"kind": "items"}))
    codes = [
        r[0]
        for r in load_workbook(io.BytesIO(items.content))["执法事项"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert codes == ["SCJ-CF-001"]  # department B's item is outside the head's scope
    assert Officer.objects.count() == 2
