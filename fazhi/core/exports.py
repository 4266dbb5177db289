"""Excel (.xlsx) exports of the back-office lists, with openpyxl, and their downloads."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.core.models import Organization, User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}

Cell = str | int | float | None


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """One sheet: a bold frozen header row, then the rows; returns the .xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title[:31]  # Excel's limit for a sheet name
    ws.append(list(headers))
    widths = [max(len(h) * 2, 8) for h in headers]
    for row in rows:
        ws.append(list(row))
        for i, value in enumerate(row):
            widths[i] = min(max(widths[i], len(str(value or "")) * 2), 60)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.alignment = Alignment(vertical="center")
    # openpyxl stores a text starting with "=" as a formula: a name typed as "=cmd|..." must
    # never run when the file is opened (formula injection), so keep every such cell as text.
    for ws_row in ws.iter_rows(min_row=2):
        for cell in ws_row:
            if cell.data_type == "f":
                cell.data_type = "s"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def file_response(filename_stem: str, content: bytes, fmt: str = "xlsx") -> HttpResponse:
    """A download of ``content`` as ``<stem>-<time>.<fmt>``; ``fmt`` is "xlsx" or "csv"."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{filename_stem}-{stamp}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    # RFC 6266: an ASCII fallback plus the UTF-8 name for the Chinese title.
    response["Content-Disposition"] = (
        f"attachment; filename=\"export-{stamp}.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def xlsx_response(filename_stem: str, content: bytes) -> HttpResponse:
    return file_response(filename_stem, content, "xlsx")


ORGANIZATION_HEADERS = (
    "单位代码",
    "单位名称",
    "层级",
    "单位类型",
    "执法主体资格",
    "上级单位",
    "在用账号数",
    "状态",
)


def organization_rows(orgs: Iterable[Organization]) -> Iterable[tuple[Cell, ...]]:
    for org in orgs:
        yield (
            org.code,
            org.name,
            org.depth + 1,
            org.get_kind_display(),
            org.get_enforcement_basis_display() if org.enforcement_basis else "—",
            org.parent.name if org.parent else "",
            getattr(org, "user_count", None),
            "启用" if org.is_active else "停用",
        )


USER_HEADERS = ("用户名", "姓名", "所属单位", "角色及数据范围", "账号状态", "最近登录")


def user_rows(users: Iterable[User]) -> Iterable[tuple[Cell, ...]]:
    for user in users:
        roles = "；".join(
            f"{ra.get_role_display()}（{ra.get_scope_display()}）"
            for ra in user.role_assignments.all()
        )
        last = (
            timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M")
            if (user.last_login)
            else ""
        )
        yield (
            user.username,
            user.full_name,
            user.organization.name if user.organization else "",
            roles,
            "启用" if user.is_active else "停用",
            last,
        )
