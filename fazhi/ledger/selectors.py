"""Reads of the ledger: scoped entry lists for staff, and public proofs and receipts.

A receipt (回执) is self-contained: the entry text, its inclusion proof and a signed
checkpoint, in the bundle format of `verifier.py`, so anyone can check it offline.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from fazhi.core.permissions import require
from fazhi.ledger import merkle
from fazhi.ledger.models import Checkpoint, LedgerEntry
from fazhi.ledger.services import hash_alg
from fazhi.ledger.store import DatabaseNodeStore

if TYPE_CHECKING:
    from fazhi.core.models import User

BUNDLE_VERSION = 1


def entries_for(
    user: User, *, stream: str = "", kind: str = "", actor: str = ""
) -> QuerySet[LedgerEntry]:
    """The audit trail, for those allowed to read it (not the system administrator)."""
    require(user, "ledger.view_entries")
    qs = LedgerEntry.objects.defer("leaf_hash").order_by("-seq")
    if stream:
        qs = qs.filter(stream=stream)
    if kind:
        qs = qs.filter(kind__startswith=kind)
    if actor:
        qs = qs.filter(actor__icontains=actor)
    return qs


def streams_for(user: User) -> list[str]:
    require(user, "ledger.view_entries")
    return list(LedgerEntry.objects.order_by("stream").values_list("stream", flat=True).distinct())


def get_entry_for(user: User, seq: int) -> LedgerEntry:
    require(user, "ledger.view_entries")
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        raise Http404("日志记录不存在")
    return entry


def checkpoints() -> QuerySet[Checkpoint]:
    """Signed checkpoints are public (published on the portal and the API)."""
    return Checkpoint.objects.prefetch_related("witnesses").order_by("-tree_size")


def latest_checkpoint() -> Checkpoint | None:
    return checkpoints().first()


def get_checkpoint(tree_size: int) -> Checkpoint:
    cp = checkpoints().filter(tree_size=tree_size).first()
    if cp is None:
        raise Http404("检查点不存在")
    return cp


def checkpoint_dict(cp: Checkpoint) -> dict[str, Any]:
    return {
        "origin": cp.origin,
        "tree_size": cp.tree_size,
        "root_hash": bytes(cp.root_hash).hex(),
        "hash_alg": cp.hash_alg,
        "timestamp": cp.timestamp,
        "signature": base64.b64encode(bytes(cp.signature)).decode(),
        "public_key": base64.b64encode(bytes(cp.public_key)).decode(),
        "witnesses": [
            {
                "name": w.witness,
                "public_key": base64.b64encode(bytes(w.public_key)).decode(),
                "signature": base64.b64encode(bytes(w.signature)).decode(),
            }
            for w in cp.witnesses.all()
        ],
    }


def _signed_head(cp: Checkpoint) -> dict[str, Any]:
    head = checkpoint_dict(cp)
    head.pop("witnesses")
    return head


def covering_checkpoint(seq: int) -> Checkpoint:
    """The smallest published checkpoint that includes entry `seq`."""
    cp = checkpoints().filter(tree_size__gt=seq).order_by("tree_size").first()
    if cp is None:
        raise Http404("该记录尚未被任何检查点覆盖，请稍后再试")
    return cp


def inclusion_proof(seq: int, tree_size: int) -> list[bytes]:
    if not 0 <= seq < tree_size:
        raise Http404("记录序号超出日志规模")
    return merkle.inclusion_proof(seq, tree_size, DatabaseNodeStore(), hash_alg())


def consistency_proof(first_size: int, second_size: int) -> list[bytes]:
    if not 0 < first_size <= second_size:
        raise Http404("检查点规模不合法")
    return merkle.consistency_proof(first_size, second_size, DatabaseNodeStore(), hash_alg())


def receipt_bundle(seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """A receipt for entry `seq` against a published checkpoint (the first covering one
    unless `tree_size` names another)."""
    entry = LedgerEntry.objects.filter(seq=seq).first()
    if entry is None:
        raise Http404("日志记录不存在")
    cp = get_checkpoint(tree_size) if tree_size is not None else covering_checkpoint(seq)
    full = checkpoint_dict(cp)
    witnesses = full.pop("witnesses")
    return {
        "version": BUNDLE_VERSION,
        "hash_alg": cp.hash_alg,
        "leaf_index": seq,
        "entry": entry.body,
        "inclusion_proof": [h.hex() for h in inclusion_proof(seq, cp.tree_size)],
        "checkpoint": full,
        "witnesses": witnesses,
    }


def consistency_bundle(first_size: int, second_size: int) -> dict[str, Any]:
    first, second = get_checkpoint(first_size), get_checkpoint(second_size)
    return {
        "version": BUNDLE_VERSION,
        "hash_alg": second.hash_alg,
        "first": _signed_head(first),
        "second": _signed_head(second),
        "proof": [h.hex() for h in consistency_proof(first_size, second_size)],
    }
