"""The search page and the search API never answer 500, whatever the query string holds."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from search.backends import FACETS
from tests.search.test_views import AN_KHANH_HOST, CITY_HOST, KIEN_MINH_HOST, build_search_content

from .strategies import FUZZ, huge_numbers, param_value, raw_query_string, weird_text

pytestmark = pytest.mark.django_db

HOSTS = st.sampled_from([CITY_HOST, KIEN_MINH_HOST, AN_KHANH_HOST])
PARAM_NAMES = ("q", "limit", "offset", "scope", "page", *FACETS)


def api_params():
    return st.fixed_dictionaries(
        {"q": weird_text},
        optional={
            "limit": huge_numbers,
            "offset": st.one_of(huge_numbers, st.integers(max_value=-1).map(str)),
            "scope": weird_text,
            **{name: st.lists(param_value, max_size=3) for name in FACETS},
        },
    )


class SearchFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.content = build_search_content()

    def assert_answers(self, response, *, api):
        self.assertLess(response.status_code, 500, response.content[:300])
        if api:
            self.assertEqual(response["Content-Type"], "application/json")
            # 400 names what was wrong; 200 has the answer's keys.
            data = response.json()
            self.assertTrue({"count", "results", "facets"} <= set(data) or "error" in data, data)

    @FUZZ
    @given(params=api_params(), host=HOSTS)
    def test_the_api_answers_any_parameters(self, params, host):
        response = self.client.get(reverse("search_api"), params, HTTP_HOST=host)
        self.assert_answers(response, api=True)

    @FUZZ
    @given(params=api_params(), host=HOSTS)
    def test_the_suggestions_answer_any_parameters(self, params, host):
        response = self.client.get(reverse("search_suggest_api"), params, HTTP_HOST=host)
        self.assert_answers(response, api=False)

    @FUZZ
    @given(
        params=st.dictionaries(st.sampled_from(PARAM_NAMES), st.lists(param_value, max_size=3), max_size=5),
        host=HOSTS,
    )
    def test_the_search_page_answers_any_parameters(self, params, host):
        response = self.client.get(reverse("search"), params, HTTP_HOST=host)
        self.assert_answers(response, api=False)

    @FUZZ
    @given(query=raw_query_string, path=st.sampled_from(["search", "search_api", "search_suggest_api"]))
    def test_raw_bytes_in_the_query_string_never_break_search(self, query, path):
        response = self.client.get(f"{reverse(path)}?{query}", HTTP_HOST=CITY_HOST)
        self.assert_answers(response, api=path == "search_api")
