import datetime
import json

from openpyxl import Workbook

from festivals.models import FestivalPage
from heritage.interchange import ImportFailed, import_file
from heritage.models import Period, ProductPage
from people.models import PersonPage
from sites.models import RelicPage
from tests.heritage.test_import import ImportTestCase


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


class CsvImportTests(ImportTestCase):
    def write_csv(self, text, name="so-di-tich.csv", encoding="utf-8-sig"):
        path = self.folder / name
        path.write_bytes(text.encode(encoding))
        return path

    def test_a_spreadsheet_csv_with_semicolons_lists_and_dotted_columns(self):
        sources = json.dumps([{"title": "Địa chí Kiến Thụy", "year": 2010, "locator": "tr. 12"}], ensure_ascii=False)
        path = self.write_csv(
            "id;type;commune;title;summary;roles;lunar_start;lunar_end;period;period.start_year;sources\n"
            'km-p300;person;Kiến Minh;Trần Quốc Thi;Thân vương nhà Trần.;"thành hoàng; tướng quân";;;Nhà Trần;1226;'
            + '"' + sources.replace('"', '""') + '"\n'
            'km-f300;festival;Kiến Minh;Hội làng Đại Trà;Hội mùa thu.;;10/8 nhuận;12/8 nhuận;;;\n'
        )  # fmt: skip
        import_file(path)
        person = PersonPage.objects.get()
        self.assertEqual(person.role_list, ["thành hoàng", "tướng quân"])
        self.assertEqual(person.period, Period.objects.get(name="Nhà Trần", start_year=1226))
        self.assertEqual(person.source_links.get().locator, "tr. 12")
        festival = FestivalPage.objects.get()
        self.assertEqual((festival.start_day, festival.start_month, festival.start_leap), (10, 8, True))
        self.assertEqual((festival.end_day, festival.end_month, festival.end_leap), (12, 8, True))

    def test_a_comma_separated_file_with_an_object_in_dotted_columns(self):
        path = self.write_csv(
            "id,type,commune,title,summary,product_kind,maker.name,maker.phone,lat,lon\n"
            'km-s300,Product,Kiến Minh,Nón lá,Nón lá làng nghề.,craft,Tổ hợp tác nón lá,0912 000 111,"20,77","106,65"\n'
        )
        import_file(path)
        product = ProductPage.objects.get()
        self.assertEqual((product.maker_name, product.maker_phone), ("Tổ hợp tác nón lá", "0912 000 111"))
        self.assertEqual((str(product.latitude), str(product.longitude)), ("20.770000", "106.650000"))

    def test_an_empty_cell_leaves_the_field_as_it_is(self):
        self.import_entries({"id": "km-r300", "type": "relic", "commune": "Kiến Minh", "title": "Đình Lạng Côn",
                             "summary": "Đình làng.", "address": "Thôn Lạng Côn"})  # fmt: skip
        import_file(self.write_csv("id,type,commune,title,address\nkm-r300,relic,Kiến Minh,Đình Lạng Côn mới,\n"))
        page = RelicPage.objects.get()
        self.assertEqual((page.title, page.address), ("Đình Lạng Côn mới", "Thôn Lạng Côn"))

    def test_broken_rows_are_reported_by_their_spreadsheet_row_number(self):
        path = self.write_csv(
            "id,type,commune,title,summary,lunar_start,ghi chú\n"
            "km-f301,festival,Kiến Minh,Hội làng,Hội mùa xuân.,10/8,đã kiểm tra\n"
            "km-f302,festival,Kiến Minh,Hội chợ,Hội chợ quê.,tháng tám,\n"
            "km-f303,festival,Kiến Minh,Hội đền,,10/8,\n"
        )
        with self.assertRaises(ImportFailed) as caught:
            import_file(path)
        self.assertEqual(
            [str(problem) for problem in caught.exception.errors],
            [
                "Row 3: lunar_start: Expected day/month such as 10/8 or 10/8 nhuận, not 'tháng tám'.",
                "Row 4: summary: This field cannot be blank.",
            ],
        )
        self.assertEqual(
            [str(problem) for problem in caught.exception.warnings], ["Row 1: Unknown column 'ghi chú' skipped."]
        )
        self.assertFalse(FestivalPage.objects.exists())

    def test_a_cell_that_starts_like_json_must_be_json(self):
        path = self.write_csv(
            'id,type,commune,title,summary,sources\nkm-r301,relic,Kiến Minh,Đình,Đình.,"[{""title"": "\n'
        )
        with self.assertRaises(ImportFailed) as caught:
            import_file(path)
        self.assertIn("Row 2: sources: the cell is not valid JSON", str(caught.exception.errors[0]))


class XlsxImportTests(ImportTestCase):
    def test_a_workbook_with_numbers_dates_and_text(self):
        path = write_xlsx(
            self.folder / "so-le-hoi.xlsx",
            [
                ["id", "type", "commune", "title", "summary", "lunar_start", "interval_years", "frequency", "last_reviewed"],
                ["km-f400", "festival", "Kiến Minh", "Hội đình Đại Trà", "Hội ba năm một lần.", "4/1", 3, "every_n_years",
                 datetime.datetime(2025, 3, 1)],
                ["km-f401", "festival", "Kiến Minh", "Hội chùa", "Hội chùa làng.", datetime.datetime(2025, 8, 10), None, None,
                 None],
            ],
        )  # fmt: skip
        result = import_file(path)
        first, second = FestivalPage.objects.get(source_id="km-f400"), FestivalPage.objects.get(source_id="km-f401")
        self.assertEqual((first.start_day, first.start_month, first.interval_years), (4, 1, 3))
        self.assertEqual(first.last_reviewed, datetime.date(2025, 3, 1))
        # A spreadsheet turns "10/8" into a date; it is read day first, with a warning.
        self.assertEqual((second.start_day, second.start_month), (10, 8))
        self.assertIn("Row 3: lunar_start: a date cell was read as day 10, month 8", str(result.warnings[0]))

    def test_errors_name_the_row_of_the_sheet(self):
        path = write_xlsx(
            self.folder / "so-di-tich.xlsx",
            [
                ["id", "type", "commune", "title", "summary", "ranking"],
                ["km-r400", "relic", "Kiến Minh", "Đình Sâm Linh", "Đình làng.", "national"],
                [None, None, None, None, None, None],
                ["km-r401", "relic", "Kiến Minh", "Chùa Sâm Linh", "Chùa làng.", "tỉnh"],
            ],
        )
        with self.assertRaises(ImportFailed) as caught:
            import_file(path)
        self.assertEqual(len(caught.exception.errors), 1)
        self.assertTrue(str(caught.exception.errors[0]).startswith("Row 4: ranking: 'tỉnh' is not one of: "))
