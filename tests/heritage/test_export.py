import csv
import io
import json
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import translation
from taggit.models import Tag
from wagtail.models import Page

from heritage.interchange import export_entries, import_file
from heritage.models import HeritagePage, Period, Source, Village
from media.models import HeritageImage
from tests.heritage.factories import build_commune
from tests.heritage.test_import import DATA, IsolatedMediaTestCase, write_entries
from tests.heritage.test_import_extended import FESTIVAL, PERSON, PRODUCT, RELIC, copy_images

PAGE_FIELDS = {model_field.name for model_field in Page._meta.concrete_fields} | {"page_ptr", "heritagepage_ptr"}


def import_sample_archive(folder):
    """The good sample file and one entry of each kind with every extended field."""
    import_file(DATA / "entries.jsonl")
    copy_images(folder)
    linked = {**PERSON, "related": [{"id": "km-r200", "relation": "associated_with"}, "km-f001"]}
    import_file(write_entries(folder, [RELIC, FESTIVAL, linked, PRODUCT], name="extended.jsonl"))


def image_signature(image):
    if image is None:
        return None
    return (
        image.file_hash,
        image.title,
        image.caption,
        image.credit,
        image.licence,
        image.date_taken,
        image.collection.name,
    )


def stream_signature(stream):
    signature = []
    for block in stream:
        if block.block_type == "gallery":
            signature.append(("gallery", [image_signature(item["image"]) for item in block.value["images"]]))
        elif hasattr(block.value, "source"):
            signature.append((block.block_type, block.value.source))
        else:
            signature.append((block.block_type, dict(block.value)))
    return signature


def field_signature(page, model_field):
    value = getattr(page, model_field.name)
    if model_field.name == "period":
        return value and (value.name, value.kind, value.start_year, value.end_year)
    if model_field.name == "village":
        return value and (value.name, value.commune.name)
    if model_field.name == "image":
        return image_signature(value)
    if hasattr(value, "stream_block"):
        return stream_signature(value)
    return str(value) if value is not None else None


def archive_snapshot():
    """Every entry as an editor sees it, read from the models (not through the exporter)."""
    snapshot = {}
    for page in HeritagePage.objects.live().specific():
        fields = {
            model_field.name: field_signature(page, model_field)
            for model_field in type(page)._meta.concrete_fields
            if model_field.name not in PAGE_FIELDS or model_field.name == "title"
        }
        fields["commune"] = page.commune.name if page.commune else None
        fields["kind"] = page.entry_type
        fields["other_names"] = [(name.name, name.kind, name.origin) for name in page.other_names.all()]
        fields["tags"] = sorted(tag.name for tag in page.tags.all())
        fields["sources"] = [
            (link.source.kind, link.source.authors, link.source.title, link.source.year, link.source.publisher, link.locator, link.note)
            for link in page.source_links.all()
        ]  # fmt: skip
        fields["links"] = sorted((link.target.source_id, link.relation) for link in page.links_out.all())
        if page.entry_type == "relic":
            fields["decisions"] = [
                (
                    d.level,
                    d.decision_number,
                    d.decision_date,
                    d.decision_year,
                    d.issuing_body,
                    d.signer,
                    d.certificate_date,
                )
                for d in page.recognition_decisions.all()
            ]
            fields["phases"] = [
                (p.kind, p.date_text, p.year_start, p.year_end, p.description) for p in page.phases.all()
            ]
            fields["relic_types"] = sorted(page.relic_types.values_list("code", flat=True))
        if page.entry_type == "festival":
            fields["stages"] = [
                (s.kind, s.name, s.start_month, s.start_day, s.start_leap, s.end_month, s.end_day, s.description)
                for s in page.stages.all()
            ]
        snapshot[page.source_id] = fields
    return snapshot


def empty_the_archive():
    for page in HeritagePage.objects.all():
        Page.objects.get(pk=page.pk).delete()
    Source.objects.all().delete()
    Period.objects.all().delete()
    Village.objects.all().delete()
    HeritageImage.objects.all().delete()
    Tag.objects.all().delete()


class ExportTestCase(IsolatedMediaTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.other = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        folder = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, folder, ignore_errors=True)
        import_sample_archive(folder)

    def setUp(self):
        self.enterContext(translation.override("en"))
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def export(self, **options):
        stream = StringIO()
        result = export_entries(stream, **options)
        return stream.getvalue(), result


class JsonLinesExportTests(ExportTestCase):
    def records(self, **options):
        text, _result = self.export(**options)
        lines = text.splitlines()
        return json.loads(lines[0]), {record["id"]: record for record in map(json.loads, lines[1:])}

    def test_the_first_line_is_the_format_header(self):
        header, _records = self.records()
        self.assertEqual(header, {"format": "heritage-archive", "version": 1})

    def test_every_published_entry_is_written(self):
        _header, records = self.records()
        self.assertEqual(len(records), HeritagePage.objects.live().count())

    def test_a_relic_is_written_with_its_extended_fields(self):
        record = self.records()[1]["km-r200"]
        self.assertEqual(record["commune"], "Kiến Minh")
        self.assertEqual(record["ranking"], "national")
        self.assertEqual(record["decisions"][1], {"level": "national", "number": "548/QĐ-BVHTTDL", "year": 2012,
                                                  "signer": "Hoàng Tuấn Anh", "certificate_date": "2012-06-01"})  # fmt: skip
        self.assertEqual(record["other_names"][0], "Đình cả")
        self.assertEqual(
            record["period"], {"name": "Nhà Nguyễn", "start_year": 1802, "end_year": 1945, "kind": "dynasty"}
        )
        self.assertEqual(record["sources"][0]["locator"], "tr. 45–47")
        self.assertEqual(record["image"]["licence"], "CC BY-SA 4.0")
        self.assertEqual(len(record["gallery"]), 2)
        self.assertEqual((record["lat"], record["lon"]), (20.7812, 106.6581))
        self.assertEqual(record["significance"], "Nơi lưu giữ ký ức của tổng Đại Trà.\n\nGắn với tục thi pháo.")

    def test_links_use_the_plain_id_when_the_relation_is_the_usual_one(self):
        records = self.records()[1]
        self.assertEqual(records["km-f001"]["related"], ["km-r001", "km-p001"])
        self.assertEqual(records["km-p200"]["related"], [{"id": "km-r200", "relation": "associated_with"}, "km-f001"])

    def test_an_entry_of_no_commune_has_no_commune_field(self):
        self.assertNotIn("commune", self.records()[1]["hp-s001"])

    def test_one_communes_entries_and_the_links_left_out(self):
        import_file(write_entries(self.folder, [{"id": "ak-r001", "type": "relic", "commune": "An Khánh",
                                                 "title": "Đình Nguyệt Áng", "summary": "Đình làng.", "related": ["km-r001"]}]))  # fmt: skip
        text, result = self.export(commune="an khanh")
        self.assertEqual([json.loads(line)["id"] for line in text.splitlines()[1:]], ["ak-r001"])
        self.assertEqual(result.skipped_links, [("ak-r001", "km-r001")])

    def test_drafts_are_left_out_unless_asked_for(self):
        import_file(write_entries(self.folder, [{"id": "km-r900", "type": "relic", "commune": "Kiến Minh",
                                                 "title": "Đình nháp", "summary": "Chưa duyệt."}]), draft=True)  # fmt: skip
        self.assertNotIn("km-r900", self.records()[1])
        self.assertIn("km-r900", self.records(include_drafts=True)[1])


class CsvExportTests(ExportTestCase):
    def test_the_same_columns_flattened(self):
        text, _result = self.export(format="csv")
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
        self.assertEqual(rows["km-p001"]["roles"], "thành hoàng; tướng nhà Trần")
        self.assertEqual(rows["km-f001"]["lunar_start"], "10/8")
        self.assertEqual(rows["km-s200"]["maker.name"], "Hợp tác xã Kiến Minh")
        self.assertEqual(rows["km-r200"]["period.name"], "Nhà Nguyễn")
        self.assertEqual(json.loads(rows["km-f200"]["stages"])[0]["name"], "Dâng hương")


class ExportCommandTests(ExportTestCase):
    def test_the_command_writes_to_standard_output(self):
        output = StringIO()
        call_command("export_heritage", stdout=output)
        self.assertEqual(json.loads(output.getvalue().splitlines()[0])["format"], "heritage-archive")

    def test_a_csv_file_opens_in_spreadsheets_as_utf8(self):
        path = self.folder / "so.csv"
        call_command("export_heritage", "--format", "csv", "--output", str(path), stdout=StringIO())
        self.assertTrue(path.read_bytes().startswith("\ufeffid,".encode()))

    def test_an_unknown_commune_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "Unknown commune 'Không Có'"):
            call_command("export_heritage", "--commune", "Không Có", stdout=StringIO())


class RoundTripTests(ExportTestCase):
    def round_trip(self, format):
        before = archive_snapshot()
        files = self.folder / "files"
        path = self.folder / f"kho.{format}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            export_entries(handle, format=format, files_dir=files)
        empty_the_archive()
        self.assertFalse(HeritagePage.objects.exists())
        import_file(path, files_dir=files)
        return before, archive_snapshot()

    def test_exporting_and_importing_into_an_empty_site_gives_the_same_entries(self):
        before, after = self.round_trip("jsonl")
        self.assertEqual(sorted(after), sorted(before))
        for source_id, fields in before.items():
            with self.subTest(source_id):
                self.assertEqual(after[source_id], fields)

    def test_the_csv_export_round_trips_too(self):
        before, after = self.round_trip("csv")
        for source_id, fields in before.items():
            with self.subTest(source_id):
                self.assertEqual(after[source_id], fields)

    def test_the_snapshot_sees_the_extended_fields(self):
        snapshot = archive_snapshot()["km-r200"]
        self.assertEqual(len(snapshot["decisions"]), 2)
        self.assertEqual(snapshot["links"], [])
        self.assertEqual(
            archive_snapshot()["km-p200"]["links"], [("km-f001", "related"), ("km-r200", "associated_with")]
        )
