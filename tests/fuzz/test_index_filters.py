"""Index pages never answer 500, whatever their filter and page parameters hold."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from festivals.models import FestivalIndexPage
from heritage.models import ProductIndexPage
from people.models import PersonIndexPage
from sites.models import RelicIndexPage
from tests.heritage.factories import index_of
from tests.search.test_views import build_search_content

from .strategies import FUZZ, param_value, raw_query_string

pytestmark = pytest.mark.django_db

INDEX_CLASSES = (RelicIndexPage, FestivalIndexPage, PersonIndexPage, ProductIndexPage)


class IndexFilterFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        content = build_search_content()
        cls.indexes = []
        for commune in (content.kien_minh, content.an_khanh):
            for index_class in INDEX_CLASSES:
                page = index_of(commune, index_class)
                _site_id, root_url, path = page.get_url_parts()
                host = root_url.split("://", 1)[1].split(":")[0]
                # Every filter the page offers, by its public parameter name.
                params = [entry_filter.param for entry_filter in page.get_filters()]
                cls.indexes.append((host, path, params))
        # The valid values too, so fuzzing also combines real filters with broken pages.
        cls.valid = {
            "village": [str(content.village.pk)],
            "period": [str(content.period.pk)],
        }

    def indexes_and_params(self):
        return st.sampled_from(range(len(self.indexes)))

    @FUZZ
    @given(data=st.data())
    def test_any_filter_values_and_page_numbers(self, data):
        host, path, params = data.draw(st.sampled_from(self.indexes))
        names = st.sampled_from([*params, "page", "sort", "q"])
        values = st.one_of(param_value, st.sampled_from(sum(self.valid.values(), [])))
        query = data.draw(st.dictionaries(names, st.lists(values, max_size=3), max_size=4))
        response = self.client.get(path, query, HTTP_HOST=host)
        self.assertLess(response.status_code, 500, response.content[:300])
        self.assertEqual(response.status_code, 200)

    @FUZZ
    @given(data=st.data(), query=raw_query_string)
    def test_raw_bytes_in_the_query_string(self, data, query):
        host, path, _params = data.draw(st.sampled_from(self.indexes))
        response = self.client.get(f"{path}?{query}", HTTP_HOST=host)
        self.assertEqual(response.status_code, 200)
