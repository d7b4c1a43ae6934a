"""The Vietnamese lunar calendar against published tables (see the headers of tests/festivals/data/)."""

import csv
import datetime
from pathlib import Path

from django.test import SimpleTestCase

from festivals.lunar import (
    LunarDate,
    LunarRangeError,
    NonexistentLunarDate,
    day_can_chi,
    leap_month,
    month_length,
    month_name,
    month_start,
    resolve,
    to_lunar,
    to_solar,
    year_can_chi,
)

DATA = Path(__file__).parent / "data"


def read_table(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def iso(text):
    return datetime.date.fromisoformat(text)


class KnownDatesTests(SimpleTestCase):
    tet = read_table("tet.csv")
    hung_kings = read_table("hung_kings.csv")
    leap_months = read_table("leap_months.csv")

    def test_the_tables_cover_every_year_from_1960_to_2050(self):
        self.assertEqual([int(row["lunar_year"]) for row in self.tet], list(range(1960, 2051)))
        self.assertEqual([int(row["lunar_year"]) for row in self.hung_kings], list(range(1960, 2051)))

    def test_tet_falls_on_the_published_vietnamese_date_every_year(self):
        for row in self.tet:
            year = int(row["lunar_year"])
            with self.subTest(year=year):
                self.assertEqual(to_solar(year, 1, 1), iso(row["vietnam"]))
                self.assertEqual(to_lunar(iso(row["vietnam"])), LunarDate(year, 1, 1))

    def test_the_eve_of_tet_is_the_last_day_of_the_twelfth_month(self):
        for row in self.tet:
            year = int(row["lunar_year"])
            with self.subTest(year=year):
                eve = to_lunar(iso(row["vietnam"]) - datetime.timedelta(days=1))
                self.assertEqual((eve.year, eve.month, eve.leap), (year - 1, 12, False))
                self.assertIn(eve.day, (29, 30))

    def test_years_where_vietnam_and_china_differ_follow_the_vietnamese_calendar(self):
        differing = [row for row in self.tet if row["vietnam"] != row["china"]]
        self.assertGreaterEqual(len(differing), 5)
        for row in differing:
            year = int(row["lunar_year"])
            with self.subTest(year=year):
                self.assertEqual(to_solar(year, 1, 1), iso(row["vietnam"]))
                self.assertNotEqual(to_solar(year, 1, 1), iso(row["china"]))

    def test_tet_1985_was_a_month_earlier_in_vietnam(self):
        self.assertEqual(to_solar(1985, 1, 1), datetime.date(1985, 1, 21))

    def test_tet_2007_was_a_day_earlier_in_vietnam(self):
        self.assertEqual(to_solar(2007, 1, 1), datetime.date(2007, 2, 17))

    def test_hung_kings_day_falls_on_the_published_date_every_year(self):
        for row in self.hung_kings:
            year = int(row["lunar_year"])
            with self.subTest(year=year):
                self.assertEqual(to_solar(year, 3, 10), iso(row["vietnam"]))

    def test_leap_months_are_the_published_ones(self):
        published = {int(row["lunar_year"]): int(row["leap_month"]) for row in self.leap_months}
        for year in range(1960, 2051):
            with self.subTest(year=year):
                self.assertEqual(leap_month(year), published.get(year))

    def test_leap_months_start_on_the_published_day(self):
        for row in self.leap_months:
            year, month = int(row["lunar_year"]), int(row["leap_month"])
            with self.subTest(year=year):
                self.assertEqual(month_start(year, month, leap=True), iso(row["leap_month_starts"]))
                self.assertEqual(to_lunar(iso(row["leap_month_starts"])), LunarDate(year, month, 1, True))

    def test_a_leap_month_follows_the_regular_month_of_the_same_number(self):
        for row in self.leap_months:
            year, month = int(row["lunar_year"]), int(row["leap_month"])
            with self.subTest(year=year):
                regular_start = month_start(year, month)
                self.assertEqual(
                    month_start(year, month, leap=True) - regular_start,
                    datetime.timedelta(days=month_length(year, month)),
                )


class AbsentDatesTests(SimpleTestCase):
    def test_months_have_29_or_30_days_and_years_353_to_385(self):
        for year in (1984, 1985, 2025, 2026, 2033):
            with self.subTest(year=year):
                days = sum(month_length(year, month) for month in range(1, 13))
                if leap_month(year):
                    days += month_length(year, leap_month(year), leap=True)
                self.assertEqual(days, (month_start(year + 1, 1) - month_start(year, 1)).days)
                self.assertTrue(353 <= days <= 385)

    def test_day_30_of_a_29_day_month_does_not_exist(self):
        # Lunar month 2 of 2026 has 29 days (the 1st of month 3 is 29 days after its 1st).
        self.assertEqual(month_length(2026, 2), 29)
        with self.assertRaises(NonexistentLunarDate):
            to_solar(2026, 2, 30)

    def test_day_30_of_a_29_day_month_is_held_on_the_last_day(self):
        resolved = resolve(2026, 2, 30)
        self.assertEqual(resolved.lunar, LunarDate(2026, 2, 29))
        self.assertEqual(resolved.adjusted, "last_day")
        self.assertEqual(resolved.date + datetime.timedelta(days=1), month_start(2026, 3))

    def test_an_absent_leap_month_falls_back_to_the_regular_month(self):
        self.assertIsNone(leap_month(2026))
        with self.assertRaises(NonexistentLunarDate):
            to_solar(2026, 6, 5, leap=True)
        resolved = resolve(2026, 6, 5, leap=True)
        self.assertEqual(resolved.date, to_solar(2026, 6, 5))
        self.assertEqual(resolved.adjusted, "no_leap_month")

    def test_a_leap_month_that_exists_is_kept(self):
        resolved = resolve(2025, 6, 5, leap=True)
        self.assertEqual(resolved.lunar, LunarDate(2025, 6, 5, True))
        self.assertEqual(resolved.adjusted, "")

    def test_years_outside_the_computed_calendar_are_refused(self):
        with self.assertRaises(LunarRangeError):
            to_solar(1800, 1, 1)
        with self.assertRaises(LunarRangeError):
            to_lunar(datetime.date(2200, 1, 1))


class CanChiTests(SimpleTestCase):
    def test_years_have_their_can_chi_names(self):
        names = {1960: "Canh Tý", 1985: "Ất Sửu", 2000: "Canh Thìn", 2025: "Ất Tỵ", 2026: "Bính Ngọ", 2050: "Canh Ngọ"}
        for year, name in names.items():
            with self.subTest(year=year):
                self.assertEqual(year_can_chi(year), name)

    def test_the_can_chi_cycle_repeats_every_sixty_years(self):
        self.assertEqual(year_can_chi(1966), year_can_chi(2026))
        self.assertNotEqual(year_can_chi(2025), year_can_chi(2026))

    def test_days_have_their_can_chi_names(self):
        # Tết Giáp Thìn (10 February 2024) fell on a Giáp Thìn day; 60 days later the name returns.
        self.assertEqual(day_can_chi(datetime.date(2024, 2, 10)), "Giáp Thìn")
        self.assertEqual(day_can_chi(datetime.date(2024, 4, 10)), "Giáp Thìn")

    def test_a_lunar_date_reads_with_its_year_name(self):
        self.assertEqual(LunarDate(2025, 6, 5, True).display(), "5/6 nhuận năm Ất Tỵ")
        self.assertEqual(month_name(1), "tháng Giêng")
        self.assertEqual(month_name(12), "tháng Chạp")
