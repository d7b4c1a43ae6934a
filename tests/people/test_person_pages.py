from bs4 import BeautifulSoup
from django.core.cache import cache
from wagtail.test.utils import WagtailPageTestCase

from heritage.models import EntryName
from people.models import PersonIndexPage
from tests.heritage.factories import build_commune, index_of
from tests.people.factories import PersonPageFactory

COMMUNE_HOST = "kienminh.localhost"


class PersonPageTestCase(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rendered fragments and the menu are cached between requests
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def soup(self, response):
        return BeautifulSoup(response.content, "html.parser")

    def fact(self, response, label):
        return self.soup(response).find("dt", string=label).find_next_sibling("dd").get_text(strip=True)


class PersonPageTests(PersonPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, PersonIndexPage)
        cls.person = PersonPageFactory(
            parent=cls.index,
            title="Trần Hưng Đạo",
            birth_text="khoảng 1228",
            death_text="1300",
            birthplace="Tức Mặc, Nam Định",
            roles="Quốc công tiết chế; Đức Thánh Trần",
            body=[("heading", "Thời niên thiếu"), ("paragraph", "<p>Con An Sinh vương Trần Liễu.</p>")],
        )
        EntryName.objects.create(page=cls.person, name="Trần Quốc Tuấn", kind="courtesy")
        EntryName.objects.create(page=cls.person, name="Hưng Đạo Đại Vương", kind="title")

    def test_a_person_renders_with_its_template(self):
        response = self.client.get(self.person.url)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "people/person_page.html")

    def test_the_life_dates_are_worded_as_the_sources_give_them(self):
        response = self.client.get(self.person.url)
        self.assertContains(response, '<p class="entry__subtitle">khoảng 1228 – 1300</p>', html=True)
        self.assertEqual(self.fact(response, "Năm sinh"), "khoảng 1228")
        self.assertEqual(self.fact(response, "Năm mất"), "1300")

    def test_names_and_titles_are_labelled_by_kind(self):
        response = self.client.get(self.person.url)
        self.assertEqual(self.fact(response, "Tên tự"), "Trần Quốc Tuấn")
        self.assertEqual(self.fact(response, "Tước hiệu"), "Hưng Đạo Đại Vương")

    def test_roles_and_birthplace_are_shown(self):
        response = self.client.get(self.person.url)
        self.assertEqual(self.fact(response, "Vai trò"), "Quốc công tiết chế; Đức Thánh Trần")
        self.assertEqual(self.fact(response, "Quê quán"), "Tức Mặc, Nam Định")

    def test_the_biography_keeps_its_own_headings(self):
        soup = self.soup(self.client.get(self.person.url))
        story = soup.find("section", class_="story")
        self.assertEqual([heading.get_text() for heading in story.find_all("h2")], ["Thời niên thiếu"])
        self.assertIn("Con An Sinh vương Trần Liễu.", story.get_text())

    def test_a_biography_without_a_heading_gets_one(self):
        person = PersonPageFactory(parent=self.index, body=[("paragraph", "<p>Người có công lập làng.</p>")])
        story = self.soup(self.client.get(person.url)).find("section", class_="story")
        self.assertEqual(story.h2.get_text(), "Tiểu sử")

    def test_unknown_dates_say_so(self):
        person = PersonPageFactory(parent=self.index, title="Bà Chúa làng")
        response = self.client.get(person.url)
        self.assertEqual(self.fact(response, "Năm sinh"), "Chưa rõ")
        self.assertNotContains(response, "entry__subtitle")


class PersonIndexPageTests(PersonPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, PersonIndexPage)
        PersonPageFactory(parent=cls.index, title="Trần Hưng Đạo", birth_text="1228", death_text="1300")

    def test_the_list_shows_each_person_with_life_dates(self):
        response = self.client.get(self.index.url)
        self.assertTemplateUsed(response, "people/person_index_page.html")
        card = self.soup(response).select_one(".card")
        self.assertEqual(card.find(class_="card__title").get_text(strip=True), "Trần Hưng Đạo")
        self.assertEqual(card.find(class_="card__meta").get_text(strip=True), "1228 – 1300")
