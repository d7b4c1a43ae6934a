"""The editor's path in Chromium, through the real Wagtail admin: a commune editor writes a relic and
submits it for review, the city's reviewer approves it (which publishes it), and a visitor finds it
with the public search. On the way, the editor's bar on a public page works under the strict
Content-Security-Policy. No request leaves the test server, the admin's included.
"""

import re
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from heritage.communes import REVIEWER_GROUP
from sites.models import RelicIndexPage, RelicPage
from tests.axe import assert_accessible
from tests.heritage.factories import build_commune, index_of

from .helpers import DESKTOP_VIEWPORT, commune_url, page_path, serve_sites_on
from .urls import TILE_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-1"
TITLE = "Đền thờ Trần Hưng Đạo"


def log_in(page, username):
    page.goto(commune_url(page.base_url, "/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == commune_url(page.base_url, "/admin/")


def log_out(page, username):
    page.get_by_role("button", name=re.compile(username)).click()
    with page.expect_navigation():
        page.locator('form[action="/admin/logout/"] button').click()
    assert "/admin/login/" in page.url


def watching_for_changes(page):
    """Wait until the admin notices edits: it takes its snapshot of the form two seconds after the
    page opens, and what is typed before then is in the snapshot, unsaved (a person is slower)."""
    page.wait_for_function(
        """() => {
            const form = document.querySelector('#page-edit-form');
            const unsaved = window.wagtail.app.getControllerForElementAndIdentifier(form, 'w-unsaved');
            return Boolean(unsaved && unsaved.initialFormData);
        }"""
    )


@contextmanager
def autosaved(page):
    """Wait, after what the block types, until the admin has saved the draft by itself."""
    with page.expect_response(
        lambda response: response.request.method == "POST" and "/admin/pages/" in response.url
    ) as saved:
        yield
    assert saved.value.ok
    page.wait_for_function(
        "() => document.querySelector('#w-autosave-indicator').dataset.wAutosaveStateValue === 'saved'"
    )


def check_clean(page):
    assert page.outside_requests == []
    assert page.console_errors == []


def test_an_entry_goes_from_editor_to_reviewer_to_visitor(browser_page, live_server, settings):
    settings.ROOT_URLCONF = "tests.browser.urls"
    settings.MAP_TILE_URL = TILE_URL  # the location panel's map, served locally
    setup = build_commune()
    serve_sites_on(live_server)
    users = get_user_model().objects
    users.create_user("bientap", password=PASSWORD).groups.add(setup.editors)
    users.create_user("thamdinh", password=PASSWORD).groups.add(Group.objects.get(name=REVIEWER_GROUP))
    relics = index_of(setup, RelicIndexPage)
    page = browser_page
    page.set_viewport_size(DESKTOP_VIEWPORT)

    # The editor, on a public page first: the userbar renders and opens, with nothing refused by the CSP.
    log_in(page, "bientap")
    page.goto(commune_url(page.base_url, "/"))
    trigger = page.locator("wagtail-userbar [aria-haspopup]").first
    trigger.click()
    edit_link = page.locator("wagtail-userbar").get_by_role("menuitem").filter(has_text=re.compile("Sửa|Edit"))
    edit_link.first.wait_for()
    assert f"/admin/pages/{setup.home.pk}/edit/" in edit_link.first.get_attribute("href")
    check_clean(page)

    # Writes the entry in the commune's relic index and submits it for review.
    page.goto(commune_url(page.base_url, f"/admin/pages/{relics.pk}/"))
    with page.expect_navigation():
        page.locator(f'a[href$="/admin/pages/{relics.pk}/add_subpage/"]').first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/sites/relicpage/"))
    # The admin saves a draft by itself once the required fields are filled; the editor submits
    # when the indicator says it is saved.
    watching_for_changes(page)
    with autosaved(page):
        page.locator("#id_title").press_sequentially(TITLE)
        page.keyboard.press("Tab")
        page.locator("#id_summary").press_sequentially("Ngôi đền thờ Hưng Đạo Đại Vương, dựng bên bờ sông.")
        page.keyboard.press("Tab")
    # The slug is made from the title as the editor types, in plain letters.
    assert page.input_value("#id_slug") == "den-tho-tran-hung-dao"
    page.locator("footer").get_by_role("button", name=re.compile("More actions|Thêm hành động")).click()
    with page.expect_navigation():
        page.locator('button[name="action-submit"]').click()
    entry = RelicPage.objects.get(title=TITLE)
    assert not entry.live
    assert entry.current_workflow_state.status == "in_progress"
    check_clean(page)
    log_out(page, "bientap")

    # The reviewer finds it waiting, approves it, and so publishes it.
    log_in(page, "thamdinh")
    with page.expect_navigation():
        page.get_by_role("link", name=TITLE).first.click()
    assert f"/admin/pages/{entry.pk}/edit/" in page.url
    page.locator("footer").get_by_role("button", name=re.compile("More actions|Thêm hành động")).click()
    with page.expect_navigation():
        page.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])').click()
    entry.refresh_from_db()
    assert entry.live
    check_clean(page)
    log_out(page, "thamdinh")

    # A visitor searches without accents and opens it.
    page.goto(commune_url(page.base_url, "/tim-kiem/"))
    page.fill("#search-q", "den tho tran hung dao")
    with page.expect_navigation():
        page.locator("#search-q").press("Enter")
    first = page.locator(".result__title a").first
    assert first.inner_text() == TITLE
    first.click()
    page.wait_for_url(commune_url(page.base_url, page_path(entry)))
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator("wagtail-userbar").count() == 0
    check_clean(page)
    assert_accessible(page)  # the public page the editor's work became
