"""Lenience rules benchmark (issue 3): evaluations per second on one core, full demo catalog.

    python -m bench.rules_eval [--db sqlite|postgres] [--seconds 5] [--target 5000]

Builds the demo county's catalog in a throwaway database (bench/_setup.py), loads it once into
a :class:`fazhi.catalog.selectors.CatalogIndex` (what a batch or a long-lived worker holds),
then evaluates varied, deterministic case facts against the items that have list entries or a
benchmark, in one thread, for a fixed time. Prints evaluations per second against the target,
and the time to load the index. Figures, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import Decimal

from bench._setup import configure
from fazhi.rules.enforcement import Circumstance, HarmLevel, PartyKind, Severity
from fazhi.rules.lenience import Facts, evaluate
from fazhi.rules.parameters import default_parameters

TARGET_EVALUATIONS_PER_S = 5000
_ON = dt.date(2024, 6, 1)


def _facts_pool(codes: list[str], n: int) -> list[Facts]:
    """Varied facts, the same on every run (the rules are pure: no database in the loop)."""
    rng = random.Random(2024)
    circumstances = list(Circumstance)
    pool: list[Facts] = []
    for _ in range(n):
        individual = rng.random() < 0.4
        pool.append(
            Facts(
                act_date=_ON - dt.timedelta(days=rng.randint(1, 900)),
                discovered_date=_ON,
                party_kind=PartyKind.INDIVIDUAL if individual else PartyKind.ORGANIZATION,
                age=rng.choice([13, 16, 35, 60]) if individual else None,
                item_code=rng.choice(codes),
                harm=rng.choice(list(HarmLevel)),
                corrected_in_time=rng.random() < 0.5,
                prior_violation_dates=(
                    (_ON - dt.timedelta(days=rng.randint(30, 1200)),) if rng.random() < 0.3 else ()
                ),
                circumstances=frozenset(rng.sample(circumstances, rng.randint(0, 2))),
                severity=rng.choice(list(Severity)),
                amount_involved=Decimal(rng.randint(0, 50000)),
                proposed_fine=Decimal(rng.randint(0, 200000)),
            )
        )
    return pool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--target", type=int, default=TARGET_EVALUATIONS_PER_S)
    args = parser.parse_args(argv)

    cleanup = configure(args.db)
    try:
        from fazhi.catalog.selectors import CatalogIndex
        from fazhi.demo.builder import build_demo_atomic

        started = time.perf_counter()
        build_demo_atomic(with_cases=False)  # the catalog is what this bench evaluates
        print(f"演示县构建：{time.perf_counter() - started:.1f} s", file=sys.stderr)

        started = time.perf_counter()
        index = CatalogIndex(_ON)
        load_s = time.perf_counter() - started
        codes = sorted(set(index.entries) | set(index.standards))
        params = default_parameters()
        pool = _facts_pool(codes, 2000)
        inputs = {code: index.inputs(code) for code in codes}

        count = 0
        deadline = time.perf_counter() + args.seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            for facts in pool:
                i = inputs[facts.item_code]
                evaluate(
                    facts,
                    statutory_fine=i.statutory_fine,
                    entries=i.entries,
                    standard=i.standard,
                    params=params,
                    penalty_types=i.penalty_types,
                )
            count += len(pool)
        elapsed = time.perf_counter() - started
        per_s = count / elapsed
        print(f"数据库：{args.db}")
        print(
            f"目录：{len(index.items)} 项执法事项，{sum(len(v) for v in index.entries.values())} 条"
            f"清单事项，{len(index.standards)} 项裁量基准；载入索引 {load_s * 1000:.0f} ms"
        )
        print(f"参与评估的事项：{len(codes)} 项；样本事实 {len(pool)} 组")
        print(
            f"规则评估：{per_s:,.0f} 次/秒（单核，{count} 次，{elapsed:.1f} s），"
            f"目标 ≥ {args.target:,} 次/秒，比值 {per_s / args.target:.2f}"
        )
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
