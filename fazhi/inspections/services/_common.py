"""Shared pieces of the inspection services: the error, parameters, validation, locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import IO, Any

from django.utils import timezone

from fazhi.core.choices import OrgKind
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.selectors import county_root_path, visible_organizations
from fazhi.draws.services import AssignmentRules
from fazhi.inspections.models import (
    Outcome,
    Plan,
    RiskClass,
    Task,
)
from fazhi.rules.parameters import default_parameters

RATIO_PARAMETER = "INSPECTION_RATIO_BY_RISK_CLASS"
PUBLICATION_PARAMETER = "INSPECTION_RESULT_PUBLICATION_WDAYS"
# Outcomes that mean a problem was found (indicator “problems found”).
PROBLEM_OUTCOMES = (Outcome.FAILED, Outcome.RECTIFY, Outcome.REFERRED)
MAX_FILE_BYTES = 50 << 20


class InspectionError(DomainError):
    """A refused inspection operation; ``field`` names the input at fault (forms, API)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message, details={field: [message]} if field else None)
        self.field = field


@dataclass(frozen=True)
class UploadedFile:
    """A file handed to :func:`record_result` by code that is not a Django view."""

    stream: IO[bytes]
    name: str
    content_type: str


# --- helpers ----------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _require_in_scope(actor: User, org: Organization) -> None:
    if not visible_organizations(actor).filter(pk=org.pk).exists():
        raise InspectionError(f"“{org.name}”不在您的数据范围内")


def _text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InspectionError(f"请填写{what}", field)
    return value


def _choice(value: str, choices: Iterable[str], field: str, what: str) -> str:
    if value not in set(choices):
        raise InspectionError(f"{what}“{value}”无效", field)
    return value


def _township(actor: User, township: Organization | None, field: str = "township") -> None:
    if township is None:
        return
    if township.kind != OrgKind.TOWNSHIP:
        raise InspectionError(f"“{township.name}”不是乡镇", field)
    if actor.organization is None or not township.path.startswith(
        county_root_path(actor.organization)
    ):
        raise InspectionError(f"“{township.name}”不在本县", field)


def _strings(values: Iterable[str], field: str, what: str) -> list[str]:
    """Distinct, stripped, non-empty, in the order given."""
    out = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if not out:
        raise InspectionError(f"请填写{what}", field)
    return out


def params_on(on: dt.date) -> dict[str, Any]:
    """The inspection parameters in force on ``on`` (values only)."""
    p = default_parameters()
    return {
        "ratios": dict(p.mapping_value(RATIO_PARAMETER, on)),
        "per_task": p.int_value("INSPECTION_INSPECTORS_PER_ENTITY", on),
        "substitutes": p.int_value("INSPECTION_SUBSTITUTES", on),
        "same_township": bool(p.value("INSPECTION_SAME_TOWNSHIP_ALLOWED", on)),
        "max_pairings": p.int_value("INSPECTION_MAX_PAIRINGS", on),
        "publication_wdays": p.int_value(PUBLICATION_PARAMETER, on),
    }


def default_rules(on: dt.date | None = None) -> AssignmentRules:
    """Inspector assignment rules from the parameters in force on ``on`` (default: today)."""
    values = params_on(on or _today())
    return AssignmentRules(
        per_task=values["per_task"],
        substitutes=values["substitutes"],
        same_township=values["same_township"],
        max_pairings=values["max_pairings"],
    )


def _ratios(raw: Mapping[str, Any] | None, on: dt.date) -> dict[str, str]:
    """Sampling ratio per risk class as Decimal strings in [0, 1]; all four classes.

    Empty: the parameter's defaults. Otherwise every class must be given (an omitted class
    would silently never be inspected)."""
    source = dict(raw or {}) or params_on(on)["ratios"]
    unknown = sorted(set(source) - set(RiskClass.values))
    if unknown:
        raise InspectionError(f"风险类别“{'、'.join(unknown)}”无效", "ratios")
    missing = [c for c in RiskClass.values if c not in source]
    if missing:
        raise InspectionError(f"请设定{'、'.join(missing)}类的抽查比例", "ratios")
    out: dict[str, str] = {}
    for risk_class in RiskClass.values:
        try:
            ratio = Decimal(str(source[risk_class]).strip().removesuffix("%"))
        except (InvalidOperation, ValueError):
            raise InspectionError(f"{risk_class}类的抽查比例不是数字", "ratios") from None
        if str(source[risk_class]).strip().endswith("%"):
            ratio /= 100
        if not Decimal(0) <= ratio <= Decimal(1):
            raise InspectionError(f"{risk_class}类的抽查比例应在0到1之间", "ratios")
        out[risk_class] = str(ratio.normalize()) if ratio else "0"
    return out


def quota(ratio: str | Decimal, count: int) -> int:
    """⌈ratio × count⌉: a class with any entity and a positive ratio has at least one drawn."""
    return int((Decimal(str(ratio)) * count).to_integral_value(rounding=ROUND_CEILING))


def _lock_task(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__organization", "draw")
        .get(pk=task.pk)
    )


def _lock_plan(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)


def _plan_stream(plan: Plan) -> str:
    return f"inspections.plan.{plan.number}"
