"""/ledger: the tamper-evident record (ARCHITECTURE §6).

Checkpoints and proofs are public and carry hashes only; entries (the content of the
record) need `ledger.view_entries`. Everything here is shaped so the standalone
`fazhi/ledger/verifier.py` can check it offline.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field, field_validator

from fazhi.api.v1.errors import responses
from fazhi.api.v1.schemas import MAX_DB_INT, Page, PageQuery, paginate
from fazhi.api.v1.security import caller
from fazhi.core.permissions import require
from fazhi.ledger import selectors, verifier
from fazhi.ledger import services as ledger_services
from fazhi.ledger.models import Checkpoint, LedgerEntry

router = Router(tags=["全过程记录"])

TreeSize = Path(..., ge=0, le=MAX_DB_INT, description="检查点的日志规模")
Seq = Path(..., ge=0, le=MAX_DB_INT, description="记录序号（从 0 起算）")


class WitnessOut(Schema):
    name: str = Field(description="见证单位")
    public_key: str = Field(description="见证公钥（Ed25519，base64）")
    signature: str = Field(description="见证签名（base64）")


class CheckpointCore(Schema):
    origin: str = Field(description="日志标识")
    tree_size: int
    root_hash: str = Field(description="根哈希（十六进制）")
    hash_alg: str = Field(description="哈希算法：sm3 或 sha256")
    timestamp: str
    signature: str = Field(description="日志的 Ed25519 签名（base64）")
    public_key: str = Field(description="日志公钥（base64）")


class CheckpointOut(CheckpointCore):
    witnesses: list[WitnessOut]


class EntryOut(Schema):
    seq: int
    stream: str
    kind: str
    actor: str
    at: dt.datetime
    body: str = Field(description="规范化 JSON 原文（即被哈希的字节）")


class EntryDetailOut(EntryOut):
    leaf_hash: str = Field(description="叶子哈希（十六进制）")


class ReceiptOut(Schema):
    version: int
    hash_alg: str
    leaf_index: int
    entry: str
    inclusion_proof: list[str]
    checkpoint: CheckpointCore
    witnesses: list[WitnessOut]


class InclusionProofOut(Schema):
    hash_alg: str
    leaf_index: int
    tree_size: int
    leaf_hash: str = Field(description="该记录的叶子哈希（十六进制）")
    inclusion_proof: list[str] = Field(description="RFC 9162 §2.1.3 包含性证明（十六进制）")
    checkpoint: CheckpointCore


class ConsistencyProofOut(Schema):
    version: int
    hash_alg: str
    first: CheckpointCore
    second: CheckpointCore
    proof: list[str] = Field(description="RFC 9162 §2.1.4 一致性证明（十六进制）")


class EntryQuery(PageQuery):
    stream: str = Field("", max_length=64, description="业务流，如 core.user")
    kind: str = Field("", max_length=100, description="事件类型（前缀匹配），如 core.role")
    actor: str = Field("", max_length=150, description="操作人（模糊匹配）")


class InclusionQuery(Schema):
    seq: int = Field(ge=0, le=MAX_DB_INT, description="记录序号")
    tree_size: int = Field(ge=1, le=MAX_DB_INT, description="已发布检查点的日志规模")


class ConsistencyQuery(Schema):
    first: int = Field(ge=1, le=MAX_DB_INT, description="旧检查点规模")
    second: int = Field(ge=1, le=MAX_DB_INT, description="新检查点规模")


def _b64(value: str, size: int, what: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what}应为 base64 编码") from None
    if len(raw) != size:
        raise ValueError(f"{what}应为 {size} 字节")
    return value


class WitnessIn(Schema):
    witness: str = Field(min_length=1, max_length=100, description="见证单位名称")
    public_key: str = Field(max_length=100, description="见证公钥（Ed25519 原始 32 字节，base64）")
    signature: str = Field(max_length=200, description="对检查点正文的签名（64 字节，base64）")

    @field_validator("public_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return _b64(value, 32, "公钥")

    @field_validator("signature")
    @classmethod
    def _signature(cls, value: str) -> str:
        return _b64(value, 64, "签名")


def checkpoint_out(cp: Checkpoint) -> dict[str, Any]:
    return selectors.checkpoint_dict(cp)


def entry_out(entry: LedgerEntry, *, with_leaf: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "seq": entry.seq,
        "stream": entry.stream,
        "kind": entry.kind,
        "actor": entry.actor,
        "at": entry.at,
        "body": entry.body,
    }
    if with_leaf:
        out["leaf_hash"] = bytes(entry.leaf_hash).hex()
    return out


# --- public: checkpoints and proofs -------------------------------------------------------


@router.get(
    "/checkpoints",
    auth=None,
    response={200: Page[CheckpointOut], **responses(422)},
    summary="已签名的检查点（公开）",
)
def list_checkpoints(request: HttpRequest, q: Query[PageQuery]) -> dict[str, Any]:
    return paginate(selectors.checkpoints(), q, checkpoint_out)


@router.get(
    "/checkpoints/latest",
    auth=None,
    response={200: CheckpointOut, **responses(404)},
    summary="最新检查点（公开）",
)
def latest_checkpoint(request: HttpRequest) -> dict[str, Any]:
    cp = selectors.latest_checkpoint()
    if cp is None:
        raise Http404("尚未生成任何检查点")
    return checkpoint_out(cp)


@router.get(
    "/proofs/inclusion",
    auth=None,
    response={200: InclusionProofOut, **responses(404, 422)},
    summary="包含性证明（公开，仅哈希）",
    description="证明序号为 seq 的记录包含在规模为 tree_size 的已签名检查点中。不返回记录内容。",
)
def inclusion_proof(request: HttpRequest, q: Query[InclusionQuery]) -> dict[str, Any]:
    bundle = selectors.receipt_bundle(q.seq, q.tree_size)
    # The receipt carries the entry text; the public proof carries only its hash.
    leaf = verifier.leaf_hash(bundle["hash_alg"], bundle.pop("entry").encode("utf-8"))
    return {
        "hash_alg": bundle["hash_alg"],
        "leaf_index": q.seq,
        "tree_size": q.tree_size,
        "leaf_hash": leaf.hex(),
        "inclusion_proof": bundle["inclusion_proof"],
        "checkpoint": bundle["checkpoint"],
    }


@router.get(
    "/proofs/consistency",
    auth=None,
    response={200: ConsistencyProofOut, **responses(404, 422)},
    summary="一致性证明（公开）",
    description=(
        "证明规模为 second 的日志由规模为 first 的日志只追加而成；两者都须是已发布的检查点。"
    ),
)
def consistency_proof(request: HttpRequest, q: Query[ConsistencyQuery]) -> dict[str, Any]:
    return selectors.consistency_bundle(q.first, q.second)


# --- system administrator: signing and witnessing --------------------------------------------


@router.post(
    "/checkpoints",
    response={201: CheckpointOut, **responses(400, 401, 403)},
    summary="生成检查点（系统管理员）",
    description="对当前日志签名；同一规模只签一次，重复调用返回已有的检查点。",
)
def create_checkpoint(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    return 201, checkpoint_out(ledger_services.create_checkpoint(actor=caller(request)))


@router.post(
    "/checkpoints/{tree_size}/witnesses",
    response={201: WitnessOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="登记见证签名（系统管理员）",
    description=(
        "保存另一机关（如市司法局）对该检查点的 Ed25519 共同签名；签名先经验证，无效则拒绝。"
    ),
)
def add_witness(
    request: HttpRequest, payload: WitnessIn, tree_size: int = TreeSize
) -> tuple[int, dict[str, Any]]:
    # Permission first: a wrong role gets 403 even for a checkpoint that does not exist.
    require(caller(request), "ledger.add_witness")
    witness = ledger_services.add_witness_signature(
        actor=caller(request),
        checkpoint=selectors.get_checkpoint(tree_size),
        witness=payload.witness,
        public_key=base64.b64decode(payload.public_key),
        signature=base64.b64decode(payload.signature),
    )
    return 201, {
        "name": witness.witness,
        "public_key": payload.public_key,
        "signature": payload.signature,
    }


# --- the record itself (ledger.view_entries) -------------------------------------------------


@router.get(
    "/entries",
    response={200: Page[EntryOut], **responses(401, 403, 422)},
    summary="全过程记录列表",
)
def list_entries(request: HttpRequest, q: Query[EntryQuery]) -> dict[str, Any]:
    qs = selectors.entries_for(caller(request), stream=q.stream, kind=q.kind, actor=q.actor)
    return paginate(qs, q, entry_out)


@router.get(
    "/entries/{seq}",
    response={200: EntryDetailOut, **responses(401, 403, 404, 422)},
    summary="一条记录",
)
def get_entry(request: HttpRequest, seq: int = Seq) -> dict[str, Any]:
    return entry_out(selectors.get_entry_for(caller(request), seq), with_leaf=True)


@router.get(
    "/entries/{seq}/receipt",
    response={200: ReceiptOut, **responses(401, 403, 404, 422)},
    summary="记录回执（可离线验证）",
    description=(
        "回执包含记录原文、包含性证明和已签名的检查点，可用 fazhi/ledger/verifier.py "
        "离线验证。默认使用第一个覆盖该记录的检查点，也可用 tree_size 指定。"
    ),
)
def get_receipt(
    request: HttpRequest,
    seq: int = Seq,
    tree_size: int | None = Query(None, ge=1, le=MAX_DB_INT),  # noqa: B008
) -> dict[str, Any]:
    require(caller(request), "ledger.view_entries")
    return selectors.receipt_bundle(seq, tree_size)
