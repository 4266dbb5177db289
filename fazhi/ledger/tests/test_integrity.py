"""`verify_ledger` and `fazhi ledger verify` on ledgers built through the services.

Tampering is done the way an insider with database access would do it: raw SQL on the
stored rows, files edited on disk. Verification must fail and name the entry.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.core import services as core_services
from fazhi.core.choices import OrgKind
from fazhi.ledger import merkle, services, verifier
from fazhi.ledger.canonical import canonical_json
from fazhi.ledger.integrity import verify_ledger
from fazhi.ledger.models import (
    Attachment,
    Checkpoint,
    LedgerEntry,
    LedgerHead,
    LedgerNode,
    WitnessSignature,
    node_key,
)
from fazhi.ledger.signing import raw_public_key

# --------------------------------------------------------------------------------------
# Building a ledger through the services (shared with test_cli, test_tamper)
# --------------------------------------------------------------------------------------


def append(i: int, *, attachments: tuple[str, ...] = ()) -> LedgerEntry:
    """One domain-like event through the ledger service, in its own transaction."""
    streams = ("cases.case", "inspections.draw", "normdocs.document", "society.mediation")
    with transaction.atomic():
        return services.record(
            stream=streams[i % len(streams)],
            kind=f"{streams[i % len(streams)]}.updated",
            actor=None,
            payload={"n": i, "title": f"第{i}号事项：某某有限公司", "amount": f"{i * 100}.00"},
            attachments=attachments,
        )


def store_file(content: bytes, name: str = "现场照片.jpg") -> Attachment:
    return services.store_attachment(
        stream=io.BytesIO(content), original_name=name, content_type="image/jpeg"
    )


def build_ledger(
    cast, *, entries: int = 40, checkpoint_every: int = 10, with_files: bool = True
) -> list[Attachment]:
    """The cast's own events, a few more domain services, `entries` further events (some
    with evidence files), a checkpoint every `checkpoint_every` appends and at the end,
    and a witness co-signature. Returns the stored attachments."""
    core_services.create_organization(
        actor=cast.system_admin,
        code="xz2",
        name="第二镇人民政府",
        kind=OrgKind.TOWNSHIP,
        parent=cast.county,
    )
    files = (
        [store_file(f"证据文件 {k}".encode() * 50, f"证据{k}.jpg") for k in range(3)]
        if with_files
        else []
    )
    for i in range(entries):
        refs = (files[i % 3].digest,) if files and i % 7 == 3 else ()
        append(i, attachments=refs)
        if (i + 1) % checkpoint_every == 0:
            services.create_checkpoint()
    cp = services.create_checkpoint()
    witness = Ed25519PrivateKey.generate()
    services.add_witness_signature(
        checkpoint=cp,
        witness="某市司法局",
        public_key=raw_public_key(witness),
        signature=witness.sign(services.checkpoint_message(cp)),
    )
    return files


def sql(query: str, params: Sequence[Any] = ()) -> None:
    with connection.cursor() as cur:
        cur.execute(query, params)


def altered(body: str) -> str:
    """The body with one digit of its timestamp changed (still valid, canonical JSON)."""
    i = body.index('Z","attachments"') - 1
    return body[:i] + str((int(body[i]) + 1) % 10) + body[i + 1 :]


def edit_body(seq: int) -> None:
    """Change one character of an entry's body, leaving every hash as it was."""
    body = LedgerEntry.objects.get(seq=seq).body
    sql("UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [altered(body), seq])


def swap_bodies(a: int, b: int) -> None:
    body_a = LedgerEntry.objects.get(seq=a).body
    body_b = LedgerEntry.objects.get(seq=b).body
    sql("UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [body_b, a])
    sql("UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", [body_a, b])


def verify_command(*args: str) -> dict:
    out = io.StringIO()
    call_command("ledger", "verify", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def failing_verify_command(*args: str) -> tuple[str, dict]:
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("ledger", "verify", "--format", "json", *args, stdout=out)
    assert excinfo.value.returncode == 1
    return str(excinfo.value), json.loads(out.getvalue())


# --------------------------------------------------------------------------------------
# `fazhi ledger verify` (call_command): passes, then fails naming the entry
# --------------------------------------------------------------------------------------


def test_verify_command_passes_on_a_ledger_built_through_services(cast):
    build_ledger(cast)
    size = LedgerHead.objects.get().tree_size
    report = verify_command()
    assert report["ok"] is True
    assert report["entries"] == size > 50
    assert report["nodes"] == LedgerNode.objects.count() == size - bin(size).count("1")
    assert report["checkpoints"] == Checkpoint.objects.count() >= 4
    assert report["witness_signatures"] == 1
    assert report["attachments"] == 3
    assert report["summary"].startswith("验证通过")


def test_verify_command_names_an_entry_whose_body_was_edited(cast):
    build_ledger(cast)
    edit_body(17)
    message, report = failing_verify_command()
    assert message == "验证失败：第 17 条记录被修改（叶子哈希不符）"
    assert report["first_failure"] == {
        "code": "modified",
        "seq": 17,
        "message": "第 17 条记录被修改（叶子哈希不符）",
    }
    assert report["problem_count"] == 1  # one edit, one finding: no cascade up the tree


def test_verify_command_names_a_deleted_entry(cast):
    build_ledger(cast)
    sql("DELETE FROM ledger_ledgerentry WHERE seq = %s", [23])
    message, report = failing_verify_command()
    assert message.startswith("验证失败：第 23 条记录被删除")
    assert report["first_failure"]["seq"] == 23
    assert report["first_failure"]["code"] == "deleted"


def test_verify_command_names_entries_whose_bodies_were_swapped(cast):
    build_ledger(cast)
    swap_bodies(30, 41)
    message, report = failing_verify_command()
    assert message.startswith("验证失败：第 30 条记录顺序被调换（内容中的序号为 41）")
    seqs = [p["seq"] for p in report["problems"]]
    assert seqs[:2] == [30, 41]


# --------------------------------------------------------------------------------------
# What else verification notices, and how it names it
# --------------------------------------------------------------------------------------


@pytest.fixture
def ledger(cast) -> list[Attachment]:
    return build_ledger(cast)


def first(report) -> tuple[str, int | None, str]:
    assert not report.ok
    assert report.first is not None
    return report.first.code, report.first.seq, report.first.message


def test_an_empty_ledger_verifies(db):
    report = verify_ledger()
    assert report.ok and report.entries == 0


def test_a_column_changed_without_the_body_is_named(ledger):
    sql("UPDATE ledger_ledgerentry SET stream = %s WHERE seq = %s", ["tampered.stream", 21])
    sql("UPDATE ledger_ledgerentry SET actor = %s WHERE seq = %s", ["user:nobody", 25])
    report = verify_ledger()
    assert first(report) == ("modified", 21, "第 21 条记录被修改（业务流与内容不符）")
    assert report.problems[1].message == "第 25 条记录被修改（操作人与内容不符）"


def test_an_edited_leaf_hash_is_named(ledger):
    sql("UPDATE ledger_ledgerentry SET leaf_hash = %s WHERE seq = %s", [b"\x00" * 32, 12])
    assert first(verify_ledger()) == ("modified", 12, "第 12 条记录被修改（叶子哈希不符）")


def test_a_consistent_rewrite_of_body_and_leaf_is_caught_by_the_tree(ledger):
    # The insider recomputes the leaf hash too: the stored node above it and every
    # signed root covering it still disagree.
    body = altered(LedgerEntry.objects.get(seq=20).body)
    leaf = verifier.leaf_hash(services.hash_alg(), body.encode())
    sql("UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE seq = %s", [body, leaf, 20])
    report = verify_ledger()
    code, seq, message = first(report)
    assert code == "node" and seq == 20
    assert message.startswith("覆盖第 20–21 条记录的树节点（第 1 层第 10 个）与重新计算的不符")
    assert any(p.code == "checkpoint" for p in report.problems)


def test_a_non_canonical_body_with_a_matching_leaf_is_named(ledger):
    entry = LedgerEntry.objects.get(seq=9)
    body = json.dumps(json.loads(entry.body), ensure_ascii=False, indent=1)
    leaf = verifier.leaf_hash(services.hash_alg(), body.encode())
    sql("UPDATE ledger_ledgerentry SET body = %s, leaf_hash = %s WHERE seq = %s", [body, leaf, 9])
    assert first(verify_ledger()) == ("modified", 9, "第 9 条记录被修改（内容不是规范化 JSON）")


def test_invalid_json_is_named(ledger):
    sql("UPDATE ledger_ledgerentry SET body = %s WHERE seq = %s", ['{"seq": 5,', 5])
    assert first(verify_ledger()) == ("modified", 5, "第 5 条记录被修改（内容不是有效的 JSON）")


def test_a_truncated_tail_is_named_from_its_first_missing_entry(ledger):
    size = LedgerHead.objects.get().tree_size
    # Remove the last five entries, the nodes they completed, and set the head back.
    sql("DELETE FROM ledger_ledgerentry WHERE seq >= %s", [size - 5])
    for level in range(1, 64):
        sql(
            "DELETE FROM ledger_ledgernode WHERE key >= %s AND key < %s",
            [node_key(level, (size - 5) >> level), node_key(level + 1, 0)],
        )
    sql("UPDATE ledger_ledgerhead SET tree_size = %s", [size - 5])
    code, seq, message = first(verify_ledger())
    assert (code, seq) == ("truncated", size - 5)
    assert message.startswith(f"第 {size - 5}–{size - 1} 条记录被删除")
    assert "日志尾部被截断" in message


def test_a_head_out_of_step_with_the_rows_is_named(ledger):
    size = LedgerHead.objects.get().tree_size
    sql("UPDATE ledger_ledgerhead SET tree_size = %s", [size + 3])
    assert first(verify_ledger()) == (
        "deleted",
        size,
        f"第 {size}–{size + 2} 条记录被删除（日志头记录的规模为 {size + 3}）",
    )
    sql("UPDATE ledger_ledgerhead SET tree_size = %s", [size - 2])
    assert first(verify_ledger())[:2] == ("head", size - 2)


def test_deleting_the_last_entry_is_named(ledger):
    size = LedgerHead.objects.get().tree_size
    sql("DELETE FROM ledger_ledgerentry WHERE seq = %s", [size - 1])
    assert first(verify_ledger())[:2] == ("deleted", size - 1)


def test_an_altered_stored_node_is_named(ledger):
    key = node_key(2, 3)  # covers entries 12–15
    sql("UPDATE ledger_ledgernode SET hash = %s WHERE key = %s", [b"\x01" * 32, key])
    code, seq, message = first(verify_ledger())
    assert (code, seq) == ("node", 12)
    assert message.startswith("覆盖第 12–15 条记录的树节点（第 2 层第 3 个）与重新计算的不符")


def test_a_deleted_stored_node_is_named(ledger):
    sql("DELETE FROM ledger_ledgernode WHERE key = %s", [node_key(1, 4)])
    code, seq, message = first(verify_ledger())
    assert (code, seq) == ("node", 8)
    assert "缺失" in message


def test_checkpoint_root_and_signature_tampering_are_named(ledger):
    cp = Checkpoint.objects.order_by("tree_size")[2]
    sql("UPDATE ledger_checkpoint SET root_hash = %s WHERE id = %s", [b"\x02" * 32, cp.pk])
    report = verify_ledger()
    # The root is part of the signed message, so both checks fail for this checkpoint.
    assert {p.code for p in report.problems} == {"checkpoint", "signature"}
    assert all(f"规模 {cp.tree_size}" in p.message for p in report.problems)


def test_a_flipped_signature_byte_is_named(ledger):
    cp = Checkpoint.objects.order_by("tree_size")[1]
    signature = bytearray(bytes(cp.signature))
    signature[10] ^= 0x40
    sql("UPDATE ledger_checkpoint SET signature = %s WHERE id = %s", [bytes(signature), cp.pk])
    assert first(verify_ledger())[2] == f"检查点（规模 {cp.tree_size}）的签名无效"


def test_a_checkpoint_re_signed_with_another_key_is_named(ledger):
    # A forger who can rewrite the rows can sign with a key of their own; the log's key
    # is pinned by the installation's key file.
    cp = Checkpoint.objects.order_by("-tree_size")[0]
    forger = Ed25519PrivateKey.generate()
    sql(
        "UPDATE ledger_checkpoint SET signature = %s, public_key = %s WHERE id = %s",
        [forger.sign(services.checkpoint_message(cp)), raw_public_key(forger), cp.pk],
    )
    assert first(verify_ledger())[2] == f"检查点（规模 {cp.tree_size}）的签名公钥不是本日志的公钥"


def test_an_invalid_witness_signature_is_named(ledger):
    w = WitnessSignature.objects.get()
    sql("UPDATE ledger_witnesssignature SET signature = %s WHERE id = %s", [b"\x00" * 64, w.pk])
    assert "见证单位“某市司法局”的签名无效" in first(verify_ledger())[2]


def test_evidence_files_are_checked_against_their_names(ledger):
    first_ref = min(
        e.seq
        for e in LedgerEntry.objects.all()
        if ledger[0].digest in json.loads(e.body)["attachments"]
    )
    path = services.attachment_path(ledger[0].digest)
    original = path.read_bytes()
    try:
        path.write_bytes(b"X" + original[1:])
        code, seq, message = first(verify_ledger())
        assert (code, seq) == ("attachment", first_ref)
        assert message.endswith("文件内容被修改（哈希不符）")
        assert verify_command("--no-attachments")["ok"] is True
        path.unlink()
        assert first(verify_ledger())[2].endswith("文件缺失")
    finally:
        path.write_bytes(original)
    Attachment.objects.filter(digest=ledger[0].digest).delete()
    assert first(verify_ledger())[2].endswith("没有登记")


def test_parsing_every_body_gives_the_same_verdict(ledger):
    assert verify_ledger(parse_all=True).ok
    edit_body(33)
    fast, full = verify_ledger(), verify_ledger(parse_all=True)
    assert first(fast) == first(full) == ("modified", 33, "第 33 条记录被修改（叶子哈希不符）")


def test_entries_after_the_last_checkpoint_are_checked_too(ledger):
    for i in range(3):
        append(100 + i)
    size = LedgerHead.objects.get().tree_size
    sql("UPDATE ledger_ledgerentry SET kind = %s WHERE seq = %s", ["x", size - 2])
    assert first(verify_ledger())[1] == size - 2


# --------------------------------------------------------------------------------------
# The append path (raw SQL) writes what the ORM and the pure Merkle code expect
# --------------------------------------------------------------------------------------


def test_record_writes_the_entry_and_nodes_the_merkle_model_expects(db):
    store = merkle.DictNodeStore()
    alg = services.hash_alg()
    for i in range(37):
        entry = append(i)
        stored = LedgerEntry.objects.get(seq=entry.seq)
        assert (stored.body, bytes(stored.leaf_hash), stored.at) == (
            entry.body,
            entry.leaf_hash,
            entry.at,
        )
        assert stored.body == canonical_json(json.loads(entry.body))
        store.append_leaf(bytes(stored.leaf_hash), alg)
    interior = {k: v for k, v in store.nodes.items() if k[0] > 0}
    assert {
        (n.key >> 48, n.key & ((1 << 48) - 1)): bytes(n.hash) for n in LedgerNode.objects.all()
    } == interior
    assert LedgerHead.objects.get().tree_size == 37
    assert services.create_checkpoint().root_hash == merkle.root_hash(37, store, alg)


def test_record_refuses_another_hash_algorithm_and_changes_nothing(db, settings):
    append(0)
    settings.FAZHI_LEDGER_HASH_ALG = "sha256" if services.hash_alg() == "sm3" else "sm3"
    with pytest.raises(services.LedgerError, match="不一致"):
        append(1)
    assert LedgerHead.objects.get().tree_size == 1
    assert LedgerEntry.objects.count() == 1


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(services.LedgerError, match="业务事务"):
        services.record(stream="x", kind="x", actor=None, payload={})


# --------------------------------------------------------------------------------------
# The scheduled checkpoint after commit
# --------------------------------------------------------------------------------------


def test_every_commit_is_followed_by_a_checkpoint_when_the_interval_is_zero(
    db, settings, django_capture_on_commit_callbacks
):
    settings.FAZHI_LEDGER_CHECKPOINT_SECONDS = 0
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            append(i)
        assert Checkpoint.objects.order_by("-tree_size")[0].tree_size == i + 1
    assert verify_ledger().ok


def test_a_recent_checkpoint_is_not_repeated_within_the_interval(
    db, settings, django_capture_on_commit_callbacks
):
    settings.FAZHI_LEDGER_CHECKPOINT_SECONDS = 3600
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            append(i)
    # The first commit found no checkpoint at all; the next two were within the hour.
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [1]
    settings.FAZHI_LEDGER_CHECKPOINT_SECONDS = -1
    with django_capture_on_commit_callbacks(execute=True):
        append(9)
    assert Checkpoint.objects.count() == 1


def test_a_checkpoint_already_signed_for_the_size_is_reused(
    db, settings, django_capture_on_commit_callbacks
):
    settings.FAZHI_LEDGER_CHECKPOINT_SECONDS = 0
    append(0)
    services.create_checkpoint()  # someone else (cron) signed this size first
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        services.record(stream="x", kind="x", actor=None, payload={})
    assert len(callbacks) == 1
    assert list(Checkpoint.objects.values_list("tree_size", flat=True)) == [2, 1]


def test_the_key_file_is_never_created_by_verification(db, settings, tmp_path: Path):
    settings.FAZHI_LEDGER_KEY_FILE = tmp_path / "keys" / "absent.pem"
    report = verify_ledger()
    assert report.ok
    assert not settings.FAZHI_LEDGER_KEY_FILE.exists()
    assert report.warnings  # and it says the signatures were only checked for consistency
