"""A printed plaque, all the way: PDF, raster image, QR decoding, short URL, the entry's page.

Uses poppler's pdftoppm and pdftotext (Debian's poppler-utils, installed by scripts/test) and
zxing-cpp, the decoder phone apps are built on.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import zxingcpp
from django.test import override_settings
from PIL import Image
from wagtail.models import Page

from heritage.plaques.pdf import pages_pdf
from people.models import PersonIndexPage
from sites.models import RecognitionDecision
from tests.heritage.factories import build_commune, index_of, publish
from tests.heritage.plaques.helpers import PUBLIC_BASE_URL, PlaqueTestCase, published_relic

TITLE = "Đình Kiến Minh, nơi thờ Đức Thánh Trần Hưng Đạo và các vị Thành hoàng làng Ỷ Lan"


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise AssertionError(f"{name} is missing: install poppler-utils (apt-get install poppler-utils).")
    return path


class PlaqueRoundTripTests(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.relic = published_relic(
            cls.setup,
            title=TITLE,
            summary="Ngôi đình dựng năm 1688, còn giữ nhiều mảng chạm khắc gỗ đẹp. Được xếp hạng năm 1994.",
        )
        RecognitionDecision.objects.create(page=cls.relic, level="national", decision_number="548/QĐ-TTg")
        cls.relic = publish(cls.relic)

    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def print_and_scan(self, page, paper="a6", dpi=100):
        """The URL a phone reads from the printed plaque of ``page``, and the PDF's text."""
        data, skipped = pages_pdf([page], paper)
        self.assertEqual(skipped, [])
        pdf = self.folder / f"plaque-{paper}.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            [_tool("pdftoppm"), "-r", str(dpi), "-png", "-singlefile", pdf, self.folder / "scan"], check=True
        )
        text = subprocess.run(
            [_tool("pdftotext"), "-enc", "UTF-8", pdf, "-"], check=True, capture_output=True, text=True
        ).stdout
        with Image.open(self.folder / "scan.png") as image:
            found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
        self.assertEqual(len(found), 1, "exactly one QR code on the plaque")
        return found[0].text, text, found[0]

    def visit(self, url):
        """Follow redirects as a phone would, host included; the final response."""
        for _hop in range(5):
            parts = urlsplit(url)
            response = self.client.get(parts.path, HTTP_HOST=parts.netloc or "testserver")
            if response.status_code not in (301, 302):
                return response
            url = response["Location"]
        raise AssertionError("too many redirects")

    def test_the_scanned_plaque_leads_to_the_entry(self):
        url, _text, _barcode = self.print_and_scan(self.relic)
        self.assertEqual(url, f"{PUBLIC_BASE_URL}/q/{self.relic.plaque_code.code}")
        response = self.visit(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, TITLE)

    def test_the_plaque_still_leads_to_the_entry_after_it_is_moved_and_renamed(self):
        url_before, _text, _barcode = self.print_and_scan(self.relic)
        old_page_url = self.relic.get_full_url()
        # Moved under another index of another commune, renamed, and its slug changed.
        other = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        self.relic.move(index_of(other, PersonIndexPage), pos="last-child")
        moved = Page.objects.get(pk=self.relic.pk).specific
        moved.title = "Đình Kiến Minh (tên mới)"
        moved.slug = "dinh-ten-moi"
        moved = publish(moved)
        self.assertEqual(urlsplit(moved.get_full_url()).hostname, "ankhanh.localhost")
        self.assertEqual(self.visit(old_page_url).status_code, 404)

        url_after, _text, _barcode = self.print_and_scan(moved)
        self.assertEqual(url_after, url_before)
        response = self.visit(url_before)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.wsgi_request.get_host(), "ankhanh.localhost")
        self.assertContains(response, "Đình Kiến Minh (tên mới)")

    def test_both_paper_sizes_scan_at_a_low_print_resolution(self):
        for paper, dpi in (("a5", 72), ("a6", 72)):
            with self.subTest(paper=paper):
                url, _text, barcode = self.print_and_scan(self.relic, paper, dpi)
                self.assertEqual(url, f"{PUBLIC_BASE_URL}/q/{self.relic.plaque_code.code}")
                self.assertEqual(barcode.ec_level, "H")

    def test_the_pdf_text_has_the_vietnamese_title_exactly(self):
        _url, text, _barcode = self.print_and_scan(self.relic)
        flat = " ".join(text.split())
        self.assertIn(TITLE, flat)
        self.assertIn("Kiến Minh", flat)
        self.assertIn("Di tích quốc gia", flat)
        # One line of summary: its first sentence, cut to the width of the plaque.
        self.assertIn("Ngôi đình dựng năm 1688, còn giữ", flat)
        self.assertNotIn("Được xếp hạng", flat)
        self.assertIn(f"{PUBLIC_BASE_URL}/q/{self.relic.plaque_code.code}", flat)
        self.assertIn("Quét mã để nghe thuyết minh", flat)

    def test_the_font_is_embedded(self):
        data, _skipped = pages_pdf([self.relic], "a6")
        pdf = self.folder / "fonts.pdf"
        pdf.write_bytes(data)
        fonts = subprocess.run([_tool("pdffonts"), pdf], check=True, capture_output=True, text=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:]]
        self.assertTrue(rows)
        # Columns: name, type..., encoding, emb, sub, uni, object ID.
        self.assertTrue(all(row[-5] == "yes" and row[-3] == "yes" for row in rows), fonts)

    @override_settings(PLAQUE_FONTS={"regular": "/nonexistent/font.ttf"})
    def test_a_wrong_font_setting_says_what_is_wrong(self):
        from heritage.plaques import pdf

        pdf.font_files.cache_clear()
        self.addCleanup(pdf.font_files.cache_clear)
        with self.assertRaisesMessage(pdf.PlaqueFontError, "/nonexistent/font.ttf"):
            pdf.font_files()
