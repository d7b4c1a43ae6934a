"""What every search backend owes a visitor, as a mixin that each backend's tests run.

A test case mixes ``BackendContract`` into Django's ``TestCase`` and says how to make its backend:

    class BuiltinBackendTests(BackendContract, TestCase):
        @classmethod
        def make_backend(cls):
            return BuiltinBackend()

The data (two communes, with the entries each test names) is built once with the factories and
indexed through the backend's own ``rebuild()``, with documents from ``search_document()`` chosen
the way the indexing signals choose them: unpublished and private pages are left out. Tests only
call the backend's public methods, so the same tests hold for the built-in backend and for
Elasticsearch. A test that changes the index puts it back as it was.
"""

import unicodedata

from wagtail.models import PageViewRestriction

from festivals.models import FestivalIndexPage
from heritage.models import EntryLink, EntryName, LinkRelation, ProductIndexPage
from people.models import PersonIndexPage
from search.backends import FACETS, SearchRequest, SearchResults
from search.indexing import documents_for
from sites.models import RecognitionDecision, RelicIndexPage, RelicType
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import PeriodFactory, ProductPageFactory, VillageFactory, build_commune, index_of
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

BAD_QUERIES = [
    "",
    "   ",
    "a" * 10_000,
    "đền " * 3_000,
    "?!…()[]{}",
    "title:(",
    'title:"đình',
    "\x00\x1b\x7f đình \u200b\ufeff",
    "%_' OR 1=1; DROP TABLE search --",
    "* AND OR NOT ~ ^ \\",
    "\u0301\u0300\u0323",
    "🙏🏯",
]


class BackendContract:
    """One test per behaviour the search page relies on; subclasses provide ``make_backend()``."""

    @classmethod
    def make_backend(cls):
        raise NotImplementedError

    @classmethod
    def index(cls, pages):
        """Index ``pages`` as the signals would (live, public entries only) through ``rebuild()``."""
        cls.backend.rebuild(documents_for(pages))

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.backend = cls.make_backend()
        cls.kien_minh = build_commune()
        cls.an_khanh = build_commune("An Khánh", "AK", "ankhanh.localhost")
        relics = index_of(cls.kien_minh, RelicIndexPage)
        festivals = index_of(cls.kien_minh, FestivalIndexPage)
        people = index_of(cls.kien_minh, PersonIndexPage)
        products = index_of(cls.kien_minh, ProductIndexPage)
        cls.village = VillageFactory(commune=cls.kien_minh.commune, name="Đông Khê")
        cls.tran_dynasty = PeriodFactory(name="Nhà Trần")

        cls.temple = RelicPageFactory(
            parent=relics,
            title="Đền thờ Trần Hưng Đạo",
            summary="Ngôi đền của làng Đông Khê thờ Hưng Đạo Đại Vương, người dân gọi là đền Đức Thánh.",
            village=cls.village,
            period=cls.tran_dynasty,
        )
        EntryName.objects.create(page=cls.temple, name="Đức Thánh Trần", kind="honorific")
        RecognitionDecision.objects.create(page=cls.temple, level="national", decision_number="1/QĐ")
        cls.temple.relic_types.set(RelicType.objects.filter(code="historical"))
        cls.temple.save()
        cls.hero = PersonPageFactory(
            parent=people,
            title="Trần Hưng Đạo",
            summary="Trần Quốc Tuấn, tước Hưng Đạo Đại Vương, danh tướng đánh thắng quân Nguyên Mông.",
            period=cls.tran_dynasty,
        )
        cls.procession = FestivalPageFactory(
            parent=festivals,
            title="Lễ rước nước làng Đông Khê",
            summary="Lễ rước nước đầu xuân; dân làng dâng hương tưởng nhớ Trần Hưng Đạo ở đền làng.",
            village=cls.village,
        )
        cls.scholar = PersonPageFactory(
            parent=people,
            title="Nguyễn Bỉnh Khiêm",
            summary="Nhà thơ, nhà giáo thời Mạc, đỗ Trạng nguyên năm 1535.",
        )
        EntryName.objects.create(page=cls.scholar, name="Trạng Trình", kind="title")
        # Its title does not name the scholar worshipped there; the link does.
        cls.shrine = RelicPageFactory(parent=relics, title="Miếu Cả", summary="Ngôi miếu nhỏ đầu làng.")
        EntryLink.objects.create(source=cls.scholar, target=cls.shrine, relation=LinkRelation.WORSHIPPED_AT)

        cls.dinh_dong_heavy = RelicPageFactory(
            parent=relics,
            title="Đình Động",
            summary="Đình làng mở lễ hội đầu năm với trò chọi gà; trước cửa đình là bãi chăn trâu.",
            village=cls.village,
        )
        cls.dinh_dong_level = RelicPageFactory(
            parent=relics, title="Đình Đông", slug="dinh-dong-xom", summary="Đình của xóm Đông."
        )
        cls.dinh_dong_level.tags.add("communal house")
        cls.dinh_dong_level.save()
        cls.buffalo_festival = FestivalPageFactory(
            parent=festivals,
            title="Lễ hội chọi trâu",
            english_title="Buffalo Fighting Festival",
            summary="Hội chọi trâu mùa thu: trâu được chọn và nuôi cả năm để vào sới.",
        )
        cls.buffalo_meat = ProductPageFactory(
            parent=products,
            title="Thịt trâu hun khói",
            summary="Thịt trâu gác bếp của làng, bày bán trong các lễ hội và phiên chợ.",
        )
        cls.pagoda = RelicPageFactory(
            parent=relics,
            title=unicodedata.normalize("NFD", "Chùa Vẽ"),
            summary=unicodedata.normalize("NFD", "Ngôi chùa cổ bên bờ sông Cấm, có bia đá khắc chữ <Hán> & Nôm."),
        )
        cls.old_placement = RelicPageFactory(parent=relics, title="Đình Hoà Mỹ", summary="Đình làng Hoà Mỹ.")
        cls.new_placement = RelicPageFactory(parent=relics, title="Chùa Thúy Lâm", summary="Ngôi chùa làng Thúy Lâm.")
        cls.unpublished = RelicPageFactory(
            parent=relics, title="Đình Bỏ Hoang", summary="Bản nháp chưa xuất bản.", live=False
        )
        cls.private = RelicPageFactory(parent=relics, title="Đình Riêng Tư", summary="Chỉ người có mật khẩu xem được.")
        PageViewRestriction.objects.create(
            page=cls.private, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat"
        )

        cls.other_commune_dinh = RelicPageFactory(
            parent=index_of(cls.an_khanh, RelicIndexPage), title="Đình Đông Am", summary="Đình làng Đông Am."
        )
        cls.other_commune_festival = FestivalPageFactory(
            parent=index_of(cls.an_khanh, FestivalIndexPage),
            title="Hội đình An Khánh",
            summary="Hội làng mùa xuân ở đình An Khánh.",
        )
        cls.pages = [
            cls.temple,
            cls.hero,
            cls.procession,
            cls.scholar,
            cls.shrine,
            cls.dinh_dong_heavy,
            cls.dinh_dong_level,
            cls.buffalo_festival,
            cls.buffalo_meat,
            cls.pagoda,
            cls.old_placement,
            cls.new_placement,
            cls.unpublished,
            cls.private,
            cls.other_commune_dinh,
            cls.other_commune_festival,
        ]
        cls.index(cls.pages)

    # Helpers

    def search(self, query="", **kwargs):
        return self.backend.search(SearchRequest(query=query, **kwargs))

    def ids(self, query="", **kwargs):
        return [hit.id for hit in self.search(query, limit=50, **kwargs).hits]

    def assertFinds(self, query, page, **kwargs):
        self.assertIn(page.pk, self.ids(query, **kwargs), f"{query!r} should find {page.title!r}")

    def assertFirst(self, query, page, **kwargs):
        ids = self.ids(query, **kwargs)
        self.assertTrue(ids, f"{query!r} found nothing")
        self.assertEqual(ids[0], page.pk, f"{query!r} should put {page.title!r} first")

    def assertRanksAbove(self, query, better, worse):
        ids = self.ids(query)
        self.assertIn(better.pk, ids, f"{query!r} should find {better.title!r}")
        if worse.pk in ids:
            self.assertLess(ids.index(better.pk), ids.index(worse.pk), f"{query!r}: {better.title!r} first")

    def facet(self, results, name):
        return {value.value: value.count for value in results.facets.get(name, [])}

    # Accents, Unicode forms and keyboards

    def test_queries_with_without_or_with_some_accents_find_the_temple(self):
        for query in ["den tho tran hung dao", "Đen tho", "Đền thờ Trần Hưng Đạo", "DEN THO TRAN HUNG DAO"]:
            with self.subTest(query=query):
                self.assertFirst(query, self.temple)

    def test_d_stroke_folds_to_d(self):
        self.assertFinds("Dinh Dong", self.dinh_dong_heavy)
        self.assertFinds("đinh đong", self.dinh_dong_level)

    def test_a_fully_accented_query_ranks_the_exact_spelling_first(self):
        self.assertFirst("Đình Động", self.dinh_dong_heavy)
        self.assertFirst("Đình Đông", self.dinh_dong_level)

    def test_a_query_without_accents_finds_every_spelling(self):
        ids = self.ids("dinh dong")
        self.assertIn(self.dinh_dong_heavy.pk, ids)
        self.assertIn(self.dinh_dong_level.pk, ids)

    def test_decomposed_text_and_decomposed_queries_match_composed_ones(self):
        self.assertFirst("Chùa Vẽ", self.pagoda)
        self.assertFirst(unicodedata.normalize("NFD", "Chùa Vẽ"), self.pagoda)
        self.assertFirst(unicodedata.normalize("NFD", "Đình Động"), self.dinh_dong_heavy)

    def test_either_tone_placement_matches_the_other(self):
        self.assertFirst("Đình Hòa Mỹ", self.old_placement)
        self.assertFirst("chùa Thuý Lâm", self.new_placement)

    def test_telex_typed_without_an_input_method_finds_the_entry(self):
        self.assertFinds("ddinhf ddoongj", self.dinh_dong_heavy)
        self.assertFirst("chuaf vex", self.pagoda)

    def test_syllables_typed_together_find_the_entry(self):
        self.assertFirst("tranhungdao", self.hero)
        self.assertFinds("nguyenbinhkhiem", self.scholar)

    def test_names_in_another_order_find_the_entry(self):
        self.assertIn(self.hero.pk, self.ids("Hưng Đạo Trần")[:2])
        self.assertFinds("khiem nguyen binh", self.scholar)

    # Typos

    def test_a_one_letter_typo_still_finds_the_entry_and_suggests_the_spelling(self):
        for query, page, suggestion in [
            ("nguyen binh khim", self.scholar, "nguyen binh khiem"),
            ("tran hugn dao", self.hero, "tran hung dao"),
            ("Thịt trâu hunn khói", self.buffalo_meat, "thịt trâu hun khói"),
        ]:
            with self.subTest(query=query):
                results = self.search(query)
                self.assertIn(page.pk, [hit.id for hit in results.hits])
                self.assertEqual(results.suggestion, suggestion)

    def test_a_correctly_spelled_query_gets_no_suggestion(self):
        self.assertEqual(self.search("Trần Hưng Đạo").suggestion, "")
        self.assertEqual(self.search("ddinhf").suggestion, "")

    def test_words_nothing_resembles_find_nothing(self):
        results = self.search("xyzzyqwv")
        self.assertEqual((results.count, results.hits), (0, []))

    def test_words_nothing_resembles_are_left_out_of_the_query(self):
        self.assertFirst("Đình Động xyzzyqwv", self.dinh_dong_heavy)

    # Ranking

    def test_a_phrase_ranks_above_scattered_syllables(self):
        self.assertFirst("lễ hội chọi trâu", self.buffalo_festival)
        self.assertFirst("le hoi choi trau", self.buffalo_festival)
        self.assertRanksAbove("le hoi choi trau", self.buffalo_festival, self.dinh_dong_heavy)
        self.assertRanksAbove("chọi trâu", self.buffalo_festival, self.buffalo_meat)

    def test_the_page_about_a_person_ranks_above_pages_that_mention_them(self):
        self.assertFirst("Trần Hưng Đạo", self.hero)
        self.assertFirst("tran hung dao", self.hero)
        ids = self.ids("Trần Hưng Đạo")
        self.assertIn(self.procession.pk, ids)
        self.assertLess(ids.index(self.hero.pk), ids.index(self.procession.pk))

    def test_other_names_and_honorifics_find_the_entry(self):
        self.assertFirst("Trạng Trình", self.scholar)
        self.assertFirst("trang trinh", self.scholar)
        self.assertFirst("Đức Thánh Trần", self.temple)

    def test_the_people_a_relic_is_dedicated_to_find_it_below_their_own_page(self):
        self.assertFirst("miếu Nguyễn Bỉnh Khiêm", self.shrine)
        self.assertFirst("mieu nguyen binh khiem", self.shrine)
        ids = self.ids("Nguyễn Bỉnh Khiêm")
        self.assertEqual(ids[0], self.scholar.pk)
        self.assertIn(self.shrine.pk, ids)

    def test_english_names_and_tags_find_the_entry(self):
        self.assertFirst("buffalo fighting festival", self.buffalo_festival)
        self.assertFirst("Communal House", self.dinh_dong_level)

    def test_hits_come_best_first(self):
        scores = [hit.score for hit in self.search("đình").hits]
        self.assertEqual(scores, sorted(scores, reverse=True))

    # What is in the index

    def test_unpublished_and_private_pages_are_not_found(self):
        self.assertNotIn(self.unpublished.pk, self.ids("Đình Bỏ Hoang"))
        self.assertNotIn(self.private.pk, self.ids("Đình Riêng Tư"))
        browsed = self.ids("")
        self.assertNotIn(self.unpublished.pk, browsed)
        self.assertNotIn(self.private.pk, browsed)

    def test_a_deleted_entry_is_no_longer_found(self):
        try:
            self.backend.delete_documents([self.pagoda.pk])
            self.assertNotIn(self.pagoda.pk, self.ids("chua ve"))
        finally:
            self.backend.index_documents([self.pagoda.search_document()])
        self.assertFirst("chua ve", self.pagoda)

    def test_indexing_a_document_again_replaces_it(self):
        document = self.new_placement.search_document()
        try:
            self.backend.index_documents([{**document, "title": "Chùa Quỳnh Lâm", "summary": "Chùa làng Quỳnh Lâm."}])
            self.assertFirst("Quỳnh Lâm", self.new_placement)
            self.assertNotIn(self.new_placement.pk, self.ids("Thúy"))
        finally:
            self.backend.index_documents([document])

    def test_hits_carry_what_the_results_page_shows(self):
        hit = self.search("Đền thờ Trần Hưng Đạo").hits[0]
        self.assertEqual(
            (hit.id, hit.source_id, hit.type, hit.title, hit.url_path),
            (self.temple.pk, self.temple.source_id, "relic", self.temple.title, self.temple.url_path),
        )
        self.assertGreater(hit.score, 0)

    # Scope, filters, facets, pages

    def test_a_scope_keeps_the_communes_entries(self):
        everywhere = self.ids("đình đông")
        self.assertIn(self.other_commune_dinh.pk, everywhere)
        self.assertIn(self.dinh_dong_level.pk, everywhere)
        here = self.ids("đình đông", scope_path=self.an_khanh.home.path)
        self.assertEqual(here, [self.other_commune_dinh.pk])

    def test_filters_keep_entries_with_an_accepted_value(self):
        ids = self.ids("tran hung dao", filters={"type": ["relic", "festival"]})
        self.assertEqual(set(ids), {self.temple.pk, self.procession.pk})
        self.assertEqual(self.ids("tran hung dao", filters={"rank": ["national"]}), [self.temple.pk])
        self.assertEqual(
            self.ids("dinh", filters={"village": [str(self.village.pk)], "type": ["relic"]}), [self.dinh_dong_heavy.pk]
        )

    def test_facets_count_the_matching_entries_of_every_page(self):
        results = self.search("dinh dong", limit=1)
        self.assertEqual(set(results.facets), set(FACETS))
        self.assertEqual(self.facet(results, "type"), {"relic": results.count})
        self.assertEqual(len(results.hits), 1)

    def test_a_facet_counts_as_if_its_own_filter_were_not_set(self):
        results = self.search("tran hung dao", filters={"type": ["relic"]})
        self.assertEqual(results.count, 1)
        self.assertEqual(self.facet(results, "type"), {"relic": 1, "person": 1, "festival": 1})
        self.assertEqual(self.facet(results, "rank"), {"national": 1})
        self.assertEqual(self.facet(results, "relic_type"), {"historical": 1})
        self.assertEqual(self.facet(results, "period"), {str(self.tran_dynasty.pk): 1})

    def test_facet_values_carry_their_labels(self):
        village = self.search("dong khe").facets["village"]
        self.assertEqual([(value.value, value.label) for value in village], [(str(self.village.pk), "Đông Khê")])

    def test_pages_of_results_follow_each_other(self):
        everything = self.ids("đình")
        self.assertGreaterEqual(len(everything), 5)
        paged = []
        for offset in range(len(everything)):
            results = self.search("đình", limit=1, offset=offset)
            self.assertEqual(results.count, len(everything))
            paged += [hit.id for hit in results.hits]
        self.assertEqual(paged, everything)
        self.assertEqual(self.search("đình", offset=len(everything)).hits, [])

    def test_an_empty_query_browses_the_filtered_entries(self):
        results = self.search("", filters={"type": ["festival"]}, limit=50)
        self.assertEqual(
            {hit.id for hit in results.hits},
            {self.procession.pk, self.buffalo_festival.pk, self.other_commune_festival.pk},
        )
        self.assertEqual(results.count, 3)
        self.assertEqual(self.facet(results, "type")["relic"], 8)
        scoped = self.search("", scope_path=self.an_khanh.home.path)
        self.assertEqual(scoped.count, 2)

    # Snippets

    def test_snippets_mark_the_matched_words_in_the_accented_text(self):
        snippet = self.search("le hoi choi trau").hits[0].snippet
        self.assertIn("<mark>chọi</mark>", snippet)
        self.assertIn("<mark>trâu</mark>", snippet)

    def test_snippets_are_escaped_html(self):
        snippet = self.search("chua ve bia").hits[0].snippet
        self.assertIn("&lt;Hán&gt; &amp; Nôm", snippet)
        self.assertNotIn("<Hán>", snippet)
        self.assertIn("<mark>", snippet)

    def test_snippets_are_short(self):
        for hit in self.search("đình").hits:
            text = hit.snippet.replace("<mark>", "").replace("</mark>", "")
            self.assertLessEqual(len(text), 230, hit.title)

    # Suggestions as the visitor types

    def test_beginnings_of_words_suggest_entries(self):
        suggestions = self.backend.suggest("tran hu")
        self.assertEqual(suggestions[0].id, self.hero.pk)
        self.assertIn(self.temple.pk, [hit.id for hit in suggestions])

    def test_beginnings_of_other_names_suggest_the_entry(self):
        self.assertEqual([hit.id for hit in self.backend.suggest("trang tri")], [self.scholar.pk])

    def test_suggestions_respect_the_scope_and_the_limit(self):
        scoped = [hit.id for hit in self.backend.suggest("dinh", scope_path=self.an_khanh.home.path)]
        self.assertEqual(scoped, [self.other_commune_dinh.pk, self.other_commune_festival.pk])
        self.assertEqual(len(self.backend.suggest("d", limit=2)), 2)

    def test_suggestions_for_nothing_are_empty(self):
        for query in ["", "  ", "?!", "\x00"]:
            with self.subTest(query=query):
                self.assertEqual(list(self.backend.suggest(query)), [])

    # Bad input

    def test_bad_queries_return_results_and_never_raise(self):
        for query in BAD_QUERIES:
            with self.subTest(query=query[:30]):
                results = self.search(query)
                self.assertIsInstance(results, SearchResults)
                self.assertGreaterEqual(results.count, len(results.hits))
                self.backend.suggest(query)

    def test_bad_paging_filters_and_scopes_never_raise(self):
        requests = [
            {"limit": -5, "offset": -1},
            {"limit": 10**9, "offset": 10**12},
            {"filters": {"type": "relic"}},
            {"filters": {"type": None, "rank": [None, 3]}},
            {"filters": {"no_such_facet": ["x"]}},
            {"scope_path": "%_'"},
            {"scope_path": "0" * 500},
        ]
        for request in requests:
            with self.subTest(request=request):
                self.assertIsInstance(self.search("đình", **request), SearchResults)
                self.assertIsInstance(self.search("", **request), SearchResults)
