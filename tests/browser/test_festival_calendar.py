"""The festival calendar in Chromium: the month page and the festival's subscribe link, nothing from outside."""

import datetime

import pytest
from django.utils import timezone

from festivals.lunar import to_lunar
from festivals.models import FestivalIndexPage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_month_page_lists_this_month_festival_and_links_to_its_feed(browser_page):
    setup = build_commune()
    today = timezone.localdate()
    lunar = to_lunar(today)
    FestivalPageFactory(
        parent=index_of(setup, FestivalIndexPage),
        title="Lễ hội đình Kiến Minh",
        start_month=lunar.month,
        start_day=lunar.day,
        start_leap=lunar.leap,
    )
    base = browser_page.base_url.replace("localhost", "kienminh.localhost")
    response = browser_page.goto(base + "/lich-le-hoi/")

    assert response.status == 200
    today_row = browser_page.locator('tr[aria-current="date"]')
    assert "Lễ hội đình Kiến Minh" in today_row.inner_text()
    assert str(lunar) in today_row.inner_text()

    today_row.get_by_role("link", name="Lễ hội đình Kiến Minh").click()
    browser_page.wait_for_load_state()
    feed_link = browser_page.locator('a[type="text/calendar"]').first
    assert feed_link.get_attribute("href").endswith(".ics")
    assert browser_page.outside_requests == []
    assert browser_page.console_errors == []


def test_a_visitor_pages_to_next_month_and_follows_a_festival_to_its_page(browser_page):
    setup = build_commune()
    today = timezone.localdate()
    held_on = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=15)
    lunar = to_lunar(held_on)
    FestivalPageFactory(
        parent=index_of(setup, FestivalIndexPage),
        title="Hội đua thuyền Kiến Minh",
        start_month=lunar.month,
        start_day=lunar.day,
        start_leap=lunar.leap,
    )
    base = browser_page.base_url.replace("localhost", "kienminh.localhost")
    browser_page.goto(base + "/lich-le-hoi/")
    assert browser_page.get_by_role("link", name="Hội đua thuyền Kiến Minh").count() == 0

    browser_page.locator('.calendar__nav a[rel="next"]').click()
    browser_page.wait_for_url(f"**/lich-le-hoi/{held_on.year}/{held_on.month}/")
    assert f"{held_on.month}/{held_on.year}" in browser_page.locator("h1").inner_text()
    day_row = browser_page.locator("tr.calendar__day", has=browser_page.locator(f'time[datetime="{held_on}"]'))
    assert str(lunar) in day_row.inner_text()
    day_row.get_by_role("link", name="Hội đua thuyền Kiến Minh").click()
    browser_page.wait_for_url("**/hoi-dua-thuyen-kien-minh/")
    assert browser_page.locator("h1").inner_text() == "Hội đua thuyền Kiến Minh"
    assert browser_page.outside_requests == []
    assert browser_page.console_errors == []
