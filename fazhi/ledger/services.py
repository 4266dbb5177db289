"""Writes to the ledger. Every domain service calls `record()` exactly once, inside its
own transaction, so the event and the change it describes commit (or vanish) together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import logging
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

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
from fazhi.ledger.models import NODE_LEVEL_SHIFT
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


def _placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


class _CursorNodeStore:
    """The Merkle node store on the append path, in raw SQL on the caller's cursor.

    Why not the ORM: an append is a handful of tiny statements, and compiling ORM queries
    costs several times more than running them (PERF-SECURITY G5, ≥ 1,000 durable
    appends/s on SQLite).
    """

    def __init__(self, cursor: CursorWrapper) -> None:
        self.cursor = cursor

    def get_nodes(
        self, keys: Collection[tuple[int, int]]
    ) -> Mapping[tuple[int, int], bytes]:
        leaves = [index for level, index in keys if level == 0]
        interior = [node_key(level, index) for level, index in keys if level > 0]
        found: dict[tuple[int, int], bytes] = {}
        if leaves:
            self.cursor.execute(
                f"SELECT seq, leaf_hash FROM {_table(LedgerEntry)} "  # noqa: S608
                f"WHERE seq IN ({_placeholders(len(leaves))})",
                leaves,
            )
            for seq, leaf in self.cursor.fetchall():
                found[(0, int(seq))] = bytes(leaf)
        if interior:
            self.cursor.execute(
                f"SELECT key, hash FROM {_table(LedgerNode)} "  # noqa: S608
                f"WHERE key IN ({_placeholders(len(interior))})",
                interior,
            )
            mask = (1 << NODE_LEVEL_SHIFT) - 1
            for key, digest in self.cursor.fetchall():
                found[(int(key) >> NODE_LEVEL_SHIFT, int(key) & mask)] = bytes(digest)
        return found


def _locked_tree_size(cursor: CursorWrapper) -> int:
    """Lock the head row (serializing appends) and return the current tree size."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT tree_size, hash_alg FROM {_table(LedgerHead)} WHERE id = 1{lock}"  # noqa: S608
    cursor.execute(sql)
    row = cursor.fetchone()
    if row is None:
        _locked_head()  # first append ever: create the head row (rare path, ORM)
        cursor.execute(sql)
        row = cursor.fetchone()
    size, alg = int(row[0]), str(row[1])
    if alg != hash_alg():
        # The algorithm is fixed per installation: changing it would orphan every proof.
        raise LedgerError(f"日志哈希算法为 {alg}，与配置 {hash_alg()} 不一致，拒绝写入")
    return size


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
        seq = _locked_tree_size(cursor)
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
            [seq, stream, kind, label, connection.ops.adapt_datetimefield_value(moment), body, leaf],
        )
        completed = merkle.nodes_completed_by_append(seq, leaf, _CursorNodeStore(cursor), alg)
        if completed:
            cursor.executemany(
                f"INSERT INTO {_table(LedgerNode)} (key, hash) VALUES (%s, %s)",  # noqa: S608
                [(node_key(level, index), h) for level, index, h in completed],
            )
        cursor.execute(
            f"UPDATE {_table(LedgerHead)} SET tree_size = %s WHERE id = 1",  # noqa: S608
            [seq + 1],
        )
    transaction.on_commit(_checkpoint_if_due)
    entry = LedgerEntry(
        seq=seq, stream=stream, kind=kind, actor=label, at=moment, body=body, leaf_hash=leaf
    )
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def _latest_checkpoint_time() -> dt.datetime | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT created_at FROM {_table(Checkpoint)} ORDER BY tree_size DESC LIMIT 1"  # noqa: S608
        )
        row = cursor.fetchone()
    if row is None:
        return None
    value = row[0]
    if isinstance(value, str):  # SQLite returns the stored text (naive UTC)
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _checkpoint_if_due() -> None:
    """Runs after a ledger append commits: sign a checkpoint when the latest is too old.

    Never raises: the domain change is already committed, and a missed checkpoint is made
    good by the next commit or by `fazhi ledger checkpoint` from cron.
    """
    try:
        interval = int(settings.FAZHI_LEDGER_CHECKPOINT_SECONDS)
        if interval < 0:
            return  # disabled: checkpoints only from cron
        if interval > 0:
            latest = _latest_checkpoint_time()
            if latest is not None and timezone.now() - latest < dt.timedelta(seconds=interval):
                return
        create_checkpoint()
    except IntegrityError:
        pass  # another process signed this tree size first: a race lost quietly
    except Exception:
        logger.exception("自动创建日志检查点失败（业务数据已提交，将在下次写入或定时任务时重试）")


def tree_size() -> int:
    head = LedgerHead.objects.filter(pk=1).first()
    return head.tree_size if head else 0


@transaction.atomic
def create_checkpoint(*, signer: Signer | None = None) -> Checkpoint:
    """Sign the current tree head. Idempotent per tree size.

    A checkpoint is a statement about the log, not a domain event, so it appends no entry
    (otherwise the log could never be idle).
    """
    head = _locked_head()
    size = head.tree_size
    existing = Checkpoint.objects.filter(tree_size=size).first()
    if existing is not None:
        return existing
    alg = hash_alg()
    root = merkle.root_hash(size, DatabaseNodeStore(), alg)
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    origin = str(settings.FAZHI_LEDGER_ORIGIN)
    message = verifier.checkpoint_message(origin, size, root, alg, stamp)
    signer = signer or default_signer()
    return Checkpoint.objects.create(
        tree_size=size,
        root_hash=root,
        hash_alg=alg,
        origin=origin,
        timestamp=stamp,
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
    *, checkpoint: Checkpoint, witness: str, public_key: bytes, signature: bytes
) -> WitnessSignature:
    """Store a co-signature after checking it really signs this checkpoint."""
    if not verify_signature(public_key, checkpoint_message(checkpoint), signature):
        raise LedgerError(f"见证单位“{witness}”的签名无效，未保存")
    return WitnessSignature.objects.create(
        checkpoint=checkpoint, witness=witness, public_key=public_key, signature=signature
    )


def attachment_path(digest: str) -> Path:
    root = Path(settings.FAZHI_ATTACHMENT_DIR)
    return root / hash_alg() / digest[:2] / digest


def store_attachment(*, stream: IO[bytes], original_name: str, content_type: str) -> Attachment:
    """Store a file under its own hash. Writing the same bytes twice stores them once."""
    alg = hash_alg()
    h = hashlib.new(alg)
    chunks: list[bytes] = []
    size = 0
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        h.update(chunk)
        chunks.append(chunk)
        size += len(chunk)
    digest = h.hexdigest()
    path = attachment_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with tmp.open("wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
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
