"""Full re-verification of the ledger from its stored rows (`fazhi ledger verify`).

One pass over every LedgerEntry in seq order, read with a raw cursor in keyset-paginated
chunks (model instances would cost many times more per row, and 1,000,000 entries must
verify in seconds). For each entry the pass checks that the seq is the next one (a gap
names the deleted entries), that the body names its own row (seq, stream, kind, actor)
and hashes to the stored leaf. It keeps the Merkle tree's compact range — the roots of the
complete subtrees covering the leaves seen so far, a stack of at most log2(n) hashes — and
from it:

* compares every interior node that becomes complete with the stored LedgerNode (a batch
  per level and range query at a time, so memory stays small);
* computes the root at every checkpoint's tree size as the pass goes by it and compares it
  with the signed root; the Ed25519 signatures of the log and of every witness are checked,
  and the log's key must be this installation's.

Then the stored head, leftover nodes, checkpoints beyond the end (a truncated tail) and the
evidence files referenced by entries. Problems are named in Chinese and ordered by where
they show in the log, so the first is the earliest entry at which the stored record stops
being what was signed.

Bodies are JSON. A body inside the signed part of the log is accepted when it is
byte-for-byte the canonical encoding of its own columns at the fixed places canonical JSON
puts them, and its leaf hash matches; anything else — and every body no checkpoint covers
yet — is parsed with the json module and diagnosed field by field (`parse_all` parses all).

Hashing uses the definitions of the standalone public verifier (`verifier.py`), so the
operator's check and the citizen's check cannot drift apart.
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from fazhi.ledger import verifier
from fazhi.ledger.canonical import canonical_json
from fazhi.ledger.models import (
    NODE_LEVEL_SHIFT,
    Attachment,
    Checkpoint,
    LedgerEntry,
    LedgerHead,
    LedgerNode,
    WitnessSignature,
)
from fazhi.ledger.signing import load_private_key, raw_public_key, verify_signature

__all__ = ["Problem", "VerifyReport", "verify_ledger"]

CHUNK = 5000  # rows per keyset-paginated query: large enough to amortize the round trip
MAX_PROBLEMS = 50  # kept in the report; the total is still counted
_INDEX_MASK = (1 << NODE_LEVEL_SHIFT) - 1

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    """One finding. `seq` names the entry when the finding is about one (or starts at one)."""

    code: str  # deleted | reordered | modified | node | checkpoint | signature | witness |
    #            truncated | head | attachment
    message: str  # a full Chinese sentence, e.g. "第 17 条记录被修改（叶子哈希不符）"
    seq: int | None = None
    # Where in the log the problem shows: problems are reported in this order, so the first
    # one is the earliest position at which the stored log departs from what was signed.
    position: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "seq": self.seq, "message": self.message}


@dataclass
class VerifyReport:
    hash_alg: str
    head_size: int = 0
    entries: int = 0
    nodes: int = 0
    checkpoints: int = 0
    witness_signatures: int = 0
    attachments: int = 0
    attachment_bytes: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def summary(self) -> str:
        if self.first is None:
            return (
                f"验证通过：{self.entries} 条记录、{self.nodes} 个树节点、{self.checkpoints} 个"
                f"检查点（{self.witness_signatures} 个见证签名）、{self.attachments} 个附件均与"
                f"签名一致（{self.hash_alg}，用时 {self.seconds:.2f} 秒）"
            )
        more = self.problem_count - 1
        tail = f"（另有 {more} 处问题）" if more else ""
        return f"验证失败：{self.first.message}{tail}"

    def as_dict(self) -> dict[str, Any]:
        first = self.first
        return {
            "ok": self.ok,
            "summary": self.summary(),
            "hash_alg": self.hash_alg,
            "tree_size": self.head_size,
            "entries": self.entries,
            "nodes": self.nodes,
            "checkpoints": self.checkpoints,
            "witness_signatures": self.witness_signatures,
            "attachments": self.attachments,
            "attachment_bytes": self.attachment_bytes,
            "seconds": round(self.seconds, 3),
            "first_failure": first.as_dict() if first else None,
            "problem_count": self.problem_count,
            "problems": [p.as_dict() for p in self.problems],
            "warnings": self.warnings,
        }


class _Findings:
    """Collects problems (capped), keeping them ordered by position."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.count = 0

    def add(self, code: str, message: str, *, position: int, seq: int | None = None) -> None:
        self.count += 1
        self.items.append(Problem(code, message, seq, position))

    def ordered(self) -> list[Problem]:
        # Stable: problems found at the same position keep the order they were found in
        # (an entry's own problem before the nodes above it).
        return sorted(self.items, key=lambda p: p.position)[:MAX_PROBLEMS]


# Domain apps register checks that compare their rows with the ledger entries that recorded
# them (e.g. a decision's fine against the entry of the decision step): the ledger proves the
# entries, these checks prove the rows people read were not edited behind the services' back.
# Each yields (seq, Chinese message) per problem. Registered in the apps' ready().
RecordCheck = Callable[[], Iterable[tuple[int, str]]]
RECORD_CHECKS: list[RecordCheck] = []


def register_record_check(check: RecordCheck) -> None:
    if check not in RECORD_CHECKS:
        RECORD_CHECKS.append(check)


def _range_text(first: int, last: int) -> str:
    return f"第 {first} 条" if first == last else f"第 {first}–{last} 条"


def _table(model: type[Any]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _fetch_rows(sql: str, params: Sequence[int]) -> list[tuple[Any, ...]]:
    """Run a bulk read. On PostgreSQL the rows come in psycopg's binary format: bytea
    then arrives as bytes instead of hex text that would have to be decoded per row."""
    if connection.vendor == "postgresql":
        import psycopg  # only reachable on PostgreSQL, where it is installed

        connection.ensure_connection()
        # Django's psycopg cursors bind client-side, which cannot return binary rows.
        with psycopg.Cursor(connection.connection) as cur:
            cur.execute(sql, params, binary=True)
            return list(cur.fetchall())
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def _entry_chunks(sql: str) -> Iterator[list[tuple[Any, ...]]]:
    """Entries in seq order, CHUNK rows at a time (keyset pagination on seq).

    On PostgreSQL the next chunk is fetched by a second thread while this one hashes: the
    database server works on the other core instead of waiting for us, and psycopg's
    connections are thread-safe, so the prefetch reads in the same transaction and sees
    the same snapshot. SQLite's connection belongs to one thread; there it stays serial.
    """
    if connection.vendor != "postgresql":
        start = 0
        while rows := _fetch_rows(sql, [start, CHUNK]):
            yield rows
            start = int(rows[-1][0]) + 1
        return

    import psycopg  # only reachable on PostgreSQL, where it is installed

    connection.ensure_connection()
    raw = connection.connection
    chunks: queue.Queue[list[tuple[Any, ...]] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def produce() -> None:
        try:
            start = 0
            while not stop.is_set():
                with psycopg.Cursor(raw) as cur:
                    cur.execute(sql, [start, CHUNK], binary=True)
                    rows = list(cur.fetchall())
                if not rows:
                    break
                chunks.put(rows)
                start = int(rows[-1][0]) + 1
            chunks.put(None)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            chunks.put(exc)

    worker = threading.Thread(target=produce, name="ledger-verify-prefetch", daemon=True)
    worker.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                chunks.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


@contextmanager
def _read_snapshot() -> Iterator[None]:
    """All reads of one verification see one consistent state of the database, without
    blocking writers: appends that commit meanwhile are simply not part of this check."""
    if connection.in_atomic_block:
        yield  # the caller's transaction already gives a consistent view
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # A DEFERRED read transaction pins one WAL snapshot. Django's atomic() would BEGIN
        # IMMEDIATE (the project's transaction_mode) and hold the write lock for the whole
        # pass, stalling every service meanwhile.
        connection.ensure_connection()
        with connection.cursor() as cur:
            cur.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cur:
                cur.execute("ROLLBACK")
        return
    yield


class _NodeChecker:
    """Compares recomputed interior nodes with the stored ones, a batch per level at a time.

    Nodes of one level are completed in index order, so each level buffers its recomputed
    hashes and compares the whole run with one range query: in the normal case a single
    list comparison, in C. Only a batch that differs is examined node by node.
    """

    BATCH = 2048

    def __init__(self, findings: _Findings) -> None:
        self.findings = findings
        self.pending: list[list[bytes]] = [[] for _ in range(64)]
        self.start: list[int] = [0] * 64  # index of pending[level][0]
        self.checked = 0
        table = _table(LedgerNode)
        self.hash_sql = f"SELECT hash FROM {table} WHERE key >= %s AND key < %s ORDER BY key"  # noqa: S608
        self.pair_sql = f"SELECT key, hash FROM {table} WHERE key >= %s AND key < %s"  # noqa: S608

    def flush(self, final: bool = False) -> None:
        for level, batch in enumerate(self.pending):
            if batch and (final or len(batch) >= self.BATCH):
                self._compare(level, batch)
                self.start[level] += len(batch)
                self.pending[level] = []

    def _compare(self, level: int, batch: list[bytes]) -> None:
        first = (level << NODE_LEVEL_SHIFT) | self.start[level]
        bounds = [first, first + len(batch)]
        self.checked += len(batch)
        stored = [row[0] for row in _fetch_rows(self.hash_sql, bounds)]
        if stored == batch:  # keys are unique, so a full range means every node
            return
        by_key = {int(k): bytes(h) for k, h in _fetch_rows(self.pair_sql, bounds)}
        for offset, node in enumerate(batch):
            index = self.start[level] + offset
            stored_node = by_key.get(first + offset)
            if stored_node == node:
                continue
            lo, hi = index << level, ((index + 1) << level) - 1
            what = "缺失" if stored_node is None else "与重新计算的不符"
            self.findings.add(
                "node",
                f"覆盖{_range_text(lo, hi)}记录的树节点（第 {level} 层第 {index} 个）"
                f"{what}（记录或节点被修改）",
                seq=lo,
                position=hi,  # where a streaming check would have found it
            )


@dataclass
class _StoredCheckpoint:
    pk: int
    tree_size: int
    root_hash: bytes
    hash_alg: str
    origin: str
    timestamp: str
    signature: bytes
    public_key: bytes


def _load_checkpoints() -> list[_StoredCheckpoint]:
    columns = "id, tree_size, root_hash, hash_alg, origin, timestamp, signature, public_key"
    sql = f"SELECT {columns} FROM {_table(Checkpoint)} ORDER BY tree_size"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql)
        return [
            _StoredCheckpoint(
                int(r[0]), int(r[1]), bytes(r[2]), r[3], r[4], r[5], bytes(r[6]), bytes(r[7])
            )
            for r in cur.fetchall()
        ]


def _load_witnesses() -> dict[int, list[tuple[str, bytes, bytes]]]:
    out: dict[int, list[tuple[str, bytes, bytes]]] = {}
    sql = f"SELECT checkpoint_id, witness, public_key, signature FROM {_table(WitnessSignature)}"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql)
        for cp_id, name, key, sig in cur.fetchall():
            out.setdefault(int(cp_id), []).append((name, bytes(key), bytes(sig)))
    return out


def trusted_public_keys() -> set[bytes]:
    """Keys whose checkpoint signatures count: this installation's key (if the key file
    exists; verification never creates it) and any listed in FAZHI_LEDGER_TRUSTED_KEYS
    (base64), e.g. the key of a retired signing device."""
    keys: set[bytes] = set()
    key_file = Path(settings.FAZHI_LEDGER_KEY_FILE)
    if key_file.exists():
        keys.add(raw_public_key(load_private_key(key_file)))
    for text in getattr(settings, "FAZHI_LEDGER_TRUSTED_KEYS", ()):
        keys.add(base64.b64decode(text))
    return keys


def _check_checkpoint_signatures(
    cp: _StoredCheckpoint,
    head_alg: str,
    trusted: set[bytes],
    witnesses: Sequence[tuple[str, bytes, bytes]],
    findings: _Findings,
    report: VerifyReport,
) -> None:
    where = f"检查点（规模 {cp.tree_size}）"
    position = cp.tree_size - 1
    if cp.hash_alg != head_alg:
        findings.add(
            "checkpoint",
            f"{where}的哈希算法 {cp.hash_alg} 与日志的 {head_alg} 不一致",
            position=position,
        )
        return
    try:
        message = verifier.checkpoint_message(
            cp.origin, cp.tree_size, cp.root_hash, cp.hash_alg, cp.timestamp
        )
    except ValueError:
        findings.add("checkpoint", f"{where}的字段格式错误，无法验证签名", position=position)
        return
    if trusted and cp.public_key not in trusted:
        findings.add("signature", f"{where}的签名公钥不是本日志的公钥", position=position)
    elif not verify_signature(cp.public_key, message, cp.signature):
        findings.add("signature", f"{where}的签名无效", position=position)
    for name, key, sig in witnesses:
        report.witness_signatures += 1
        if not verify_signature(key, message, sig):
            findings.add("witness", f"{where}上见证单位“{name}”的签名无效", position=position)


def _prefixed(alg: str, prefix: bytes) -> Callable[[], Any]:
    """A factory of hash objects already fed the RFC 9162 domain-separation prefix,
    cross-checked against the public verifier's own definition before use."""
    verifier.hash_function(alg)  # fails closed if this OpenSSL lacks `alg`
    base = hashlib.new(alg)
    base.update(prefix)
    probe = base.copy()
    probe.update(b"fazhi")
    expected = (
        verifier.leaf_hash(alg, b"fazhi")
        if prefix == b"\x00"
        else verifier.node_hash(alg, b"fazhi"[:2], b"fazhi"[2:])
    )
    if probe.digest() != expected:  # pragma: no cover - would mean a broken hashlib
        raise RuntimeError("哈希实现与公开验证程序不一致")
    return base.copy


def verify_ledger(
    *,
    check_attachments: bool = True,
    parse_all: bool = False,
    progress: Progress | None = None,
) -> VerifyReport:
    """Recompute the whole ledger from stored rows and check it against the signed
    checkpoints. Never raises for a tampered ledger: the report says what is wrong.

    `parse_all` parses every body with the json module, not only those the fast canonical
    comparison cannot vouch for (slower; the verdict is the same).
    """
    started = time.perf_counter()
    with _read_snapshot():
        report = _verify(
            check_attachments=check_attachments, parse_all=parse_all, progress=progress
        )
    report.seconds = time.perf_counter() - started
    return report


def _check_entry_slowly(
    seq: int,
    stream: str,
    kind: str,
    actor: str,
    raw: bytes,
    leaf: bytes,
    stored_leaf: bytes,
    findings: _Findings,
    attachments_seen: dict[str, int],
) -> bytes:
    """Parse one body as JSON and check it field by field; name what is wrong.

    Returns the leaf hash to carry into the tree: the recomputed one if the entry is
    sound, otherwise the stored one — the entry is already named, and the stored hash is
    what the nodes and checkpoints were built from (so one edit is reported once).
    """
    problem = ""
    obj: Any = None
    body = ""
    try:
        body = bytes(raw).decode("utf-8")
        obj = json.loads(body)
    except UnicodeDecodeError:
        problem = "内容不是有效的 UTF-8 文本"
    except ValueError:
        problem = "内容不是有效的 JSON"
    if not problem:
        if type(obj) is not dict or type(obj.get("seq")) is not int:
            problem = "内容缺少序号"
        elif obj["seq"] != seq:
            findings.add(
                "reordered",
                f"第 {seq} 条记录顺序被调换（内容中的序号为 {obj['seq']}）",
                seq=seq,
                position=seq,
            )
            problem = "-"
        elif obj.get("stream") != stream:
            problem = "业务流与内容不符"
        elif obj.get("kind") != kind:
            problem = "事件类型与内容不符"
        elif obj.get("actor") != actor:
            problem = "操作人与内容不符"
        elif leaf != stored_leaf:
            problem = "叶子哈希不符"
        else:
            try:
                canonical = canonical_json(obj) == body
            except TypeError:
                canonical = False
            if not canonical:  # record() writes nothing else: someone else wrote this
                problem = "内容不是规范化 JSON"
    if not problem:
        refs = obj.get("attachments")
        if refs and type(refs) is list:
            for digest in refs:
                attachments_seen.setdefault(str(digest), seq)
        return leaf
    if problem != "-":
        findings.add("modified", f"第 {seq} 条记录被修改（{problem}）", seq=seq, position=seq)
    stored = bytes(stored_leaf)
    return stored if len(stored) == len(leaf) else leaf


class _Fragments(dict[str, bytes]):
    """Canonical-JSON fragments (UTF-8) of column values, made once per distinct value."""

    def __init__(self, template: str) -> None:
        super().__init__()
        self.template = template

    def __missing__(self, value: str) -> bytes:
        # "%" doubled: the stream's fragment is a bytes %-format for the seq.
        text = json.dumps(value, ensure_ascii=False)
        if "%d" in self.template:
            text = text.replace("%", "%%")
        fragment = self.template.replace("@", text).encode()
        self[value] = fragment
        return fragment


def _verify(  # noqa: C901
    *, check_attachments: bool, parse_all: bool, progress: Progress | None
) -> VerifyReport:
    findings = _Findings()
    head_row = LedgerHead.objects.filter(pk=1).values_list("tree_size", "hash_alg").first()
    checkpoints = _load_checkpoints()
    if head_row is not None:
        head_size, alg = int(head_row[0]), str(head_row[1])
    else:
        head_size = 0
        alg = checkpoints[-1].hash_alg if checkpoints else str(settings.FAZHI_LEDGER_HASH_ALG)
    report = VerifyReport(hash_alg=alg, head_size=head_size)
    witnesses = _load_witnesses()
    trusted = trusted_public_keys()
    if not trusted:
        report.warnings.append("本机没有日志签名密钥，检查点签名只验证了自洽（未核对公钥）")
    report.checkpoints = len(checkpoints)

    new_leaf = _prefixed(alg, b"\x00")
    new_node = _prefixed(alg, b"\x01")
    nodes = _NodeChecker(findings)
    pending = nodes.pending

    # The tree can only be checked up to the first place where rows are missing: past it
    # every position is shifted, and repeating one finding for every node would bury it.
    tree_ok = True
    stack: list[bytes] = []  # compact range: roots of the complete subtrees, largest first
    push, pop = stack.append, stack.pop

    cp_index = 0
    while cp_index < len(checkpoints) and checkpoints[cp_index].tree_size == 0:
        cp = checkpoints[cp_index]
        _check_checkpoint_signatures(cp, alg, trusted, witnesses.get(cp.pk, ()), findings, report)
        if cp.root_hash != verifier.empty_root(alg):
            findings.add("checkpoint", "检查点（规模 0）的根哈希不是空日志的根哈希", position=-1)
        cp_index += 1
    next_cp = checkpoints[cp_index].tree_size if cp_index < len(checkpoints) else -1

    attachments_seen: dict[str, int] = {}
    # Bodies before the last checkpoint are decided by exact comparison with the canonical
    # encoding of their columns, and parsed only if that fails: a body that matches both
    # its columns and the signed tree is byte for byte the canonical JSON record() wrote.
    # Bodies no signature covers yet are always parsed (`parse_all`: every body).
    covered = 0 if parse_all or not checkpoints else checkpoints[-1].tree_size
    seq_tail = _Fragments(',"seq":%d,"stream":@}')
    actor_head = _Fragments('{"actor":@,"at":')
    kind_part = _Fragments('],"kind":@,"payload":')
    # The body as UTF-8 bytes, exactly what was hashed: no decoding on fetch, no
    # re-encoding to hash.
    body_bytes = (
        "convert_to(body, 'UTF8')" if connection.vendor == "postgresql" else "CAST(body AS BLOB)"
    )
    entry_sql = (
        f"SELECT seq, stream, kind, actor, {body_bytes}, leaf_hash "  # noqa: S608
        f"FROM {_table(LedgerEntry)} WHERE seq >= %s ORDER BY seq LIMIT %s"
    )
    expected = 0  # the seq the next row must carry
    count = 0
    total_hint = max(head_size, checkpoints[-1].tree_size if checkpoints else 0)
    for rows in _entry_chunks(entry_sql):
        count += len(rows)
        for seq, stream, kind, actor, body, stored_leaf in rows:
            if seq != expected:
                findings.add(
                    "deleted",
                    f"{_range_text(expected, seq - 1)}记录被删除",
                    seq=expected,
                    position=expected,
                )
                tree_ok = False
            expected = seq + 1

            # --- the entry: JSON naming its own row, hashing to its leaf -------------
            h = new_leaf()
            h.update(body)
            leaf = h.digest()
            # Canonical JSON (sorted keys) puts the top-level fields at fixed places:
            # {"actor":…,"at":…,"attachments":[…],"kind":…,"payload":…,"seq":N,"stream":…}
            # and "],\"kind\":" cannot occur earlier (quotes inside strings are escaped).
            kind_at = body.find(b'],"kind":')
            if (
                seq < covered
                and leaf == stored_leaf
                and body.endswith(seq_tail[stream] % seq)
                and body.startswith(actor_head[actor])
                and body.startswith(kind_part[kind], kind_at)
            ):
                if not body.startswith(b'"attachments":[]', kind_at - 15):
                    # Evidence digests are hex strings: the array has no inner brackets.
                    try:
                        refs = json.loads(body[body.rfind(b"[", 0, kind_at) : kind_at + 1])
                    except ValueError:
                        refs = None
                    if type(refs) is list:
                        for digest in refs:
                            attachments_seen.setdefault(str(digest), seq)
                    else:
                        leaf = _check_entry_slowly(
                            seq,
                            stream,
                            kind,
                            actor,
                            body,
                            leaf,
                            stored_leaf,
                            findings,
                            attachments_seen,
                        )
            else:
                leaf = _check_entry_slowly(
                    seq, stream, kind, actor, body, leaf, stored_leaf, findings, attachments_seen
                )

            # --- the tree -------------------------------------------------------------
            if not tree_ok:
                continue
            push(leaf)
            if seq & 1:  # the new size is even: it closes one subtree per trailing zero
                size = seq + 1
                level = 0
                while not size & 1:
                    right = pop()
                    h = new_node()
                    h.update(pop())
                    h.update(right)
                    node = h.digest()
                    push(node)
                    size >>= 1
                    level += 1
                    pending[level].append(node)
            if expected == next_cp:
                cp = checkpoints[cp_index]
                root = stack[-1]
                for left in reversed(stack[:-1]):
                    h = new_node()
                    h.update(left)
                    h.update(root)
                    root = h.digest()
                _check_checkpoint_signatures(
                    cp, alg, trusted, witnesses.get(cp.pk, ()), findings, report
                )
                if root != cp.root_hash:
                    findings.add(
                        "checkpoint",
                        f"检查点（规模 {cp.tree_size}）的根哈希与重新计算的不符"
                        f"（前 {cp.tree_size} 条记录中有记录被修改、删除或调换）",
                        position=seq,
                    )
                cp_index += 1
                next_cp = checkpoints[cp_index].tree_size if cp_index < len(checkpoints) else -1
        nodes.flush()
        if progress is not None:
            progress(count, total_hint)
    nodes.flush(final=True)

    report.entries = count
    report.nodes = nodes.checked

    # --- the end of the log -------------------------------------------------------------
    if head_size > expected:
        findings.add(
            "deleted",
            f"{_range_text(expected, head_size - 1)}记录被删除（日志头记录的规模为 {head_size}）",
            seq=expected,
            position=expected,
        )
    elif head_size < expected:
        findings.add(
            "head",
            f"日志头记录的规模为 {head_size}，而记录已到第 {expected - 1} 条（日志头被改动）",
            seq=head_size,
            position=head_size,
        )
    # Checkpoints the pass never reached: signed sizes beyond the stored log.
    truncated = False
    for cp in checkpoints[cp_index:]:
        _check_checkpoint_signatures(cp, alg, trusted, witnesses.get(cp.pk, ()), findings, report)
        if cp.tree_size > expected and not truncated:
            truncated = True
            findings.add(
                "truncated",
                f"{_range_text(expected, cp.tree_size - 1)}记录被删除（检查点已签署规模 "
                f"{cp.tree_size}，现存记录只到第 {expected - 1} 条，日志尾部被截断）",
                seq=expected,
                position=expected,
            )
    if tree_ok:
        with connection.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {_table(LedgerNode)}")  # noqa: S608
            stored_nodes = int(cur.fetchone()[0])
        if stored_nodes > nodes.checked:
            # Nodes no entry accounts for, e.g. those of deleted tail entries (missing
            # and altered nodes were named one by one).
            findings.add(
                "node",
                f"存储的树节点有 {stored_nodes} 个，按记录应有 {nodes.checked} 个"
                "（多出的节点说明日志尾部的记录可能被删除）",
                seq=expected,
                position=expected,
            )

    if check_attachments and attachments_seen:
        _check_attachments(attachments_seen, findings, report)
    for record_check in RECORD_CHECKS:
        for seq, message in record_check():
            findings.add("record", message, seq=seq, position=seq)

    report.problems = findings.ordered()
    report.problem_count = findings.count
    return report


def _check_attachments(seen: dict[str, int], findings: _Findings, report: VerifyReport) -> None:
    """Every referenced evidence file is registered and still hashes to its name."""
    from fazhi.ledger.services import attachment_path

    digests = sorted(seen)
    rows: dict[str, tuple[str, int]] = {}
    for i in range(0, len(digests), 500):
        for digest, alg, size in Attachment.objects.filter(
            digest__in=digests[i : i + 500]
        ).values_list("digest", "hash_alg", "size"):
            rows[digest] = (alg, size)
    for digest in digests:
        seq = seen[digest]
        short = f"{digest[:16]}…"
        report.attachments += 1
        if digest not in rows:
            findings.add(
                "attachment",
                f"第 {seq} 条记录引用的附件 {short} 没有登记",
                seq=seq,
                position=seq,
            )
            continue
        alg, size = rows[digest]
        path = attachment_path(digest)
        try:
            h = hashlib.new(alg)
            n = 0
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
                    n += len(chunk)
        except FileNotFoundError:
            findings.add(
                "attachment", f"第 {seq} 条记录引用的附件 {short} 文件缺失", seq=seq, position=seq
            )
            continue
        report.attachment_bytes += n
        if h.hexdigest() != digest or n != size:
            findings.add(
                "attachment",
                f"第 {seq} 条记录引用的附件 {short} 文件内容被修改（哈希不符）",
                seq=seq,
                position=seq,
            )
