"""JSON in and out for :mod:`fazhi.rules.lenience`.

Input is what a FACTS.json file, an API body or a YAML test table holds: plain mappings with
ISO dates (``"2024-03-01"``, or ``date`` objects from YAML), amounts as strings or numbers, and
enumerations by value (``"individual"``) or by their Chinese label (``"公民"``). Every error is a
:class:`LenienceInputError` (a ``ValueError``) whose Chinese message names the field, e.g.
``字段“entries[0].conditions.max_harm”的取值“big”无效，可选值：none（没有造成危害后果）、…``.

Output (:func:`decision_to_json`) has stable keys, enumerations as values with a ``*_label``
Chinese label next to them, Decimals as strings (no binary rounding of money) and the trace as a
list of dicts. :func:`evaluate_json` is the one call the CLI and the API need: it takes the item,
list entries and benchmark from the caller (the catalog loads them from the database by
``item_code``) or, when not supplied, from the JSON itself (keys ``item``, ``entries``,
``standard``).

This module is pure Python: it must never import Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

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
from fazhi.rules.lenience import (
    OUTCOME_LABELS,
    Decision,
    Facts,
    ItemPenalty,
    LenienceError,
    Limitation,
    Option,
    Procedure,
    TraceStep,
    evaluate,
)
from fazhi.rules.parameters import ParameterSet, ParamValue

__all__ = [
    "RESERVED_KEYS",
    "LenienceInputError",
    "decision_to_json",
    "evaluate_json",
    "facts_from_json",
    "facts_to_json",
    "fine_range_from_json",
    "fine_range_to_json",
    "item_from_json",
    "item_to_json",
    "list_entry_from_json",
    "list_entry_to_json",
    "standard_from_json",
    "standard_to_json",
]

# Keys of a FACTS.json file that are not facts but the data the facts are judged against.
RESERVED_KEYS = frozenset({"facts", "item", "entries", "standard"})

E = TypeVar("E", bound=Enum)


class LenienceInputError(LenienceError):
    """Malformed input; the Chinese message names the offending field."""


# --- primitive readers ---------------------------------------------------------------------------


def _mapping(raw: object, path: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise LenienceInputError(f"字段“{path}”必须是对象（键值映射），收到{_show(raw)}。")
    return raw


def _show(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_keys(
    obj: Mapping[str, Any], path: str, allowed: Sequence[str], required: Sequence[str] = ()
) -> None:
    unknown = [k for k in obj if k not in allowed]
    if unknown:
        where = f"“{path}”中" if path else ""
        raise LenienceInputError(
            f"{where}有未知字段：{'、'.join(map(str, unknown))}。允许的字段：{'、'.join(allowed)}。"
        )
    for key in required:
        if key not in obj or obj[key] is None:
            raise LenienceInputError(f"缺少必填字段“{_join_path(path, key)}”。")


def _join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _enum(cls: type[E], raw: object, path: str) -> E:
    for member in cls:
        label = getattr(member, "label_zh", None)
        if raw == member.value or (label is not None and raw == label):
            return member
    choices = "、".join(f"{m.value}（{getattr(m, 'label_zh', '')}）" for m in cls)
    raise LenienceInputError(f"字段“{path}”的取值“{raw}”无效，可选值：{choices}。")


def _enum_set(cls: type[E], raw: object, path: str) -> frozenset[E]:
    items = _list(raw, path)
    return frozenset(_enum(cls, item, f"{path}[{i}]") for i, item in enumerate(items))


def _list(raw: object, path: str) -> list[Any]:
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise LenienceInputError(f"字段“{path}”必须是列表，收到{_show(raw)}。")
    return list(raw)


def _date(raw: object, path: str) -> date:
    if isinstance(raw, datetime):
        raise LenienceInputError(f"字段“{path}”必须是日期，不能带时刻：{_show(raw)}。")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise LenienceInputError(f"字段“{path}”必须是有效日期（YYYY-MM-DD），收到{_show(raw)}。")


def _decimal(raw: object, path: str) -> Decimal:
    if isinstance(raw, bool):
        raise LenienceInputError(f"字段“{path}”必须是数值，收到{_show(raw)}。")
    try:
        if isinstance(raw, float):
            # repr() is the shortest round-tripping text, so 0.1 stays 0.1, not 0.1000000000001.
            value = Decimal(repr(raw))
        elif isinstance(raw, int | str | Decimal):
            value = Decimal(raw)
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise LenienceInputError(f"字段“{path}”必须是数值，收到{_show(raw)}。") from None
    if not value.is_finite():
        raise LenienceInputError(f"字段“{path}”必须是有限数值，收到{_show(raw)}。")
    if value < 0:
        raise LenienceInputError(f"字段“{path}”不能为负数，收到{_show(raw)}。")
    return value


def _bool(raw: object, path: str) -> bool:
    if not isinstance(raw, bool):
        raise LenienceInputError(f"字段“{path}”必须是 true 或 false，收到{_show(raw)}。")
    return raw


def _int(raw: object, path: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise LenienceInputError(f"字段“{path}”必须是整数，收到{_show(raw)}。")
    return raw


def _str(raw: object, path: str) -> str:
    if not isinstance(raw, str):
        raise LenienceInputError(f"字段“{path}”必须是文本，收到{_show(raw)}。")
    return raw


def _dec_str(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


# --- facts ---------------------------------------------------------------------------------------

_FACT_FIELDS = tuple(f.name for f in fields(Facts))
_DATE_FIELDS = frozenset({"act_date", "discovered_date", "decision_date", "continuing_until"})
_BOOL_FIELDS = frozenset(
    {
        "corrected_in_time",
        "no_subjective_fault",
        "involves_life_health_or_finance",
        "facts_certain",
        "major_public_interest",
        "major_rights_and_heard",
        "complex_case",
        "other_legal_review_required",
        "major_social_impact",
    }
)
_DECIMAL_FIELDS = frozenset({"amount_involved", "proposed_fine"})
_ENUM_FIELDS: dict[str, type[Enum]] = {
    "party_kind": PartyKind,
    "mental_capacity": MentalCapacity,
    "harm": HarmLevel,
    "severity": Severity,
}
_ENUM_SET_FIELDS: dict[str, type[Enum]] = {
    "circumstances": Circumstance,
    "proposed_penalties": PenaltyType,
}


def facts_from_json(obj: Mapping[str, Any], *, path: str = "") -> Facts:
    """Facts from a mapping whose keys are the :class:`~fazhi.rules.lenience.Facts` fields."""
    obj = _mapping(obj, path or "facts")
    _check_keys(obj, path, _FACT_FIELDS, ("act_date", "discovered_date"))
    kwargs: dict[str, Any] = {}
    for key, raw in obj.items():
        if raw is None:
            continue
        where = _join_path(path, key)
        if key in _DATE_FIELDS:
            kwargs[key] = _date(raw, where)
        elif key in _BOOL_FIELDS:
            kwargs[key] = _bool(raw, where)
        elif key in _DECIMAL_FIELDS:
            kwargs[key] = _decimal(raw, where)
        elif key in _ENUM_FIELDS:
            kwargs[key] = _enum(_ENUM_FIELDS[key], raw, where)
        elif key in _ENUM_SET_FIELDS:
            kwargs[key] = _enum_set(_ENUM_SET_FIELDS[key], raw, where)
        elif key == "age":
            kwargs[key] = _int(raw, where)
        elif key == "item_code":
            kwargs[key] = _str(raw, where)
        elif key == "prior_violation_dates":
            kwargs[key] = tuple(
                _date(item, f"{where}[{i}]") for i, item in enumerate(_list(raw, where))
            )
    try:
        return Facts(**kwargs)
    except LenienceError as exc:
        raise LenienceInputError(str(exc)) from None


def facts_to_json(facts: Facts) -> dict[str, Any]:
    """The inverse of :func:`facts_from_json` (enum values, ISO dates, Decimal strings)."""
    out: dict[str, Any] = {}
    for name in _FACT_FIELDS:
        value = getattr(facts, name)
        if value is None:
            out[name] = None
        elif name in _DATE_FIELDS:
            out[name] = value.isoformat()
        elif name in _DECIMAL_FIELDS:
            out[name] = _dec_str(value)
        elif name in _ENUM_FIELDS:
            out[name] = value.value
        elif name in _ENUM_SET_FIELDS:
            order = list(_ENUM_SET_FIELDS[name])
            out[name] = [m.value for m in sorted(value, key=order.index)]
        elif name == "prior_violation_dates":
            out[name] = [d.isoformat() for d in value]
        else:
            out[name] = value
    return out


# --- item, list entries, benchmark ---------------------------------------------------------------

_FINE_KEYS = ("minimum", "maximum", "basis")


def fine_range_from_json(obj: Mapping[str, Any], *, path: str = "statutory_fine") -> FineRange:
    """``{"minimum": "1000", "maximum": "10000", "basis": "amount"}`` (maximum may be null)."""
    obj = _mapping(obj, path)
    _check_keys(obj, path, (*_FINE_KEYS, "basis_label"), ("minimum",))
    minimum = _decimal(obj["minimum"], f"{path}.minimum")
    raw_max = obj.get("maximum")
    maximum = None if raw_max is None else _decimal(raw_max, f"{path}.maximum")
    basis = FineBasis.AMOUNT
    if obj.get("basis") is not None:
        basis = _enum(FineBasis, obj["basis"], f"{path}.basis")
    try:
        return FineRange(minimum, maximum, basis)
    except ValueError as exc:
        raise LenienceInputError(f"字段“{path}”：{exc}") from None


def fine_range_to_json(r: FineRange | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "minimum": _dec_str(r.minimum),
        "maximum": None if r.maximum is None else _dec_str(r.maximum),
        "basis": r.basis.value,
        "basis_label": r.basis.label_zh,
    }


def item_from_json(obj: Mapping[str, Any], *, path: str = "item") -> ItemPenalty:
    """``{"statutory_fine": {...} | null, "penalty_types": ["warning", "fine"]}``."""
    obj = _mapping(obj, path)
    _check_keys(obj, path, ("statutory_fine", "penalty_types"))
    raw_fine = obj.get("statutory_fine")
    fine = (
        None if raw_fine is None else fine_range_from_json(raw_fine, path=f"{path}.statutory_fine")
    )
    types: frozenset[PenaltyType] = frozenset()
    if obj.get("penalty_types") is not None:
        types = _enum_set(PenaltyType, obj["penalty_types"], f"{path}.penalty_types")
    return ItemPenalty(fine, types)


def item_to_json(item: ItemPenalty) -> dict[str, Any]:
    return {
        "statutory_fine": fine_range_to_json(item.statutory_fine),
        "penalty_types": [t.value for t in PenaltyType if t in item.penalty_types],
    }


_CONDITION_KEYS = (
    "requires_first_violation",
    "requires_corrected_in_time",
    "max_harm",
    "party_kinds",
    "any_circumstance",
    "max_amount_involved",
)
_ENTRY_KEYS = (
    "kind",
    "list_title",
    "number",
    "item_code",
    "violation",
    "legal_basis",
    "conditions",
    "condition_text",
    "effective_from",
    "effective_until",
)
_ENTRY_REQUIRED = ("kind", "list_title", "number", "item_code", "violation", "legal_basis")


def _conditions_from_json(obj: Mapping[str, Any], path: str) -> ListConditions:
    obj = _mapping(obj, path)
    _check_keys(obj, path, _CONDITION_KEYS)
    kwargs: dict[str, Any] = {}
    for key in ("requires_first_violation", "requires_corrected_in_time"):
        if obj.get(key) is not None:
            kwargs[key] = _bool(obj[key], f"{path}.{key}")
    if obj.get("max_harm") is not None:
        kwargs["max_harm"] = _enum(HarmLevel, obj["max_harm"], f"{path}.max_harm")
    if obj.get("party_kinds") is not None:
        kwargs["party_kinds"] = _enum_set(PartyKind, obj["party_kinds"], f"{path}.party_kinds")
    if obj.get("any_circumstance") is not None:
        kwargs["any_circumstance"] = _enum_set(
            Circumstance, obj["any_circumstance"], f"{path}.any_circumstance"
        )
    if obj.get("max_amount_involved") is not None:
        kwargs["max_amount_involved"] = _decimal(
            obj["max_amount_involved"], f"{path}.max_amount_involved"
        )
    return ListConditions(**kwargs)


def list_entry_from_json(obj: Mapping[str, Any], *, path: str = "entry") -> ListEntry:
    """One list entry; ``conditions`` holds the structured conditions (all optional)."""
    obj = _mapping(obj, path)
    _check_keys(obj, path, (*_ENTRY_KEYS, "kind_label"), _ENTRY_REQUIRED)
    conditions = ListConditions()
    if obj.get("conditions") is not None:
        conditions = _conditions_from_json(obj["conditions"], f"{path}.conditions")
    effective_from = effective_until = None
    if obj.get("effective_from") is not None:
        effective_from = _date(obj["effective_from"], f"{path}.effective_from")
    if obj.get("effective_until") is not None:
        effective_until = _date(obj["effective_until"], f"{path}.effective_until")
    if effective_from and effective_until and effective_until < effective_from:
        raise LenienceInputError(f"字段“{path}.effective_until”早于“{path}.effective_from”。")
    number = _int(obj["number"], f"{path}.number")
    if number < 1:
        raise LenienceInputError(f"字段“{path}.number”（序号）必须是正整数，收到{number}。")
    return ListEntry(
        kind=_enum(ListKind, obj["kind"], f"{path}.kind"),
        list_title=_str(obj["list_title"], f"{path}.list_title"),
        number=number,
        item_code=_str(obj["item_code"], f"{path}.item_code"),
        violation=_str(obj["violation"], f"{path}.violation"),
        legal_basis=_str(obj["legal_basis"], f"{path}.legal_basis"),
        conditions=conditions,
        condition_text=_str(obj.get("condition_text") or "", f"{path}.condition_text"),
        effective_from=effective_from,
        effective_until=effective_until,
    )


def list_entry_to_json(entry: ListEntry) -> dict[str, Any]:
    c = entry.conditions
    return {
        "kind": entry.kind.value,
        "kind_label": entry.kind.label_zh,
        "list_title": entry.list_title,
        "number": entry.number,
        "item_code": entry.item_code,
        "violation": entry.violation,
        "legal_basis": entry.legal_basis,
        "conditions": {
            "requires_first_violation": c.requires_first_violation,
            "requires_corrected_in_time": c.requires_corrected_in_time,
            "max_harm": None if c.max_harm is None else c.max_harm.value,
            "party_kinds": [k.value for k in PartyKind if k in c.party_kinds],
            "any_circumstance": [x.value for x in Circumstance if x in c.any_circumstance],
            "max_amount_involved": (
                None if c.max_amount_involved is None else _dec_str(c.max_amount_involved)
            ),
        },
        "condition_text": entry.condition_text,
        "effective_from": entry.effective_from.isoformat() if entry.effective_from else None,
        "effective_until": entry.effective_until.isoformat() if entry.effective_until else None,
    }


_TIER_KEYS = ("treatment", "severity", "fine", "condition_text", "standard_text")
_STANDARD_KEYS = ("title", "item_code", "violation", "legal_basis", "tiers")


def standard_from_json(obj: Mapping[str, Any], *, path: str = "standard") -> Standard:
    """A discretion benchmark with its ``tiers`` (treatment, severity, fine, texts)."""
    obj = _mapping(obj, path)
    _check_keys(obj, path, _STANDARD_KEYS, ("title", "item_code"))
    tiers: list[StandardTier] = []
    for i, raw in enumerate(_list(obj.get("tiers") or [], f"{path}.tiers")):
        where = f"{path}.tiers[{i}]"
        tier = _mapping(raw, where)
        _check_keys(tier, where, (*_TIER_KEYS, "treatment_label", "severity_label"), ("treatment",))
        severity = None
        if tier.get("severity") is not None:
            severity = _enum(Severity, tier["severity"], f"{where}.severity")
        fine = None
        if tier.get("fine") is not None:
            fine = fine_range_from_json(tier["fine"], path=f"{where}.fine")
        tiers.append(
            StandardTier(
                treatment=_enum(Treatment, tier["treatment"], f"{where}.treatment"),
                severity=severity,
                fine=fine,
                condition_text=_str(tier.get("condition_text") or "", f"{where}.condition_text"),
                standard_text=_str(tier.get("standard_text") or "", f"{where}.standard_text"),
            )
        )
    return Standard(
        title=_str(obj["title"], f"{path}.title"),
        item_code=_str(obj["item_code"], f"{path}.item_code"),
        violation=_str(obj.get("violation") or "", f"{path}.violation"),
        legal_basis=_str(obj.get("legal_basis") or "", f"{path}.legal_basis"),
        tiers=tuple(tiers),
    )


def standard_to_json(standard: Standard) -> dict[str, Any]:
    return {
        "title": standard.title,
        "item_code": standard.item_code,
        "violation": standard.violation,
        "legal_basis": standard.legal_basis,
        "tiers": [
            {
                "treatment": t.treatment.value,
                "treatment_label": t.treatment.label_zh,
                "severity": None if t.severity is None else t.severity.value,
                "severity_label": None if t.severity is None else t.severity.label_zh,
                "fine": fine_range_to_json(t.fine),
                "condition_text": t.condition_text,
                "standard_text": t.standard_text,
            }
            for t in standard.tiers
        ],
    }


# --- the decision --------------------------------------------------------------------------------


def _param_json(value: ParamValue) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return _dec_str(value)
    if isinstance(value, tuple):
        return [_param_json(v) for v in value]
    return {k: _param_json(v) for k, v in value.items()}


def _trace_json(step: TraceStep) -> dict[str, Any]:
    return {
        "rule_id": step.rule_id,
        "citation": step.citation,
        "title": step.title,
        "outcome": step.outcome,
        "outcome_label": OUTCOME_LABELS[step.outcome],
        "reason": step.reason,
        "parameters": {key: _param_json(value) for key, value in step.parameters},
    }


def _option_json(option: Option) -> dict[str, Any]:
    return {
        "treatment": option.treatment.value,
        "treatment_label": option.treatment.label_zh,
        "fine_range": fine_range_to_json(option.fine_range),
        "fine_text": option.fine_text,
        "basis": option.basis,
    }


def _limitation_json(limitation: Limitation) -> dict[str, Any]:
    return {
        "years": limitation.years,
        "extended": limitation.extended,
        "starts": limitation.starts.isoformat(),
        "last_day": limitation.last_day.isoformat(),
        "discovered": limitation.discovered.isoformat(),
        "time_barred": limitation.time_barred,
        "text": limitation.text,
    }


def _procedure_json(procedure: Procedure) -> dict[str, Any]:
    return {
        "summary_allowed": procedure.summary_allowed,
        "hearing_right": procedure.hearing_right,
        "legal_review_required": procedure.legal_review_required,
        "collective_discussion": procedure.collective_discussion,
        "education_required": procedure.education_required,
        "notes": [
            {
                "name": note.name,
                "value": note.value,
                "citations": list(note.citations),
                "reason": note.reason,
            }
            for note in procedure.notes
        ],
    }


def decision_to_json(decision: Decision) -> dict[str, Any]:
    """A JSON-ready dict with stable keys (see the module docstring)."""
    allowed = sorted(decision.allowed, key=list(Treatment).index)
    return {
        "treatment": decision.treatment.value,
        "treatment_label": decision.treatment.label_zh,
        "mandatory": decision.mandatory,
        "mandatory_label": "应当" if decision.mandatory else "可以",
        "allowed": [t.value for t in allowed],
        "allowed_labels": [t.label_zh for t in allowed],
        "options": [_option_json(o) for o in decision.options],
        "fine_range": fine_range_to_json(decision.fine_range),
        "fine_text": decision.fine_text,
        "time_barred": decision.time_barred,
        "limitation": _limitation_json(decision.limitation),
        "first_violation": decision.first_violation,
        "no_coercion": decision.no_coercion,
        "procedure": _procedure_json(decision.procedure),
        "applied_entries": [list_entry_to_json(e) for e in decision.applied_entries],
        "paragraph": decision.paragraph,
        "warnings": list(decision.warnings),
        "trace": [_trace_json(step) for step in decision.trace],
    }


def evaluate_json(
    obj: Mapping[str, Any],
    params: ParameterSet,
    *,
    item: ItemPenalty | None = None,
    entries: Sequence[ListEntry] | None = None,
    standard: Standard | None = None,
) -> dict[str, Any]:
    """Evaluate a FACTS.json object and return :func:`decision_to_json` of the result.

    The facts are either under ``"facts"`` or at the top level; ``item``, ``entries`` and
    ``standard`` come from the arguments when given (the catalog loads them by ``item_code``),
    otherwise from the same keys of ``obj``. Raises :class:`LenienceInputError` for bad input and
    :class:`~fazhi.rules.lenience.LenienceError` when the engine cannot decide.
    """
    obj = _mapping(obj, "FACTS")
    if "facts" in obj:
        _check_keys(obj, "", tuple(sorted(RESERVED_KEYS)))
        facts = facts_from_json(_mapping(obj["facts"], "facts"), path="facts")
    else:
        facts = facts_from_json({k: v for k, v in obj.items() if k not in RESERVED_KEYS})
    if item is None:
        raw_item = obj.get("item")
        item = ItemPenalty() if raw_item is None else item_from_json(raw_item)
    if entries is None:
        raw_entries = _list(obj.get("entries") or [], "entries")
        entries = [list_entry_from_json(e, path=f"entries[{i}]") for i, e in enumerate(raw_entries)]
    if standard is None and obj.get("standard") is not None:
        standard = standard_from_json(obj["standard"])
    decision = evaluate(
        facts,
        statutory_fine=item.statutory_fine,
        entries=entries,
        standard=standard,
        params=params,
        penalty_types=item.penalty_types,
    )
    return decision_to_json(decision)
