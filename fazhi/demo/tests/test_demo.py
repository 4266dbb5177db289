"""The demo county reproduces every figure of the 2024 report that has an indicator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from fazhi.core.choices import Role
from fazhi.core.indicator_registry import Period, Scope, registry
from fazhi.core.models import Organization, User
from fazhi.ledger.integrity import verify_ledger
from fazhi.reports.selectors import county_root

SEED_FIGURES = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "seed_figures.yaml").read_text(encoding="utf-8")
)


@pytest.mark.django_db
def test_every_registered_seed_figure_is_reproduced(demo_county):
    # given
    scope = Scope(county_root())
    checked = []
    # when / then
    for figure in SEED_FIGURES:
        if figure["code"] not in registry:
            continue  # later issues register the rest; this test grows with them
        value = registry.get(figure["code"]).value(Period.year(2024), scope)
        assert Decimal(str(value)) == Decimal(str(figure["value"])), figure["code"]
        checked.append(figure["code"])
    assert {
        "supervision.department_units",
        "supervision.township_units",
        "supervision.staff",
    } <= set(checked)


@pytest.mark.django_db
def test_demo_has_the_reported_structure(demo_county):
    assert Organization.objects.filter(enforcement_basis="statutory").count() == 39
    assert Organization.objects.filter(enforcement_basis="entrusted").count() == 13
    assert Organization.objects.filter(enforcement_basis="authorized").count() == 2
    assert Organization.objects.filter(kind="township").count() == 13
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role


@pytest.mark.django_db
def test_demo_ledger_verifies(demo_county):
    assert verify_ledger().ok


@pytest.mark.django_db
def test_indicators_command_prints_the_seed_figures_as_json(demo_county, capsys):
    import json

    call_command("indicators", "--year", "2024", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["supervision.department_units"]["value"] == 26
    assert data["supervision.township_units"]["value"] == 13
    assert data["supervision.staff"] == {
        "name": "行政执法监督人员数",
        "value": 81,
        "unit": "人",
        "precision": 0,
    }


@pytest.mark.django_db
def test_demo_refuses_a_non_empty_database(demo_county):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="已有数据"):
        call_command("demo")


def test_demo_names_are_deterministic_for_a_seed():
    from fazhi.demo.names import NameGenerator

    a, b, c = NameGenerator(7), NameGenerator(7), NameGenerator(8)
    first = [a.name() for _ in range(50)]
    assert first == [b.name() for _ in range(50)]
    assert first != [c.name() for _ in range(50)]
    assert len(set(first)) == 50
