"""G7: every single change to the stored record is detected (PERF-SECURITY §5).

A ledger of ~200 entries is built once through the services; each random mutation is
applied with raw SQL (or to a file on disk) inside a savepoint that is rolled back, and
`verify_ledger` must fail — naming the mutated entry wherever there is one to name.
Also: two histories that share a prefix and then diverge cannot be passed off as one
(the consistency proof between their checkpoints fails).
"""

from __future__ import annotations

import json
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.ledger import selectors, services, verifier
from fazhi.ledger.integrity import verify_ledger
from fazhi.ledger.merkle import DictNodeStore
from fazhi.ledger.models import (
    Checkpoint,
    LedgerEntry,
    LedgerHead,
    LedgerNode,
    WitnessSignature,
    node_key,
)
from fazhi.ledger.tests.test_integrity import build_ledger

MUTATIONS = (
    "body_char",
    "column",
    "leaf_hash_bit",
    "node_hash_bit",
    "checkpoint_root_bit",
    "checkpoint_signature_bit",
    "witness_signature_bit",
    "delete_row",
    "swap_rows",
    "truncate_tail",
    "attachment_byte",
)
EXAMPLES = 1100


@dataclass
class Snapshot:
    size: int
    node_keys: list[int]
    checkpoint_ids: list[int]
    witness_ids: list[int]
    files: list[tuple[Path, int]]  # evidence file, first entry that references it


@pytest.fixture
def snapshot(cast) -> Snapshot:
    build_ledger(cast, entries=180, checkpoint_every=25)
    assert verify_ledger().ok
    size = LedgerHead.objects.get().tree_size
    first_ref: dict[str, int] = {}
    for seq, body in LedgerEntry.objects.order_by("seq").values_list("seq", "body"):
        for digest in json.loads(body)["attachments"]:
            first_ref.setdefault(digest, seq)
    return Snapshot(
        size=size,
        node_keys=list(LedgerNode.objects.values_list("key", flat=True)),
        checkpoint_ids=list(Checkpoint.objects.values_list("pk", flat=True)),
        witness_ids=list(WitnessSignature.objects.values_list("pk", flat=True)),
        files=[(services.attachment_path(d), seq) for d, seq in sorted(first_ref.items())],
    )


def sql(query: str, params: list[Any]) -> None:
    with connection.cursor() as cur:
        cur.execute(query, params)


def one(query: str, params: list[Any]) -> Any:
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchone()[0]


def flip(value: bytes, byte: int, bit: int) -> bytes:
    out = bytearray(value)
    out[byte % len(out)] ^= 1 << bit
    return bytes(out)


@dataclass
class Expect:
    """What the first finding must be: its code (one of) and, if given, its seq."""

    codes: tuple[str, ...]
    seq: int | None = None


def mutate(kind: str, draw, snap: Snapshot) -> Expect:  # noqa: C901
    seq = draw(st.integers(0, snap.size - 1))
    byte, bit = draw(st.integers(0, 1 << 16)), draw(st.integers(0, 7))
    if kind == "body_char":
        body = str(one("SELECT body FROM ledger_ledgerentry WHERE seq = %s", [seq]))
        pos = draw(st.integers(0, len(body) - 1))
        old = body[pos]
        pool = string.ascii_letters + string.digits + string.punctuation + " "
        if not old.isascii():
            pool = "甲乙丙丁戊己庚辛壬癸"
        new = draw(st.sampled_from([c for c in pool if c != old]))
        sql(
            "UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s",
            [body[:pos] + new + body[pos + 1 :], seq],
        )
        return Expect(("modified", "reordered"), seq)
    if kind == "column":
        column = draw(st.sampled_from(["stream", "kind", "actor"]))
        sql(f"UPDATE ledger_ledgerentry SET {column} = %s WHERE seq = %s", ["tampered", seq])
        return Expect(("modified",), seq)
    if kind == "leaf_hash_bit":
        leaf = bytes(one("SELECT leaf_hash FROM ledger_ledgerentry WHERE seq = %s", [seq]))
        sql(
            "UPDATE ledger_ledgerentry SET leaf_hash = %s WHERE seq = %s",
            [flip(leaf, byte, bit), seq],
        )
        return Expect(("modified",), seq)
    if kind == "node_hash_bit":
        key = draw(st.sampled_from(snap.node_keys))
        digest = bytes(one("SELECT hash FROM ledger_ledgernode WHERE key = %s", [key]))
        sql("UPDATE ledger_ledgernode SET hash = %s WHERE key = %s", [flip(digest, byte, bit), key])
        level, index = key >> 48, key & ((1 << 48) - 1)
        return Expect(("node",), index << level)
    if kind in ("checkpoint_root_bit", "checkpoint_signature_bit"):
        pk = draw(st.sampled_from(snap.checkpoint_ids))
        column = "root_hash" if kind == "checkpoint_root_bit" else "signature"
        value = bytes(one(f"SELECT {column} FROM ledger_checkpoint WHERE id = %s", [pk]))
        sql(
            f"UPDATE ledger_checkpoint SET {column} = %s WHERE id = %s",
            [flip(value, byte, bit), pk],
        )
        return Expect(("checkpoint", "signature"))
    if kind == "witness_signature_bit":
        pk = draw(st.sampled_from(snap.witness_ids))
        value = bytes(one("SELECT signature FROM ledger_witnesssignature WHERE id = %s", [pk]))
        sql(
            "UPDATE ledger_witnesssignature SET signature = %s WHERE id = %s",
            [flip(value, byte, bit), pk],
        )
        return Expect(("witness",))
    if kind == "delete_row":
        sql("DELETE FROM ledger_ledgerentry WHERE seq = %s", [seq])
        return Expect(("deleted",), seq)
    if kind == "swap_rows":
        other = draw(st.integers(0, snap.size - 1).filter(lambda s: s != seq))
        low, high = min(seq, other), max(seq, other)
        sql("UPDATE ledger_ledgerentry SET seq = %s WHERE seq = %s", [-1, low])
        sql("UPDATE ledger_ledgerentry SET seq = %s WHERE seq = %s", [low, high])
        sql("UPDATE ledger_ledgerentry SET seq = %s WHERE seq = %s", [high, -1])
        return Expect(("reordered",), low)
    if kind == "truncate_tail":
        # The thorough insider: drop the last k entries AND the nodes they completed,
        # and set the head back. Only the signed checkpoint still remembers.
        k = draw(st.integers(1, 20))
        keep = snap.size - k
        sql("DELETE FROM ledger_ledgerentry WHERE seq >= %s", [keep])
        for level in range(1, 20):
            sql(
                "DELETE FROM ledger_ledgernode WHERE key >= %s AND key < %s",
                [node_key(level, keep >> level), node_key(level + 1, 0)],
            )
        sql("UPDATE ledger_ledgerhead SET tree_size = %s WHERE id = 1", [keep])
        return Expect(("truncated",), keep)
    assert kind == "attachment_byte"
    path, first_ref = draw(st.sampled_from(snap.files))
    data = path.read_bytes()
    path.write_bytes(flip(data, byte, bit))
    return Expect(("attachment",), first_ref)


def test_every_random_mutation_of_the_stored_record_is_detected(snapshot):
    counts: Counter[str] = Counter()
    originals = {path: path.read_bytes() for path, _ in snapshot.files}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(kind=st.sampled_from(MUTATIONS), data=st.data())
    def check(kind: str, data: st.DataObject) -> None:
        savepoint = transaction.savepoint()
        try:
            expect = mutate(kind, data.draw, snapshot)
            report = verify_ledger()
        finally:
            transaction.savepoint_rollback(savepoint)
            for path, content in originals.items():
                path.write_bytes(content)
        assert not report.ok, f"{kind}: not detected"
        assert report.first is not None
        assert report.first.code in expect.codes, (kind, report.first)
        if expect.seq is not None:
            assert report.first.seq == expect.seq, (kind, report.first)
        counts[kind] += 1

    check()
    assert sum(counts.values()) >= 1000
    assert set(counts) == set(MUTATIONS), counts
    assert verify_ledger().ok  # every mutation was undone


# --------------------------------------------------------------------------------------
# Forked histories
# --------------------------------------------------------------------------------------


def _grow(prefix: str, n: int) -> Checkpoint:
    for i in range(n):
        with transaction.atomic():
            services.record(
                stream="cases.case",
                kind="cases.case.registered",
                actor=None,
                payload={"branch": prefix, "n": i},
            )
    return services.create_checkpoint()


def _checkpoint_json(cp_dict: dict) -> dict:
    return {k: v for k, v in cp_dict.items() if k != "witnesses"}


def test_a_forked_history_fails_the_consistency_proof(cast):
    # The shared prefix, signed.
    base = _grow("共同", 13)
    base_json = _checkpoint_json(selectors.checkpoint_dict(base))

    # History A, then — as if it had never happened — history B from the same prefix.
    fork = transaction.savepoint()
    cp_a = _grow("甲", 9)
    a_json = _checkpoint_json(selectors.checkpoint_dict(cp_a))
    a_bundle = selectors.consistency_bundle(base.tree_size, cp_a.tree_size)
    transaction.savepoint_rollback(fork)
    cp_b = _grow("乙", 9)
    b_json = _checkpoint_json(selectors.checkpoint_dict(cp_b))
    b_bundle = selectors.consistency_bundle(base.tree_size, cp_b.tree_size)

    # Each branch on its own extends the prefix …
    assert verifier.verify_consistency_bundle(a_bundle)[0]
    assert verifier.verify_consistency_bundle(b_bundle)[0]
    assert a_json["tree_size"] == b_json["tree_size"] and a_json["root_hash"] != b_json["root_hash"]

    # … but the two signed heads of the same size cannot both be the log …
    same_size = {**b_bundle, "first": a_json, "second": b_json, "proof": []}
    ok, verdict = verifier.verify_consistency_bundle(same_size)
    assert not ok and "一致性证明无效" in verdict

    # … and B's log, grown further, does not extend A's head whatever proof it serves.
    cp_b2 = _grow("乙", 5)
    proof = selectors.consistency_bundle(cp_b.tree_size, cp_b2.tree_size)["proof"]
    grown = {
        **b_bundle,
        "first": a_json,
        "second": _checkpoint_json(selectors.checkpoint_dict(cp_b2)),
        "proof": proof,
    }
    ok, verdict = verifier.verify_consistency_bundle(grown)
    assert not ok and "分叉" in verdict
    assert base_json["tree_size"] < a_json["tree_size"]


def test_a_rewritten_past_fails_the_consistency_proof_from_an_old_checkpoint(cast):
    old = _grow("原始", 20)
    old_json = _checkpoint_json(selectors.checkpoint_dict(old))
    # An insider rewrites entry 25 consistently (body, leaf, every node above it) and the
    # operator signs a new head. Whoever kept the old checkpoint can tell.
    entry = LedgerEntry.objects.get(seq=25)
    assert '"n":' in entry.body
    body = entry.body.replace('"n":', '"n":1', 1)
    alg = services.hash_alg()
    leaf = verifier.leaf_hash(alg, body.encode())
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE seq = 25", [body, leaf]
        )
        cur.execute("DELETE FROM ledger_ledgernode")
        cur.execute("SELECT leaf_hash FROM ledger_ledgerentry ORDER BY seq")
        leaves = [bytes(r[0]) for r in cur.fetchall()]
    store = DictNodeStore()
    for h in leaves:
        store.append_leaf(h, alg)
    LedgerNode.objects.bulk_create(
        [LedgerNode(key=node_key(lv, i), hash=h) for (lv, i), h in store.nodes.items() if lv > 0]
    )
    new = _grow("之后", 3)
    assert verify_ledger().ok is False  # the old signed checkpoint no longer matches
    bundle = selectors.consistency_bundle(old.tree_size, new.tree_size)
    bundle["first"] = old_json
    ok, verdict = verifier.verify_consistency_bundle(bundle)
    assert not ok and "一致性证明无效" in verdict
