"""Headless Chromium for the page tests: Debian's browser driven by Playwright, with no way out to the internet.

Tests that use ``browser_page`` mark themselves ``pytest.mark.browser``. The browser is the system's
``chromium`` (or ``CHROMIUM_PATH``); Playwright never downloads one. Every request that does not go to
the test server is aborted and recorded in ``page.outside_requests``, so a test can show that a page
works without the internet and asks nothing of it.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

PHONE_VIEWPORT = {"width": 390, "height": 844}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1"}


def chromium_executable():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("No Chromium found: install Debian's chromium package (scripts/test does) or set CHROMIUM_PATH.")
    return path


def is_local(url):
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    host = parts.hostname or ""
    return host in LOOPBACK_HOSTS or host.endswith(".localhost")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(browser, live_server):
    """A fresh phone-sized tab in Vietnamese; ``page.base_url`` is the live server's address."""
    context = browser.new_context(locale="vi-VN", viewport=PHONE_VIEWPORT, service_workers="block")
    page = context.new_page()
    page.base_url = live_server.url
    page.outside_requests = []

    def keep_local(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
