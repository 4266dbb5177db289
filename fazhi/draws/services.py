"""Commit and reveal a verifiable random draw (ARCHITECTURE §7). Every write is here.

The algorithm is :mod:`fazhi.draws.verifier`, the very file the public downloads: this module
only validates the inputs, freezes the pools as content-addressed files, keeps the state and
records the two ledger events (``draw.committed``, ``draw.drawn`` / ``draw.failed``).

Callers (双随机抽查 in ``fazhi.inspections``, 案卷评查 in ``fazhi.cases``) build the pools —
records ``{"id", "stratum", ...}`` — and call :func:`commit` when the plan is fixed, then
:func:`reveal` once the named public randomness exists. A draw is revealed once: a re-draw is
a new commitment that names the draw it replaces and why, and both stay visible.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.draws import verifier
from fazhi.draws.models import Draw, DrawStatus, Method, Purpose
from fazhi.ledger.services import (
    attachment_path,
    hash_alg,
    record,
    reserve_seq,
    store_attachment,
)

# Who may commit and reveal a draw, by what it is for.
PURPOSE_PERMISSION: dict[str, str] = {
    Purpose.INSPECTION: "inspections.draw",
    Purpose.CASE_REVIEW: "cases.review",
}
MIN_INSPECTORS = 2  # 行政处罚法 第四十二条: 执法人员不得少于两人


class DrawRefused(DomainError):
    """A draw that cannot be committed or revealed; the message says why, in Chinese."""


@dataclass(frozen=True)
class AssignmentRules:
    """How inspectors are assigned to each drawn candidate (fixed in the commitment)."""

    per_task: int = MIN_INSPECTORS
    substitutes: int = 2
    same_township: bool = True  # False: no inspector from the candidate's own township
    max_pairings: int | None = None  # earlier inspections of the same candidate allowed


def _check_records(records: Sequence[Mapping[str, Any]], what: str) -> None:
    for r in records:
        key = r.get("id")
        if not isinstance(key, str) or not key or "\x00" in key:
            raise DrawRefused(f"{what}中有编号为空或无效的记录")


def _freeze(records: Iterable[Mapping[str, Any]], what: str) -> list[dict[str, Any]]:
    out = [dict(r) for r in records]
    _check_records(out, what)
    try:
        return verifier.sorted_records(out)
    except verifier.DrawError as exc:
        raise DrawRefused(f"{what}：{exc}") from exc


def _store(records: list[dict[str, Any]], name: str) -> str:
    data = verifier.canonical(records)
    stored = store_attachment(
        stream=io.BytesIO(data), original_name=name, content_type="application/json"
    )
    return str(stored.digest)


def load_pool(digest: str) -> list[dict[str, Any]]:
    """A frozen pool back from its file."""
    with attachment_path(digest).open("rb") as f:
        records: list[dict[str, Any]] = json.load(f)
    return records


def _check_quotas(pool: Sequence[Mapping[str, Any]], quotas: Mapping[str, int]) -> None:
    sizes: dict[str, int] = {}
    for r in pool:
        stratum = str(r.get("stratum", ""))
        if stratum not in quotas:
            raise DrawRefused(f"对象“{r['id']}”所在的层“{stratum}”没有设定抽取数")
        sizes[stratum] = sizes.get(stratum, 0) + 1
    for stratum, quota in quotas.items():
        if not isinstance(quota, int) or quota < 0:
            raise DrawRefused(f"层“{stratum}”的抽取数应为非负整数")
        if quota > sizes.get(stratum, 0):
            raise DrawRefused(
                f"层“{stratum}”只有 {sizes.get(stratum, 0)} 个候选对象，少于抽取数 {quota}"
            )
    if not any(quotas.values()):
        raise DrawRefused("抽取数为 0")


def _check_rules(rules: AssignmentRules, pool: Sequence[Mapping[str, Any]]) -> None:
    if rules.per_task < MIN_INSPECTORS:
        raise DrawRefused(f"每户检查人员不得少于 {MIN_INSPECTORS} 名（行政处罚法第四十二条）")
    if rules.substitutes < 0 or (rules.max_pairings is not None and rules.max_pairings < 1):
        raise DrawRefused("替补人数或同一对象的检查次数上限无效")
    widest = max((len(set(r.get("needs") or [])) for r in pool), default=0)
    if widest > rules.per_task:
        raise DrawRefused(
            f"有对象需要 {widest} 类检查资格，多于每户检查人员数 {rules.per_task}，请增加人数"
        )


@transaction.atomic
def commit(
    *,
    actor: User,
    organization: Organization,
    purpose: str,
    title: str,
    pool: Iterable[Mapping[str, Any]],
    randomness_source: str,
    randomness_due: dt.date,
    quotas: Mapping[str, int] | None = None,
    count: int | None = None,
    method: str = Method.RANKED,
    assignment: AssignmentRules | None = None,
    inspectors: Iterable[Mapping[str, Any]] = (),
    supersedes: Draw | None = None,
    redraw_reason: str = "",
    at: dt.datetime | None = None,
) -> Draw:
    """Freeze the pool and the rules and publish the commitment, before the randomness exists.

    ``quotas`` (method ``ranked``): stratum → number to draw. ``count`` (method ``rfc3797``):
    number to draw from the whole pool. ``assignment`` with ``inspectors`` adds inspector
    assignment (ranked only). A re-draw passes ``supersedes`` and ``redraw_reason``.
    ``at`` records a past commitment at its own time (the demo county's 2024); pages and the
    API never pass it, so a user's commitment is always made now.
    """
    if purpose not in PURPOSE_PERMISSION:
        raise DrawRefused("抽取用途无效")
    require(actor, PURPOSE_PERMISSION[purpose])
    if not visible_organizations(actor).filter(pk=organization.pk).exists():
        raise DrawRefused("不能以数据范围以外的单位名义抽取")
    title, randomness_source = title.strip(), randomness_source.strip()
    if not title:
        raise DrawRefused("请填写抽取名称")
    if not randomness_source:
        raise DrawRefused("请写明将来公开的随机数来源（例如某日某期彩票开奖号码）")
    now = at or timezone.now()
    if randomness_due < timezone.localdate(now):
        raise DrawRefused("随机数来源的日期已过：承诺必须在随机数产生之前作出")
    if supersedes is not None:
        supersedes = Draw.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.organization_id != organization.pk or supersedes.purpose != purpose:
            raise DrawRefused("重新抽取只能替代本单位同一用途的抽取")
        if Draw.objects.filter(supersedes=supersedes).exists():
            raise ConflictError("该抽取已被另一次重新抽取替代")
        if not redraw_reason.strip():
            raise DrawRefused("重新抽取须写明理由，原抽取仍然公开")
    frozen = _freeze(pool, "候选名单")
    if not frozen:
        raise DrawRefused("候选名单为空")
    alg = hash_alg()
    body: dict[str, Any] = {
        "format": verifier.FORMAT,
        "hash_alg": alg,
        "method": method,
        "purpose": purpose,
        "title": title,
        "organization": organization.name,
        "committed_at": now.isoformat(timespec="seconds"),
        "randomness_source": randomness_source,
        "randomness_due": randomness_due.isoformat(),
        "pool": verifier.pool_summary(alg, frozen),
        "previous": supersedes.commitment_digest if supersedes else None,
    }
    frozen_inspectors: list[dict[str, Any]] = []
    if method == Method.RANKED:
        if not quotas:
            raise DrawRefused("请设定各层的抽取数")
        _check_quotas(frozen, quotas)
        body["strata"] = dict(quotas)
        selected = sum(quotas.values())
        if assignment is not None:
            _check_rules(assignment, frozen)
            frozen_inspectors = _freeze(inspectors, "检查人员名单")
            if len(frozen_inspectors) < assignment.per_task:
                raise DrawRefused("检查人员名单的人数少于每户检查人员数")
            body["assignment"] = {
                **asdict(assignment),
                "pool": verifier.pool_summary(alg, frozen_inspectors),
            }
    elif method == Method.RFC3797:
        if assignment is not None or quotas:
            raise DrawRefused("RFC 3797 方法只用于不分层、不分派人员的简单抽取")
        if count is None or not 0 < count <= len(frozen) or len(frozen) > 65535:
            raise DrawRefused("RFC 3797 方法要求 1 ≤ 抽取数 ≤ 候选数 ≤ 65535")
        body["count"] = count
        selected = count
    else:
        raise DrawRefused("抽取方法无效")
    digest = verifier.commitment_digest(body)
    if Draw.objects.filter(commitment_digest=digest).exists():
        raise ConflictError("同样的承诺已经作出")
    pool_file = _store(frozen, "pool.json")
    inspector_file = _store(frozen_inspectors, "inspectors.json") if frozen_inspectors else ""
    draw = Draw.objects.create(
        organization=organization,
        purpose=purpose,
        title=title,
        method=method,
        commitment=body,
        commitment_digest=digest,
        randomness_source=randomness_source,
        randomness_due=randomness_due,
        pool_file=pool_file,
        inspector_file=inspector_file,
        candidate_count=len(frozen),
        selected_count=selected,
        supersedes=supersedes,
        redraw_reason=redraw_reason.strip(),
        created_by=actor,
        commit_seq=reserve_seq(),
    )
    record(
        stream=draw.stream,
        kind="draw.committed",
        actor=actor,
        payload={
            "draw": draw.pk,
            "commitment_digest": digest,
            "commitment": body,
            "redraw_reason": draw.redraw_reason,
        },
        attachments=[d for d in (pool_file, inspector_file) if d],
        at=at,
    )
    return draw


@transaction.atomic
def reveal(
    *, actor: User, draw: Draw, value: str, evidence: str, at: dt.datetime | None = None
) -> Draw:
    """Enter the public randomness with where it was published, and draw.

    Refused before the randomness's date and after a draw was made (a draw is revealed
    once). When the commitment cannot be satisfied the draw is kept as failed, with the
    reason, and a new commitment is the way forward. ``at``: as in :func:`commit`."""
    draw = Draw.objects.select_for_update().select_related("organization").get(pk=draw.pk)
    require(actor, PURPOSE_PERMISSION[draw.purpose])
    if not visible_organizations(actor).filter(pk=draw.organization_id).exists():
        raise DrawRefused("该抽取不在您的数据范围内")
    if draw.status != DrawStatus.COMMITTED:
        raise ConflictError("该抽取已经公布随机数，不能再次抽取；如需重新抽取，请作出新的承诺")
    value, evidence = value.strip(), evidence.strip()
    if not value:
        raise DrawRefused("请填写公开的随机数")
    if not evidence:
        raise DrawRefused("请写明随机数的公开出处（网址或公告）")
    now = at or timezone.now()
    if timezone.localdate(now) < draw.randomness_due:
        raise DrawRefused(f"随机数来源的日期（{draw.randomness_due:%Y年%m月%d日}）尚未到来")
    if draw.method == Method.RFC3797:
        try:
            verifier.rfc3797_key(value)
        except verifier.BundleError as exc:
            raise DrawRefused(str(exc)) from exc
    pool = load_pool(draw.pool_file)
    inspectors = load_pool(draw.inspector_file) if draw.inspector_file else []
    draw.randomness, draw.randomness_evidence = value, evidence
    draw.revealed_at, draw.revealed_by = now, actor
    try:
        draw.result = verifier.run(draw.commitment, value, pool, inspectors)
        draw.status = DrawStatus.DRAWN
    except verifier.DrawError as exc:
        draw.result, draw.failure, draw.status = None, str(exc), DrawStatus.FAILED
    draw.reveal_seq = reserve_seq()
    draw.save()
    record(
        stream=draw.stream,
        kind="draw.drawn" if draw.status == DrawStatus.DRAWN else "draw.failed",
        actor=actor,
        payload={
            "draw": draw.pk,
            "commitment_digest": draw.commitment_digest,
            "randomness": value,
            "evidence": evidence,
            "result_digest": result_digest(draw),
            "failure": draw.failure,
        },
        at=at,
    )
    return draw


def result_digest(draw: Draw) -> str | None:
    """H(canonical result), as the reveal's ledger entry holds it."""
    if draw.result is None:
        return None
    return verifier.digest(draw.commitment["hash_alg"], verifier.canonical(draw.result)).hex()
