from django.test import SimpleTestCase

from heritage.dates import DateParseError, YearInterval, parse_years


class ParseYearsTests(SimpleTestCase):
    def test_wordings_become_intervals(self):
        cases = {
            "1288": YearInterval(1288, 1288),
            "khoảng 1230": YearInterval(1225, 1235, True),
            "1418–1427": YearInterval(1418, 1427),
            "thế kỷ XIII": YearInterval(1201, 1300),
            "cuối thế kỷ XIX": YearInterval(1867, 1900),
            "đầu thế kỷ XX": YearInterval(1901, 1934),
            "năm 40 TCN": YearInterval(-40, -40),
            "thế kỷ III TCN": YearInterval(-300, -201),
            "TK 17": YearInterval(1601, 1700),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_years(text), expected)

    def test_bce_sorts_before_ce(self):
        wordings = ["1288", "thế kỷ III TCN", "năm 40 TCN", "khoảng 1230"]
        ordered = sorted(wordings, key=lambda text: parse_years(text).midpoint)
        self.assertEqual(ordered, ["thế kỷ III TCN", "năm 40 TCN", "khoảng 1230", "1288"])

    def test_unreadable_wording_is_an_error_with_the_text(self):
        with self.assertRaisesMessage(DateParseError, "không rõ"):
            parse_years("không rõ")
