"""Decision documents (行政处罚决定书): printed figures, not a test.

    python -m bench.cases_documents [--db sqlite|postgres] [--cases 1000000] [--samples 50]

On a fresh database (bench/_setup.py) holding the T1 county (bench/cases_data.py; ``--cases 0``
for an empty one), ``--samples`` ordinary-procedure cases are taken through the services to
the point of decision (立案, 调查, 告知, 陈述申辩, 法制审核 passed; `fazhi.cases.testing.walk`).
Then:

(a) the whole `services.decide` step, timed case by case: checks of the law, the decision
    number, rendering the 行政处罚决定书, storing it as an attachment, the `CaseDocument`, the
    `CaseStep` and its one ledger entry, in one transaction; median, p90, max, SQL queries;
(b) `fazhi.cases.documents.render` of one decided case's 行政处罚决定书 alone, median of the
    same number of runs (its data read once with `documents.data_from_case`, timed apart).

There is no target in PERF-SECURITY for documents; the step is a page request, so it is
compared with G8's p99 ≤ 300 ms for one request under load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from typing import Any

TARGET_REQUEST_MS = 300.0  # PERF-SECURITY G8: p99 of one request


def _line(text: str = "") -> None:
    print(text, flush=True)


def _verdict(ok: bool) -> str:
    return "达标" if ok else "未达标"


def _ready_cases(county: Any, n: int, on: dt.date) -> list[Any]:
    """n cases waiting for the decision, through the services (as their users would)."""
    from fazhi.cases import services
    from fazhi.cases.testing import walk
    from fazhi.cases.workflow import Status

    cast = county.cc.cast
    ready = []
    for _ in range(n):
        case = walk(county.cc, Status.LEGAL_REVIEW, on=on)
        assert case.noticed_on is not None
        day = case.noticed_on + dt.timedelta(days=2)
        services.pass_legal_review(actor=cast.legal_reviewer, case=case, on=day, comments="同意")
        case.refresh_from_db()
        if case.discussion_required:
            services.record_discussion(
                actor=cast.department_head,
                case=case,
                on=day,
                participants="局长、副局长",
                conclusion="同意",
            )
        ready.append(case)
    return ready


def _stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[max(0, int(len(ordered) * 0.9) - 1)],
        "max": ordered[-1],
        "min": ordered[0],
    }


def bench_decide(county: Any, cases: list[Any]) -> tuple[dict[str, float], float, Any]:
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.cases import services
    from fazhi.cases.models import CaseDocument
    from fazhi.ledger.models import LedgerEntry

    head = county.cc.cast.department_head
    times: list[float] = []
    queries: list[int] = []
    decided = None
    for case in cases:
        assert case.noticed_on is not None
        day = case.noticed_on + dt.timedelta(days=2)
        seq_before = LedgerEntry.objects.count()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            decided = services.decide(
                actor=head, case=case, on=day, penalty_types=["fine"], fine=Decimal(40000)
            )
            times.append((time.perf_counter() - t0) * 1e3)
        queries.append(len(ctx.captured_queries))
        # The step did what is timed: one document stored, one ledger entry written.
        doc = CaseDocument.objects.get(case=decided, kind="penalty_decision")
        assert doc.attachment.size > 0
        assert LedgerEntry.objects.count() == seq_before + 1
    return _stats(times), statistics.median(queries), decided


def bench_render(case: Any, n: int) -> tuple[dict[str, float], float, int]:
    from fazhi.cases import documents
    from fazhi.cases.documents import DocumentKind
    from fazhi.cases.models import CaseDocument

    doc = CaseDocument.objects.get(case=case, kind=DocumentKind.PENALTY_DECISION.value)
    t0 = time.perf_counter()
    data = documents.data_from_case(
        case,
        kind=DocumentKind.PENALTY_DECISION,
        number=doc.number,
        issued_on=doc.issued_on,
        receipt_seq=doc.ledger_seq,
        receipt_url=f"https://example.invalid/ledger/verify/?seq={doc.ledger_seq}",
    )
    data_ms = (time.perf_counter() - t0) * 1e3
    times: list[float] = []
    size = 0
    for _ in range(n):
        t0 = time.perf_counter()
        content = documents.render(DocumentKind.PENALTY_DECISION, data)
        times.append((time.perf_counter() - t0) * 1e3)
        size = len(content)
    return _stats(times), data_ms, size


def main(argv: list[str] | None = None) -> int:
    from bench import cases_data

    parser = argparse.ArgumentParser(
        prog="python -m bench.cases_documents", description="行政处罚决定书生成基准"
    )
    cases_data.add_arguments(parser)
    parser.add_argument("--samples", type=int, default=50, help="决定与生成的次数（取中位数）")
    args = parser.parse_args(argv)

    cleanup = cases_data.configure(args.db, "cases_documents")
    try:
        county = cases_data.prepare(args)
        on = dt.date.today() - dt.timedelta(days=60)
        t0 = time.perf_counter()
        ready = _ready_cases(county, args.samples, on)
        walk_s = time.perf_counter() - t0
        _line(
            f"# 行政处罚决定书基准（{cases_data.data_line(args, county)}）；"
            f"{cases_data.load_line()}"
        )
        _line(
            f"准备：{args.samples} 件普通程序案件经服务层办理至法制审核通过，"
            f"{walk_s:.1f} 秒（每件 {walk_s / args.samples * 1000:.0f} ms）"
        )
        d, queries, decided = bench_decide(county, ready)
        _line(f"\n## (a) 完整的“作出决定”一步 services.decide（{args.samples} 件）")
        ok = d["p90"] <= TARGET_REQUEST_MS
        _line(
            f"中位数 {d['median']:.1f} ms，p90 {d['p90']:.1f} ms，最小 {d['min']:.1f} ms，"
            f"最大 {d['max']:.1f} ms；每次 {queries:.0f} 个 SQL 查询"
            "（含校验、文号、生成决定书、存储附件、文书记录、办案环节与一条日志）"
        )
        _line(
            f"参照目标：一次请求 ≤ {TARGET_REQUEST_MS:.0f} ms（G8 p99）；p90 比值 "
            f"{d['p90'] / TARGET_REQUEST_MS:.2f}，{_verdict(ok)}"
        )
        r, data_ms, size = bench_render(decided, args.samples)
        _line(f"\n## (b) documents.render 行政处罚决定书（{args.samples} 次）")
        _line(
            f"中位数 {r['median']:.1f} ms，p90 {r['p90']:.1f} ms，最小 {r['min']:.1f} ms，"
            f"最大 {r['max']:.1f} ms；.docx {size / 1024:.0f} KiB；"
            f"读取案件数据 data_from_case {data_ms:.1f} ms"
        )
        _line(
            f"生成占决定一步的比例：{r['median'] / d['median']:.0%}"
            f"（其余为校验、存储、日志与数据库写入）"
        )
        return 0  # figures, not a test: the verdicts are printed
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
