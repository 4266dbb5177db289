"""Plan ratios per item kind: the flat {A..D} table becomes {"general": {A..D}, "key": {A..D}}.

A flat table applied to every item of the plan, so both kinds get it: the plans' draws stay
what they were. Going back keeps, per class, the higher of the two ratios (the one a plan
with a 重点 item used), so no plan is sampled less than it was.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import migrations

KINDS = ("general", "key")


def _is_nested(ratios: dict[str, Any]) -> bool:
    return any(k in KINDS for k in ratios)


def forwards(apps: Any, schema_editor: Any) -> None:
    Plan = apps.get_model("inspections", "Plan")
    for plan in Plan.objects.all().only("pk", "ratios"):
        ratios = plan.ratios or {}
        if _is_nested(ratios):
            continue
        flat = {c: str(r) for c, r in ratios.items()}
        plan.ratios = {kind: dict(flat) for kind in KINDS}
        plan.save(update_fields=["ratios"])


def backwards(apps: Any, schema_editor: Any) -> None:
    Plan = apps.get_model("inspections", "Plan")
    for plan in Plan.objects.all().only("pk", "ratios"):
        ratios = plan.ratios or {}
        if not _is_nested(ratios):
            continue
        tables = [ratios.get(kind) or {} for kind in KINDS]
        classes = sorted({c for t in tables for c in t})
        plan.ratios = {
            c: str(max(Decimal(str(t[c])) for t in tables if c in t)) for c in classes
        }
        plan.save(update_fields=["ratios"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
