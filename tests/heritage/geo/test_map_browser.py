"""The maps in headless Chromium (Debian's), with every request outside the test server blocked: tiles too."""

import pytest

from .world import build_world

# Transactional tests empty the database afterwards: build_world puts back the rows migrations create.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def commune_url(browser_page, path):
    return browser_page.base_url.replace("localhost", "kienminh.localhost") + path


def real_errors(browser_page):
    # Blocked tile requests are reported by Chromium as failed resources; nothing else may fail.
    return [error for error in browser_page.console_errors if "Failed to load resource" not in error]


def test_the_map_shows_clustered_markers_and_reacts_to_the_filter_without_tiles(browser_page):
    build_world()
    browser_page.goto(commune_url(browser_page, "/ban-do/"))
    container = browser_page.locator('[data-site-map][data-map-ready="true"]')
    container.wait_for()

    assert container.get_attribute("data-visible-count") == "5"
    # The festival stands where its relic stands: at least that pair is one cluster.
    assert browser_page.locator(".marker-cluster").count() >= 1
    assert browser_page.locator(".marker-cluster").first.inner_text().strip().isdigit()

    browser_page.select_option("#map-filter-kind", "product")
    browser_page.wait_for_function("() => document.querySelector('[data-site-map]').dataset.visibleCount === '1'")
    assert browser_page.locator(".marker-cluster").count() == 0
    assert browser_page.locator(".leaflet-marker-icon").count() == 1
    assert "1 mục trên bản đồ" in browser_page.locator("[data-map-count]").inner_text()
    assert browser_page.url.endswith("/ban-do/?kind=product")
    assert browser_page.locator(".unlocated__list li:not([hidden])").count() == 0

    browser_page.locator(".leaflet-marker-icon").first.click()
    popup = browser_page.locator(".map-popup__title")
    popup.wait_for()
    assert popup.inner_text() == "Bánh đa cua Kiến Minh"
    assert popup.get_attribute("href") == "http://kienminh.localhost/san-pham-van-hoa/banh-da-cua-kien-minh/"

    assert browser_page.outside_requests, "the tile server should have been asked (and blocked)"
    assert all("tile.openstreetmap.org" in url for url in browser_page.outside_requests)
    assert real_errors(browser_page) == []


def test_the_detail_page_loads_leaflet_only_when_the_map_is_wanted(browser_page):
    world = build_world()
    requested = []
    browser_page.on("request", lambda request: requested.append(request.url))
    browser_page.goto(commune_url(browser_page, world["dinh"].get_url_parts()[2]))
    browser_page.wait_for_load_state("load")
    assert not [url for url in requested if "leaflet" in url]

    browser_page.locator("[data-entry-map]").scroll_into_view_if_needed()
    browser_page.locator('[data-entry-map][data-map-ready="true"]').wait_for()
    assert [url for url in requested if url.endswith("/leaflet.js")]
    assert browser_page.locator("[data-entry-map] .leaflet-marker-icon").count() == 1
    assert real_errors(browser_page) == []
