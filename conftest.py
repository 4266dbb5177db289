"""Project-wide fixtures: the cast of role personas, built through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from fazhi.core.testing import TEST_PASSWORD, Cast, build_cast, totp_token


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def login(client: Client):
    """Log a persona in through the real login form (password, and TOTP where required)."""

    def _login(user, c: Client | None = None) -> Client:
        c = c or client
        response = c.post(
            "/login/",
            {"username": user.username, "password": TEST_PASSWORD, "otp_token": totp_token()},
        )
        assert response.status_code == 302, response.content.decode()[:500]
        return c

    return _login


# --- scheduling under pytest-xdist ------------------------------------------------------------
# `--dist loadscope` keeps a module's tests on one worker. The demo tests share one demo county
# built per worker (the `demo_county` package fixture, minutes of work): keep the whole package
# on one worker, so the county is built once while the other worker runs everything else.
SHARED_FIXTURE_PACKAGES = ("fazhi/demo/tests/",)


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PackageScopeScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for package in SHARED_FIXTURE_PACKAGES:
                if nodeid.startswith(package):
                    return package
            return super()._split_scope(nodeid)

    return PackageScopeScheduling(config, log)


# --- the PostgreSQL run -----------------------------------------------------------------------
# CI runs the suite on SQLite and again on PostgreSQL (make test-postgres). A test that touches
# no database (the verifiers, the pure rules, property tests of algorithms) runs the same code on
# both, so the second run (FAZHI_DB_TESTS_ONLY=1) keeps only the tests that use the database.
DB_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "live_server"})


def pytest_collection_modifyitems(config, items):
    import os

    if os.environ.get("FAZHI_DB_TESTS_ONLY") != "1":
        return
    keep, skipped = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            DB_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = keep
