"""Lenient treatment (不予 / 减轻 / 从轻 / 一般 / 从重) and procedure of a penalty case.

:func:`evaluate` takes the facts of one case, the statutory fine of the enforcement item, the
lenient-enforcement list entries (四张清单, 首违不罚) and the discretion benchmark (裁量基准),
and returns a :class:`Decision` that explains itself: every rule considered is in ``trace``
with the article, the facts it looked at and the dated parameters it used, and ``paragraph`` is
the reasoning sentence for the decision document.

Precedence (LEGAL-RULES §1.2, §1.3, §10, §11)
---------------------------------------------

1. **Limitation** (AP-36, 行政处罚法 第三十六条): not discovered within 2 years, or 5 years when the
   act concerns 公民生命健康安全 or 金融安全 *and* has harmful consequences (harm above NONE). The
   period runs from the act, or from the end of a continuing act (``continuing_until``). It is a
   period of years: it ends on the corresponding day (民法典 第二百零二条) and is not moved for
   holidays, because discovery is not an act a party must perform on a working day (our reading).
   Time-barred → **不予处罚, mandatory** (“不再给予行政处罚”).
2. **Under 14** (AP-30, 第三十条) → 不予, mandatory; the guardian is ordered to discipline.
3. **No capacity** (AP-31, 第三十一条) → 不予, mandatory; the guardian must look after and treat.
4. **轻微不罚** (AP-33a, 第三十三条第一款前句) → 不予, mandatory. “违法行为轻微” is not defined
   by the law; we read it as: no harmful consequences (harm NONE) and 情节 not assessed as
   较轻/较重/严重 (``severity`` None or SLIGHT). Corrected in time is required.
5. **No subjective fault** (AP-33c, 第三十三条第二款) → 不予, mandatory (“法律、行政法规另有规定的，
   从其规定” is left to the officer and said in the trace).

   Steps 1-5 are decisive: once one applies, every later rule is recorded as not applicable, and
   no list entry or benchmark can change the outcome.

6. **首违可不罚** (AP-33b, 第三十三条第一款后句): first violation (no prior violation within
   FIRST_VIOLATION_LOOKBACK_MONTHS before the act) + harm at most MINOR + corrected in time →
   **可以不予** (discretionary), whether or not a list has the item; a matching FIRST_VIOLATION or
   NO_PENALTY list entry is cited as well.
7. **List entries** in force on the act date, for this item, whose conditions hold:
   NO_PENALTY → 不予, REDUCED → 减轻, LIGHTER → 从轻, all **mandatory**: a published list is the
   agency's own commitment (行政处罚法 第三十四条: benchmarks are published so that the public can
   rely on them), so an agency that lists an item cannot then refuse the listed treatment without
   first changing the list (国办发〔2022〕27号 五（十二）: adjusting a benchmark needs approval).
   FIRST_VIOLATION entries stay **discretionary**, because their legal basis (第三十三条 “可以”) is;
   they apply only when the statutory 首违 conditions of step 6 also hold, since a list cannot
   widen the statute. NO_COERCION entries do not change the penalty: they set
   ``Decision.no_coercion`` (优化营商环境条例 第五十九条); after a decisive 不予 they are moot.
   An entry not yet in force on the act date but in force on the decision date is not applied;
   a warning asks the legal reviewer whether 第三十七条但书 (a newer, lighter rule) calls for it.
8. **14–17 years old** (第三十条) and the five circumstances of **第三十二条** → 应当 从轻或者减轻
   (mandatory, allowed {减轻, 从轻}).
9. **Partial capacity** (第三十一条) and the discretionary circumstances of 国市监法规〔2022〕2号
   第十四条 (LE-D4) → 可以 从轻或者减轻.
10. **Repeat offence** (国市监法规〔2022〕2号 第十六条) → 可以从重, *unless* any mitigation of steps
    6–9 applies: with mixed factors the overall assessment of 第十七条 (LE-D5) is required, and we
    resolve it in favour of the party (mitigation wins), in line with 第三十二条 “应当” and with
    包容审慎监管. The trace records the aggravation as not applied and why.
11. Otherwise **一般处罚**, with the benchmark tier for ``severity``.

Combining the grounds: every applied ground allows a set of treatments and is mandatory (应当) or
discretionary (可以). ``allowed`` is the union of the sets of all grounds, limited to treatments no
harsher than the mildest ceiling of the mandatory grounds; without any mandatory ground 一般处罚
stays allowed. The recommendation ``treatment`` is the mildest allowed treatment, except that an
aggravation alone recommends 从重 (with 一般 still allowed). ``mandatory`` is True when an 应当
ground covers the recommended treatment (plain 一般处罚 counts as mandatory:
第五十七条第一款第一项).

Fine ranges (LE-D1..LE-D3, 国市监法规〔2022〕2号 第十条): 减轻 = below the statutory minimum
(0 to the minimum, the minimum itself excluded); 从轻 = the lowest LIGHT_PENALTY_BAND of the range;
从重 = the highest band; 一般 = the statutory range. The band is a market-supervision rule,
applied to every domain here and said so in the trace. A benchmark tier narrows a range and
never widens it. A milder treatment never gets a higher upper bound than a harsher one for the
same facts (a badly drafted benchmark could otherwise make 从轻 dearer than 一般).

Procedure is judged on the proposed penalty (``proposed_penalties``, ``proposed_fine``) or, when
none is proposed, on the worst case: every penalty type of the item and the highest fine of the
recommended range. That errs towards informing of the hearing right and against 当场处罚, the
safe side of both (第五十一条, 第六十三条). 法制审核 follows 第五十八条 and 118号 四（十二）,
with an UNVERIFIED local amount threshold. 集体讨论 follows 第五十七条第二款 and, for a
discretionary 首违不罚, the Jilin practice FIRST_VIOLATION_COLLECTIVE_DECISION (PARTIAL).
Every 不予处罚 requires education (第三十三条第三款).

Which date's rules (行政处罚法 第三十七条): substantive parameters (limitation, first-violation
look-back, bands) and list entries are read at the act date (the end of a continuing act);
procedural parameters (summary procedure, hearing and legal-review thresholds) at the decision
date, following the settled principle “实体从旧、程序从新” (our reading; 第三十七条 speaks of the
substantive rules only). Acts before the 2021 law took effect are refused with a clear message:
comparing old and new law under 第三十七条 is left to a person. LIGHT_PENALTY_BAND (2022) is
applied by its first version to acts between the 2021 law and the guideline, with a warning.

This module is pure Python: it must never import Django.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal, NamedTuple

from fazhi.rules.deadlines import short_citation
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListEntry,
    ListKind,
    MentalCapacity,
    PartyKind,
    PenaltyType,
    Severity,
    Standard,
    StandardTier,
    Treatment,
)
from fazhi.rules.parameters import NotYetEffectiveError, ParameterSet, ParamValue, format_date_zh

__all__ = [
    "CITE_PENALTY_LAW",
    "Decision",
    "Facts",
    "ItemPenalty",
    "LenienceError",
    "Limitation",
    "Option",
    "Outcome",
    "Procedure",
    "ProcedureNote",
    "TraceStep",
    "evaluate",
]

Outcome = Literal["applied", "not_applied", "not_applicable"]

OUTCOME_LABELS: dict[str, str] = {
    "applied": "适用",
    "not_applied": "不适用",
    "not_applicable": "无需审查",
}

CITE_PENALTY_LAW = "《中华人民共和国行政处罚法》"
_SAMR_GUIDE = (
    "《市场监管总局关于规范市场监督管理行政处罚裁量权的指导意见》（国市监法规〔2022〕2号）"
)


def _ap(article: str) -> str:
    return f"{CITE_PENALTY_LAW}{article}"


CITE_30 = _ap("第三十条")
CITE_31 = _ap("第三十一条")
CITE_32 = _ap("第三十二条")
CITE_33_1 = _ap("第三十三条第一款")
CITE_33_2 = _ap("第三十三条第二款")
CITE_33_3 = _ap("第三十三条第三款")
CITE_36 = _ap("第三十六条")
CITE_37 = _ap("第三十七条")
CITE_51 = _ap("第五十一条")
CITE_57_1 = _ap("第五十七条第一款")
CITE_57_2 = _ap("第五十七条第二款")
CITE_58 = _ap("第五十八条")
CITE_63 = _ap("第六十三条")
CITE_76 = _ap("第七十六条")
CITE_LE_D1 = f"{_SAMR_GUIDE}第十条"
CITE_LE_D4 = f"{_SAMR_GUIDE}第十四条"
CITE_REPEAT = f"{_SAMR_GUIDE}第十六条"
CITE_LE_D5 = f"{_SAMR_GUIDE}第十七条"
CITE_TS_12 = "国办发〔2018〕118号 四（十二）"
CITE_DB_12 = "国办发〔2022〕27号 五（十二）"
CITE_BUSINESS_59 = "《优化营商环境条例》第五十九条"

# Parameter codes (fazhi/rules/parameters/penalty.yaml).
P_LIMITATION = "LIMITATION_YEARS"
P_LIMITATION_EXTENDED = "LIMITATION_YEARS_EXTENDED"
P_LOOKBACK = "FIRST_VIOLATION_LOOKBACK_MONTHS"
P_BAND = "LIGHT_PENALTY_BAND"
P_SUMMARY = {
    PartyKind.INDIVIDUAL: "PENALTY_SUMMARY_MAX_FINE_INDIVIDUAL",
    PartyKind.ORGANIZATION: "PENALTY_SUMMARY_MAX_FINE_ORG",
}
P_HEARING_FINE = {
    PartyKind.INDIVIDUAL: "HEARING_LARGE_FINE_INDIVIDUAL",
    PartyKind.ORGANIZATION: "HEARING_LARGE_FINE_ORG",
}
P_HEARING_CONFISCATION = {
    PartyKind.INDIVIDUAL: "HEARING_LARGE_CONFISCATION_INDIVIDUAL",
    PartyKind.ORGANIZATION: "HEARING_LARGE_CONFISCATION_ORG",
}
P_LEGAL_REVIEW_FINE = {
    PartyKind.INDIVIDUAL: "LEGAL_REVIEW_FINE_THRESHOLD_INDIVIDUAL",
    PartyKind.ORGANIZATION: "LEGAL_REVIEW_FINE_THRESHOLD_ORG",
}
P_FV_COLLECTIVE = "FIRST_VIOLATION_COLLECTIVE_DECISION"

ADULT_AGE = 18
MINOR_AGE = 14

# 第六十三条第一款第三项、第四项: always a hearing right, whatever the amount.
HEARING_TYPES = frozenset(
    {
        PenaltyType.LOWER_QUALIFICATION,
        PenaltyType.REVOKE_LICENCE,
        PenaltyType.SUSPEND_BUSINESS,
        PenaltyType.CLOSE,
        PenaltyType.RESTRICT_PRACTICE,
    }
)
CONFISCATION_TYPES = frozenset({PenaltyType.CONFISCATE_GAINS, PenaltyType.CONFISCATE_PROPERTY})
# Candidates for 第六十三条第一款第五项 “其他较重的行政处罚”: the law gives no list, so the engine
# only warns and leaves the judgement to the officer.
POSSIBLY_HEAVY_TYPES = frozenset({PenaltyType.SUSPEND_LICENCE, PenaltyType.RESTRICT_BUSINESS})
SUMMARY_TYPES = frozenset({PenaltyType.WARNING, PenaltyType.FINE})

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_BAND_ORDER = (Treatment.HEAVIER, Treatment.ORDINARY, Treatment.LIGHTER, Treatment.REDUCED)
_BANDED = frozenset({Treatment.LIGHTER, Treatment.HEAVIER})


class LenienceError(ValueError):
    """Facts or data the engine cannot decide on; the message is in Chinese."""


# --- input ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    """The facts of one case as the officer established them."""

    act_date: date  # 违法行为发生之日 (start of a continuing act, see continuing_until)
    discovered_date: date  # 发现之日 (limitation, 第三十六条)
    decision_date: date | None = None  # defaults to discovered_date
    party_kind: PartyKind = PartyKind.ORGANIZATION
    age: int | None = None  # individuals only, age when the act was committed
    mental_capacity: MentalCapacity = MentalCapacity.FULL
    item_code: str = ""
    harm: HarmLevel = HarmLevel.ORDINARY
    corrected_in_time: bool = False
    # Earlier violations that count for 初次违法 (same type / agency already filtered by the
    # caller); only those within FIRST_VIOLATION_LOOKBACK_MONTHS before act_date are counted.
    prior_violation_dates: tuple[date, ...] = ()
    no_subjective_fault: bool = False  # 第三十三条第二款: has evidence sufficient to prove it
    circumstances: frozenset[Circumstance] = frozenset()
    continuing_until: date | None = None  # end of a continuing act (第三十六条第二款)
    involves_life_health_or_finance: bool = False
    severity: Severity | None = None  # 情节, chooses the benchmark tier
    amount_involved: Decimal | None = None  # 违法所得/货值金额: base of fine multiples
    proposed_penalties: frozenset[PenaltyType] = frozenset()
    proposed_fine: Decimal | None = None
    facts_certain: bool = True
    major_public_interest: bool = False  # 第五十八条（一）
    major_rights_and_heard: bool = False  # 第五十八条（二）
    complex_case: bool = False  # 第五十八条（三）
    other_legal_review_required: bool = False  # 第五十八条（四）
    major_social_impact: bool = False  # 118号 四（十二）

    def __post_init__(self) -> None:
        if self.discovered_date < self.act_date:
            raise LenienceError(
                f"发现之日（{format_date_zh(self.discovered_date)}）不能早于违法行为发生之日"
                f"（{format_date_zh(self.act_date)}）。"
            )
        if self.continuing_until is not None and self.continuing_until < self.act_date:
            raise LenienceError(
                f"违法行为终了之日（{format_date_zh(self.continuing_until)}）不能早于违法行为"
                f"发生之日（{format_date_zh(self.act_date)}）。"
            )
        if self.decision_date is not None and self.decision_date < self.discovered_date:
            raise LenienceError(
                f"作出决定之日（{format_date_zh(self.decision_date)}）不能早于发现之日"
                f"（{format_date_zh(self.discovered_date)}）。"
            )
        if self.party_kind is not PartyKind.INDIVIDUAL:
            if self.age is not None:
                raise LenienceError("年龄仅适用于公民（个人）当事人，单位当事人不应填写年龄。")
            if self.mental_capacity is not MentalCapacity.FULL:
                raise LenienceError("辨认、控制能力（第三十一条）仅适用于公民（个人）当事人。")
        if self.age is not None and not 0 <= self.age < 150:
            raise LenienceError(f"年龄必须是0至149之间的整数，收到{self.age}。")
        for name, amount in (
            ("amount_involved", self.amount_involved),
            ("proposed_fine", self.proposed_fine),
        ):
            if amount is not None and amount < 0:
                raise LenienceError(f"金额不能为负数（{name}）：{amount}。")

    @property
    def decided_on(self) -> date:
        """The decision date (default: the discovery date)."""
        return self.discovered_date if self.decision_date is None else self.decision_date

    @property
    def act_end(self) -> date:
        """The day the act ended: continuing_until for a continuing act, else act_date."""
        return self.act_date if self.continuing_until is None else self.continuing_until


@dataclass(frozen=True, slots=True)
class ItemPenalty:
    """What the enforcement item (执法事项) provides: statutory fine and penalty types."""

    statutory_fine: FineRange | None = None
    penalty_types: frozenset[PenaltyType] = frozenset()


# --- output --------------------------------------------------------------------------------


# The small result records below are NamedTuples rather than frozen dataclasses: an evaluation
# builds some thirty of them, and a frozen dataclass costs about four times as much to create,
# which matters for the 5,000 evaluations/s target. They are just as immutable.


class TraceStep(NamedTuple):
    """One rule considered, with why it applied or not (in Chinese) and the parameters used.

    ``parameters`` maps ``CODE<effective date of the version used>`` to the value, OpenFisca
    style, e.g. ``(("LIMITATION_YEARS<2021-07-15>", 2),)``.
    """

    rule_id: str
    citation: str
    title: str
    outcome: Outcome
    reason: str
    parameters: tuple[tuple[str, ParamValue], ...] = ()

    @property
    def applied(self) -> bool:
        return self.outcome == "applied"


class Option(NamedTuple):
    """One treatment the agency may lawfully choose, and the fine range it leaves."""

    treatment: Treatment
    fine_range: FineRange | None
    fine_text: str
    basis: str  # the grounds that allow it, in Chinese


class Limitation(NamedTuple):
    """The limitation period of 第三十六条 as computed for this case."""

    years: int
    extended: bool
    starts: date  # the act, or the end of a continuing act (not counted)
    last_day: date  # the last day on which discovery is still in time
    discovered: date
    time_barred: bool
    text: str


class ProcedureNote(NamedTuple):
    """One procedural flag with its basis."""

    name: str
    value: bool
    citations: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Procedure:
    """Procedural consequences of the recommended outcome."""

    summary_allowed: bool  # 第五十一条 当场处罚
    hearing_right: bool  # 第六十三条 告知听证权利
    legal_review_required: bool  # 第五十八条, 118号 四（十二）
    collective_discussion: bool  # 第五十七条第二款 (and the 首违 practice)
    education_required: bool  # 第三十三条第三款
    notes: tuple[ProcedureNote, ...] = ()

    def note(self, name: str) -> ProcedureNote:
        for note in self.notes:
            if note.name == name:
                return note
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of :func:`evaluate`: recommendation, alternatives, procedure, reasons."""

    treatment: Treatment
    mandatory: bool
    allowed: frozenset[Treatment]
    options: tuple[Option, ...]
    fine_range: FineRange | None
    fine_text: str
    time_barred: bool
    limitation: Limitation
    first_violation: bool
    no_coercion: bool
    procedure: Procedure
    trace: tuple[TraceStep, ...]
    applied_entries: tuple[ListEntry, ...]
    paragraph: str
    warnings: tuple[str, ...] = ()

    def option(self, treatment: Treatment) -> Option | None:
        for option in self.options:
            if option.treatment is treatment:
                return option
        return None

    def step(self, rule_id: str) -> TraceStep:
        for step in self.trace:
            if step.rule_id == rule_id:
                return step
        raise KeyError(rule_id)

    @property
    def applied_rule_ids(self) -> tuple[str, ...]:
        return tuple(s.rule_id for s in self.trace if s.applied)

    @property
    def applied_citations(self) -> tuple[str, ...]:
        return tuple(s.citation for s in self.trace if s.applied)


# --- helpers -------------------------------------------------------------------------------


def _yuan(amount: Decimal) -> str:
    text = str(amount)
    if "." not in text and "E" not in text:
        return text + "元"
    if amount == amount.to_integral_value():
        return f"{int(amount)}元"
    return f"{amount.normalize():f}元"


def _number(amount: Decimal) -> str:
    return _yuan(amount).removesuffix("元")


def _range_text(r: FineRange | tuple[Decimal, Decimal | None]) -> str:
    lo, hi = (r.minimum, r.maximum) if isinstance(r, FineRange) else r
    if hi is None:
        return f"{_yuan(lo)}以上"
    if hi == lo:
        return _yuan(lo)
    if lo == 0:
        return f"{_yuan(hi)}以下"
    return f"{_yuan(lo)}至{_yuan(hi)}"


def _statute_range_text(r: FineRange) -> str:
    unit = "倍" if r.basis is FineBasis.MULTIPLE else "元"
    low = f"{_number(r.minimum)}{unit}"
    if r.maximum is None:
        return f"{low}以上"
    if r.minimum == 0:
        return f"{_number(r.maximum)}{unit}以下"
    return f"{low}至{_number(r.maximum)}{unit}"


@functools.lru_cache(maxsize=4096)
def _shift_months(d: date, months: int) -> date:
    """Same day ``months`` later (or earlier), clamped to the month end (民法典 第二百零二条)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    following = date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return date(year, month0 + 1, min(d.day, last_day))


@functools.lru_cache(maxsize=4096)
def _zh(d: date) -> str:
    return format_date_zh(d)


@functools.lru_cache(maxsize=256)
def _short_citation(reference: str) -> str:
    return short_citation(reference)


@functools.lru_cache(maxsize=1024)
def _param_key(code: str, effective_from: date) -> str:
    return f"{code}<{effective_from.isoformat()}>"


def _join(parts: Iterable[str], sep: str = "、") -> str:
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return sep.join(seen)


def _join_citations(citations: Sequence[str]) -> str:
    """Merge articles of one law (``《法》第三十条、第三十二条``); join the rest with 及."""
    if len(citations) == 1:
        return citations[0]
    groups: list[tuple[str, list[str]]] = []
    for citation in citations:
        title, sep, rest = citation.partition("》")
        if sep and title.startswith("《") and rest.startswith("第"):
            head = title + sep
            for existing_head, articles in groups:
                if existing_head == head:
                    if rest not in articles:
                        articles.append(rest)
                    break
            else:
                groups.append((head, [rest]))
        elif not any(head == citation and not arts for head, arts in groups):
            groups.append((citation, []))
    texts = [head + "、".join(articles) for head, articles in groups]
    if len(texts) <= 1:
        return "".join(texts)
    return "、".join(texts[:-1]) + "及" + texts[-1]


class _Ground(NamedTuple):
    """An applied rule that allows some treatments (mandatory 应当 or discretionary 可以)."""

    rule_id: str
    citation: str
    allowed: frozenset[Treatment]
    mandatory: bool
    phrase: str  # why, for the paragraph: “当事人系初次违法、危害后果轻微并及时改正”
    effect: str  # what follows, and by whose authority: “依法可以不予行政处罚”
    decisive: bool = False  # steps 1-5 of the precedence
    aggravating: bool = False


# (minimum, maximum) in yuan; FineRange is built only for the options returned, because its
# validation makes it costly to create for every intermediate step.
_Span = tuple[Decimal, Decimal | None]


@dataclass(slots=True)
class _Range:
    """The fine range of one treatment, computed without text (see ``_Evaluation._explain``)."""

    treatment: Treatment
    band_range: _Span  # after LE-D1..LE-D3
    result: _Span  # after the benchmark tier and the cap
    tier: StandardTier | None = None
    tier_status: str = ""  # mismatch / missing / no_fine / unresolved / disjoint / narrowed
    tier_why: str = ""
    tier_range: FineRange | None = None
    capped_from: _Span | None = None
    cap: Decimal | None = None


# Enum ``rank`` properties rebuild a list on every call; these tables keep evaluate() fast.
_T_RANK: dict[Treatment, int] = {t: i for i, t in enumerate(Treatment)}
_H_RANK: dict[HarmLevel, int] = {h: i for i, h in enumerate(HarmLevel)}
_CIRCUMSTANCES = tuple(Circumstance)
_PENALTY_TYPES = tuple(PenaltyType)
_PARTY_KINDS = tuple(PartyKind)

_NO = frozenset({Treatment.NO_PENALTY})
_REDUCED_OR_LIGHTER = frozenset({Treatment.REDUCED, Treatment.LIGHTER})


# A ParameterSet is immutable, so the version found for (set, code, date) never changes. The set
# is kept in the cached value so that its id cannot be taken over by another object.
_READ_CACHE: dict[tuple[int, str, date], tuple[ParameterSet, ParamValue, str]] = {}
_READ_CACHE_MAX = 20_000


class _Evaluation:
    """The state of one evaluation. Every rule method appends exactly one trace step."""

    def __init__(
        self,
        facts: Facts,
        statutory_fine: FineRange | None,
        entries: Sequence[ListEntry],
        standard: Standard | None,
        params: ParameterSet,
        penalty_types: frozenset[PenaltyType],
    ) -> None:
        self.facts = facts
        self.statutory_fine = statutory_fine
        self.entries = entries
        self.standard = standard
        self.params = params
        self.penalty_types = penalty_types
        self.trace: list[TraceStep] = []
        self.warnings: list[str] = []
        self.grounds: list[_Ground] = []
        self.applied_entries: list[ListEntry] = []
        self.no_coercion_entries: list[ListEntry] = []
        self.tier_citation = ""  # the benchmark tier applied to the recommendation
        self.if_penalised = ""  # procedure note for a discretionary 不予处罚
        self.substantive_on = facts.act_end
        self.procedural_on = facts.decided_on

    # -- parameters ------------------------------------------------------------------------

    def _read(self, code: str, on: date) -> tuple[ParamValue, str]:
        """The value of ``code`` in force on ``on`` and its ``CODE<effective date>`` key."""
        cache_key = (id(self.params), code, on)
        hit = _READ_CACHE.get(cache_key)
        if hit is not None and hit[0] is self.params:
            return hit[1], hit[2]
        try:
            version = self.params.parameter(code).version_on(on)
        except NotYetEffectiveError as exc:
            raise LenienceError(str(exc)) from None
        key = _param_key(code, version.effective_from)
        if len(_READ_CACHE) >= _READ_CACHE_MAX:
            _READ_CACHE.clear()
        _READ_CACHE[cache_key] = (self.params, version.value, key)
        return version.value, key

    def _read_int(self, code: str, on: date) -> tuple[int, str]:
        value, key = self._read(code, on)
        if isinstance(value, bool) or not isinstance(value, int):
            raise LenienceError(f"参数“{code}”的取值不是整数：{value!r}。")
        return value, key

    def _read_decimal(self, code: str, on: date) -> tuple[Decimal, str]:
        value, key = self._read(code, on)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise LenienceError(f"参数“{code}”的取值不是数值：{value!r}。")
        return Decimal(value), key

    def _read_bool(self, code: str, on: date) -> tuple[bool, str]:
        value, key = self._read(code, on)
        if not isinstance(value, bool):
            raise LenienceError(f"参数“{code}”的取值不是是/否：{value!r}。")
        return value, key

    def _reference(self, code: str) -> str:
        return _short_citation(self.params.parameter(code).reference)

    # -- trace -----------------------------------------------------------------------------

    def _step(
        self,
        rule_id: str,
        citation: str,
        title: str,
        outcome: Outcome,
        reason: str,
        parameters: tuple[tuple[str, ParamValue], ...] = (),
    ) -> None:
        self.trace.append(TraceStep(rule_id, citation, title, outcome, reason, parameters))

    def _skip(self, rule_id: str, citation: str, title: str, decisive: _Ground) -> None:
        self._step(
            rule_id,
            citation,
            title,
            "not_applicable",
            f"已依{decisive.citation}不予处罚（{decisive.rule_id}，决定性理由），本规则无需再审查。",
        )

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> Decision:
        self._law_in_time()
        limitation = self._limitation()
        decisive = self.grounds[-1] if limitation.time_barred else None
        for check in (self._age, self._capacity, self._minor_no_harm, self._no_fault):
            found = check(decisive)
            if decisive is None and found is not None:
                decisive = found
        first_violation = self._first_violation(decisive)
        self._entries(decisive, first_violation)
        self._article_32(decisive)
        self._discretionary(decisive)
        self._repeat(decisive)

        treatment, allowed, mandatory, supporting = self._combine()
        options, steps = self._options(allowed, treatment)
        chosen = next(o for o in options if o.treatment is treatment)
        self.trace.extend(steps)
        self._check_proposed_fine(treatment, mandatory, options)
        procedure = self._procedure(treatment, chosen, supporting, mandatory)
        paragraph = self._paragraph(treatment, supporting, chosen)

        return Decision(
            treatment=treatment,
            mandatory=mandatory,
            allowed=allowed,
            options=options,
            fine_range=chosen.fine_range,
            fine_text=chosen.fine_text,
            time_barred=limitation.time_barred,
            limitation=limitation,
            first_violation=first_violation,
            no_coercion=bool(self.no_coercion_entries),
            procedure=procedure,
            trace=tuple(self.trace),
            applied_entries=tuple(self.applied_entries),
            paragraph=paragraph,
            warnings=tuple(self.warnings),
        )

    # -- 第三十七条 -------------------------------------------------------------------------

    def _law_in_time(self) -> None:
        facts = self.facts
        first = self.params.parameter(P_LIMITATION).first_effective
        # A continuing act that ends under the 2021 law is governed by it.
        if self.substantive_on < first:
            raise LenienceError(
                f"违法行为发生于{_zh(self.substantive_on)}，早于本引擎所收录的"
                f"{CITE_PENALTY_LAW}(2021修订)施行日{_zh(first)}。"
                f"应依{CITE_37}比较新旧规定（从旧兼从轻）后人工判断。"
            )
        act = _zh(self.substantive_on)
        continuing = (
            "（连续或者继续状态的违法行为，以行为终了之日为准）" if facts.continuing_until else ""
        )
        self._step(
            "AP-37",
            CITE_37,
            "法律适用的时间（从旧兼从轻、程序从新）",
            "applied",
            f"实体规定（追责时效、初次违法认定、从轻从重幅度、宽严清单）按违法行为发生时{act}"
            f"{continuing}施行的规定适用；程序规定（简易程序、听证、法制审核的数额标准）按作出决定之日"
            f"{_zh(self.procedural_on)}施行的规定适用。新规定处罚较轻的，"
            f"依第三十七条但书适用新规定，需法制审核人员判断。",
        )

    # -- 第三十六条 -------------------------------------------------------------------------

    def _limitation(self) -> Limitation:
        facts = self.facts
        on = self.substantive_on
        extended = facts.involves_life_health_or_finance and facts.harm is not HarmLevel.NONE
        years, key = self._read_int(P_LIMITATION_EXTENDED if extended else P_LIMITATION, on)
        starts = facts.act_end
        try:
            last_day = _shift_months(starts, 12 * years)
        except (OverflowError, ValueError):
            raise LenienceError("追责时效届满日超出可计算的日期范围。") from None
        barred = facts.discovered_date > last_day
        if facts.continuing_until is not None:
            start_text = f"违法行为有连续或者继续状态，自行为终了之日{_zh(starts)}起计算"
        else:
            start_text = f"自违法行为发生之日{_zh(starts)}起计算"
        if extended:
            why = "违法行为涉及公民生命健康安全、金融安全且有危害后果，时效延长至"
        elif facts.involves_life_health_or_finance:
            why = "违法行为虽涉及公民生命健康安全或者金融安全，但没有造成危害后果，时效为"
        else:
            why = "时效为"
        period = f"{why}{years}年，{start_text}，至{_zh(last_day)}届满"
        found = f"发现之日为{_zh(facts.discovered_date)}"
        if barred:
            text = f"{period}；{found}，已超过追责时效，不再给予行政处罚。"
        else:
            text = f"{period}；{found}，在追责时效内。"
        self._step(
            "AP-36",
            CITE_36,
            "追责时效：违法行为在法定期限内未被发现的，不再给予行政处罚",
            "applied" if barred else "not_applied",
            text,
            ((key, years),),
        )
        if barred:
            self.grounds.append(
                _Ground(
                    "AP-36",
                    CITE_36,
                    _NO,
                    True,
                    f"当事人的违法行为在{years}年内未被发现（{start_text}，{found}）",
                    "依法不再给予行政处罚",
                    decisive=True,
                )
            )
        return Limitation(
            years=years,
            extended=extended,
            starts=starts,
            last_day=last_day,
            discovered=facts.discovered_date,
            time_barred=barred,
            text=text,
        )

    # -- 第三十条 ---------------------------------------------------------------------------

    def _age(self, decisive: _Ground | None) -> _Ground | None:
        title = "未成年人：不满十四周岁不予处罚，已满十四周岁不满十八周岁应当从轻或者减轻"
        if decisive is not None:
            self._skip("AP-30", CITE_30, title, decisive)
            return None
        facts = self.facts
        if facts.party_kind is not PartyKind.INDIVIDUAL:
            self._step("AP-30", CITE_30, title, "not_applicable", "当事人为单位，不适用年龄规定。")
            return None
        if facts.age is None:
            self._step(
                "AP-30",
                CITE_30,
                title,
                "not_applied",
                "未录入当事人实施违法行为时的年龄，按已满十八周岁处理；当事人未成年的，请补录年龄。",
            )
            return None
        if facts.age < MINOR_AGE:
            ground = _Ground(
                "AP-30",
                CITE_30,
                _NO,
                True,
                f"当事人实施违法行为时不满十四周岁（{facts.age}周岁）",
                "依法不予行政处罚，责令监护人加以管教",
                decisive=True,
            )
            self.grounds.append(ground)
            self._step(
                "AP-30",
                CITE_30,
                title,
                "applied",
                f"当事人实施违法行为时{facts.age}周岁，不满十四周岁：应当不予行政处罚，"
                "责令监护人加以管教。",
            )
            return ground
        if facts.age < ADULT_AGE:
            self.grounds.append(
                _Ground(
                    "AP-30",
                    CITE_30,
                    _REDUCED_OR_LIGHTER,
                    True,
                    f"当事人实施违法行为时已满十四周岁不满十八周岁（{facts.age}周岁）",
                    "依法应当从轻或者减轻行政处罚",
                )
            )
            self._step(
                "AP-30",
                CITE_30,
                title,
                "applied",
                f"当事人实施违法行为时{facts.age}周岁，已满十四周岁不满十八周岁：应当从轻或者减轻"
                "行政处罚。",
            )
            return None
        self._step(
            "AP-30",
            CITE_30,
            title,
            "not_applied",
            f"当事人实施违法行为时{facts.age}周岁，已成年。",
        )
        return None

    # -- 第三十一条 -------------------------------------------------------------------------

    def _capacity(self, decisive: _Ground | None) -> _Ground | None:
        title = "精神病人、智力残疾人：不能辨认或者控制时不予处罚，尚未完全丧失的可以从轻或者减轻"
        if decisive is not None:
            self._skip("AP-31", CITE_31, title, decisive)
            return None
        facts = self.facts
        if facts.party_kind is not PartyKind.INDIVIDUAL:
            self._step("AP-31", CITE_31, title, "not_applicable", "当事人为单位，不适用本条。")
            return None
        if facts.mental_capacity is MentalCapacity.NONE:
            ground = _Ground(
                "AP-31",
                CITE_31,
                _NO,
                True,
                "当事人系精神病人或者智力残疾人，实施违法行为时不能辨认或者不能控制自己的行为",
                "依法不予行政处罚，责令其监护人严加看管和治疗",
                decisive=True,
            )
            self.grounds.append(ground)
            self._step(
                "AP-31",
                CITE_31,
                title,
                "applied",
                "当事人实施违法行为时不能辨认或者不能控制自己的行为：应当不予行政处罚，"
                "责令其监护人严加看管和治疗。",
            )
            return ground
        if facts.mental_capacity is MentalCapacity.PARTIAL:
            self.grounds.append(
                _Ground(
                    "AP-31",
                    CITE_31,
                    _REDUCED_OR_LIGHTER,
                    False,
                    "当事人系尚未完全丧失辨认或者控制自己行为能力的精神病人或者智力残疾人",
                    "依法可以从轻或者减轻行政处罚",
                )
            )
            self._step(
                "AP-31",
                CITE_31,
                title,
                "applied",
                "当事人尚未完全丧失辨认或者控制自己行为的能力：可以从轻或者减轻行政处罚。",
            )
            return None
        self._step(
            "AP-31",
            CITE_31,
            title,
            "not_applied",
            "当事人具有完全的辨认和控制自己行为的能力（间歇性精神病人在精神正常时违法的，应当处罚）。",
        )
        return None

    # -- 第三十三条第一款前句 ---------------------------------------------------------------

    def _minor_no_harm(self, decisive: _Ground | None) -> _Ground | None:
        title = "轻微不罚：违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚"
        if decisive is not None:
            self._skip("AP-33a", CITE_33_1, title, decisive)
            return None
        facts = self.facts
        missing: list[str] = []
        if facts.harm is not HarmLevel.NONE:
            missing.append(f"危害后果为“{facts.harm.label_zh}”，不是没有造成危害后果")
        if facts.severity is not None and facts.severity is not Severity.SLIGHT:
            missing.append(f"情节认定为“{facts.severity.label_zh}”，不属于违法行为轻微")
        if not facts.corrected_in_time:
            missing.append("当事人未及时改正")
        if missing:
            self._step("AP-33a", CITE_33_1, title, "not_applied", "；".join(missing) + "。")
            return None
        ground = _Ground(
            "AP-33a",
            CITE_33_1,
            _NO,
            True,
            "当事人的违法行为轻微并及时改正，没有造成危害后果",
            "依法不予行政处罚",
            decisive=True,
        )
        self.grounds.append(ground)
        self._step(
            "AP-33a",
            CITE_33_1,
            title,
            "applied",
            "没有造成危害后果，情节未认定为较轻以上（视为违法行为轻微），且当事人已及时改正："
            "应当不予行政处罚。",
        )
        return ground

    # -- 第三十三条第二款 -------------------------------------------------------------------

    def _no_fault(self, decisive: _Ground | None) -> _Ground | None:
        title = "无主观过错：当事人有证据足以证明没有主观过错的，不予行政处罚"
        if decisive is not None:
            self._skip("AP-33c", CITE_33_2, title, decisive)
            return None
        if not self.facts.no_subjective_fault:
            self._step(
                "AP-33c",
                CITE_33_2,
                title,
                "not_applied",
                "当事人未提出足以证明其没有主观过错的证据。",
            )
            return None
        ground = _Ground(
            "AP-33c",
            CITE_33_2,
            _NO,
            True,
            "当事人有证据足以证明没有主观过错",
            "依法不予行政处罚",
            decisive=True,
        )
        self.grounds.append(ground)
        self._step(
            "AP-33c",
            CITE_33_2,
            title,
            "applied",
            "当事人有证据足以证明没有主观过错：应当不予行政处罚。法律、行政法规另有规定的"
            "（如规定无过错也应处罚），从其规定，请办案人员核对。",
        )
        return ground

    # -- 第三十三条第一款后句（首违） -------------------------------------------------------

    def _first_violation(self, decisive: _Ground | None) -> bool:
        facts = self.facts
        months, key = self._read_int(P_LOOKBACK, self.substantive_on)
        window_start = _shift_months(facts.act_date, -months)
        counted = sorted(
            d for d in facts.prior_violation_dates if window_start <= d < facts.act_date
        )
        first = not counted
        title = "首违可不罚：初次违法且危害后果轻微并及时改正的，可以不予行政处罚"
        if decisive is not None:
            self._skip("AP-33b", CITE_33_1, title, decisive)
            return first
        window = f"{_zh(window_start)}至{_zh(facts.act_date - timedelta(days=1))}"
        if first:
            history = f"违法行为发生前{months}个月内（{window}）无同类违法记录，属于初次违法"
        else:
            dates = "、".join(_zh(d) for d in counted)
            history = (
                f"违法行为发生前{months}个月内（{window}）有违法记录（{dates}），不属于初次违法"
            )
        ignored = len(facts.prior_violation_dates) - len(counted)
        if ignored:
            history += f"（另有{ignored}条记录不在回溯期内，不计）"
        missing: list[str] = []
        if not first:
            missing.append(history)
        if _H_RANK[facts.harm] > _H_RANK[HarmLevel.MINOR]:
            missing.append(f"危害后果为“{facts.harm.label_zh}”，超过“危害后果轻微”")
        if not facts.corrected_in_time:
            missing.append("当事人未及时改正")
        params = ((key, months),)
        if missing:
            self._step("AP-33b", CITE_33_1, title, "not_applied", "；".join(missing) + "。", params)
            return first
        self.grounds.append(
            _Ground(
                "AP-33b",
                CITE_33_1,
                _NO,
                False,
                "当事人系初次违法、危害后果轻微并及时改正",
                "依法可以不予行政处罚",
            )
        )
        self._step(
            "AP-33b",
            CITE_33_1,
            title,
            "applied",
            f"{history}；危害后果为“{facts.harm.label_zh}”，且已及时改正：可以不予行政处罚"
            "（裁量，不予处罚的须说明理由并对当事人进行教育）。",
            params,
        )
        return first

    # -- 四张清单 ---------------------------------------------------------------------------

    def _entries(self, decisive: _Ground | None, first_violation: bool) -> None:
        facts = self.facts
        on = self.substantive_on
        for entry in self.entries:
            rule_id = f"LIST:{entry.kind.value}:{entry.number}"
            citation = f"{entry.list_title}第{entry.number}项"
            title = f"{entry.kind.label_zh}：{entry.violation}"
            if entry.item_code != facts.item_code:
                self._step(
                    rule_id,
                    citation,
                    title,
                    "not_applicable",
                    f"清单事项编码“{entry.item_code}”与本案事项编码“{facts.item_code}”不一致。",
                )
                continue
            if not entry.in_force_on(on):
                reason = (
                    f"该清单事项在违法行为发生时（{_zh(on)}）不在有效期内（{_validity(entry)}）。"
                )
                if entry.in_force_on(facts.decided_on) and entry.kind is not ListKind.NO_COERCION:
                    reason += (
                        "该事项在作出决定时已施行；是否依第三十七条但书（新规定较轻）适用，"
                        "需法制审核人员判断。"
                    )
                    self.warnings.append(
                        f"{citation}在违法行为发生时尚未施行、在作出决定时已施行，"
                        f"请法制审核人员依{CITE_37}但书判断是否适用。"
                    )
                self._step(rule_id, citation, title, "not_applicable", reason)
                continue
            if decisive is not None:
                # Not even NO_COERCION: with no penalty at all, coercive measures are moot.
                self._skip(rule_id, citation, title, decisive)
                continue
            failures = self._entry_failures(entry, first_violation)
            if failures:
                self._step(rule_id, citation, title, "not_applied", "；".join(failures) + "。")
                continue
            self.applied_entries.append(entry)
            condition = f"（清单适用条件：{entry.condition_text}）" if entry.condition_text else ""
            if entry.kind is ListKind.NO_COERCION:
                self.no_coercion_entries.append(entry)
                self._step(
                    rule_id,
                    citation,
                    title,
                    "applied",
                    f"符合清单条件{condition}：可以不实施行政强制措施（{CITE_BUSINESS_59}）；"
                    "本清单不改变处罚的裁量阶次。",
                )
                continue
            allowed, mandatory, effect = _ENTRY_EFFECT[entry.kind]
            phrase = (
                f"当事人的违法行为（{entry.violation}）符合清单规定的"
                f"{entry.condition_text or '适用条件'}"
            )
            self.grounds.append(_Ground(rule_id, citation, allowed, mandatory, phrase, effect))
            binding = (
                "清单是本机关公布的裁量基准，按清单执行（应当）"
                if mandatory
                else "首违不罚以第三十三条第一款“可以”为依据，属裁量（可以）"
            )
            self._step(
                rule_id,
                citation,
                title,
                "applied",
                f"本案事项、有效期与清单条件均符合{condition}：{effect}；{binding}。",
            )

    def _entry_failures(self, entry: ListEntry, first_violation: bool) -> list[str]:
        facts = self.facts
        c = entry.conditions
        failures: list[str] = []
        if (c.requires_first_violation or entry.kind is ListKind.FIRST_VIOLATION) and not (
            first_violation
        ):
            failures.append("清单要求初次违法，但当事人在回溯期内有违法记录")
        if (c.requires_corrected_in_time or entry.kind is ListKind.FIRST_VIOLATION) and not (
            facts.corrected_in_time
        ):
            failures.append("清单要求及时改正，但当事人未及时改正")
        if c.max_harm is not None and _H_RANK[facts.harm] > _H_RANK[c.max_harm]:
            failures.append(
                f"清单要求危害后果不超过“{c.max_harm.label_zh}”，本案为“{facts.harm.label_zh}”"
            )
        if (
            entry.kind is ListKind.FIRST_VIOLATION
            and _H_RANK[facts.harm] > _H_RANK[HarmLevel.MINOR]
        ):
            failures.append(
                f"首违不罚以危害后果轻微为法定条件（{CITE_33_1}），本案为“{facts.harm.label_zh}”"
            )
        if c.party_kinds and facts.party_kind not in c.party_kinds:
            kinds = "、".join(k.label_zh for k in _PARTY_KINDS if k in c.party_kinds)
            failures.append(f"清单仅适用于{kinds}，本案当事人为{facts.party_kind.label_zh}")
        if c.any_circumstance and not (c.any_circumstance & facts.circumstances):
            wanted = "、".join(x.label_zh for x in _CIRCUMSTANCES if x in c.any_circumstance)
            failures.append(f"清单要求具有下列情形之一：{wanted}，本案均不具有")
        if c.max_amount_involved is not None:
            limit = _yuan(c.max_amount_involved)
            if facts.amount_involved is None:
                failures.append(f"清单要求违法所得（货值金额）不超过{limit}，但本案未认定金额")
            elif facts.amount_involved > c.max_amount_involved:
                failures.append(
                    f"清单要求违法所得（货值金额）不超过{limit}，"
                    f"本案为{_yuan(facts.amount_involved)}"
                )
        return failures

    # -- 第三十二条 -------------------------------------------------------------------------

    def _article_32(self, decisive: _Ground | None) -> None:
        title = "应当从轻或者减轻的法定情形"
        if decisive is not None:
            self._skip("AP-32", CITE_32, title, decisive)
            return
        present = [c for c in _CIRCUMSTANCES if c in self.facts.circumstances]
        found = [c for c in present if c.is_mandatory_mitigation]
        if not found:
            self._step("AP-32", CITE_32, title, "not_applied", "当事人不具有第三十二条规定的情形。")
            return
        labels = "；".join(c.label_zh for c in found)
        self.grounds.append(
            _Ground(
                "AP-32",
                CITE_32,
                _REDUCED_OR_LIGHTER,
                True,
                f"当事人具有{labels}的情形",
                "依法应当从轻或者减轻行政处罚",
            )
        )
        self._step(
            "AP-32",
            CITE_32,
            title,
            "applied",
            f"当事人具有下列情形：{labels}。应当从轻或者减轻行政处罚。",
        )

    def _discretionary(self, decisive: _Ground | None) -> None:
        title = "可以从轻或者减轻的情形（市场监管领域，其他领域参照本领域裁量基准）"
        if decisive is not None:
            self._skip("LE-D4", CITE_LE_D4, title, decisive)
            return
        found = [
            c
            for c in _CIRCUMSTANCES
            if c in self.facts.circumstances
            and not c.is_mandatory_mitigation
            and not c.is_aggravating
        ]
        if not found:
            self._step(
                "LE-D4", CITE_LE_D4, title, "not_applied", "当事人不具有可以从轻或者减轻的情形。"
            )
            return
        labels = "；".join(c.label_zh for c in found)
        self.grounds.append(
            _Ground(
                "LE-D4",
                CITE_LE_D4,
                _REDUCED_OR_LIGHTER,
                False,
                f"当事人具有{labels}的情形",
                "依法可以从轻或者减轻行政处罚",
            )
        )
        self._step(
            "LE-D4",
            CITE_LE_D4,
            title,
            "applied",
            f"当事人具有下列情形：{labels}。可以从轻或者减轻行政处罚。",
        )

    def _repeat(self, decisive: _Ground | None) -> None:
        title = "可以从重：一年内因同一性质的违法行为受过行政处罚"
        rule_id = "LE-D4-heavier"
        if decisive is not None:
            self._skip(rule_id, CITE_REPEAT, title, decisive)
            return
        if Circumstance.REPEAT_OFFENCE not in self.facts.circumstances:
            self._step(rule_id, CITE_REPEAT, title, "not_applied", "当事人不具有从重情节。")
            return
        mitigations = [g for g in self.grounds if not g.aggravating]
        if mitigations:
            names = _join(g.citation for g in mitigations)
            self._step(
                rule_id,
                CITE_LE_D5,
                title,
                "not_applied",
                f"当事人虽一年内因同一性质的违法行为受过行政处罚，但同时具有从宽情节（{names}）。"
                "从重与从轻、减轻情节并存的，应综合裁量；本系统按有利于当事人的原则不予从重。",
            )
            return
        self.grounds.append(
            _Ground(
                rule_id,
                CITE_REPEAT,
                frozenset({Treatment.HEAVIER}),
                False,
                "当事人一年内因同一性质的违法行为受过行政处罚",
                "依法可以从重行政处罚",
                aggravating=True,
            )
        )
        self._step(
            rule_id,
            CITE_REPEAT,
            title,
            "applied",
            "当事人一年内因同一性质的违法行为受过行政处罚，且无从轻、减轻情节：可以从重行政处罚。",
        )

    # -- combining ---------------------------------------------------------------------------

    def _combine(self) -> tuple[Treatment, frozenset[Treatment], bool, list[_Ground]]:
        grounds = self.grounds
        mandatory_grounds = [g for g in grounds if g.mandatory]
        union: set[Treatment] = set()
        for g in grounds:
            union |= g.allowed
        if mandatory_grounds:
            ceiling = min(max(_T_RANK[t] for t in g.allowed) for g in mandatory_grounds)
            allowed = frozenset(t for t in union if _T_RANK[t] <= ceiling)
        else:
            union.add(Treatment.ORDINARY)
            allowed = frozenset(union)
        if allowed == {Treatment.ORDINARY, Treatment.HEAVIER}:
            treatment = Treatment.HEAVIER
        else:
            treatment = min(allowed, key=_T_RANK.__getitem__)
        supporting = [g for g in grounds if treatment in g.allowed]
        # Plain 一般处罚 is what 第五十七条第一款第一项 requires when nothing else applies.
        mandatory = True if not grounds else any(g.mandatory for g in supporting)
        return treatment, allowed, mandatory, supporting

    # -- fine ranges ---------------------------------------------------------------------------

    def _statutory_yuan(self) -> tuple[FineRange | None, TraceStep]:
        fine = self.statutory_fine
        title = "法定罚款幅度"
        if fine is None:
            return None, TraceStep(
                "FINE", "执法事项的处罚依据", title, "not_applicable", "执法事项未设定罚款。"
            )
        citation = (self.standard.legal_basis if self.standard else "") or "执法事项的处罚依据"
        if fine.basis is FineBasis.AMOUNT:
            return fine, TraceStep(
                "FINE", citation, title, "applied", f"法定罚款幅度为{_statute_range_text(fine)}。"
            )
        amount = self.facts.amount_involved
        if amount is None:
            return None, TraceStep(
                "FINE",
                citation,
                title,
                "not_applied",
                f"法定罚款为违法所得（货值金额）的{_statute_range_text(fine)}，本案未认定违法所得"
                "（货值金额），无法换算为罚款数额。",
            )
        resolved = FineRange(
            fine.minimum * amount,
            None if fine.maximum is None else fine.maximum * amount,
        )
        return resolved, TraceStep(
            "FINE",
            citation,
            title,
            "applied",
            f"法定罚款为违法所得（货值金额）的{_statute_range_text(fine)}；违法所得（货值金额）为"
            f"{_yuan(amount)}，换算为罚款{_range_text(resolved)}。",
        )

    def _options(
        self, allowed: frozenset[Treatment], treatment: Treatment
    ) -> tuple[tuple[Option, ...], list[TraceStep]]:
        base, fine_step = self._statutory_yuan()
        steps: list[TraceStep] = [fine_step]
        ranges: dict[Treatment, _Range] = {}
        band, band_key = (_ZERO, "")
        if base is not None:
            band, band_key = self._band(allowed)
            # All four ranges are computed (cheaply, without text) because each one is capped
            # by the harsher ones; only the options returned get text and trace steps.
            cap: Decimal | None = None
            mildest = min(_T_RANK[t] for t in allowed)
            for t in _BAND_ORDER:
                if _T_RANK[t] < mildest:
                    break
                computed = self._range_for(t, base, band)
                lo, hi = computed.result
                if cap is not None and (hi is None or hi > cap):
                    computed.capped_from = computed.result
                    computed.result = (min(lo, cap), cap)
                    computed.cap = cap
                    hi = cap
                if hi is not None and (cap is None or hi < cap):
                    cap = hi
                ranges[t] = computed
        options: list[Option] = []
        for t in sorted(allowed, key=_T_RANK.__getitem__):
            basis = _join(g.citation for g in self.grounds if t in g.allowed) or CITE_57_1
            if t is Treatment.NO_PENALTY:
                options.append(Option(t, None, "不予行政处罚，不处罚款。", basis))
            elif base is not None:
                computed = ranges[t]
                if t is treatment:
                    steps.extend(self._explain(computed, base, band, band_key))
                lo, hi = computed.result
                result = FineRange(lo, hi)
                options.append(Option(t, result, _fine_text(t, result, base), basis))
            elif self.statutory_fine is not None:
                text = "罚款以违法所得（货值金额）的倍数计算，须先认定违法所得（货值金额）。"
                options.append(Option(t, None, text, basis))
            else:
                options.append(Option(t, None, "执法事项未设定罚款。", basis))
        return tuple(options), steps

    def _band(self, allowed: frozenset[Treatment]) -> tuple[Decimal, str]:
        try:
            return self._read_decimal(P_BAND, self.substantive_on)
        except LenienceError:
            # The band is the SAMR guideline of 2022; for acts between the 2021 law and the
            # guideline we still need a band to place 从轻/从重, so use its first version.
            parameter = self.params.parameter(P_BAND)
            first = parameter.versions[0]
            if allowed & _BANDED:
                self.warnings.append(
                    f"从轻、从重幅度比例（{P_BAND}）自{_zh(first.effective_from)}起施行，"
                    "违法行为发生时尚未施行，仅作为裁量参考适用。"
                )
            value = first.value
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise LenienceError(f"参数“{P_BAND}”的取值不是数值：{value!r}。") from None
            return Decimal(value), _param_key(P_BAND, first.effective_from)

    def _range_for(self, t: Treatment, base: FineRange, band: Decimal) -> _Range:
        """The range of ``t``: LE-D1..LE-D3 first, then narrowed by the benchmark tier."""
        lo, hi = base.minimum, base.maximum
        r: _Span
        if t is Treatment.REDUCED:
            r = (_ZERO, lo)
        elif t is Treatment.LIGHTER and hi is not None:
            top = (lo + band * (hi - lo)).quantize(_CENT, rounding=ROUND_FLOOR)
            r = (lo, max(lo, top))
        elif t is Treatment.HEAVIER and hi is not None:
            bottom = (hi - band * (hi - lo)).quantize(_CENT, rounding=ROUND_CEILING)
            r = (min(hi, bottom), hi)
        else:
            r = (lo, hi)
        computed = _Range(t, r, r)
        standard = self.standard
        if standard is None:
            return computed
        if standard.item_code != self.facts.item_code:
            computed.tier_status = "mismatch"
            return computed
        tier, why = _select_tier(standard, t, self.facts.severity)
        computed.tier = tier
        if tier is None:
            computed.tier_status, computed.tier_why = "missing", why
            return computed
        if tier.fine is None:
            computed.tier_status = "no_fine"
            return computed
        tier_range = self._tier_yuan(tier.fine)
        computed.tier_range = tier_range
        if tier_range is None:
            computed.tier_status = "unresolved"
            return computed
        r_lo, r_hi = r
        new_lo = max(r_lo, tier_range.minimum)
        if r_hi is None:
            new_hi = tier_range.maximum
        elif tier_range.maximum is None:
            new_hi = r_hi
        else:
            new_hi = min(r_hi, tier_range.maximum)
        if new_hi is not None and new_lo > new_hi:
            computed.tier_status = "disjoint"
            return computed
        computed.tier_status = "narrowed"
        computed.result = (new_lo, new_hi)
        return computed

    def _explain(
        self, computed: _Range, base: FineRange, band: Decimal, band_key: str
    ) -> list[TraceStep]:
        """Trace steps for the range of the recommended treatment."""
        t = computed.treatment
        r = computed.band_range
        steps: list[TraceStep] = []
        percent = f"{_number(band * 100)}%"
        band_note = f"（{self._reference(P_BAND)}，市场监管领域规定，本系统参照适用于其他领域）"
        band_params: tuple[tuple[str, ParamValue], ...] = ((band_key, band),)
        if t is Treatment.REDUCED:
            reason = (
                f"减轻处罚在法定最低罚款{_yuan(base.minimum)}以下确定罚款数额，或者选择更轻的"
                "处罚种类、应当并处时不并处。"
                if base.minimum > 0
                else "法定罚款没有最低限，减轻处罚应选择更轻的处罚种类或者不处罚款。"
            )
            steps.append(TraceStep("LE-D1", CITE_LE_D1, "减轻处罚的幅度", "applied", reason))
        elif t in (Treatment.LIGHTER, Treatment.HEAVIER):
            lighter = t is Treatment.LIGHTER
            rule_id = "LE-D2" if lighter else "LE-D3"
            part = "较低" if lighter else "较高"
            if base.maximum is None:
                steps.append(
                    TraceStep(
                        rule_id,
                        CITE_LE_D1,
                        f"{t.label_zh}的幅度",
                        "not_applied",
                        f"法定罚款没有上限，无法计算{part}的幅度。",
                    )
                )
            else:
                steps.append(
                    TraceStep(
                        rule_id,
                        CITE_LE_D1,
                        f"{t.label_zh}的幅度：法定幅度中{part}的部分",
                        "applied",
                        f"{t.label_zh}的罚款应在法定幅度{_range_text(base)}中{part}的{percent}部分，"
                        f"即{_range_text(r)}{band_note}。",
                        band_params,
                    )
                )
        standard = self.standard
        if standard is not None:
            steps.append(self._explain_tier(computed, standard))
        if computed.capped_from is not None and computed.cap is not None:
            steps.append(
                TraceStep(
                    "CAP",
                    CITE_LE_D5,
                    "较轻的阶次不得重于较重的阶次",
                    "applied",
                    f"{t.label_zh}的幅度{_range_text(computed.capped_from)}的上限高于较重阶次的上限"
                    f"{_yuan(computed.cap)}，按{_yuan(computed.cap)}封顶，为"
                    f"{_range_text(computed.result)}。",
                )
            )
        return steps

    def _explain_tier(self, computed: _Range, standard: Standard) -> TraceStep:
        t = computed.treatment
        r = computed.band_range
        severity = self.facts.severity
        rule_id = f"STD:{t.value}" + (f":{severity.value}" if severity else "")
        title = f"裁量基准“{t.label_zh}”阶次"
        status = computed.tier_status
        if status == "mismatch":
            return TraceStep(
                rule_id,
                standard.title,
                title,
                "not_applicable",
                f"裁量基准的事项编码“{standard.item_code}”与本案事项编码“{self.facts.item_code}”"
                "不一致。",
            )
        tier = computed.tier
        if status == "missing" or tier is None:
            return TraceStep(rule_id, standard.title, title, "not_applied", computed.tier_why)
        label = _tier_label(tier)
        citation = f"{standard.title}“{label}”"
        if status == "no_fine":
            self.tier_citation = citation
            return TraceStep(
                rule_id,
                citation,
                title,
                "applied",
                f"适用该阶次（{tier.condition_text or tier.standard_text or label}）；"
                f"该阶次未规定罚款幅度，按{_range_text(r)}确定。",
            )
        tier_range = computed.tier_range
        if status == "unresolved" or tier_range is None:
            fine_text = _statute_range_text(tier.fine) if tier.fine else ""
            return TraceStep(
                rule_id,
                citation,
                title,
                "not_applied",
                f"该阶次罚款为违法所得（货值金额）的{fine_text}，本案未认定金额，无法据以缩小幅度。",
            )
        if status == "disjoint":
            self.warnings.append(
                f"{citation}阶次的幅度{_range_text(tier_range)}与{t.label_zh}的幅度"
                f"{_range_text(r)}没有交集，已按后者确定；请依{CITE_DB_12}核对基准。"
            )
            return TraceStep(
                rule_id,
                citation,
                title,
                "not_applied",
                f"该阶次幅度{_range_text(tier_range)}与{t.label_zh}的幅度{_range_text(r)}"
                "没有交集，不能据以缩小幅度，需人工核对裁量基准。",
            )
        narrowed = computed.capped_from or computed.result
        self.tier_citation = citation
        return TraceStep(
            rule_id,
            citation,
            title,
            "applied",
            f"适用该阶次（{tier.condition_text or label}）：基准幅度{_range_text(tier_range)}，"
            f"与{t.label_zh}的幅度{_range_text(r)}取交集，为{_range_text(narrowed)}"
            "（基准只能缩小、不能扩大法定幅度）。",
        )

    def _tier_yuan(self, fine: FineRange) -> FineRange | None:
        if fine.basis is FineBasis.AMOUNT:
            return fine
        amount = self.facts.amount_involved
        if amount is None:
            return None
        return FineRange(
            fine.minimum * amount, None if fine.maximum is None else fine.maximum * amount
        )

    # -- checks on the proposed penalty ------------------------------------------------------

    def _check_proposed_fine(
        self, treatment: Treatment, mandatory: bool, options: tuple[Option, ...]
    ) -> None:
        fine = self.facts.proposed_fine
        title = "拟处罚款是否在允许的裁量幅度内"
        if fine is None:
            return
        if treatment is Treatment.NO_PENALTY and mandatory and len(options) == 1:
            message = f"依法应当不予处罚，但拟处罚款{_yuan(fine)}。"
            self.warnings.append(message)
            self._step("CHECK-FINE", CITE_76, title, "not_applied", message)
            return
        fitting = [o for o in options if _admits(o, fine)]
        if fitting:
            names = "、".join(o.treatment.label_zh for o in fitting)
            self._step(
                "CHECK-FINE",
                CITE_76,
                title,
                "applied",
                f"拟处罚款{_yuan(fine)}在允许的{names}幅度内。",
            )
            return
        if all(o.fine_range is None for o in options if o.treatment is not Treatment.NO_PENALTY):
            self._step(
                "CHECK-FINE",
                CITE_76,
                title,
                "not_applicable",
                "罚款幅度未能确定，无法核对拟处罚款。",
            )
            return
        message = (
            f"拟处罚款{_yuan(fine)}不在允许的裁量幅度内，"
            f"可能构成擅自改变行政处罚幅度（{CITE_76}）。"
        )
        self.warnings.append(message)
        self._step("CHECK-FINE", CITE_76, title, "not_applied", message)

    # -- procedure -------------------------------------------------------------------------------

    def _considered(
        self, treatment: Treatment, chosen: Option
    ) -> tuple[frozenset[PenaltyType], Decimal | None, str]:
        """The penalty types and fine the procedure is judged on, and how they were chosen."""
        facts = self.facts
        if facts.proposed_penalties:
            types = facts.proposed_penalties
            how = "按拟作出的处罚种类"
        elif treatment is Treatment.NO_PENALTY:
            return frozenset(), None, "拟不予处罚"
        else:
            types = self.penalty_types | (
                {PenaltyType.FINE} if self.statutory_fine is not None else frozenset()
            )
            how = "未提出拟处罚种类，按执法事项可处的全部处罚种类（从严）"
        if facts.proposed_fine is not None:
            return types | {PenaltyType.FINE}, facts.proposed_fine, how + "、拟处罚款数额"
        if PenaltyType.FINE in types and chosen.fine_range is not None:
            return types, chosen.fine_range.maximum, how + "、该阶次可能的最高罚款"
        return types, None, how

    def _procedure(
        self, treatment: Treatment, chosen: Option, supporting: list[_Ground], mandatory: bool
    ) -> Procedure:
        facts = self.facts
        on = self.procedural_on
        types, fine, how = self._considered(treatment, chosen)
        # A discretionary 不予处罚 (首违) may be declined; the procedure then changes with it.
        self.if_penalised = (
            "如不采纳不予处罚的建议而给予处罚，须按拟作出的处罚重新判断。"
            if treatment is Treatment.NO_PENALTY and not mandatory
            else ""
        )
        type_names = "、".join(t.label_zh for t in _PENALTY_TYPES if t in types) or "无"
        notes: list[ProcedureNote] = []
        penalised = treatment is not Treatment.NO_PENALTY

        # 第五十一条 简易程序
        code = P_SUMMARY[facts.party_kind]
        threshold, key = self._read_decimal(code, on)
        summary = False
        if not penalised:
            reason = "拟不予行政处罚，不适用当场作出行政处罚决定。" + self.if_penalised
        elif not facts.facts_certain:
            reason = "违法事实尚不确凿，不得适用简易程序。"
        elif self.statutory_fine is None and not self.penalty_types:
            reason = "未提供执法事项的法定处罚依据，不得适用简易程序。"
        elif not types <= SUMMARY_TYPES:
            other = "、".join(t.label_zh for t in _PENALTY_TYPES if t in types - SUMMARY_TYPES)
            reason = f"拟处罚种类含{other}，简易程序只适用于警告或者小额罚款。"
        elif PenaltyType.FINE in types and fine is None:
            reason = "罚款数额尚未确定，无法判断是否在当场处罚限额内。"
        elif PenaltyType.FINE in types and fine is not None and fine > threshold:
            reason = (
                f"罚款{_yuan(fine)}超过对{facts.party_kind.label_zh}当场处罚的限额"
                f"{_yuan(threshold)}。"
            )
        else:
            summary = True
            limit = (
                f"（罚款{_yuan(fine)}，不超过对{facts.party_kind.label_zh}的限额{_yuan(threshold)}）"
                if fine is not None
                else ""
            )
            reason = (
                f"违法事实确凿并有法定依据，拟处{type_names}{limit}，"
                "可以当场作出行政处罚决定（法律另有规定的除外）。"
            )
        notes.append(ProcedureNote("summary_allowed", summary, (CITE_51,), reason))
        self._step(
            "AP-51",
            CITE_51,
            "简易程序（当场处罚）",
            "applied" if summary else "not_applied",
            f"（{how}）{reason}",
            ((key, threshold),),
        )

        # 第六十三条 听证
        hearing, reason, params = self._hearing(types, fine, penalised)
        notes.append(ProcedureNote("hearing_right", hearing, (CITE_63,), reason))
        self._step(
            "AP-63",
            CITE_63,
            "告知听证权利",
            "applied" if hearing else "not_applied",
            f"（{how}）{reason}" if penalised else reason,
            params,
        )

        # 第五十八条 / 118号 法制审核
        review, citations, reason, params = self._legal_review(fine, penalised)
        notes.append(ProcedureNote("legal_review_required", review, citations, reason))

        # 第五十七条第二款 集体讨论
        collective, citations, reason, params = self._collective(treatment, supporting, mandatory)
        notes.append(ProcedureNote("collective_discussion", collective, citations, reason))

        # 第三十三条第三款 教育
        education = not penalised
        reason = (
            "依法不予行政处罚的，行政机关应当对当事人进行教育（并留存教育记录）。"
            if education
            else "拟给予行政处罚，不适用。"
        )
        notes.append(ProcedureNote("education_required", education, (CITE_33_3,), reason))
        self._step(
            "AP-33d",
            CITE_33_3,
            "不予处罚的应当对当事人进行教育",
            "applied" if education else "not_applicable",
            reason,
        )
        return Procedure(
            summary_allowed=summary,
            hearing_right=hearing,
            legal_review_required=review,
            collective_discussion=collective,
            education_required=education,
            notes=tuple(notes),
        )

    def _hearing(
        self, types: frozenset[PenaltyType], fine: Decimal | None, penalised: bool
    ) -> tuple[bool, str, tuple[tuple[str, ParamValue], ...]]:
        facts = self.facts
        on = self.procedural_on
        fine_threshold, fine_key = self._read_decimal(P_HEARING_FINE[facts.party_kind], on)
        params: tuple[tuple[str, ParamValue], ...] = ((fine_key, fine_threshold),)
        if not penalised:
            return False, "拟不予行政处罚，无需告知听证权利。" + self.if_penalised, params
        reasons: list[str] = []
        heavy = [t for t in _PENALTY_TYPES if t in types & HEARING_TYPES]
        if heavy:
            reasons.append(
                f"拟{('、'.join(t.label_zh for t in heavy))}（第六十三条第一款第三项、第四项）"
            )
        if PenaltyType.FINE in types:
            if fine is None:
                reasons.append("罚款数额尚未确定且可能达到较大数额（从严告知）")
            elif fine >= fine_threshold:
                reasons.append(
                    f"罚款{_yuan(fine)}达到较大数额（对{facts.party_kind.label_zh}{_yuan(fine_threshold)}"
                    "以上，第六十三条第一款第一项）"
                )
        if types & CONFISCATION_TYPES:
            threshold, key = self._read_decimal(P_HEARING_CONFISCATION[facts.party_kind], on)
            params += ((key, threshold),)
            amount = facts.amount_involved
            if amount is None:
                reasons.append(
                    "拟没收，违法所得（非法财物价值）尚未认定，可能达到较大数额（从严告知）"
                )
            elif amount >= threshold:
                reasons.append(
                    f"拟没收违法所得（非法财物）价值{_yuan(amount)}，达到较大数额（{_yuan(threshold)}"
                    "以上，第六十三条第一款第二项）"
                )
        possibly = [t for t in _PENALTY_TYPES if t in types & POSSIBLY_HEAVY_TYPES]
        if possibly:
            self.warnings.append(
                f"拟{('、'.join(t.label_zh for t in possibly))}，是否属于第六十三条第一款第五项"
                "“其他较重的行政处罚”须告知听证权利，请人工判断。"
            )
        if reasons:
            return True, "；".join(reasons) + "：应当告知当事人有要求听证的权利。", params
        amount_text = f"罚款{_yuan(fine)}" if fine is not None else "拟处罚"
        return (
            False,
            f"{amount_text}未达到较大数额（对{facts.party_kind.label_zh}{_yuan(fine_threshold)}以上），"
            "且不属于第六十三条规定的其他听证情形。",
            params,
        )

    def _legal_review(
        self, fine: Decimal | None, penalised: bool
    ) -> tuple[bool, tuple[str, ...], str, tuple[tuple[str, ParamValue], ...]]:
        facts = self.facts
        triggers_58: list[str] = []
        if facts.major_public_interest:
            triggers_58.append("涉及重大公共利益（第一项）")
        if facts.major_rights_and_heard:
            triggers_58.append("直接关系当事人或者第三人重大权益，经过听证程序（第二项）")
        if facts.complex_case:
            triggers_58.append("案件情况疑难复杂、涉及多个法律关系（第三项）")
        if facts.other_legal_review_required:
            triggers_58.append("法律、法规规定应当进行法制审核（第四项）")
        title_58 = "重大执法决定法制审核（行政处罚法）"
        if triggers_58:
            self._step(
                "AP-58",
                CITE_58,
                title_58,
                "applied",
                "；".join(triggers_58)
                + "：作出决定前应当进行法制审核，未经审核或者审核未通过的不得作出决定。",
            )
        else:
            self._step(
                "AP-58", CITE_58, title_58, "not_applied", "不具有第五十八条规定的四种情形。"
            )

        code = P_LEGAL_REVIEW_FINE[facts.party_kind]
        threshold, key = self._read_decimal(code, self.procedural_on)
        params: tuple[tuple[str, ParamValue], ...] = ((key, threshold),)
        reference = self._reference(code)
        triggers_ts: list[str] = []
        if facts.major_social_impact:
            triggers_ts.append("可能造成重大社会影响或者引发社会风险")
        if penalised and fine is not None and fine >= threshold:
            triggers_ts.append(
                f"拟罚款{_yuan(fine)}达到本机关法制审核目录清单的数额标准（{_yuan(threshold)}以上，"
                "该标准未核实，须按本机关目录清单配置）"
            )
        title_ts = "重大执法决定法制审核（三项制度、法制审核目录清单）"
        if triggers_ts:
            self._step(
                "TS-12",
                CITE_TS_12,
                title_ts,
                "applied",
                "；".join(triggers_ts) + "：应当进行法制审核。",
                params,
            )
        else:
            not_reason = "不具有可能造成重大社会影响的情形"
            if penalised and fine is not None:
                not_reason += f"，拟罚款{_yuan(fine)}未达到目录清单数额标准（{_yuan(threshold)}）"
            elif penalised:
                not_reason += "；罚款数额确定后应再次核对目录清单数额标准"
            self._step("TS-12", CITE_TS_12, title_ts, "not_applied", not_reason + "。", params)

        citations: list[str] = []
        if triggers_58:
            citations.append(CITE_58)
        if triggers_ts:
            citations.append(CITE_TS_12 if facts.major_social_impact else reference)
            if facts.major_social_impact and penalised and fine is not None and fine >= threshold:
                citations.append(reference)
        review = bool(triggers_58 or triggers_ts)
        if review:
            reason = "；".join(triggers_58 + triggers_ts) + "：作出决定前应当进行法制审核。"
        else:
            reason = "不属于应当进行法制审核的情形。"
        return review, tuple(dict.fromkeys(citations)), reason, params

    def _collective(
        self, treatment: Treatment, supporting: list[_Ground], mandatory: bool
    ) -> tuple[bool, tuple[str, ...], str, tuple[tuple[str, ParamValue], ...]]:
        facts = self.facts
        title = "负责人集体讨论决定"
        penalised = treatment is not Treatment.NO_PENALTY
        reasons: list[str] = []
        citations: tuple[str, ...] = ()
        if penalised and facts.complex_case:
            reasons.append("情节复杂")
        if penalised and facts.severity is Severity.GRAVE:
            reasons.append("属于重大违法行为（情节严重）")
        if reasons:
            reason = (
                "对"
                + "、".join(reasons)
                + "的违法行为给予行政处罚，行政机关负责人应当集体讨论决定。"
            )
            self._step("AP-57", CITE_57_2, title, "applied", reason)
            collective, citations = True, (CITE_57_2,)
        else:
            reason = (
                "拟不予行政处罚，不适用第五十七条第二款。"
                if not penalised
                else "不属于情节复杂或者重大违法行为。"
            )
            self._step("AP-57", CITE_57_2, title, "not_applied", reason)
            collective, citations = False, ()

        required, key = self._read_bool(P_FV_COLLECTIVE, self.procedural_on)
        reference = self._reference(P_FV_COLLECTIVE)
        params: tuple[tuple[str, ParamValue], ...] = ((key, required),)
        first_violation_exemption = (
            treatment is Treatment.NO_PENALTY
            and not mandatory
            and any(
                g.rule_id == "AP-33b" or g.rule_id.startswith("LIST:first_violation")
                for g in supporting
            )
        )
        fv_title = "首违不罚须经集体研究决定（吉林省自然资源领域做法）"
        if first_violation_exemption and required:
            fv_reason = (
                "拟依首违可不罚规定不予行政处罚，须经负责人集体研究决定"
                "（部分核实的本地做法，可配置）。"
            )
            self._step("JL-FV", reference, fv_title, "applied", fv_reason, params)
            return (
                True,
                citations + (reference,),
                (reason + fv_reason) if collective else fv_reason,
                params,
            )
        if first_violation_exemption:
            self._step(
                "JL-FV",
                reference,
                fv_title,
                "not_applied",
                "本地配置不要求首违不罚集体研究决定。",
                params,
            )
        else:
            self._step(
                "JL-FV",
                reference,
                fv_title,
                "not_applicable",
                "不是依首违可不罚规定不予处罚。",
                params,
            )
        return collective, citations, reason, params

    # -- the paragraph -----------------------------------------------------------------------------

    def _paragraph(self, treatment: Treatment, supporting: list[_Ground], chosen: Option) -> str:
        citations = [g.citation for g in supporting]
        # A list entry restates a statutory ground; its phrase is only needed when no statutory
        # ground gives the reason (the list is still cited).
        statutory = [g for g in supporting if not g.rule_id.startswith("LIST:")]
        explained = statutory or supporting
        if treatment is Treatment.NO_PENALTY:
            phrases = [g.phrase for g in explained]
            time_barred = any(g.rule_id == "AP-36" for g in supporting)
            outcome = "决定不再给予行政处罚" if time_barred else "决定不予行政处罚"
            # 第三十条、第三十一条: the order to the guardian belongs in the decision.
            for g in supporting:
                _, _, guardian = g.effect.partition("，")
                if guardian:
                    outcome += f"，{guardian}"
            text = _sentence(citations, phrases, outcome + "，并对当事人进行教育")
        else:
            phrases = [f"{g.phrase}，{g.effect}" for g in explained] or [
                "当事人不具有法定从轻、减轻或者从重处罚情节"
            ]
            outcome = {
                Treatment.REDUCED: "决定减轻行政处罚",
                Treatment.LIGHTER: "决定从轻行政处罚",
                Treatment.ORDINARY: "依法给予行政处罚",
                Treatment.HEAVIER: "决定从重行政处罚",
            }[treatment]
            if self.statutory_fine is not None:
                # 国办发〔2022〕27号 五（十二）: the decision states how the benchmark was applied.
                if self.tier_citation and chosen.fine_range is not None:
                    outcome += f"，适用{self.tier_citation}阶次"
                outcome += f"，{chosen.fine_text.removesuffix('。')}"
            text = _sentence(citations, phrases, outcome)
        if self.no_coercion_entries:
            cites = [CITE_BUSINESS_59] + [
                f"{e.list_title}第{e.number}项" for e in self.no_coercion_entries
            ]
            text += f"依据{_join_citations(cites)}，对当事人不实施行政强制措施。"
        return text


_ENTRY_EFFECT: dict[ListKind, tuple[frozenset[Treatment], bool, str]] = {
    ListKind.NO_PENALTY: (_NO, True, "按清单应当不予行政处罚"),
    ListKind.FIRST_VIOLATION: (_NO, False, "依法可以不予行政处罚"),
    ListKind.REDUCED: (frozenset({Treatment.REDUCED}), True, "按清单应当减轻行政处罚"),
    ListKind.LIGHTER: (frozenset({Treatment.LIGHTER}), True, "按清单应当从轻行政处罚"),
}


def _admits(option: Option, fine: Decimal) -> bool:
    """Whether ``fine`` is a lawful amount under ``option`` (减轻: below the statutory minimum)."""
    r = option.fine_range
    if r is None:
        return False
    if fine < r.minimum or (r.maximum is not None and fine > r.maximum):
        return False
    if option.treatment is Treatment.REDUCED and r.maximum is not None and r.maximum > 0:
        return fine < r.maximum or r.minimum == r.maximum
    return True


def _validity(entry: ListEntry) -> str:
    start = _zh(entry.effective_from) if entry.effective_from else "不限"
    end = _zh(entry.effective_until) if entry.effective_until else "不限"
    return f"有效期{start}至{end}"


def _tier_label(tier: StandardTier) -> str:
    if tier.severity is None:
        return tier.treatment.label_zh
    return f"{tier.treatment.label_zh}（{tier.severity.label_zh}）"


def _select_tier(
    standard: Standard, t: Treatment, severity: Severity | None
) -> tuple[StandardTier | None, str]:
    candidates = [tier for tier in standard.tiers if tier.treatment is t]
    if not candidates:
        return None, f"裁量基准没有“{t.label_zh}”阶次。"
    if severity is not None:
        for tier in candidates:
            if tier.severity is severity:
                return tier, ""
    for tier in candidates:
        if tier.severity is None:
            return tier, ""
    if severity is None:
        # A tier written for one 情节 level must not be applied to a case whose 情节 nobody
        # assessed: the officer has to state it (国办发〔2022〕27号 三（六）).
        return None, f"未认定情节，无法选择裁量基准“{t.label_zh}”阶次的情节档次。"
    return None, f"裁量基准“{t.label_zh}”阶次没有与本案情节（{severity.label_zh}）相符的档次。"


def _fine_text(t: Treatment, r: FineRange, base: FineRange) -> str:
    if t is Treatment.REDUCED:
        if base.minimum == 0:
            return "法定罚款没有最低限，减轻处罚应选择更轻的处罚种类或者不处罚款。"
        if r.minimum == 0 and r.maximum == base.minimum:
            return (
                f"罚款数额应低于法定最低限{_yuan(base.minimum)}"
                "（也可以不处罚款或者选择更轻的处罚种类）。"
            )
        return f"在{_range_text(r)}幅度内确定罚款数额（低于法定最低限{_yuan(base.minimum)}）。"
    return f"在{_range_text(r)}幅度内确定罚款数额。"


def _sentence(citations: Sequence[str], phrases: Sequence[str], outcome: str) -> str:
    lead = f"依据{_join_citations(citations)}，" if citations else ""
    body = "；".join(phrases)
    return f"{lead}{body}，{outcome}。" if body else f"{lead}{outcome}。"


def evaluate(
    facts: Facts,
    *,
    statutory_fine: FineRange | None,
    entries: Sequence[ListEntry],
    standard: Standard | None,
    params: ParameterSet,
    penalty_types: frozenset[PenaltyType] = frozenset(),
) -> Decision:
    """Decide the lenient treatment and procedure of one case, explaining every rule.

    ``statutory_fine`` and ``penalty_types`` come from the enforcement item; ``entries`` are
    the list entries for it (the engine itself ignores entries for other items, not in force on
    the act date, or whose conditions fail, and says so in the trace); ``standard`` is the
    discretion benchmark of the item, if any. Raises :class:`LenienceError` (Chinese message)
    when the engine cannot decide, e.g. an act before the 2021 law took effect.
    """
    return _Evaluation(facts, statutory_fine, entries, standard, params, penalty_types).run()
