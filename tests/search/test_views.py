from types import SimpleNamespace
from urllib.parse import urlencode

from bs4 import BeautifulSoup
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festivals.models import FestivalIndexPage
from heritage.models import EntryName, ProductIndexPage
from people.models import PersonIndexPage
from search.backends import SearchRequest, get_backend
from search.indexing import all_documents
from sites.models import RecognitionDecision, RelicIndexPage, RelicType
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import PeriodFactory, ProductPageFactory, VillageFactory, build_commune, index_of
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

CITY_HOST = "localhost"
KIEN_MINH_HOST = "kienminh.localhost"
AN_KHANH_HOST = "ankhanh.localhost"
SHRINES = 12  # more than one page of results

# Inputs a visitor (or a robot) may send; none of them may break a page or the API.
BAD_QUERIES = {
    "empty": "",
    "only spaces": "   ",
    "10 000 characters": "đình " * 2000,
    "only punctuation": "!?.,;:'\"()[]{}<>«»–—…",
    "search syntax": "title:(",
    "unbalanced quotes and operators": '"đình AND (chùa OR -',
    "control characters": "đình\x00\x01\x07\x1b\x7f\u200b",
    "lone combining marks": "\u0301\u0300\u0323",
    "SQL": "'; DROP TABLE search_searchentry; --",
    "LIKE wildcards": "%_%",
    "emoji and other scripts": "🏯 寺 معبد",
    "regular expression": ".*[a-z]+(",
}


def build_search_content():
    """Two communes with entries of every kind, indexed by the built-in backend."""
    kien_minh = build_commune("Kiến Minh", "KM", KIEN_MINH_HOST)
    an_khanh = build_commune("An Khánh", "AK", AN_KHANH_HOST)
    dai_tra = VillageFactory(commune=kien_minh.commune, name="Đại Trà")
    nguyen = PeriodFactory(name="Nhà Nguyễn", start_year=1802, end_year=1945)
    tran = PeriodFactory(name="Nhà Trần", start_year=1226, end_year=1400)

    relics = index_of(kien_minh, RelicIndexPage)
    communal_house = RelicPageFactory(
        parent=relics,
        title="Đình Đại Trà",
        summary="Ngôi đình thờ hai vị thành hoàng Chu Xích và Trần Quốc Thi.",
        village=dai_tra,
        period=nguyen,
    )
    communal_house.recognition_decisions.add(RecognitionDecision(level="national", decision_number="12/QĐ-BVHTT"))
    communal_house.relic_types.add(RelicType.objects.get(code="historical"))
    communal_house.save()
    shrines = [
        RelicPageFactory(parent=relics, title=f"Miếu Cây Đa số {number}", summary="Ngôi miếu nhỏ bên sông Đa Độ.")
        for number in range(1, SHRINES + 1)
    ]
    person = PersonPageFactory(
        parent=index_of(kien_minh, PersonIndexPage),
        title="Chu Xích",
        summary="Thầy dạy chữ theo Lê Hoàn đánh Chiêm Thành, thờ làm thành hoàng ở đình Đại Trà.",
        village=dai_tra,
    )
    festival = FestivalPageFactory(
        parent=index_of(kien_minh, FestivalIndexPage),
        title="Hội thi pháo Đại Trà",
        summary="Hội làng đầu xuân ở đình Đại Trà, <script>alert('xin chào')</script> nay giữ phần rước.",
    )

    temple = RelicPageFactory(
        parent=index_of(an_khanh, RelicIndexPage),
        title="Đền Tân Viên",
        summary="Ngôi đền thờ Đức Thánh Trần ở vùng Tân Viên.",
        period=tran,
    )
    general = PersonPageFactory(
        parent=index_of(an_khanh, PersonIndexPage),
        title="Trần Hưng Đạo",
        summary="Người chỉ huy quân dân Đại Việt đánh thắng quân Nguyên Mông.",
        period=tran,
    )
    general.other_names.add(EntryName(name="Đức Thánh Trần", kind="honorific"))
    general.save()
    noodles = ProductPageFactory(
        parent=index_of(an_khanh, ProductIndexPage),
        title="Bánh đa cua An Khánh",
        summary="Bát bánh đa đỏ chan nước riêu cua đồng, thờ cúng ngày Tết cũng có.",
    )
    RelicPageFactory(parent=relics, title="Đình chưa xuất bản", summary="Bản nháp.", live=False)

    get_backend().rebuild(all_documents())
    return SimpleNamespace(
        kien_minh=kien_minh,
        an_khanh=an_khanh,
        village=dai_tra,
        period=nguyen,
        communal_house=communal_house,
        shrines=shrines,
        person=person,
        festival=festival,
        temple=temple,
        general=general,
        noodles=noodles,
    )


@override_settings(SEARCH_BACKEND="search.builtin.BuiltinBackend")
class SearchPageTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.content = build_search_content()

    def search(self, host=CITY_HOST, **params):
        return self.client.get(reverse("search"), params, HTTP_HOST=host)

    def soup(self, response):
        return BeautifulSoup(response.content, "html.parser")

    def result_titles(self, response):
        return [title.get_text(strip=True) for title in self.soup(response).select(".result__title")]


class SearchPageTests(SearchPageTestCase):
    def test_the_search_page_lives_at_tim_kiem_and_speaks_vietnamese(self):
        response = self.search(q="Lê Hoàn")
        self.assertEqual(reverse("search"), "/tim-kiem/")
        self.assertTemplateUsed(response, "search/search.html")
        self.assertEqual(self.soup(response).find("h1").get_text(strip=True), "Tìm kiếm")
        self.assertContains(response, "1 mục khớp với “Lê Hoàn”")

    def test_every_page_has_a_search_form_in_its_header_that_works_without_javascript(self):
        soup = self.soup(self.client.get("/", HTTP_HOST=KIEN_MINH_HOST))
        form = soup.select_one(".site-header form[role=search]")
        self.assertEqual((form["method"], form["action"]), ("get", "/tim-kiem/"))
        field = form.find("input", attrs={"name": "q"})
        self.assertEqual(form.find("label", attrs={"for": field["id"]}).get_text(strip=True), "Từ khóa")
        self.assertIsNotNone(form.find("button", attrs={"type": "submit"}))

    def test_the_search_page_has_one_search_form_whose_box_keeps_the_query(self):
        soup = self.soup(self.search(q="Chu Xích"))
        self.assertEqual(len(soup.select("form[role=search]")), 1)
        self.assertEqual(soup.find("input", attrs={"name": "q"})["value"], "Chu Xích")

    def test_a_result_shows_its_kind_a_link_and_a_highlighted_snippet(self):
        soup = self.soup(self.search(host=KIEN_MINH_HOST, q="Chiêm Thành"))
        result = soup.select_one(".result")
        self.assertEqual(result.select_one(".result__kind").get_text(strip=True), "Nhân vật lịch sử")
        self.assertEqual(result.select_one(".result__title a")["href"], self.content.person.get_url_parts()[2])
        self.assertLessEqual({"Chiêm", "Thành"}, {mark.get_text() for mark in result.select(".result__snippet mark")})

    def test_snippets_escape_the_entry_text_and_keep_only_the_marks_as_html(self):
        response = self.search(q="xin chào")
        self.assertNotContains(response, "<script>alert")
        snippet = self.soup(response).select_one(".result__snippet")
        self.assertEqual({tag.name for tag in snippet.find_all(True)}, {"mark"})
        self.assertIn("<script>", snippet.get_text())

    def test_from_the_city_site_results_link_to_the_communes_own_sites(self):
        soup = self.soup(self.search(q="Chu Xích"))
        self.assertEqual(soup.select_one(".result__title a")["href"], self.content.person.full_url)
        self.assertTrue(self.content.person.full_url.startswith(f"http://{KIEN_MINH_HOST}/"))

    def test_unpublished_entries_are_not_found(self):
        self.assertNotIn("Đình chưa xuất bản", self.result_titles(self.search(q="đình chưa xuất bản")))

    def test_without_words_or_filters_the_page_shows_the_form_and_a_hint(self):
        soup = self.soup(self.search())
        self.assertIsNone(soup.select_one(".results-count"))
        self.assertIn("có dấu hay không dấu", soup.select_one(".search__hint").get_text())

    def test_result_pages_are_kept_out_of_search_engines(self):
        soup = self.soup(self.search(q="đình"))
        self.assertEqual(soup.find("meta", attrs={"name": "robots"})["content"], "noindex, follow")
        soup = self.soup(self.search(type="relic"))
        self.assertEqual(soup.find("meta", attrs={"name": "robots"})["content"], "noindex, follow")

    def test_the_search_page_itself_may_be_indexed(self):
        self.assertIsNone(self.soup(self.search()).find("meta", attrs={"name": "robots"}))

    def test_listing_more_results_costs_no_more_queries(self):
        self.search(q="miếu")  # warm the caches of sites and content types
        with CaptureQueriesContext(connection) as last_page:
            self.assertEqual(len(self.result_titles(self.search(q="miếu", page=2))), 2)
        with CaptureQueriesContext(connection) as full_page:
            self.assertEqual(len(self.result_titles(self.search(q="miếu"))), 10)
        self.assertEqual(len(full_page), len(last_page))


class SearchScopeTests(SearchPageTestCase):
    def test_a_communes_site_searches_only_its_own_entries(self):
        titles = self.result_titles(self.search(host=KIEN_MINH_HOST, q="thờ"))
        self.assertIn("Đình Đại Trà", titles)
        self.assertNotIn("Đền Tân Viên", titles)

    def test_a_commune_visitor_can_widen_the_search_to_the_whole_city(self):
        response = self.search(host=KIEN_MINH_HOST, q="thờ", scope="city")
        self.assertIn("Đền Tân Viên", self.result_titles(response))
        scope = self.soup(response).find("input", attrs={"name": "scope", "value": "city"})
        self.assertTrue(scope.has_attr("checked"))

    def test_the_commune_page_says_where_it_searches_and_offers_the_whole_city(self):
        soup = self.soup(self.search(host=AN_KHANH_HOST, q="Chu Xích"))
        self.assertEqual(soup.select_one(".search__where").get_text(strip=True), "trong An Khánh")
        widen = soup.select_one(".search__widen a")
        self.assertEqual(widen["href"], "?q=Chu+X%C3%ADch&scope=city")
        self.assertEqual(self.result_titles(self.search(host=AN_KHANH_HOST, q="Chu Xích", scope="city"))[0], "Chu Xích")

    def test_the_city_site_searches_every_commune_and_offers_no_scope_choice(self):
        response = self.search(q="thờ")
        self.assertTrue({"Đình Đại Trà", "Đền Tân Viên"} <= set(self.result_titles(response)))
        self.assertIsNone(self.soup(response).find("input", attrs={"name": "scope"}))

    def test_an_unknown_scope_keeps_the_search_in_the_commune(self):
        titles = self.result_titles(self.search(host=KIEN_MINH_HOST, q="thờ", scope="everything"))
        self.assertNotIn("Đền Tân Viên", titles)


class SearchFacetTests(SearchPageTestCase):
    def facet(self, soup, name):
        return {
            option.find("input")["value"]: (
                option.select_one(".facet__label").get_text(strip=True),
                int(option.select_one(".facet__count").get_text()),
                option.find("input").has_attr("checked"),
            )
            for option in soup.select(f".facet__option:has(input[name={name}])")
        }

    def test_facets_list_kinds_ranks_relic_types_villages_and_periods_with_counts(self):
        soup = self.soup(self.search(q="Đại Trà"))
        self.assertEqual(
            self.facet(soup, "type"),
            {
                "relic": ("di tích", 1, False),
                "person": ("nhân vật lịch sử", 1, False),
                "festival": ("lễ hội", 1, False),
            },
        )
        self.assertEqual(self.facet(soup, "rank"), {"national": ("Di tích quốc gia", 1, False)})
        self.assertEqual(self.facet(soup, "relic_type"), {"historical": ("Lịch sử", 1, False)})
        self.assertEqual(self.facet(soup, "village"), {str(self.content.village.pk): ("Đại Trà", 2, False)})
        self.assertEqual(self.facet(soup, "period"), {str(self.content.period.pk): ("Nhà Nguyễn", 1, False)})

    def test_facet_checkboxes_sit_in_the_search_form_so_they_filter_without_javascript(self):
        soup = self.soup(self.search(q="Đại Trà"))
        form = soup.select_one("form[role=search]")
        self.assertEqual(form["method"], "get")
        self.assertIsNotNone(form.select_one("input[type=checkbox][name=type][value=person]"))
        self.assertIsNotNone(form.select_one(".search__facets button[type=submit]"))

    def test_a_facet_value_filters_the_results_and_stays_ticked(self):
        response = self.search(q="Đại Trà", type="person")
        self.assertEqual(self.result_titles(response), ["Chu Xích"])
        self.assertEqual(self.facet(self.soup(response), "type")["person"][2], True)

    def test_several_values_of_one_facet_are_alternatives(self):
        response = self.client.get("/tim-kiem/?q=Đại+Trà&type=person&type=festival", HTTP_HOST=CITY_HOST)
        self.assertEqual(set(self.result_titles(response)), {"Chu Xích", "Hội thi pháo Đại Trà"})

    def test_filters_of_different_facets_all_apply(self):
        response = self.search(q="Đại Trà", village=self.content.village.pk, type="relic")
        self.assertEqual(self.result_titles(response), ["Đình Đại Trà"])

    def test_a_filter_in_use_can_be_removed_in_one_click(self):
        soup = self.soup(self.search(q="Đại Trà", type="person"))
        active = soup.select_one(".search__active a.tag")
        self.assertIn("Loại: nhân vật lịch sử", active.get_text(" ", strip=True))
        self.assertEqual(active["href"], "?q=%C4%90%E1%BA%A1i+Tr%C3%A0")

    def test_filters_alone_list_the_matching_entries(self):
        response = self.search(type="product")
        self.assertEqual(self.result_titles(response), ["Bánh đa cua An Khánh"])

    def test_an_unknown_filter_value_finds_nothing_and_says_so(self):
        response = self.search(q="Đại Trà", type="unicorn")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.result_titles(response), [])
        self.assertContains(response, "Không tìm thấy mục nào.")


class SearchPaginationTests(SearchPageTestCase):
    def test_results_come_ten_to_a_page(self):
        response = self.search(q="miếu")
        self.assertEqual(len(self.result_titles(response)), 10)
        self.assertContains(response, "12 mục khớp với “miếu”")

    def test_page_links_keep_the_query_and_the_filters(self):
        soup = self.soup(self.search(q="miếu", type="relic"))
        next_link = soup.select_one(".pagination a[rel=next]")
        self.assertEqual(next_link["href"], "/tim-kiem/?q=mi%E1%BA%BFu&type=relic&page=2")

    def test_page_links_leave_out_parameters_the_search_does_not_use(self):
        soup = self.soup(self.search(q="miếu", utm_source="zalo", type=["relic", ""]))
        self.assertEqual(
            soup.select_one(".pagination a[rel=next]")["href"], "/tim-kiem/?q=mi%E1%BA%BFu&type=relic&page=2"
        )

    def test_the_second_page_shows_the_rest_numbered_on(self):
        response = self.search(q="miếu", type="relic", page=2)
        self.assertEqual(len(self.result_titles(response)), 2)
        self.assertEqual(self.soup(response).select_one("ol.results")["start"], "11")

    def test_a_page_past_the_end_shows_the_last_page(self):
        response = self.search(q="miếu", page=99)
        self.assertEqual(len(self.result_titles(response)), 2)
        current = self.soup(response).select_one(".pagination [aria-current=page]")
        self.assertEqual(" ".join(current.get_text().split()), "Trang 2")

    def test_the_result_pages_together_list_every_entry_once(self):
        titles = self.result_titles(self.search(q="miếu")) + self.result_titles(self.search(q="miếu", page=2))
        self.assertEqual(sorted(titles), sorted(shrine.title for shrine in self.content.shrines))


class SearchSuggestionTests(SearchPageTestCase):
    def test_a_mistyped_query_offers_a_did_you_mean_link_that_keeps_the_filters(self):
        suggestion = get_backend().search(SearchRequest(query="miue")).suggestion
        self.assertTrue(suggestion)
        link = self.soup(self.search(q="miue", type="relic")).select_one(".search__did-you-mean a")
        self.assertEqual(link.get_text(strip=True), suggestion)
        self.assertEqual(link["href"], "?" + urlencode({"q": suggestion, "type": "relic"}))

    def test_with_few_results_the_page_lists_entries_whose_names_begin_with_the_query(self):
        # The visitor looks among relics for a person: the search finds nothing, the names do.
        soup = self.soup(self.search(host=AN_KHANH_HOST, q="Đức Th", type="relic"))
        self.assertEqual(self.result_titles(self.search(host=AN_KHANH_HOST, q="Đức Th", type="relic")), [])
        links = soup.select(".search__suggestions a")
        self.assertEqual([link["href"] for link in links], [self.content.general.get_url_parts()[2]])
        self.assertEqual(links[0].get_text(strip=True), "Trần Hưng Đạo")

    def test_suggestions_repeat_no_entry_already_listed(self):
        response = self.search(host=KIEN_MINH_HOST, q="Chu Xí")
        self.assertEqual(self.result_titles(response), ["Chu Xích"])
        self.assertIsNone(self.soup(response).select_one(".search__suggestions"))

    def test_suggestions_are_not_listed_when_there_are_results_enough(self):
        self.assertIsNone(self.soup(self.search(q="mi")).select_one(".search__suggestions"))

    def test_the_search_page_loads_the_suggestion_script_deferred(self):
        soup = self.soup(self.search(q="miếu"))
        script = soup.find("script", src=lambda src: src and src.endswith("search/js/suggest.js"))
        self.assertTrue(script.has_attr("defer"))
        self.assertEqual(soup.find("input", attrs={"name": "q"})["data-suggest-url"], "/api/search/suggest/")


class BadSearchInputTests(SearchPageTestCase):
    def test_no_query_breaks_the_page(self):
        for label, query in BAD_QUERIES.items():
            with self.subTest(label):
                self.assertEqual(self.search(q=query).status_code, 200)

    def test_no_page_number_breaks_the_page(self):
        for page in ("abc", "-1", "0", "1.5", "9" * 40, "", "٣"):
            with self.subTest(page=page):
                self.assertEqual(self.search(q="miếu", page=page).status_code, 200)

    def test_no_filter_value_breaks_the_page(self):
        for value in ("unicorn", "", "x" * 5000, "\x00", "1 OR 1=1", "-1"):
            with self.subTest(value=value[:20]):
                response = self.client.get(reverse("search"), {"q": "đình", "village": value, "type": [value] * 50})
                self.assertEqual(response.status_code, 200)

    def test_a_very_long_query_is_shortened_in_the_search_box(self):
        soup = self.soup(self.search(q=BAD_QUERIES["10 000 characters"]))
        self.assertLessEqual(len(soup.find("input", attrs={"name": "q"})["value"]), 200)

    def test_a_very_long_query_gives_short_page_links(self):
        soup = self.soup(self.search(q="miếu " * 2000))
        self.assertLess(len(soup.select_one(".pagination a[rel=next]")["href"]), 1000)

    def test_control_characters_are_dropped_from_the_query(self):
        soup = self.soup(self.search(q="Chu\x00 Xích\x07"))
        self.assertEqual(soup.find("input", attrs={"name": "q"})["value"], "Chu Xích")
        self.assertEqual(self.result_titles(self.search(q="Chu\x00 Xích\x07"))[0], "Chu Xích")

    def test_the_page_answers_get_and_head_only(self):
        self.assertEqual(self.client.head(reverse("search"), {"q": "đình"}).status_code, 200)
        self.assertEqual(self.client.post(reverse("search"), {"q": "đình"}).status_code, 405)
