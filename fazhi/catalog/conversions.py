"""Catalog rows → the plain values of :mod:`fazhi.rules`, and the validations both sides share.

The services, the Excel import and the API validate with these functions, so a rule such as
国办发〔2022〕27号 二（五） (a county refines a higher benchmark but never leaves its range) is
written once. Messages are Chinese and name the field, because they are shown row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from stdnum.cn import uscc

from fazhi.catalog.models import DiscretionStandard, EnforcementItem, LenientListEntry
from fazhi.core.errors import DomainError
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    FineRange,
    HarmLevel,
    ListConditions,
    ListEntry,
    ListKind,
    PartyKind,
    PenaltyType,
    Severity,
    Standard,
    StandardTier,
    Treatment,
)


class CatalogValidationError(DomainError):
    """A value the catalog refuses; ``field`` names the column or form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, details={field: [message]})
        self.field = field


# --- Plain values -------------------------------------------------------------------------


def check_credit_code(value: str, field: str = "credit_code") -> str:
    """统一社会信用代码 (GB 32100-2015), checked with python-stdnum; returns the compact form."""
    try:
        return str(uscc.validate(value))
    except uscc.ValidationError as exc:
        raise CatalogValidationError(
            field, f"统一社会信用代码“{value}”无效（{_stdnum_reason(exc)}）"
        ) from exc


def _stdnum_reason(exc: Exception) -> str:
    if isinstance(exc, uscc.InvalidChecksum):
        return "校验位错误"
    if isinstance(exc, uscc.InvalidLength):
        return "应为18位"
    return "格式错误"


def parse_money(value: object, field: str, label: str) -> Decimal | None:
    """An amount in yuan (two decimals), or None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise CatalogValidationError(field, f"{label}“{value}”不是有效的金额") from exc
    if not amount.is_finite() or amount < 0:
        raise CatalogValidationError(field, f"{label}不能为负数或非数字")
    # The bound first: quantizing a huge value (“1e30”) raises decimal.InvalidOperation.
    if amount >= Decimal("1e12"):
        raise CatalogValidationError(field, f"{label}超出允许范围")
    if amount != amount.quantize(Decimal("0.01")):
        raise CatalogValidationError(field, f"{label}最多保留两位小数")
    return amount


def check_fine_range(
    basis: str, minimum: Decimal | None, maximum: Decimal | None, *, field: str = "fine_max"
) -> FineRange | None:
    """The statutory fine of an item: both bounds or none, in order, with a basis."""
    if minimum is None and maximum is None:
        if basis:
            raise CatalogValidationError("fine_min", "填写了罚款表述，但未填写罚款幅度")
        return None
    if not basis:
        raise CatalogValidationError("fine_basis", "填写了罚款幅度，请选择罚款表述（金额或倍数）")
    if basis not in {b.value for b in FineBasis}:
        raise CatalogValidationError("fine_basis", f"罚款表述“{basis}”无效")
    if minimum is None:
        raise CatalogValidationError("fine_min", "请填写罚款下限（“以下”的填0）")
    # FineRange refuses these with a bare ValueError; the catalog answers field by field.
    if minimum < 0:
        raise CatalogValidationError("fine_min", f"罚款下限{minimum}不能为负数")
    if maximum is not None and maximum < minimum:
        raise CatalogValidationError(field, f"罚款幅度上下限颠倒：下限{minimum}大于上限{maximum}")
    return FineRange(minimum, maximum, FineBasis(basis))


def check_penalty_types(values: Iterable[str]) -> list[str]:
    allowed = {p.value for p in PenaltyType}
    result: list[str] = []
    for value in values:
        if value not in allowed:
            labels = "、".join(p.label_zh for p in PenaltyType)
            raise CatalogValidationError(
                "penalty_types", f"处罚种类“{value}”不在行政处罚法第九条所列种类中（{labels}）"
            )
        if value not in result:
            result.append(value)
    return result


# --- Structured list conditions -------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)

_CONDITION_KEYS = {
    "requires_first_violation",
    "requires_corrected_in_time",
    "max_harm",
    "party_kinds",
    "any_circumstance",
    "max_amount_involved",
}


def conditions_from_json(data: Mapping[str, Any]) -> ListConditions:
    """Stored JSON → :class:`ListConditions`, refusing unknown keys and values."""
    # The API hands over whatever JSON it received: refuse a non-object with a message too.
    if not isinstance(data, Mapping):
        raise CatalogValidationError("conditions", "适用条件应为键值形式的对象")
    unknown = set(data) - _CONDITION_KEYS
    if unknown:
        raise CatalogValidationError(
            "conditions", f"适用条件含未知项：{'、'.join(sorted(map(str, unknown)))}"
        )
    max_harm = data.get("max_harm") or None
    return ListConditions(
        requires_first_violation=_flag(data, "requires_first_violation", "须为初次违法"),
        requires_corrected_in_time=_flag(data, "requires_corrected_in_time", "须及时改正"),
        max_harm=_member(HarmLevel, max_harm, "危害后果上限") if max_harm else None,
        party_kinds=frozenset(
            _member(PartyKind, v, "当事人类型") for v in _values(data, "party_kinds", "当事人类型")
        ),
        any_circumstance=frozenset(
            _member(Circumstance, v, "情形") for v in _values(data, "any_circumstance", "情形")
        ),
        max_amount_involved=parse_money(
            data.get("max_amount_involved"), "conditions", "涉案金额上限"
        ),
    )


def _flag(data: Mapping[str, Any], key: str, label: str) -> bool:
    # Only a real boolean: bool("false") is True, which would invert the condition.
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise CatalogValidationError("conditions", f"适用条件“{label}”应为是或否，不能是“{value}”")
    return value


def _values(data: Mapping[str, Any], key: str, label: str) -> Sequence[object]:
    value = data.get(key) or ()
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set | frozenset):
        raise CatalogValidationError("conditions", f"适用条件“{label}”应为列表")
    return list(value)


def _member(enum: type[_E], value: object, label: str) -> _E:
    try:
        if isinstance(value, str):
            return enum(value)
    except ValueError:
        pass
    raise CatalogValidationError("conditions", f"适用条件“{label}”的值“{value}”无效")


def conditions_to_json(conditions: ListConditions) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if conditions.requires_first_violation:
        data["requires_first_violation"] = True
    if conditions.requires_corrected_in_time:
        data["requires_corrected_in_time"] = True
    if conditions.max_harm is not None:
        data["max_harm"] = conditions.max_harm.value
    if conditions.party_kinds:
        data["party_kinds"] = sorted(p.value for p in conditions.party_kinds)
    if conditions.any_circumstance:
        data["any_circumstance"] = sorted(c.value for c in conditions.any_circumstance)
    if conditions.max_amount_involved is not None:
        data["max_amount_involved"] = str(conditions.max_amount_involved)
    return data


def describe_conditions(conditions: ListConditions) -> str:
    """The structured conditions in words (shown beside the list's own wording)."""
    parts: list[str] = []
    if conditions.requires_first_violation:
        parts.append("初次违法")
    if conditions.max_harm is not None:
        parts.append(
            "没有造成危害后果"
            if conditions.max_harm is HarmLevel.NONE
            else f"危害后果不超过“{conditions.max_harm.label_zh}”"
        )
    if conditions.requires_corrected_in_time:
        parts.append("及时改正")
    if conditions.party_kinds:
        parts.append("当事人为" + "或".join(p.label_zh for p in sorted(conditions.party_kinds)))
    if conditions.any_circumstance:
        parts.append(
            "具有" + "或".join(c.label_zh for c in sorted(conditions.any_circumstance)) + "情形之一"
        )
    if conditions.max_amount_involved is not None:
        parts.append(f"涉案金额不超过{conditions.max_amount_involved}元")
    return "、".join(parts) or "无附加条件"


# --- Discretion benchmarks (国办发〔2022〕27号) --------------------------------------------------


@dataclass(frozen=True)
class TierInput:
    """A tier as a form, the API or an Excel row gives it (before it is stored)."""

    treatment: str
    severity: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    condition_text: str
    standard_text: str


def check_tiers(
    tiers: Sequence[TierInput],
    *,
    statutory: FineRange | None,
    parent_tiers: Sequence[TierInput] | None = None,
) -> None:
    """DB-6 required content and ranges; DB-5 refinement inside the higher benchmark.

    * every tier names its tier, conditions and standard (DB-6: 裁量阶次、适用条件和具体标准);
    * for an item with a fine range, the 一般 tiers describe 情节轻微、较轻、较重、严重 (DB-6);
    * fine ranges are ordered; 从轻/一般/从重 stay inside the statutory range and 减轻 below its
      minimum (国市监法规〔2022〕2号 第十条 defines 减轻 as below the statutory minimum);
    * with a higher benchmark, each tier's range lies inside the higher body's range for the same
      tier and 情节 (DB-5: 不能超出上级行政机关划定的阶次或者幅度).
    """
    if not tiers:
        raise CatalogValidationError("tiers", "裁量基准至少应有一个裁量阶次")
    for n, tier in enumerate(tiers, start=1):
        where = f"第{n}个阶次"
        try:
            treatment = Treatment(tier.treatment)
        except ValueError as exc:
            raise CatalogValidationError(
                "treatment", f"{where}的裁量阶次“{tier.treatment}”无效"
            ) from exc
        if tier.severity:
            try:
                Severity(tier.severity)
            except ValueError as exc:
                raise CatalogValidationError(
                    "severity", f"{where}的情节“{tier.severity}”无效"
                ) from exc
        if not tier.condition_text.strip():
            raise CatalogValidationError("condition_text", f"{where}缺少适用条件")
        if not tier.standard_text.strip():
            raise CatalogValidationError("standard_text", f"{where}缺少具体标准")
        _check_tier_range(tier, treatment, statutory, where)
    if statutory is not None and statutory.maximum is not None:
        described = {t.severity for t in tiers if t.severity}
        missing = [s.label_zh for s in Severity if s.value not in described]
        if missing:
            raise CatalogValidationError(
                "severity", f"有处罚幅度的事项应明确各情节的具体情形，缺少：{'、'.join(missing)}"
            )
    if parent_tiers:
        _check_refinement(tiers, parent_tiers)


def _check_tier_range(
    tier: TierInput, treatment: Treatment, statutory: FineRange | None, where: str
) -> None:
    low, high = tier.fine_min, tier.fine_max
    if low is None and high is None:
        return
    if treatment is Treatment.NO_PENALTY:
        raise CatalogValidationError("fine_min", f"{where}为不予处罚，不应填写罚款幅度")
    if low is None or high is None:
        raise CatalogValidationError("fine_min", f"{where}的罚款幅度应同时填写下限和上限")
    if high < low:
        raise CatalogValidationError(
            "fine_max", f"{where}的罚款幅度上下限颠倒：下限{low}大于上限{high}"
        )
    if statutory is None:
        raise CatalogValidationError(
            "fine_min", f"{where}填写了罚款幅度，但该执法事项没有法定罚款幅度"
        )
    if statutory.maximum is not None and high > statutory.maximum:
        raise CatalogValidationError(
            "fine_max", f"{where}的罚款上限{high}超出法定上限{statutory.maximum}"
        )
    if treatment is Treatment.REDUCED:
        if high > statutory.minimum:
            raise CatalogValidationError(
                "fine_max", f"{where}为减轻处罚，罚款应低于法定下限{statutory.minimum}"
            )
    elif low < statutory.minimum:
        raise CatalogValidationError(
            "fine_min",
            f"{where}的罚款下限{low}低于法定下限{statutory.minimum}（低于下限属于减轻处罚）",
        )


def _check_refinement(tiers: Sequence[TierInput], parent_tiers: Sequence[TierInput]) -> None:
    for n, tier in enumerate(tiers, start=1):
        same = [
            p
            for p in parent_tiers
            if p.treatment == tier.treatment and (not p.severity or p.severity == tier.severity)
        ]
        where = f"第{n}个阶次（{Treatment(tier.treatment).label_zh}）"
        if not same:
            raise CatalogValidationError(
                "treatment",
                f"{where}不在上级裁量基准划定的阶次内，县级只能细化上级基准，不能新设阶次",
            )
        if tier.fine_min is None or tier.fine_max is None:
            continue
        ok = any(
            p.fine_min is not None
            and p.fine_max is not None
            and p.fine_min <= tier.fine_min
            and tier.fine_max <= p.fine_max
            for p in same
        ) or all(p.fine_min is None for p in same)
        if not ok:
            bounds = "、".join(
                f"{p.fine_min}至{p.fine_max}元" for p in same if p.fine_min is not None
            )
            raise CatalogValidationError(
                "fine_max",
                f"{where}的罚款幅度{tier.fine_min}至{tier.fine_max}元超出上级裁量基准的幅度（{bounds}）"
                "（国办发〔2022〕27号 二（五））",
            )


def tier_inputs(standard: DiscretionStandard) -> list[TierInput]:
    return [
        TierInput(
            treatment=t.treatment,
            severity=t.severity,
            fine_min=t.fine_min,
            fine_max=t.fine_max,
            condition_text=t.condition_text,
            standard_text=t.standard_text,
        )
        for t in standard.tiers.all()
    ]


# --- Rows → rules values ------------------------------------------------------------------------


def statutory_fine(item: EnforcementItem) -> FineRange | None:
    if not item.fine_basis or item.fine_min is None:
        return None
    return FineRange(item.fine_min, item.fine_max, FineBasis(item.fine_basis))


def penalty_types(item: EnforcementItem) -> frozenset[PenaltyType]:
    return frozenset(PenaltyType(v) for v in item.penalty_types)


def list_entry(entry: LenientListEntry) -> ListEntry:
    """Needs ``lenient_list`` and ``item`` loaded (select_related) to avoid a query each."""
    lst = entry.lenient_list
    return ListEntry(
        kind=ListKind(lst.kind),
        list_title=f"{_book(lst.title)}({lst.version})",
        number=entry.number,
        item_code=entry.item.code,
        violation=entry.violation,
        legal_basis=entry.legal_basis,
        conditions=conditions_from_json(entry.conditions),
        condition_text=entry.condition_text,
        effective_from=lst.effective_from,
        effective_until=lst.effective_until,
    )


def standard(row: DiscretionStandard) -> Standard:
    """Needs ``item`` and the ``tiers`` prefetched.

    A tier's range is in the unit of the item's statutory fine (yuan, or multiples of the
    amount involved), so it carries the item's basis: the engine converts multiples to yuan.
    """
    basis = FineBasis(row.item.fine_basis) if row.item.fine_basis else FineBasis.AMOUNT
    return Standard(
        title=f"{_book(row.title)}({row.version})",
        item_code=row.item.code,
        violation=row.violation,
        legal_basis=row.legal_basis,
        tiers=tuple(
            StandardTier(
                treatment=Treatment(t.treatment),
                severity=Severity(t.severity) if t.severity else None,
                fine=(FineRange(t.fine_min, t.fine_max, basis) if t.fine_min is not None else None),
                condition_text=t.condition_text,
                standard_text=t.standard_text,
            )
            for t in row.tiers.all()
        ),
    )


def _book(title: str) -> str:
    return title if title.startswith("《") else f"《{title}》"
