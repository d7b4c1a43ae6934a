"""Public renditions: no camera position in them, WebP with a fallback, sized so the page does not jump."""

import io

from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.test import TestCase
from PIL import ExifTags
from PIL import Image as PILImage
from wagtail.images.models import Filter

from tests.heritage.factories import ImageFactory
from tests.media import factories as files


def exif_of(field_file):
    field_file.open("rb")
    try:
        with PILImage.open(field_file) as picture:
            return picture.getexif()
    finally:
        field_file.close()


def photograph(**kwargs):
    data = files.jpeg_bytes(size=(1200, 900), exif=files.camera_exif(), **kwargs)
    image = ImageFactory(file=ContentFile(data, name="dinh-hang-kenh.jpg"), title="Đình Hàng Kênh")
    image.read_camera_data()
    image.save()
    return image


class GpsStrippingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.image = photograph()

    def test_the_original_keeps_the_camera_position_for_editors(self):
        gps = exif_of(self.image.file).get_ifd(ExifTags.IFD.GPSInfo)
        self.assertEqual(gps[ExifTags.GPS.GPSLatitudeRef], "N")
        self.assertEqual(str(self.image.camera_latitude), "20.841667")

    def test_wagtails_own_filter_would_copy_the_position_into_a_rendition(self):
        # Why media.renditions exists: without it a JPEG rendition tells where the photo was taken.
        output = io.BytesIO()
        Filter(spec="width-400").run(self.image, output)
        output.seek(0)
        with PILImage.open(output) as picture:
            self.assertIn(ExifTags.GPS.GPSLatitude, picture.getexif().get_ifd(ExifTags.IFD.GPSInfo))

    def test_jpeg_rendition_files_have_no_camera_position(self):
        rendition = self.image.get_rendition("width-400")
        exif = exif_of(rendition.file)
        self.assertEqual(exif.get_ifd(ExifTags.IFD.GPSInfo), {})
        self.assertNotIn(ExifTags.IFD.GPSInfo, exif)

    def test_jpeg_renditions_keep_the_rest_of_the_camera_data(self):
        exif = exif_of(self.image.get_rendition("width-400").file)
        self.assertEqual(exif[ExifTags.Base.Make], "Canon")

    def test_webp_and_png_renditions_have_no_camera_position(self):
        for spec in ("width-400|format-webp", "width-400|format-png", "fill-320x240|format-jpeg"):
            with self.subTest(spec=spec):
                exif = exif_of(self.image.get_rendition(spec).file)
                self.assertEqual(exif.get_ifd(ExifTags.IFD.GPSInfo), {})

    def test_a_png_with_a_position_loses_it_in_renditions(self):
        data = files.png_bytes(size=(600, 400), mode="RGB", exif=files.camera_exif())
        image = ImageFactory(file=ContentFile(data, name="ban-ve.png"))
        self.assertTrue(exif_of(image.file).get_ifd(ExifTags.IFD.GPSInfo))
        exif = exif_of(image.get_rendition("width-300").file)
        self.assertEqual(exif.get_ifd(ExifTags.IFD.GPSInfo), {})


class PictureTagTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.photo = photograph()
        cls.drawing = ImageFactory(file=ContentFile(files.png_bytes(size=(800, 600)), name="ban-ve.png"))

    def render(self, image, arguments=""):
        template = Template("{% load media_tags %}{% picture image " + arguments + " %}")
        return BeautifulSoup(template.render(Context({"image": image})), "html.parser")

    def test_webp_source_comes_first_with_a_jpeg_fallback(self):
        soup = self.render(self.photo, '"width" "480,960"')
        source = soup.picture.source
        self.assertEqual(source["type"], "image/webp")
        self.assertIn(".webp 480w", source["srcset"])
        self.assertIn(".webp 960w", source["srcset"])
        self.assertRegex(soup.img["src"], r"\.jpg$")

    def test_a_png_drawing_falls_back_to_png(self):
        soup = self.render(self.drawing, '"width" "480"')
        self.assertRegex(soup.img["src"], r"\.png$")

    def test_width_and_height_are_set_so_nothing_jumps(self):
        soup = self.render(self.photo, '"width" "480,960"')
        self.assertEqual((soup.img["width"], soup.img["height"]), ("960", "720"))

    def test_pictures_are_lazy_unless_asked_otherwise(self):
        self.assertEqual(self.render(self.photo).img["loading"], "lazy")
        eager = self.render(self.photo, "lazy=False").img
        self.assertFalse(eager.has_attr("loading"))
        self.assertEqual(eager["fetchpriority"], "high")

    def test_alt_text_defaults_to_the_caption_then_the_title(self):
        self.assertEqual(self.render(self.photo).img["alt"], "Đình Hàng Kênh")

    def test_a_small_original_lists_each_width_once(self):
        small = ImageFactory(file=ContentFile(files.jpeg_bytes(size=(300, 200)), name="nho.jpg"))
        soup = self.render(small, '"width" "480,960"')
        self.assertEqual(soup.img["srcset"].count("300w"), 1)

    def test_a_missing_original_renders_nothing_instead_of_an_error(self):
        broken = ImageFactory(file=ContentFile(files.jpeg_bytes(), name="mat.jpg"))
        broken.file.storage.delete(broken.file.name)
        self.assertIsNone(self.render(broken).picture)
