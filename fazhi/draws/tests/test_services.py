"""Committing and revealing draws: rows, ledger events, permissions, scope, every refusal,
re-draws that keep the old draw, and `fazhi ledger verify` catching an edited draw."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fazhi.core.errors import ConflictError
from fazhi.draws import selectors, services, verifier
from fazhi.draws.models import Draw, DrawStatus, Method, Purpose
from fazhi.draws.services import AssignmentRules, DrawRefused
from fazhi.ledger.integrity import verify_ledger
from fazhi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOURCE = "中国福利彩票双色球当日开奖号码（7 个号码，按开奖顺序）"
RANDOMNESS = "03 07 12 19 25 31 09"
EVIDENCE = "https://www.cwl.gov.cn/ 当期开奖公告"


def _pool(n=30):
    return [
        {
            "id": f"91220422MA{i:08d}",
            "stratum": "A" if i % 3 else "B",
            "township": f"T{i % 4}",
            "needs": ["食品"],
        }
        for i in range(n)
    ]


def _inspectors(m=8):
    return [
        {"id": f"22040{j:03d}", "qualifications": ["食品"], "township": f"T{j % 4}", "excluded": []}
        for j in range(m)
    ]


def _commit(cast, **kw):
    args = {
        "actor": cast.department_head,
        "organization": cast.department_a,
        "purpose": Purpose.INSPECTION,
        "title": "2024年食品经营者抽查",
        "pool": _pool(),
        "quotas": {"A": 3, "B": 2},
        "randomness_source": SOURCE,
        "randomness_due": TODAY,
        "assignment": AssignmentRules(per_task=2, substitutes=1, same_township=False),
        "inspectors": _inspectors(),
    }
    args.update(kw)
    return services.commit(**args)


def test_commit_freezes_the_pool_and_records_the_commitment(cast):
    draw = _commit(cast)
    assert draw.status == DrawStatus.COMMITTED and draw.candidate_count == 30
    assert draw.selected_count == 5
    body = draw.commitment
    assert body["strata"] == {"A": 3, "B": 2} and body["randomness_source"] == SOURCE
    assert body["assignment"]["per_task"] == 2 and body["assignment"]["same_township"] is False
    assert draw.commitment_digest == verifier.commitment_digest(body)
    pool = services.load_pool(draw.pool_file)
    assert [r["id"] for r in pool] == sorted(r["id"] for r in _pool())
    assert verifier.pool_summary(body["hash_alg"], pool) == body["pool"]
    entry = LedgerEntry.objects.get(seq=draw.commit_seq)
    assert entry.kind == "draw.committed" and entry.stream == f"draw.{cast.department_a.code}"
    payload = json.loads(entry.body)["payload"]
    assert payload["commitment_digest"] == draw.commitment_digest


def test_reveal_draws_and_the_bundle_verifies(cast):
    draw = services.reveal(
        actor=cast.legal_reviewer, draw=_commit(cast), value=RANDOMNESS, evidence=EVIDENCE
    )
    assert draw.status == DrawStatus.DRAWN and draw.result is not None
    assert [s["stratum"] for s in draw.result["selected"]] == ["A", "A", "A", "B", "B"]
    assert all(len(t["inspectors"]) == 2 for t in draw.result["tasks"])
    assert draw.reveal_seq is not None
    assert LedgerEntry.objects.get(seq=draw.reveal_seq).kind == "draw.drawn"
    bundle = json.loads(json.dumps(selectors.bundle(draw)))  # as downloaded
    assert verifier.check_bundle(bundle) == draw.result


def test_a_draw_is_revealed_once_and_a_redraw_keeps_the_old_one(cast):
    first = services.reveal(
        actor=cast.department_head, draw=_commit(cast), value=RANDOMNESS, evidence=EVIDENCE
    )
    with pytest.raises(ConflictError, match="不能再次抽取"):
        services.reveal(actor=cast.department_head, draw=first, value="1 2 3", evidence=EVIDENCE)
    with pytest.raises(DrawRefused, match="须写明理由"):
        _commit(cast, supersedes=first)
    second = _commit(cast, supersedes=first, redraw_reason="检查对象名录有误，重新抽取")
    assert second.commitment["previous"] == first.commitment_digest
    with pytest.raises(ConflictError, match="已被另一次重新抽取替代"):
        _commit(cast, supersedes=first, redraw_reason="再来一次", title="另一次")
    first.refresh_from_db()
    assert first.result is not None and first.superseded_by == second
    assert list(selectors.public_draws()) == [second, first]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "请填写抽取名称"),
        ({"randomness_source": ""}, "随机数来源"),
        ({"randomness_due": TODAY - dt.timedelta(days=1)}, "日期已过"),
        ({"pool": []}, "候选名单为空"),
        ({"pool": [*_pool(), _pool()[0]]}, "重复"),
        ({"pool": [{"id": "", "stratum": "A"}]}, "编号为空"),
        ({"quotas": {"A": 3}}, "层“B”没有设定抽取数"),
        ({"quotas": {"A": 30, "B": 2}}, "层“A”只有 20 个候选对象，少于抽取数 30"),
        ({"quotas": {"A": 0, "B": 0}}, "抽取数为 0"),
        ({"assignment": AssignmentRules(per_task=1)}, "不得少于 2 名"),
        ({"inspectors": _inspectors(1)}, "人数少于每户检查人员数"),
        ({"method": Method.RFC3797, "quotas": None, "assignment": None, "count": 40}, "RFC 3797"),
        ({"method": "coin"}, "抽取方法无效"),
    ],
)
def test_commit_refusals_say_why(cast, change, message):
    with pytest.raises(DrawRefused, match=message):
        _commit(cast, **change)
    assert not Draw.objects.exists()


def test_reveal_refusals_say_why(cast):
    draw = _commit(cast, randomness_due=TODAY + dt.timedelta(days=2))
    with pytest.raises(DrawRefused, match="尚未到来"):
        services.reveal(actor=cast.department_head, draw=draw, value=RANDOMNESS, evidence=EVIDENCE)
    draw = _commit(cast, title="另一次")
    with pytest.raises(DrawRefused, match="公开出处"):
        services.reveal(actor=cast.department_head, draw=draw, value=RANDOMNESS, evidence=" ")
    with pytest.raises(DrawRefused, match="公开的随机数"):
        services.reveal(actor=cast.department_head, draw=draw, value="", evidence=EVIDENCE)


def test_a_commitment_that_cannot_be_met_fails_with_the_reason(cast):
    inspectors = [dict(i, excluded=[r["id"] for r in _pool()]) for i in _inspectors(3)]
    inspectors += _inspectors(8)[3:4]
    draw = _commit(cast, inspectors=inspectors)
    draw = services.reveal(
        actor=cast.department_head, draw=draw, value=RANDOMNESS, evidence=EVIDENCE
    )
    assert draw.status == DrawStatus.FAILED and draw.result is None
    # Which candidate fails first depends on the seed (the commitment holds its time): the
    # message names it and what left its inspectors out — the three recused ones at least
    # (each counted once, by the first rule that excludes it).
    assert "可以参加的检查人员" in draw.failure and "回避" in draw.failure
    assert sum(int(n) for n in re.findall(r"(\d+) 名", draw.failure.split("排除")[1])) >= 3
    assert draw.reveal_seq is not None
    assert LedgerEntry.objects.get(seq=draw.reveal_seq).kind == "draw.failed"


def test_rfc3797_draw_reproduces_the_rfc(cast):
    pool = [{"id": f"P{i:02d}"} for i in range(1, 26)]
    draw = _commit(
        cast,
        method=Method.RFC3797,
        pool=pool,
        quotas=None,
        assignment=None,
        count=10,
        inspectors=(),
    )
    draw = services.reveal(
        actor=cast.department_head,
        draw=draw,
        value="9319 / 2 5 12 8 10 / 9 18 26 34 41 45",
        evidence=EVIDENCE,
    )
    assert draw.result is not None
    assert [s["position"] for s in draw.result["selected"]] == [17, 7, 2, 16, 25, 23, 8, 24, 19, 13]
    assert draw.result["selected"][0]["id"] == "P17"


def test_permissions_and_scope(cast):
    with pytest.raises(PermissionDenied):
        _commit(cast, actor=cast.officer)
    with pytest.raises(PermissionDenied):
        _commit(cast, purpose=Purpose.CASE_REVIEW)  # a department head does not review cases
    with pytest.raises(DrawRefused, match="数据范围"):
        _commit(cast, organization=cast.department_b)
    draw = _commit(cast)
    assert list(selectors.draws_for(cast.department_head)) == [draw]
    assert list(selectors.draws_for(cast.other_officer)) == []
    review = _commit(
        cast,
        actor=cast.supervisor,
        organization=cast.justice_bureau,
        purpose=Purpose.CASE_REVIEW,
        title="2024年案卷评查",
        assignment=None,
        inspectors=(),
    )
    assert list(selectors.public_draws()) == [draw]  # a review sample is not public
    assert review in selectors.draws_for(cast.supervisor)


def test_ledger_verify_catches_an_edited_draw(cast):
    draw = services.reveal(
        actor=cast.department_head, draw=_commit(cast), value=RANDOMNESS, evidence=EVIDENCE
    )
    assert verify_ledger().ok and draw.result is not None
    result = dict(draw.result)
    result["selected"] = list(reversed(result["selected"]))
    Draw.objects.filter(pk=draw.pk).update(result=result)
    report = verify_ledger()
    assert not report.ok
    assert any("抽取结果与日志记录不符" in p.message for p in report.problems)
    Draw.objects.filter(pk=draw.pk).update(result=draw.result, randomness="1 2 3")
    assert any("随机数与日志记录不符" in p.message for p in verify_ledger().problems)


def test_a_past_draw_is_recorded_at_its_own_time(cast):
    """The demo county's 2024 draws: committed and revealed at their own dates, in order."""
    committed_at = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
    draw = _commit(cast, randomness_due=dt.date(2024, 3, 5), at=committed_at)
    assert draw.commitment["committed_at"] == committed_at.isoformat(timespec="seconds")
    with pytest.raises(DrawRefused, match="尚未到来"):
        services.reveal(
            actor=cast.department_head,
            draw=draw,
            value=RANDOMNESS,
            evidence=EVIDENCE,
            at=dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC),
        )
    revealed_at = dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC)
    draw = services.reveal(
        actor=cast.department_head,
        draw=draw,
        value=RANDOMNESS,
        evidence=EVIDENCE,
        at=revealed_at,
    )
    assert draw.status == DrawStatus.DRAWN and draw.revealed_at == revealed_at
