"""What a visitor does on a phone, in Chromium, end to end: scan a plaque, read an entry and follow its
links, listen to its audio guide, search with and without accents (and without JavaScript), find it
on the map, page through its pictures. Nothing may come from outside and no script may fail.

The keyboard details of the player and the lightbox, and the map's filters, have tests of their own
(tests/media/test_browser_keyboard.py, tests/heritage/geo/test_map_browser.py); these follow the
visitor from where they arrive to where they want to go.
"""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from festivals.models import FestivalIndexPage
from heritage.models import CityHomePage, EntryAudioGuide, EntryLink, EntrySource
from heritage.plaques import plaque_code
from people.models import PersonIndexPage
from sites.models import RelicIndexPage
from tests.axe import assert_accessible
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import ImageFactory, SourceFactory, build_commune, index_of, publish
from tests.media import factories as files
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

from .helpers import commune_url, guarded_tab, page_path, serve_sites_on
from .urls import TILE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "document.activeElement"


@pytest.fixture
def commune(live_server):
    setup = build_commune()
    serve_sites_on(live_server)
    return setup


@pytest.fixture
def served_locally(settings):
    # Recordings and pictures are served the way a production web server serves them (byte ranges),
    # and map tiles by the live server itself.
    settings.ROOT_URLCONF = "tests.browser.urls"
    settings.MEDIA_URL = "/uploads/"
    settings.MAP_TILE_URL = TILE_URL


def relic(setup, title, **fields):
    return RelicPageFactory(parent=index_of(setup, RelicIndexPage), title=title, **fields)


def index_of_city(index_class):
    """The city's own index page of one kind (entries that belong to no commune)."""
    return index_class.objects.child_of(CityHomePage.objects.get()).get()


def assert_clean(page, *, scripts=True):
    """Where a path ends: nothing asked of the internet, no script error, and no serious or
    critical accessibility violation on the page reached (axe-core, which needs the page's
    scripts on: a tab without JavaScript cannot run it)."""
    assert page.outside_requests == []
    assert page.console_errors == []
    if scripts:
        assert_accessible(page)


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches ``selector``, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {ACTIVE}.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_scanning_a_plaque_opens_the_relic_even_after_it_is_renamed_and_moved(browser_page, commune):
    page = browser_page
    dinh = publish(relic(commune, "Đình Kiến Thụy", summary="Ngôi đình thờ Thành hoàng làng Kiến Thụy."))
    code = plaque_code(dinh)
    assert code, "publishing gives the relic a plaque code"

    response = page.goto(f"{page.base_url}/q/{code}")
    assert response.ok
    assert page.url == commune_url(page.base_url, "/di-tich/dinh-kien-thuy/")
    assert page.locator("h1").inner_text() == "Đình Kiến Thụy"

    dinh.title, dinh.slug = "Đình Kiến Thụy (đình Cả)", "dinh-ca-kien-thuy"
    dinh = publish(dinh)
    dinh.move(index_of_city(RelicIndexPage), pos="last-child")

    page.goto(f"{page.base_url}/q/{code}")
    assert page.url == page.base_url + "/di-tich/dinh-ca-kien-thuy/"
    assert page.locator("h1").inner_text() == "Đình Kiến Thụy (đình Cả)"
    assert_clean(page)


def test_an_entry_page_shows_its_story_sources_citation_and_leads_to_related_entries(browser_page, commune):
    page = browser_page
    dinh = relic(commune, "Đình Kiến Thụy", summary="Ngôi đình thờ Thành hoàng làng Kiến Thụy.")
    source = SourceFactory(title="Địa chí huyện Kiến Thụy")
    EntrySource.objects.create(page=dinh, source=source, locator="tr. 112–115")
    dinh = publish(dinh)
    festival = FestivalPageFactory(parent=index_of(commune, FestivalIndexPage), title="Hội làng Kiến Thụy")
    EntryLink.objects.create(source=festival, target=dinh, relation="held_at")
    publish(festival)
    person = PersonPageFactory(parent=index_of(commune, PersonIndexPage), title="Phạm Văn Thờ")
    EntryLink.objects.create(source=person, target=dinh, relation="worshipped_at")
    publish(person)

    response = page.goto(commune_url(page.base_url, page_path(dinh)))
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Đình Kiến Thụy"
    assert page.locator(".entry__summary").inner_text() == "Ngôi đình thờ Thành hoàng làng Kiến Thụy."

    sources = page.locator("section.sources")
    assert "Địa chí huyện Kiến Thụy" in sources.locator("cite").inner_text()
    assert sources.locator(".sources__locator").inner_text() == "tr. 112–115"

    citation = page.locator(".cite__text").first
    assert not citation.is_visible()
    page.get_by_text("Trích dẫn trang này").click()
    assert citation.is_visible()
    assert "Đình Kiến Thụy" in citation.inner_text()

    related = page.locator("section.related")
    assert related.get_by_role("link", name="Phạm Văn Thờ").is_visible()
    related.get_by_role("link", name="Hội làng Kiến Thụy").click()
    page.wait_for_url(commune_url(page.base_url, page_path(festival)))
    assert page.locator("h1").inner_text() == "Hội làng Kiến Thụy"
    # And back: the festival's page names the relic that hosts it.
    page.locator("section.related").get_by_role("link", name="Đình Kiến Thụy").click()
    page.wait_for_url(commune_url(page.base_url, page_path(dinh)))
    assert page.locator("h1").inner_text() == "Đình Kiến Thụy"
    assert_clean(page)


def test_a_scanned_entry_plays_its_audio_guide_from_the_keyboard_and_shows_the_transcript(
    browser_page, commune, served_locally
):
    page = browser_page
    dinh = relic(commune, "Đình Kiến Thụy")
    recording = files.HeritageMediaFactory(
        file=ContentFile(files.wav_bytes(seconds=5), name="thuyet-minh.wav"),
        duration=5,
        transcript="Đình Kiến Thụy được dựng lại năm 1890, thờ ba vị Thành hoàng.",
    )
    EntryAudioGuide.objects.create(page=dinh, media=recording, language="vi", length="short")
    dinh = publish(dinh)

    page.goto(f"{page.base_url}/q/{plaque_code(dinh)}")
    assert page.locator("h1").inner_text() == "Đình Kiến Thụy"
    guide = page.locator("section.listen")
    assert guide.get_by_role("heading", name="Thuyết minh âm thanh").is_visible()
    page.wait_for_function("() => document.querySelector('[data-player-ready]') !== null")

    tab_to(page, "[data-player-play]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.listen audio').paused")
    assert page.locator("[data-player-play]").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('.listen audio').paused")

    transcript = guide.locator("details.transcript")
    assert not transcript.get_by_text("dựng lại năm 1890").is_visible()
    tab_to(page, "details.transcript summary")
    page.keyboard.press("Enter")
    assert transcript.get_by_text("Đình Kiến Thụy được dựng lại năm 1890").is_visible()
    assert transcript.get_attribute("lang") == "vi"
    assert_clean(page)


def result_titles(page):
    return page.locator(".result__title").all_inner_texts()


@pytest.mark.parametrize("typed", ["Đền thờ Trần Hưng Đạo", "den tho tran hung dao"])
def test_search_finds_the_entry_with_or_without_accents_and_suggests_it_while_typing(browser_page, commune, typed):
    page = browser_page
    temple = publish(relic(commune, "Đền thờ Trần Hưng Đạo", summary="Ngôi đền thờ Hưng Đạo Đại Vương."))
    publish(relic(commune, "Đình Trần Phú", summary="Ngôi đình thờ Thành hoàng làng, gần đền thờ."))
    publish(PersonPageFactory(parent=index_of(commune, PersonIndexPage), title="Trần Quốc Tuấn"))

    page.goto(commune_url(page.base_url, "/tim-kiem/"))
    box = page.locator("#search-q")
    box.press_sequentially(typed, delay=20)
    suggestion = page.locator("ul.suggest").get_by_role("link", name="Đền thờ Trần Hưng Đạo")
    suggestion.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert suggestion.get_attribute("href") == commune_url(page.base_url, page_path(temple))

    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    assert result_titles(page)[0] == "Đền thờ Trần Hưng Đạo"
    page.locator(".result__title a").first.click()
    page.wait_for_url(commune_url(page.base_url, page_path(temple)))
    assert page.locator("h1").inner_text() == "Đền thờ Trần Hưng Đạo"
    assert_clean(page)


def test_search_works_without_javascript(browser, live_server, commune):
    publish(relic(commune, "Đền thờ Trần Hưng Đạo", summary="Ngôi đền thờ Hưng Đạo Đại Vương."))
    publish(relic(commune, "Đình Trần Phú", summary="Ngôi đình thờ Thành hoàng làng, gần đền thờ."))
    with guarded_tab(browser, live_server.url, java_script_enabled=False) as page:
        for typed in ("Đền thờ Trần Hưng Đạo", "den tho tran hung dao"):
            page.goto(commune_url(page.base_url, "/tim-kiem/"))
            page.locator("#search-q").fill(typed)
            with page.expect_navigation():
                page.locator("#search-q").press("Enter")
            assert result_titles(page)[0] == "Đền thờ Trần Hưng Đạo"
            assert page.locator("ul.suggest").count() == 0, "no script ran"
        assert_clean(page, scripts=False)


def test_the_map_leads_from_a_marker_to_its_entry(browser_page, commune, served_locally):
    page = browser_page
    dinh = publish(relic(commune, "Đình Kiến Thụy", latitude=Decimal("20.856100"), longitude=Decimal("106.682300")))
    publish(relic(commune, "Chùa Đông Khê", latitude=Decimal("20.950000"), longitude=Decimal("106.500000")))
    publish(relic(commune, "Miếu chưa định vị"))

    page.goto(commune_url(page.base_url, "/ban-do/"))
    page.locator('[data-site-map][data-map-ready="true"]').wait_for()
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == 2
    assert "Miếu chưa định vị" in page.locator(".unlocated__list").inner_text()
    page.locator(".leaflet-tile-loaded").first.wait_for()

    page.locator('.leaflet-marker-icon[title="Đình Kiến Thụy"]').click()
    popup_link = page.locator(".leaflet-popup").get_by_role("link", name="Đình Kiến Thụy")
    popup_link.wait_for()
    popup_link.click()
    page.wait_for_url(commune_url(page.base_url, page_path(dinh)))
    assert page.locator("h1").inner_text() == "Đình Kiến Thụy"
    assert_clean(page)


def test_the_gallery_opens_pages_with_arrow_keys_and_gives_focus_back(browser_page, commune, served_locally):
    page = browser_page
    pictures = [
        ImageFactory(title=f"Ảnh {n}", file=ContentFile(files.jpeg_bytes(size=(640, 480)), name=f"anh-{n}.jpg"))
        for n in range(1, 4)
    ]
    gallery = {
        "title": "Hình ảnh",
        "images": [{"image": p, "caption": f"Góc đình {n}"} for n, p in enumerate(pictures, 1)],
    }
    dinh = publish(relic(commune, "Đình Kiến Thụy", body=[("gallery", gallery)]))

    page.goto(commune_url(page.base_url, page_path(dinh)))
    links = page.locator("a.gallery__link")
    assert links.count() == 3
    links.nth(1).click()
    dialog = page.locator("dialog.lightbox")
    dialog.wait_for(state="visible")
    count = page.locator(".lightbox__count")
    assert count.inner_text() == "2 / 3"
    assert page.locator(".lightbox__caption").inner_text() == "Góc đình 2"
    page.wait_for_function(
        "() => document.querySelector('.lightbox__image').complete && document.querySelector('.lightbox__image').naturalWidth > 0"
    )

    page.keyboard.press("ArrowRight")
    assert count.inner_text() == "3 / 3"
    assert page.locator(".lightbox__caption").inner_text() == "Góc đình 3"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert count.inner_text() == "1 / 3"

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate(f"() => {ACTIVE}.matches('a.gallery__link')")
    assert page.evaluate(f"() => {ACTIVE}.getAttribute('href')") == links.nth(1).get_attribute("href")
    assert_clean(page)
