"""Festival date rules applied to years: ranges, new-year crossings, leap months, stages, changed years."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from festivals.lunar import leap_month, month_length, to_solar
from festivals.models import FestivalIndexPage, FestivalOccurrenceOverride, FestivalPage, FestivalStage
from festivals.occurrences import next_occurrences, occurrence_in, occurrences_between
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of


def first_year_where(condition, years=range(2020, 2060)):
    return next(year for year in years if condition(year))


class OccurrenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = index_of(build_commune(), FestivalIndexPage)

    def festival(self, **fields):
        return FestivalPageFactory(parent=self.index, **fields)

    def test_a_lunar_range_gives_solar_dates_in_each_year(self):
        festival = self.festival(start_month=8, start_day=10, end_month=8, end_day=12)
        occurrence = occurrence_in(festival, 2026)
        self.assertEqual(occurrence.start, to_solar(2026, 8, 10))
        self.assertEqual(occurrence.days, 3)
        self.assertEqual(str(occurrence.end_lunar), "12/8")
        self.assertEqual(occurrence.year_name, "Bính Ngọ")

    def test_a_range_over_the_lunar_new_year_ends_in_the_next_year(self):
        year = first_year_where(lambda year: month_length(year, 12) == 30 and not leap_month(year))
        festival = self.festival(start_month=12, start_day=30, end_month=1, end_day=2)
        occurrence = occurrence_in(festival, year)
        self.assertEqual(occurrence.start, to_solar(year, 12, 30))
        self.assertEqual(occurrence.end, to_solar(year + 1, 1, 2))
        self.assertEqual(occurrence.days, 3)

    def test_day_30_in_a_short_twelfth_month_is_held_on_the_29th(self):
        year = first_year_where(lambda year: month_length(year, 12) == 29)
        festival = self.festival(start_month=12, start_day=30)
        occurrence = occurrence_in(festival, year)
        self.assertEqual(occurrence.start, to_solar(year, 12, 29))
        self.assertTrue(occurrence.adjusted)

    def test_a_leap_month_festival_falls_back_in_years_without_that_leap_month(self):
        festival = self.festival(start_month=6, start_day=5, start_leap=True)
        self.assertEqual(occurrence_in(festival, 2025).start, to_solar(2025, 6, 5, leap=True))
        fallback = occurrence_in(festival, 2026)
        self.assertEqual(fallback.start, to_solar(2026, 6, 5))
        self.assertTrue(fallback.adjusted)

    def test_a_regular_month_festival_is_held_once_in_a_year_with_that_leap_month(self):
        festival = self.festival(start_month=6, start_day=5)
        found = occurrences_between([festival], datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
        self.assertEqual([occurrence.start for occurrence in found], [to_solar(2025, 6, 5)])

    def test_a_solar_festival_on_29_february_is_held_on_the_28th_in_common_years(self):
        festival = self.festival(calendar="solar", start_month=2, start_day=29)
        self.assertEqual(occurrence_in(festival, 2028).start, datetime.date(2028, 2, 29))
        self.assertEqual(occurrence_in(festival, 2027).start, datetime.date(2027, 2, 28))

    def test_a_festival_held_every_few_years_counts_from_a_year_it_was_held(self):
        festival = self.festival(frequency="every_n_years", interval_years=5, cycle_start_year=2024)
        years = [occurrence.year for occurrence in next_occurrences(festival, datetime.date(2025, 1, 1), 3)]
        self.assertEqual(years, [2029, 2034, 2039])

    def test_a_festival_held_every_few_years_without_a_known_year_has_no_computed_dates(self):
        festival = self.festival(frequency="every_n_years", interval_years=5)
        self.assertEqual(next_occurrences(festival, datetime.date(2025, 1, 1)), [])

    def test_a_changed_year_shows_the_actual_dates_and_keeps_its_identifier(self):
        festival = self.festival(start_month=8, start_day=10, end_month=8, end_day=12)
        usual = occurrence_in(festival, 2026)
        FestivalOccurrenceOverride.objects.create(
            page=festival, year=2026, start_date=datetime.date(2026, 10, 2), reason="Hoãn vì bão số 3"
        )
        festival = FestivalPage.objects.get(pk=festival.pk)
        changed = occurrence_in(festival, 2026)
        self.assertEqual((changed.start, changed.end), (datetime.date(2026, 10, 2), datetime.date(2026, 10, 4)))
        self.assertEqual(changed.uid, usual.uid)
        self.assertEqual(changed.reason, "Hoãn vì bão số 3")
        self.assertEqual(occurrence_in(festival, 2027).start, to_solar(2027, 8, 10))

    def test_stages_move_with_a_changed_year(self):
        festival = self.festival(start_month=8, start_day=10, end_month=8, end_day=12)
        FestivalStage.objects.create(page=festival, name="Hội vật", start_month=8, start_day=11)
        FestivalOccurrenceOverride.objects.create(
            page=festival, year=2026, start_date=datetime.date(2026, 10, 2), end_date=datetime.date(2026, 10, 4)
        )
        festival = FestivalPage.objects.get(pk=festival.pk)
        stage = occurrence_in(festival, 2026).stages[0]
        self.assertEqual(stage.start, datetime.date(2026, 10, 3))
        self.assertNotEqual(stage.uid, occurrence_in(festival, 2026).uid)

    def test_a_stage_before_the_festival_start_in_the_year_belongs_to_the_next_year(self):
        festival = self.festival(start_month=12, start_day=25, end_month=1, end_day=6)
        FestivalStage.objects.create(page=festival, name="Rước nước", start_month=1, start_day=4)
        stage = occurrence_in(festival, 2026).stages[0]
        self.assertEqual(stage.start, to_solar(2027, 1, 4))

    def test_a_year_not_held_is_left_out_of_the_calendar_but_listed_as_cancelled(self):
        festival = self.festival(start_month=8, start_day=10)
        FestivalOccurrenceOverride.objects.create(page=festival, year=2026, cancelled=True, reason="Dịch bệnh")
        festival = FestivalPage.objects.get(pk=festival.pk)
        window = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        self.assertEqual(occurrences_between([festival], *window), [])
        cancelled = occurrences_between([festival], *window, include_cancelled=True)
        self.assertTrue(cancelled[0].cancelled)

    def test_an_irregular_festival_appears_only_in_the_years_editors_give(self):
        festival = self.festival(frequency="irregular")
        FestivalOccurrenceOverride.objects.create(page=festival, year=2027, start_date=datetime.date(2027, 3, 1))
        festival = FestivalPage.objects.get(pk=festival.pk)
        self.assertEqual(
            [occurrence.start for occurrence in next_occurrences(festival, datetime.date(2026, 1, 1))],
            [datetime.date(2027, 3, 1)],
        )

    def test_a_changed_year_needs_dates_or_not_held(self):
        festival = self.festival()
        override = FestivalOccurrenceOverride(page=festival, year=2026)
        with self.assertRaises(ValidationError) as raised:
            override.full_clean()
        self.assertIn("start_date", raised.exception.message_dict)
        override = FestivalOccurrenceOverride(
            page=festival, year=2026, start_date=datetime.date(2026, 5, 2), end_date=datetime.date(2026, 5, 1)
        )
        with self.assertRaises(ValidationError) as raised:
            override.full_clean()
        self.assertIn("end_date", raised.exception.message_dict)

    def test_a_year_can_be_changed_only_once(self):
        festival = self.festival()
        FestivalOccurrenceOverride.objects.create(page=festival, year=2026, cancelled=True)
        with self.assertRaises(IntegrityError), transaction.atomic():
            FestivalOccurrenceOverride.objects.create(page=festival, year=2026, cancelled=True)
