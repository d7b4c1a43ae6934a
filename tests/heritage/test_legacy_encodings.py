from django.test import SimpleTestCase

from festivals.models import FestivalPage
from heritage.interchange import ImportFailed, ReadError, decode_tcvn3, decode_vni, detect_legacy_encoding, import_file
from heritage.interchange.legacy import decode_bytes
from people.models import PersonPage
from sites.models import RelicPage
from tests.heritage.test_import import DATA, ImportTestCase
from tests.heritage.test_import_spreadsheets import write_xlsx


def tcvn3(data):
    """TCVN3 bytes as a Windows program that did not know the font showed them."""
    return decode_bytes(data)


class Tcvn3Tests(SimpleTestCase):
    """Byte values from the TCVN 5712:1993 table (glibc's TCVN5712-1), not from our own table."""

    def test_viet_nam(self):
        self.assertEqual(decode_tcvn3(tcvn3(b"Vi\xd6t Nam")), "Việt Nam")

    def test_a_title_with_d_stroke_in_both_cases(self):
        self.assertEqual(decode_tcvn3(tcvn3(b"\xa7\xd7nh l\xb5ng \xa7\xabng Kh\xaa")), "Đình làng Đông Khê")

    def test_letters_with_two_marks(self):
        self.assertEqual(
            decode_tcvn3(tcvn3(b"L\xd4 h\xe9i ch\xe4i tr\xa9u \xa7\xe5 S\xacn")), "Lễ hội chọi trâu Đồ Sơn"
        )
        self.assertEqual(
            decode_tcvn3(tcvn3(b"M\xad\xeang Kh\xad\xacng, ng\xad\xeai, thu\xeb, khu\xfbu")),
            "Mường Khương, người, thuở, khuỷu",
        )

    def test_what_a_windows_program_showed_is_the_same_text(self):
        self.assertEqual(decode_tcvn3("B¶o Th¾ng"), "Bảo Thắng")

    def test_words_typed_with_the_capital_font_stay_capitals(self):
        self.assertEqual(decode_tcvn3(tcvn3(b"\xa7\xd7NH KI\xd5N MINH")), "ĐÌNH KIẾN MINH")

    def test_word_processor_quotes_and_dashes_are_kept(self):
        self.assertEqual(decode_tcvn3(tcvn3(b"\x93Vi\xd6t\x94 \x96 1945")), "“Việt” – 1945")


class VniTests(SimpleTestCase):
    """Samples as VNI-Windows users typed them: a base letter, then one byte for its marks."""

    def test_viet_nam(self):
        self.assertEqual(decode_vni("Vieät Nam"), "Việt Nam")

    def test_a_greeting(self):
        self.assertEqual(decode_vni("Xin chaøo caùc baïn"), "Xin chào các bạn")

    def test_d_stroke_horn_letters_and_the_i_row(self):
        self.assertEqual(decode_vni("Ñình laøng, ngöôøi, thôø, ñòa chí"), "Đình làng, người, thờ, địa chí")

    def test_capitals(self):
        self.assertEqual(decode_vni("LEÃ HOÄI ÑEÀN"), "LỄ HỘI ĐỀN")

    def test_raw_bytes(self):
        self.assertEqual(decode_vni(decode_bytes("Vieät Nam".encode("cp1252"))), "Việt Nam")


class DetectionTests(SimpleTestCase):
    def test_each_legacy_encoding_is_recognised(self):
        self.assertEqual(detect_legacy_encoding("§×nh lµng vµ chïa cæ"), "tcvn3")
        self.assertEqual(detect_legacy_encoding("Ñình laøng vaø chuøa coå"), "vni")

    def test_unicode_text_is_left_alone(self):
        for text in ("Đình làng và chùa cổ", "xuân", "Hoà Bình", "quê hương", "Nam Định"):
            with self.subTest(text):
                self.assertIsNone(detect_legacy_encoding(text))


class LegacyFileImportTests(ImportTestCase):
    def test_a_tcvn3_csv_file_is_detected_and_converted(self):
        result = import_file(DATA / "tcvn3.csv")
        self.assertEqual(result.legacy_encoding, "tcvn3")
        relic = RelicPage.objects.get(source_id="tc-r001")
        self.assertEqual((relic.title, relic.commune), ("Đình Kiến Minh", self.setup.commune))
        self.assertEqual(relic.summary, "Ngôi đình thờ thành hoàng làng, có hoành phi cổ.")
        festival = FestivalPage.objects.get(source_id="tc-f001")
        self.assertEqual((festival.title, festival.start_leap), ("Lễ hội rước nước", True))
        self.assertEqual(PersonPage.objects.get().role_list, ["thành hoàng", "tướng quân"])

    def test_a_vni_csv_file_is_detected_and_converted(self):
        result = import_file(DATA / "vni.csv")
        self.assertEqual(result.legacy_encoding, "vni")
        self.assertEqual(RelicPage.objects.get().summary, "Ngôi đình thờ thành hoàng làng.")
        self.assertEqual(FestivalPage.objects.get().summary, "Lễ hội của người Việt.")

    def test_the_encoding_can_be_named(self):
        import_file(DATA / "vni.csv", encoding="vni")
        self.assertEqual(RelicPage.objects.get().title, "Đình Kiến Minh")

    def test_utf8_only_refuses_a_legacy_file_and_says_what_to_do(self):
        with self.assertRaisesMessage(ReadError, "use --encoding tcvn3, vni or auto"):
            import_file(DATA / "tcvn3.csv", encoding="utf-8")

    def test_vntime_text_in_a_workbook_is_converted(self):
        path = write_xlsx(
            self.folder / "so-cu.xlsx",
            [
                ["id", "type", "commune", "title", "summary"],
                ["tc-r500", "relic", "KiÕn Minh", "§×nh §¹i Trµ", "Ng«i ®×nh cña lµng §¹i Trµ."],
            ],
        )
        result = import_file(path)
        self.assertEqual(result.legacy_encoding, "tcvn3")
        self.assertEqual(RelicPage.objects.get().summary, "Ngôi đình của làng Đại Trà.")

    def test_a_unicode_cell_in_a_legacy_workbook_is_kept(self):
        path = write_xlsx(
            self.folder / "so-tron.xlsx",
            [
                ["id", "type", "commune", "title", "summary"],
                ["tc-r501", "relic", "KiÕn Minh", "§×nh §¹i Trµ", "Ngôi đình của làng Đại Trà."],
            ],
        )
        import_file(path)
        page = RelicPage.objects.get()
        self.assertEqual((page.title, page.summary), ("Đình Đại Trà", "Ngôi đình của làng Đại Trà."))

    def test_an_explicit_encoding_still_reports_broken_lines(self):
        with self.assertRaises(ImportFailed) as caught:
            import_file(DATA / "broken.jsonl", encoding="tcvn3")
        self.assertIn(5, [problem.number for problem in caught.exception.errors])
