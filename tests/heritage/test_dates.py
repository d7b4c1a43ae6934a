import random

from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import strategies as st

from heritage.dates import (
    DateParseError,
    YearInterval,
    format_interval,
    format_year,
    parse_years,
    roman_to_int,
    sort_key,
)


class ParseYearsTests(SimpleTestCase):
    def assert_parses(self, cases):
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_years(text), expected)

    def test_wordings_become_intervals(self):
        self.assert_parses(
            {
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
        )

    def test_ranges_with_dashes_hyphens_and_words(self):
        self.assert_parses(
            {
                "1230–1250": YearInterval(1230, 1250),
                "1230 — 1250": YearInterval(1230, 1250),
                "1230-1250": YearInterval(1230, 1250),
                "1230 - 1250": YearInterval(1230, 1250),
                "từ 1890 đến 1895": YearInterval(1890, 1895),
                "năm 1890 tới năm 1895": YearInterval(1890, 1895),
            }
        )

    def test_short_right_side_keeps_the_left_sides_leading_digits(self):
        self.assert_parses(
            {
                "1230–50": YearInterval(1230, 1250),
                "1890–5": YearInterval(1890, 1895),
                "1298–02": YearInterval(1298, 1302),
            }
        )

    def test_decades(self):
        self.assert_parses(
            {
                "1890s": YearInterval(1890, 1899),
                "thập niên 1890": YearInterval(1890, 1899),
                "thập kỷ 1930": YearInterval(1930, 1939),
                "những năm 1890": YearInterval(1890, 1899),
                "những năm 90 của thế kỷ XIX": YearInterval(1890, 1899),
                "thập niên 60 thế kỷ 20": YearInterval(1960, 1969),
            }
        )

    def test_parts_of_centuries(self):
        self.assert_parses(
            {
                "đầu thế kỷ XVIII": YearInterval(1701, 1734),
                "giữa thế kỷ XVIII": YearInterval(1734, 1767),
                "cuối thế kỷ XVIII": YearInterval(1767, 1800),
                "nửa đầu thế kỷ XVIII": YearInterval(1701, 1750),
                "nửa sau thế kỷ XVIII": YearInterval(1751, 1800),
            }
        )

    def test_roman_and_arabic_centuries_agree(self):
        for number in range(1, 22):
            roman = {1: "I", 4: "IV", 9: "IX", 14: "XIV", 19: "XIX", 21: "XXI"}.get(number)
            if roman is None:
                continue
            with self.subTest(number=number):
                self.assertEqual(parse_years(f"thế kỷ {roman}"), parse_years(f"thế kỷ {number}"))
                self.assertEqual(parse_years(f"thế kỉ thứ {number}"), parse_years(f"TK {roman}"))
        self.assertEqual(parse_years("13th century"), YearInterval(1201, 1300))

    def test_century_ranges(self):
        self.assert_parses(
            {
                "thế kỷ XIII–XIV": YearInterval(1201, 1400),
                "thế kỷ 17 - 18": YearInterval(1601, 1800),
                "cuối thế kỷ XIX – đầu thế kỷ XX": YearInterval(1867, 1934),
            }
        )

    def test_years_and_centuries_before_the_common_era(self):
        self.assert_parses(
            {
                "40 TCN": YearInterval(-40, -40),
                "năm 257 trước Công nguyên": YearInterval(-257, -257),
                "208–179 TCN": YearInterval(-208, -179),
                "111 TCN – 40": YearInterval(-111, 40),
                "111 TCN – 40 SCN": YearInterval(-111, 40),
                "thế kỷ 2 TCN": YearInterval(-200, -101),
                "đầu thế kỷ III TCN": YearInterval(-300, -267),
                "cuối thế kỷ III TCN": YearInterval(-234, -201),
                "thế kỷ III–II TCN": YearInterval(-300, -101),
                "-40": YearInterval(-40, -40),
            }
        )

    def test_approximate_wordings_are_flagged_and_single_years_widened(self):
        self.assert_parses(
            {
                "khoảng năm 1010": YearInterval(1005, 1015, True),
                "chừng 1500": YearInterval(1495, 1505, True),
                "c. 1500": YearInterval(1495, 1505, True),
                "1010?": YearInterval(1005, 1015, True),
                "khoảng 1230 – 1250": YearInterval(1230, 1250, True),
                "khoảng thế kỷ XV": YearInterval(1401, 1500, True),
            }
        )

    def test_wording_without_marks_or_in_capitals_parses_the_same(self):
        self.assertEqual(parse_years("KHOẢNG 1230"), parse_years("khoang 1230"))
        self.assertEqual(parse_years("Cuối Thế Kỷ XIX"), parse_years("cuoi the ky xix"))

    def test_unreadable_wording_is_an_error_with_the_text(self):
        with self.assertRaisesMessage(DateParseError, "không rõ"):
            parse_years("không rõ")

    def test_impossible_dates_are_errors_that_say_why(self):
        cases = {
            "thế kỷ IIII": "No such century",
            "thế kỷ 45": "No such century",
            "1250–1230": "ends before it starts",
            "1230–": "start and an end",
            "thập niên 1895": "ending in 0",
            "những năm 90": "which century",
            "0": "no year 0",
            "   ": "empty",
        }
        for text, message in cases.items():
            with self.subTest(text=text), self.assertRaisesMessage(DateParseError, message):
                parse_years(text)


class OrderingTests(SimpleTestCase):
    def test_bce_sorts_before_ce(self):
        wordings = ["1288", "thế kỷ III TCN", "năm 40 TCN", "khoảng 1230"]
        ordered = sorted(wordings, key=lambda text: parse_years(text).midpoint)
        self.assertEqual(ordered, ["thế kỷ III TCN", "năm 40 TCN", "khoảng 1230", "1288"])

    def test_mixed_wordings_sort_chronologically_by_start_then_end(self):
        expected = [
            "thế kỷ III TCN",
            "208–179 TCN",
            "111 TCN – 40",
            "năm 40 TCN",
            "40–43",
            "thế kỷ XIII",
            "khoảng 1230",
            "1230–50",
            "1288",
            "cuối thế kỷ XIX",
            "1890–95",
            "thập niên 1890",
        ]
        shuffled = expected[:]
        random.Random(4).shuffle(shuffled)
        self.assertEqual(sorted(shuffled, key=sort_key), expected)

    def test_unreadable_wordings_sort_last(self):
        self.assertEqual(sorted(["không rõ", "1288", "40 TCN"], key=sort_key), ["40 TCN", "1288", "không rõ"])

    def test_intervals_order_by_start_then_end(self):
        self.assertLess(YearInterval(1201, 1300), YearInterval(1225, 1235, True))
        self.assertLess(YearInterval(1201, 1250), YearInterval(1201, 1300))

    def test_overlap_with_a_period(self):
        reign = (1226, 1400)
        self.assertTrue(parse_years("khoảng 1230").overlaps(*reign))
        self.assertTrue(parse_years("thế kỷ XII").overlaps(1200, None))
        self.assertFalse(parse_years("cuối thế kỷ XIX").overlaps(*reign))


class FormattingTests(SimpleTestCase):
    def test_years_before_the_common_era_are_written_tcn(self):
        self.assertEqual(format_year(-40), "40 TCN")
        self.assertEqual(format_interval(parse_years("thế kỷ III TCN")), "300–201 TCN")
        self.assertEqual(format_interval(parse_years("111 TCN – 40")), "111 TCN – 40")
        self.assertEqual(format_interval(parse_years("1288")), "1288")

    def test_roman_numerals(self):
        self.assertEqual([roman_to_int(n) for n in ("IV", "IX", "XIV", "XIX", "XXI")], [4, 9, 14, 19, 21])


class PropertyTests(SimpleTestCase):
    @given(st.integers(min_value=1, max_value=2100), st.integers(min_value=0, max_value=80))
    def test_any_year_range_round_trips(self, start, length):
        self.assertEqual(parse_years(f"{start}–{start + length}"), YearInterval(start, start + length))

    @given(st.integers(min_value=1, max_value=3000))
    def test_bce_years_are_negative_and_come_first(self, year):
        self.assertEqual(parse_years(f"{year} TCN").start, -year)
        self.assertLess(sort_key(f"{year} TCN"), sort_key("1"))

    @given(st.integers(min_value=1, max_value=21), st.sampled_from(["đầu", "giữa", "cuối", "nửa đầu", "nửa sau"]))
    def test_a_part_of_a_century_lies_within_it(self, number, part):
        whole = parse_years(f"thế kỷ {number}")
        piece = parse_years(f"{part} thế kỷ {number}")
        self.assertTrue(whole.start <= piece.start <= piece.end <= whole.end)
