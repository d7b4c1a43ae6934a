"""A festival's cycle start year and its changed years (moved or not held) go through import and export."""

import csv
import datetime
import io
import json
from io import StringIO

from django.utils import translation

from festivals.models import FestivalIndexPage, FestivalOccurrenceOverride, FestivalPage
from heritage.interchange import ImportFailed, export_entries, import_file
from heritage.models import HeritagePage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.test_export import empty_the_archive
from tests.heritage.test_import import ImportTestCase, relic


def festival(source_id="km-f400", **fields):
    return {"id": source_id, "type": "festival", "commune": "Kiến Minh", "title": "Hội rước nước Đại Trà",
            "summary": "Hội rước nước năm năm một lần.", "lunar_start": "10/2", "lunar_end": "12/2",
            "frequency": "every_n_years", "interval_years": 5, **fields}  # fmt: skip


CHANGED_YEARS = [
    {"year": 2021, "cancelled": True, "reason": "Không tổ chức vì dịch COVID-19"},
    {"year": 2024, "start": "2024-03-25", "end": "2024-03-27", "reason": "Hoãn vì mưa lớn"},
]


def changed_years(page):
    return [
        (changed.year, changed.cancelled, changed.start_date, changed.end_date, changed.reason)
        for changed in page.occurrence_overrides.all()
    ]


EXPECTED = [
    (2021, True, None, None, "Không tổ chức vì dịch COVID-19"),
    (2024, False, datetime.date(2024, 3, 25), datetime.date(2024, 3, 27), "Hoãn vì mưa lớn"),
]


class ChangedYearsImportTests(ImportTestCase):
    def test_a_line_with_a_cycle_start_year_and_changed_years_creates_them(self):
        self.import_entries(festival(cycle_start_year=2016, changed_years=CHANGED_YEARS))
        page = FestivalPage.objects.get()
        self.assertEqual(page.cycle_start_year, 2016)
        self.assertEqual(changed_years(page), EXPECTED)

    def test_the_published_page_shows_a_cancelled_year_with_its_reason(self):
        self.import_entries(festival(cycle_start_year=2016, changed_years=CHANGED_YEARS))
        page = FestivalPage.objects.get()
        self.assertTrue(page.live)
        self.assertFalse(page.has_unpublished_changes)
        self.assertEqual(changed_years(page.get_latest_revision_as_object()), EXPECTED)

    def test_importing_the_same_line_again_changes_nothing(self):
        self.import_entries(festival(cycle_start_year=2016, changed_years=CHANGED_YEARS))
        revisions = FestivalPage.objects.get().revisions.count()
        result = self.import_entries(festival(cycle_start_year=2016, changed_years=CHANGED_YEARS))
        self.assertEqual([change.source_id for change in result.unchanged], ["km-f400"])
        self.assertEqual(FestivalPage.objects.get().revisions.count(), revisions)

    def test_a_line_without_the_fields_keeps_what_the_festival_has(self):
        self.import_entries(festival(cycle_start_year=2016, changed_years=CHANGED_YEARS))
        result = self.import_entries(festival(title="Hội rước nước làng Đại Trà"))
        self.assertEqual(len(result.updated), 1)
        page = FestivalPage.objects.get()
        self.assertEqual((page.title, page.cycle_start_year), ("Hội rước nước làng Đại Trà", 2016))
        self.assertEqual(changed_years(page), EXPECTED)

    def test_empty_values_clear_the_cycle_start_year_and_the_changed_years(self):
        self.import_entries(festival(cycle_start_year=2016, changed_years=CHANGED_YEARS))
        self.import_entries(festival(cycle_start_year=None, changed_years=[]))
        page = FestivalPage.objects.get()
        self.assertIsNone(page.cycle_start_year)
        self.assertFalse(FestivalOccurrenceOverride.objects.exists())

    def test_the_given_changed_years_replace_the_stored_ones_even_for_the_same_year(self):
        self.import_entries(festival(changed_years=CHANGED_YEARS))
        moved_again = {"year": 2024, "start": "29/03/2024", "reason": "Hoãn lần hai"}
        result = self.import_entries(festival(changed_years=[moved_again]))
        self.assertEqual(len(result.updated), 1)
        self.assertEqual(
            changed_years(FestivalPage.objects.get()), [(2024, False, datetime.date(2024, 3, 29), None, "Hoãn lần hai")]
        )

    def test_a_spreadsheet_gives_the_changed_years_as_json_in_a_cell(self):
        cell = json.dumps(CHANGED_YEARS, ensure_ascii=False).replace('"', '""')
        path = self.folder / "le-hoi.csv"
        path.write_text(
            "id;type;commune;title;summary;lunar_start;frequency;interval_years;cycle_start_year;changed_years\n"
            f'km-f400;festival;Kiến Minh;Hội rước nước;Hội năm năm một lần.;10/2;every_n_years;5;2016;"{cell}"\n',
            encoding="utf-8-sig",
        )
        import_file(path)
        page = FestivalPage.objects.get()
        self.assertEqual(page.cycle_start_year, 2016)
        self.assertEqual(changed_years(page), EXPECTED)


class ChangedYearsErrorTests(ImportTestCase):
    """Each broken value names its line and item, and nothing of the file is written."""

    def errors(self, **fields):
        # A good entry on the line before: it must not be written either.
        with self.assertRaises(ImportFailed) as caught:
            self.import_entries(relic(), festival(**fields))
        self.assertFalse(HeritagePage.objects.exists())
        self.assertFalse(FestivalOccurrenceOverride.objects.exists())
        return [str(problem) for problem in caught.exception.errors]

    def test_a_year_outside_1900_to_2099_is_refused(self):
        self.assertEqual(
            self.errors(changed_years=[CHANGED_YEARS[0], {"year": 1890, "cancelled": True}]),
            ["Line 3: changed_years[2] year: Give a year between 1900 and 2099."],
        )

    def test_an_end_before_the_start_is_refused(self):
        self.assertEqual(
            self.errors(changed_years=[{"year": 2024, "start": "2024-03-27", "end": "2024-03-25"}]),
            ["Line 3: changed_years[1] end: The festival cannot end before it starts."],
        )

    def test_the_same_year_twice_is_refused(self):
        self.assertEqual(
            self.errors(changed_years=[*CHANGED_YEARS, {"year": 2021, "start": "2021-03-22"}]),
            ["Line 3: changed_years[3] year: 2021 is already given in item 1; give each year once."],
        )

    def test_a_year_held_on_other_dates_needs_its_first_day(self):
        self.assertEqual(
            self.errors(changed_years=[{"year": 2024, "reason": "Hoãn"}]),
            ["Line 3: changed_years[1] start: Give the actual first day, or tick 'not held that year'."],
        )

    def test_the_messages_read_in_vietnamese_for_editors(self):
        with translation.override("vi"):
            messages = self.errors(changed_years=[*CHANGED_YEARS, {"year": 2021, "cancelled": True}])
        self.assertEqual(messages, ["Line 3: changed_years[3] year: năm 2021 đã ghi ở mục 1; mỗi năm chỉ ghi một lần."])

    def test_a_changed_year_needs_its_year(self):
        self.assertEqual(
            self.errors(changed_years=[{"cancelled": True}]), ["Line 3: changed_years[1] year is required."]
        )

    def test_an_impossible_date_is_refused(self):
        self.assertEqual(
            self.errors(changed_years=[{"year": 2023, "start": "30/02/2023"}]),
            ["Line 3: changed_years[1] start: Expected a date such as 2012-03-15, not '30/02/2023'."],
        )

    def test_a_cycle_start_year_that_is_not_a_number_is_refused(self):
        self.assertEqual(
            self.errors(cycle_start_year="năm Tý"),
            ["Line 3: cycle_start_year: Expected a whole number, not 'năm Tý'."],
        )

    def test_a_negative_cycle_start_year_is_refused_by_the_models_field(self):
        self.assertEqual(
            self.errors(cycle_start_year=-5),
            ["Line 3: cycle_start_year: Ensure this value is greater than or equal to 0."],
        )

    def test_a_broken_update_leaves_the_stored_changed_years_as_they_were(self):
        self.import_entries(festival(changed_years=CHANGED_YEARS))
        with self.assertRaises(ImportFailed):
            self.import_entries(festival(changed_years=[{"year": 2025, "start": "2025-03-10", "end": "2025-03-01"}]))
        self.assertEqual(changed_years(FestivalPage.objects.get()), EXPECTED)


class ChangedYearsExportTests(ImportTestCase):
    """A festival edited in the admin, exported, then imported into an archive without it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        index = FestivalIndexPage.objects.child_of(cls.setup.home).get()
        page = FestivalPageFactory(
            parent=index,
            title="Hội rước nước Đại Trà",
            start_month=2,
            start_day=10,
            frequency="every_n_years",
            interval_years=5,
            cycle_start_year=2016,
        )
        for position, (year, cancelled, start, end, reason) in enumerate(EXPECTED):
            FestivalOccurrenceOverride.objects.create(
                page=page, sort_order=position, year=year, cancelled=cancelled, start_date=start, end_date=end,
                reason=reason,
            )  # fmt: skip
        cls.source_id = page.source_id

    def export(self, format):
        stream = StringIO()
        export_entries(stream, format=format)
        return stream.getvalue()

    def test_json_lines_carry_the_cycle_start_year_and_the_changed_years(self):
        record = json.loads(self.export("jsonl").splitlines()[1])
        self.assertEqual(record["cycle_start_year"], 2016)
        self.assertEqual(
            record["changed_years"],
            [
                {"year": 2021, "cancelled": True, "reason": "Không tổ chức vì dịch COVID-19"},
                {"year": 2024, "start": "2024-03-25", "end": "2024-03-27", "reason": "Hoãn vì mưa lớn"},
            ],
        )

    def test_a_festival_without_them_has_neither_field(self):
        FestivalOccurrenceOverride.objects.all().delete()
        FestivalPage.objects.update(cycle_start_year=None)
        record = json.loads(self.export("jsonl").splitlines()[1])
        self.assertNotIn("cycle_start_year", record)
        self.assertNotIn("changed_years", record)

    def round_trip(self, format):
        path = self.folder / f"kho.{format}"
        path.write_text(self.export(format), encoding="utf-8")
        empty_the_archive()
        self.assertFalse(FestivalOccurrenceOverride.objects.exists())
        import_file(path)
        return FestivalPage.objects.get(source_id=self.source_id)

    def test_json_lines_round_trip_into_an_empty_archive(self):
        page = self.round_trip("jsonl")
        self.assertEqual((page.frequency, page.interval_years, page.cycle_start_year), ("every_n_years", 5, 2016))
        self.assertEqual(changed_years(page), EXPECTED)

    def test_the_csv_export_writes_the_changed_years_as_json_in_a_cell(self):
        row = next(csv.DictReader(io.StringIO(self.export("csv"))))
        self.assertEqual(row["cycle_start_year"], "2016")
        self.assertEqual([item["year"] for item in json.loads(row["changed_years"])], [2021, 2024])

    def test_csv_round_trips_into_an_empty_archive(self):
        page = self.round_trip("csv")
        self.assertEqual(page.cycle_start_year, 2016)
        self.assertEqual(changed_years(page), EXPECTED)
