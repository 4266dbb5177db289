"""The Excel import as a service: all rows or none, every error with its row and column.

Each import here goes through the real path: a workbook built by openpyxl → ``start_import``
(stores the file, creates the job) → validation (inline in tests) → ``request_apply`` → the one
transaction of ``apply_import``. Counts of catalog rows and the ledger size are compared before
and after, so "changes nothing" is measured, not assumed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.catalog import excel, imports, services
from fazhi.catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    EnforcementBody,
    EnforcementItem,
    ImportJob,
    ImportStatus,
    LenientList,
    LenientListEntry,
    Officer,
)
from fazhi.catalog.testing import STANDARD_TIERS, CatalogCast, build_catalog, credit_code
from fazhi.core import services as core_services
from fazhi.core.choices import EnforcementBasis, OrgKind
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import User
from fazhi.core.testing import Cast
from fazhi.ledger.models import LedgerEntry
from fazhi.ledger.services import tree_size

D = Decimal


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


def xlsx(kind: str, rows: list[dict[str, Any]]) -> bytes:
    return excel.build_workbook(kind, excel.rows_from_dicts(kind, rows))


def item_row(n: int, **over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "事项编码": f"SCJ-IMP-{n:05d}",
        "事项名称": f"对第{n}种违法行为的处罚",
        "事项类别": "行政处罚",
        "实施主体（单位代码）": "scj",
        "法律依据（法律法规名称）": "中华人民共和国市场主体登记管理条例",
        "条": "第四十六条",
        "款、项": "",
        "依据条文": "",
        "处罚种类": "警告、罚款",
        "罚款表述": "金额",
        "法定罚款下限": 1000,
        "法定罚款上限": 10000,
        "列入清单日期": dt.date(2024, 1, 1),
    }
    row.update(over)
    return row


def counts() -> dict[str, int]:
    return {
        "items": EnforcementItem.objects.count(),
        "bodies": EnforcementBody.objects.count(),
        "officers": Officer.objects.count(),
        "lists": LenientList.objects.count(),
        "entries": LenientListEntry.objects.count(),
        "standards": DiscretionStandard.objects.count(),
        "tiers": DiscretionTier.objects.count(),
        "ledger": tree_size(),
    }


def upload(actor: User, kind: str, content: bytes, name: str = "导入.xlsx") -> ImportJob:
    return imports.start_import(
        actor=actor, kind=kind, file=io.BytesIO(content), original_name=name, size=len(content)
    )


def run(actor: User, kind: str, rows: list[dict[str, Any]]) -> ImportJob:
    """Upload, validate and (if valid) apply; returns the job as it ended."""
    job = upload(actor, kind, xlsx(kind, rows))
    if job.status == ImportStatus.READY:
        job = imports.request_apply(actor=actor, job=job)
    job.refresh_from_db()
    return job


def only_error(job: ImportJob) -> dict[str, Any]:
    assert job.status == ImportStatus.INVALID, job.errors
    assert len(job.errors) == 1, job.errors
    return job.errors[0]


# --- all or none -------------------------------------------------------------------------------


def test_one_bad_row_among_3000_changes_nothing_then_the_corrected_file_imports(cast):
    actor = cast.legal_reviewer
    rows = [item_row(n) for n in range(1, 3001)]
    rows[1776] = item_row(1777, 法定罚款下限=50000, 法定罚款上限=10000)  # Excel row 1778
    before = counts()

    job = run(actor, "items", rows)

    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 1778,
            "column": "法定罚款上限",
            "message": "罚款幅度上下限颠倒：下限50000大于上限10000",
        }
    ]
    assert job.total_rows == 3000
    assert job.summary["error_count"] == 1
    assert counts() == before  # no item, and not one ledger entry

    rows[1776] = item_row(1777)
    job = run(actor, "items", rows)

    assert job.status == ImportStatus.DONE, job.errors
    assert EnforcementItem.objects.filter(code__startswith="SCJ-IMP-").count() == 3000
    assert job.summary["created"] == 3000
    after = counts()
    assert after["items"] == before["items"] + 3000
    assert after["ledger"] == before["ledger"] + 1  # ONE event for the whole import
    event = LedgerEntry.objects.get(seq=job.summary["ledger_seq"])
    body = json.loads(event.body)
    assert event.kind == "catalog.import.applied"
    assert body["payload"]["file"] == job.attachment_id
    assert body["payload"]["created"] == 3000
    assert body["payload"]["updated"] == 0
    assert body["attachments"] == [job.attachment_id]
    item = EnforcementItem.objects.get(code="SCJ-IMP-01777")
    assert (item.fine_min, item.fine_max, item.penalty_types) == (
        D(1000),
        D(10000),
        ["warning", "fine"],
    )


def test_apply_validates_again_and_writes_nothing_if_the_database_changed(cast):
    """Between the dry run and 应用 another unit registered one of the codes."""
    actor = cast.legal_reviewer
    job = upload(actor, "items", xlsx("items", [item_row(1), item_row(2)]))
    assert job.status == ImportStatus.READY
    services.create_item(
        actor=cast.rule_of_law_office,
        organization=cast.department_b,
        code="SCJ-IMP-00002",
        name="另一单位的事项",
        category="inspection",
        basis_law="中华人民共和国环境保护法",
        basis_article="第二十四条",
    )
    before = counts()

    job = imports.request_apply(actor=actor, job=job)

    assert job.status == ImportStatus.INVALID
    assert job.summary["revalidated"] == 1
    assert job.errors == [
        {
            "row": 3,
            "column": "事项编码",
            "message": "事项编码“SCJ-IMP-00002”已由测试县生态环境分局登记，"
            "不在您的数据范围内，不能修改",
        }
    ]
    assert counts() == before
    assert not EnforcementItem.objects.filter(code="SCJ-IMP-00001").exists()


def test_apply_checks_the_cells_the_dry_run_kept_without_reading_the_workbook_again(cast):
    from fazhi.ledger.services import attachment_path

    rows = [item_row(1, 事项名称="只在本测试中出现的事项")]  # bytes no other test stores
    job = upload(cast.legal_reviewer, "items", xlsx("items", rows))
    assert job.status == ImportStatus.READY
    assert job.cells is not None and job.cells.content_type == "application/json"
    attachment_path(job.attachment_id).unlink()  # the workbook is not needed any more
    job = imports.request_apply(actor=cast.legal_reviewer, job=job)
    assert job.status == ImportStatus.DONE, job.errors
    assert EnforcementItem.objects.filter(code="SCJ-IMP-00001").exists()


def test_an_existing_code_in_scope_is_an_update(catalog):
    actor = catalog.cast.legal_reviewer
    job = run(
        actor,
        "items",
        [
            item_row(
                1,
                事项编码="SCJ-CF-001",
                事项名称="对未按规定公示年度报告的处罚（修订）",
                法定罚款下限=10000,
                法定罚款上限=100000,
            )
        ],
    )
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (0, 1)
    item = EnforcementItem.objects.get(code="SCJ-CF-001")
    assert item.name == "对未按规定公示年度报告的处罚（修订）"
    assert item.published_at is not None  # what the sheet does not carry stays as it was


def test_lookups_go_in_slices_and_unchanged_rows_are_not_written(cast, monkeypatch):
    """A large file's codes are looked up a slice at a time (the database limits parameters)."""
    monkeypatch.setattr(imports, "CHUNK", 2)
    rows = [item_row(n) for n in range(1, 8)]
    assert run(cast.legal_reviewer, "items", rows).summary["created"] == 7
    rows[5]["事项名称"] = "改过的名称"
    job = run(cast.legal_reviewer, "items", rows)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"], job.summary["unchanged"]) == (0, 1, 6)
    assert EnforcementItem.objects.get(code="SCJ-IMP-00006").name == "改过的名称"


# --- each error, with its row, column and message -------------------------------------------------


def test_range_inverted(cast):
    job = upload(
        cast.legal_reviewer,
        "items",
        xlsx("items", [item_row(1, 法定罚款下限=500, 法定罚款上限=200)]),
    )
    assert only_error(job) == {
        "row": 2,
        "column": "法定罚款上限",
        "message": "罚款幅度上下限颠倒：下限500大于上限200",
    }


def test_missing_legal_basis(cast):
    rows = [item_row(1), item_row(2, **{"法律依据（法律法规名称）": ""})]
    job = upload(cast.legal_reviewer, "items", xlsx("items", rows))
    assert only_error(job) == {
        "row": 3,
        "column": "法律依据（法律法规名称）",
        "message": "请填写法律依据（法律法规名称）",
    }


def test_duplicate_item_code_within_the_file(cast):
    rows = [item_row(1), item_row(2), item_row(1, 事项名称="重复")]
    job = upload(cast.legal_reviewer, "items", xlsx("items", rows))
    assert only_error(job) == {
        "row": 4,
        "column": "事项编码",
        "message": "事项编码“SCJ-IMP-00001”在本文件中重复（与第2行相同）",
    }


def test_out_of_scope_organization(cast):
    """The department's legal reviewer cannot import items of another department."""
    rows = [item_row(1), item_row(2, **{"实施主体（单位代码）": "hbj"})]
    before = counts()
    job = upload(cast.legal_reviewer, "items", xlsx("items", rows))
    assert only_error(job) == {
        "row": 3,
        "column": "实施主体（单位代码）",
        "message": "“测试县生态环境分局”不在您的数据范围内",
    }
    assert counts() == before


def test_unknown_organization_and_bad_enum_label(cast):
    rows = [item_row(1, **{"实施主体（单位代码）": "nosuch"}), item_row(2, 事项类别="行政处分")]
    job = upload(cast.legal_reviewer, "items", xlsx("items", rows))
    assert job.errors == [
        {"row": 2, "column": "实施主体（单位代码）", "message": "单位代码“nosuch”不存在"},
        {
            "row": 3,
            "column": "事项类别",
            "message": "事项类别“行政处分”无效，"
            "可选值：行政处罚、行政强制、行政检查、行政许可、其他",
        },
    ]


def test_every_row_is_checked_and_every_error_listed(cast):
    rows = [
        item_row(1, 处罚种类="警告、罚金"),
        item_row(2),
        item_row(3, 列入清单日期="2024-02-30"),
        item_row(4, 事项类别="行政检查", 罚款表述="", 法定罚款下限=None, 法定罚款上限=None),
    ]
    job = upload(cast.legal_reviewer, "items", xlsx("items", rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (2, "处罚种类"),
        (4, "列入清单日期"),
        (5, "处罚种类"),
    ]
    assert (
        job.errors[1]["message"]
        == "列入清单日期“2024-02-30”不是有效的日期，请填写如2024-01-31的日期"
    )
    assert job.errors[2]["message"] == "只有行政处罚事项才填写处罚种类"


def test_wrong_header(cast):
    content = xlsx("items", [item_row(1)])
    wb = load_workbook(io.BytesIO(content))
    wb["执法事项"]["C1"] = "类别"
    buffer = io.BytesIO()
    wb.save(buffer)
    job = upload(cast.legal_reviewer, "items", buffer.getvalue())
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 1,
            "column": "类别",
            "message": "第C列“类别”不是执法事项导入模板的列，请使用下载的模板",
        },
        {"row": 1, "column": "事项类别", "message": "缺少列“事项类别”，请使用下载的模板"},
    ]


def test_not_an_xlsx_is_refused_before_anything_is_stored(cast):
    before = ImportJob.objects.count()
    with pytest.raises(DomainError) as exc:
        upload(cast.legal_reviewer, "items", "事项编码,事项名称\nA,B\n".encode(), "items.xlsx")
    assert exc.value.message == "文件不是Excel（.xlsx）格式，请使用下载的导入模板填写后上传"
    with pytest.raises(DomainError) as exc:
        upload(cast.legal_reviewer, "items", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls")
    assert "旧版Excel（.xls）" in exc.value.message
    assert ImportJob.objects.count() == before


def test_a_zip_that_is_not_a_workbook_is_invalid_for_the_whole_file(cast):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    job = upload(cast.legal_reviewer, "items", buffer.getvalue(), "文档.xlsx")
    assert only_error(job) == {
        "row": None,
        "column": "",
        "message": "文件不是有效的Excel（.xlsx）文件，可能已损坏",
    }


@override_settings(FAZHI_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(cast):
    content = xlsx("items", [item_row(1)])
    assert len(content) > 1000
    with pytest.raises(DomainError, match="导入文件不能超过"):
        upload(cast.legal_reviewer, "items", content)


def body_row(code: str, credit: str, **over: Any) -> dict[str, Any]:
    row = {
        "单位代码": code,
        "统一社会信用代码": credit,
        "执法主体资格依据": "《中华人民共和国行政处罚法》第十七条",
        "委托机关（单位代码）": "",
    }
    row.update(over)
    return row


def test_bad_credit_code(catalog):
    cast = catalog.cast
    good = credit_code(3)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [body_row("sfj", good), body_row("xz1", bad)]
    job = upload(cast.rule_of_law_office, "bodies", xlsx("bodies", rows))
    assert only_error(job) == {
        "row": 3,
        "column": "统一社会信用代码",
        "message": f"统一社会信用代码“{bad}”无效（校验位错误）",
    }


def test_bodies_import_registers_updates_and_checks_the_entrusting_body(catalog):
    cast = catalog.cast
    unit = core_services.create_organization(
        actor=cast.system_admin,
        code="zfd",
        name="测试县综合行政执法大队",
        kind=OrgKind.ENFORCEMENT_UNIT,
        parent=cast.county,
        enforcement_basis=EnforcementBasis.ENTRUSTED,
    )
    rows = [
        body_row("scj", credit_code(1), 执法主体资格依据="依据已修订"),
        body_row("zfd", credit_code(9)),
        body_row("sfj", credit_code(2)),  # department B's code: taken
    ]
    job = upload(cast.rule_of_law_office, "bodies", xlsx("bodies", rows))
    assert job.errors == [
        {"row": 3, "column": "委托机关（单位代码）", "message": "受委托组织应填写委托机关"},
        {
            "row": 4,
            "column": "统一社会信用代码",
            "message": f"统一社会信用代码{credit_code(2)}已被其他执法主体使用",
        },
    ]
    rows[1]["委托机关（单位代码）"] = "scj"
    rows[2]["统一社会信用代码"] = credit_code(8)
    job = run(cast.rule_of_law_office, "bodies", rows)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (2, 1)
    assert (
        EnforcementBody.objects.get(organization=unit).entrusting_organization == cast.department_a
    )
    assert (
        EnforcementBody.objects.get(organization=cast.department_a).authority_basis == "依据已修订"
    )


def officer_row(number: str | int, **over: Any) -> dict[str, Any]:
    row = {
        "所属执法主体（单位代码）": "scj",
        "姓名": "孙执法",
        "执法证号": number,
        "发证机关": "吉林省人民政府",
        "有效期起": dt.date(2024, 1, 1),
        "有效期至": dt.date(2029, 12, 31),
        "执法领域": "市场监管",
        "系统账号（用户名，可空）": "",
    }
    row.update(over)
    return row


def test_duplicate_certificate_number_within_the_file(catalog):
    rows = [officer_row("22049001"), officer_row("22049002"), officer_row("22049001", 姓名="重复")]
    job = upload(catalog.cast.department_head, "officers", xlsx("officers", rows))
    assert only_error(job) == {
        "row": 4,
        "column": "执法证号",
        "message": "执法证号“22049001”在本文件中重复（与第2行相同）",
    }


def test_officers_import_with_numbers_typed_as_numbers_and_accounts(catalog):
    cast = catalog.cast
    rows = [
        officer_row(22049001),  # typed as a number in Excel: still the text "22049001"
        officer_row("22040001", 姓名="张执法", **{"系统账号（用户名，可空）": "officer"}),
        officer_row("22049003", **{"系统账号（用户名，可空）": "officer"}),
        officer_row("22049004", 有效期起=dt.date(2030, 1, 1)),
    ]
    job = upload(cast.department_head, "officers", xlsx("officers", rows))
    assert job.errors == [
        {
            "row": 4,
            "column": "系统账号（用户名，可空）",
            "message": "系统账号“officer”已关联执法人员（执法证号22040001）",
        },
        {"row": 5, "column": "有效期至", "message": "执法证有效期至不能早于有效期起"},
    ]
    del rows[2:]
    job = run(cast.department_head, "officers", rows)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["updated"]) == (1, 1)
    assert Officer.objects.get(certificate_number="22049001").name == "孙执法"
    assert Officer.objects.get(certificate_number="22040001").user == cast.officer


def entry_row(number: int, item: str = "SCJ-CF-001", **over: Any) -> dict[str, Any]:
    row = {
        "清单类型": "首违不罚事项清单",
        "清单名称": "测试县市场监督管理局首违不罚事项清单",
        "制定单位（单位代码）": "scj",
        "版本": "2025年版",
        "文号": "测市监〔2025〕1号",
        "施行日期": dt.date(2025, 1, 1),
        "失效日期": None,
        "序号": number,
        "事项编码": item,
        "违法行为": "未按规定公示年度报告",
        "法律依据": "《中华人民共和国行政处罚法》第三十三条第一款",
        "适用条件": "初次违法、危害后果轻微并及时改正",
        "需初次违法": "是",
        "需及时改正": "是",
        "危害后果上限": "危害后果轻微",
        "当事人类型": "",
        "涉案金额上限": None,
        "适用情形": "",
    }
    row.update(over)
    return row


def test_unknown_item_code(catalog):
    rows = [entry_row(1), entry_row(2, item="SCJ-NOSUCH")]
    job = upload(catalog.cast.legal_reviewer, "list_entries", xlsx("list_entries", rows))
    assert only_error(job) == {
        "row": 3,
        "column": "事项编码",
        "message": "事项编码“SCJ-NOSUCH”不存在",
    }


def test_duplicate_list_number_within_the_file(catalog):
    rows = [entry_row(1), entry_row(1, 违法行为="重复的序号")]
    job = upload(catalog.cast.legal_reviewer, "list_entries", xlsx("list_entries", rows))
    assert only_error(job) == {
        "row": 3,
        "column": "序号",
        "message": "同一清单中序号1在本文件中重复（与第2行相同）",
    }


def test_list_entries_create_a_list_and_check_each_row(catalog):
    cast = catalog.cast
    rows = [
        entry_row(1, 当事人类型="公民、法人或者其他组织", 涉案金额上限=5000),
        entry_row(2, 需初次违法="否"),  # 第三十三条: a first-violation entry needs 初次违法
        entry_row(3, 清单名称="另一个名称"),
        entry_row(4, item="HBJ-CF-001"),
    ]
    job = upload(cast.legal_reviewer, "list_entries", xlsx("list_entries", rows))
    assert job.errors == [
        {
            "row": 3,
            "column": "需初次违法",
            "message": "首违不罚清单事项的适用条件应包含“初次违法”",
        },
        {
            "row": 4,
            "column": "清单名称",
            "message": "同一清单各行的“清单名称”应一致"
            "（第2行为“测试县市场监督管理局首违不罚事项清单”）",
        },
        {
            "row": 5,
            "column": "事项编码",
            "message": "事项编码“HBJ-CF-001”的实施主体“测试县生态环境分局”不在您的数据范围内",
        },
    ]
    job = run(cast.legal_reviewer, "list_entries", rows[:1])
    assert job.status == ImportStatus.DONE, job.errors
    assert job.summary["lists_created"] == 1
    lst = LenientList.objects.get(organization=cast.department_a, version="2025年版")
    assert lst.published_at is None
    entry = lst.entries.get()
    assert entry.conditions == {
        "requires_first_violation": True,
        "requires_corrected_in_time": True,
        "max_harm": "minor",
        "party_kinds": ["individual", "organization"],
        "max_amount_involved": "5000",
    }


def test_a_published_list_cannot_be_changed_by_import(catalog):
    rows = [entry_row(2, 版本="2024年版")]
    job = upload(catalog.cast.legal_reviewer, "list_entries", xlsx("list_entries", rows))
    assert only_error(job) == {
        "row": 2,
        "column": "版本",
        "message": "测试县市场监督管理局首违不罚事项清单（2024年版）已公布，"
        "不能再修改，请制定新版本",
    }


def tier_rows(**head: Any) -> list[dict[str, Any]]:
    base = {
        "事项编码": "SCJ-CF-001",
        "制定单位（单位代码）": "scj",
        "制定层级": "县级",
        "基准名称": "测试县市场监督管理局行政处罚裁量基准（细化）",
        "版本": "2025年版",
        "违法行为": "未按规定公示年度报告",
        "法定依据": "《中华人民共和国市场主体登记管理条例》第四十六条",
        "施行日期": dt.date(2025, 1, 1),
        "上级基准制定单位（单位代码）": "",
        "上级基准版本": "",
    }
    base.update(head)
    tiers = [
        ("不予处罚", "", None, None),
        ("从轻处罚", "情节较轻", 10000, 30000),
        ("一般处罚", "情节轻微", 10000, 20000),
        ("一般处罚", "情节较重", 30000, 70000),
        ("从重处罚", "情节严重", 70000, 100000),
    ]
    return [
        {
            **base,
            "裁量阶次": t,
            "情节": s,
            "罚款下限": lo,
            "罚款上限": hi,
            "适用条件": f"{t}{s}的情形",
            "具体标准": f"{t}",
        }
        for t, s, lo, hi in tiers
    ]


def test_standards_group_rows_into_one_benchmark_with_its_tiers(catalog):
    cast = catalog.cast
    job = run(cast.legal_reviewer, "standards", tier_rows())
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.summary["created"], job.summary["tiers"]) == (1, 5)
    standard = DiscretionStandard.objects.get(version="2025年版")
    assert [t.treatment for t in standard.tiers.order_by("order")] == [
        "no_penalty",
        "lighter",
        "ordinary",
        "ordinary",
        "heavier",
    ]


def city_standard(catalog: CatalogCast) -> DiscretionStandard:
    """A higher (市级) benchmark for item A, which county benchmarks refine."""
    return services.create_standard(
        actor=catalog.cast.rule_of_law_office,
        item=catalog.item_a,
        organization=catalog.cast.department_a,
        level="city",
        title="市级行政处罚裁量基准",
        version="市级2024年版",
        violation="未按规定公示年度报告",
        legal_basis="《中华人民共和国市场主体登记管理条例》第四十六条",
        effective_from=dt.date(2024, 1, 1),
        tiers=STANDARD_TIERS,
    )


def test_tier_outside_the_parent_benchmark(catalog):
    """DB-5 (国办发〔2022〕27号 二（五））: a refinement stays inside the higher range."""
    city_standard(catalog)
    rows = tier_rows(**{"上级基准制定单位（单位代码）": "scj", "上级基准版本": "市级2024年版"})
    rows[1]["罚款上限"] = 40000  # the city benchmark's 从轻 tier stops at 30000
    rows[4]["罚款下限"] = 60000  # and its 从重 tier starts at 70000
    job = upload(catalog.cast.legal_reviewer, "standards", xlsx("standards", rows))
    assert job.status == ImportStatus.INVALID
    assert job.errors == [
        {
            "row": 3,
            "column": "罚款上限",
            "message": "第2个阶次（从轻处罚）的罚款幅度10000至40000元超出上级裁量基准的幅度"
            "（10000.00至30000.00元）（国办发〔2022〕27号 二（五））",
        },
        {
            "row": 6,
            "column": "罚款上限",
            "message": "第5个阶次（从重处罚）的罚款幅度60000至100000元超出上级裁量基准的幅度"
            "（70000.00至100000.00元）（国办发〔2022〕27号 二（五））",
        },
    ]


def test_unknown_parent_benchmark_and_inconsistent_group(catalog):
    rows = tier_rows(**{"上级基准制定单位（单位代码）": "scj", "上级基准版本": "2019年版"})
    job = upload(catalog.cast.legal_reviewer, "standards", xlsx("standards", rows))
    assert only_error(job) == {
        "row": 2,
        "column": "上级基准版本",
        "message": "上级裁量基准不存在：单位代码“scj”对事项SCJ-CF-001的“2019年版”版本",
    }
    rows = tier_rows()
    rows[2]["违法行为"] = "另一种违法行为"
    job = upload(catalog.cast.legal_reviewer, "standards", xlsx("standards", rows))
    assert only_error(job) == {
        "row": 4,
        "column": "违法行为",
        "message": "同一裁量基准各行的“违法行为”应一致（第2行为“未按规定公示年度报告”）",
    }


# --- permissions ---------------------------------------------------------------------------------


def test_permission_is_the_kinds_manage_permission(catalog):
    cast = catalog.cast
    content = xlsx("items", [item_row(1)])
    with pytest.raises(PermissionDenied):
        upload(cast.officer, "items", content)
    with pytest.raises(PermissionDenied):  # a department head does not confirm bodies
        upload(cast.department_head, "bodies", xlsx("bodies", [body_row("scj", credit_code(1))]))
    with pytest.raises(PermissionDenied):  # nor does a legal reviewer manage certificates
        upload(cast.legal_reviewer, "officers", xlsx("officers", [officer_row("22049001")]))
    assert imports.importable_kinds(cast.department_head) == [
        "officers",
        "items",
        "list_entries",
        "standards",
    ]
    assert imports.importable_kinds(cast.officer) == []


def test_only_the_uploader_applies_and_only_once(cast):
    job = upload(cast.legal_reviewer, "items", xlsx("items", [item_row(1)]))
    with pytest.raises(DomainError, match="只有上传该文件的人"):
        imports.request_apply(actor=cast.department_head, job=job)
    job = imports.request_apply(actor=cast.legal_reviewer, job=job)
    assert job.status == ImportStatus.DONE
    with pytest.raises(ConflictError, match="已导入"):
        imports.request_apply(actor=cast.legal_reviewer, job=job)
    assert EnforcementItem.objects.filter(code="SCJ-IMP-00001").count() == 1


def test_jobs_are_visible_within_data_scope(cast):
    job = upload(cast.legal_reviewer, "items", xlsx("items", [item_row(1)]))
    assert imports.get_job_for(cast.department_head, job.pk) == job
    assert imports.get_job_for(cast.rule_of_law_office, job.pk) == job
    own = upload(cast.rule_of_law_office, "items", xlsx("items", [item_row(2)]))
    from django.http import Http404

    with pytest.raises(Http404):
        imports.get_job_for(cast.department_head, own.pk)
    with pytest.raises(PermissionDenied):
        imports.jobs_for(cast.officer)


# --- a job left behind by a dead process -------------------------------------------------


@pytest.mark.parametrize(
    "status", [ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.APPLYING]
)
def test_a_silent_job_is_marked_failed_when_viewed(cast, status):
    job = upload(cast.legal_reviewer, "items", xlsx("items", [item_row(1)]))
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, updated_at=timezone.now() - dt.timedelta(minutes=imports.stale_minutes() + 1)
    )
    job = imports.get_job_for(cast.legal_reviewer, job.pk)
    assert job.status == ImportStatus.FAILED
    assert "没有进展" in job.errors[0]["message"]
    # A job that is still making progress is left alone.
    fresh = upload(cast.legal_reviewer, "items", xlsx("items", [item_row(2)]))
    ImportJob.objects.filter(pk=fresh.pk).update(status=status, updated_at=timezone.now())
    assert imports.get_job_for(cast.legal_reviewer, fresh.pk).status == status


# --- export → import round trip -----------------------------------------------------------------


def _roundtrip(actor: User, kind: str, filters: dict[str, str] | None = None) -> ImportJob:
    content, count = excel.export_workbook(actor=actor, kind=kind, filters=filters or {})
    assert count > 0
    job = upload(actor, kind, content, f"{kind}.xlsx")
    assert job.status == ImportStatus.READY, job.errors
    return imports.request_apply(actor=actor, job=job)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "items": list(EnforcementItem.objects.order_by("code").values_list()),
        "bodies": list(EnforcementBody.objects.order_by("pk").values_list()),
        "officers": list(Officer.objects.order_by("pk").values_list()),
        "lists": list(LenientList.objects.order_by("pk").values_list()),
        "entries": list(LenientListEntry.objects.order_by("pk").values_list()),
        "standards": list(DiscretionStandard.objects.order_by("pk").values_list()),
        "tiers": list(
            DiscretionTier.objects.order_by("standard_id", "order").values_list(
                "standard_id",
                "order",
                "treatment",
                "severity",
                "fine_min",
                "fine_max",
                "condition_text",
                "standard_text",
            )
        ),
    }


def test_export_then_import_leaves_the_data_equal(catalog):
    cast = catalog.cast
    actor = cast.rule_of_law_office
    # Unpublished versions, which an import may change (published ones are immutable).
    draft = services.create_list(
        actor=actor,
        kind="no_penalty",
        title="测试县市场监督管理局不予处罚事项清单",
        organization=cast.department_a,
        version="草案",
        effective_from=dt.date(2025, 1, 1),
        document_number='=HYPERLINK("x")',  # must come back as text, never a formula
    )
    services.add_list_entry(
        actor=actor,
        lenient_list=draft,
        item=catalog.item_a,
        number=7,
        violation="轻微违法",
        legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
        condition_text="违法行为轻微并及时改正，没有造成危害后果",
        conditions={
            "requires_corrected_in_time": True,
            "max_harm": "none",
            "any_circumstance": ["other_statutory", "cooperated"],
            "party_kinds": ["organization"],
            "max_amount_involved": "1234.50",
        },
    )
    services.create_standard(
        actor=actor,
        item=catalog.item_a,
        organization=cast.department_a,
        level="county",
        title="细化基准",
        version="草案",
        violation="未按规定公示年度报告",
        legal_basis="《中华人民共和国市场主体登记管理条例》第四十六条",
        effective_from=dt.date(2025, 1, 1),
        effective_until=dt.date(2027, 12, 31),
        tiers=STANDARD_TIERS,
        parent=city_standard(catalog),
    )
    before = _snapshot()
    ledger_before = tree_size()

    for kind, filters in [
        ("items", {}),
        ("bodies", {}),
        ("officers", {}),
        ("list_entries", {"list": str(draft.pk)}),
        ("standards", {"published": "no"}),
    ]:
        job = _roundtrip(actor, kind, filters)
        assert job.status == ImportStatus.DONE, (kind, job.errors)
        assert (job.summary["created"], job.summary["updated"]) == (0, 0), kind
        assert job.summary["unchanged"] > 0

    assert _snapshot() == before
    # Five imports and one export of officers (personal data), each recorded once.
    assert tree_size() == ledger_before + 6
    exported = LedgerEntry.objects.filter(kind="core.records.exported").get()
    assert json.loads(exported.body)["payload"]["subject"] == "catalog.officers"


def test_export_respects_data_scope(catalog):
    content, count = excel.export_workbook(
        actor=catalog.cast.department_head, kind="items", filters={}
    )
    codes = [
        r[0]
        for r in load_workbook(io.BytesIO(content))["执法事项"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert codes == ["SCJ-CF-001"]
    _, count = excel.export_workbook(
        actor=catalog.cast.rule_of_law_office,
        kind="items",
        filters={"category": "penalty", "q": "HBJ"},
    )
    assert count == 1


# --- background thread (the production path) ---------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(FAZHI_IMPORT_INLINE=False)
def test_validation_and_apply_run_in_a_thread_after_the_commit():
    from fazhi.core.testing import build_cast

    cast = build_cast()
    job = upload(cast.legal_reviewer, "items", xlsx("items", [item_row(n) for n in range(1, 301)]))
    assert job.status == ImportStatus.QUEUED  # the upload returned before any row was read
    job = _wait(job, ImportStatus.READY)
    assert (job.processed_rows, job.total_rows) == (300, 300)
    imports.request_apply(actor=cast.legal_reviewer, job=job)
    job = _wait(job, ImportStatus.DONE)
    assert EnforcementItem.objects.filter(code__startswith="SCJ-IMP-").count() == 300


def _wait(job: ImportJob, status: str, seconds: float = 30) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        assert job.status in imports.RUNNING or job.status == ImportStatus.READY, job.errors
        time.sleep(0.05)
    raise AssertionError(f"job still {job.status}")


# --- CLI ----------------------------------------------------------------------------------------


def test_cli_template_import_and_export(catalog, tmp_path, capsys):
    template = tmp_path / "模板.xlsx"
    call_command("catalog", "template", "items", str(template))
    assert load_workbook(template)["执法事项"]["A1"].value == "事项编码"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx("items", [item_row(1), item_row(2, 事项类别="处罚")]))
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("catalog", "import", "items", str(bad), "--actor", "reviewer", "--quiet")
    assert "未导入任何数据" in str(exc.value)
    assert "第3行【事项类别】事项类别“处罚”无效" in capsys.readouterr().out
    assert counts() == before

    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx("items", [item_row(1), item_row(2)]))
    call_command("catalog", "import", "items", str(good), "--actor", "reviewer", "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert counts() == before
    call_command("catalog", "import", "items", str(good), "--actor", "reviewer")
    err = capsys.readouterr()
    assert "已导入：共 2 行，新增 2 条" in err.out
    assert EnforcementItem.objects.filter(code__startswith="SCJ-IMP-").count() == 2

    out = tmp_path / "export.xlsx"
    call_command("catalog", "export", "items", str(out), "--actor", "head", "--filter", "q=IMP")
    rows = list(load_workbook(out)["执法事项"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["SCJ-IMP-00001", "SCJ-IMP-00002"]
    with pytest.raises(CommandError, match="权限"):
        call_command("catalog", "import", "items", str(good), "--actor", "officer", "--quiet")
