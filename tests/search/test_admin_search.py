from django.contrib.auth import get_user_model
from django.test import TestCase
from wagtail.models import Page

from sites.models import RelicIndexPage
from tests.heritage.factories import build_commune, index_of
from tests.sites.factories import RelicPageFactory


class AdminPageSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        relics = index_of(cls.setup, RelicIndexPage)
        cls.relic = RelicPageFactory(parent=relics, title="Đình Đông Khê", summary="Ngôi đình của làng Đông Khê.")
        cls.other = RelicPageFactory(parent=relics, title="Chùa Vẽ", summary="Ngôi chùa bên sông Cấm.")
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", "password")

    def setUp(self):
        self.client.force_login(self.admin)

    def found(self, query):
        response = self.client.get("/admin/pages/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        return {page.pk for page in response.context["pages"]}

    def test_a_query_without_accents_finds_the_accented_title(self):
        self.assertIn(self.relic.pk, self.found("dinh dong khe"))

    def test_accented_and_partly_accented_queries_find_it_too(self):
        for query in ["Đình Đông Khê", "Đinh dong khê", "DINH DONG KHE"]:
            with self.subTest(query=query):
                self.assertIn(self.relic.pk, self.found(query))

    def test_the_last_word_may_be_unfinished(self):
        self.assertIn(self.relic.pk, self.found("dinh dong kh"))

    def test_other_pages_are_not_found(self):
        self.assertNotIn(self.other.pk, self.found("dinh dong khe"))
        self.assertEqual(self.found("chua ve"), {self.other.pk})

    def test_the_page_chooser_search_folds_too(self):
        response = self.client.get("/admin/choose-page/search/", {"q": "dinh dong khe"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Đình Đông Khê")

    def test_the_search_api_of_wagtail_finds_folded_titles(self):
        self.assertIn(self.relic.pk, [page.pk for page in Page.objects.search("dinh dong khe")])
        self.assertIn(self.relic.pk, [page.pk for page in Page.objects.autocomplete("Đình Đông")])
