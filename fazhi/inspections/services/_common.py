"""Shared pieces of the inspection services: the error, parameters, validation, locks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core.choices import OrgKind
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.selectors import county_root_path, visible_organizations
from fazhi.draws.services import AssignmentRules
from fazhi.inspections.models import (
    ItemKind,
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


# The checks of one input, public: the import (:mod:`fazhi.inspections.imports`) refuses a row
# with the same words as the services refuse a form.


def required_text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InspectionError(f"请填写{what}", field)
    return value


def valid_choice(value: str, choices: Iterable[str], field: str, what: str) -> str:
    if value not in set(choices):
        raise InspectionError(f"{what}“{value}”无效", field)
    return value


def county_townships(actor: User) -> QuerySet[Organization]:
    """The townships of the actor's county, where an entity or an inspector may be."""
    if actor.organization is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        kind=OrgKind.TOWNSHIP, path__startswith=county_root_path(actor.organization)
    )


def check_township(actor: User, township: Organization | None, field: str = "township") -> None:
    """``township`` (if any) is one of :func:`county_townships` (checked without a query)."""
    if township is None:
        return
    if township.kind != OrgKind.TOWNSHIP:
        raise InspectionError(f"“{township.name}”不是乡镇", field)
    if actor.organization is None or not township.path.startswith(
        county_root_path(actor.organization)
    ):
        raise InspectionError(f"“{township.name}”不在本县", field)


def required_strings(values: Iterable[str], field: str, what: str) -> list[str]:
    """Distinct, stripped, non-empty, in the order given."""
    out = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if not out:
        raise InspectionError(f"请填写{what}", field)
    return out


def params_on(on: dt.date) -> dict[str, Any]:
    """The inspection parameters in force on ``on`` (values only)."""
    p = default_parameters()
    return {
        "ratios": _plain(p.mapping_value(RATIO_PARAMETER, on)),
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


# The item kinds as ratio messages name them (“重点事项 C类的抽查比例应在0到1之间”).
KIND_NAMES = {ItemKind.GENERAL.value: "一般事项", ItemKind.KEY.value: "重点事项"}


def _plain(value: Any) -> Any:
    """A parameter's value as plain dicts (a nested mapping is read-only in the parameter set)."""
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, Mapping) else value


def _ratios(raw: Mapping[str, Any] | None, on: dt.date) -> dict[str, dict[str, str]]:
    """Sampling ratios per item kind and risk class, as stored on a plan:
    ``{"general": {"A": "0.01", …}, "key": {…}}``, Decimal strings in [0, 1].

    Empty: the parameter's defaults. The flat form ``{"A": …, "D": …}`` (the plan's form before
    ratios per item kind, still what older callers and API clients send) means the same ratios
    for both kinds. Otherwise every kind and every class must be given: an omitted class would
    silently never be inspected."""
    source = dict(raw or {}) or params_on(on)["ratios"]
    kinds = set(ItemKind.values)
    if not any(k in kinds or isinstance(v, Mapping) for k, v in source.items()):
        flat = _class_ratios(source, "")
        return {kind: dict(flat) for kind in ItemKind.values}
    if set(source) & set(RiskClass.values):
        raise InspectionError(
            "抽查比例应按事项类别（一般事项、重点事项）分别设定各风险类别，"
            "或只按风险类别设定（两类事项相同），不能混用",
            "ratios",
        )
    unknown = sorted(str(k) for k in set(source) - kinds)
    if unknown:
        raise InspectionError(
            f"事项类别“{'、'.join(unknown)}”无效（应为 general 一般事项、key 重点事项）", "ratios"
        )
    missing = [KIND_NAMES[k] for k in ItemKind.values if k not in source]
    if missing:
        raise InspectionError(f"请设定{'、'.join(missing)}的抽查比例", "ratios")
    out: dict[str, dict[str, str]] = {}
    for kind in ItemKind.values:
        if not isinstance(source[kind], Mapping):
            raise InspectionError(
                f"{KIND_NAMES[kind]}的抽查比例应按风险类别（A、B、C、D）分别设定", "ratios"
            )
        out[kind] = _class_ratios(source[kind], f"{KIND_NAMES[kind]} ")
    # A plan with both kinds draws at the 重点 ratios (drawing.quotas_for); a 重点 ratio below
    # the 一般 one would sample that plan's 一般 items less than their own ratio says.
    general, key = ItemKind.GENERAL.value, ItemKind.KEY.value
    for risk_class in RiskClass.values:
        if Decimal(out[key][risk_class]) < Decimal(out[general][risk_class]):
            raise InspectionError(
                f"{KIND_NAMES[key]} {risk_class}类的抽查比例不应低于"
                f"{KIND_NAMES[general]}（{out[general][risk_class]}）",
                "ratios",
            )
    return out


def _class_ratios(source: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """One ratio per risk class, all four; ``prefix`` names the item kind in messages."""
    unknown = sorted(str(k) for k in set(source) - set(RiskClass.values))
    if unknown:
        raise InspectionError(f"{prefix}风险类别“{'、'.join(unknown)}”无效", "ratios")
    missing = [c for c in RiskClass.values if c not in source]
    if missing:
        raise InspectionError(f"请设定{prefix}{'、'.join(missing)}类的抽查比例", "ratios")
    out: dict[str, str] = {}
    for risk_class in RiskClass.values:
        text = str(source[risk_class]).strip()
        try:
            ratio = Decimal(text.removesuffix("%"))
        except (InvalidOperation, ValueError):
            raise InspectionError(f"{prefix}{risk_class}类的抽查比例不是数字", "ratios") from None
        if text.endswith("%"):
            ratio /= 100
        if not ratio.is_finite() or not Decimal(0) <= ratio <= Decimal(1):
            raise InspectionError(f"{prefix}{risk_class}类的抽查比例应在0到1之间", "ratios")
        out[risk_class] = str(ratio.normalize()) if ratio else "0"
    return out


def stored_ratios(ratios: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """A plan's stored ratios per item kind and risk class, for reading (the draw, pages, API).

    Tolerates a flat table (a plan written before ratios per item kind, if migration
    ``inspections.0002`` has not run on the database): it applies to both kinds."""
    ratios = ratios or {}
    if any(k in ItemKind.values for k in ratios):
        return {
            kind: {c: str(r) for c, r in (ratios.get(kind) or {}).items()}
            for kind in ItemKind.values
        }
    return {kind: {c: str(r) for c, r in ratios.items()} for kind in ItemKind.values}


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
