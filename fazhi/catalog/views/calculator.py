"""The 裁量计算器: an officer's facts in, the lenience engine's decision out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fazhi.catalog import selectors
from fazhi.catalog.forms import (
    CalculatorForm,
)
from fazhi.catalog.models import (
    EnforcementItem,
)
from fazhi.catalog.views._common import (
    actor_of,
)
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.views import requires
from fazhi.rules.enforcement import Treatment
from fazhi.rules.lenience import OUTCOME_LABELS, Decision, LenienceError, evaluate
from fazhi.rules.parameters import ParameterError, default_parameters

# --- 裁量计算器 --------------------------------------------------------------------------------

PROCEDURE_LABELS = {
    "summary_allowed": "可以当场作出处罚决定（简易程序）",
    "hearing_right": "应当告知听证权利",
    "legal_review_required": "应当进行法制审核",
    "collective_discussion": "应当由负责人集体讨论决定",
    "education_required": "应当对当事人进行教育",
}


@dataclass
class CalculatorResult:
    """What the result panel shows: the decision, or the reasons there is none."""

    decision: Decision | None = None
    item: EnforcementItem | None = None
    errors: list[str] = field(default_factory=list)
    standard_title: str = ""
    entry_count: int = 0

    @property
    def allowed(self) -> list[Treatment]:
        if self.decision is None:
            return []
        return sorted(self.decision.allowed, key=lambda t: t.rank)

    @property
    def procedure(self) -> list[dict[str, Any]]:
        if self.decision is None:
            return []
        return [
            {
                "label": PROCEDURE_LABELS.get(n.name, n.name),
                "value": n.value,
                "citations": "、".join(n.citations),
                "reason": n.reason,
            }
            for n in self.decision.procedure.notes
        ]

    @property
    def trace(self) -> list[dict[str, str]]:
        if self.decision is None:
            return []
        return [
            {
                "rule_id": s.rule_id,
                "citation": s.citation,
                "title": s.title,
                "outcome": s.outcome,
                "outcome_label": OUTCOME_LABELS.get(s.outcome, s.outcome),
                "reason": s.reason,
            }
            for s in self.decision.trace
        ]


def _form_errors(form: forms.Form) -> list[str]:
    errors: list[str] = []
    for name, messages_ in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors.extend(f"{label}：{m}" if label else str(m) for m in messages_)
    return errors


def calculator_item(actor: User, code: str) -> EnforcementItem | None:
    """An active item the actor may see, or any published one (a township applies delegated
    county items, which are public once published)."""
    code = code.strip()
    item = selectors.items_for(actor).filter(code=code, is_active=True).first()
    return item or selectors.public_items().filter(code=code).first()


def calculate(actor: User, form: CalculatorForm) -> CalculatorResult:
    if not form.is_valid():
        return CalculatorResult(errors=_form_errors(form))
    facts = form.cleaned_data["facts"]
    item = calculator_item(actor, facts.item_code)
    if item is None:
        message = f"事项编码“{facts.item_code}”不存在、已停用或不在您的数据范围内"
        form.add_error("item_code", message)
        return CalculatorResult(errors=[message])
    try:
        # Lists and benchmarks in force when the act ended (第三十七条: 实体从旧).
        inputs = selectors.rules_inputs(item.code, facts.act_end)
        decision = evaluate(
            facts,
            statutory_fine=inputs.statutory_fine,
            entries=inputs.entries,
            standard=inputs.standard,
            params=default_parameters(),
            penalty_types=inputs.penalty_types,
        )
    except (DomainError, LenienceError, ParameterError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        form.add_error(None, message)
        return CalculatorResult(item=item, errors=[message])
    return CalculatorResult(
        decision=decision,
        item=item,
        standard_title=inputs.standard.title if inputs.standard else "",
        entry_count=len(inputs.entries),
    )


@requires("rules.evaluate")
def calculator_view(request: HttpRequest) -> HttpResponse:
    """Facts in, the engine's decision out; with htmx only the result panel is swapped."""
    actor = actor_of(request)
    if request.method != "POST":
        initial = {
            "item_code": request.GET.get("item", "")[:64],
            "discovered_date": timezone.localdate(),
        }
        form = CalculatorForm(initial=initial)
        return render(request, "catalog/calculator.html", {"form": form, "result": None})
    form = CalculatorForm(request.POST)
    result = calculate(actor, form)
    context = {"form": form, "result": result}
    if request.headers.get("HX-Request") == "true":
        # htmx swaps only 2xx responses, so refused facts come back as a 200 fragment that
        # lists the errors; the form itself is not replaced and keeps what was typed.
        return render(request, "catalog/_calculator_result.html", context)
    status = 200 if result.decision is not None else 400
    return render(request, "catalog/calculator.html", context, status=status)
