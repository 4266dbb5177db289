"""Case rows checked against the ledger entries that recorded them (`fazhi ledger verify`).

The ledger proves its entries; this proves the rows staff and the public read still say what
the entries say. A decision edited by raw SQL (a fine lowered after the fact) or a published
snapshot changed in place fails verification and names the entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fazhi.cases.models import CaseStep, Disclosure
from fazhi.ledger.models import LedgerEntry

CHUNK = 2000


def _bodies(seqs: list[int]) -> dict[int, dict[str, Any]]:
    rows = LedgerEntry.objects.filter(seq__in=seqs).values_list("seq", "body")
    return {seq: json.loads(body)["payload"] for seq, body in rows}


def _money(value: object) -> str | None:
    return None if value is None else str(Decimal(str(value)).quantize(Decimal("0.01")))


def check_decisions() -> Iterator[tuple[int, str]]:
    """Each decision's outcome, types, fine and number equal those of its decide step."""
    steps = (
        CaseStep.objects.filter(action__in=["decide", "decide_on_spot"])
        .order_by("ledger_seq")
        .values_list(
            "ledger_seq",
            "case__number",
            "case__outcome",
            "case__penalty_types",
            "case__fine",
            "case__decision_number",
            "case__decided_on",
        )
    )
    batch: list[tuple[Any, ...]] = []
    for row in steps.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _compare_decisions(batch)
            batch = []
    if batch:
        yield from _compare_decisions(batch)


def _compare_decisions(rows: list[tuple[Any, ...]]) -> Iterator[tuple[int, str]]:
    payloads = _bodies([r[0] for r in rows])
    for seq, number, outcome, types, fine, decision_number, decided_on in rows:
        payload = payloads.get(seq)
        if payload is None:
            yield seq, f"案件{number}的决定记录（第 {seq} 条）不存在"
            continue
        data = payload.get("data", {})
        recorded = {
            "处理结果": data.get("outcome", "penalty"),
            "处罚种类": list(data.get("types", [])),
            "罚款金额": _money(data.get("fine")),
            "决定书文号": data.get("decision_number", decision_number),
            "决定日期": payload.get("on"),
        }
        stored = {
            "处理结果": outcome,
            "处罚种类": list(types or []),
            "罚款金额": _money(fine),
            "决定书文号": decision_number,
            "决定日期": decided_on.isoformat() if decided_on else None,
        }
        changed = [k for k in recorded if recorded[k] != stored[k]]
        if changed:
            yield (
                seq,
                f"案件{number}的{'、'.join(changed)}与第 {seq} 条记录不符（决定在记录后被修改）",
            )


def check_disclosures() -> Iterator[tuple[int, str]]:
    """Each published snapshot equals the snapshot its disclosure entry recorded."""
    rows = Disclosure.objects.order_by("ledger_seq").values_list("ledger_seq", "snapshot")
    batch: list[tuple[int, Any]] = []
    for row in rows.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _compare_snapshots(batch)
            batch = []
    if batch:
        yield from _compare_snapshots(batch)


def _compare_snapshots(rows: list[tuple[int, Any]]) -> Iterator[tuple[int, str]]:
    payloads = _bodies([r[0] for r in rows])
    for seq, snapshot in rows:
        payload = payloads.get(seq)
        if payload is None or payload.get("snapshot") != snapshot:
            yield seq, f"公示内容与第 {seq} 条记录不符（公开后被修改）"
