"""Geocoding against a local server that speaks Nominatim, with its failure modes; never the internet."""

from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from heritage.geo import geocoding

from .nominatim import NominatimServer

User = get_user_model()


class NominatimTestMixin:
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = NominatimServer().__enter__()
        cls.settings_override = override_settings(
            GEOCODER="nominatim", NOMINATIM_URL=cls.server.url, GEOCODER_TIMEOUT=0.5, GEOCODER_OPTIONS={}
        )
        cls.settings_override.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.settings_override.disable()
        cls.server.__exit__(None, None, None)

    def setUp(self):
        super().setUp()
        self.server.set_mode("ok")
        self.server.requests.clear()


class GeocodingTests(NominatimTestMixin, SimpleTestCase):
    def setUp(self):
        super().setUp()
        # The messages are checked in the language they are written in; the .po has the Vietnamese.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_an_address_is_found_with_its_coordinates(self):
        place = geocoding.geocode("Đình Kiến Thụy, Kiến Minh")
        self.assertAlmostEqual(place.latitude, 20.8561234)
        self.assertAlmostEqual(place.longitude, 106.6822789)
        self.assertIn("Kiến Minh", place.address)

    def test_the_search_asks_for_vietnam_and_names_the_archive(self):
        geocoding.geocode("Đình Kiến Thụy")
        path, query, user_agent = self.server.requests[-1]
        self.assertEqual(path, "/search")
        self.assertEqual(query["q"], "Đình Kiến Thụy")
        self.assertEqual(query["countrycodes"], "vn")
        self.assertIn("heritage-archive", user_agent)

    def test_an_unknown_address_gives_none(self):
        self.server.set_mode("empty")
        self.assertIsNone(geocoding.geocode("Không có nơi này"))

    def test_a_blank_address_asks_nothing(self):
        self.assertIsNone(geocoding.geocode("   "))
        self.assertEqual(self.server.requests, [])

    def test_reverse_geocoding_gives_the_address_of_a_point(self):
        place = geocoding.reverse(20.8561, 106.6823)
        self.assertIn("Hải Phòng", place.address)
        self.assertEqual(self.server.requests[-1][0], "/reverse")

    def test_reverse_geocoding_with_no_address_gives_none(self):
        self.server.set_mode("empty")
        self.assertIsNone(geocoding.reverse(20.8561, 106.6823))

    def test_each_failure_gives_the_editor_a_message_instead_of_an_exception(self):
        expectations = {"timeout": "in time", "429": "too many requests", "500": "error"}
        for mode, words in expectations.items():
            with self.subTest(mode=mode):
                self.server.set_mode(mode)
                with self.assertRaises(geocoding.GeocodingError) as raised:
                    geocoding.geocode("Đình Kiến Thụy")
                self.assertIn(words, str(raised.exception))

    def test_a_refusing_or_slow_geocoder_is_asked_once(self):
        # Retrying would wait out the refusal's "Retry-After: 60" twice while the editor waits.
        for mode in ("429", "timeout", "500"):
            with self.subTest(mode=mode):
                self.server.set_mode(mode)
                self.server.requests.clear()
                with self.assertRaises(geocoding.GeocodingError):
                    geocoding.geocode("Đình Kiến Thụy")
                self.assertEqual(len(self.server.requests), 1)

    def test_an_unreachable_geocoder_gives_a_message(self):
        with (
            override_settings(NOMINATIM_URL="http://127.0.0.1:9"),
            self.assertRaisesMessage(geocoding.GeocodingError, "Type the coordinates"),
        ):
            geocoding.geocode("Đình Kiến Thụy")


class AdminGeocodingTests(NominatimTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("quantri", password="mật-khẩu-thử")

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_the_admin_geocoder_answers_coordinates_with_decimal_points(self):
        response = self.client.get(reverse("heritage_geo_admin:geocode"), {"q": "Đình Kiến Thụy"})
        data = response.json()
        self.assertEqual(response.status_code, 200)
        self.assertEqual((data["latitude"], data["longitude"]), ("20.856123", "106.682279"))
        self.assertFalse(data["outside_vietnam"])

    def test_a_slow_geocoder_answers_503_with_a_message_to_type_the_coordinates(self):
        self.server.set_mode("timeout")
        response = self.client.get(reverse("heritage_geo_admin:geocode"), {"q": "Đình Kiến Thụy"})
        self.assertEqual(response.status_code, 503)
        self.assertTrue(response.json()["error"])

    def test_reverse_with_malformed_coordinates_is_a_400_with_a_reason(self):
        response = self.client.get(reverse("heritage_geo_admin:reverse"), {"lat": "abc", "lon": "106"})
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["error"])
        self.assertEqual(self.server.requests, [])

    def test_visitors_cannot_use_the_admin_geocoder(self):
        self.client.logout()
        response = self.client.get(reverse("heritage_geo_admin:geocode"), {"q": "Đình"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.server.requests, [])
