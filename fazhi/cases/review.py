"""案卷评查: the scoring sheet and the 《行政执法监督意见书》 document (no database writes).

The scoring sheet is configuration (``review_sheet.yaml`` beside this file): sections, each
with criteria of a stable code, points and a Chinese description. A plan stores the sheet it
was made with (``ReviewPlan.sheet``), so editing the file never changes earlier scores.

The opinion is rendered with the case documents' GB/T 9704-2012 page (``documents._Page``):
the same fonts, margins, page numbers and ledger receipt QR code as the case documents.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from fazhi.cases.documents import _Block, _Heading, _Page, _Para, _stable_zip, _Table

SHEET_FILE = Path(__file__).with_name("review_sheet.yaml")
OPINION_TITLE = "行政执法监督意见书"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SheetError(ValueError):
    """The scoring sheet file is malformed (message in Chinese)."""


def check_sheet(sheet: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a sheet's shape: unique criterion codes, positive integer points."""
    sections = sheet.get("sections")
    if not isinstance(sections, list) or not sections:
        raise SheetError("评分表没有评查项目")
    seen: set[str] = set()
    for section in sections:
        if not section.get("code") or not section.get("name") or not section.get("criteria"):
            raise SheetError("评分表的每个部分须有代码、名称和评分细则")
        for c in section["criteria"]:
            code, points = c.get("code"), c.get("points")
            if not code or code in seen:
                raise SheetError(f"评分细则代码“{code}”为空或重复")
            if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
                raise SheetError(f"评分细则“{code}”的分值须为正整数")
            if not str(c.get("description", "")).strip():
                raise SheetError(f"评分细则“{code}”缺少说明")
            seen.add(code)
    return dict(sheet)


@functools.cache
def _default_sheet() -> dict[str, Any]:
    with SHEET_FILE.open(encoding="utf-8") as f:
        return check_sheet(yaml.safe_load(f))


def default_sheet() -> dict[str, Any]:
    """A fresh copy of the configured sheet (callers may store it)."""
    return copy.deepcopy(_default_sheet())


@dataclass(frozen=True)
class Criterion:
    code: str
    section: str
    points: int
    description: str


def criteria(sheet: Mapping[str, Any]) -> list[Criterion]:
    """The sheet's criteria in order, each with its section's name."""
    return [
        Criterion(c["code"], s["name"], int(c["points"]), c["description"])
        for s in sheet["sections"]
        for c in s["criteria"]
    ]


def max_total(sheet: Mapping[str, Any]) -> int:
    return sum(c.points for c in criteria(sheet))


# --- the opinion document -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedFile:
    case_number: str
    title: str
    total: Decimal | None
    findings: str


@dataclass(frozen=True)
class OpinionData:
    organization: str  # the supervising body (发文机关)
    number: str
    department: str
    plan_title: str
    issued_on: dt.date
    findings: str
    requirements: str
    files: Sequence[ReviewedFile]
    rectify_wdays: int
    recheck_wdays: int
    receipt_seq: int
    receipt_url: str


def _paras(text: str) -> Iterator[_Para]:
    for line in text.splitlines():
        if line.strip():
            yield _Para(line.strip())


def _opinion_blocks(d: OpinionData) -> Iterator[_Block]:
    yield _Para(f"{d.department}：", indent=False)
    yield _Para(
        f"根据《吉林省行政执法监督条例》第二十条的规定，本机关组织开展了“{d.plan_title}”，"
        f"以可公开验证的随机抽取方式抽取你单位行政处罚案卷{len(d.files)}卷进行评查。"
        "现将评查情况和处理意见通知如下："
    )
    yield _Heading("一、评查案卷及得分")
    yield _Table(
        tuple(
            (
                f.case_number,
                f"{f.title}\n得分：{f.total if f.total is not None else '未评分'}"
                + (f"\n问题：{f.findings}" if f.findings else ""),
            )
            for f in d.files
        )
    )
    yield _Heading("二、发现的问题")
    yield from _paras(d.findings)
    yield _Heading("三、处理意见和整改要求")
    yield from _paras(d.requirements)
    yield _Para(
        f"请你单位自收到本意见书之日起{d.rectify_wdays}个工作日内予以整改，并向本机关报送"
        "整改情况的书面报告（《吉林省行政执法监督条例》第二十九条第二款）。"
    )
    yield _Para(
        f"对本意见书有异议的，可以自收到之日起{d.recheck_wdays}个工作日内向本机关申请复查"
        "（《吉林省行政执法监督条例》第三十条）。"
    )


def render_opinion(d: OpinionData) -> bytes:
    """The .docx of the opinion in the GB/T 9704 layout, with its ledger receipt."""
    if not d.findings.strip() or not d.requirements.strip():
        raise ValueError("监督意见书须载明发现的问题和处理意见")
    page = _Page()
    page.header(d.organization, d.number, OPINION_TITLE)
    for block in _opinion_blocks(d):
        page.write(block)
    page.signature(d.organization, d.issued_on)
    page.receipt(d.receipt_seq, d.receipt_url)
    props = page.doc.core_properties
    stamp = dt.datetime(d.issued_on.year, d.issued_on.month, d.issued_on.day, tzinfo=dt.UTC)
    props.title, props.subject, props.keywords = OPINION_TITLE, d.department, d.number
    props.author = props.last_modified_by = d.organization
    props.comments = props.category = ""
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    out = io.BytesIO()
    page.doc.save(out)
    return _stable_zip(out.getvalue(), d.issued_on)


__all__ = [
    "Criterion",
    "OpinionData",
    "ReviewedFile",
    "SheetError",
    "check_sheet",
    "criteria",
    "default_sheet",
    "max_total",
    "render_opinion",
]
