"""Hostile uploads through the real admin views: each is refused with a message an editor can read, never a 500."""

import json

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from media.models import HeritageMedia
from tests.media import factories as files

User = get_user_model()
Image = get_image_model()
Document = get_document_model()


class AdminUploadTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = User.objects.create_superuser("quantri", "quantri@example.org", "mật-khẩu-thử")
        # Messages are checked in English here; one test below reads them in Vietnamese.
        profile = UserProfile.get_for_user(cls.admin)
        profile.preferred_language = "en"
        profile.save()

    def setUp(self):
        self.client.force_login(self.admin)

    def post_image(self, name, data, title="Ảnh thử"):
        return self.client.post(
            reverse("wagtailimages:add"), {"title": title, "file": files.upload(name, data, "image/jpeg")}
        )

    def assert_refused(self, response, model, text):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, text)
        self.assertFalse(model.objects.exists())


class ImageUploadTests(AdminUploadTestCase):
    def test_a_photograph_is_accepted_with_its_date_and_position_read_from_the_camera(self):
        data = files.jpeg_bytes(exif=files.camera_exif())
        response = self.post_image("dinh-hang-kenh.jpg", data)

        self.assertEqual(response.status_code, 302)
        image = Image.objects.get()
        self.assertEqual(image.date_taken.isoformat(), "2024-02-10")
        self.assertEqual(str(image.camera_latitude), "20.841667")
        self.assertEqual(str(image.camera_longitude), "106.670000")

    def test_the_editor_sees_the_camera_position_in_the_edit_form(self):
        self.post_image("dinh-hang-kenh.jpg", files.jpeg_bytes(exif=files.camera_exif()))
        response = self.client.get(reverse("wagtailimages:edit", args=[Image.objects.get().pk]))
        self.assertContains(response, 'value="20.841667"')

    def test_a_truncated_image_is_refused(self):
        response = self.post_image("cat-do.jpg", files.truncated_jpeg())
        self.assert_refused(response, Image, "damaged or incomplete")

    def test_a_vietnamese_editor_reads_the_refusal_in_vietnamese(self):
        profile = UserProfile.get_for_user(self.admin)
        profile.preferred_language = "vi"
        profile.save()
        response = self.post_image("anh.png", files.png_zip_polyglot())
        self.assert_refused(response, Image, "đồng thời là hai định dạng")

    def test_a_decompression_bomb_is_refused(self):
        # 80 million pixels in about ten kilobytes: over WAGTAILIMAGES_MAX_IMAGE_PIXELS (64 million).
        response = self.post_image("bom.png", files.png_bomb(10_000, 8_000))
        self.assert_refused(response, Image, "too many pixels")

    def test_a_bomb_past_pillows_own_limit_is_refused(self):
        # 400 million pixels: Pillow refuses to open it at all.
        response = self.post_image("bom-lon.png", files.png_bomb(20_000, 20_000))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Image.objects.exists())
        self.assertTrue(response.context["form"].errors["file"])

    def test_an_svg_with_a_script_is_refused(self):
        response = self.post_image("logo.svg", files.svg_with_script())
        self.assert_refused(response, Image, "Not a supported image format")

    def test_an_svg_named_as_a_png_is_refused(self):
        response = self.post_image("logo.png", files.svg_with_script())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["file"])
        self.assertFalse(Image.objects.exists())

    def test_a_picture_that_is_also_a_zip_archive_is_refused(self):
        response = self.post_image("anh.png", files.png_zip_polyglot())
        self.assert_refused(response, Image, "two formats at once")

    def test_a_picture_that_is_also_a_web_page_is_refused(self):
        response = self.post_image("anh.jpg", files.jpeg_html_polyglot())
        self.assert_refused(response, Image, "two formats at once")

    def test_a_jpeg_named_as_a_png_is_refused(self):
        response = self.post_image("anh.png", files.jpeg_bytes())
        self.assert_refused(response, Image, "does not match the file format")

    def test_a_huge_file_is_refused(self):
        response = self.post_image("rat-lon.png", files.huge_png(21 * 1024 * 1024))
        self.assert_refused(response, Image, "This file is too big")

    def test_the_multiple_uploader_refuses_a_truncated_image_with_a_message(self):
        response = self.client.post(
            reverse("wagtailimages:add_multiple"),
            {"files[]": files.upload("cat-do.jpg", files.truncated_jpeg(), "image/jpeg")},
        )
        self.assertEqual(response.status_code, 200)
        result = json.loads(response.content)
        self.assertFalse(result["success"])
        self.assertIn("damaged or incomplete", result["error_message"])
        self.assertFalse(Image.objects.exists())

    def test_the_choosers_upload_tab_refuses_a_polyglot(self):
        response = self.client.post(
            reverse("wagtailimages_chooser:create"),
            {
                "image-chooser-upload-title": "Ảnh",
                "image-chooser-upload-file": files.upload("anh.png", files.png_zip_polyglot()),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("two formats at once", response.content.decode("unicode_escape"))
        self.assertFalse(Image.objects.exists())


class MediaUploadTests(AdminUploadTestCase):
    def post_media(self, media_type, name, data, **fields):
        post = {"title": "Thuyết minh", "language": "vi", "file": files.upload(name, data), **fields}
        return self.client.post(reverse("wagtailmedia:add", args=[media_type]), post)

    def test_a_real_recording_is_accepted(self):
        response = self.post_media("audio", "thuyet-minh.wav", files.wav_bytes())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(HeritageMedia.objects.get().type, "audio")

    def test_a_web_page_named_as_an_mp3_is_refused(self):
        response = self.post_media("audio", "thuyet-minh.mp3", b"<html><script>alert(1)</script></html>")
        self.assert_refused(response, HeritageMedia, "not a real .mp3 file")

    def test_a_recording_named_as_a_video_is_refused(self):
        response = self.post_media("video", "phim.mp4", files.wav_bytes())
        self.assert_refused(response, HeritageMedia, "not a real .mp4 file")

    def test_an_extension_that_is_not_audio_is_refused(self):
        response = self.post_media("audio", "thuyet-minh.exe", files.wav_bytes())
        self.assert_refused(response, HeritageMedia, "are not accepted as audio")

    @override_settings(MEDIA_MAX_UPLOAD_SIZE=64 * 1024)
    def test_a_recording_over_the_size_limit_is_refused(self):
        response = self.post_media("audio", "dai.wav", files.wav_bytes(seconds=10))
        self.assert_refused(response, HeritageMedia, "This file is too big")

    def test_a_thumbnail_that_is_an_svg_is_refused(self):
        thumbnail = files.upload("anh.png", files.svg_with_script())
        response = self.post_media("audio", "thuyet-minh.wav", files.wav_bytes(), thumbnail=thumbnail)
        self.assert_refused(response, HeritageMedia, "not a real .png file")

    def test_a_video_takes_webvtt_captions(self):
        captions = files.upload("phu-de.vtt", files.VTT.encode(), "text/vtt")
        response = self.post_media("audio", "thuyet-minh.wav", files.wav_bytes(), captions=captions)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(HeritageMedia.objects.get().captions.name.endswith(".vtt"))

    def test_captions_with_a_script_are_refused(self):
        text = files.VTT + "\n00:02.000 --> 00:03.000\n<script>alert(1)</script>\n"
        captions = files.upload("phu-de.vtt", text.encode(), "text/vtt")
        response = self.post_media("audio", "thuyet-minh.wav", files.wav_bytes(), captions=captions)
        self.assert_refused(response, HeritageMedia, "Captions may not contain scripts")

    def test_captions_that_are_not_webvtt_are_refused(self):
        captions = files.upload("phu-de.vtt", b"1\n00:00:00,000 --> 00:00:02,000\nXin chao\n", "text/vtt")
        response = self.post_media("audio", "thuyet-minh.wav", files.wav_bytes(), captions=captions)
        self.assert_refused(response, HeritageMedia, "first line must be WEBVTT")

    def test_the_choosers_upload_tab_refuses_a_fake_recording(self):
        response = self.client.post(
            reverse("wagtailmedia:chooser_upload", args=["audio"]),
            {
                "media-chooser-upload-title": "Giả",
                "media-chooser-upload-file": files.upload("gia.mp3", b"GIF89a" + b"\x00" * 64),
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(HeritageMedia.objects.exists())


class DocumentUploadTests(AdminUploadTestCase):
    def post_document(self, name, data):
        return self.client.post(reverse("wagtaildocs:add"), {"title": "Tài liệu", "file": files.upload(name, data)})

    def test_a_web_page_named_as_a_pdf_is_refused(self):
        response = self.post_document("quyet-dinh.pdf", b"<html><script>alert(1)</script></html>")
        self.assert_refused(response, Document, "not a real .pdf file")

    def test_a_binary_named_as_a_csv_is_refused(self):
        response = self.post_document("danh-sach.csv", b"MZ\x90\x00\x03\x00\x00\x00" * 8)
        self.assert_refused(response, Document, "holds binary data")

    def test_a_real_pdf_is_accepted(self):
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        response = self.post_document("quyet-dinh.pdf", pdf)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Document.objects.exists())
