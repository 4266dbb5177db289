"""The catalog's Excel sheets: one definition per kind drives the template, reading and export.

A definition lists the columns (Chinese headers taken from the models' verbose names), their
types and, for enumerations, the allowed Chinese labels. The same definition writes the
template (with Excel data validation), reads an upload and writes an export, so
export → edit → import round-trips by construction.

Reading only converts cells (types, labels, dates) and reports a bad cell with its row and
column; what a row *means* (a valid credit code, a range inside the statute, a benchmark inside
the higher one) is judged by the services' own validators in :mod:`fazhi.catalog.imports`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from fazhi.catalog import selectors
from fazhi.catalog.conversions import CatalogValidationError, parse_money
from fazhi.catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    EnforcementBody,
    EnforcementItem,
    ImportKind,
    LenientList,
    LenientListEntry,
    Officer,
    StandardLevel,
)
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.services import record_export
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    HarmLevel,
    ItemCategory,
    ListKind,
    PartyKind,
    PenaltyType,
    Severity,
    Treatment,
)

Cell = str | int | float | Decimal | dt.date | None

TEXT = "text"
CODE = "code"  # text that looks like a number (codes, certificate numbers): kept as text
DATE = "date"
MONEY = "money"
INTEGER = "integer"
CHOICE = "choice"
MULTI = "multi"
BOOL = "bool"

YES, NO = "是", "否"
# Separators accepted between the values of a multi-valued cell (the template says "、").
_SEPARATORS = "、，,；;／/\n "
# The largest sheet Excel holds; validations cover every data row a user can type into.
_LAST_ROW = 1_048_576
OPTIONS_SHEET = "选项"
INSTRUCTIONS_SHEET = "说明"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .doc) container


_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")


class ImportFileError(DomainError):
    """The file as a whole cannot be read (not an .xlsx, too large, damaged)."""


class CellError(Exception):
    """One cell's value is refused; the message names the column and the allowed values."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _vn(model: type[models.Model], name: str, suffix: str = "") -> str:
    """A column header from the model field's Chinese verbose name (one wording everywhere)."""
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)
    return f"{f.verbose_name}{suffix}"


@dataclass(frozen=True)
class Column:
    key: str  # the service argument (or model field) the column feeds
    header: str
    type: str = TEXT
    required: bool = False  # checked on reading: cells a service takes typed (dates, enums)
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label)
    aliases: tuple[tuple[str, str], ...] = ()  # other accepted spellings: (text, stored value)
    width: int = 16
    note: str = ""
    # Required by the service's own validation (checked there, with its message); the 说明
    # sheet marks both kinds 必填.
    needed: bool = False

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.choices]

    def _lookup(self) -> dict[str, str]:
        return _lookup_table(self.choices, self.aliases)

    # --- reading -------------------------------------------------------------------------

    def parse(self, raw: object) -> Any:
        """The cell's value as the services take it; raises :class:`CellError`."""
        if _is_empty(raw):
            if self.required:
                raise CellError(f"请填写{self.header}")
            return [] if self.type == MULTI else _EMPTY[self.type]
        if self.type in (TEXT, CODE):
            return _text(raw)
        if self.type == DATE:
            return self._date(raw)
        if self.type == MONEY:
            try:
                return parse_money(raw, self.key, self.header)
            except CatalogValidationError as exc:
                raise CellError(exc.message) from exc
        if self.type == INTEGER:
            return self._integer(raw)
        if self.type == CHOICE:
            return self._choice(_text(raw))
        if self.type == MULTI:
            return self._multi(_text(raw))
        if self.type == BOOL:
            return self._bool(raw)
        raise AssertionError(self.type)  # pragma: no cover - the definitions below are closed

    def _date(self, raw: object) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = _text(raw)
        match = _DATE_RE.fullmatch(text) or _COMPACT_DATE_RE.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        raise CellError(f"{self.header}“{text}”不是有效的日期，请填写如2024-01-31的日期")

    def _integer(self, raw: object) -> int:
        text = _text(raw)
        if not re.fullmatch(r"\d{1,9}", text) or int(text) < 1:
            raise CellError(f"{self.header}“{text}”应为正整数")
        return int(text)

    def _choice(self, text: str) -> str:
        value = self._lookup().get(text)
        if value is None:
            raise CellError(f"{self.header}“{text}”无效，可选值：{'、'.join(self.labels)}")
        return value

    def _multi(self, text: str) -> list[str]:
        # Labels may themselves contain "、" (法律、行政法规规定的其他行政处罚), so match known
        # labels longest first instead of splitting on the separator.
        table = self._lookup()
        known = _longest_first(self.choices, self.aliases)
        values: list[str] = []
        pos = 0
        while pos < len(text):
            if text[pos] in _SEPARATORS:
                pos += 1
                continue
            match = next(
                (
                    k
                    for k in known
                    if text.startswith(k, pos)
                    and (pos + len(k) == len(text) or text[pos + len(k)] in _SEPARATORS)
                ),
                None,
            )
            if match is None:
                part = re.split(f"[{re.escape(_SEPARATORS)}]", text[pos:], maxsplit=1)[0]
                raise CellError(
                    f"{self.header}中的“{part}”无法识别，可选值：{'、'.join(self.labels)}"
                    "（多个值用“、”分隔）"
                )
            if table[match] not in values:
                values.append(table[match])
            pos += len(match)
        return values

    def _bool(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        text = _text(raw).upper()
        if text in {YES, "Y", "TRUE", "1"}:
            return True
        if text in {NO, "N", "FALSE", "0"}:
            return False
        raise CellError(f"{self.header}“{_text(raw)}”无效，请填写“是”或“否”")

    # --- writing -------------------------------------------------------------------------

    def to_cell(self, value: Any) -> Cell:
        if value is None or value == "":
            return NO if self.type == BOOL else None
        if self.type == CHOICE:
            return dict(self.choices).get(str(value), str(value))
        if self.type == MULTI:
            labels = dict(self.choices)
            return "、".join(labels.get(v, v) for v in value)
        if self.type == BOOL:
            return YES if value else NO
        if self.type in (TEXT, CODE):
            return str(value)
        cell: Cell = value  # a date, an amount or a number, written as such
        return cell


@functools.cache
def _lookup_table(
    choices: tuple[tuple[str, str], ...], aliases: tuple[tuple[str, str], ...]
) -> dict[str, str]:
    """Accepted text → stored value: the labels, the stored values themselves, the aliases."""
    table = {label: value for value, label in choices}
    table.update({value: value for value, _ in choices})
    table.update(dict(aliases))
    return table


@functools.cache
def _longest_first(
    choices: tuple[tuple[str, str], ...], aliases: tuple[tuple[str, str], ...]
) -> list[str]:
    return sorted(_lookup_table(choices, aliases), key=len, reverse=True)


_EMPTY: dict[str, Any] = {
    TEXT: "",
    CODE: "",
    DATE: None,
    MONEY: None,
    INTEGER: None,
    CHOICE: "",
    MULTI: [],
    BOOL: False,
}


def _is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object) -> str:
    """A cell as text: 22040001 typed as a number stays "22040001", not "22040001.0"."""
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _labelled(enum: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.label_zh) for m in enum)


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    title: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...]
    # A service's CatalogValidationError.field → the column it is shown under.
    field_columns: Mapping[str, str] = field(default_factory=dict)
    # Columns repeated on every row of a group (one list, one benchmark) and the group key.
    group_key: tuple[str, ...] = ()
    group_columns: tuple[str, ...] = ()
    # The general notes of the 说明 sheet, if not the catalog's (another app's sheet).
    general_notes: tuple[str, ...] | None = None
    # Also read as CSV (UTF-8 or GB18030, header then rows), for data exported by other systems.
    accepts_csv: bool = False

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def header_for_field(self, name: str) -> str:
        """The header a service error on ``name`` belongs under ("" for the row as a whole)."""
        key = self.field_columns.get(name, name)
        for c in self.columns:
            if c.key == key:
                return c.header
        return ""


CATEGORY = _labelled(ItemCategory)
FINE_BASIS = (("amount", "金额"), ("multiple", "倍数"))
FINE_BASIS_ALIASES = tuple((m.label_zh, str(m)) for m in FineBasis)

_ORG = "填写单位代码（见“单位管理”），不是单位名称"

ITEMS = SheetSpec(
    kind=ImportKind.ITEMS,
    title="执法事项",
    columns=(
        Column(
            "code",
            _vn(EnforcementItem, "code"),
            CODE,
            width=18,
            note="数字、字母、点、下划线或连字符，最长64位；已存在的编码视为修改该事项",
            needed=True,
        ),
        Column("name", _vn(EnforcementItem, "name"), width=40, needed=True),
        Column("category", _vn(EnforcementItem, "category"), CHOICE, True, CATEGORY, width=12),
        Column(
            "organization",
            _vn(EnforcementItem, "organization", "（单位代码）"),
            CODE,
            width=18,
            note=_ORG,
            needed=True,
        ),
        Column(
            "basis_law",
            _vn(EnforcementItem, "basis_law"),
            width=36,
            note="如：中华人民共和国市场主体登记管理条例",
            needed=True,
        ),
        Column(
            "basis_article",
            _vn(EnforcementItem, "basis_article"),
            width=12,
            note="如：第四十六条",
            needed=True,
        ),
        Column(
            "basis_paragraph",
            _vn(EnforcementItem, "basis_paragraph"),
            width=12,
            note="如：第一款第（二）项，可空",
        ),
        Column("basis_text", _vn(EnforcementItem, "basis_text"), width=40),
        Column(
            "penalty_types",
            _vn(EnforcementItem, "penalty_types"),
            MULTI,
            choices=_labelled(PenaltyType),
            width=24,
            note="行政处罚法第九条所列种类，多个用“、”分隔，如：警告、罚款",
        ),
        Column(
            "fine_basis",
            _vn(EnforcementItem, "fine_basis"),
            CHOICE,
            choices=FINE_BASIS,
            aliases=FINE_BASIS_ALIASES,
            width=10,
            note="金额：罚款幅度以元计；倍数：以违法所得、货值金额等的倍数计",
        ),
        Column(
            "fine_min",
            _vn(EnforcementItem, "fine_min"),
            MONEY,
            width=14,
            note="元或倍数；“以下”的填0",
        ),
        Column("fine_max", _vn(EnforcementItem, "fine_max"), MONEY, width=14),
        Column(
            "effective_from",
            _vn(EnforcementItem, "effective_from"),
            DATE,
            width=14,
            note="不填则为导入当天",
        ),
    ),
    notes=(
        "每行一个执法事项。事项编码在系统中已存在且属于您的数据范围的，该行视为修改该事项；"
        "不存在的，新增事项；已存在但属于其他单位的，整个文件不予导入。",
        "处罚种类可填多个，用“、”分隔，因此该列没有下拉选项；只有行政处罚事项才填写处罚种类。",
        "填写罚款幅度时，处罚种类应包含“罚款”，并选择罚款表述（金额或倍数）。",
    ),
)

_YES_NO_NOTE = "填“是”或“否”，不填视为“否”"

LIST_ENTRIES = SheetSpec(
    kind=ImportKind.LIST_ENTRIES,
    title="清单事项",
    columns=(
        Column("kind", _vn(LenientList, "kind"), CHOICE, True, _labelled(ListKind), width=20),
        Column("title", _vn(LenientList, "title"), width=36, needed=True),
        Column(
            "organization",
            _vn(LenientList, "organization", "（单位代码）"),
            CODE,
            width=18,
            note=_ORG,
            needed=True,
        ),
        Column(
            "version", _vn(LenientList, "version"), CODE, width=12, note="如：2024年版", needed=True
        ),
        Column("document_number", _vn(LenientList, "document_number"), width=20),
        Column("effective_from", _vn(LenientList, "effective_from"), DATE, True, width=14),
        Column("effective_until", _vn(LenientList, "effective_until"), DATE, width=14),
        Column("number", _vn(LenientListEntry, "number"), INTEGER, True, width=8),
        Column(
            "item",
            _vn(EnforcementItem, "code"),
            CODE,
            width=18,
            note="已登记的执法事项编码",
            needed=True,
        ),
        Column("violation", _vn(LenientListEntry, "violation"), width=30, needed=True),
        Column("legal_basis", _vn(LenientListEntry, "legal_basis"), width=36, needed=True),
        Column("condition_text", _vn(LenientListEntry, "condition_text"), width=36, needed=True),
        Column("requires_first_violation", "需初次违法", BOOL, width=10, note=_YES_NO_NOTE),
        Column("requires_corrected_in_time", "需及时改正", BOOL, width=10, note=_YES_NO_NOTE),
        Column("max_harm", "危害后果上限", CHOICE, choices=_labelled(HarmLevel), width=18),
        Column(
            "party_kinds",
            "当事人类型",
            MULTI,
            choices=_labelled(PartyKind),
            width=18,
            note="不填则不限；两类都适用可填“公民、法人或者其他组织”",
        ),
        Column("max_amount_involved", "涉案金额上限", MONEY, width=14, note="元，不填则不限"),
        Column(
            "any_circumstance",
            "适用情形",
            MULTI,
            choices=_labelled(Circumstance),
            width=30,
            note="具有其中之一即可；多个用“、”分隔",
        ),
    ),
    notes=(
        "每行一个清单事项。清单类型、制定单位和版本相同的各行属于同一份清单：系统中没有该清单的，"
        "新建清单；已有且尚未公布的，向其中添加或修改事项；已公布的清单不能再修改，请制定新版本。",
        "同一清单各行的清单名称、文号、施行日期和失效日期应一致。",
        "序号在同一清单中不能重复；清单中已有该序号的，该行视为修改该事项。",
        "需初次违法、需及时改正、危害后果上限、当事人类型、涉案金额上限和适用情形是系统据以"
        "自动判断的结构化条件，应与“适用条件”的文字一致；首违不罚清单的事项须填“需初次违法：是”。",
        "当事人类型、适用情形可填多个，用“、”分隔，因此没有下拉选项。",
    ),
    field_columns={"conditions": "requires_first_violation", "lenient_list": "version"},
    group_key=("kind", "organization", "version"),
    group_columns=("title", "document_number", "effective_from", "effective_until"),
)

STANDARDS = SheetSpec(
    kind=ImportKind.STANDARDS,
    title="裁量基准",
    columns=(
        Column("item", _vn(EnforcementItem, "code"), CODE, width=18, needed=True),
        Column(
            "organization",
            _vn(DiscretionStandard, "organization", "（单位代码）"),
            CODE,
            width=18,
            note=_ORG,
            needed=True,
        ),
        Column(
            "level",
            _vn(DiscretionStandard, "level"),
            CHOICE,
            True,
            tuple(StandardLevel.choices),
            width=10,
        ),
        Column("title", _vn(DiscretionStandard, "title"), required=True, width=36),
        Column("version", _vn(DiscretionStandard, "version"), CODE, True, width=12),
        Column("violation", _vn(DiscretionStandard, "violation"), width=30, needed=True),
        Column("legal_basis", _vn(DiscretionStandard, "legal_basis"), width=36, needed=True),
        Column("effective_from", _vn(DiscretionStandard, "effective_from"), DATE, True, width=14),
        Column("effective_until", _vn(DiscretionStandard, "effective_until"), DATE, width=14),
        Column(
            "parent_organization",
            "上级基准制定单位（单位代码）",
            CODE,
            width=18,
            note="细化上级基准时填写，与上级基准版本同时填写",
        ),
        Column("parent_version", "上级基准版本", CODE, width=12),
        Column(
            "treatment",
            _vn(DiscretionTier, "treatment"),
            CHOICE,
            True,
            _labelled(Treatment),
            width=12,
        ),
        Column(
            "severity",
            _vn(DiscretionTier, "severity"),
            CHOICE,
            choices=_labelled(Severity),
            width=12,
        ),
        Column("fine_min", _vn(DiscretionTier, "fine_min"), MONEY, width=12),
        Column("fine_max", _vn(DiscretionTier, "fine_max"), MONEY, width=12),
        Column("condition_text", _vn(DiscretionTier, "condition_text"), width=36, needed=True),
        Column("standard_text", _vn(DiscretionTier, "standard_text"), width=36, needed=True),
    ),
    notes=(
        "每行一个裁量阶次。事项编码、制定单位和版本相同的各行组成同一个裁量基准，阶次按行的先后排列；"
        "同一基准各行的制定层级、基准名称、违法行为、法定依据、日期和上级基准应一致。",
        "系统中已有同一事项、制定单位和版本的基准且尚未公布的，以本文件的内容替换其全部阶次；"
        "已公布的基准不能修改，请制定新版本。",
        "细化上级裁量基准的，填写上级基准的制定单位和版本（上级基准须已登记在系统中）；"
        "各阶次的罚款幅度不能超出上级基准同一阶次的幅度（国办发〔2022〕27号 二（五））。",
        "有罚款幅度的事项，一般处罚阶次应写明情节轻微、较轻、较重、严重各情形"
        "（国办发〔2022〕27号 三（六））。",
    ),
    field_columns={"tiers": "treatment", "parent": "parent_version"},
    group_key=("item", "organization", "version"),
    group_columns=(
        "level",
        "title",
        "violation",
        "legal_basis",
        "effective_from",
        "effective_until",
        "parent_organization",
        "parent_version",
    ),
)

BODIES = SheetSpec(
    kind=ImportKind.BODIES,
    title="执法主体",
    columns=(
        Column(
            "organization",
            _vn(Organization, "code"),
            CODE,
            width=18,
            note="已在“单位管理”中登记、具有执法主体资格的单位",
            needed=True,
        ),
        Column(
            "credit_code",
            _vn(EnforcementBody, "credit_code"),
            CODE,
            True,
            width=22,
            note="18位，GB 32100-2015",
        ),
        Column("authority_basis", _vn(EnforcementBody, "authority_basis"), required=True, width=40),
        Column(
            "entrusting_organization",
            _vn(EnforcementBody, "entrusting_organization", "（单位代码）"),
            CODE,
            width=18,
            note="仅受委托组织填写",
        ),
    ),
    notes=(
        "每行一个执法主体。该单位已登记为执法主体的，该行视为修改；否则新登记。",
        "受委托组织应填写委托机关（法定行政执法机关），其他主体不填（行政处罚法第二十条）。",
    ),
)

OFFICERS = SheetSpec(
    kind=ImportKind.OFFICERS,
    title="执法人员",
    columns=(
        Column(
            "organization",
            _vn(Officer, "organization", "（单位代码）"),
            CODE,
            width=18,
            note=_ORG,
            needed=True,
        ),
        Column("name", _vn(Officer, "name"), width=10, needed=True),
        Column(
            "certificate_number",
            _vn(Officer, "certificate_number"),
            CODE,
            width=16,
            note="4至32位数字、字母或连字符；已存在的证号视为修改该人员",
            needed=True,
        ),
        Column("issuing_authority", _vn(Officer, "issuing_authority"), width=20, needed=True),
        Column("valid_from", _vn(Officer, "valid_from"), DATE, True, width=14),
        Column("valid_until", _vn(Officer, "valid_until"), DATE, True, width=14),
        Column("fields", _vn(Officer, "fields"), width=20),
        Column("user", _vn(Officer, "user", "（用户名，可空）"), CODE, width=16),
    ),
    notes=(
        "每行一名执法人员。执法证号已存在的，该行视为修改该人员（证件状态不变）；否则新增。",
        "系统账号填写该人员登录本平台的用户名，可空；一个账号只能关联一名执法人员。",
    ),
)

SHEETS: dict[str, SheetSpec] = {
    s.kind: s for s in (BODIES, OFFICERS, ITEMS, LIST_ENTRIES, STANDARDS)
}


def register_sheet(spec: SheetSpec) -> None:
    """Add another app's sheet (from its AppConfig.ready()): template, reading and cells."""
    existing = SHEETS.get(spec.kind)
    if existing is not None and existing is not spec:
        raise ValueError(f"import kind {spec.kind!r} is already registered")
    SHEETS[spec.kind] = spec


def spec_for(kind: str) -> SheetSpec:
    try:
        return SHEETS[kind]
    except KeyError:
        raise DomainError(f"未知的导入内容：{kind}") from None


# --- checks on the raw file ----------------------------------------------------------------


def max_upload_bytes() -> int:
    return int(getattr(settings, "FAZHI_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(head: bytes, size: int, *, csv: bool = False) -> None:
    """Refuse at the door what cannot be an .xlsx workbook (or, with ``csv``, a CSV file),
    before storing anything."""
    limit = max_upload_bytes()
    if size > limit:
        raise ImportFileError(
            f"文件过大（{size / 1048576:.1f} MB），导入文件不能超过{limit / 1048576:.0f} MB，"
            "请分成几个文件导入"
        )
    if size == 0:
        raise ImportFileError("文件是空的")
    if head.startswith(OLE_MAGIC):
        raise ImportFileError("这是旧版Excel（.xls）文件，请在Excel中“另存为”.xlsx格式后再上传")
    if not head.startswith(XLSX_MAGIC) and not (csv and b"\x00" not in head):
        raise ImportFileError("文件不是Excel（.xlsx）格式，请使用下载的导入模板填写后上传")


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None  # the Excel row number; None for the file as a whole
    column: str  # the Chinese header; "" for the row as a whole
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class SheetRows:
    spec: SheetSpec
    rows: list[tuple[int, dict[str, object]]]  # (Excel row number, raw cell by column key)
    errors: list[RowError]  # header problems


def _normalize_header(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return text.replace("(", "（").replace(")", "）").replace(" ", "")


def read_workbook(source: str | Path | IO[bytes] | bytes, kind: str) -> SheetRows:
    """Read the kind's sheet (by its title, else the first data sheet), header then rows.

    Streams the file (openpyxl read-only mode) and takes stored values, never formulas.
    """
    if isinstance(source, bytes):
        return _read(io.BytesIO(source), kind)
    if isinstance(source, str | Path):
        # Stored attachments are named by their hash, without the .xlsx extension openpyxl
        # insists on for a path: hand it the open file instead.
        with Path(source).open("rb") as fh:
            return _read(fh, kind)
    return _read(source, kind)


def _read(source: IO[bytes], kind: str) -> SheetRows:
    spec = spec_for(kind)
    if spec.accepts_csv:
        head = source.read(4)
        source.seek(0)
        if not head.startswith(XLSX_MAGIC):
            return _read_csv(source.read(), spec)
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike mean "not a workbook"
        raise ImportFileError("文件不是有效的Excel（.xlsx）文件，可能已损坏") from exc
    try:
        names = [n for n in wb.sheetnames if n not in (INSTRUCTIONS_SHEET, OPTIONS_SHEET)]
        if spec.title in wb.sheetnames:
            ws = wb[spec.title]
        elif names:
            ws = wb[names[0]]
        else:
            raise ImportFileError(f"文件中没有“{spec.title}”工作表")
        rows_iter = ws.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if header is None:
            return SheetRows(spec, [], [RowError(1, "", "文件中没有表头行")])
        positions, errors = _match_headers(spec, list(header))
        rows: list[tuple[int, dict[str, object]]] = []
        if errors:
            return SheetRows(spec, rows, errors)
        for number, values in enumerate(rows_iter, start=2):
            if not values or all(_is_empty(v) for v in values):
                continue
            raw = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
            rows.append((number, raw))
        return SheetRows(spec, rows, [])
    finally:
        wb.close()


def _read_csv(content: bytes, spec: SheetSpec) -> SheetRows:
    """A CSV file in the sheet's columns: UTF-8 (with or without BOM), else GB18030 (what
    Excel writes as “CSV” on a Chinese Windows)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ImportFileError("CSV文件的编码无法识别，请保存为UTF-8编码后再上传") from exc
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportFileError(f"CSV文件格式有误：{exc}") from exc
    if not table:
        return SheetRows(spec, [], [RowError(1, "", "文件中没有表头行")])
    positions, errors = _match_headers(spec, list(table[0]))
    rows: list[tuple[int, dict[str, object]]] = []
    if errors:
        return SheetRows(spec, rows, errors)
    for number, values in enumerate(table[1:], start=2):
        if all(_is_empty(v) for v in values):
            continue
        cells: dict[str, object] = {
            key: (values[i] if i < len(values) else None) for key, i in positions.items()
        }
        rows.append((number, cells))
    return SheetRows(spec, rows, [])


def build_csv(kind: str, rows: Iterable[Sequence[Cell]] = ()) -> bytes:
    """The kind's columns as CSV (UTF-8 with BOM, so Excel opens it in Chinese); reads back."""
    spec = spec_for(kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(spec.headers)
    for values in rows:
        writer.writerow(
            [
                ""
                if v is None
                else v.isoformat()
                if isinstance(v, dt.date)
                # A leading "=", "+", "-" or "@" would be a formula when Excel opens the file.
                else f"'{v}"
                if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")
                else v
                for v in values
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode()


def _encode(value: object) -> object:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    return str(value)


def _decode(obj: dict[str, Any]) -> object:
    if len(obj) == 1:
        ((tag, text),) = obj.items()
        if tag == "$datetime":
            return dt.datetime.fromisoformat(text)
        if tag == "$date":
            return dt.date.fromisoformat(text)
        if tag == "$time":
            return dt.time.fromisoformat(text)
    return obj


def cells_to_json(sheet: SheetRows) -> bytes:
    """The rows as read, exactly (dates and times tagged), to be checked again without
    parsing the workbook a second time. Only for a sheet whose header was accepted."""
    assert not sheet.errors
    keys = [c.key for c in sheet.spec.columns]
    rows = [[number, [raw.get(k) for k in keys]] for number, raw in sheet.rows]
    data = {"kind": sheet.spec.kind, "columns": keys, "rows": rows}
    return json.dumps(data, ensure_ascii=False, default=_encode).encode()


def cells_from_json(content: bytes, kind: str) -> SheetRows:
    spec = spec_for(kind)
    data = json.loads(content, object_hook=_decode)
    if data["kind"] != spec.kind or data["columns"] != [c.key for c in spec.columns]:
        raise ImportFileError("解析结果与导入内容不符，请重新上传")
    keys = data["columns"]
    rows = [(number, dict(zip(keys, values, strict=True))) for number, values in data["rows"]]
    return SheetRows(spec, rows, [])


def _match_headers(spec: SheetSpec, header: list[object]) -> tuple[dict[str, int], list[RowError]]:
    expected = {_normalize_header(c.header): c for c in spec.columns}
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for i, value in enumerate(header):
        text = _normalize_header(value)
        if not text:
            continue
        column = expected.get(text)
        if column is None:
            errors.append(
                RowError(
                    1,
                    str(value).strip(),
                    f"第{get_column_letter(i + 1)}列“{str(value).strip()}”不是{spec.title}"
                    "导入模板的列，请使用下载的模板",
                )
            )
        elif column.key in positions:
            errors.append(RowError(1, column.header, f"列“{column.header}”重复出现"))
        else:
            positions[column.key] = i
    for column in spec.columns:
        if column.key not in positions:
            errors.append(RowError(1, column.header, f"缺少列“{column.header}”，请使用下载的模板"))
    return positions, errors


# --- writing: template and export ----------------------------------------------------------------


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def build_workbook(kind: str, rows: Iterable[Sequence[Cell]] = ()) -> bytes:
    """The kind's sheet (header, frozen, widths, validations), 说明 and hidden 选项; then rows.

    With no rows this is the import template; with rows, an export that imports back.
    """
    spec = spec_for(kind)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = spec.title
    options = wb.create_sheet(OPTIONS_SHEET)
    _write_header(ws, spec)
    _add_validations(ws, options, spec)
    date_columns = [i for i, c in enumerate(spec.columns, start=1) if c.type == DATE]
    for values in rows:
        ws.append(list(values))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            # openpyxl stores a text starting with "=" as a formula: a value typed as
            # "=cmd|..." must never run when the export is opened (formula injection).
            if cell.data_type == "f":
                cell.data_type = "s"
        for i in date_columns:
            row[i - 1].number_format = "yyyy-mm-dd"
    _write_instructions(wb.create_sheet(INSTRUCTIONS_SHEET, 1), spec)
    options.sheet_state = "hidden"
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_header(ws: Worksheet, spec: SheetSpec) -> None:
    ws.append(spec.headers)
    for i, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if column.note:
            cell.comment = Comment(column.note, "法治平台")
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if column.type in (TEXT, CODE):
            # Text format, so Excel keeps "0012" and never turns "1-2" into a date.
            ws.column_dimensions[letter].number_format = "@"
        elif column.type == DATE:
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30


def _add_validations(ws: Worksheet, options: Worksheet, spec: SheetSpec) -> None:
    option_col = 0
    for i, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(i)
        area = f"{letter}2:{letter}{_LAST_ROW}"
        dv: DataValidation | None = None
        if column.type == CHOICE:
            option_col += 1
            ol = get_column_letter(option_col)
            options.cell(row=1, column=option_col, value=column.header)
            for r, label in enumerate(column.labels, start=2):
                options.cell(row=r, column=option_col, value=label)
            last = len(column.labels) + 1
            # A range on a sheet rather than an inline list: labels may be long and the
            # inline form is limited to 255 characters.
            dv = DataValidation(
                type="list",
                formula1=f"'{OPTIONS_SHEET}'!${ol}$2:${ol}${last}",
                allow_blank=True,
                error=f"请从下拉列表中选择：{'、'.join(column.labels)}"[:255],
            )
        elif column.type == BOOL:
            dv = DataValidation(
                type="list", formula1=f'"{YES},{NO}"', allow_blank=True, error="请选择“是”或“否”"
            )
        elif column.type == DATE:
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=str(int(to_excel(dt.date(1949, 10, 1)))),
                formula2=str(int(to_excel(dt.date(2099, 12, 31)))),
                allow_blank=True,
                error="请填写日期，如2024-01-31",
            )
        elif column.type == MONEY:
            dv = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                error="请填写不小于0的数字，最多两位小数",
            )
        elif column.type == INTEGER:
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="1",
                allow_blank=True,
                error="请填写正整数",
            )
        if dv is None:
            continue
        dv.errorTitle = column.header
        dv.errorStyle = "stop"
        dv.showErrorMessage = True
        if column.note:
            dv.promptTitle = column.header[:32]
            dv.prompt = column.note[:255]
            dv.showInputMessage = True
        dv.add(area)
        ws.add_data_validation(dv)


_GENERAL_NOTES = (
    "请在第一个工作表中填写，第一行为表头，请勿修改、删除或调换列名；从第二行起每行一条数据，空行会被忽略。",
    "上传后系统先校验全部行（不写入任何数据），列出每一处错误的行号、列名和原因；全部通过后，"
    "点击“应用”才写入。只要有一行有错，整个文件都不导入，修改后重新上传即可。",
    "应用时系统会再校验一次（期间数据可能已变化），并在全过程记录中登记一次导入（含文件哈希）。",
    "单位代码见“单位管理”；您只能导入本人数据范围内单位的数据。",
    "日期填写如2024-01-31；金额以元为单位，最多两位小数；“是/否”列不填视为“否”。",
    "带下拉箭头的列请从下拉列表中选择；可填多个值的列没有下拉列表，多个值之间用“、”分隔。",
)


def _write_instructions(ws: Worksheet, spec: SheetSpec) -> None:
    ws.append([f"{spec.title}导入说明"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    general = _GENERAL_NOTES if spec.general_notes is None else spec.general_notes
    for n, text in enumerate((*general, *spec.notes), start=1):
        ws.append([f"{n}. {text}"])
    ws.append(
        [
            f"{len(general) + len(spec.notes) + 1}. 文件不能超过"
            f"{max_upload_bytes() / 1048576:.0f} MB。"
        ]
    )
    ws.append([])
    ws.append(["列名", "必填", "填写说明", "可选值"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for column in spec.columns:
        kind_text = {
            DATE: "日期",
            MONEY: "数字",
            INTEGER: "正整数",
            BOOL: "是/否",
            MULTI: "可多选，用“、”分隔",
            CHOICE: "从下拉列表选择",
        }.get(column.type, "文本")
        ws.append(
            [
                column.header,
                "是" if column.required or column.needed else "",
                "；".join(p for p in (kind_text, column.note) if p),
                # One per line: some labels contain "、" themselves.
                "\n".join(column.labels),
            ]
        )
    for letter, width in zip("ABCD", (28, 6, 60, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# --- export rows (the same columns, so an export imports back) ----------------------------------


def _cells(spec: SheetSpec, values: Mapping[str, Any]) -> list[Cell]:
    return [c.to_cell(values.get(c.key)) for c in spec.columns]


def item_row(item: EnforcementItem) -> list[Cell]:
    return _cells(
        ITEMS,
        {
            "code": item.code,
            "name": item.name,
            "category": item.category,
            "organization": item.organization.code,
            "basis_law": item.basis_law,
            "basis_article": item.basis_article,
            "basis_paragraph": item.basis_paragraph,
            "basis_text": item.basis_text,
            "penalty_types": list(item.penalty_types),
            "fine_basis": item.fine_basis,
            "fine_min": item.fine_min,
            "fine_max": item.fine_max,
            "effective_from": item.effective_from,
        },
    )


def body_row(body: EnforcementBody) -> list[Cell]:
    entrusting = body.entrusting_organization
    return _cells(
        BODIES,
        {
            "organization": body.organization.code,
            "credit_code": body.credit_code,
            "authority_basis": body.authority_basis,
            "entrusting_organization": entrusting.code if entrusting else "",
        },
    )


def officer_row(officer: Officer) -> list[Cell]:
    return _cells(
        OFFICERS,
        {
            "organization": officer.organization.code,
            "name": officer.name,
            "certificate_number": officer.certificate_number,
            "issuing_authority": officer.issuing_authority,
            "valid_from": officer.valid_from,
            "valid_until": officer.valid_until,
            "fields": officer.fields,
            "user": officer.user.username if officer.user else "",
        },
    )


def entry_row(entry: LenientListEntry) -> list[Cell]:
    """Needs ``lenient_list__organization`` and ``item`` loaded."""
    lst = entry.lenient_list
    cond = entry.conditions or {}
    amount = cond.get("max_amount_involved")
    return _cells(
        LIST_ENTRIES,
        {
            "kind": lst.kind,
            "title": lst.title,
            "organization": lst.organization.code,
            "version": lst.version,
            "document_number": lst.document_number,
            "effective_from": lst.effective_from,
            "effective_until": lst.effective_until,
            "number": entry.number,
            "item": entry.item.code,
            "violation": entry.violation,
            "legal_basis": entry.legal_basis,
            "condition_text": entry.condition_text,
            "requires_first_violation": bool(cond.get("requires_first_violation")),
            "requires_corrected_in_time": bool(cond.get("requires_corrected_in_time")),
            "max_harm": cond.get("max_harm") or "",
            "party_kinds": list(cond.get("party_kinds", [])),
            "max_amount_involved": Decimal(amount) if amount is not None else None,
            "any_circumstance": list(cond.get("any_circumstance", [])),
        },
    )


def standard_rows(standard: DiscretionStandard) -> list[list[Cell]]:
    """One row per tier; needs ``item``, ``organization``, ``parent__organization`` and the
    tiers loaded."""
    parent = standard.parent
    head = {
        "item": standard.item.code,
        "organization": standard.organization.code,
        "level": standard.level,
        "title": standard.title,
        "version": standard.version,
        "violation": standard.violation,
        "legal_basis": standard.legal_basis,
        "effective_from": standard.effective_from,
        "effective_until": standard.effective_until,
        "parent_organization": parent.organization.code if parent else "",
        "parent_version": parent.version if parent else "",
    }
    return [
        _cells(
            STANDARDS,
            {
                **head,
                "treatment": t.treatment,
                "severity": t.severity,
                "fine_min": t.fine_min,
                "fine_max": t.fine_max,
                "condition_text": t.condition_text,
                "standard_text": t.standard_text,
            },
        )
        for t in standard.tiers.all()
    ]


def rows_from_dicts(kind: str, rows: Iterable[Mapping[str, Any]]) -> list[list[Cell]]:
    """Rows given as {header or key: cell} (tests, the benchmark) in the sheet's column order."""
    spec = spec_for(kind)
    out: list[list[Cell]] = []
    for row in rows:
        out.append([row.get(c.header, row.get(c.key)) for c in spec.columns])
    return out


# --- export of what the actor may see --------------------------------------------------------


def _get(filters: Mapping[str, str], name: str) -> str:
    return (filters.get(name) or "").strip()[:100]


def _published(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def export_workbook(*, actor: User, kind: str, filters: Mapping[str, str]) -> tuple[bytes, int]:
    """The kind's rows the actor may see (data scope), filtered like the list pages, as the
    import sheet. Returns (xlsx bytes, row count).

    Officers are personal data: their export is recorded in the ledger before it is handed
    over (core.services.record_export; PIPL 第五十一条).
    """
    spec = spec_for(kind)
    search = _get(filters, "q")
    rows: list[list[Cell]]
    if spec.kind == ImportKind.ITEMS:
        items = selectors.items_for(
            actor,
            search=search,
            category=_get(filters, "category"),
            organization=_get(filters, "organization"),
            published=_published(_get(filters, "published")),
        ).order_by("code")
        rows = [item_row(i) for i in items]
    elif spec.kind == ImportKind.BODIES:
        bodies = selectors.bodies_for(actor, search=search, kind=_get(filters, "kind"))
        rows = [body_row(b) for b in bodies]
    elif spec.kind == ImportKind.OFFICERS:
        officers = selectors.officers_for(
            actor,
            search=search,
            status=_get(filters, "status"),
            organization=_get(filters, "organization"),
        ).select_related("user")
        rows = [officer_row(o) for o in officers]
        record_export(
            actor=actor,
            permission="catalog.view",
            subject="catalog.officers",
            criteria={k: v for k, v in filters.items() if v and k != "page"},
            row_count=len(rows),
        )
    elif spec.kind == ImportKind.LIST_ENTRIES:
        lists = selectors.lists_for(actor, kind=_get(filters, "kind"), search=search)
        list_id = _get(filters, "list")
        if list_id:
            lists = lists.filter(pk=int(list_id) if list_id.isdigit() else 0)
        entries = (
            LenientListEntry.objects.filter(lenient_list__in=lists)
            .select_related("lenient_list__organization", "item")
            .order_by(
                "lenient_list__kind",
                "lenient_list__organization__path",
                "lenient_list_id",
                "number",
            )
        )
        rows = [entry_row(e) for e in entries]
    else:
        standards = (
            selectors.standards_for(actor, search=search)
            .select_related("parent__organization")
            .prefetch_related(
                Prefetch("tiers", queryset=DiscretionTier.objects.order_by("order", "pk"))
            )
            .order_by("item__code", "organization__path", "version")
        )
        published = _published(_get(filters, "published"))
        if published is not None:
            standards = standards.filter(published_at__isnull=not published)
        rows = [r for s in standards for r in standard_rows(s)]
    return build_workbook(kind, rows), len(rows)
