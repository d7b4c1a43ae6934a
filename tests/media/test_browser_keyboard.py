"""The gallery lightbox and the audio guide player in Chromium, with the keyboard only (and a swipe)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.models import Collection, Locale, Page

from heritage.models import EntryAudioGuide
from sites.models import RelicIndexPage
from tests.heritage.factories import ImageFactory, build_commune, index_of, publish
from tests.media import factories as files
from tests.sites.factories import RelicPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACTIVE = "document.activeElement"


def ensure_page_tree_root():
    """Transactional tests empty every table after each test, the roots made by migrations too."""
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code="vi")
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def entry(settings, live_server):
    # The live server answers MEDIA_URL itself, without byte ranges (so no seeking in a recording);
    # uploads move to a URL that tests.media.urls serves the way a production web server does.
    settings.ROOT_URLCONF = "tests.media.urls"
    settings.MEDIA_URL = "/uploads/"
    ensure_page_tree_root()
    setup = build_commune()
    pictures = [
        ImageFactory(title=f"Ảnh {n}", file=ContentFile(files.jpeg_bytes(size=(800, 600)), name=f"anh-{n}.jpg"))
        for n in range(1, 4)
    ]
    relic = RelicPageFactory(
        parent=index_of(setup, RelicIndexPage),
        title="Đình Đông Khê",
        body=[
            (
                "gallery",
                {
                    "title": "Hình ảnh",
                    "images": [
                        {"image": picture, "caption": f"Chú thích {n}"} for n, picture in enumerate(pictures, 1)
                    ],
                },
            )
        ],
    )
    guide = files.HeritageMediaFactory(file=ContentFile(files.wav_bytes(seconds=30), name="thuyet-minh.wav"))
    EntryAudioGuide.objects.create(page=relic, media=guide, language="vi", length="short")
    return publish(relic)


def entry_url(base_url, entry):
    _site_id, _root_url, path = entry.get_url_parts()
    return base_url.replace("localhost", "kienminh.localhost") + path


def open_entry(browser_page, entry):
    response = browser_page.goto(entry_url(browser_page.base_url, entry))
    assert response.status == 200
    browser_page.wait_for_function("() => document.querySelector('[data-player-ready]') !== null")


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches ``selector``, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"{ACTIVE}.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_the_audio_guide_plays_pauses_and_seeks_with_the_keyboard(browser_page, entry):
    page = browser_page
    open_entry(page, entry)

    tab_to(page, "[data-player-play]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-player-play]').getAttribute('aria-pressed') === 'true'")
    assert page.evaluate("document.querySelector('.listen audio').paused") is False

    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('.listen audio').paused")
    assert page.locator("[data-player-play]").get_attribute("aria-pressed") == "false"

    tab_to(page, "[data-player-seek]")
    page.wait_for_function("() => document.querySelector('[data-player-seek]').max > 0")
    before = page.evaluate("document.querySelector('.listen audio').currentTime")
    page.keyboard.press("End")
    page.wait_for_function(f"() => document.querySelector('.listen audio').currentTime > {before + 10}")

    page.keyboard.press("Shift+Tab")
    assert page.evaluate(f"{ACTIVE}.matches('[data-player-back]')")
    at = page.evaluate("document.querySelector('.listen audio').currentTime")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('.listen audio').currentTime <= {at - 9}")

    assert page.outside_requests == []
    assert page.console_errors == []


def test_the_lightbox_opens_pages_keeps_focus_and_closes_with_escape(browser_page, entry):
    page = browser_page
    open_entry(page, entry)

    tab_to(page, "a.gallery__link")
    first_link = page.evaluate(f"{ACTIVE}.getAttribute('href')")
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.lightbox")
    dialog.wait_for(state="visible")
    assert page.evaluate(f"{ACTIVE}.matches('.lightbox__close')")
    assert page.locator(".lightbox__count").inner_text() == "1 / 3"
    assert page.locator(".lightbox__caption").inner_text() == "Chú thích 1"

    page.keyboard.press("ArrowRight")
    assert page.locator(".lightbox__count").inner_text() == "2 / 3"
    page.wait_for_function(
        "() => document.querySelector('.lightbox__image').complete && document.querySelector('.lightbox__image').naturalWidth > 0"
    )

    for _ in range(7):
        page.keyboard.press("Tab")
        assert page.evaluate(f"{ACTIVE}.closest('dialog.lightbox') !== null"), "focus left the lightbox"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(f"{ACTIVE}.closest('dialog.lightbox') !== null")

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate(f"{ACTIVE}.getAttribute('href')") == first_link
    assert page.outside_requests == []
    assert page.console_errors == []


def test_a_swipe_shows_the_next_picture_on_a_phone(browser_page, entry):
    page = browser_page
    open_entry(page, entry)
    page.locator("a.gallery__link").first.click()
    page.locator("dialog.lightbox").wait_for(state="visible")
    page.evaluate(
        """() => {
            const dialog = document.querySelector('dialog.lightbox');
            const touch = (x) => new Touch({identifier: 1, target: dialog, clientX: x, clientY: 400});
            dialog.dispatchEvent(new TouchEvent('touchstart', {touches: [touch(300)], changedTouches: [touch(300)], bubbles: true}));
            dialog.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(120)], bubbles: true}));
        }"""
    )
    assert page.locator(".lightbox__count").inner_text() == "2 / 3"


def test_without_javascript_a_gallery_link_opens_the_large_picture(browser, live_server, entry):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(entry_url(live_server.url, entry))
        link = page.locator("a.gallery__link").first
        href = link.get_attribute("href")
        assert href.endswith(".jpg")
        with page.expect_navigation():
            link.click()
        assert page.url.endswith(href)
        # The large rendition of an 800-pixel original: never upscaled, never the original file.
        assert "/images/" in page.url
        assert page.evaluate("document.images[0].naturalWidth") == 800
    finally:
        context.close()
