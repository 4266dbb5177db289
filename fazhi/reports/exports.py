"""Excel export of an indicator's drill-down: the records behind the figure (openpyxl).

Write-only mode keeps memory flat however many rows there are (PERF-SECURITY G17).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Cell = str | int | Decimal | dt.date | dt.datetime | None


def excel_value(value: object) -> Cell:
    """A value openpyxl can store as is: aware datetimes become local, others text."""
    if isinstance(value, bool):  # before int: bool is an int
        return "是" if value else "否"
    if value is None or isinstance(value, str | int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    return str(value)


def _row(
    ws: WriteOnlyWorksheet, values: Iterable[object], *, bold: bool = False
) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, value=excel_value(value))
        if isinstance(cell.value, str) and cell.value.startswith("="):
            # A name typed as "=cmd|..." must never become a formula when the file is
            # opened (formula injection): keep it as text.
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def drilldown_workbook(
    *,
    title: str,
    summary: Sequence[tuple[str, object]],
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> bytes:
    """Two sheets: 明细 (a header row, then one row per record) and 说明 (the figure)."""
    wb = Workbook(write_only=True)
    detail = wb.create_sheet("明细")
    detail.freeze_panes = "A2"
    detail.append(_row(detail, headers, bold=True))
    for row in rows:
        detail.append(_row(detail, row))
    about = wb.create_sheet("说明")
    about.append(_row(about, [title], bold=True))
    for label, value in summary:
        about.append(_row(about, [label, value]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
