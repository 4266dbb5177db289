"""Writes to the ledger. Every domain service calls `record()` exactly once, inside its
own transaction, so the event and the change it describes commit (or vanish) together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
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
from fazhi.ledger.signing import Signer, default_signer, verify_signature
from fazhi.ledger.store import DatabaseNodeStore

if TYPE_CHECKING:
    from fazhi.core.models import User


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
        raise LedgerError(
            f"日志哈希算法为 {head.hash_alg}，与配置 {hash_alg()} 不一致，拒绝写入"
        )
    return head


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
    transaction (`@transaction.atomic` on the domain service)."""
    if not transaction.get_connection().in_atomic_block:
        raise LedgerError("日志写入必须在业务事务内进行")
    alg = hash_alg()
    head = _locked_head()
    seq = head.tree_size
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
    body = canonical_json(
        {
            "seq": seq,
            "stream": stream,
            "kind": kind,
            "actor": actor_label(actor),
            "at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "payload": payload,
            "attachments": attachment_digests,
        }
    )
    leaf = verifier.leaf_hash(alg, body.encode("utf-8"))
    entry = LedgerEntry.objects.create(
        seq=seq,
        stream=stream,
        kind=kind,
        actor=actor_label(actor),
        at=moment,
        body=body,
        leaf_hash=leaf,
    )
    completed = merkle.nodes_completed_by_append(seq, leaf, DatabaseNodeStore(), alg)
    if completed:
        LedgerNode.objects.bulk_create(
            [LedgerNode(key=node_key(level, index), hash=h) for level, index, h in completed]
        )
    head.tree_size = seq + 1
    head.save(update_fields=["tree_size"])
    return entry


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
