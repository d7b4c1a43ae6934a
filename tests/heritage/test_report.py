import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from festivals.models import FestivalIndexPage
from heritage.models import EntrySource
from heritage.plaques import short_url
from people.models import PersonIndexPage
from sites.models import RecognitionDecision, RelicIndexPage, RelicPhase
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import SourceFactory, build_commune, index_of, publish
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

HOST = "kienminh.localhost"


def poppler(command, pdf):
    """Run a poppler tool on PDF bytes and return its text output."""
    if shutil.which(command) is None:
        raise AssertionError(f"{command} is missing: install poppler-utils (scripts/test installs it).")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        args = [command, "-enc", "UTF-8", str(path), "-"] if command == "pdftotext" else [command, str(path)]
        return subprocess.run(args, check=True, capture_output=True, text=True, encoding="utf-8").stdout


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        relic = RelicPageFactory(
            parent=index_of(cls.setup, RelicIndexPage),
            title="Đền thờ Trần Khánh Dư",
            summary="Ngôi đền thờ Nhân Huệ vương Trần Khánh Dư, dựng trên đất làng Đông Khê.",
            address="Thôn Đông Khê, xã Kiến Minh",
            body=[
                ("heading", "Lịch sử hình thành"),
                ("paragraph", "<p>Đền được <b>khởi dựng</b> vào khoảng thế kỷ XIV &amp; trùng tu nhiều lần.</p>"),
                ("quote", {"text": "Vạn cổ anh linh", "attribution": "Hoành phi"}),
                ("timeline_entry", {"date_text": "cuối thế kỷ XIX", "text": "<p>Dân làng góp công tu bổ.</p>"}),
            ],
        )
        RecognitionDecision.objects.create(
            page=relic, level="national", decision_number="548/QĐ-BVHTT", decision_date=datetime.date(1994, 3, 25)
        )
        RelicPhase.objects.create(page=relic, kind="built", date_text="khoảng 1330", description="Dựng đền gỗ lim")
        EntrySource.objects.create(
            page=relic, source=SourceFactory(title="Địa chí Kiến Thụy", authors="Nguyễn Văn Ánh"), locator="tr. 45"
        )
        cls.relic = publish(relic)
        cls.person = publish(
            PersonPageFactory(
                parent=index_of(cls.setup, PersonIndexPage),
                title="Trần Khánh Dư",
                birth_text="khoảng 1240",
                death_text="1340",
                body=[("paragraph", "<p>Danh tướng thời Trần, quê ở Chí Linh.</p>")],
            )
        )
        cls.festival = publish(
            FestivalPageFactory(parent=index_of(cls.setup, FestivalIndexPage), title="Lễ hội đền Kiến Minh")
        )

    def report(self, page):
        response = self.client.get(reverse("entry_report", args=(page.source_id,)), HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_report_is_a_pdf_named_after_the_entry(self):
        response = self.report(self.relic)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="den_tho_tran_khanh_du.pdf"')
        self.assertTrue(response.content.startswith(b"%PDF-"))

    def test_vietnamese_text_comes_out_of_the_pdf_exactly(self):
        text = poppler("pdftotext", self.report(self.relic).content)
        for words in (
            "Đền thờ Trần Khánh Dư",
            "Ngôi đền thờ Nhân Huệ vương Trần Khánh Dư",
            "Lịch sử hình thành",
            "khởi dựng",
            "thế kỷ XIV & trùng tu",
            "Vạn cổ anh linh",
            "cuối thế kỷ XIX",
            "Dân làng góp công tu bổ.",
            "Thôn Đông Khê, xã Kiến Minh",
            "Xếp hạng: Di tích quốc gia",
            "khoảng 1330",
            "Địa chí Kiến Thụy",
            "Cách trích dẫn trang này",
            "truy cập ngày",
            short_url(self.relic),
        ):
            with self.subTest(words=words):
                self.assertIn(words, text)

    def test_the_report_reads_in_order_title_facts_text_sources_citation(self):
        text = poppler("pdftotext", self.report(self.relic).content)
        positions = [
            text.index(words)
            for words in ("Đền thờ Trần Khánh Dư", "Thông tin chính", "Giới thiệu", "Nguồn", "Cách trích dẫn")
        ]
        self.assertEqual(positions, sorted(positions))

    def test_the_fonts_are_embedded(self):
        fonts = poppler("pdffonts", self.report(self.relic).content)
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        self.assertTrue(rows)
        for row in rows:
            # name, type..., emb, sub, uni, object ID: "yes yes yes" for an embedded subset with Unicode map.
            self.assertEqual(row[-5:-2], ["yes", "yes", "yes"], row)

    def test_every_kind_of_entry_has_a_report(self):
        person = poppler("pdftotext", self.report(self.person).content)
        self.assertIn("Danh tướng thời Trần, quê ở Chí Linh.", person)
        self.assertIn("khoảng 1240 – 1340", person)
        festival = poppler("pdftotext", self.report(self.festival).content)
        self.assertIn("Lễ hội đền Kiến Minh", festival)

    def test_a_missing_entry_is_not_found(self):
        response = self.client.get(reverse("entry_report", args=("khongco",)), HTTP_HOST=HOST)
        self.assertEqual(response.status_code, 404)
