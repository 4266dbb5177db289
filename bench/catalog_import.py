"""Excel import of the catalog at the size of the demo county (printed figures, not a test).

    python -m bench.catalog_import [--db sqlite|postgres] [--items 2645] [--no-entries]
                                   [--repeat 3]

The seed report counts 2,645 执法事项, 1,877 entries in the 四张清单 and 181 首违不罚 entries.
This generates workbooks of that size (synthetic rows, valid by the services' own checks),
then times, on a fresh database (bench/_setup.py):

(a) the floor: ``openpyxl.load_workbook(read_only=True)`` and iterating every row, nothing else;
(b) the whole import as a user runs it: ``start_import`` (store the file, create the job),
    validation (the dry run, which keeps the cells it read), then apply (validate those cells
    again inside the transaction, bulk writes, one ledger event) — and the ratio (b)/(a),
    target ≤ 3×.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench._setup import configure

DEMO_ITEMS = 2645
# 四张清单 of the seed report: 不予处罚 643、减轻处罚 578、从轻处罚 592、免于强制 64; 首违不罚 181.
DEMO_LISTS = {
    "no_penalty": 643,
    "reduced": 578,
    "lighter": 592,
    "no_coercion": 64,
    "first_violation": 181,
}
DEPARTMENTS = 39  # 法定行政执法机关 of the seed report
TARGET_RATIO = 3.0


def _line(text: str) -> None:
    print(text, flush=True)


def _setup_county() -> Any:
    """The test cast plus 39 departments with enforcement standing, through the services."""
    from fazhi.core import services
    from fazhi.core.choices import EnforcementBasis, OrgKind
    from fazhi.core.testing import build_cast

    cast = build_cast()
    for n in range(1, DEPARTMENTS + 1):
        services.create_organization(
            actor=cast.system_admin,
            code=f"dept{n:02d}",
            name=f"基准县第{n}执法部门",
            kind=OrgKind.DEPARTMENT,
            parent=cast.county,
            enforcement_basis=EnforcementBasis.STATUTORY,
        )
    return cast


_CATEGORIES = ("行政处罚", "行政处罚", "行政处罚", "行政强制", "行政检查", "行政许可")


def item_rows(count: int) -> list[dict[str, Any]]:
    """``count`` items, most of them penalties with a statutory fine (the demo's mix)."""
    rows = []
    for n in range(count):
        category = _CATEGORIES[n % len(_CATEGORIES)]
        penalty = category == "行政处罚"
        low = (n % 20) * 500
        rows.append(
            {
                "事项编码": f"D{n % DEPARTMENTS + 1:02d}-{n:05d}",
                "事项名称": f"对违反第{n % 97 + 1}条规定的行为的{category}",
                "事项类别": category,
                "实施主体（单位代码）": f"dept{n % DEPARTMENTS + 1:02d}",
                "法律依据（法律法规名称）": f"某某管理条例（第{n % 41 + 1}号）",
                "条": f"第{n % 80 + 1}条",
                "款、项": "第一款" if n % 3 else "",
                "依据条文": "违反本条例规定的，由主管部门责令改正，给予警告，可以并处罚款。",
                "处罚种类": "警告、罚款" if penalty else "",
                "罚款表述": "金额" if penalty else "",
                "法定罚款下限": low if penalty else None,
                "法定罚款上限": low + 10000 if penalty else None,
                "列入清单日期": "2024-01-01",
            }
        )
    return rows


def entry_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lists of the seed report, each department's list made of its own items."""
    by_dept: dict[str, list[dict[str, Any]]] = {}
    for row in items:
        by_dept.setdefault(row["实施主体（单位代码）"], []).append(row)
    labels = {
        "no_penalty": "不予处罚事项清单",
        "reduced": "减轻处罚事项清单",
        "lighter": "从轻处罚事项清单",
        "no_coercion": "免予行政强制事项清单",
        "first_violation": "首违不罚事项清单",
    }
    rows: list[dict[str, Any]] = []
    depts = sorted(by_dept)
    for kind, total in DEMO_LISTS.items():
        # 免予强制 lists coercive measures (or penalties); the other lists penalties only.
        wanted = {"行政强制", "行政处罚"} if kind == "no_coercion" else {"行政处罚"}
        numbers: dict[str, int] = {}
        cursor: dict[str, int] = {}
        for n in range(total):
            dept = depts[n % len(depts)]
            pool = [r for r in by_dept[dept] if r["事项类别"] in wanted]
            item = pool[cursor.get(dept, 0) % len(pool)]
            cursor[dept] = cursor.get(dept, 0) + 1
            numbers[dept] = numbers.get(dept, 0) + 1
            rows.append(
                {
                    "清单类型": labels[kind],
                    "清单名称": f"{dept}{labels[kind]}",
                    "制定单位（单位代码）": dept,
                    "版本": "2024年版",
                    "文号": f"{dept}〔2024〕1号",
                    "施行日期": "2024-01-01",
                    "序号": numbers[dept],
                    "事项编码": item["事项编码"],
                    "违法行为": item["事项名称"],
                    "法律依据": "《中华人民共和国行政处罚法》第三十三条第一款",
                    "适用条件": "初次违法、危害后果轻微并及时改正",
                    "需初次违法": "是",
                    "需及时改正": "是",
                    "危害后果上限": "危害后果轻微",
                }
            )
    return rows


def workbook(kind: str, rows: list[dict[str, Any]]) -> bytes:
    from fazhi.catalog import excel

    return excel.build_workbook(kind, excel.rows_from_dicts(kind, rows))


def read_only_floor(content: bytes) -> float:
    """(a): what openpyxl alone needs to stream every row of the file."""
    from openpyxl import load_workbook

    t0 = time.perf_counter()
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert rows > 1
    return time.perf_counter() - t0


def full_import(actor: Any, kind: str, content: bytes) -> dict[str, Any]:
    """(b): the import as the page and the CLI run it (upload, dry run, apply)."""
    from fazhi.catalog import imports
    from fazhi.catalog.models import ImportStatus

    t0 = time.perf_counter()
    job = imports.start_import(
        actor=actor,
        kind=kind,
        file=io.BytesIO(content),
        original_name=f"{kind}.xlsx",
        size=len(content),
        dispatch=False,
    )
    t1 = time.perf_counter()
    job = imports.validate_job(job.pk)
    t2 = time.perf_counter()
    if job.status != ImportStatus.READY:
        raise SystemExit(f"基准数据校验未通过：{job.errors[:5]}")
    imports.request_apply(actor=actor, job=job, dispatch=False)
    job = imports.apply_job(job.pk)
    t3 = time.perf_counter()
    if job.status != ImportStatus.DONE:
        raise SystemExit(f"基准数据导入失败：{job.errors[:5]}")
    return {
        "upload": t1 - t0,
        "validate": t2 - t1,
        "apply": t3 - t2,
        "total": t3 - t0,
        "rows": job.total_rows,
        "created": job.summary["created"],
    }


def _median(fn: Callable[[], float], repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.catalog_import", description="执法目录Excel导入性能基准"
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--items", type=int, default=DEMO_ITEMS)
    parser.add_argument("--no-entries", action="store_true", help="不导入清单事项")
    parser.add_argument("--repeat", type=int, default=3, help="(a) 取中位数的次数")
    args = parser.parse_args(argv)

    cleanup = configure(args.db)
    try:
        cast = _setup_county()
        actor = cast.rule_of_law_office
        items = item_rows(args.items)
        sheets = [("items", "执法事项", items)]
        if not args.no_entries:
            sheets.append(("list_entries", "清单事项", entry_rows(items)))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        _line(f"# 执法目录Excel导入基准（{args.db}）；{os.cpu_count()} 核，负载 {load}")
        ok_all = True
        for kind, label, rows in sheets:
            content = workbook(kind, rows)
            floor = _median(functools.partial(read_only_floor, content), args.repeat)
            r = full_import(actor, kind, content)
            ratio = r["total"] / floor
            ok = ratio <= TARGET_RATIO
            ok_all = ok_all and ok
            size = f"{len(content) / 1024:.0f} KiB"
            _line(f"\n## {label}：{r['rows']:,} 行，{size}，新增 {r['created']:,} 条")
            _line(f"(a) openpyxl 只读打开并遍历全部行：{floor:.3f} 秒（{args.repeat} 次中位数）")
            _line(
                f"(b) 完整导入 {r['total']:.3f} 秒 = 上传存档 {r['upload']:.3f} + "
                f"校验（试运行，含保存解析后的单元格）{r['validate']:.3f} + "
                f"应用（事务内重新校验、批量写入、一条日志）{r['apply']:.3f}"
            )
            _line(
                f"比值 (b)/(a) = {ratio:.2f}×；目标 ≤ {TARGET_RATIO:.0f}×："
                + ("达到" if ok else "未达到")
            )
        return 0 if ok_all else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
