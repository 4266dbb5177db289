"""Properties of the lenience engine, checked by Hypothesis on random cases.

Random facts, statutory fines (amounts and multiples), list entries (any kind, any conditions,
any validity window, sometimes for another item) and benchmarks (any tiers, even badly drafted
ones whose ranges fall outside the statute) must never produce:

* a fine range outside the statutory range, or a 从轻 range outside the lowest band;
* a mandatory 不予处罚 (under 14, no capacity, 第三十三条第一款前句, 第三十三条第二款, time-barred)
  that a list entry or benchmark overrides;
* a harsher treatment or a higher maximum fine after adding a mitigating fact.

The oracles for the mandatory grounds are written here from the statute, independently of the
engine's code.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListConditions,
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
from fazhi.rules.lenience import Decision, Facts, evaluate
from fazhi.rules.parameters import default_parameters

PARAMS = default_parameters()
ITEM = "SC-001"
INF = Decimal("Infinity")
RANK = {t: i for i, t in enumerate(Treatment)}
HARMS = list(HarmLevel)

# Decisions from 2022-10-08 on, when LIGHT_PENALTY_BAND is in force, so the band is exact.
acts = st.dates(min_value=date(2022, 10, 8), max_value=date(2026, 12, 31))
money = st.integers(min_value=0, max_value=200_000).map(Decimal)
small_money = st.integers(min_value=0, max_value=20_000).map(Decimal)


@st.composite
def fine_ranges(draw: st.DrawFn, basis: FineBasis = FineBasis.AMOUNT) -> FineRange:
    if basis is FineBasis.MULTIPLE:
        low = Decimal(draw(st.integers(min_value=0, max_value=5)))
        high = low + Decimal(draw(st.integers(min_value=0, max_value=10)))
        return FineRange(low, high, basis)
    low = draw(small_money)
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return FineRange(low, None)
    return FineRange(low, low + draw(money))


@st.composite
def statutory_fines(draw: st.DrawFn) -> FineRange | None:
    kind = draw(st.sampled_from(["amount", "amount", "amount", "multiple", "none"]))
    if kind == "none":
        return None
    return draw(fine_ranges(FineBasis.MULTIPLE if kind == "multiple" else FineBasis.AMOUNT))


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    act = draw(acts)
    continuing = None
    if draw(st.booleans()):
        continuing = act + timedelta(days=draw(st.integers(min_value=0, max_value=900)))
    discovered = act + timedelta(days=draw(st.integers(min_value=0, max_value=2400)))
    party = draw(st.sampled_from(list(PartyKind)))
    individual = party is PartyKind.INDIVIDUAL
    return Facts(
        act_date=act,
        discovered_date=discovered,
        party_kind=party,
        age=draw(st.none() | st.integers(min_value=8, max_value=80)) if individual else None,
        mental_capacity=(
            draw(st.sampled_from(list(MentalCapacity))) if individual else MentalCapacity.FULL
        ),
        item_code=ITEM,
        harm=draw(st.sampled_from(HARMS)),
        corrected_in_time=draw(st.booleans()),
        prior_violation_dates=tuple(
            act - timedelta(days=d)
            for d in draw(st.lists(st.integers(min_value=1, max_value=1500), max_size=3))
        ),
        no_subjective_fault=draw(st.integers(min_value=0, max_value=5)) == 0,
        circumstances=draw(st.frozensets(st.sampled_from(list(Circumstance)), max_size=3)),
        continuing_until=continuing,
        involves_life_health_or_finance=draw(st.booleans()),
        severity=draw(st.none() | st.sampled_from(list(Severity))),
        amount_involved=draw(st.none() | small_money),
        proposed_penalties=draw(st.frozensets(st.sampled_from(list(PenaltyType)), max_size=2)),
        proposed_fine=draw(st.none() | money),
    )


@st.composite
def entries(draw: st.DrawFn) -> ListEntry:
    start = draw(st.none() | st.dates(min_value=date(2021, 1, 1), max_value=date(2027, 1, 1)))
    end = None
    if start is not None and draw(st.booleans()):
        end = start + timedelta(days=draw(st.integers(0, 2000)))
    return ListEntry(
        kind=draw(st.sampled_from(list(ListKind))),
        list_title="《某局清单》",
        number=draw(st.integers(min_value=1, max_value=99)),
        item_code=draw(st.sampled_from([ITEM, ITEM, ITEM, "OTHER"])),
        violation="某违法行为",
        legal_basis="《某法》第一条",
        conditions=ListConditions(
            requires_first_violation=draw(st.booleans()),
            requires_corrected_in_time=draw(st.booleans()),
            max_harm=draw(st.none() | st.sampled_from(HARMS)),
            party_kinds=draw(st.frozensets(st.sampled_from(list(PartyKind)))),
            any_circumstance=draw(st.frozensets(st.sampled_from(list(Circumstance)), max_size=2)),
            max_amount_involved=draw(st.none() | small_money),
        ),
        effective_from=start,
        effective_until=end,
    )


@st.composite
def standards(draw: st.DrawFn) -> Standard:
    tiers = [
        StandardTier(
            treatment=draw(st.sampled_from(list(Treatment))),
            severity=draw(st.none() | st.sampled_from(list(Severity))),
            fine=draw(st.none() | fine_ranges(draw(st.sampled_from(list(FineBasis))))),
            condition_text="条件",
            standard_text="标准",
        )
        for _ in range(draw(st.integers(min_value=0, max_value=4)))
    ]
    return Standard(
        "《某局裁量基准》", draw(st.sampled_from([ITEM, ITEM, "OTHER"])), "", "", tuple(tiers)
    )


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    return {
        "facts": draw(facts()),
        "statutory_fine": draw(statutory_fines()),
        "entries": draw(st.lists(entries(), max_size=3)),
        "standard": draw(st.none() | standards()),
        "penalty_types": draw(st.frozensets(st.sampled_from(list(PenaltyType)), max_size=3)),
    }


def _decide(case: dict[str, object], **changes: Any) -> Decision:
    the_facts = case["facts"]
    assert isinstance(the_facts, Facts)
    if changes:
        the_facts = dataclasses.replace(the_facts, **changes)
    return evaluate(
        the_facts,
        statutory_fine=case["statutory_fine"],  # type: ignore[arg-type]
        entries=case["entries"],  # type: ignore[arg-type]
        standard=case["standard"],  # type: ignore[arg-type]
        params=PARAMS,
        penalty_types=case["penalty_types"],  # type: ignore[arg-type]
    )


def _statutory_yuan(case: dict[str, object]) -> tuple[Decimal, Decimal] | None:
    fine = case["statutory_fine"]
    if not isinstance(fine, FineRange):
        return None
    maximum = INF if fine.maximum is None else fine.maximum
    if fine.basis is FineBasis.AMOUNT:
        return fine.minimum, maximum
    amount = case["facts"].amount_involved  # type: ignore[attr-defined]
    if amount is None:
        return None
    return fine.minimum * amount, maximum * amount if maximum != INF else INF


def _upper(decision: Decision) -> Decimal:
    if decision.fine_range is None:
        return Decimal(0)
    return INF if decision.fine_range.maximum is None else decision.fine_range.maximum


def _mandatory_no_penalty_expected(f: Facts) -> bool:
    """第三十条、第三十一条、第三十三条第一款前句、第三十三条第二款、第三十六条, read directly."""
    start = f.continuing_until or f.act_date
    years = 5 if f.involves_life_health_or_finance and f.harm is not HarmLevel.NONE else 2
    try:
        last_day = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        last_day = date(start.year + years, 2, 28)
    time_barred = f.discovered_date > last_day
    under_14 = f.party_kind is PartyKind.INDIVIDUAL and f.age is not None and f.age < 14
    no_capacity = f.mental_capacity is MentalCapacity.NONE
    minor_no_harm = (
        f.harm is HarmLevel.NONE and f.corrected_in_time and f.severity in (None, Severity.SLIGHT)
    )
    return time_barred or under_14 or no_capacity or minor_no_harm or f.no_subjective_fault


# --- the invariants ---------------------------------------------------------------------------


# Generation dominates the run time, and the VM running CI is slow and noisy: keep the default
# number of examples and no per-example deadline.
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(cases())
def test_fine_ranges_stay_within_the_statute(case: dict[str, object]) -> None:
    decision = _decide(case)
    statute = _statutory_yuan(case)
    for option in decision.options:
        r = option.fine_range
        if r is None:
            continue
        assert statute is not None, "a fine range needs a statutory fine"
        low, high = statute
        upper = INF if r.maximum is None else r.maximum
        assert r.minimum >= 0
        assert upper <= high
        assert r.minimum <= upper
        if option.treatment in (Treatment.LIGHTER, Treatment.ORDINARY, Treatment.HEAVIER):
            assert r.minimum >= low, option
        if option.treatment is Treatment.REDUCED:
            assert upper <= low, option


@PROPERTY
@given(
    cases(), st.integers(min_value=0, max_value=20_000), st.integers(min_value=0, max_value=10**6)
)
def test_lighter_stays_in_the_lowest_band(case: dict[str, object], low: int, width: int) -> None:
    # given a bounded statutory fine and a 第三十二条 circumstance (应当从轻或者减轻)
    case = {**case, "statutory_fine": FineRange(Decimal(low), Decimal(low + width))}
    f = case["facts"]
    assert isinstance(f, Facts)
    decision = _decide(case, circumstances=f.circumstances | {Circumstance.COERCED})
    option = decision.option(Treatment.LIGHTER)
    assume(option is not None)
    assert option is not None and option.fine_range is not None
    low_d, high_d = Decimal(low), Decimal(low + width)
    band = PARAMS.decimal_value("LIGHT_PENALTY_BAND", f.act_end)
    assert option.fine_range.minimum >= low_d
    assert option.fine_range.maximum is not None
    assert option.fine_range.maximum <= low_d + band * (high_d - low_d)


@PROPERTY
@given(cases())
def test_a_mandatory_no_penalty_is_never_overridden(case: dict[str, object]) -> None:
    f = case["facts"]
    assert isinstance(f, Facts)
    decision = _decide(case)
    if _mandatory_no_penalty_expected(f):
        assert decision.treatment is Treatment.NO_PENALTY
        assert decision.mandatory is True
        assert decision.allowed == {Treatment.NO_PENALTY}
        assert decision.fine_range is None
        assert decision.applied_entries == ()
        assert decision.procedure.education_required
        assert not decision.procedure.hearing_right
        assert not decision.procedure.summary_allowed


MITIGATING_CIRCUMSTANCES = [c for c in Circumstance if c is not Circumstance.REPEAT_OFFENCE]


@PROPERTY
@given(cases(), st.data())
def test_a_mitigating_fact_never_makes_the_outcome_harsher(
    case: dict[str, object], data: st.DataObject
) -> None:
    f = case["facts"]
    assert isinstance(f, Facts)
    change = data.draw(
        st.sampled_from(["circumstance", "corrected", "harm", "no_fault", "priors"]),
        label="change",
    )
    changes: dict[str, Any]
    if change == "circumstance":
        added = data.draw(st.sampled_from(MITIGATING_CIRCUMSTANCES), label="added")
        changes = {"circumstances": f.circumstances | {added}}
    elif change == "corrected":
        changes = {"corrected_in_time": True}
    elif change == "harm":
        assume(f.harm is not HarmLevel.NONE)
        lower = data.draw(st.sampled_from(HARMS[: HARMS.index(f.harm)]), label="lower harm")
        changes = {"harm": lower}
    elif change == "no_fault":
        changes = {"no_subjective_fault": True}
    else:
        kept = data.draw(
            st.lists(st.sampled_from(f.prior_violation_dates), unique=True)
            if f.prior_violation_dates
            else st.just([]),
            label="kept priors",
        )
        changes = {"prior_violation_dates": tuple(d for d in f.prior_violation_dates if d in kept)}

    before = _decide(case)
    after = _decide(case, **changes)

    assert RANK[after.treatment] <= RANK[before.treatment], (change, before, after)
    assert _upper(after) <= _upper(before), (change, before.fine_range, after.fine_range)


@PROPERTY
@given(cases())
def test_every_rule_is_in_the_trace_once_and_explained(case: dict[str, object]) -> None:
    decision = _decide(case)
    ids = [s.rule_id for s in decision.trace]
    for rule_id in (
        "AP-37", "AP-36", "AP-30", "AP-31", "AP-33a", "AP-33c", "AP-33b", "AP-32", "LE-D4",
        "LE-D4-heavier", "FINE", "AP-51", "AP-63", "AP-58", "TS-12", "AP-57", "JL-FV", "AP-33d",
    ):  # fmt: skip
        assert ids.count(rule_id) == 1, rule_id
    entries_seen = [i for i in ids if i.startswith("LIST:")]
    assert len(entries_seen) == len(case["entries"])  # type: ignore[arg-type]
    assert all(s.reason and s.citation and s.title for s in decision.trace)
    assert decision.treatment in decision.allowed
    assert {o.treatment for o in decision.options} == decision.allowed
    assert decision.procedure.education_required is (decision.treatment is Treatment.NO_PENALTY)
    assert decision.paragraph.endswith("。")
    for entry in decision.applied_entries:
        assert entry.item_code == ITEM
        assert entry.in_force_on(case["facts"].act_end)  # type: ignore[attr-defined]
