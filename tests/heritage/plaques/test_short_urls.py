from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import override_settings

from heritage.models import LegacyPlaqueCode, PlaqueCode, PlaqueScanDay
from people.models import PersonIndexPage
from tests.heritage.factories import build_commune, index_of, publish
from tests.heritage.plaques.helpers import COMMUNE_HOST, PlaqueTestCase, published_relic


class RedirectTests(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.relic = published_relic(cls.setup, title="Đình Kiến Minh")
        cls.code = PlaqueCode.objects.get(page=cls.relic).code

    def test_the_short_url_redirects_to_the_page_on_its_commune_site(self):
        response = self.client.get(f"/q/{self.code}")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], self.relic.get_full_url())
        self.assertEqual(urlsplit(response["Location"]).hostname, COMMUNE_HOST)

    def test_the_redirect_is_temporary_and_not_cached(self):
        response = self.client.get(f"/q/{self.code}")
        self.assertNotEqual(response.status_code, 301)
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_trailing_slash_and_a_retyped_code_also_work(self):
        for path in (
            f"/q/{self.code}/",
            f"/q/{self.code.lower()}",
            f"/q/{self.code.replace('0', 'O').replace('-', '%20')}",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path)["Location"], self.relic.get_full_url())

    def test_the_short_url_answers_on_any_host_of_the_archive(self):
        response = self.client.get(f"/q/{self.code}", HTTP_HOST=COMMUNE_HOST)
        self.assertEqual(response["Location"], self.relic.get_full_url())

    def test_an_unknown_code_gets_a_helpful_not_found_page(self):
        response = self.client.get("/q/KM-9999")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, 'name="code"', status_code=404)
        self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_nonsense_in_the_url_gets_the_not_found_page_not_an_error(self):
        for path in ("/q/%3Cscript%3E", "/q/" + "9" * 300, "/q/%C4%90M-01", "/q/KM-01/"):
            with self.subTest(path=path):
                self.assertIn(self.client.get(path).status_code, (302, 404))

    def test_a_code_typed_in_the_form_leads_to_its_short_url(self):
        response = self.client.get("/q/", {"code": self.code.lower().replace("-", " ")})
        self.assertEqual(response["Location"], f"/q/{self.code}")

    def test_the_form_is_offered_and_an_unknown_typed_code_is_explained(self):
        self.assertContains(self.client.get("/q/"), 'name="code"')
        self.assertContains(self.client.get("/q/", {"code": "KM-9999"}), "KM-9999", status_code=404)

    def test_post_is_refused(self):
        self.assertEqual(self.client.post(f"/q/{self.code}").status_code, 405)


class OfflineEntryTests(PlaqueTestCase):
    def test_an_unpublished_entry_shows_a_helpful_page_not_a_404(self):
        relic = published_relic(self.setup, title="Chùa Thôn Đông")
        code = relic.plaque_code.code
        relic.unpublish()
        response = self.client.get(f"/q/{code}")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chùa Thôn Đông")
        self.assertContains(response, '<meta name="robots" content="noindex">', html=True)
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        soup = BeautifulSoup(response.content, "html.parser")
        self.assertIn(
            self.setup.home.get_full_url(), [link["href"] for link in soup.select(".plaque-offline__links a")]
        )

    def test_a_deleted_entry_keeps_answering_with_its_last_title(self):
        relic = published_relic(self.setup, title="Miếu Cô")
        code = relic.plaque_code.code
        relic.delete()
        response = self.client.get(f"/q/{code}")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Miếu Cô")

    def test_an_orphaned_code_can_be_linked_to_the_entry_that_replaced_it(self):
        old = published_relic(self.setup, title="Đình cũ")
        code = old.plaque_code.code
        old.delete()
        new = published_relic(self.setup, title="Đình (nhập lại)")
        LegacyPlaqueCode.objects.create(old_code=code, page=new)
        self.assertEqual(self.client.get(f"/q/{code}")["Location"], new.get_full_url())


class LegacyCodeTests(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.relic = published_relic(cls.setup, title="Đền Trần")

    def test_a_code_printed_by_an_earlier_programme_redirects(self):
        LegacyPlaqueCode.objects.create(old_code="DT-12", page=self.relic)
        for typed in ("DT-12", "dt-12", "dt 12"):
            with self.subTest(typed=typed):
                self.assertEqual(self.client.get(f"/q/{typed}")["Location"], self.relic.get_full_url())

    def test_a_scan_of_an_old_code_counts_for_the_entry(self):
        LegacyPlaqueCode.objects.create(old_code="DT-12", page=self.relic)
        self.client.get("/q/DT-12")
        self.assertEqual(PlaqueScanDay.objects.get(plaque__page=self.relic).count, 1)

    def test_an_old_printed_address_redirects_through_the_short_url(self):
        legacy = LegacyPlaqueCode(old_code="/ditich/chitiet.php?id=12", page=self.relic)
        legacy.full_clean()
        legacy.save()
        response = self.client.get("/ditich/chitiet.php?id=12")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], f"/q/{self.relic.plaque_code.code}")
        legacy.delete()
        self.assertEqual(self.client.get("/ditich/chitiet.php?id=12").status_code, 404)

    def test_an_old_code_cannot_take_a_current_code(self):
        legacy = LegacyPlaqueCode(old_code=self.relic.plaque_code.code.lower(), page=self.relic)
        with self.assertRaises(ValidationError) as raised:
            legacy.full_clean()
        self.assertIn("old_code", raised.exception.message_dict)

    def test_the_same_old_code_written_differently_is_refused(self):
        LegacyPlaqueCode.objects.create(old_code="DT-12", page=self.relic)
        with self.assertRaises(ValidationError):
            LegacyPlaqueCode(old_code="dt 12", page=self.relic).full_clean()


class EntryPageTests(PlaqueTestCase):
    def test_the_entry_page_shows_its_short_url_and_a_qr_link(self):
        relic = published_relic(self.setup)
        code = relic.plaque_code.code
        response = self.client.get(relic.url, HTTP_HOST=COMMUNE_HOST)
        soup = BeautifulSoup(response.content, "html.parser")
        link = soup.select_one(".entry__plaque a[data-plaque-code]")
        self.assertEqual(link["href"], f"https://disan.example.vn/q/{code}")
        self.assertEqual(link.text, f"https://disan.example.vn/q/{code}")
        self.assertEqual(soup.select_one(".entry__plaque-qr a")["href"], f"/q/{code}/qr.svg")

    def test_a_person_page_shows_its_short_url_too(self):
        from tests.people.factories import PersonPageFactory

        person = publish(PersonPageFactory(parent=index_of(self.setup, PersonIndexPage)))
        response = self.client.get(person.url, HTTP_HOST=COMMUNE_HOST)
        self.assertContains(response, f"/q/{person.plaque_code.code}")


@override_settings(PLAQUE_CITY_PREFIX="HP")
class CityEntryTests(PlaqueTestCase):
    def test_other_communes_get_their_own_prefix(self):
        other = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        relic = published_relic(other)
        self.assertTrue(relic.plaque_code.code.startswith("AK-"))
        self.assertEqual(
            urlsplit(self.client.get(f"/q/{relic.plaque_code.code}")["Location"]).hostname, "ankhanh.localhost"
        )
