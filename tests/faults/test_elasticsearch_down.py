"""Elasticsearch stops while visitors search and browse: pages keep serving and search falls back."""

import logging
import uuid
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from festivals.models import FestivalIndexPage
from search.backends import SearchRequest, get_backend
from search.indexing import all_documents
from sites.models import RelicIndexPage
from tests.heritage.factories import index_of
from tests.search.test_views import CITY_HOST, KIEN_MINH_HOST, build_search_content

from .http import Visitors, fetch

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def test_pages_and_search_keep_answering_when_elasticsearch_stops(elasticsearch_node, live_server, caplog):
    content = build_search_content()
    relic_index = index_of(content.kien_minh, RelicIndexPage).get_url_parts()[2]
    festival_index = index_of(content.kien_minh, FestivalIndexPage).get_url_parts()[2]
    targets = [
        (CITY_HOST, "/api/search/?" + urlencode({"q": "đình"})),
        (CITY_HOST, "/api/search/?" + urlencode({"q": "dinh dai tra"})),
        (KIEN_MINH_HOST, "/tim-kiem/?" + urlencode({"q": "Đại Trà"})),
        (CITY_HOST, "/api/search/suggest/?" + urlencode({"q": "đì"})),
        (KIEN_MINH_HOST, "/"),
        (KIEN_MINH_HOST, relic_index + "?" + urlencode({"village": content.village.pk})),
        (KIEN_MINH_HOST, festival_index),
        (KIEN_MINH_HOST, content.communal_house.get_url_parts()[2]),
    ]
    with override_settings(
        SEARCH_BACKEND="search.elastic.ElasticsearchBackend",
        ELASTICSEARCH_URL=elasticsearch_node.url,
        ELASTICSEARCH_INDEX_PREFIX=f"faults-{uuid.uuid4().hex[:8]}",
        ELASTICSEARCH_TIMEOUT=5,
    ):
        backend = get_backend()
        backend.rebuild(all_documents())
        answer = backend.search(SearchRequest(query="đình"))
        assert answer.backend == "elasticsearch" and answer.count > 0

        caplog.set_level(logging.WARNING, logger="search")
        with Visitors(live_server.url, targets, threads=4) as visitors:
            visitors.wait_for("before", 20)
            visitors.phase = "stopping"
            elasticsearch_node.stop()
            visitors.phase = "after"
            visitors.wait_for("after", 40)

        assert visitors.count("before") >= 20 and visitors.count("after") >= 40, visitors.statuses
        assert visitors.failures == [], visitors.failures[:5]
        # The answers after the stop came from the built-in backend, and the API still finds entries.
        after = backend.search(SearchRequest(query="đình"))
        assert after.backend == "builtin" and after.count == answer.count
        status, body = fetch(live_server.url, targets[0][1], host=CITY_HOST)
        assert status == 200 and b'"count": 0' not in body and b'"count":0' not in body
        assert any(record.name.startswith("search") and record.levelno == logging.WARNING for record in caplog.records)
