import datetime
import subprocess
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse

from heritage.models import PlaqueCode
from heritage.plaques.scans import count_scan
from tests.heritage.factories import build_commune
from tests.heritage.plaques.helpers import PlaqueTestCase, published_relic

User = get_user_model()


class AdminTestCase(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        cls.ours = published_relic(cls.setup, title="Đình Kiến Minh")
        cls.ours_unscanned = published_relic(cls.setup, title="Chùa Kiến Minh")
        cls.theirs = published_relic(cls.other, title="Đền An Khánh")
        cls.theirs_unscanned = published_relic(cls.other, title="Miếu An Khánh")
        count_scan(PlaqueCode.objects.get(page=cls.ours), datetime.date(2026, 3, 1))
        count_scan(PlaqueCode.objects.get(page=cls.theirs), datetime.date(2026, 3, 1))
        cls.editor = User.objects.create_user("bientap-km", password="x")
        cls.editor.groups.add(cls.setup.editors)
        cls.admin = User.objects.create_superuser("quantri", password="x")


class ScanReportTests(AdminTestCase):
    def test_an_editor_sees_the_scans_of_their_own_commune_only(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("plaque_scans"))
        self.assertContains(response, self.ours.plaque_code.code)
        self.assertNotContains(response, self.theirs.plaque_code.code)

    def test_an_administrator_sees_every_commune(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("plaque_scans"))
        self.assertContains(response, self.ours.plaque_code.code)
        self.assertContains(response, self.theirs.plaque_code.code)

    def test_the_report_exports_to_csv(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("plaque_scans"), {"export": "csv"})
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn(self.ours.plaque_code.code, lines[1])
        self.assertIn("2026-03-01", lines[1])

    def test_the_never_scanned_report_lists_the_codes_without_scans(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("plaques_never_scanned"))
        self.assertContains(response, self.ours_unscanned.plaque_code.code)
        self.assertNotContains(response, self.ours.plaque_code.code)
        self.assertNotContains(response, self.theirs_unscanned.plaque_code.code)

    def test_visitors_without_admin_access_are_turned_away(self):
        self.assertEqual(self.client.get(reverse("plaque_scans")).status_code, 302)
        User.objects.create_user("khach", password="x")
        self.client.login(username="khach", password="x")
        self.assertNotEqual(self.client.get(reverse("plaques_never_scanned")).status_code, 200)

    def test_the_reports_are_in_the_reports_menu(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, reverse("plaque_scans"))
        self.assertContains(response, reverse("plaques_never_scanned"))


class PrintBulkActionTests(AdminTestCase):
    def url(self, *pages):
        query = "&".join(f"id={page.pk}" for page in pages)
        return reverse("wagtail_bulk_action", args=["wagtailcore", "page", "print_plaques"]) + "?" + query

    def test_the_page_explorer_offers_the_action(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("wagtailadmin_explore", args=[self.ours.get_parent().pk]))
        self.assertContains(response, "print_plaques")

    def test_the_confirmation_lists_entries_and_leaves_out_pages_without_a_code(self):
        self.client.force_login(self.admin)
        response = self.client.get(self.url(self.ours, self.ours_unscanned, self.setup.home))
        self.assertContains(response, "Đình Kiến Minh")
        self.assertContains(response, 'name="paper"')
        self.assertEqual(
            [item["item"].pk for item in response.context["items"]], [self.ours.pk, self.ours_unscanned.pk]
        )
        self.assertEqual(
            [page.pk for page in [i["item"] for i in response.context["items_with_no_access"]]], [self.setup.home.pk]
        )

    def test_confirming_downloads_one_pdf_with_a_plaque_per_entry(self):
        self.client.force_login(self.admin)
        response = self.client.post(self.url(self.ours, self.theirs), {"paper": "a5"})
        self.assertEqual(response["Content-Type"], "application/pdf")
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / "plaques.pdf"
            pdf.write_bytes(response.content)
            info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
            text = subprocess.run(["pdftotext", pdf, "-"], check=True, capture_output=True, text=True).stdout
        self.assertRegex(info, r"Pages:\s+2\b")
        self.assertRegex(info, r"Page size:\s+419\.\d+ x 595\.\d+ pts")  # A5
        self.assertIn("Đình Kiến Minh", text)
        self.assertIn("Đền An Khánh", text)

    def test_an_unknown_paper_size_is_refused_with_the_form_again(self):
        self.client.force_login(self.admin)
        response = self.client.post(self.url(self.ours), {"paper": "a0"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)


class LegacyCodeAdminTests(AdminTestCase):
    def test_an_administrator_registers_an_old_code(self):
        self.client.force_login(self.admin)
        url = reverse("wagtailsnippets_heritage_legacyplaquecode:add")
        response = self.client.post(url, {"old_code": " dt-12 ", "page": self.ours.pk, "note": "Chương trình 2019"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/q/DT-12")["Location"], self.ours.get_full_url())
