"""The directories' sheet definitions: template, reading (xlsx and CSV) and cell conversion."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from fazhi.catalog import excel as catalog_excel
from fazhi.catalog.excel import CellError
from fazhi.inspections import excel


@pytest.mark.parametrize("kind", excel.KINDS)
def test_each_kind_is_registered_and_its_template_has_the_columns(kind):
    spec = catalog_excel.spec_for(kind)  # registered with the catalog's machinery
    assert spec is excel.SHEETS[kind]
    wb = load_workbook(io.BytesIO(catalog_excel.build_workbook(kind)))
    assert wb.sheetnames == [spec.title, "说明", "选项"]
    assert [c.value for c in wb[spec.title][1]] == spec.headers
    notes = [r[0] for r in wb["说明"].iter_rows(values_only=True) if r and r[0]]
    assert any("CSV文件" in str(n) for n in notes)  # this app's general notes, not the catalog's
    assert not any("您只能导入本人数据范围内单位的数据" in str(n) for n in notes)


def test_entity_template_offers_dropdowns_for_risk_class_and_status():
    wb = load_workbook(io.BytesIO(catalog_excel.build_workbook(excel.ENTITIES)))
    ws = wb[excel.ENTITY_SHEET.title]
    formulas = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    headers = excel.ENTITY_SHEET.headers
    risk = get_column_letter(headers.index("信用风险分类") + 1)
    status = get_column_letter(headers.index("状态") + 1)
    assert f"{risk}2" in formulas and f"{status}2" in formulas
    options = wb["选项"]
    columns = {options.cell(row=1, column=c).value: c for c in range(1, options.max_column + 1)}
    risk_labels = [options.cell(row=r, column=columns["信用风险分类"]).value for r in range(2, 6)]
    assert risk_labels == ["A类", "B类", "C类", "D类"]
    assert options.cell(row=2, column=columns["状态"]).value == "存续"


def test_entity_columns_follow_the_credit_publicity_export():
    assert excel.ENTITY_SHEET.headers == [
        "统一社会信用代码",
        "企业名称",
        "市场主体类型",
        "行业",
        "所属乡镇",
        "住所",
        "信用风险分类",
        "许可证",
        "状态",
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A类", "A"),
        ("A", "A"),
        ("d", "D"),
        ("C类（信用风险较高）", "C"),
    ],
)
def test_risk_class_spellings(text, value):
    assert excel.ENTITY_SHEET.column("risk_class").parse(text) == value


def test_risk_class_outside_a_to_d_is_refused_with_the_choices():
    with pytest.raises(CellError) as exc:
        excel.ENTITY_SHEET.column("risk_class").parse("E")
    assert exc.value.message == "信用风险分类“E”无效，可选值：A类、B类、C类、D类"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("存续", excel.ACTIVE),
        ("在营", excel.ACTIVE),
        ("注销", excel.CLOSED),
        ("吊销，未注销", excel.CLOSED),
        (None, ""),
    ],
)
def test_entity_status_as_the_publicity_system_writes_it(text, value):
    assert excel.ENTITY_SHEET.column("status").parse(text) == value


def test_list_cells_split_on_the_usual_separators():
    assert excel.split_list(
        "食品经营许可证JY1、卫生许可证；排污许可证;食品经营许可证JY1\n药品"
    ) == [
        "食品经营许可证JY1",
        "卫生许可证",
        "排污许可证",
        "药品",
    ]
    assert excel.split_list("  ") == []


def test_kind_names_for_the_command_and_urls():
    assert excel.kind_for("items") == excel.ITEMS
    assert excel.kind_for("inspection_items") == excel.ITEMS
    assert excel.kind_for("entities") == excel.ENTITIES
    assert excel.kind_for("bodies") is None  # a catalog kind is not ours


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


HEADER = ",".join(excel.ENTITY_SHEET.headers)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_in_the_encodings_excel_writes(encoding):
    content = _csv(
        f"{HEADER}\r\n91220422000000001X,某公司,,餐饮,测试镇,,A类,,存续\r\n\r\n", encoding
    )
    sheet = catalog_excel.read_workbook(content, excel.ENTITIES)
    assert sheet.errors == []
    assert len(sheet.rows) == 1  # the empty line is ignored
    number, raw = sheet.rows[0]
    assert number == 2
    assert raw["name"] == "某公司"
    assert raw["risk_class"] == "A类"


def test_csv_columns_may_come_in_any_order_and_short_rows_are_padded():
    headers = list(reversed(excel.ENTITY_SHEET.headers))
    content = _csv(",".join(headers) + "\r\n存续,,A类\r\n")
    sheet = catalog_excel.read_workbook(content, excel.ENTITIES)
    assert sheet.errors == []
    raw = sheet.rows[0][1]
    assert raw["status"] == "存续" and raw["risk_class"] == "A类" and raw["credit_code"] is None


def test_an_unreadable_csv_is_refused_for_the_whole_file():
    with pytest.raises(catalog_excel.ImportFileError):
        catalog_excel.read_workbook(b"\xff\xfe\x00\x00garbage\x81", excel.ENTITIES)


def test_check_upload_accepts_csv_only_where_the_kind_allows_it():
    catalog_excel.check_upload(b"\xe7\xbb\x9f\xe4\xb8\x80", 100, csv=True)
    with pytest.raises(catalog_excel.ImportFileError):
        catalog_excel.check_upload(b"\xe7\xbb\x9f\xe4\xb8\x80", 100)
    with pytest.raises(catalog_excel.ImportFileError):  # an old .xls is never a CSV
        catalog_excel.check_upload(catalog_excel.OLE_MAGIC, 100, csv=True)


def test_csv_export_neutralises_formulas():
    content = catalog_excel.build_csv(
        excel.ENTITIES,
        [["=cmd|'/c calc'!A1", "某公司", None, "餐饮", "测试镇", None, "A类", None, "存续"]],
    )
    text = content.decode("utf-8-sig")
    assert "'=cmd" in text
    assert text.startswith(HEADER)
