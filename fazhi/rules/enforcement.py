"""The vocabulary of administrative enforcement, shared by the catalog and the lenience rules.

Enumerations here are closed lists taken from the law (the penalty types of 行政处罚法 第九条)
or from the national discretion policy (tiers and 情节 levels of 国办发〔2022〕27号 三（六）).
The catalog stores their values; the rules engine (:mod:`fazhi.rules.lenience`) reasons with
them. Local lists and benchmarks are *data* (catalog rows) converted to the plain dataclasses at
the bottom of this module before the engine sees them.

This module is pure Python: it must never import Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

__all__ = [
    "Circumstance",
    "FineBasis",
    "FineRange",
    "HarmLevel",
    "ItemCategory",
    "ListConditions",
    "ListEntry",
    "ListKind",
    "MentalCapacity",
    "PartyKind",
    "PenaltyType",
    "Severity",
    "Standard",
    "StandardTier",
    "Treatment",
]


class _Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label (``label_zh``) for people."""

    label_zh: str

    if TYPE_CHECKING:  # the stored value is the first element of each member's tuple

        @property
        def value(self) -> str: ...

    else:  # members are declared as (value, label); mypy sees plain lookups

        def __new__(cls, value: str, label_zh: str) -> _Labelled:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label_zh = label_zh
            return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``[(value, label_zh), ...]`` for Django model and form fields."""
        return [(m.value, m.label_zh) for m in cls]


class ItemCategory(_Labelled):
    """Category of an enforcement item (执法事项清单)."""

    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LICENSING = "licensing", "行政许可"
    OTHER = "other", "其他"


class PenaltyType(_Labelled):
    """The closed list of penalty types, 行政处罚法 第九条."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    LOWER_QUALIFICATION = "lower_qualification", "降低资质等级"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    SUSPEND_BUSINESS = "suspend_business", "责令停产停业"
    CLOSE = "close", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "法律、行政法规规定的其他行政处罚"


class FineBasis(_Labelled):
    """How the statute states the fine: an amount range, or multiples of a base amount."""

    AMOUNT = "amount", "罚款金额"
    MULTIPLE = "multiple", "倍数（违法所得、货值金额等的倍数）"


class ListKind(_Labelled):
    """The four lenient-enforcement lists (四张清单, LEGAL-RULES §10.3) and 首违不罚."""

    NO_PENALTY = "no_penalty", "不予处罚事项清单"
    REDUCED = "reduced", "减轻处罚事项清单"
    LIGHTER = "lighter", "从轻处罚事项清单"
    NO_COERCION = "no_coercion", "免予行政强制事项清单"
    FIRST_VIOLATION = "first_violation", "首违不罚事项清单"


class Treatment(_Labelled):
    """Discretion tier (裁量阶次), 国办发〔2022〕27号 三（六）; ordered from mildest to harshest."""

    NO_PENALTY = "no_penalty", "不予处罚"
    REDUCED = "reduced", "减轻处罚"
    LIGHTER = "lighter", "从轻处罚"
    ORDINARY = "ordinary", "一般处罚"
    HEAVIER = "heavier", "从重处罚"

    @property
    def rank(self) -> int:
        """0 for 不予处罚 … 4 for 从重处罚: a larger rank is a harsher outcome."""
        return list(Treatment).index(self)


class Severity(_Labelled):
    """情节 levels a benchmark must describe for a range (国办发〔2022〕27号 三（六））."""

    SLIGHT = "slight", "情节轻微"
    MINOR = "minor", "情节较轻"
    SERIOUS = "serious", "情节较重"
    GRAVE = "grave", "情节严重"


class HarmLevel(_Labelled):
    """Harm caused by the act, as the lists and 第三十三条 distinguish it; ordered."""

    NONE = "none", "没有造成危害后果"
    MINOR = "minor", "危害后果轻微"
    ORDINARY = "ordinary", "造成一般危害后果"
    SERIOUS = "serious", "造成严重危害后果"

    @property
    def rank(self) -> int:
        return list(HarmLevel).index(self)


class PartyKind(_Labelled):
    """Party kinds distinguished by 行政处罚法 第五十一条 (公民 / 法人或者其他组织)."""

    INDIVIDUAL = "individual", "公民"
    ORGANIZATION = "organization", "法人或者其他组织"


class MentalCapacity(_Labelled):
    """Capacity to recognise or control one's conduct, 行政处罚法 第三十一条."""

    FULL = "full", "具有完全辨认和控制能力"
    PARTIAL = "partial", "尚未完全丧失辨认或者控制能力"
    NONE = "none", "不能辨认或者不能控制自己行为"


class Circumstance(_Labelled):
    """Mitigating or aggravating circumstances the engine knows.

    The first five are 行政处罚法 第三十二条 (mandatory 从轻或者减轻). The next four are the
    discretionary (“可以”) circumstances of 国市监法规〔2022〕2号 第十四条, and the last one the
    discretionary 从重 circumstance of its 第十六条 (LEGAL-RULES §10.1, LE-D4).
    """

    ELIMINATED_HARM = "eliminated_harm", "主动消除或者减轻违法行为危害后果"
    COERCED = "coerced", "受他人胁迫或者诱骗实施违法行为"
    CONFESSED = "confessed", "主动供述行政机关尚未掌握的违法行为"
    MERITORIOUS = "meritorious", "配合行政机关查处违法行为有立功表现"
    OTHER_STATUTORY = "other_statutory", "法律、法规、规章规定其他应当从轻或者减轻行政处罚"
    COOPERATED = "cooperated", "积极配合调查并主动提供证据材料"
    MINOR_SOCIAL_HARM = "minor_social_harm", "违法行为轻微，社会危害性较小"
    SECONDARY_ROLE = "secondary_role", "在共同违法行为中起次要或者辅助作用"
    HARDSHIP = "hardship", "因残疾或者重大疾病等原因生活确有困难"
    REPEAT_OFFENCE = "repeat_offence", "一年内因同一性质的违法行为受过行政处罚"

    @property
    def is_mandatory_mitigation(self) -> bool:
        """Circumstances of 第三十二条: 应当从轻或者减轻."""
        return self in _ARTICLE_32

    @property
    def is_aggravating(self) -> bool:
        return self is Circumstance.REPEAT_OFFENCE


_ARTICLE_32 = frozenset(
    {
        Circumstance.ELIMINATED_HARM,
        Circumstance.COERCED,
        Circumstance.CONFESSED,
        Circumstance.MERITORIOUS,
        Circumstance.OTHER_STATUTORY,
    }
)


@dataclass(frozen=True, slots=True)
class FineRange:
    """A fine range in yuan, or in multiples of a base amount when ``basis`` is MULTIPLE.

    ``minimum`` may be 0 (“处……以下罚款”); ``maximum`` None means the statute sets no upper
    bound in this form (rare; the engine then cannot place 从轻/从重 bands).
    """

    minimum: Decimal
    maximum: Decimal | None
    basis: FineBasis = FineBasis.AMOUNT

    def __post_init__(self) -> None:
        if self.minimum < 0:
            raise ValueError("罚款下限不能为负数")
        if self.maximum is not None and self.maximum < self.minimum:
            raise ValueError(f"罚款幅度上下限颠倒：下限{self.minimum}大于上限{self.maximum}")

    def contains(self, other: FineRange) -> bool:
        """True when ``other`` lies within this range (same basis)."""
        if other.basis is not self.basis or other.minimum < self.minimum:
            return False
        if self.maximum is None:
            return True
        return other.maximum is not None and other.maximum <= self.maximum


@dataclass(frozen=True, slots=True)
class ListConditions:
    """The structured conditions of one list entry: all must hold for the entry to apply.

    An empty or None field places no condition. The free-text wording of the list stays in
    :attr:`ListEntry.condition_text`; these fields are what the engine checks.
    """

    requires_first_violation: bool = False
    requires_corrected_in_time: bool = False
    max_harm: HarmLevel | None = None
    party_kinds: frozenset[PartyKind] = frozenset()
    any_circumstance: frozenset[Circumstance] = frozenset()
    max_amount_involved: Decimal | None = None


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of a lenient-enforcement list, as the engine sees it."""

    kind: ListKind
    list_title: str  # 《东辽县市场监督管理局首违不罚事项清单》(2024年版)
    number: int  # 序号 in the list
    item_code: str
    violation: str  # the act as the list words it
    legal_basis: str  # e.g. 《中华人民共和国行政处罚法》第三十三条第一款
    conditions: ListConditions
    condition_text: str = ""
    effective_from: date | None = None
    effective_until: date | None = None

    def in_force_on(self, on: date) -> bool:
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_until is None or on <= self.effective_until


@dataclass(frozen=True, slots=True)
class StandardTier:
    """One tier of a discretion benchmark (裁量基准): tier, 情节 level and the fine range."""

    treatment: Treatment
    severity: Severity | None
    fine: FineRange | None
    condition_text: str
    standard_text: str


@dataclass(frozen=True, slots=True)
class Standard:
    """A discretion benchmark for one item (国办发〔2022〕27号 三（六）: DB-6 fields)."""

    title: str  # 《东辽县市场监督管理局行政处罚裁量基准》(2024年版)
    item_code: str
    violation: str
    legal_basis: str
    tiers: tuple[StandardTier, ...] = field(default_factory=tuple)

    def tier(self, treatment: Treatment, severity: Severity | None = None) -> StandardTier | None:
        """The tier for ``treatment`` (and ``severity`` when given), or None."""
        for t in self.tiers:
            if t.treatment is treatment and (severity is None or t.severity is severity):
                return t
        return None
