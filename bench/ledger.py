"""Ledger benchmarks (PERF-SECURITY G5, G6): printed figures and ratios, not tests.

    python -m bench.ledger [--sizes 10000,100000,1000000] [--db sqlite|postgres]
                           [--only append,proof,verify] [--append-seconds 5]

(a) durable append throughput through `services.record()`, one entry per transaction,
    sustained, beside raw hashlib speed on the same bodies;
(b) inclusion-proof generation latency (median, p99) and DB reads per proof at each size;
(c) `verify_ledger` over the largest size with SHA-256 and SM3, beside the time to only
    hash the same bytes (leaves and interior nodes, in memory).

Runs on a temporary database (bench/_setup.py). The bench ledgers are bulk-loaded but
VALID: same canonical bodies, leaves, stored nodes and signed checkpoints as `record()`
writes, which (c) proves by verifying them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from typing import Any

from bench._setup import configure

DEFAULT_SIZES = "10000,100000,1000000"
TARGET_APPENDS_PER_S = 1000
TARGET_PROOF_MS = 1.0
TARGET_VERIFY_S = 6.0
TARGET_VERIFY_RATIO = 5.0

_KINDS = (
    ("cases.case", "cases.case.registered"),
    ("cases.case", "cases.decision.issued"),
    ("inspections.draw", "inspections.draw.committed"),
    ("core.user", "core.user.login"),
)
_AT = dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC)
_AT_TEXT = _AT.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def bench_payload(seq: int) -> dict[str, object]:
    return {
        "amount": f"{(seq % 50) * 100}.00",
        "case": f"辽行罚〔2024〕{seq}号",
        "org": f"dept{seq % 39:02d}",
        "title": "某某有限公司未按规定公示年度报告案",
    }


def bench_entry(seq: int) -> tuple[str, str, str, str]:
    """(stream, kind, actor, canonical body) of synthetic entry `seq` (~300 bytes).

    Formatted directly (canonical_json costs ~6 µs per entry); `_check_template` proves it
    byte-identical to what `record()` would write.
    """
    stream, kind = _KINDS[seq % 4]
    actor = f"user:officer{seq % 97}"
    body = (
        f'{{"actor":"{actor}","at":"{_AT_TEXT}","attachments":[],"kind":"{kind}",'
        f'"payload":{{"amount":"{(seq % 50) * 100}.00","case":"辽行罚〔2024〕{seq}号",'
        f'"org":"dept{seq % 39:02d}","title":"某某有限公司未按规定公示年度报告案"}},'
        f'"seq":{seq},"stream":"{stream}"}}'
    )
    return stream, kind, actor, body


def _check_template() -> None:
    from fazhi.ledger.canonical import canonical_json

    for seq in (0, 1, 7, 12345, 999_999):
        stream, kind, actor, body = bench_entry(seq)
        expected = canonical_json(
            {
                "seq": seq,
                "stream": stream,
                "kind": kind,
                "actor": actor,
                "at": _AT_TEXT,
                "payload": bench_payload(seq),
                "attachments": [],
            }
        )
        assert body == expected, (body, expected)


# --------------------------------------------------------------------------------------
# Bulk loading a valid ledger
# --------------------------------------------------------------------------------------


def clear_ledger() -> None:
    from django.db import connection

    from fazhi.ledger.models import Checkpoint, LedgerEntry, LedgerHead, LedgerNode
    from fazhi.ledger.models import WitnessSignature as Witness

    tables = [m._meta.db_table for m in (Witness, Checkpoint, LedgerNode, LedgerEntry, LedgerHead)]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for t in tables:
                cur.execute(f"DELETE FROM {t}")


def bulk_load(n: int, alg: str, checkpoint_every: int) -> int:
    """Write a valid n-entry ledger with hash `alg`; returns the number of checkpoints."""
    from django.conf import settings
    from django.db import connection, transaction

    from fazhi.ledger import services, verifier
    from fazhi.ledger.models import Checkpoint, LedgerHead, node_key
    from fazhi.ledger.signing import default_signer

    settings.FAZHI_LEDGER_HASH_ALG = alg
    clear_ledger()
    signer = default_signer()
    at_db = connection.ops.adapt_datetimefield_value(_AT)
    stack: list[bytes] = []
    checkpoints: list[Checkpoint] = []
    entries: list[tuple[Any, ...]] = []
    nodes: list[tuple[int, bytes]] = []

    def flush() -> None:
        _insert_rows(entries, nodes, at_db)
        entries.clear()
        nodes.clear()

    with transaction.atomic():
        for seq in range(n):
            stream, kind, actor, body = bench_entry(seq)
            leaf = verifier.leaf_hash(alg, body.encode())
            entries.append((seq, stream, kind, actor, body, leaf))
            stack.append(leaf)
            size, level = seq + 1, 0
            while not size & 1:
                right = stack.pop()
                node = verifier.node_hash(alg, stack.pop(), right)
                stack.append(node)
                size >>= 1
                level += 1
                nodes.append((node_key(level, size - 1), node))
            if (seq + 1) % checkpoint_every == 0 or seq + 1 == n:
                root = stack[-1]
                for left in reversed(stack[:-1]):
                    root = verifier.node_hash(alg, left, root)
                checkpoints.append(
                    services.signed_checkpoint(
                        tree_size=seq + 1,
                        root_hash=root,
                        hash_alg=alg,
                        timestamp="2024-06-01T08:00:00Z",
                        signer=signer,
                    )
                )
            if len(entries) >= 50_000:
                flush()
        flush()
        LedgerHead.objects.create(pk=1, tree_size=n, hash_alg=alg)
        Checkpoint.objects.bulk_create(checkpoints, batch_size=500)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return len(checkpoints)


def _insert_rows(entries: list[tuple[Any, ...]], nodes: list[tuple[int, bytes]], at: Any) -> None:
    from django.db import connection

    from fazhi.ledger.models import LedgerEntry, LedgerNode

    entry_table, node_table = LedgerEntry._meta.db_table, LedgerNode._meta.db_table
    cols = "seq, stream, kind, actor, at, body, leaf_hash"
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY {entry_table} ({cols}) FROM STDIN") as copy:
                for seq, stream, kind, actor, body, leaf in entries:
                    copy.write_row((seq, stream, kind, actor, at, body, leaf))
            with cur.copy(f"COPY {node_table} (key, hash) FROM STDIN") as copy:
                for row in nodes:
                    copy.write_row(row)
        return
    with connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {entry_table} ({cols}) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(s, st, k, a, at, b, lf) for s, st, k, a, b, lf in entries],
        )
        cur.executemany(f"INSERT INTO {node_table} (key, hash) VALUES (%s, %s)", nodes)


# --------------------------------------------------------------------------------------
# (a) Durable appends
# --------------------------------------------------------------------------------------


def _durability() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA journal_mode")
            mode = cur.fetchone()[0]
            cur.execute("PRAGMA synchronous")
            sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[cur.fetchone()[0]]
            return f"SQLite journal_mode={mode}, synchronous={sync}"
        cur.execute("SHOW fsync")
        fsync = cur.fetchone()[0]
        cur.execute("SHOW synchronous_commit")
        sync = cur.fetchone()[0]
        return f"PostgreSQL fsync={fsync}, synchronous_commit={sync}"


def bench_append(seconds: float, interval: int) -> dict[str, float]:
    from django.conf import settings
    from django.db import connection, transaction

    from fazhi.ledger import services, verifier
    from fazhi.ledger.models import Checkpoint

    settings.FAZHI_LEDGER_HASH_ALG = "sm3"
    settings.FAZHI_LEDGER_CHECKPOINT_SECONDS = interval
    clear_ledger()
    n = 0
    started = time.perf_counter()
    deadline = started + seconds
    while True:
        with transaction.atomic():
            services.record(
                stream="cases.case",
                kind="cases.case.registered",
                actor=None,
                payload=bench_payload(n),
            )
        n += 1
        if n % 64 == 0 and time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT body FROM ledger_ledgerentry ORDER BY seq")
        bodies = [row[0].encode() for row in cur.fetchall()]
    alg = services.hash_alg()
    t0 = time.perf_counter()
    for body in bodies:
        verifier.leaf_hash(alg, body)
    hash_s = time.perf_counter() - t0
    return {
        "appends": n,
        "seconds": elapsed,
        "rate": n / elapsed,
        "hash_rate": len(bodies) / hash_s,
        "checkpoints": Checkpoint.objects.count(),
    }


# --------------------------------------------------------------------------------------
# (b) Inclusion proofs
# --------------------------------------------------------------------------------------


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def bench_proofs(n: int, samples: int = 2000) -> dict[str, float]:
    from django.db import connection

    from fazhi.ledger import selectors, verifier
    from fazhi.ledger.models import Checkpoint, LedgerEntry

    alg = "sm3"
    cp = Checkpoint.objects.get(tree_size=n)
    root = bytes(cp.root_hash)
    rng = random.Random(n)
    indexes = [rng.randrange(n) for _ in range(samples)]
    leaves = dict(LedgerEntry.objects.filter(seq__in=indexes[:50]).values_list("seq", "leaf_hash"))
    times: list[float] = []
    verify_times: list[float] = []
    counter = _QueryCounter()
    proof_len = 0
    with connection.execute_wrapper(counter):
        for i, index in enumerate(indexes):
            t0 = time.perf_counter()
            proof = selectors.inclusion_proof(index, n)
            times.append(time.perf_counter() - t0)
            proof_len = max(proof_len, len(proof))
            if i < 50:  # the proofs are real: they verify against the signed root
                t1 = time.perf_counter()
                ok = verifier.verify_inclusion(alg, bytes(leaves[index]), index, n, proof, root)
                verify_times.append(time.perf_counter() - t1)
                assert ok, f"proof for {index} in {n} does not verify"
    times.sort()
    return {
        "median_ms": statistics.median(times) * 1e3,
        "p99_ms": times[int(len(times) * 0.99) - 1] * 1e3,
        "queries": counter.count / samples,
        "hashes": proof_len,
        "verify_ms": statistics.median(verify_times) * 1e3,
    }


# --------------------------------------------------------------------------------------
# (c) Full verification
# --------------------------------------------------------------------------------------


def _hash_only_seconds(alg: str, n: int) -> float:
    """The hashing a verification cannot avoid — every leaf and every interior node — on
    bodies already in memory: the floor that `verify_ledger` is compared with."""
    from fazhi.ledger import verifier

    bodies = [bench_entry(seq)[3].encode() for seq in range(n)]
    t0 = time.perf_counter()
    leaves = [verifier.leaf_hash(alg, b) for b in bodies]
    verifier.root_from_leaf_hashes(alg, leaves)
    return time.perf_counter() - t0


def bench_verify(n: int, alg: str, checkpoint_every: int) -> dict[str, float]:
    from fazhi.ledger.integrity import verify_ledger

    t0 = time.perf_counter()
    checkpoints = bulk_load(n, alg, checkpoint_every)
    load_s = time.perf_counter() - t0
    cpu = time.process_time()
    report = verify_ledger(check_attachments=False)
    verify_cpu_s = time.process_time() - cpu
    if not report.ok:
        raise SystemExit(f"基准日志验证失败：{report.summary()}")
    hash_s = _hash_only_seconds(alg, n)
    return {
        "load_s": load_s,
        "verify_s": report.seconds,
        "verify_cpu_s": verify_cpu_s,
        "hash_s": hash_s,
        "ratio": report.seconds / hash_s,
        "checkpoints": checkpoints,
        "nodes": report.nodes,
    }


# --------------------------------------------------------------------------------------
# (d) Backup and restore drill
# --------------------------------------------------------------------------------------


def bench_backup(db: str) -> dict[str, float]:
    """`fazhi backup` of the loaded ledger, then `fazhi restore` into an empty database
    (which re-verifies the whole ledger before it reports success)."""
    import io
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench._setup import BENCH_PG_DB, _pg_admin

    tmp = Path(os.environ["FAZHI_VAR_DIR"])
    archive = tmp / "backup" / "bench.tar"
    t0 = time.perf_counter()
    call_command("backup", "--out", str(archive), stdout=io.StringIO())
    backup_s = time.perf_counter() - t0
    saved_name, saved_dir = connection.settings_dict["NAME"], settings.FAZHI_ATTACHMENT_DIR
    target = f"{BENCH_PG_DB}_restore" if db == "postgres" else str(tmp / "restored.sqlite3")
    if db == "postgres":
        _pg_admin(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
        _pg_admin(f"CREATE DATABASE {target}")
    connection.close()
    connection.settings_dict["NAME"] = target
    settings.FAZHI_ATTACHMENT_DIR = tmp / "restored-attachments"
    try:
        t0 = time.perf_counter()
        call_command("restore", str(archive), stdout=io.StringIO())
        restore_s = time.perf_counter() - t0
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        settings.FAZHI_ATTACHMENT_DIR = saved_dir
        if db == "postgres":
            _pg_admin(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
    return {"backup_s": backup_s, "restore_s": restore_s, "size": archive.stat().st_size}


# --------------------------------------------------------------------------------------


def _line(text: str) -> None:
    print(text, flush=True)


def _verdict(ok: bool) -> str:
    return "达标" if ok else "未达标"


def _sizes(text: str) -> Iterator[int]:
    for part in text.split(","):
        if part.strip():
            yield int(part.replace("_", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger", description="日志性能基准")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", DEFAULT_SIZES))
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--only", default="append,proof,verify,backup")
    parser.add_argument("--append-seconds", type=float, default=5.0)
    parser.add_argument("--checkpoint-every", type=int, default=10_000)
    args = parser.parse_args(argv)
    sizes = sorted(set(_sizes(args.sizes)))
    parts = set(args.only.split(","))

    cleanup = configure(args.db)
    try:
        _check_template()
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        _line(f"# 日志基准（{args.db}） — {_durability()}；{os.cpu_count()} 核，负载 {load}")
        if "append" in parts:
            _line("\n## (a) 持久化追加：services.record()，每条记录一个事务")
            for interval in (60, 1):
                r = bench_append(args.append_seconds, interval)
                _line(
                    f"检查点间隔 {interval:>2} 秒：{r['appends']} 条 / {r['seconds']:.1f} 秒 = "
                    f"{r['rate']:,.0f} 条/秒（{r['checkpoints']} 个检查点）；"
                    f"同样内容仅做 SM3 叶子哈希 {r['hash_rate']:,.0f} 条/秒，"
                    f"比值 {r['hash_rate'] / r['rate']:.0f}×；"
                    f"目标 ≥ {TARGET_APPENDS_PER_S:,} 条/秒："
                    + _verdict(r["rate"] >= TARGET_APPENDS_PER_S)
                )
        if "proof" in parts:
            _line("\n## (b) 包含性证明生成（selectors.inclusion_proof，2000 次随机）")
            previous: dict[str, float] | None = None
            for n in sizes:
                t0 = time.perf_counter()
                bulk_load(n, "sm3", max(n, 1))
                load_s = time.perf_counter() - t0
                r = bench_proofs(n)
                growth = ""
                if previous is not None:
                    growth = f"，中位数为上一规模的 {r['median_ms'] / previous['median_ms']:.2f} 倍"
                _line(
                    f"n = {n:>9,}（装载 {load_s:.1f} 秒）：中位数 {r['median_ms']:.3f} ms，"
                    f"p99 {r['p99_ms']:.3f} ms，每次证明 {r['queries']:.1f} 次数据库读取，"
                    f"证明 ≤ {r['hashes']:.0f} 个哈希，验证 {r['verify_ms']:.3f} ms{growth}"
                )
                previous = r
            if sizes:
                ok = previous is not None and previous["median_ms"] <= TARGET_PROOF_MS
                _line(f"目标 {sizes[-1]:,} 条时 ≤ {TARGET_PROOF_MS} ms（中位数）：{_verdict(ok)}")
        if "verify" in parts and sizes:
            n = sizes[-1]
            every = args.checkpoint_every
            _line(f"\n## (c) 全量验证 verify_ledger：{n:,} 条（每 {every:,} 条一个检查点）")
            for alg in ("sha256", "sm3"):
                r = bench_verify(n, alg, every)
                ratio_ok = r["ratio"] <= TARGET_VERIFY_RATIO
                targets = f"比值目标 ≤ {TARGET_VERIFY_RATIO:.0f}×：{_verdict(ratio_ok)}"
                if alg == "sha256":
                    time_ok = r["verify_s"] <= TARGET_VERIFY_S
                    targets = f"时间目标 ≤ {TARGET_VERIFY_S:.0f} 秒：{_verdict(time_ok)}；{targets}"
                _line(
                    f"{alg:>6}：验证 {r['verify_s']:.2f} 秒（CPU {r['verify_cpu_s']:.2f} 秒；"
                    f"{r['nodes']:,} 个节点、{r['checkpoints']} 个检查点）；"
                    f"仅哈希同样字节 {r['hash_s']:.2f} 秒；比值 {r['ratio']:.1f}×；{targets}"
                    f"（装载 {r['load_s']:.1f} 秒）"
                )
        if "backup" in parts and sizes:
            n = sizes[-1]
            if "verify" not in parts:
                bulk_load(n, "sm3", args.checkpoint_every)
            r = bench_backup(args.db)
            _line(f"\n## (d) 备份与恢复演练（{n:,} 条 SM3 日志）")
            _line(
                f"fazhi backup：{r['backup_s']:.1f} 秒，备份文件 {r['size'] / 2**20:.0f} MiB；"
                f"fazhi restore（含哈希核对与全量验证）：{r['restore_s']:.1f} 秒；"
                f"目标 备份 ≤ 120 秒：{_verdict(r['backup_s'] <= 120)}，"
                f"恢复 ≤ 300 秒：{_verdict(r['restore_s'] <= 300)}"
            )
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
