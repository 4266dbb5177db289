"""Reads of draws: by data scope for staff, published ones for the public, and the bundle."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fazhi.core.models import User
from fazhi.core.permissions import has_perm
from fazhi.core.selectors import visible_organizations
from fazhi.draws.models import Draw, Purpose
from fazhi.draws.services import PURPOSE_PERMISSION, load_pool

# Purposes whose draws the portal shows: 双随机 draws are public by law (一公开); a 案卷评查
# sample names cases, some of which are never published (minors' cases), so it stays inside.
PUBLIC_PURPOSES = (Purpose.INSPECTION,)


def draws_for(user: User, purpose: str | None = None) -> QuerySet[Draw]:
    """The draws of the user's data scope whose purpose the user may handle."""
    purposes = [p for p, perm in PURPOSE_PERMISSION.items() if has_perm(user, perm)]
    if purpose is not None:
        purposes = [p for p in purposes if p == purpose]
    return (
        Draw.objects.filter(purpose__in=purposes, organization__in=visible_organizations(user))
        .select_related("organization", "supersedes", "superseded_by")
        .order_by("-pk")
    )


def public_draws() -> QuerySet[Draw]:
    """Every committed draw the public may see — committed ones before their reveal too, and
    the ones a re-draw replaced (ARCHITECTURE §7 step 5)."""
    return (
        Draw.objects.filter(purpose__in=PUBLIC_PURPOSES)
        .select_related("organization", "supersedes", "superseded_by")
        .order_by("-pk")
    )


def bundle(draw: Draw) -> dict[str, Any]:
    """The verification bundle: everything `verifier.py` needs to re-compute the draw."""
    return {
        "commitment": draw.commitment,
        "commitment_digest": draw.commitment_digest,
        "randomness": {
            "value": draw.randomness,
            "evidence": draw.randomness_evidence,
            "revealed_at": draw.revealed_at.isoformat(timespec="seconds")
            if draw.revealed_at
            else None,
        },
        "pool": load_pool(draw.pool_file),
        "inspectors": load_pool(draw.inspector_file) if draw.inspector_file else [],
        "result": draw.result,
        "failure": draw.failure,
    }
