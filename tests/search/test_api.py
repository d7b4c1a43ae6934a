import json
from unittest import mock

from django.test import TestCase, override_settings
from django.urls import reverse

from search.backends import FACETS
from search.builtin import BuiltinBackend
from tests.search.test_views import AN_KHANH_HOST, BAD_QUERIES, CITY_HOST, KIEN_MINH_HOST, build_search_content

RESULT_KEYS = {"id", "source_id", "type", "title", "url", "snippet", "score"}


@override_settings(SEARCH_BACKEND="search.builtin.BuiltinBackend")
class SearchApiTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.content = build_search_content()

    def get(self, path, params=None, host=CITY_HOST):
        response = self.client.get(path, params or {}, HTTP_HOST=host)
        self.assertEqual(response["Content-Type"], "application/json")
        return response

    def search(self, params=None, host=CITY_HOST):
        response = self.get(reverse("search_api"), params, host)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def suggest(self, params=None, host=CITY_HOST):
        response = self.get(reverse("search_suggest_api"), params, host)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def source_ids(self, data):
        return [result["source_id"] for result in data["results"]]


class SearchApiTests(SearchApiTestCase):
    def test_the_api_lives_at_api_search(self):
        self.assertEqual(reverse("search_api"), "/api/search/")
        self.assertEqual(reverse("search_suggest_api"), "/api/search/suggest/")

    def test_an_answer_holds_exactly_the_count_the_results_and_the_facets(self):
        data = self.search({"q": "Đại Trà"})
        self.assertEqual(set(data), {"count", "results", "facets"})
        self.assertEqual(data["count"], 3)
        for result in data["results"]:
            self.assertEqual(set(result), RESULT_KEYS)
        self.assertEqual(set(data["facets"]), set(FACETS))
        for values in data["facets"].values():
            for value in values:
                self.assertEqual(set(value), {"value", "label", "count"})

    def test_a_result_names_the_page_its_kind_and_its_absolute_address(self):
        person = self.content.person
        (result,) = self.search({"q": "Lê Hoàn"})["results"]
        self.assertEqual(
            {key: result[key] for key in ("id", "source_id", "type", "title", "url")},
            {
                "id": person.pk,
                "source_id": person.source_id,
                "type": "person",
                "title": "Chu Xích",
                "url": f"http://{KIEN_MINH_HOST}{person.get_url_parts()[2]}",
            },
        )
        self.assertIsInstance(result["score"], float)
        self.assertIn("<mark>Lê</mark> <mark>Hoàn</mark>", result["snippet"])

    def test_urls_are_absolute_on_the_entrys_own_site_whoever_asks(self):
        for host in (CITY_HOST, KIEN_MINH_HOST, AN_KHANH_HOST):
            with self.subTest(host=host):
                data = self.search({"q": "Lê Hoàn", "scope": "city"}, host=host)
                self.assertEqual(data["results"][0]["url"], self.content.person.full_url)

    def test_vietnamese_is_written_as_is_in_the_json(self):
        response = self.get(reverse("search_api"), {"q": "Lê Hoàn"})
        self.assertIn("Chu Xích", response.content.decode())

    def test_facets_count_values_with_their_labels(self):
        facets = self.search({"q": "Đại Trà"})["facets"]
        self.assertEqual(
            sorted((value["value"], value["label"], value["count"]) for value in facets["type"]),
            [("festival", "lễ hội", 1), ("person", "nhân vật lịch sử", 1), ("relic", "di tích", 1)],
        )
        self.assertEqual(facets["rank"], [{"value": "national", "label": "Di tích quốc gia", "count": 1}])

    def test_type_and_rank_filter_the_results(self):
        self.assertEqual(
            self.source_ids(self.search({"q": "Đại Trà", "type": "person"})), [self.content.person.source_id]
        )
        self.assertEqual(
            self.source_ids(self.search({"q": "Đại Trà", "rank": "national"})), [self.content.communal_house.source_id]
        )

    def test_relic_type_village_and_period_filter_the_results(self):
        house = [self.content.communal_house.source_id]
        self.assertEqual(self.source_ids(self.search({"q": "Đại Trà", "relic_type": "historical"})), house)
        self.assertEqual(self.source_ids(self.search({"q": "Đại Trà", "period": self.content.period.pk})), house)
        village = self.search({"q": "Đại Trà", "village": self.content.village.pk})
        self.assertEqual(set(self.source_ids(village)), {*house, self.content.person.source_id})

    def test_a_repeated_parameter_accepts_each_of_its_values(self):
        data = self.search({"q": "Đại Trà", "type": ["person", "festival"]})
        self.assertEqual(set(self.source_ids(data)), {self.content.person.source_id, self.content.festival.source_id})

    def test_filters_without_words_list_the_matching_entries(self):
        data = self.search({"type": "product"})
        self.assertEqual(self.source_ids(data), [self.content.noodles.source_id])

    def test_nothing_asked_gives_nothing(self):
        self.assertEqual(self.search(), {"count": 0, "results": [], "facets": {name: [] for name in FACETS}})

    def test_limit_and_offset_page_through_the_results(self):
        first = self.search({"q": "miếu", "limit": 5})
        second = self.search({"q": "miếu", "limit": 5, "offset": 5})
        rest = self.search({"q": "miếu", "limit": 5, "offset": 10})
        self.assertEqual((first["count"], len(first["results"]), len(rest["results"])), (12, 5, 2))
        everything = self.source_ids(first) + self.source_ids(second) + self.source_ids(rest)
        self.assertEqual(sorted(everything), sorted(shrine.source_id for shrine in self.content.shrines))

    def test_ten_results_come_when_no_limit_is_given(self):
        self.assertEqual(len(self.search({"q": "miếu"})["results"]), 10)

    def test_a_huge_limit_is_capped_at_fifty(self):
        with mock.patch.object(BuiltinBackend, "search", autospec=True, side_effect=BuiltinBackend.search) as search:
            data = self.search({"q": "miếu", "limit": 1_000_000})
        self.assertEqual(search.call_args.args[1].limit, 50)
        self.assertEqual(len(data["results"]), 12)

    def test_an_unknown_filter_value_finds_nothing(self):
        self.assertEqual(self.search({"q": "Đại Trà", "type": "unicorn"})["count"], 0)

    def test_unknown_parameters_are_ignored(self):
        self.assertEqual(self.search({"q": "Lê Hoàn", "format": "xml", "debug": "1"})["count"], 1)

    def test_the_api_answers_get_and_head_only(self):
        self.assertEqual(self.client.head(reverse("search_api"), {"q": "đình"}).status_code, 200)
        self.assertEqual(self.client.post(reverse("search_api"), {"q": "đình"}).status_code, 405)
        self.assertEqual(self.client.post(reverse("search_suggest_api"), {"q": "đình"}).status_code, 405)


class SearchApiScopeTests(SearchApiTestCase):
    def test_on_a_communes_site_the_api_searches_that_commune(self):
        data = self.search({"q": "thờ"}, host=KIEN_MINH_HOST)
        self.assertIn(self.content.communal_house.source_id, self.source_ids(data))
        self.assertNotIn(self.content.temple.source_id, self.source_ids(data))

    def test_scope_city_widens_a_communes_search_to_the_whole_city(self):
        data = self.search({"q": "thờ", "scope": "city"}, host=KIEN_MINH_HOST)
        self.assertIn(self.content.temple.source_id, self.source_ids(data))

    def test_on_the_city_site_the_api_searches_every_commune(self):
        ids = self.source_ids(self.search({"q": "thờ"}))
        self.assertIn(self.content.communal_house.source_id, ids)
        self.assertIn(self.content.temple.source_id, ids)


class SearchApiBadInputTests(SearchApiTestCase):
    def assert_bad_parameter(self, params, field):
        response = self.get(reverse("search_api"), {"q": "miếu", **params})
        self.assertEqual(response.status_code, 400)
        data = response.json()
        self.assertEqual(set(data), {"error", "fields"})
        self.assertEqual(list(data["fields"]), [field])

    def test_no_query_breaks_the_api(self):
        for label, query in BAD_QUERIES.items():
            with self.subTest(label):
                data = self.search({"q": query})
                self.assertEqual(set(data), {"count", "results", "facets"})

    def test_a_limit_or_offset_that_is_not_a_whole_number_is_refused_with_the_reason(self):
        for params, field in (
            ({"limit": "abc"}, "limit"),
            ({"limit": "1.5"}, "limit"),
            ({"limit": "9" * 5000}, "limit"),
            ({"offset": "ten"}, "offset"),
            ({"offset": ""}, None),
        ):
            with self.subTest(params=str(params)[:40]):
                if field is None:
                    self.assertEqual(self.search({"q": "miếu", **params})["count"], 12)
                else:
                    self.assert_bad_parameter(params, field)

    def test_a_negative_or_zero_limit_and_a_negative_offset_are_refused(self):
        for params, field in (({"limit": "-5"}, "limit"), ({"limit": "0"}, "limit"), ({"offset": "-1"}, "offset")):
            with self.subTest(params=params):
                self.assert_bad_parameter(params, field)

    def test_an_offset_past_what_search_engines_page_to_is_refused(self):
        self.assert_bad_parameter({"offset": "10000"}, "offset")
        self.assertEqual(self.search({"q": "miếu", "offset": 9950})["results"], [])

    def test_the_reason_for_a_refusal_is_in_vietnamese(self):
        response = self.get(reverse("search_api"), {"q": "miếu", "limit": "abc"})
        self.assertEqual(response.json()["error"], "Tham số không hợp lệ.")

    def test_no_filter_value_breaks_the_api(self):
        for value in ("unicorn", "", "x" * 5000, "\x00", "1 OR 1=1", "-1", "🏯"):
            with self.subTest(value=value[:20]):
                params = {"q": "đình", "village": value, "period": value, "rank": [value] * 50}
                self.assertIn("count", self.search(params))


class SuggestApiTests(SearchApiTestCase):
    def test_suggestions_are_entries_whose_names_begin_with_the_query(self):
        general = self.content.general
        self.assertEqual(
            self.suggest({"q": "tran hu"}),
            {
                "query": "tran hu",
                "suggestions": [{"title": "Trần Hưng Đạo", "url": general.full_url, "type": "person"}],
            },
        )

    def test_other_names_suggest_their_entry(self):
        titles = [suggestion["title"] for suggestion in self.suggest({"q": "Đức Thán"})["suggestions"]]
        self.assertEqual(titles, ["Trần Hưng Đạo"])

    def test_suggestions_are_scoped_like_the_search(self):
        self.assertEqual(self.suggest({"q": "tran hu"}, host=KIEN_MINH_HOST)["suggestions"], [])
        widened = self.suggest({"q": "tran hu", "scope": "city"}, host=KIEN_MINH_HOST)
        self.assertEqual([suggestion["title"] for suggestion in widened["suggestions"]], ["Trần Hưng Đạo"])

    def test_at_most_eight_suggestions_come(self):
        self.assertEqual(len(self.suggest({"q": "mi"})["suggestions"]), 8)

    def test_the_query_comes_back_as_it_was_searched(self):
        self.assertEqual(self.suggest({"q": "  Chu\x00  Xí "})["query"], "Chu Xí")

    def test_no_query_breaks_the_suggestions(self):
        for label, query in BAD_QUERIES.items():
            with self.subTest(label):
                data = self.suggest({"q": query})
                self.assertEqual(set(data), {"query", "suggestions"})
                self.assertLessEqual(len(data["query"]), 200)

    def test_an_empty_query_suggests_nothing(self):
        self.assertEqual(self.suggest(), {"query": "", "suggestions": []})

    def test_the_answer_is_json_written_as_is(self):
        response = self.get(reverse("search_suggest_api"), {"q": "chu x"})
        self.assertIn("Chu Xích", response.content.decode())
        self.assertEqual(json.loads(response.content)["suggestions"][0]["type"], "person")
