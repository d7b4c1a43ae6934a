import shutil

import pytest
from django.conf import settings

pytest_plugins = ["tests.browser_fixtures"]


def ensure_migrated_rows():
    """Put back the rows that migrations create (the page and collection roots, the default locale,
    the relic types) when a transactional test before this one flushed the database."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    from sites.choices import RelicTypeCode
    from sites.models import RelicType

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    for order, code in enumerate(RelicTypeCode.values):
        RelicType.objects.get_or_create(code=code, defaults={"sort_order": order})


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test must not leave pages, routes or
    GeoJSON behind for the next one under the same content generation."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _migrated_rows_in_transactional_tests(request):
    """Transactional tests (live server, browser) end with a flush that also empties the rows
    migrations made; the next such test gets them back before it starts."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        transactional = True
    if transactional:
        request.getfixturevalue("transactional_db")
        ensure_migrated_rows()


@pytest.fixture(autouse=True, scope="session")
def _clean_test_media():
    """Uploads made by tests go to their own folder, emptied after the run."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
