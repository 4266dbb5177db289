"""The late-payment surcharge on a fine (加处罚款), with its arithmetic in Chinese.

行政处罚法 第七十二条第一款第一项: 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的
数额不得超出罚款的数额。第七十三条第三款: 当事人申请行政复议或者提起行政诉讼的，加处罚款的数额在
行政复议或者行政诉讼期间不予计算。

How the days are counted (our reading; the law gives no counting rule for the surcharge):

* ``payment_due`` is the last day of the payment period (第六十七条, already moved off a rest day
  under 民事诉讼法 第八十五条 by the caller). The first overdue day is the day after it; every
  calendar day from then up to and including ``until`` (the payment date, or today while unpaid)
  is an overdue day. Rest days are not skipped: the article says 每日.
* A pause (reconsideration or lawsuit) excludes every day from its first to its last day, both
  included; an open pause (no end yet) runs to ``until``. Overlapping pauses are counted once.
  Whether the day an application is filed or a judgment is served itself counts is not settled
  by the article (UNVERIFIED); we exclude both, the reading more favourable to the party.
* The amount is days × fine × rate, capped at fine × LATE_SURCHARGE_MAX_RATIO, rounded down to
  the fen (分): never more than the law allows.

Rate and cap are read from the parameters in force on ``payment_due`` (the day the duty to pay
fell due; a later change of the rate does not reach back).

This module is pure Python: it must never import Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import NamedTuple

from fazhi.rules.deadlines import short_citation
from fazhi.rules.parameters import ParameterSet, format_date_zh

__all__ = [
    "MAX_RATIO_CODE",
    "PAUSE_CITATION",
    "RATE_CODE",
    "Pause",
    "Surcharge",
    "SurchargeError",
    "late_surcharge",
]

RATE_CODE = "LATE_SURCHARGE_DAILY_RATE"
MAX_RATIO_CODE = "LATE_SURCHARGE_MAX_RATIO"
PAUSE_CITATION = "《中华人民共和国行政处罚法》第七十三条第三款"
DEFAULT_PAUSE_LABEL = "行政复议或者行政诉讼"

_CENT = Decimal("0.01")


class SurchargeError(ValueError):
    """Invalid input; the message is in Chinese."""


class Pause(NamedTuple):
    """A period in which no surcharge accrues (第七十三条第三款): both ends included."""

    start: date
    end: date | None = None  # None: still running
    label: str = DEFAULT_PAUSE_LABEL  # 行政复议 / 行政诉讼, shown in the arithmetic


@dataclass(frozen=True, slots=True)
class Surcharge:
    """The surcharge owed on ``until`` and how it was computed."""

    fine: Decimal
    payment_due: date
    until: date
    overdue_days: int  # calendar days after payment_due up to and including until
    paused_days: int  # of those, days inside a reconsideration or lawsuit
    days: int  # overdue_days - paused_days: the days that bear the surcharge
    rate: Decimal
    cap: Decimal
    amount: Decimal
    capped: bool
    text: str
    citations: tuple[str, ...]

    @property
    def first_overdue_day(self) -> date:
        return self.payment_due + timedelta(days=1)

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def _yuan(amount: Decimal) -> str:
    """``Decimal("2400.00")`` -> ``2400元``; ``Decimal("37.5")`` -> ``37.5元``."""
    if amount == amount.to_integral_value():
        return f"{int(amount)}元"
    return f"{amount.normalize():f}元"


def _percent(rate: Decimal) -> str:
    value = (rate * 100).normalize()
    return f"{value:f}%"


def _as_pause(raw: tuple[date, date | None] | Pause) -> Pause:
    if isinstance(raw, Pause):
        return raw
    start, end = raw
    return Pause(start, end)


def _paused_days(
    pauses: Sequence[Pause], first: date, last: date
) -> tuple[int, tuple[str, ...], list[str]]:
    """Days of [first, last] inside any pause, counted once; the labels and spans that matter."""
    covered: set[date] = set()
    labels: list[str] = []
    spans: list[str] = []
    for pause in pauses:
        if pause.end is not None and pause.end < pause.start:
            raise SurchargeError(
                f"{pause.label}期间的结束日期{format_date_zh(pause.end)}早于开始日期"
                f"{format_date_zh(pause.start)}。"
            )
        end = last if pause.end is None else pause.end
        lo, hi = max(pause.start, first), min(end, last)
        if lo > hi:
            continue
        before = len(covered)
        covered.update(lo + timedelta(days=i) for i in range((hi - lo).days + 1))
        if len(covered) == before:
            continue  # wholly inside an earlier pause: says nothing new
        if pause.label not in labels:
            labels.append(pause.label)
        still = "（尚未结束）" if pause.end is None else ""
        spans.append(
            f"{pause.label}期间{format_date_zh(pause.start)}至"
            f"{format_date_zh(end) if pause.end is not None else format_date_zh(last)}{still}"
        )
    return len(covered), tuple(labels), spans


def late_surcharge(
    *,
    fine: Decimal,
    payment_due: date,
    until: date,
    pauses: Sequence[tuple[date, date | None] | Pause] = (),
    params: ParameterSet,
) -> Surcharge:
    """The surcharge on ``fine`` owed on ``until`` when the payment was due on ``payment_due``.

    ``pauses`` are reconsideration or litigation periods as ``(start, end)`` pairs or
    :class:`Pause` values (with a label for the text); ``end`` None means still running.
    """
    if not isinstance(fine, Decimal) or fine <= 0:
        raise SurchargeError(f"罚款数额必须是大于零的金额，收到{fine!r}。")
    rate_param = params.get(RATE_CODE, payment_due)
    cap_param = params.get(MAX_RATIO_CODE, payment_due)
    rate = params.decimal_value(RATE_CODE, payment_due)
    cap = (fine * params.decimal_value(MAX_RATIO_CODE, payment_due)).quantize(
        _CENT, rounding=ROUND_FLOOR
    )
    basis = short_citation(rate_param.reference)
    citations = [basis]
    if short_citation(cap_param.reference) not in citations:
        citations.append(short_citation(cap_param.reference))

    first = payment_due + timedelta(days=1)
    if until < first:
        text = (
            f"缴纳罚款期限届满日为{format_date_zh(payment_due)}，至{format_date_zh(until)}"
            f"尚未逾期，不加处罚款。"
        )
        return Surcharge(
            fine=fine,
            payment_due=payment_due,
            until=until,
            overdue_days=0,
            paused_days=0,
            days=0,
            rate=rate,
            cap=cap,
            amount=Decimal("0.00"),
            capped=False,
            text=text,
            citations=tuple(citations),
        )

    overdue_days = (until - first).days + 1
    paused, labels, spans = _paused_days([_as_pause(p) for p in pauses], first, until)
    days = overdue_days - paused
    raw = (Decimal(days) * fine * rate).quantize(_CENT, rounding=ROUND_FLOOR)
    capped = raw > cap
    amount = cap if capped else raw
    if paused:
        citations.append(PAUSE_CITATION)

    text = f"自{format_date_zh(first)}起逾期，至{format_date_zh(until)}共{overdue_days}日，"
    if paused:
        text += f"扣除{'、'.join(labels)}期间{paused}日（{PAUSE_CITATION}），"
    text += f"计{days}日 × 罚款{_yuan(fine)} × {_percent(rate)} = {_yuan(raw)}"
    rule = f"加处罚款不得超出罚款数额，{basis}"
    if capped:
        text += f"，超过上限{_yuan(cap)}，按{_yuan(cap)}计（{rule}）。"
    else:
        text += f"（{rule}）。"
    if spans:
        text += "其中" + "；".join(spans) + "。"
    return Surcharge(
        fine=fine,
        payment_due=payment_due,
        until=until,
        overdue_days=overdue_days,
        paused_days=paused,
        days=days,
        rate=rate,
        cap=cap,
        amount=amount,
        capped=capped,
        text=text,
        citations=tuple(citations),
    )
