"""The browser harness itself: a commune's home page renders in Chromium and asks nothing of the internet."""

import pytest

from tests.heritage.factories import build_commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_home_page_loads_in_chromium_without_outside_requests(browser_page):
    build_commune()
    response = browser_page.goto(browser_page.base_url.replace("localhost", "kienminh.localhost") + "/")

    assert response.status == 200
    assert browser_page.locator("html").get_attribute("lang") == "vi"
    assert "Kiến Minh" in browser_page.title()
    assert browser_page.outside_requests == []
    assert browser_page.console_errors == []
