"""Reads for the public portal. Public by construction: only the county's name and the
signed checkpoints, which are published by design. Nothing here reads users, ledger
entries or any unpublished record (ARCHITECTURE §5 rule 5)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

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
