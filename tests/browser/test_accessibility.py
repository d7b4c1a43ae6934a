"""Every kind of public page passes axe-core (WCAG 2.1 A and AA, best practices) on a phone and on a desktop.

The content is the demo (``load_demo_data``: two communes with images, sources, related entries),
plus an audio guide on one relic and one entry taken offline for the plaque page. Loading it takes a
while, so one test walks through all the pages at both sizes and reports every violation it met.
"""

from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from festivals.lunar import to_lunar
from festivals.models import FestivalIndexPage, FestivalPage
from heritage.models import EntryAudioGuide, HomePage, ProductIndexPage, ProductPage
from heritage.plaques import plaque_code
from people.models import PersonIndexPage, PersonPage
from sites.models import RelicIndexPage, RelicPage
from tests.axe import describe, violations
from tests.browser_fixtures import PHONE_VIEWPORT
from tests.heritage.factories import build_commune
from tests.media.factories import HeritageMediaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
COMMUNE_HOST = "kienminh.localhost"


def load_demo():
    call_command("load_demo_data", verbosity=0, stdout=StringIO())
    home = HomePage.objects.get(commune__code="KM")
    relic = RelicPage.objects.live().descendant_of(home).order_by("path").first()
    guide = HeritageMediaFactory(transcript="Đình làng được dựng từ thời Lê, thờ Thành hoàng làng.")
    EntryAudioGuide.objects.create(page=relic, media=guide, language="vi", length="short")
    # An entry taken offline: its plaque code answers with the "no longer online" page.
    offline = ProductPage.objects.live().exclude(path__startswith=home.path).order_by("path").first()
    offline.unpublish()
    return home, relic, plaque_code(offline)


def path_of(page):
    return page.get_url_parts()[2]


def public_pages(home, relic, offline_code):
    """(label, host, path, expected status) for every kind of public page."""
    commune = [
        ("commune home", "/", 200),
        ("relic with audio guide", path_of(relic), 200),
        ("search with results", "/tim-kiem/?q=" + quote("đình"), 200),
        ("search without results", "/tim-kiem/?q=zzqqxx", 200),
        ("search with did you mean", "/tim-kiem/?q=sam+linhh", 200),
        ("search, empty form", "/tim-kiem/", 200),
        ("commune map", "/ban-do/", 200),
        ("festival calendar", "/lich-le-hoi/", 200),
        ("festival calendar, other month", "/lich-le-hoi/2026/2/", 200),
        ("festival calendar, lunar month", f"/lich-le-hoi/am-lich/{to_lunar(timezone.localdate()).year}/1/", 200),
        ("timeline", "/dong-thoi-gian/", 200),
        ("timeline, filtered", "/dong-thoi-gian/?kind=ranked", 200),
        ("plaque lookup", "/q/", 200),
        ("plaque of an entry taken offline", f"/q/{offline_code}", 200),
        ("unknown plaque", "/q/KM-9999", 404),
        ("page not found", "/khong-co-trang-nay/", 404),
    ]
    for index_class, query in [
        (RelicIndexPage, "?rank=national"),
        (FestivalIndexPage, "?calendar=lunar"),
        (PersonIndexPage, "?page=1"),
        (ProductIndexPage, "?page=1"),
    ]:
        index = index_class.objects.child_of(home).get()
        name = index_class.__name__
        commune += [(name, path_of(index), 200), (f"{name}, filtered", path_of(index) + query, 200)]
    for entry_class in (RelicPage, FestivalPage, PersonPage, ProductPage):
        for entry in entry_class.objects.live().descendant_of(home).order_by("path")[:1]:
            commune.append((f"{entry_class.__name__} {entry.slug}", path_of(entry), 200))
    city = [
        ("city home", "/", 200),
        ("city map", "/ban-do/", 200),
        ("city search", "/tim-kiem/?q=" + quote("lễ hội"), 200),
        ("city timeline", "/dong-thoi-gian/", 200),
    ]
    return [(label, COMMUNE_HOST, path, status) for label, path, status in commune] + [
        (label, "localhost", path, status) for label, path, status in city
    ]


def visit(page, host, path):
    """Open the page; the maps are checked once their markers, loaded by script, are in."""
    url = page.base_url.replace("localhost", host, 1) + path
    return page.goto(url, wait_until="networkidle" if "/ban-do/" in path else "load")


def test_every_public_page_passes_axe_on_a_phone_and_a_desktop(browser_page):
    home, relic, offline_code = load_demo()
    pages = public_pages(home, relic, offline_code)
    problems = []
    for viewport in (PHONE_VIEWPORT, DESKTOP_VIEWPORT):
        browser_page.set_viewport_size(viewport)
        for label, host, path, status in pages:
            response = visit(browser_page, host, path)
            assert response.status == status, f"{label}: {host}{path} answered {response.status}"
            found = violations(browser_page)
            if found:
                problems.append(f"[{viewport['width']}px] {label}\n{describe(found, path)}")
        # The search box's suggestion list, open.
        visit(browser_page, COMMUNE_HOST, "/tim-kiem/")
        browser_page.fill("#search-q", "đình")
        browser_page.locator(".suggest a").first.wait_for()
        found = violations(browser_page)
        if found:
            problems.append(f"[{viewport['width']}px] search suggestions open\n{describe(found)}")

    assert len(pages) > 30
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)


def test_the_rate_limited_page_passes_axe(browser_page):
    build_commune()
    limits = {"search": {"paths": ["/tim-kiem/"], "limit": 1, "seconds": 60}}
    with override_settings(RATE_LIMIT_ENABLED=True, RATE_LIMITS=limits):
        visit(browser_page, COMMUNE_HOST, "/tim-kiem/")
        response = visit(browser_page, COMMUNE_HOST, "/tim-kiem/?q=dinh")
        assert response.status == 429
        for viewport in (PHONE_VIEWPORT, DESKTOP_VIEWPORT):
            browser_page.set_viewport_size(viewport)
            found = violations(browser_page)
            assert not found, describe(found, browser_page.url)
