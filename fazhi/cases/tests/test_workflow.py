"""The transition table: every transition from every state, allowed or refused."""

from __future__ import annotations

import pytest

from fazhi.cases.workflow import (
    FINAL,
    PREVIOUS,
    SAME,
    TRANSITIONS,
    Status,
    TransitionError,
    available,
    check,
    target_of,
)

STATES: list[Status | None] = [None, *Status]
PAIRS = [(name, state) for name in TRANSITIONS for state in STATES]


@pytest.mark.parametrize(("name", "state"), PAIRS, ids=[f"{n}-{s}" for n, s in PAIRS])
def test_each_transition_from_each_state_is_allowed_or_refused_in_chinese(name, state):
    transition = TRANSITIONS[name]
    allowed = (state is None and not transition.sources) or state in transition.sources
    if allowed:
        assert check(name, state) is transition
    else:
        with pytest.raises(TransitionError) as info:
            check(name, state)
        assert transition.label in str(info.value)
        if state is not None:
            assert state.label_zh in str(info.value)


def test_final_states_allow_nothing_but_late_evidence_free_paths():
    for state in FINAL:
        names = {t.name for t in available(state)}
        # 决定被撤销 ends the case; archived cases may still have their decision revoked.
        assert names <= {"revoke_decision"}, (state, names)


def test_the_ordinary_path_is_connected_in_the_table():
    path = [
        ("receive_lead", None, Status.LEAD),
        ("register", Status.LEAD, Status.INVESTIGATING),
        ("submit_for_examination", Status.INVESTIGATING, Status.EXAMINING),
        ("notify", Status.EXAMINING, Status.NOTIFIED),
        ("request_hearing", Status.NOTIFIED, Status.HEARING),
        ("conclude_hearing", Status.HEARING, Status.READY),
        ("submit_legal_review", Status.READY, Status.LEGAL_REVIEW),
        ("pass_legal_review", Status.LEGAL_REVIEW, Status.READY),
        ("decide", Status.READY, Status.DECIDED),
        ("serve", Status.DECIDED, Status.SERVED),
        ("record_payment", Status.SERVED, Status.EXECUTED),
        ("close", Status.EXECUTED, Status.CLOSED),
        ("archive", Status.CLOSED, Status.ARCHIVED),
    ]
    for name, source, target in path:
        transition = check(name, source)
        assert target_of(transition, source, None) == target


def test_same_and_previous_targets_resolve():
    assert target_of(TRANSITIONS["add_evidence"], Status.EXAMINING, None) == Status.EXAMINING
    assert TRANSITIONS["add_evidence"].target == SAME
    resume = TRANSITIONS["resume"]
    assert resume.target == PREVIOUS
    assert target_of(resume, Status.SUSPENDED, Status.NOTIFIED) == Status.NOTIFIED
    with pytest.raises(TransitionError, match="中止前"):
        target_of(resume, Status.SUSPENDED, None)


def test_every_transition_names_a_known_permission():
    from fazhi.core.permissions import PERMISSIONS

    for t in TRANSITIONS.values():
        assert t.permission in PERMISSIONS, t.name
