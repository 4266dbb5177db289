"""/api/v1/catalog/imports: upload (multipart) → job status with every error → apply."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.catalog import excel
from fazhi.catalog.models import EnforcementItem
from fazhi.ledger.models import LedgerEntry
from fazhi.ledger.services import tree_size

URL = "/api/v1/catalog/imports"


def item_row(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "事项编码": f"SCJ-API-{n:03d}",
        "事项名称": f"接口导入事项{n}",
        "事项类别": "行政处罚",
        "实施主体（单位代码）": "scj",
        "法律依据（法律法规名称）": "中华人民共和国市场主体登记管理条例",
        "条": "第四十六条",
        "处罚种类": "警告",
    }
    row.update(over)
    return row


def workbook(rows: list[dict[str, Any]], kind: str = "items") -> SimpleUploadedFile:
    content = excel.build_workbook(kind, excel.rows_from_dicts(kind, rows))
    return SimpleUploadedFile("导入.xlsx", content)


def test_upload_status_and_apply(cast, as_user):
    client = as_user(cast.legal_reviewer)
    response = client.post(URL, {"kind": "items", "file": workbook([item_row(1), item_row(2)])})
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["status"] == "ready"  # validated inline in tests; "queued" in production
    assert job["summary"]["created"] == 2
    assert job["errors"] == []
    assert job["created_by"] == "reviewer"
    assert job["organization"] == {"code": "scj", "name": "测试县市场监督管理局"}

    status = client.get(f"{URL}/{job['id']}")
    assert status.status_code == 200
    assert status.json()["file_digest"] == job["file_digest"]
    before = tree_size()

    applied = client.post(f"{URL}/{job['id']}/apply")

    assert applied.status_code == 202, applied.content
    assert applied.json()["status"] == "done"
    assert EnforcementItem.objects.filter(code__startswith="SCJ-API-").count() == 2
    assert tree_size() == before + 1
    seq = applied.json()["summary"]["ledger_seq"]
    body = json.loads(LedgerEntry.objects.get(seq=seq).body)
    assert body["attachments"] == [job["file_digest"]]
    again = client.post(f"{URL}/{job['id']}/apply")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"


def test_status_lists_every_error_with_row_and_column(cast, as_user):
    client = as_user(cast.legal_reviewer)
    rows = [item_row(1, 事项类别="处罚"), item_row(2), item_row(1)]
    job = client.post(URL, {"kind": "items", "file": workbook(rows)}).json()
    assert job["status"] == "invalid"
    assert job["error_count"] == 2
    assert client.get(f"{URL}/{job['id']}").json()["errors"] == [
        {
            "row": 2,
            "column": "事项类别",
            "message": "事项类别“处罚”无效，可选值：行政处罚、行政强制、行政检查、行政许可、其他",
        },
        {
            "row": 4,
            "column": "事项编码",
            "message": "事项编码“SCJ-API-001”在本文件中重复（与第2行相同）",
        },
    ]
    refused = client.post(f"{URL}/{job['id']}/apply")
    assert refused.status_code == 409
    assert "校验未通过" in refused.json()["message"]
    assert not EnforcementItem.objects.filter(code__startswith="SCJ-API-").exists()


def test_bad_uploads(cast, as_user):
    client = as_user(cast.legal_reviewer)
    not_xlsx = SimpleUploadedFile("a.xlsx", b"code,name\n")
    response = client.post(URL, {"kind": "items", "file": not_xlsx})
    assert response.status_code == 400
    assert (
        response.json()["message"] == "文件不是Excel（.xlsx）格式，请使用下载的导入模板填写后上传"
    )
    response = client.post(URL, {"kind": "items"})
    assert response.status_code == 400
    assert response.json()["details"] == {"fields": {"file": ["必须填写"]}}
    response = client.post(URL, {"kind": "laws", "file": workbook([item_row(1)])})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("persona", "kind"),
    [("officer", "items"), ("department_head", "bodies"), ("legal_reviewer", "officers")],
)
def test_permission_is_the_kinds_manage_permission(cast, as_user, persona, kind):
    client = as_user(getattr(cast, persona))
    response = client.post(URL, {"kind": kind, "file": workbook([], kind)})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_other_organization_gets_404_and_only_the_uploader_applies(cast, as_user):
    bureau = as_user(cast.rule_of_law_office).post(
        URL, {"kind": "items", "file": workbook([item_row(1)])}
    )
    reviewer_job = as_user(cast.legal_reviewer).post(
        URL, {"kind": "items", "file": workbook([item_row(2)])}
    )
    head = as_user(cast.department_head)
    # The bureau's job belongs to 司法局, outside the department head's scope.
    missing = head.get(f"{URL}/{bureau.json()['id']}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert head.post(f"{URL}/{bureau.json()['id']}/apply").status_code == 404
    # The reviewer's job is in scope: visible, but only its uploader applies it.
    assert head.get(f"{URL}/{reviewer_job.json()['id']}").status_code == 200
    refused = head.post(f"{URL}/{reviewer_job.json()['id']}/apply")
    assert refused.status_code == 400
    assert refused.json()["message"] == "只有上传该文件的人可以应用这次导入"
    assert as_user(cast.officer).get(f"{URL}/{reviewer_job.json()['id']}").status_code == 403


def test_department_head_cannot_import_rows_for_another_department(cast, as_user):
    client = as_user(cast.department_head)
    rows = [item_row(1, **{"实施主体（单位代码）": "hbj"})]
    job = client.post(URL, {"kind": "items", "file": workbook(rows)}).json()
    assert job["status"] == "invalid"
    assert job["errors"] == [
        {
            "row": 2,
            "column": "实施主体（单位代码）",
            "message": "“测试县生态环境分局”不在您的数据范围内",
        }
    ]
