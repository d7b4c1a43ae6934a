"""The public map /ban-do/: a commune's entries on its site, the whole city on the city's."""

from bs4 import BeautifulSoup
from django.test import TestCase

from .world import build_world

KIEN_MINH = "kienminh.localhost"


class MapPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def soup(self, response):
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def test_a_commune_map_loads_the_commune_s_entries_and_lists_those_without_coordinates(self):
        soup = self.soup(self.client.get("/ban-do/", HTTP_HOST=KIEN_MINH))
        self.assertEqual(soup.h1.get_text(strip=True), "Bản đồ Kiến Minh")
        self.assertEqual(soup.select_one("[data-site-map]")["data-geojson-url"], "/api/geo/entries.geojson?commune=KM")
        unlocated = [a.get_text(strip=True) for a in soup.select(".unlocated__list a")]
        self.assertEqual(unlocated, ["Đền chưa định vị"])
        self.assertIn("5", soup.select_one("[data-map-count]").get_text())

    def test_the_city_map_loads_every_entry_and_offers_a_commune_filter(self):
        soup = self.soup(self.client.get("/ban-do/"))
        self.assertEqual(soup.select_one("[data-site-map]")["data-geojson-url"], "/api/geo/entries.geojson")
        communes = [option.get_text() for option in soup.select("#map-filter-commune option")][1:]
        self.assertEqual(communes, ["An Khánh", "Kiến Minh"])
        self.assertIn("6", soup.select_one("[data-map-count]").get_text())

    def test_filters_work_without_javascript(self):
        soup = self.soup(self.client.get("/ban-do/", {"rank": "city"}, HTTP_HOST=KIEN_MINH))
        self.assertIn("1", soup.select_one("[data-map-count]").get_text())
        self.assertEqual(soup.select(".unlocated__list a"), [])
        self.assertIsNotNone(soup.select_one('#map-filter-rank option[value="city"][selected]'))

    def test_unknown_filter_values_are_ignored(self):
        soup = self.soup(self.client.get("/ban-do/", {"kind": "<script>", "rank": "x"}, HTTP_HOST=KIEN_MINH))
        self.assertIn("5", soup.select_one("[data-map-count]").get_text())

    def test_leaflet_comes_from_our_own_static_files(self):
        soup = self.soup(self.client.get("/ban-do/", HTTP_HOST=KIEN_MINH))
        sources = [script["src"] for script in soup.select("script[src]")]
        self.assertIn("/static/heritage/vendor/leaflet/leaflet.js", sources)
        self.assertIn("/static/heritage/vendor/leaflet.markercluster/leaflet.markercluster.js", sources)
        self.assertTrue(all(source.startswith("/static/") for source in sources))

    def test_the_menu_links_to_the_map(self):
        soup = self.soup(self.client.get("/", HTTP_HOST=KIEN_MINH))
        self.assertIn("/ban-do/", [a["href"] for a in soup.select(".site-nav a")])

    def test_the_map_center_has_no_decimal_comma(self):
        soup = self.soup(self.client.get("/ban-do/", HTTP_HOST=KIEN_MINH))
        self.assertRegex(soup.select_one("[data-site-map]")["data-center"], r"^\d+\.\d+,\d+\.\d+$")
