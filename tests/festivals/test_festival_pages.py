import datetime

from bs4 import BeautifulSoup
from django.core.cache import cache
from wagtail.test.utils import WagtailPageTestCase

from festivals.models import FestivalIndexPage, FestivalStage
from heritage.models import EntryLink
from sites.models import RelicIndexPage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of
from tests.sites.factories import RelicPageFactory

COMMUNE_HOST = "kienminh.localhost"


class FestivalPageTestCase(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rendered fragments and the menu are cached between requests
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def soup(self, response):
        return BeautifulSoup(response.content, "html.parser")


class FestivalPageTests(FestivalPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, FestivalIndexPage)
        cls.festival = FestivalPageFactory(
            parent=cls.index,
            title="Lễ hội đình Đông Khê",
            start_month=8,
            start_day=10,
            end_month=8,
            end_day=12,
            location="Đình Đông Khê và miếu Thượng",
            scale="village",
            listing="national",
            listing_decision_number="123/QĐ-BVHTTDL",
            listing_date=datetime.date(2020, 6, 1),
            programme=[
                (
                    "item",
                    {"day": "Mùng 10 tháng 8", "time": "7:00", "title": "Rước kiệu", "description": "Từ đình ra miếu."},
                ),
                ("item", {"day": "Mùng 11 tháng 8", "title": "Đấu vật"}),
            ],
        )
        FestivalStage.objects.create(
            page=cls.festival, kind="rites", name="Tế Thành hoàng", start_month=8, start_day=10
        )
        FestivalStage.objects.create(
            page=cls.festival, kind="festivities", name="Hội vật", start_month=8, start_day=11, end_month=8, end_day=12
        )
        relic = RelicPageFactory(parent=index_of(cls.setup, RelicIndexPage), title="Đình Đông Khê")
        EntryLink.objects.create(source=cls.festival, target=relic, relation="held_at")

    def get(self):
        return self.client.get(self.festival.url)

    def test_a_festival_renders_with_its_template(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "festivals/festival_page.html")

    def test_the_date_rule_reads_as_people_say_it(self):
        soup = self.soup(self.get())
        row = soup.find("dt", string="Thời gian").find_next_sibling("dd")
        self.assertEqual(row.get_text(strip=True), "10/8 – 12/8 (Âm lịch)")

    def test_how_often_where_and_the_listing_are_shown(self):
        response = self.get()
        self.assertContains(response, "Hằng năm")
        self.assertContains(response, "Đình Đông Khê và miếu Thượng")
        self.assertContains(response, "Di sản văn hóa phi vật thể quốc gia")
        self.assertContains(response, "123/QĐ-BVHTTDL")

    def test_the_stages_come_with_their_own_dates(self):
        soup = self.soup(self.get())
        stages = soup.find("section", class_="stages").find_all("li")
        self.assertEqual(stages[1].find(class_="timeline__date").get_text(strip=True), "11/8 – 12/8 (Âm lịch)")
        self.assertIn("Hội vật", stages[1].get_text())
        self.assertIn("Phần hội", stages[1].get_text())

    def test_the_programme_lists_its_items_in_order(self):
        soup = self.soup(self.get())
        items = soup.select(".programme__list > li")
        self.assertEqual([item.find(class_="programme__title").get_text() for item in items], ["Rước kiệu", "Đấu vật"])
        self.assertIn("Mùng 10 tháng 8, 7:00", items[0].get_text())

    def test_the_relic_where_it_is_held_is_linked(self):
        related = self.soup(self.get()).find("section", class_="related")
        self.assertIn("Nơi tổ chức", related.get_text())
        self.assertEqual(related.a.get_text(strip=True), "Đình Đông Khê")

    def test_a_festival_held_every_few_years_says_how_many(self):
        festival = FestivalPageFactory(parent=self.index, frequency="every_n_years", interval_years=5)
        self.assertContains(self.client.get(festival.url), "5 năm một lần")

    def test_a_solar_calendar_festival_says_so(self):
        festival = FestivalPageFactory(parent=self.index, calendar="solar", start_month=9, start_day=2)
        self.assertContains(self.client.get(festival.url), "2/9 (Dương lịch)")


class FestivalIndexPageTests(FestivalPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, FestivalIndexPage)
        FestivalPageFactory(parent=cls.index, title="Hội xuân", start_month=1, start_day=15)
        FestivalPageFactory(parent=cls.index, title="Hội thu", start_month=8, start_day=10)

    def test_the_list_renders_with_its_template(self):
        response = self.client.get(self.index.url)
        self.assertTemplateUsed(response, "festivals/festival_index_page.html")
        self.assertContains(response, "2 mục")

    def test_a_card_shows_the_date_rule(self):
        soup = self.soup(self.client.get(self.index.url, {"month": "8"}))
        self.assertEqual(soup.select_one(".card__meta").get_text(strip=True), "10/8 (Âm lịch)")

    def test_filtering_by_month_keeps_the_festivals_of_that_month(self):
        response = self.client.get(self.index.url, {"month": "1"})
        self.assertContains(response, "Hội xuân")
        self.assertNotContains(response, "Hội thu")

    def test_a_month_that_does_not_exist_is_ignored(self):
        response = self.client.get(self.index.url, {"month": "13", "calendar": "mayan"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "2 mục")
