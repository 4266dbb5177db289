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
