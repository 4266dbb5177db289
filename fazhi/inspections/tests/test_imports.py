"""The directories' Excel/CSV import as a service: all rows or none, each error with its row and
column, create-or-update by the natural key, one ledger event per applied import.

Each import goes through the real path: a workbook (or CSV) built from the sheet definition →
``start_import`` (stores the file, creates the job) → validation (inline in tests) →
``request_apply`` → the one transaction of ``apply_import``. Row counts and the ledger size are
compared before and after, so "changes nothing" is measured, not assumed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from fazhi.catalog import excel as catalog_excel
from fazhi.catalog import imports as catalog_imports
from fazhi.catalog import services as catalog_services
from fazhi.catalog.models import ImportJob, ImportStatus
from fazhi.core.models import User
from fazhi.core.testing import Cast
from fazhi.inspections import excel, imports
from fazhi.inspections.models import Entity, InspectionItem, Inspector, Relationship
from fazhi.inspections.testing import InspectionCast, build_inspections, entity_code
from fazhi.ledger.models import LedgerEntry
from fazhi.ledger.services import tree_size


@pytest.fixture
def ic(cast: Cast) -> InspectionCast:
    return build_inspections(cast, entities=4)


def xlsx(kind: str, rows: list[dict[str, Any]]) -> bytes:
    return catalog_excel.build_workbook(kind, catalog_excel.rows_from_dicts(kind, rows))


def csv_bytes(kind: str, rows: list[dict[str, Any]], encoding: str = "utf-8-sig") -> bytes:
    content = catalog_excel.build_csv(kind, catalog_excel.rows_from_dicts(kind, rows))
    return content.decode("utf-8-sig").encode(encoding)


def upload(actor: User, kind: str, content: bytes, name: str = "导入.xlsx") -> ImportJob:
    return imports.start_import(
        actor=actor, kind=kind, file=io.BytesIO(content), original_name=name, size=len(content)
    )


def run(actor: User, kind: str, content: bytes, name: str = "导入.xlsx") -> ImportJob:
    job = upload(actor, kind, content, name)
    if job.status == ImportStatus.READY:
        job = imports.request_apply(actor=actor, job=job)
    job.refresh_from_db()
    return job


def entity(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "统一社会信用代码": entity_code(5000 + n),
        "企业名称": f"测试县导入第{n}有限公司",
        "市场主体类型": "有限责任公司（自然人投资或控股）",
        "行业": "餐饮",
        "所属乡镇": "测试镇人民政府",
        "住所": f"测试镇幸福路{n}号",
        "信用风险分类": "B类",
        "许可证": "食品经营许可证JY12204220000001；卫生许可证",
        "状态": "存续",
    }
    row.update(over)
    return row


def counts() -> dict[str, int]:
    return {
        "entities": Entity.objects.count(),
        "items": InspectionItem.objects.count(),
        "inspectors": Inspector.objects.count(),
        "relationships": Relationship.objects.count(),
        "ledger": tree_size(),
    }


def only_error(job: ImportJob) -> dict[str, Any]:
    assert job.status == ImportStatus.INVALID, job.errors
    assert len(job.errors) == 1, job.errors
    return job.errors[0]


# --- entities ------------------------------------------------------------------------------------


def test_one_bad_row_changes_nothing_then_the_corrected_file_imports_with_one_event(ic):
    actor = ic.head
    rows = [entity(n) for n in range(1, 501)]
    rows[299] = entity(300, 统一社会信用代码="91220422000000300X")  # Excel row 301
    before = counts()

    job = run(actor, excel.ENTITIES, xlsx(excel.ENTITIES, rows))

    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 301,
            "column": "统一社会信用代码",
            "message": "统一社会信用代码“91220422000000300X”无效（校验位错误）",
        }
    ]
    assert counts() == before

    rows[299] = entity(300)
    job = run(actor, excel.ENTITIES, xlsx(excel.ENTITIES, rows))

    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary["created"] == 500
    after = counts()
    assert after["entities"] == before["entities"] + 500
    assert after["ledger"] == before["ledger"] + 1
    event = LedgerEntry.objects.get(seq=job.summary["ledger_seq"])
    body = json.loads(event.body)
    assert event.stream == "inspections.import"
    assert event.kind == "inspections.import.applied"
    assert body["payload"]["kind"] == excel.ENTITIES
    assert body["payload"]["file"] == job.attachment_id
    assert body["attachments"] == [job.attachment_id]
    made = Entity.objects.get(credit_code=entity_code(5300))
    assert made.township == ic.cast.township
    assert made.risk_class == "B"
    assert made.licences == ["食品经营许可证JY12204220000001", "卫生许可证"]
    assert made.is_active is True
    assert made.kind == "有限责任公司（自然人投资或控股）"


def test_entities_are_created_or_updated_by_credit_code(ic):
    existing = ic.entities[0]
    rows = [
        entity(
            1,
            统一社会信用代码=existing.credit_code.lower(),
            企业名称="改名后的餐馆",
            所属乡镇="xz2",  # the township by its code
            信用风险分类="D类（信用风险高）",
            状态="注销",
        ),
        entity(2, 所属乡镇="测试乡人民政府", 信用风险分类="a", 许可证="", 状态=""),
        # An entity exactly as stored: counted unchanged.
        {
            "统一社会信用代码": ic.entities[1].credit_code,
            "企业名称": ic.entities[1].name,
            "市场主体类型": ic.entities[1].kind,
            "行业": ic.entities[1].industry,
            "所属乡镇": ic.entities[1].township.name,
            "住所": "",
            "信用风险分类": ic.entities[1].risk_class,
            "许可证": "",
            "状态": "存续",
        },
    ]
    job = run(ic.head, excel.ENTITIES, xlsx(excel.ENTITIES, rows))

    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"], job.summary["unchanged"]) == (1, 1, 1)
    existing.refresh_from_db()
    assert existing.name == "改名后的餐馆"
    assert existing.township == ic.township2
    assert existing.risk_class == "D"
    assert existing.is_active is False
    new = Entity.objects.get(credit_code=entity_code(5002))
    assert (new.risk_class, new.licences, new.is_active) == ("A", [], True)


def test_every_bad_cell_is_listed_with_its_row_and_column(ic):
    rows = [
        entity(1, 所属乡镇="外县某镇"),
        entity(2, 信用风险分类="E类"),
        entity(3, 行业="", 企业名称=""),
        entity(4, 统一社会信用代码=entity_code(5001)),  # same as row 2
        entity(5, 所属乡镇="测试县市场监督管理局"),  # an organization, but not a township
    ]
    before = counts()
    job = run(ic.head, excel.ENTITIES, xlsx(excel.ENTITIES, rows))

    assert job.status == ImportStatus.INVALID
    found = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert found == {
        (2, "所属乡镇"): "“外县某镇”不是本县的乡镇（请填写乡镇名称或单位代码）",
        (3, "信用风险分类"): "信用风险分类“E类”无效，可选值：A类、B类、C类、D类",
        (4, "企业名称"): "请填写企业名称",
        (4, "行业"): "请填写行业",
        (5, "统一社会信用代码"): "统一社会信用代码在本文件中重复（与第2行相同）",
        (6, "所属乡镇"): "“测试县市场监督管理局”不是本县的乡镇（请填写乡镇名称或单位代码）",
    }
    assert counts() == before


def test_csv_in_utf8_and_gb18030_imports_like_the_workbook(ic):
    for n, encoding in ((1, "utf-8-sig"), (2, "gb18030")):
        content = csv_bytes(excel.ENTITIES, [entity(n)], encoding)
        job = run(ic.head, excel.ENTITIES, content, name=f"公示系统导出{n}.csv")
        assert job.status == ImportStatus.DONE, job.errors
        assert (
            Entity.objects.get(credit_code=entity_code(5000 + n)).name == f"测试县导入第{n}有限公司"
        )


def test_a_csv_with_a_wrong_header_is_invalid(ic):
    content = "统一社会信用代码,名称\r\n91220422MA00000000,某公司\r\n".encode()
    job = run(ic.head, excel.ENTITIES, content, name="x.csv")
    assert job.status == ImportStatus.INVALID
    messages = [e["message"] for e in job.errors]
    assert "第B列“名称”不是检查对象名录导入模板的列，请使用下载的模板" in messages
    assert "缺少列“企业名称”，请使用下载的模板" in messages


def test_a_catalog_kind_still_refuses_csv(ic):
    with pytest.raises(catalog_excel.ImportFileError):
        upload(ic.cast.legal_reviewer, "items", "事项编码\r\nX\r\n".encode(), "x.csv")


def test_apply_revalidates_inside_the_transaction(ic):
    job = upload(ic.head, excel.ENTITIES, xlsx(excel.ENTITIES, [entity(1, 所属乡镇="xz2")]))
    assert job.status == ImportStatus.READY
    ic.township2.kind = "department"
    ic.township2.save()
    before = counts()
    job = imports.request_apply(actor=ic.head, job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.INVALID
    assert job.summary["revalidated"] == 1
    assert job.errors[0]["column"] == "所属乡镇"
    assert counts() == before


def test_permission_is_inspections_manage(ic):
    content = xlsx(excel.ENTITIES, [entity(1)])
    with pytest.raises(PermissionDenied):
        upload(ic.cast.officer, excel.ENTITIES, content)
    with pytest.raises(PermissionDenied):
        imports.jobs_for(ic.cast.officer)
    assert imports.importable_kinds(ic.head) == list(excel.KINDS)
    # The catalog's pages list only the catalog's kinds, and ours only ours.
    assert not set(catalog_imports.importable_kinds(ic.cast.legal_reviewer)) & set(excel.KINDS)


def test_jobs_are_listed_by_group(ic):
    ours = upload(ic.head, excel.ENTITIES, xlsx(excel.ENTITIES, [entity(1)]))
    assert list(imports.jobs_for(ic.head)) == [ours]
    assert ours.get_kind_display() == "检查对象名录"
    assert ours not in catalog_imports.jobs_for(ic.cast.legal_reviewer)


# --- inspection items ----------------------------------------------------------------------------


def item(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "事项编码": f"SCJ-CC-I{n:03d}",
        "抽查主体（单位代码）": "scj",
        "抽查事项": f"第{n}项检查",
        "事项类别": "重点",
        "抽查依据": "《中华人民共和国食品安全法》第一百一十条",
        "抽查内容": "",
        "抽查方式": "",
        "检查人员资格（执法领域）": "食品",
        "对应执法事项编码": "",
        "状态": "",
    }
    row.update(over)
    return row


def test_items_import_with_catalog_links_and_defaults(ic):
    catalog_code = ic.catalog.item_a.code
    rows = [
        item(1, 对应执法事项编码=catalog_code),
        item(2, 事项编码=ic.item.code, 抽查事项="改名的事项", 状态="停用"),
    ]
    job = run(ic.head, excel.ITEMS, xlsx(excel.ITEMS, rows))
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (1, 1)
    new = InspectionItem.objects.get(code="SCJ-CC-I001")
    assert (new.kind, new.method, new.is_active) == ("key", "现场检查", True)
    assert [i.code for i in new.catalog_items.all()] == [catalog_code]
    ic.item.refresh_from_db()
    assert (ic.item.name, ic.item.is_active) == ("改名的事项", False)
    assert list(ic.item.catalog_items.all()) == []  # the file lists none: links replaced


def test_items_refuse_out_of_scope_unknown_links_and_missing_basis(ic):
    rows = [
        item(1, **{"抽查主体（单位代码）": "hbj"}),  # department B: outside the head's scope
        item(2, 对应执法事项编码="NO-SUCH"),
        item(3, 抽查依据=""),
        item(4, 事项编码="SCJ-CC-I002"),
    ]
    job = run(ic.head, excel.ITEMS, xlsx(excel.ITEMS, rows))
    found = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert found[(3, "对应执法事项编码")] == "执法事项编码“NO-SUCH”不存在"
    assert found[(4, "抽查依据")] == "请填写抽查依据（法律法规规章没有规定的，不得检查）"
    assert found[(5, "事项编码")] == "事项编码在本文件中重复（与第3行相同）"
    assert "不在您的数据范围内" in found[(2, "抽查主体（单位代码）")]
    assert not InspectionItem.objects.filter(code__startswith="SCJ-CC-I").exists()


# --- inspectors and relationships ----------------------------------------------------------------


def test_inspectors_need_a_registered_valid_certificate(ic, cast):
    expired = catalog_services.create_officer(
        actor=cast.rule_of_law_office,
        organization=cast.department_a,
        name="过期证",
        certificate_number="22040099",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2015, 1, 1),
        valid_until=dt.date(2020, 1, 1),
        fields="市场监管",
    )
    rows = [
        {"执法证号": "22040099", "资格（执法领域）": "食品"},
        {"执法证号": "99999999", "资格（执法领域）": "食品"},
        {
            "执法证号": ic.officers[1].certificate_number,
            "姓名": "张冠李戴",
            "资格（执法领域）": "食品",
        },
        {"执法证号": ic.officers[2].certificate_number, "资格（执法领域）": ""},
    ]
    job = run(ic.head, excel.INSPECTORS, xlsx(excel.INSPECTORS, rows))
    found = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert found[(2, "执法证号")] == expired.certificate_problem(dt.date.today())
    assert found[(3, "执法证号")] == "执法证号“99999999”未在执法人员中登记"
    assert found[(4, "姓名")] == f"姓名“张冠李戴”与登记的“{ic.officers[1].name}”不一致"
    assert found[(5, "资格（执法领域）")] == "请填写检查资格（执法领域）"

    # Out of the directory (出库) an expired certificate is fine; the others update.
    rows = [
        {"执法证号": "22040099", "资格（执法领域）": "食品", "状态": "出库"},
        {
            "执法证号": ic.officers[1].certificate_number,
            "资格（执法领域）": "食品、特种设备；药品",
            "所在（派驻）乡镇": "测试镇人民政府",
        },
    ]
    job = run(ic.head, excel.INSPECTORS, xlsx(excel.INSPECTORS, rows))
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (1, 1)
    assert Inspector.objects.get(officer=expired).is_active is False
    changed = Inspector.objects.get(officer=ic.officers[1])
    assert changed.qualifications == ["食品", "特种设备", "药品"]
    assert changed.township == cast.township


def test_relationships_create_or_update_and_check_both_directories(ic):
    inspector = ic.inspectors[1]
    number = inspector.officer.certificate_number
    target = ic.entities[0]
    rows = [
        {
            "执法证号": number,
            "统一社会信用代码": target.credit_code,
            "关系说明": "配偶任法定代表人",
        },
        {"执法证号": number, "统一社会信用代码": entity_code(7777), "关系说明": "曾任职"},
        {"执法证号": "22040099", "统一社会信用代码": target.credit_code, "关系说明": "x"},
        {"执法证号": number, "统一社会信用代码": target.credit_code, "关系说明": "重复"},
    ]
    job = run(ic.head, excel.RELATIONSHIPS, xlsx(excel.RELATIONSHIPS, rows))
    found = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert found == {
        (3, "统一社会信用代码"): f"统一社会信用代码“{entity_code(7777)}”不在检查对象名录中",
        (4, "执法证号"): "执法证号“22040099”的人员不在检查人员名录中",
        (5, "统一社会信用代码"): "同一人员与同一检查对象的关系在本文件中重复（与第2行相同）",
    }
    job = run(ic.head, excel.RELATIONSHIPS, xlsx(excel.RELATIONSHIPS, rows[:1]))
    assert job.status == ImportStatus.DONE, job.errors
    assert Relationship.objects.get(inspector=inspector, entity=target).description == (
        "配偶任法定代表人"
    )
    rows[0]["关系说明"] = "配偶已离任"
    job = run(ic.head, excel.RELATIONSHIPS, xlsx(excel.RELATIONSHIPS, rows[:1]))
    assert job.summary["updated"] == 1
    assert Relationship.objects.get(inspector=inspector, entity=target).description == "配偶已离任"


# --- export → import round trip ------------------------------------------------------------------


@pytest.mark.parametrize("kind", excel.KINDS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(ic, kind, fmt):
    services_rel = Relationship.objects.create(
        inspector=ic.inspectors[0], entity=ic.entities[0], description="近亲属"
    )
    assert services_rel.pk
    Entity.objects.filter(pk=ic.entities[0].pk).update(licences=["食品经营许可证", "排污许可证"])
    content, count = excel.export_file(actor=ic.head, kind=kind, filters={}, fmt=fmt)
    assert count > 0
    before = counts()
    job = run(ic.head, kind, content, name=f"导出.{fmt}")
    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary["unchanged"] == count
    assert (job.summary["created"], job.summary["updated"]) == (0, 0)
    after = counts()
    assert after["ledger"] == before["ledger"] + 1
    assert {k: v for k, v in after.items() if k != "ledger"} == {
        k: v for k, v in before.items() if k != "ledger"
    }


def test_export_of_people_is_recorded(ic):
    before = tree_size()
    excel.export_file(actor=ic.head, kind=excel.INSPECTORS, filters={"q": "检查"})
    assert tree_size() == before + 1
    assert LedgerEntry.objects.order_by("-seq")[0].kind == "core.records.exported"


# --- command line --------------------------------------------------------------------------------


def test_cli_template_import_and_export(ic, tmp_path, capsys):
    template = tmp_path / "模板.xlsx"
    call_command("inspections", "template", "--kind", "entities", str(template))
    wb = load_workbook(template)
    assert wb.sheetnames[:2] == ["检查对象名录", "说明"]
    assert [c.value for c in wb["检查对象名录"][1]] == excel.ENTITY_SHEET.headers

    source = tmp_path / "公示系统.csv"
    source.write_bytes(csv_bytes(excel.ENTITIES, [entity(1), entity(2)]))
    call_command(
        "inspections", "import", "--kind", "entities", str(source), "--actor", "head", "--quiet"
    )
    assert "新增 2 条" in capsys.readouterr().out
    assert Entity.objects.filter(credit_code=entity_code(5001)).exists()

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(excel.ENTITIES, [entity(3, 信用风险分类="Z")]))
    with pytest.raises(CommandError):
        call_command(
            "inspections", "import", "--kind", "entities", str(bad), "--actor", "head", "--quiet"
        )
    assert "第2行【信用风险分类】" in capsys.readouterr().out

    out = tmp_path / "导出.csv"
    call_command(
        "inspections",
        "export",
        "--kind",
        "entities",
        str(out),
        "--actor",
        "head",
        "--filter",
        "q=导入第",
    )
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(excel.ENTITY_SHEET.headers)
    assert len(text.splitlines()) == 3
