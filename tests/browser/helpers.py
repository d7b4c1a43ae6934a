"""Shared steps of the visitor and editor path tests: the live server's host names, and guarded tabs."""

from contextlib import contextmanager
from urllib.parse import urlsplit

from wagtail.models import Site

from tests.browser_fixtures import PHONE_VIEWPORT, is_local

COMMUNE_HOST = "kienminh.localhost"
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}


def commune_url(base_url, path="/"):
    """``path`` on Kiến Minh's site, served by the live server."""
    return base_url.replace("localhost", COMMUNE_HOST, 1) + path


def serve_sites_on(live_server):
    """Give every site the live server's port, the way a deployment names its real port.

    Full addresses (a plaque's redirect, map popups, suggestions) are built from the site's host
    name and port; with the default port 80 they would lead a browser away from the test server.
    """
    port = urlsplit(live_server.url).port
    for site in Site.objects.all():
        site.port = port
        site.save()


def page_path(page):
    return page.get_url_parts()[2]


@contextmanager
def guarded_tab(browser, base_url, *, viewport=PHONE_VIEWPORT, **options):
    """A tab in a context of its own (JavaScript off, another user...) with the harness's guards:
    outside requests aborted and listed, console errors collected."""
    context = browser.new_context(locale="vi-VN", viewport=viewport, service_workers="block", **options)
    page = context.new_page()
    page.base_url = base_url
    page.outside_requests = []
    page.console_errors = []

    def keep_local(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
