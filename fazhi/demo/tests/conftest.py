"""One demo build shared by the demo tests (it is the slow part), rolled back afterwards."""

from __future__ import annotations

import pytest
from django.db import transaction

from fazhi.demo.builder import build_demo


@pytest.fixture(scope="package")
def demo_county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo(year=2024, seed=2024)
        transaction.set_rollback(True)
