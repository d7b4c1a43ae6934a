"""The remembered route table and the content generation: fast answers that are never stale.

Each test warms the caches with a first request, changes something the way an editor does, and
checks that the next visitor sees the change.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from heritage import freshness
from heritage.models import EntryLink
from people.models import PersonIndexPage
from sites.models import RelicIndexPage
from tests.heritage.factories import SourceFactory, build_commune, index_of, publish
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

pytestmark = pytest.mark.django_db

HOST = "kienminh.localhost"


@pytest.fixture
def commune():
    cache.clear()
    return build_commune()


@pytest.fixture
def relic(commune):
    return publish(RelicPageFactory(parent=index_of(commune, RelicIndexPage), title="Đình Kiền Bái"))


def get(client, url):
    return client.get(url, HTTP_HOST=HOST)


def test_a_warm_detail_page_costs_one_query(client, relic):
    assert get(client, relic.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = get(client, relic.url)

    assert response.status_code == 200
    assert "Đình Kiền Bái" in response.text
    assert len(queries.captured_queries) == 1


def test_a_renamed_page_answers_at_its_new_url_only(client, relic):
    old_url = relic.url
    assert get(client, old_url).status_code == 200

    relic.slug = "dinh-kien-bai-moi"
    relic.title = "Đình Kiền Bái (mới)"
    publish(relic)

    assert get(client, old_url).status_code == 404
    response = get(client, Page.objects.get(pk=relic.pk).url)
    assert response.status_code == 200
    assert "Đình Kiền Bái (mới)" in response.text


def test_a_moved_page_answers_at_its_new_url_and_the_old_one_redirects(client, commune, relic):
    old_url = relic.url
    assert get(client, old_url).status_code == 200

    relic.move(index_of(commune, PersonIndexPage), pos="last-child")
    new_url = Page.objects.get(pk=relic.pk).url

    # Wagtail leaves a permanent redirect at the old address.
    old = get(client, old_url)
    assert old.status_code == 301
    assert old["Location"].endswith(new_url)
    assert get(client, new_url).status_code == 200


def test_an_unpublished_page_is_gone_at_once(client, relic):
    assert get(client, relic.url).status_code == 200

    relic.unpublish()

    assert get(client, relic.url).status_code == 404


def test_a_page_taken_offline_without_signals_is_not_served_from_the_table(client, relic):
    """Even if no signal told the cache (a bulk update), a remembered route checks the page it loads."""
    assert get(client, relic.url).status_code == 200

    Page.objects.filter(pk=relic.pk).update(live=False)

    assert get(client, relic.url).status_code == 404


def test_a_new_view_restriction_applies_to_the_next_request(client, relic):
    assert get(client, relic.url).status_code == 200

    restriction = PageViewRestriction.objects.create(page=relic, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Chỉ cán bộ"))

    response = get(client, relic.url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]


def test_a_linked_page_renamed_on_publish_shows_its_new_title(client, commune, relic):
    person = publish(PersonPageFactory(parent=index_of(commune, PersonIndexPage), title="Ngô Quyền"))
    relic.links_out.add(EntryLink(target=person, relation="related"))
    publish(relic)
    assert "Ngô Quyền" in get(client, relic.url).text

    person.title = "Ngô Vương Quyền"
    publish(person)

    text = get(client, relic.url).text
    assert "Ngô Vương Quyền" in text


def test_an_edited_source_shows_on_the_page(client, relic):
    source = SourceFactory(title="Địa chí Hải Phòng")
    relic.source_links.create(source=source)
    publish(relic)
    assert "Địa chí Hải Phòng" in get(client, relic.url).text

    source.title = "Địa chí Hải Phòng, tập II"
    source.save()

    assert "Địa chí Hải Phòng, tập II" in get(client, relic.url).text


def test_the_generation_moves_on_when_content_changes(relic):
    before = freshness.generation()
    publish(relic)
    assert freshness.generation() > before


def test_the_generation_survives_a_cache_flush_without_reusing_numbers(relic):
    before = freshness.generation()
    cache.clear()
    assert freshness.generation() > before
