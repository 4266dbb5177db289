"""Fixtures of the API tests: tokens issued through the service, and clients that use them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fazhi.core import services
from fazhi.core.models import User


@pytest.fixture
def token_for() -> Callable[..., str]:
    """Issue a real token for `user` through the service and return its secret."""

    def _issue(user: User, name: str = "测试令牌", days: int = 30) -> str:
        return services.issue_api_token(actor=user, name=name, expires_in_days=days).secret

    return _issue


@pytest.fixture
def as_user(token_for) -> Callable[[User | None], Client]:
    """A client that authenticates as `user` with a bearer token (anonymous for None)."""

    def _client(user: User | None) -> Client:
        if user is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return _client
