"""Editors set an entry's coordinates in the admin: a map panel, forgiving input, clear errors, warnings."""

from decimal import Decimal

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import TestCase
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.test.utils.form_data import querydict_from_html

from sites.models import RelicPage

from .world import build_world

User = get_user_model()


class LocationPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.admin = User.objects.create_superuser("quantri", password="mật-khẩu-thử")

    def setUp(self):
        self.client.force_login(self.admin)
        self.url = reverse("wagtailadmin_pages:edit", args=[self.world["dinh"].pk])

    def post(self, **fields):
        response = self.client.get(self.url)
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        for field in RelicPage._meta.get_fields():
            if isinstance(field, StreamField):
                data[f"{field.name}-count"] = "0"
        for name, value in fields.items():
            data[name] = value
        return self.client.post(self.url, data)

    def saved(self):
        return RelicPage.objects.get(pk=self.world["dinh"].pk).get_latest_revision_as_object()

    def test_the_location_panel_has_a_map_wired_to_the_fields_and_the_address(self):
        soup = BeautifulSoup(self.client.get(self.url).content, "html.parser")
        picker = soup.select_one("[data-geo-picker]")
        self.assertEqual(picker["data-latitude-input"], "id_latitude")
        self.assertEqual(picker["data-address-input"], "id_address")
        self.assertEqual(picker["data-image-input"], "id_image")
        self.assertEqual(soup.select_one("#id_latitude")["value"], "20.8561")
        self.assertIn("/static/heritage/vendor/leaflet/leaflet.js", [s.get("src") for s in soup.select("script")])

    def test_a_decimal_comma_is_accepted(self):
        response = self.post(latitude="20,857", longitude="106,683")
        self.assertEqual(response.status_code, 302)
        self.assertEqual((self.saved().latitude, self.saved().longitude), (Decimal("20.857000"), Decimal("106.683000")))

    def test_malformed_coordinates_get_a_clear_error_and_nothing_is_saved(self):
        response = self.post(latitude="20°51'N", longitude="106.68")
        self.assertEqual(response.status_code, 200)
        self.assertIn("20.8449", " ".join(response.context["form"].errors["latitude"]))
        self.assertEqual(self.saved().latitude, Decimal("20.856100"))

    def test_coordinates_outside_vietnam_save_with_a_warning(self):
        response = self.post(latitude="106.68", longitude="20.85")
        self.assertEqual(response.status_code, 200)  # latitude above 90: refused
        response = self.post(latitude="48.8566", longitude="2.3522")
        self.assertEqual(response.status_code, 302)
        warnings = [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]
        self.assertTrue(any("48.8566" in message for message in warnings), warnings)
        self.assertEqual(self.saved().latitude, Decimal("48.856600"))
