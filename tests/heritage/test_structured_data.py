import datetime
import json
from types import SimpleNamespace

from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import SimpleTestCase, TestCase

from festivals.models import FestivalIndexPage, FestivalStage
from heritage.models import EntryName, EntrySource, ProductIndexPage
from heritage.structured_data import exact_year, next_solar_dates, to_json_ld
from people.models import PersonIndexPage
from sites.models import RecognitionDecision, RelicIndexPage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import ImageFactory, ProductPageFactory, SourceFactory, build_commune, index_of
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

COMMUNE_HOST = "kienminh.localhost"


class StructuredDataTestCase(TestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rendered fragments and the menu are cached between requests
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def soup(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return BeautifulSoup(response.content, "html.parser")

    def json_ld(self, url):
        scripts = self.soup(url).find_all("script", type="application/ld+json")
        self.assertEqual(len(scripts), 1)
        data = json.loads(scripts[0].string)
        self.assertEqual(data["@context"], "https://schema.org")
        return data

    def node(self, data, node_type):
        for node in data["@graph"]:
            types = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
            if node_type in types:
                return node
        self.fail(f"No {node_type} in {[node['@type'] for node in data['@graph']]}")

    def meta(self, soup, key):
        tag = soup.find("meta", property=key) or soup.find("meta", attrs={"name": key})
        return tag["content"] if tag else None


class RelicStructuredDataTests(StructuredDataTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.source = SourceFactory(title="Địa chí Kiến Thụy", authors="Nguyễn Văn A", year=2005)
        cls.relic = RelicPageFactory(
            parent=index_of(cls.setup, RelicIndexPage),
            title="Đình Đông Khê",
            official_name="Đình làng Đông Khê",
            summary="Ngôi đình thờ Thành hoàng làng.",
            latitude="20.842500",
            longitude="106.688000",
            address="Thôn Đông Khê, xã Kiến Minh",
            image=ImageFactory(title="Cổng đình"),
            last_reviewed=datetime.date(2025, 3, 5),
        )
        RecognitionDecision.objects.create(page=cls.relic, level="national", decision_number="548/QĐ-BVHTTDL")
        EntryName.objects.create(page=cls.relic, name="Đình Cả", kind="folk")
        EntrySource.objects.create(page=cls.relic, source=cls.source, locator="tr. 45")
        cls.relic.save()

    def test_a_relic_is_a_historical_building_and_a_tourist_attraction(self):
        relic = self.node(self.json_ld(self.relic.url), "LandmarksOrHistoricalBuildings")
        self.assertEqual(relic["@type"], ["LandmarksOrHistoricalBuildings", "TouristAttraction"])
        self.assertEqual(relic["name"], "Đình Đông Khê")
        self.assertEqual(relic["alternateName"], ["Đình làng Đông Khê", "Đình Cả"])

    def test_the_relic_has_coordinates_an_address_and_identifiers(self):
        relic = self.node(self.json_ld(self.relic.url), "LandmarksOrHistoricalBuildings")
        self.assertEqual(relic["geo"], {"@type": "GeoCoordinates", "latitude": 20.8425, "longitude": 106.688})
        self.assertEqual(relic["address"]["streetAddress"], "Thôn Đông Khê, xã Kiến Minh")
        self.assertEqual(relic["address"]["addressLocality"], "Kiến Minh")
        values = {identifier["value"] for identifier in relic["identifier"]}
        self.assertEqual(values, {self.relic.source_id, "548/QĐ-BVHTTDL"})

    def test_the_page_is_in_vietnamese_part_of_the_site_and_cites_its_sources(self):
        page = self.node(self.json_ld(self.relic.url), "ItemPage")
        self.assertEqual(page["inLanguage"], "vi")
        self.assertEqual(page["isPartOf"], {"@id": f"http://{COMMUNE_HOST}/#website"})
        self.assertEqual(page["lastReviewed"], "2025-03-05")
        [citation] = page["citation"]
        self.assertEqual(citation["@type"], "Book")
        self.assertEqual(citation["name"], "Địa chí Kiến Thụy")
        self.assertEqual(citation["author"], [{"@type": "Person", "name": "Nguyễn Văn A"}])

    def test_the_breadcrumbs_are_listed_with_absolute_addresses(self):
        crumbs = self.node(self.json_ld(self.relic.url), "BreadcrumbList")["itemListElement"]
        self.assertEqual([crumb["position"] for crumb in crumbs], [1, 2, 3])
        self.assertEqual([crumb["name"] for crumb in crumbs], ["Kiến Minh", "Di tích", "Đình Đông Khê"])
        self.assertEqual(crumbs[-1]["item"], self.relic.full_url)

    def test_the_website_is_described_once(self):
        website = self.node(self.json_ld(self.relic.url), "WebSite")
        self.assertEqual(website["url"], f"http://{COMMUNE_HOST}/")
        self.assertEqual(website["inLanguage"], "vi")


class OpenGraphTests(StructuredDataTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.relic = RelicPageFactory(
            parent=index_of(cls.setup, RelicIndexPage),
            title="Đình Đông Khê",
            summary="Ngôi đình thờ Thành hoàng làng.",
            image=ImageFactory(title="Cổng đình", caption="Cổng tam quan"),
        )
        cls.bare = RelicPageFactory(parent=index_of(cls.setup, RelicIndexPage), title="Miếu nhỏ")

    def test_link_previews_get_title_description_and_address(self):
        soup = self.soup(self.relic.url)
        self.assertEqual(self.meta(soup, "og:title"), "Đình Đông Khê")
        self.assertEqual(self.meta(soup, "og:description"), "Ngôi đình thờ Thành hoàng làng.")
        self.assertEqual(self.meta(soup, "og:url"), self.relic.full_url)
        self.assertEqual(self.meta(soup, "og:locale"), "vi_VN")
        self.assertEqual(self.meta(soup, "og:type"), "article")
        self.assertEqual(soup.find("link", rel="canonical")["href"], self.relic.full_url)

    def test_link_previews_get_an_absolute_picture_of_the_right_shape(self):
        soup = self.soup(self.relic.url)
        image = self.meta(soup, "og:image")
        self.assertTrue(image.startswith(f"http://{COMMUNE_HOST}/media/images/"), image)
        self.assertIn("fill-1200x630", image)
        self.assertEqual(self.meta(soup, "og:image:alt"), "Cổng tam quan")
        self.assertEqual(self.meta(soup, "twitter:card"), "summary_large_image")
        self.assertEqual(self.meta(soup, "twitter:image"), image)

    def test_a_page_without_a_picture_gets_a_small_card(self):
        soup = self.soup(self.bare.url)
        self.assertIsNone(self.meta(soup, "og:image"))
        self.assertEqual(self.meta(soup, "twitter:card"), "summary")

    def test_the_home_page_is_a_website(self):
        soup = self.soup("/")
        self.assertEqual(self.meta(soup, "og:type"), "website")
        self.assertEqual(self.meta(soup, "og:url"), f"http://{COMMUNE_HOST}/")


class EscapingTests(StructuredDataTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.hostile = "Đình </script><script>alert('x')</script> & <!-- lạ"
        cls.relic = RelicPageFactory(parent=index_of(cls.setup, RelicIndexPage), title="Đình lạ", summary=cls.hostile)

    def test_content_cannot_close_the_json_ld_script(self):
        html = self.client.get(self.relic.url).content.decode()
        self.assertNotIn("</script><script>alert", html)
        self.assertEqual(html.count("<script"), html.count("</script>"))

    def test_escaped_content_reads_back_unchanged(self):
        relic = self.node(self.json_ld(self.relic.url), "LandmarksOrHistoricalBuildings")
        self.assertEqual(relic["description"], self.hostile)


class FestivalStructuredDataTests(StructuredDataTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        index = index_of(cls.setup, FestivalIndexPage)
        cls.lunar = FestivalPageFactory(
            parent=index, title="Lễ hội đình Đông Khê", start_month=8, start_day=10, location="Đình Đông Khê"
        )
        FestivalStage.objects.create(page=cls.lunar, kind="rites", name="Tế lễ", start_month=8, start_day=10)
        cls.solar = FestivalPageFactory(parent=index, title="Lễ kỷ niệm", calendar="solar", start_month=9, start_day=2)

    def test_a_festival_is_an_event_at_its_place(self):
        event = self.node(self.json_ld(self.lunar.url), "Event")
        self.assertEqual(event["name"], "Lễ hội đình Đông Khê")
        self.assertEqual(event["location"]["@type"], "Place")
        self.assertEqual(event["location"]["name"], "Đình Đông Khê")
        self.assertEqual(event["inLanguage"], "vi")

    def test_a_lunar_festival_describes_its_schedule_without_a_start_date(self):
        event = self.node(self.json_ld(self.lunar.url), "Event")
        self.assertEqual(event["eventSchedule"]["description"], "10/8 (Âm lịch)")
        self.assertEqual(event["eventSchedule"]["repeatFrequency"], "P1Y")
        self.assertNotIn("startDate", event)
        self.assertEqual(event["subEvent"][0]["name"], "Tế lễ")

    def test_a_solar_festival_gets_its_next_date(self):
        event = self.node(self.json_ld(self.solar.url), "Event")
        self.assertRegex(event["startDate"], r"^\d{4}-09-02$")
        self.assertEqual(event["eventSchedule"]["byMonth"], 9)


class PersonStructuredDataTests(StructuredDataTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        index = index_of(cls.setup, PersonIndexPage)
        cls.exact = PersonPageFactory(parent=index, title="Trần Hưng Đạo", birth_text="1228", death_text="1300")
        EntryName.objects.create(page=cls.exact, name="Trần Quốc Tuấn", kind="courtesy")
        cls.vague = PersonPageFactory(parent=index, title="Bà Chúa", birth_text="khoảng 1230", death_text="thế kỷ XIII")

    def test_a_person_with_exact_years_gets_birth_and_death_dates(self):
        person = self.node(self.json_ld(self.exact.url), "Person")
        self.assertEqual(person["birthDate"], "1228")
        self.assertEqual(person["deathDate"], "1300")
        self.assertEqual(person["alternateName"], ["Trần Quốc Tuấn"])

    def test_uncertain_years_are_not_turned_into_dates(self):
        person = self.node(self.json_ld(self.vague.url), "Person")
        self.assertNotIn("birthDate", person)
        self.assertNotIn("deathDate", person)


class ProductAndHomeStructuredDataTests(StructuredDataTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.product = ProductPageFactory(
            parent=index_of(cls.setup, ProductIndexPage),
            title="Nước mắm Cát Hải",
            product_kind="ocop",
            ocop_stars=4,
            maker_name="Hợp tác xã Cát Hải",
            maker_phone="0225 3 888 999",
        )

    def test_a_product_names_its_maker(self):
        product = self.node(self.json_ld(self.product.url), "Product")
        self.assertEqual(product["category"], "Sản phẩm OCOP")
        self.assertEqual(product["manufacturer"]["name"], "Hợp tác xã Cát Hải")
        self.assertEqual(product["manufacturer"]["telephone"], "0225 3 888 999")

    def test_the_home_page_describes_the_website_and_its_publisher(self):
        data = self.json_ld("/")
        self.assertEqual(self.node(data, "WebSite")["name"], "Kiến Minh")
        self.assertEqual(self.node(data, "Organization")["url"], f"http://{COMMUNE_HOST}/")

    def test_an_index_page_lists_its_entries(self):
        data = self.json_ld(index_of(self.setup, ProductIndexPage).url)
        items = self.node(data, "CollectionPage")["mainEntity"]["itemListElement"]
        self.assertEqual(
            items, [{"@type": "ListItem", "position": 1, "url": self.product.full_url, "name": "Nước mắm Cát Hải"}]
        )


class JsonLdHelperTests(SimpleTestCase):
    def test_script_breaking_characters_are_escaped(self):
        text = to_json_ld({"name": "</script><!-- & \u2028"})
        self.assertNotIn("<", text)
        self.assertNotIn(">", text)
        self.assertNotIn("&", text)
        self.assertEqual(json.loads(text), {"name": "</script><!-- & \u2028"})

    def test_only_one_exact_common_era_year_makes_a_date(self):
        self.assertEqual(exact_year(1228, 1228), "1228")
        self.assertEqual(exact_year(938, 938), "0938")
        self.assertIsNone(exact_year(1225, 1235))
        self.assertIsNone(exact_year(-40, -40))
        self.assertIsNone(exact_year(None, None))

    def test_the_next_solar_date_is_this_year_or_the_next(self):
        rule = SimpleNamespace(get_calendar=lambda: "solar", start_month=9, start_day=2, end_month=None, end_day=None)
        self.assertEqual(next_solar_dates(rule, datetime.date(2025, 3, 1))[0], datetime.date(2025, 9, 2))
        self.assertEqual(next_solar_dates(rule, datetime.date(2025, 9, 3))[0], datetime.date(2026, 9, 2))

    def test_a_rule_across_new_year_ends_the_year_after(self):
        rule = SimpleNamespace(get_calendar=lambda: "solar", start_month=12, start_day=30, end_month=1, end_day=2)
        self.assertEqual(
            next_solar_dates(rule, datetime.date(2025, 12, 31)),
            (datetime.date(2025, 12, 30), datetime.date(2026, 1, 2)),
        )

    def test_lunar_rules_are_left_to_the_lunar_calendar(self):
        rule = SimpleNamespace(get_calendar=lambda: "lunar", start_month=8, start_day=10, end_month=None, end_day=None)
        self.assertEqual(next_solar_dates(rule), (None, None))
