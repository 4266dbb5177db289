"""One page per step of a case: GET shows the step's form, POST calls its service.

The table below maps each action to its form and to the service of the same name, which
takes the form's ``service_kwargs()``; what may follow what, and who may do it, is the
workflow table's (``fazhi.cases.workflow``); whether the law allows it now is the service's.
A refusal is shown on the form with the user's input kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fazhi.cases import services
from fazhi.cases.forms import (
    ActionForm,
    AssessForm,
    CloseForm,
    ConcludeHearingForm,
    CorrectDisclosureForm,
    DateForm,
    DecideForm,
    DeclineForm,
    DiscussionForm,
    EvidenceForm,
    ExtendForm,
    HandleHeldForm,
    HoldEvidenceForm,
    NoPenaltyForm,
    NotifyForm,
    PaymentForm,
    ReasonForm,
    RecuseForm,
    RemedyForm,
    ReportForm,
    ReturnForm,
    ReviewForm,
    RevocationForm,
    ScheduleHearingForm,
    ServeForm,
    StatementForm,
    SuspendForm,
    TransferForm,
    UpdateCaseForm,
    WithdrawDisclosureForm,
    refuse,
)
from fazhi.cases.models import Disclosure, DisclosureAction, PenaltyCase
from fazhi.cases.selectors import case_for
from fazhi.cases.views._common import actor_of, requires
from fazhi.cases.workflow import DECIDED_STATES, TRANSITIONS, TransitionError, check
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import has_perm, require

PUBLISH = "cases.publish"
# The steps that choose a treatment or a fine: their page repeats the engine's conclusion.
SHOWS_EVALUATION = frozenset({"notify", "propose_no_penalty", "decide"})


@dataclass(frozen=True)
class Action:
    """A step of the case page: its form, and the service its cleaned data is given to."""

    name: str
    label: str
    permission: str
    form: type[ActionForm]
    service: Callable[..., object]
    citation: str = ""
    inline: bool = False  # only a date: a one-click form on the case page
    danger: bool = False  # ends the case or undoes something: set apart on the page

    def run(self, actor: User, case: PenaltyCase, form: ActionForm) -> object:
        return self.service(actor=actor, case=case, **form.service_kwargs())


def _t(name: str, form: type[ActionForm], **kw: bool) -> Action:
    """A step of the workflow table: its label, permission and citation are the table's;
    the service of the same name does it."""
    t = TRANSITIONS[name]
    return Action(name, t.label, t.permission, form, getattr(services, name), t.citation, **kw)


def _p(name: str, label: str, form: type[ActionForm], citation: str, **kw: bool) -> Action:
    """A 公示 action (国办发〔2018〕118号 二（六）; 行政处罚法 第四十八条): no step of the table."""
    return Action(name, label, PUBLISH, form, getattr(services, name), citation, **kw)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        _t("update_case", UpdateCaseForm),
        _t("register", DateForm, inline=True),
        _t("decline", DeclineForm, danger=True),
        _t("assess", AssessForm),
        _t("add_evidence", EvidenceForm),
        _t("hold_evidence", HoldEvidenceForm),
        _t("handle_held_evidence", HandleHeldForm),
        _t("recuse", RecuseForm),
        _t("submit_for_examination", ReportForm),
        _t("return_for_investigation", ReturnForm),
        _t("notify", NotifyForm),
        _t("propose_no_penalty", NoPenaltyForm),
        _t("record_statement", StatementForm),
        _t("request_hearing", DateForm, inline=True),
        _t("schedule_hearing", ScheduleHearingForm),
        _t("conclude_hearing", ConcludeHearingForm),
        _t("conclude_statement", DateForm, inline=True),
        _t("submit_legal_review", DateForm, inline=True),
        _t("pass_legal_review", ReviewForm),
        _t("return_legal_review", ReviewForm),
        _t("record_discussion", DiscussionForm),
        _t("extend", ExtendForm),
        _t("decide", DecideForm),
        _t("serve", ServeForm),
        _t("record_payment", PaymentForm),
        _t("record_remedy", RemedyForm),
        _t("close", CloseForm),
        _t("archive", DateForm, inline=True),
        _t("revoke_registration", ReasonForm, danger=True),
        _t("transfer", TransferForm, danger=True),
        _t("suspend", SuspendForm, danger=True),
        _t("resume", DateForm, inline=True),
        _t("terminate", ReasonForm, danger=True),
        _t("revoke_decision", RevocationForm, danger=True),
        _p(
            "publish_decision",
            "公示行政处罚决定",
            DateForm,
            "国办发〔2018〕118号 二（六）",
            inline=True,
        ),
        _p("correct_disclosure", "更正公示内容", CorrectDisclosureForm, "国办发〔2018〕118号 二"),
        _p(
            "withdraw_disclosure",
            "撤回公示",
            WithdrawDisclosureForm,
            "行政处罚法 第四十八条",
            danger=True,
        ),
    )
}


def unavailable(
    action: Action, case: PenaltyCase, disclosures: Sequence[Disclosure] | None = None
) -> str:
    """Why ``action`` cannot start from the case's state now ("" if it can). The table says
    for the steps; the disclosures depend on the decision and the current publication (read
    from ``disclosures`` when the caller has loaded the case's rows)."""
    if action.name in TRANSITIONS:
        try:
            check(action.name, case.state)
        except TransitionError as exc:
            return str(exc)
        return ""
    current = services.current_disclosure(case, disclosures)
    published = current is not None and current.action != DisclosureAction.WITHDRAW
    if action.name == "publish_decision":
        if case.state not in DECIDED_STATES:
            return f"案件处于“{case.state.label_zh}”阶段，没有可以公开的决定"
        if current is not None:
            return "该决定已公示过；如需修改请使用“更正”"
        return ""
    return "" if published else "该决定当前未公示"


def panel(
    actor: User, case: PenaltyCase, disclosures: Sequence[Disclosure] | None = None
) -> list[Action]:
    """The actions the case page offers ``actor`` now: allowed by the state and the role.
    ``disclosures``: the case's rows, when loaded (else each 公示 action reads the current one)."""
    return [
        a
        for a in ACTIONS.values()
        if has_perm(actor, a.permission) and not unavailable(a, case, disclosures)
    ]


@requires("cases.view")
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个办案环节")
    actor = actor_of(request)
    case = case_for(actor, pk)
    require(actor, spec.permission)
    posted = request.method == "POST"
    if not posted:
        reason = unavailable(spec, case)
        if reason:
            messages.error(request, reason)
            return redirect("cases:case_detail", pk=case.pk)
    form = spec.form(
        request.POST if posted else None,
        request.FILES if posted else None,
        case=case,
        actor=actor,
    )
    status = 200
    if posted:
        if form.is_valid():
            try:
                spec.run(actor, case, form)
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, f"已完成“{spec.label}”")
                return redirect("cases:case_detail", pk=case.pk)
        status = 400
    context = {
        "case": case,
        "action": spec,
        "form": form,
        "show_evaluation": spec.name in SHOWS_EVALUATION,
    }
    return render(request, "cases/action_form.html", context, status=status)
