"""Reads of the enforcement catalog: scoped lists for staff, published ones for the public, and
the inputs of the lenience rules for an item."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from fazhi.catalog import conversions
from fazhi.catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
    StandardLevel,
)
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.rules.enforcement import FineRange, ListEntry, PenaltyType, Standard

# A county refines a higher benchmark (国办发〔2022〕27号 二（四）): the most local in force wins.
_LEVEL_RANK = {
    StandardLevel.COUNTY: 0,
    StandardLevel.CITY: 1,
    StandardLevel.PROVINCE: 2,
    StandardLevel.NATIONAL: 3,
}


def in_force_on(on: dt.date) -> Q:
    """Rows with ``effective_from``/``effective_until`` in force on a day."""
    return Q(effective_from__lte=on) & (
        Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )


def lists_in_force_on(on: dt.date) -> Q:
    return (
        Q(lenient_list__published_at__isnull=False)
        & Q(lenient_list__effective_from__lte=on)
        & (Q(lenient_list__effective_until__isnull=True) | Q(lenient_list__effective_until__gte=on))
    )


# --- staff (scoped) ------------------------------------------------------------------------


def bodies_for(user: User, *, search: str = "", kind: str = "") -> QuerySet[EnforcementBody]:
    require(user, "catalog.view")
    qs = EnforcementBody.objects.filter(
        organization__in=visible_organizations(user)
    ).select_related("organization", "entrusting_organization")
    if search:
        qs = qs.filter(Q(organization__name__icontains=search) | Q(credit_code__icontains=search))
    if kind:
        qs = qs.filter(organization__enforcement_basis=kind)
    return qs


def officers_for(
    user: User, *, search: str = "", status: str = "", organization: str = ""
) -> QuerySet[Officer]:
    require(user, "catalog.view")
    qs = Officer.objects.filter(organization__in=visible_organizations(user)).select_related(
        "organization"
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(certificate_number__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if organization:
        qs = qs.filter(organization__code=organization)
    return qs


def get_officer_for(user: User, certificate_number: str) -> Officer:
    officer = officers_for(user).filter(certificate_number=certificate_number).first()
    if officer is None:
        raise Http404("没有找到该执法人员，或不在您的数据范围内")
    return officer


def items_for(
    user: User,
    *,
    search: str = "",
    category: str = "",
    organization: str = "",
    published: bool | None = None,
) -> QuerySet[EnforcementItem]:
    require(user, "catalog.view")
    qs = _filter_items(
        EnforcementItem.objects.filter(organization__in=visible_organizations(user)),
        search=search,
        category=category,
        organization=organization,
    )
    if published is not None:
        qs = qs.filter(published_at__isnull=not published)
    return qs


def get_item_for(user: User, code: str) -> EnforcementItem:
    item = items_for(user).filter(code=code).first()
    if item is None:
        raise Http404("没有找到该执法事项，或不在您的数据范围内")
    return item


def lists_for(user: User, *, kind: str = "", search: str = "") -> QuerySet[LenientList]:
    require(user, "catalog.view")
    qs = LenientList.objects.filter(organization__in=visible_organizations(user)).select_related(
        "organization"
    )
    return _filter_lists(qs, kind=kind, search=search)


def get_list_for(user: User, pk: int) -> LenientList:
    lst = lists_for(user).filter(pk=pk).first()
    if lst is None:
        raise Http404("没有找到该清单，或不在您的数据范围内")
    return lst


def standards_for(user: User, *, search: str = "") -> QuerySet[DiscretionStandard]:
    require(user, "catalog.view")
    qs = DiscretionStandard.objects.filter(
        organization__in=visible_organizations(user)
    ).select_related("item", "organization", "parent")
    if search:
        qs = qs.filter(
            Q(item__code__icontains=search)
            | Q(item__name__icontains=search)
            | Q(title__icontains=search)
        )
    return qs


def get_standard_for(user: User, pk: int) -> DiscretionStandard:
    row = standards_for(user).filter(pk=pk).prefetch_related("tiers").first()
    if row is None:
        raise Http404("没有找到该裁量基准，或不在您的数据范围内")
    return row


def require_assignable(officers: Iterable[Officer], on: dt.date) -> None:
    """Refuse officers whose certificate is expired, not yet valid, suspended or revoked.

    Cases (issue 4) and inspections (issue 5) call this before assigning officers
    (行政处罚法 第四十二条: 具有行政执法资格的执法人员).
    """
    problems = [p for p in (o.certificate_problem(on) for o in officers) if p]
    if problems:
        raise DomainError("；".join(problems), details={"officers": problems})


# --- public (published only) -----------------------------------------------------------------


def _filter_items(
    qs: QuerySet[EnforcementItem], *, search: str, category: str, organization: str
) -> QuerySet[EnforcementItem]:
    qs = qs.select_related("organization")
    if search:
        qs = qs.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(basis_law__icontains=search)
        )
    if category:
        qs = qs.filter(category=category)
    if organization:
        qs = qs.filter(organization__code=organization)
    return qs


def _filter_lists(qs: QuerySet[LenientList], *, kind: str, search: str) -> QuerySet[LenientList]:
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(organization__name__icontains=search))
    return qs


def public_bodies(*, search: str = "", kind: str = "") -> QuerySet[EnforcementBody]:
    qs = EnforcementBody.objects.filter(is_active=True).select_related(
        "organization", "entrusting_organization"
    )
    if search:
        qs = qs.filter(organization__name__icontains=search)
    if kind:
        qs = qs.filter(organization__enforcement_basis=kind)
    return qs


def public_items(
    *, search: str = "", category: str = "", organization: str = ""
) -> QuerySet[EnforcementItem]:
    return _filter_items(
        EnforcementItem.objects.filter(is_active=True, published_at__isnull=False),
        search=search,
        category=category,
        organization=organization,
    )


def public_item(code: str) -> EnforcementItem:
    item = public_items().filter(code=code).first()
    if item is None:
        raise Http404("没有找到该执法事项")
    return item


def public_lists(*, kind: str = "", search: str = "") -> QuerySet[LenientList]:
    qs = LenientList.objects.filter(published_at__isnull=False).select_related("organization")
    return _filter_lists(qs, kind=kind, search=search)


def public_list(pk: int) -> LenientList:
    lst = public_lists().filter(pk=pk).first()
    if lst is None:
        raise Http404("没有找到该清单")
    return lst


def public_standards(*, search: str = "") -> QuerySet[DiscretionStandard]:
    qs = DiscretionStandard.objects.filter(published_at__isnull=False).select_related(
        "item", "organization"
    )
    if search:
        qs = qs.filter(Q(item__code__icontains=search) | Q(item__name__icontains=search))
    return qs


def public_entries_for_item(item: EnforcementItem) -> QuerySet[LenientListEntry]:
    return (
        item.list_entries.filter(lenient_list__published_at__isnull=False)
        .select_related("lenient_list", "lenient_list__organization")
        .order_by("lenient_list__kind", "number")
    )


# --- rules inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesInputs:
    """What :func:`fazhi.rules.lenience.evaluate` needs for one item on one day."""

    item: EnforcementItem
    statutory_fine: FineRange | None
    penalty_types: frozenset[PenaltyType]
    entries: tuple[ListEntry, ...]
    standard: Standard | None


def _entries_qs() -> QuerySet[LenientListEntry]:
    return LenientListEntry.objects.select_related("lenient_list", "item")


def _standards_qs() -> QuerySet[DiscretionStandard]:
    return (
        DiscretionStandard.objects.filter(published_at__isnull=False)
        .select_related("item")
        .prefetch_related(
            Prefetch("tiers", queryset=DiscretionTier.objects.order_by("order", "pk"))
        )
    )


def _pick_standard(rows: Sequence[DiscretionStandard]) -> DiscretionStandard | None:
    if not rows:
        return None
    return min(
        rows, key=lambda r: (_LEVEL_RANK[StandardLevel(r.level)], -r.effective_from.toordinal())
    )


def rules_inputs(item_code: str, on: dt.date) -> RulesInputs:
    """Published list entries and the most local published benchmark in force on ``on``."""
    item = EnforcementItem.objects.filter(code=item_code, is_active=True).first()
    if item is None:
        raise DomainError(f"执法事项{item_code}不存在或已停用", details={"item_code": [item_code]})
    entries = tuple(
        conversions.list_entry(e) for e in _entries_qs().filter(lists_in_force_on(on), item=item)
    )
    standard_row = _pick_standard(list(_standards_qs().filter(in_force_on(on), item=item)))
    return RulesInputs(
        item=item,
        statutory_fine=conversions.statutory_fine(item),
        penalty_types=conversions.penalty_types(item),
        entries=entries,
        standard=conversions.standard(standard_row) if standard_row else None,
    )


class CatalogIndex:
    """The whole published catalog in memory, for batch evaluation (CLI, benchmark).

    Loads every active item, published entry and benchmark once (three queries), then answers
    :meth:`inputs` without touching the database.
    """

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.items = {i.code: i for i in EnforcementItem.objects.filter(is_active=True)}
        entries: dict[str, list[ListEntry]] = defaultdict(list)
        for e in _entries_qs().filter(lists_in_force_on(on)):
            entries[e.item.code].append(conversions.list_entry(e))
        self.entries = {code: tuple(v) for code, v in entries.items()}
        by_item: dict[str, list[DiscretionStandard]] = defaultdict(list)
        for s in _standards_qs().filter(in_force_on(on)):
            by_item[s.item.code].append(s)
        self.standards: dict[str, Standard] = {}
        for code, rows in by_item.items():
            picked = _pick_standard(rows)
            if picked is not None:
                self.standards[code] = conversions.standard(picked)

    def inputs(self, item_code: str) -> RulesInputs:
        item = self.items.get(item_code)
        if item is None:
            raise DomainError(f"执法事项{item_code}不存在或已停用")
        return RulesInputs(
            item=item,
            statutory_fine=conversions.statutory_fine(item),
            penalty_types=conversions.penalty_types(item),
            entries=self.entries.get(item_code, ()),
            standard=self.standards.get(item_code),
        )
