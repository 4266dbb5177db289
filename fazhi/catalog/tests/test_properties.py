"""Properties of the catalog's validators, checked by Hypothesis (no database).

The services, the Excel import and the API all validate with these functions, so each one is
held to an exact statement: ``check_fine_range`` accepts exactly the ordered, non-negative
ranges; ``check_tiers`` accepts a tier exactly when it lies where the statute (and, for a county
refinement, the higher benchmark) allows; the structured list conditions survive the JSON
column unchanged; and any input at all is either accepted or refused with a
:class:`CatalogValidationError`, never with a stray Python exception.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.catalog.conversions import (
    CatalogValidationError,
    TierInput,
    check_credit_code,
    check_fine_range,
    check_penalty_types,
    check_tiers,
    conditions_from_json,
    conditions_to_json,
    parse_money,
)
from fazhi.catalog.testing import credit_code
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListConditions,
    PartyKind,
    PenaltyType,
    Severity,
)

D = Decimal
TOP = D("999999999999.99")  # parse_money's largest amount (below 1e12)

money = st.decimals(min_value=0, max_value=TOP, places=2)
signed = st.decimals(min_value=-(10**6), max_value=10**7, places=2)
bases = st.sampled_from([b.value for b in FineBasis])


def _never_raises_otherwise(call: Any, *args: Any, **kwargs: Any) -> Any:
    """The result, or None when refused with a CatalogValidationError carrying a message."""
    try:
        return call(*args, **kwargs)
    except CatalogValidationError as exc:
        assert exc.message
        assert exc.details == {exc.field: [exc.message]}
        return None


# --- amounts and fine ranges --------------------------------------------------------------


cells = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.from_regex(r"-?[0-9,]{0,14}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,7})?", fullmatch=True),
)


@given(cells)
def test_parse_money_returns_an_amount_in_range_or_refuses(cell):
    amount = _never_raises_otherwise(parse_money, cell, "fine_min", "罚款下限")
    if amount is not None:
        assert D(0) <= amount <= TOP
        assert amount == amount.quantize(D("0.01"))


@given(money)
def test_parse_money_reads_back_what_it_accepts(amount):
    assert parse_money(str(amount), "f", "金额") == amount
    assert parse_money(f"{amount:,}", "f", "金额") == amount  # with thousands separators


@given(bases, signed, st.one_of(st.none(), signed))
def test_check_fine_range_accepts_exactly_ordered_non_negative_ranges(basis, low, high):
    result = _never_raises_otherwise(check_fine_range, basis, low, high)
    ordered = low >= 0 and (high is None or low <= high)
    assert (result is not None) == ordered
    if result is not None:
        assert result == FineRange(low, high, FineBasis(basis))


@given(st.text(max_size=10).filter(lambda b: b not in {"", "amount", "multiple"}), money)
def test_check_fine_range_refuses_an_unknown_basis(basis, low):
    assert _never_raises_otherwise(check_fine_range, basis, low, low) is None


@given(st.lists(st.one_of(st.sampled_from([p.value for p in PenaltyType]), st.text(max_size=4))))
def test_check_penalty_types_accepts_exactly_the_article_9_types(values):
    result = _never_raises_otherwise(check_penalty_types, values)
    allowed = {p.value for p in PenaltyType}
    assert (result is not None) == all(v in allowed for v in values)
    if result is not None:
        assert result == list(dict.fromkeys(values))  # deduplicated, first occurrence kept


@given(
    st.integers(min_value=0, max_value=10**9 - 1),
    st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"),
)
def test_a_credit_code_is_accepted_exactly_with_its_check_character(n, last):
    code = credit_code(n)
    assert check_credit_code(code) == code
    accepted = _never_raises_otherwise(check_credit_code, code[:-1] + last)
    assert (accepted is not None) == (last == code[-1])


@given(st.text(max_size=24))
def test_any_text_is_a_valid_credit_code_or_refused(text):
    result = _never_raises_otherwise(check_credit_code, text)
    if result is not None:
        assert len(result) == 18


# --- discretion tiers (DB-5, DB-6) --------------------------------------------------------------


def tier(treatment: str, severity: str = "", low=None, high=None) -> TierInput:
    return TierInput(treatment, severity, low, high, "适用条件", "具体标准")


# The four 情节 levels DB-6 requires for a ranged item, without fines: they never decide.
FILLER = tuple(tier("ordinary", s.value) for s in Severity)
LIMIT = D(10**7)


@st.composite
def statutes(draw: st.DrawFn) -> FineRange:
    low = draw(st.decimals(min_value=0, max_value=10**6, places=2))
    high = draw(st.one_of(st.none(), st.decimals(min_value=low, max_value=LIMIT, places=2)))
    return FineRange(low, high)


def bounds(data: st.DataObject, statute: FineRange) -> tuple[Decimal, Decimal]:
    """A tier range, often inside the statute and often just outside it."""
    top = statute.maximum if statute.maximum is not None else LIMIT
    near = st.decimals(min_value=statute.minimum, max_value=top, places=2)
    anywhere = st.decimals(min_value=0, max_value=LIMIT + 1, places=2)
    edges = st.sampled_from(
        [statute.minimum, top, statute.minimum - D("0.01"), top + D("0.01")]
    ).filter(lambda d: d >= 0)
    pick = st.one_of(near, anywhere, edges)
    return data.draw(pick), data.draw(pick)


def accepted(tiers: tuple[TierInput, ...], statute: FineRange | None, parent=None) -> bool:
    try:
        check_tiers(tiers, statutory=statute, parent_tiers=parent)
    except CatalogValidationError:
        return False
    return True


@settings(max_examples=300)
@given(statutes(), st.sampled_from(["lighter", "ordinary", "heavier"]), st.data())
def test_check_tiers_accepts_a_tier_exactly_when_inside_the_statutory_range(
    statute, treatment, data
):
    low, high = bounds(data, statute)
    inside = statute.minimum <= low <= high and (statute.maximum is None or high <= statute.maximum)
    assert accepted((*FILLER, tier(treatment, "", low, high)), statute) == inside


@settings(max_examples=300)
@given(statutes(), st.data())
def test_a_reduced_tier_is_accepted_exactly_when_at_or_below_the_minimum(statute, data):
    # 减轻 = below the statutory minimum (国市监法规〔2022〕2号 第十条); “以下” includes it.
    low, high = bounds(data, statute)
    assert accepted((*FILLER, tier("reduced", "", low, high)), statute) == (
        low <= high <= statute.minimum
    )


@given(statutes(), money, money)
def test_a_no_penalty_tier_never_carries_a_fine(statute, low, high):
    assert not accepted((*FILLER, tier("no_penalty", "", low, high)), statute)
    assert accepted((*FILLER, tier("no_penalty")), statute)


@given(st.sets(st.sampled_from(list(Severity))))
def test_a_bounded_range_needs_all_four_severities(severities):
    statute = FineRange(D(100), D(1000))
    tiers = tuple(tier("ordinary", s.value) for s in severities) or (tier("ordinary"),)
    assert accepted(tiers, statute) == (severities == set(Severity))
    assert accepted(tiers, FineRange(D(100), None))  # an open range has nothing to divide


@settings(max_examples=300)
@given(st.data())
def test_db5_a_county_tier_is_accepted_exactly_inside_the_higher_tier(data):
    statute = FineRange(D(0), D(10**6))
    inside = st.decimals(min_value=0, max_value=10**6, places=2)
    p_low = data.draw(inside)
    p_high = data.draw(st.decimals(min_value=p_low, max_value=10**6, places=2))
    low = data.draw(st.one_of(inside, st.just(p_low), st.just(p_high)))
    high = data.draw(
        st.one_of(
            st.decimals(min_value=low, max_value=10**6, places=2), st.just(p_high), st.just(low)
        ).filter(lambda h: h >= low)
    )
    others = tuple(tier("ordinary", s) for s in ("minor", "serious", "grave"))
    parent = (*others, tier("ordinary", "slight", p_low, p_high))
    county = (*others, tier("ordinary", "slight", low, high))
    assert accepted(county, statute, parent) == (p_low <= low and high <= p_high)


@given(st.sampled_from(["no_penalty", "reduced", "lighter", "heavier"]))
def test_db5_a_county_tier_the_higher_benchmark_lacks_is_refused(treatment):
    parent = FILLER
    assert not accepted((*FILLER, tier(treatment)), FineRange(D(100), D(1000)), parent)


# --- structured list conditions ---------------------------------------------------------------

conditions = st.builds(
    ListConditions,
    requires_first_violation=st.booleans(),
    requires_corrected_in_time=st.booleans(),
    max_harm=st.one_of(st.none(), st.sampled_from(list(HarmLevel))),
    party_kinds=st.frozensets(st.sampled_from(list(PartyKind))),
    any_circumstance=st.frozensets(st.sampled_from(list(Circumstance))),
    max_amount_involved=st.one_of(st.none(), money),
)


@given(conditions)
def test_conditions_round_trip_through_the_json_column(value):
    data = conditions_to_json(value)
    assert json.loads(json.dumps(data)) == data  # plain JSON, as the JSONField stores it
    assert conditions_from_json(data) == value
    assert conditions_to_json(conditions_from_json(data)) == data


json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
condition_keys = st.one_of(
    st.sampled_from(
        [
            "requires_first_violation",
            "requires_corrected_in_time",
            "max_harm",
            "party_kinds",
            "any_circumstance",
            "max_amount_involved",
        ]
    ),
    st.text(max_size=6),
)
member_values = st.one_of(
    st.sampled_from([m.value for m in (*HarmLevel, *PartyKind, *Circumstance)]), json_values
)


@settings(max_examples=300)
@given(
    st.one_of(
        st.dictionaries(condition_keys, st.one_of(json_values, member_values), max_size=6),
        st.dictionaries(
            condition_keys, st.lists(member_values, max_size=3) | member_values, max_size=6
        ),
        json_values,
    )
)
def test_any_json_is_read_as_conditions_or_refused(data):
    result = _never_raises_otherwise(conditions_from_json, data)
    if result is not None:
        assert conditions_from_json(conditions_to_json(result)) == result
