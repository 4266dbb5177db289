"""Draw rows checked against their ledger entries (`fazhi ledger verify`).

A commitment edited in place, a pool file swapped, or a result rewritten after the reveal
shows here, naming the entry: the row must hash to the digest the commit entry holds, the
pool file must still be the one the commitment summarizes, and the stored result must be
the one the reveal entry's digest names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fazhi.draws import verifier
from fazhi.draws.models import Draw
from fazhi.draws.services import load_pool, result_digest
from fazhi.ledger.models import LedgerEntry


def _payload(seq: int | None) -> dict[str, object] | None:
    if seq is None:
        return None
    body = LedgerEntry.objects.filter(seq=seq).values_list("body", flat=True).first()
    return None if body is None else dict(json.loads(body)["payload"])


def check_draws() -> Iterator[tuple[int, str]]:
    for draw in Draw.objects.order_by("pk").iterator(chunk_size=200):
        committed = _payload(draw.commit_seq)
        name = f"抽取“{draw.title}”"
        if committed is None:
            yield draw.commit_seq, f"{name}的承诺记录（第 {draw.commit_seq} 条）不存在"
            continue
        if (
            committed.get("commitment_digest") != draw.commitment_digest
            or verifier.commitment_digest(draw.commitment) != draw.commitment_digest
        ):
            yield draw.commit_seq, f"{name}的承诺与日志记录不符"
            continue
        alg = str(draw.commitment["hash_alg"])
        try:
            pool = load_pool(draw.pool_file)
        except (OSError, ValueError):
            yield draw.commit_seq, f"{name}的候选名单文件缺失或损坏"
            continue
        if verifier.pool_summary(alg, pool) != draw.commitment["pool"]:
            yield draw.commit_seq, f"{name}的候选名单文件与承诺不符"
        if draw.reveal_seq is not None:
            revealed = _payload(draw.reveal_seq)
            if revealed is None or revealed.get("result_digest") != result_digest(draw):
                yield draw.reveal_seq, f"{name}的抽取结果与日志记录不符"
            elif revealed.get("randomness") != draw.randomness:
                yield draw.reveal_seq, f"{name}的随机数与日志记录不符"
