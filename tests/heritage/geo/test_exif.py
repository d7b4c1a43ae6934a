"""A photo's EXIF GPS position, read with Pillow and offered to the editor as the entry's coordinates."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.images import ImageFile
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from PIL import Image

from heritage.geo.exif import gps_position
from tests.heritage.factories import ImageFactory

User = get_user_model()


def photo(gps=None, image_format="JPEG"):
    image = Image.new("RGB", (16, 12), "#8a1c1c")
    exif = Image.Exif()
    if gps is not None:
        exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, image_format, exif=exif)
    buffer.seek(0)
    return buffer


DINH_GPS = {1: "N", 2: (20.0, 51.0, 21.96), 3: "E", 4: (106.0, 40.0, 56.28)}


class GpsPositionTests(SimpleTestCase):
    def test_degrees_minutes_and_seconds_become_decimal_degrees(self):
        self.assertEqual(gps_position(photo(DINH_GPS)), (20.8561, 106.6823))

    def test_south_and_west_are_negative(self):
        self.assertEqual(gps_position(photo({**DINH_GPS, 1: "S", 3: "W"})), (-20.8561, -106.6823))

    def test_a_photo_without_gps_or_a_broken_file_has_no_position(self):
        self.assertIsNone(gps_position(photo()))
        self.assertIsNone(gps_position(photo({1: "N", 3: "E"})))
        self.assertIsNone(gps_position(io.BytesIO(b"not a photo")))


class AdminExifTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("quantri", password="mật-khẩu-thử")
        cls.with_gps = ImageFactory(file=ImageFile(photo(DINH_GPS), name="dinh.jpg"))
        cls.without_gps = ImageFactory(file=ImageFile(photo(), name="chua.jpg"))

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_photo_position_is_offered_with_decimal_points(self):
        data = self.client.get(reverse("heritage_geo_admin:exif", args=[self.with_gps.pk])).json()
        self.assertEqual(
            data, {"found": True, "latitude": "20.8561", "longitude": "106.6823", "outside_vietnam": False}
        )

    def test_a_photo_without_position_says_so(self):
        data = self.client.get(reverse("heritage_geo_admin:exif", args=[self.without_gps.pk])).json()
        self.assertFalse(data["found"])
        self.assertTrue(data["message"])

    def test_an_editor_without_access_to_the_image_gets_a_404(self):
        editor = User.objects.create_user("khach", password="mật-khẩu-thử")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(editor)
        self.assertEqual(self.client.get(reverse("heritage_geo_admin:exif", args=[self.with_gps.pk])).status_code, 404)
