"""Reads for the public portal. Public by construction: the county's name, the signed
checkpoints and the published enforcement catalog, which are published by design. Nothing here
reads users, ledger entries or any unpublished record (ARCHITECTURE §5 rule 5)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from fazhi.catalog import selectors as catalog_selectors
from fazhi.catalog.models import (
    DiscretionStandard,
    DiscretionTier,
    EnforcementItem,
    LenientList,
    LenientListEntry,
)
from fazhi.core.models import Organization
from fazhi.ledger.selectors import latest_checkpoint

COUNTY_SUFFIXES = ("人民政府",)
SITE_SUFFIX = "法治政府建设信息公开"


@dataclass(frozen=True)
class PublicCheckpoint:
    tree_size: int
    root_hash: str
    hash_alg: str
    signed_at: dt.datetime | None
    public_key: str
    witnesses: tuple[str, ...]


@dataclass(frozen=True)
class PortalHome:
    county_name: str
    site_title: str
    checkpoint: PublicCheckpoint | None


def county_name() -> str:
    """The county as the public knows it: the root organization's name without 人民政府."""
    root = Organization.objects.filter(parent__isnull=True).order_by("path").only("name").first()
    if root is None:
        return ""
    name = root.name
    for suffix in COUNTY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _public_checkpoint() -> PublicCheckpoint | None:
    cp = latest_checkpoint()
    if cp is None:
        return None
    try:
        signed_at: dt.datetime | None = dt.datetime.strptime(
            cp.timestamp, "%Y-%m-%dT%H:%M:%SZ"
        ).replace(tzinfo=dt.UTC)
    except ValueError:
        signed_at = None
    return PublicCheckpoint(
        tree_size=cp.tree_size,
        root_hash=bytes(cp.root_hash).hex(),
        hash_alg=cp.hash_alg,
        signed_at=signed_at,
        public_key=base64.b64encode(bytes(cp.public_key)).decode(),
        witnesses=tuple(w.witness for w in cp.witnesses.all()),
    )


def portal_home() -> PortalHome:
    name = county_name()
    return PortalHome(
        county_name=name, site_title=f"{name}{SITE_SUFFIX}", checkpoint=_public_checkpoint()
    )


# --- 行政执法公示: the published catalog (国办发〔2018〕118号 二（四） 事前公开) ----
#
# Only what was published: items with a publication time (and still in force), lists and
# benchmarks with a publication time, active enforcement bodies. A benchmark or list entry
# names its item only when that item is itself published, so an unpublished item never shows.


_TIERS = Prefetch("tiers", queryset=DiscretionTier.objects.order_by("order", "pk"))


def catalog_counts() -> dict[str, int]:
    """How much is published, for the portal home (four small COUNT queries)."""
    return {
        "bodies": catalog_selectors.public_bodies().count(),
        "items": catalog_selectors.public_items().count(),
        "lists": catalog_selectors.public_lists().count(),
        "standards": published_standards().count(),
    }


def published_standards(*, search: str = "") -> QuerySet[DiscretionStandard]:
    """Published benchmarks of published, active items (their tiers prefetched)."""
    return (
        catalog_selectors.public_standards(search=search)
        .filter(item__published_at__isnull=False, item__is_active=True)
        .prefetch_related(_TIERS)
        .order_by("item__code", "-effective_from", "pk")
    )


def published_standard(pk: int) -> DiscretionStandard:
    row = published_standards().filter(pk=pk).first()
    if row is None:
        raise Http404("没有找到该裁量基准")
    return row


def published_entries(lenient_list: LenientList, *, search: str = "") -> QuerySet[LenientListEntry]:
    """The entries of a published list, each with its item (shown only if published)."""
    qs = lenient_list.entries.select_related("item", "organization").order_by("number")
    if search:
        qs = qs.filter(
            Q(violation__icontains=search)
            | Q(item__code__icontains=search, item__published_at__isnull=False)
            | Q(item__name__icontains=search, item__published_at__isnull=False)
        )
    return qs


def item_standards(item: EnforcementItem) -> QuerySet[DiscretionStandard]:
    return published_standards().filter(item=item).select_related("organization")


def enforcement_organizations() -> QuerySet[Organization]:
    """Organizations with at least one published item, for the portal's filter."""
    return (
        Organization.objects.filter(
            enforcement_items__published_at__isnull=False, enforcement_items__is_active=True
        )
        .distinct()
        .order_by("path")
    )
