"""The sheets themselves: templates with data validation, reading cells, refusing bad files."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from fazhi.catalog import excel
from fazhi.catalog.excel import (
    BOOL,
    CHOICE,
    DATE,
    INTEGER,
    MONEY,
    MULTI,
    SHEETS,
    CellError,
    ImportFileError,
)
from fazhi.catalog.models import ImportKind


def _validations(ws):
    """{column letter: DataValidation} of the data sheet."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row == 1_048_576  # every row a user can fill
            assert rng.min_col == rng.max_col
            found[get_column_letter(rng.min_col)] = dv
    return found


@pytest.mark.parametrize("kind", ImportKind.values)
def test_template_has_headers_frozen_and_validations_on_enum_columns(kind):
    spec = SHEETS[kind]
    wb = load_workbook(io.BytesIO(excel.build_workbook(kind)))
    assert wb.sheetnames == [spec.title, "说明", "选项"]
    ws = wb[spec.title]
    assert [c.value for c in ws[1]] == spec.headers
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1  # a template has no sample rows that could be imported by mistake
    assert wb["选项"].sheet_state == "hidden"
    validations = _validations(ws)
    options = wb["选项"]
    for i, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        dv = validations.get(letter)
        assert ws.column_dimensions[letter].width == column.width
        if column.type == CHOICE:
            assert dv is not None and dv.type == "list", column.header
            # The dropdown lists exactly the labels the reader accepts.
            sheet, area = dv.formula1.split("!")
            assert sheet == "'选项'"
            cells = options[area.replace("$", "")]
            assert [row[0].value for row in cells] == column.labels
            assert dv.showErrorMessage
        elif column.type == BOOL:
            assert dv is not None and dv.type == "list" and dv.formula1 == '"是,否"'
        elif column.type == DATE:
            assert dv is not None and dv.type == "date"
        elif column.type == MONEY:
            assert dv is not None and dv.type == "decimal"
        elif column.type == INTEGER:
            assert dv is not None and dv.type == "whole"
        else:  # text and multi-valued columns (多选 cannot be an Excel dropdown)
            assert dv is None, column.header
    instructions = "\n".join(str(r[0].value or "") for r in wb["说明"].iter_rows())
    assert "整个文件都不导入" in instructions
    if any(c.type == MULTI for c in spec.columns):
        assert "没有下拉列表" in instructions


def test_items_template_dropdowns_cover_the_enum_columns():
    """The enum columns named in the brief: category, 罚款表述 — and 处罚种类 is multi-valued."""
    ws = load_workbook(io.BytesIO(excel.build_workbook("items")))["执法事项"]
    validations = _validations(ws)
    headers = {c.value: c.column_letter for c in ws[1]}
    assert validations[headers["事项类别"]].type == "list"
    assert validations[headers["罚款表述"]].type == "list"
    assert validations[headers["列入清单日期"]].type == "date"
    assert validations[headers["法定罚款上限"]].type == "decimal"
    assert headers["处罚种类"] not in validations
    entries = load_workbook(io.BytesIO(excel.build_workbook("list_entries")))["清单事项"]
    headers = {c.value: c.column_letter for c in entries[1]}
    validations = _validations(entries)
    for header in ("清单类型", "需初次违法", "需及时改正", "危害后果上限"):
        assert validations[headers[header]].type == "list", header
    standards = load_workbook(io.BytesIO(excel.build_workbook("standards")))["裁量基准"]
    headers = {c.value: c.column_letter for c in standards[1]}
    validations = _validations(standards)
    for header in ("制定层级", "裁量阶次", "情节"):
        assert validations[headers[header]].type == "list", header


# --- cells ---------------------------------------------------------------------------------------


def test_multi_valued_labels_may_themselves_contain_the_separator():
    column = excel.ITEMS.column("penalty_types")
    assert column.parse("警告、法律、行政法规规定的其他行政处罚、罚款") == [
        "warning",
        "other",
        "fine",
    ]
    assert column.parse("罚款，警告；罚款") == ["fine", "warning"]
    assert column.parse(None) == []
    with pytest.raises(CellError) as exc:
        column.parse("警告、罚金")
    assert exc.value.message.startswith("处罚种类中的“罚金”无法识别，可选值：警告、通报批评、罚款")


def test_choice_accepts_labels_and_short_forms():
    basis = excel.ITEMS.column("fine_basis")
    assert basis.parse("金额") == "amount"
    assert basis.parse("倍数（违法所得、货值金额等的倍数）") == "multiple"
    assert basis.parse("") == ""
    category = excel.ITEMS.column("category")
    with pytest.raises(CellError, match="请填写事项类别"):
        category.parse(" ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2024, 3, 1, 0, 0), dt.date(2024, 3, 1)),
        (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024/3/1", dt.date(2024, 3, 1)),
        ("2024年3月1日", dt.date(2024, 3, 1)),
        ("20240301", dt.date(2024, 3, 1)),
        (20240301, dt.date(2024, 3, 1)),
    ],
)
def test_dates_in_the_forms_people_type(raw, expected):
    assert excel.ITEMS.column("effective_from").parse(raw) == expected


@pytest.mark.parametrize("raw", ["2024-13-01", "明年", "2024-02-30", 45000.5])
def test_bad_dates(raw):
    with pytest.raises(CellError, match="不是有效的日期"):
        excel.ITEMS.column("effective_from").parse(raw)


def test_numbers_typed_into_code_columns_stay_text():
    column = excel.OFFICERS.column("certificate_number")
    assert column.parse(22040001) == "22040001"
    assert column.parse(22040001.0) == "22040001"
    assert column.parse(" A-01 ") == "A-01"


def test_money_bool_and_integer_cells():
    money = excel.ITEMS.column("fine_min")
    assert money.parse(1000.5) == Decimal("1000.5")
    assert money.parse("1,000") == Decimal(1000)
    with pytest.raises(CellError, match="最多保留两位小数"):
        money.parse(0.125)
    with pytest.raises(CellError, match="不是有效的金额"):
        money.parse("一千元")
    yes = excel.LIST_ENTRIES.column("requires_first_violation")
    assert (yes.parse("是"), yes.parse("否"), yes.parse(None), yes.parse(True)) == (
        True,
        False,
        False,
        True,
    )
    with pytest.raises(CellError, match="请填写“是”或“否”"):
        yes.parse("也许")
    number = excel.LIST_ENTRIES.column("number")
    assert number.parse(3) == 3
    with pytest.raises(CellError, match="应为正整数"):
        number.parse(0)
    with pytest.raises(CellError, match="应为正整数"):
        number.parse(2.5)


@pytest.mark.parametrize("kind", ImportKind.values)
def test_every_column_reads_back_what_it_writes(kind):
    samples = {
        CHOICE: lambda c: c.choices[-1][0],
        MULTI: lambda c: [v for v, _ in c.choices[:2]],
        BOOL: lambda c: True,
        DATE: lambda c: dt.date(2024, 12, 31),
        MONEY: lambda c: Decimal("1234.56"),
        INTEGER: lambda c: 12,
    }
    spec = SHEETS[kind]
    values = {c.key: samples.get(c.type, lambda c: "0012")(c) for c in spec.columns}
    content = excel.build_workbook(kind, [[c.to_cell(values[c.key]) for c in spec.columns]])
    sheet = excel.read_workbook(content, kind)
    assert sheet.errors == []
    ((row, raw),) = sheet.rows
    assert row == 2
    assert {c.key: c.parse(raw[c.key]) for c in spec.columns} == values


# --- whole files ---------------------------------------------------------------------------------


def test_check_upload_refuses_what_is_not_an_xlsx():
    with pytest.raises(ImportFileError, match="不是Excel（.xlsx）格式"):
        excel.check_upload(b"code,name", 9)
    with pytest.raises(ImportFileError, match="旧版Excel"):
        excel.check_upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 4096)
    with pytest.raises(ImportFileError, match="文件是空的"):
        excel.check_upload(b"", 0)
    excel.check_upload(b"PK\x03\x04\x14\x00", 4096)


@override_settings(FAZHI_IMPORT_MAX_BYTES=2 * 1024 * 1024)
def test_size_limit_is_a_setting():
    with pytest.raises(ImportFileError, match="导入文件不能超过2 MB"):
        excel.check_upload(b"PK\x03\x04", 2 * 1024 * 1024 + 1)
    excel.check_upload(b"PK\x03\x04", 2 * 1024 * 1024)


def test_header_problems_name_the_column():
    wb = Workbook()
    ws = wb.active
    headers = [*excel.BODIES.headers[:2], "备注", excel.BODIES.headers[0]]
    ws.append(headers)
    ws.append(["scj", "x", "y", "scj"])
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = excel.read_workbook(buffer.getvalue(), "bodies")
    assert sheet.rows == []
    assert [e.as_dict() for e in sheet.errors] == [
        {
            "row": 1,
            "column": "备注",
            "message": "第C列“备注”不是执法主体导入模板的列，请使用下载的模板",
        },
        {"row": 1, "column": "单位代码", "message": "列“单位代码”重复出现"},
        {
            "row": 1,
            "column": "执法主体资格依据",
            "message": "缺少列“执法主体资格依据”，请使用下载的模板",
        },
        {
            "row": 1,
            "column": "委托机关（单位代码）",
            "message": "缺少列“委托机关（单位代码）”，请使用下载的模板",
        },
    ]


def test_columns_in_any_order_ascii_brackets_and_blank_rows():
    wb = Workbook()
    ws = wb.active
    ws.title = "我的表"
    ws.append(["执法主体资格依据", "委托机关(单位代码)", "统一社会信用代码", "单位代码"])
    ws.append(["依据", None, "CODE", "scj"])
    ws.append([None, None, None, None])
    ws.append(["依据2", "", "CODE2", "hbj"])
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = excel.read_workbook(buffer.getvalue(), "bodies")
    assert sheet.errors == []
    assert [(n, r["organization"], r["credit_code"]) for n, r in sheet.rows] == [
        (2, "scj", "CODE"),
        (4, "hbj", "CODE2"),
    ]


def test_an_export_never_writes_a_formula():
    row = ['=HYPERLINK("http://x")', "名称", "行政处罚"]
    content = excel.build_workbook("items", [row])
    ws = load_workbook(io.BytesIO(content))["执法事项"]
    assert ws["A2"].data_type == "s"
    assert ws["A2"].value == '=HYPERLINK("http://x")'


def test_cells_kept_by_the_dry_run_read_back_exactly():
    values = [
        dt.datetime(2024, 3, 1, 8, 30),
        dt.date(2024, 3, 2),
        dt.time(9, 15),
        1.5,
        7,
        True,
        "文本",
        None,
        "",
        "=1+1",
        22040001,
        0.1,
        False,
        '{"$date": "2024-01-01"}',  # text that looks like a tag stays text
    ]
    spec = excel.LIST_ENTRIES
    keys = [c.key for c in spec.columns]
    row = dict(zip(keys, values + [None] * (len(keys) - len(values)), strict=True))
    sheet = excel.SheetRows(spec, [(2, row), (5, dict.fromkeys(keys, "x"))], [])
    back = excel.cells_from_json(excel.cells_to_json(sheet), "list_entries")
    assert back.rows == sheet.rows
    assert type(back.rows[0][1]["kind"]) is dt.datetime
    with pytest.raises(ImportFileError, match="解析结果与导入内容不符"):
        excel.cells_from_json(excel.cells_to_json(sheet), "items")
