import io

import zxingcpp
from PIL import Image

from heritage.models import PlaqueCode
from heritage.plaques.qr import QUIET_ZONE, make_qr
from tests.heritage.plaques.helpers import PUBLIC_BASE_URL, PlaqueTestCase, published_relic


class QrImageTests(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plaque = PlaqueCode.objects.get(page=published_relic(cls.setup))

    def test_the_png_encodes_the_short_url_with_high_error_correction(self):
        response = self.client.get(f"/q/{self.plaque.code}/qr.png")
        self.assertEqual(response["Content-Type"], "image/png")
        with Image.open(io.BytesIO(response.content)) as image:
            found = zxingcpp.read_barcodes(image.convert("L"))
        self.assertEqual([barcode.text for barcode in found], [f"{PUBLIC_BASE_URL}/q/{self.plaque.code}"])
        self.assertEqual(found[0].ec_level, "H")

    def test_the_png_survives_a_logo_over_its_middle(self):
        response = self.client.get(f"/q/{self.plaque.code}/qr.png")
        with Image.open(io.BytesIO(response.content)) as image:
            image = image.convert("L")
            width, height = image.size
            modules = make_qr(self.plaque.code).symbol_size(border=0)[0]
            symbol_width = width * modules / (modules + 2 * QUIET_ZONE)
            # A blank square a third of the symbol wide (11 % of its area), where a logo would go.
            side = int(symbol_width / 3)
            image.paste(255, ((width - side) // 2, (height - side) // 2, (width + side) // 2, (height + side) // 2))
            found = zxingcpp.read_barcodes(image)
        self.assertEqual([barcode.text for barcode in found], [f"{PUBLIC_BASE_URL}/q/{self.plaque.code}"])

    def test_the_svg_is_served_as_svg_and_cacheable(self):
        response = self.client.get(f"/q/{self.plaque.code}/qr.svg")
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        self.assertTrue(response.content.startswith(b"<svg"))
        self.assertIn("public", response["Cache-Control"])

    def test_a_retyped_code_gets_the_canonical_image(self):
        response = self.client.get(f"/q/{self.plaque.code.lower()}/qr.png")
        self.assertIn(f'filename="{self.plaque.code}.png"', response["Content-Disposition"])

    def test_an_unknown_code_has_no_image(self):
        self.assertEqual(self.client.get("/q/KM-9999/qr.svg").status_code, 404)
        self.assertEqual(self.client.get("/q/%3Cx%3E/qr.png").status_code, 404)
