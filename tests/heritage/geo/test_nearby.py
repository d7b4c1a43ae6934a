"""Nearby entries on each detail page, and ``?near=lat,lon`` for a visitor standing at a plaque."""

from bs4 import BeautifulSoup
from django.test import TestCase

from sites.models import RelicIndexPage
from tests.heritage.factories import index_of

from .world import build_world, relic

KIEN_MINH = "kienminh.localhost"


class NearbyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def soup(self, page):
        response = self.client.get(page.get_url_parts()[2], HTTP_HOST=KIEN_MINH)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def nearby_titles(self, soup):
        return [a.get_text(strip=True) for a in soup.select(".nearby__list a")]

    def test_the_closest_other_entries_come_first_with_their_distances(self):
        soup = self.soup(self.world["dinh"])
        self.assertEqual(self.nearby_titles(soup)[:3], ["Hội làng Kiến Thụy", "Chùa Đông Khê", "Bánh đa cua Kiến Minh"])
        meta = soup.select(".nearby__meta")[1].get_text()
        self.assertRegex(meta, r"\d+ m")

    def test_the_small_map_waits_for_the_visitor_and_has_no_decimal_comma(self):
        soup = self.soup(self.world["dinh"])
        box = soup.select_one("[data-entry-map]")
        self.assertEqual((box["data-lat"], box["data-lon"]), ("20.8561", "106.6823"))
        self.assertNotIn("leaflet", " ".join(s["src"] for s in soup.select("script[src]")))
        self.assertNotIn("leaflet", " ".join(link["href"] for link in soup.select('link[rel="stylesheet"]')))
        self.assertIn("20.8561%2C106.6823", soup.select_one(".nearby__links a.button")["href"])

    def test_a_festival_shows_the_map_of_its_relic(self):
        soup = self.soup(self.world["hoi"])
        self.assertEqual(soup.select_one("[data-entry-map]")["data-lat"], "20.8561")
        self.assertEqual(self.nearby_titles(soup)[0], "Đình Kiến Thụy")

    def test_an_entry_without_a_place_has_no_map(self):
        soup = self.soup(self.world["den"])
        self.assertIsNone(soup.select_one("[data-entry-map]"))

    def test_a_new_neighbour_appears_although_the_page_itself_did_not_change(self):
        self.soup(self.world["mieu"])  # fills the page's cached fragments
        relic(self.world["kien_minh"], "Giếng cổ", "20.900100", "106.700100")
        self.assertEqual(self.nearby_titles(self.soup(self.world["mieu"]))[0], "Giếng cổ")


class NearOrderingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.index = index_of(cls.world["kien_minh"], RelicIndexPage)

    def titles(self, params):
        response = self.client.get("/di-tich/", params, HTTP_HOST=KIEN_MINH)
        self.assertEqual(response.status_code, 200)
        return [entry.title for entry in response.context["entries"]]

    def test_the_index_is_ordered_by_distance_from_the_visitor(self):
        self.assertEqual(
            self.titles({"near": "20.9001,106.7001"}),
            ["Miếu Cây Đa", "Chùa Đông Khê", "Đình Kiến Thụy", "Đền chưa định vị"],
        )
        self.assertEqual(self.titles({"near": "20.8561,106.6823"})[0], "Đình Kiến Thụy")

    def test_without_near_or_with_nonsense_the_index_is_alphabetical(self):
        expected = ["Chùa Đông Khê", "Đền chưa định vị", "Đình Kiến Thụy", "Miếu Cây Đa"]
        self.assertEqual(sorted(self.titles({})), sorted(expected))
        self.assertEqual(self.titles({"near": "abc"}), self.titles({}))

    def test_the_search_api_orders_results_by_distance(self):
        response = self.client.get("/api/search/", {"type": "relic", "near": "20.9001,106.7001", "limit": 10})
        self.assertEqual(response.status_code, 200)
        titles = [hit["title"] for hit in response.json()["results"]]
        self.assertEqual(titles[:4], ["Miếu Cây Đa", "Chùa Đông Khê", "Đình Kiến Thụy", "Nhà thờ họ Phạm"])
        self.assertIsNone(response.json()["results"][-1]["distance_m"])

    def test_the_search_api_refuses_malformed_near(self):
        response = self.client.get("/api/search/", {"type": "relic", "near": "20.9"})
        self.assertEqual(response.status_code, 400)
