"""Writes to the ledger. Every domain service calls `record()` exactly once, inside its
own transaction, so the event and the change it describes commit (or vanish) together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from fazhi.core.errors import ConflictError
from fazhi.core.permissions import require
from fazhi.ledger import merkle, verifier
from fazhi.ledger.canonical import canonical_json
from fazhi.ledger.models import (
    Attachment,
    Checkpoint,
    LedgerEntry,
    LedgerHead,
    LedgerNode,
    WitnessSignature,
    node_key,
)
from fazhi.ledger.signing import Signer, default_signer, verify_signature
from fazhi.ledger.store import DatabaseNodeStore

if TYPE_CHECKING:
    from fazhi.core.models import User


logger = logging.getLogger(__name__)


class LedgerError(Exception):
    """A ledger operation refused, with a Chinese message for the user."""


def hash_alg() -> str:
    return str(settings.FAZHI_LEDGER_HASH_ALG)


def actor_label(actor: User | None) -> str:
    if actor is None:
        return "system"
    return f"user:{actor.username}"


def _locked_head() -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                LedgerHead.objects.create(pk=1, tree_size=0, hash_alg=hash_alg())
        except IntegrityError:
            pass  # created by a concurrent writer; the lock below serializes us behind it
        head = LedgerHead.objects.select_for_update().get(pk=1)
    if head.hash_alg != hash_alg():
        # The algorithm is fixed per installation: changing it would orphan every proof.
        raise LedgerError(f"日志哈希算法为 {head.hash_alg}，与配置 {hash_alg()} 不一致，拒绝写入")
    return head


def _table(model: type[models.Model]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _update_returns_rows() -> bool:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version_info >= (3, 35)  # UPDATE … RETURNING
    return connection.vendor == "postgresql"


def _next_seq(cursor: CursorWrapper, alg: str) -> tuple[int, object]:
    """Claim the next seq: lock the head row (serializing appends) and advance it.

    Returns (seq, when the latest checkpoint was created). One statement where the
    database allows it (UPDATE … RETURNING): row lock, read, write and the checkpoint
    cadence in a single round trip. The algorithm check is in the WHERE clause, so a
    refused append changes nothing.
    """
    head = _table(LedgerHead)
    latest_checkpoint = (
        f"SELECT created_at FROM {_table(Checkpoint)} ORDER BY tree_size DESC LIMIT 1"  # noqa: S608
    )
    if _update_returns_rows():
        sql = (
            f"UPDATE {head} SET tree_size = tree_size + 1 "  # noqa: S608
            f"WHERE id = 1 AND hash_alg = %s RETURNING tree_size, ({latest_checkpoint})"
        )
        cursor.execute(sql, [alg])
        row = cursor.fetchone()
        if row is None:
            _locked_head()  # creates the head on the first append ever, or refuses
            cursor.execute(sql, [alg])
            row = cursor.fetchone()
        return int(row[0]) - 1, row[1]
    _locked_head()
    cursor.execute(f"SELECT tree_size FROM {head} WHERE id = 1")  # noqa: S608
    seq = int(cursor.fetchone()[0])
    cursor.execute(f"UPDATE {head} SET tree_size = %s WHERE id = 1", [seq + 1])  # noqa: S608
    cursor.execute(latest_checkpoint)
    row = cursor.fetchone()
    return seq, row[0] if row else None


def record(
    *,
    stream: str,
    kind: str,
    actor: User | None,
    payload: Mapping[str, object],
    attachments: Iterable[str] = (),
    at: dt.datetime | None = None,
) -> LedgerEntry:
    """Append one event and the Merkle nodes it completes. Must run inside the caller's
    transaction (`@transaction.atomic` on the domain service).

    After that transaction commits, a signed checkpoint follows if the latest one is older
    than FAZHI_LEDGER_CHECKPOINT_SECONDS (0: after every commit).

    Raw SQL, three or four statements: every domain write pays for this, and compiling
    ORM queries costs more than running them (PERF-SECURITY G5: ≥ 1,000 durable
    appends/s on SQLite; `python -m bench.ledger`).
    """
    if not connection.in_atomic_block:
        raise LedgerError("日志写入必须在业务事务内进行")
    alg = hash_alg()
    moment = (at or timezone.now()).astimezone(dt.UTC)
    attachment_digests = sorted(set(attachments))
    if attachment_digests:
        known = set(
            Attachment.objects.filter(digest__in=attachment_digests).values_list(
                "digest", flat=True
            )
        )
        missing = [d for d in attachment_digests if d not in known]
        if missing:
            raise LedgerError(f"附件不存在：{', '.join(missing)}")
    label = actor_label(actor)
    with connection.cursor() as cursor:
        seq, latest_checkpoint = _next_seq(cursor, alg)
        body = canonical_json(
            {
                "seq": seq,
                "stream": stream,
                "kind": kind,
                "actor": label,
                "at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "payload": payload,
                "attachments": attachment_digests,
            }
        )
        leaf = verifier.leaf_hash(alg, body.encode("utf-8"))
        cursor.execute(
            f"INSERT INTO {_table(LedgerEntry)} "  # noqa: S608
            "(seq, stream, kind, actor, at, body, leaf_hash) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                seq,
                stream,
                kind,
                label,
                connection.ops.adapt_datetimefield_value(moment),
                body,
                leaf,
            ],
        )
        completed = merkle.nodes_completed_by_append(seq, leaf, DatabaseNodeStore(), alg)
        if completed:
            values = ", ".join(["(%s, %s)"] * len(completed))
            cursor.execute(
                f"INSERT INTO {_table(LedgerNode)} (key, hash) VALUES {values}",  # noqa: S608
                [v for level, index, h in completed for v in (node_key(level, index), h)],
            )
    if _checkpoint_due(latest_checkpoint):
        transaction.on_commit(_checkpoint_after_commit)
    entry = LedgerEntry(
        seq=seq, stream=stream, kind=kind, actor=label, at=moment, body=body, leaf_hash=leaf
    )
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def _as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, str):  # SQLite returns the stored text (naive UTC)
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _checkpoint_due(latest: object) -> bool:
    """Whether the latest checkpoint (created at `latest`, None if there is none) is older
    than FAZHI_LEDGER_CHECKPOINT_SECONDS (0: always; negative: never, cron only)."""
    interval = int(settings.FAZHI_LEDGER_CHECKPOINT_SECONDS)
    if interval < 0:
        return False
    created = _as_datetime(latest)
    return (
        interval == 0
        or created is None
        or timezone.now() - created >= dt.timedelta(seconds=interval)
    )


def _checkpoint_after_commit() -> None:
    """Sign a checkpoint once the append that made it due has committed.

    Looks again first: with several writers, one of them has usually just signed. Never
    raises: the domain change is already committed, and a missed checkpoint is made good
    by the next commit or by `fazhi ledger checkpoint` from cron.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT created_at FROM {_table(Checkpoint)} "  # noqa: S608
                "ORDER BY tree_size DESC LIMIT 1"
            )
            row = cursor.fetchone()
        if _checkpoint_due(row[0] if row else None):
            create_checkpoint()
    except IntegrityError:
        pass  # another process signed this tree size first: a race lost quietly
    except Exception:
        logger.exception("自动创建日志检查点失败（业务数据已提交，将在下次写入或定时任务时重试）")


def tree_size() -> int:
    head = LedgerHead.objects.filter(pk=1).first()
    return head.tree_size if head else 0


@transaction.atomic
def create_checkpoint(*, actor: User | None = None, signer: Signer | None = None) -> Checkpoint:
    """Sign the current tree head. Idempotent per tree size. `actor` None is the system
    itself (the schedule, the CLI, the demo); a person needs `ledger.create_checkpoint`.

    A checkpoint is a statement about the log, not a domain event, so it appends no entry
    (otherwise the log could never be idle).
    """
    if actor is not None:
        require(actor, "ledger.create_checkpoint")
    head = _locked_head()
    size = head.tree_size
    existing = Checkpoint.objects.filter(tree_size=size).first()
    if existing is not None:
        return existing
    alg = hash_alg()
    root = merkle.root_hash(size, DatabaseNodeStore(), alg)
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    checkpoint = signed_checkpoint(
        tree_size=size,
        root_hash=root,
        hash_alg=alg,
        timestamp=stamp,
        signer=signer or default_signer(),
    )
    checkpoint.save(force_insert=True)
    return checkpoint


def signed_checkpoint(
    *, tree_size: int, root_hash: bytes, hash_alg: str, timestamp: str, signer: Signer
) -> Checkpoint:
    """An unsaved checkpoint signed over `verifier.checkpoint_message`: the one place that
    decides what a signature covers (the service, and the benchmark's bulk loader)."""
    origin = str(settings.FAZHI_LEDGER_ORIGIN)
    message = verifier.checkpoint_message(origin, tree_size, root_hash, hash_alg, timestamp)
    return Checkpoint(
        tree_size=tree_size,
        root_hash=root_hash,
        hash_alg=hash_alg,
        origin=origin,
        timestamp=timestamp,
        signature=signer.sign(message),
        public_key=signer.public_key(),
    )


def checkpoint_message(checkpoint: Checkpoint) -> bytes:
    return verifier.checkpoint_message(
        checkpoint.origin,
        checkpoint.tree_size,
        bytes(checkpoint.root_hash),
        checkpoint.hash_alg,
        checkpoint.timestamp,
    )


@transaction.atomic
def add_witness_signature(
    *,
    checkpoint: Checkpoint,
    witness: str,
    public_key: bytes,
    signature: bytes,
    actor: User | None = None,
) -> WitnessSignature:
    """Store a co-signature after checking it really signs this checkpoint. `actor` None
    is the CLI run by the operator; a person needs `ledger.add_witness`.

    Like a checkpoint, a co-signature is a statement about the log rather than a domain
    event, so it appends no entry: it is itself signed, and `fazhi ledger verify` checks it."""
    if actor is not None:
        require(actor, "ledger.add_witness")
    checkpoint = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
    if checkpoint.witnesses.filter(witness=witness).exists():
        raise ConflictError(f"见证单位“{witness}”已为该检查点签名")
    if not verify_signature(public_key, checkpoint_message(checkpoint), signature):
        raise LedgerError(f"见证单位“{witness}”的签名无效，未保存")
    return WitnessSignature.objects.create(
        checkpoint=checkpoint, witness=witness, public_key=public_key, signature=signature
    )


def attachment_path(digest: str) -> Path:
    root = Path(settings.FAZHI_ATTACHMENT_DIR)
    return root / hash_alg() / digest[:2] / digest


def store_attachment(*, stream: IO[bytes], original_name: str, content_type: str) -> Attachment:
    """Store a file under its own hash. Writing the same bytes twice stores them once.

    The file is streamed to a temporary file beside its destination while it is hashed, so an
    hour of body-camera video never sits in memory (issue 4: large files streamed).
    """
    alg = hash_alg()
    h = hashlib.new(alg)
    size = 0
    root = Path(settings.FAZHI_ATTACHMENT_DIR) / alg
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=root, suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                h.update(chunk)
                fh.write(chunk)
                size += len(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        digest = h.hexdigest()
        path = attachment_path(digest)
        if path.exists():
            tmp.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    attachment, _ = Attachment.objects.get_or_create(
        digest=digest,
        defaults={
            "hash_alg": alg,
            "size": size,
            "content_type": content_type[:100],
            "original_name": original_name[:255],
        },
    )
    return attachment


def reserve_seq() -> int:
    """The seq the next `record()` in this transaction will get.

    Locks the ledger head (SQLite runs transactions IMMEDIATE; PostgreSQL locks the row), so no
    other writer can append before this transaction's next `record()`. A document that must
    print its own receipt (its entry's index, as a QR code) is rendered after this call and
    recorded with its hash right after.
    """
    if not connection.in_atomic_block:
        raise LedgerError("日志写入必须在业务事务内进行")
    return _locked_head().tree_size
