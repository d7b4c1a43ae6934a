import subprocess
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from heritage.models import PlaqueCode
from tests.heritage.factories import build_commune
from tests.heritage.plaques.helpers import PlaqueTestCase, published_relic


class PrintPlaquesCommandTests(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = published_relic(cls.setup, title="Đình Kiến Minh")
        cls.second = published_relic(cls.setup, title="Chùa Kiến Minh")
        cls.elsewhere = published_relic(build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost"))

    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.output = Path(folder.name) / "plaques.pdf"

    def run_command(self, *args):
        out = StringIO()
        call_command("print_plaques", *args, "--output", str(self.output), stdout=out)
        return out.getvalue()

    def pdf_text(self):
        return subprocess.run(["pdftotext", self.output, "-"], check=True, capture_output=True, text=True).stdout

    def test_a_communes_plaques_go_into_one_pdf(self):
        output = self.run_command("--commune", "km")
        self.assertIn("2 plaques", output)
        text = self.pdf_text()
        self.assertIn("Đình Kiến Minh", text)
        self.assertIn("Chùa Kiến Minh", text)
        self.assertNotIn(self.elsewhere.title, text)

    def test_codes_may_be_typed_loosely(self):
        code = PlaqueCode.objects.get(page=self.second).code
        self.run_command(code.lower().replace("-", ""), "--paper", "a5")
        text = self.pdf_text()
        self.assertIn("Chùa Kiến Minh", text)
        self.assertNotIn("Đình Kiến Minh", text)

    def test_bad_input_gets_a_clear_message(self):
        for args, message in (
            ((), "Name plaque codes"),
            (("--commune", "ZZ"), "No commune"),
            (("hello",), "Not a plaque code"),
            (("KM-9999",), "No live entry"),
        ):
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                self.run_command(*args)
        self.assertFalse(self.output.exists())

    def test_entries_from_before_plaque_codes_can_be_given_codes_first(self):
        PlaqueCode.objects.filter(page=self.first).delete()
        output = self.run_command("--commune", "KM", "--assign-missing")
        self.assertIn("1 entries got a code.", output)
        self.assertIn("Đình Kiến Minh", self.pdf_text())
