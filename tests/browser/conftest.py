"""Browser tests: Playwright for Python driving Debian's Chromium, headless.

Playwright's own browser download cannot work offline, so we point it at /usr/bin/chromium
(`make test-browser` installs Debian's package when it is missing).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "未找到 Chromium：请先运行 `make test-browser`（会安装 Debian 的 chromium）"
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous and safe. Set only for browser sessions.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def live_cast(transactional_db, live_server):
    from fazhi.core.testing import build_cast
    from fazhi.ledger import services

    cast = build_cast()
    services.create_checkpoint()
    return cast


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def _page():
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", accept_downloads=True
        )
        contexts.append(context)
        return context.new_page()

    yield _page
    for context in contexts:
        context.close()


def browser_login(page, username: str) -> None:
    from fazhi.core.testing import TEST_PASSWORD, totp_token

    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.fill("#id_otp_token", totp_token())
    page.click("button[type=submit]")
    page.wait_for_url("**/workbench/")
