import hashlib
import tempfile
from collections import Counter
from io import StringIO
from pathlib import Path
from unittest import skipUnless
from unittest.mock import patch

from django.core.management import call_command
from django.db.models import Q
from django.test import SimpleTestCase, TestCase
from wagtail.models import Page, Revision, Site

from heritage.demo import (
    COMMUNES,
    ENTRY_TYPES,
    fixture_entries,
    generate_images,
    importer_available,
    load_demo,
    read_entries,
    related_ids,
    validate_fixtures,
)
from heritage.models import Commune, EntryLink, EntrySource, HeritagePage, HomePage, Period, Source, Village
from media.models import HeritageImage


class DemoFixtureTests(SimpleTestCase):
    """The demo files themselves, checked without a database or the importer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.entries = fixture_entries()

    def test_demo_files_pass_validation(self):
        self.assertEqual(validate_fixtures(self.entries), [])

    def test_every_file_starts_with_the_format_header(self):
        for spec in COMMUNES:
            with self.subTest(spec.fixture):
                first_line = spec.path.read_text(encoding="utf-8").splitlines()[0]
                self.assertEqual(first_line, '{"format": "heritage-archive", "version": 1}')

    def test_each_commune_has_fifteen_entries_across_all_four_kinds(self):
        for commune, entries in self.entries.items():
            with self.subTest(commune):
                self.assertGreaterEqual(len(entries), 15)
                self.assertEqual(set(Counter(entry["type"] for entry in entries)), set(ENTRY_TYPES))

    def test_festivals_link_to_a_relic_and_people_to_where_they_are_worshipped(self):
        all_entries = {entry["id"]: entry for entries in self.entries.values() for entry in entries}
        for entry in all_entries.values():
            kinds = {all_entries[other]["type"] for other in related_ids(entry)}
            if entry["type"] in {"festival", "person"}:
                with self.subTest(entry["id"]):
                    self.assertIn("relic", kinds)

    def test_a_duplicate_id_is_reported(self):
        entries = {name: list(items) for name, items in self.entries.items()}
        entries["Kiến Minh"].append(dict(entries["Kiến Minh"][0]))
        self.assertIn("Entry id 'km-r001' is used 2 times.", validate_fixtures(entries))

    def test_a_missing_related_entry_is_reported(self):
        entries = {name: [dict(entry) for entry in items] for name, items in self.entries.items()}
        entries["An Khánh"][0]["related"] = ["ak-x999"]
        self.assertIn("ak-r001: related id 'ak-x999' does not exist.", validate_fixtures(entries))

    def test_a_file_without_the_header_is_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bad.jsonl"
            path.write_text('{"id": "x"}\n', encoding="utf-8")
            with self.assertRaisesMessage(Exception, "does not start with"):
                read_entries(path)

    def test_pictures_are_drawn_for_every_reference_and_identical_on_each_run(self):
        entries = self.entries["Kiến Minh"][:2]
        expected = {picture["file"] for entry in entries for picture in [entry["image"], *entry.get("gallery", [])]}
        digests = []
        for _run in range(2):
            with tempfile.TemporaryDirectory() as folder:
                generate_images(entries, folder)
                files = {path.relative_to(folder).as_posix(): path for path in Path(folder).rglob("*.jpg")}
                self.assertEqual(set(files), expected)
                digests.append({name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()})
        self.assertEqual(digests[0], digests[1])


def database_snapshot():
    """How many of each thing the demo creates, to show that a second load adds nothing."""
    return {
        "pages": Page.objects.count(),
        "entries": HeritagePage.objects.count(),
        "links": EntryLink.objects.count(),
        "entry sources": EntrySource.objects.count(),
        "sources": Source.objects.count(),
        "images": HeritageImage.objects.count(),
        "villages": Village.objects.count(),
        "periods": Period.objects.count(),
        "communes": Commune.objects.count(),
        "sites": Site.objects.count(),
    }


@skipUnless(importer_available(), "load_demo_data imports through import_heritage, which is not installed yet.")
class LoadDemoDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = StringIO()
        call_command("load_demo_data", stdout=cls.output)
        cls.snapshot = database_snapshot()

    def entries_of(self, code):
        home = HomePage.objects.get(commune__code=code)
        return HeritagePage.objects.live().descendant_of(home).specific()

    def test_both_communes_have_fifteen_live_entries_across_all_four_kinds(self):
        for spec in COMMUNES:
            with self.subTest(spec.name):
                entries = self.entries_of(spec.code)
                self.assertGreaterEqual(len(entries), 15)
                self.assertEqual({entry.entry_type for entry in entries}, set(ENTRY_TYPES))

    def test_every_demo_entry_is_marked_as_sample(self):
        self.assertTrue(HeritagePage.objects.exists())
        self.assertFalse(HeritagePage.objects.filter(is_sample=False).exists())

    def test_every_fixture_entry_is_imported_under_its_stable_id(self):
        ids = {entry["id"] for entries in fixture_entries().values() for entry in entries}
        self.assertEqual(set(HeritagePage.objects.filter(source_id__in=ids).values_list("source_id", flat=True)), ids)

    def test_related_entries_show_on_both_pages(self):
        links = EntryLink.objects.select_related("source", "target")
        self.assertTrue(links.exists())
        for link in links:
            with self.subTest(f"{link.source.source_id} → {link.target.source_id}"):
                source = link.source.specific
                target = link.target.specific
                self.assertTrue(source.live and target.live)
                self.assertIn(target.pk, [related.page.pk for related in source.related_entries()])
                self.assertIn(source.pk, [related.page.pk for related in target.related_entries()])

    def test_every_related_id_in_the_files_became_a_link(self):
        for entries in fixture_entries().values():
            for entry in entries:
                for other in related_ids(entry):
                    with self.subTest(f"{entry['id']} → {other}"):
                        both_ways = Q(source__source_id=entry["id"], target__source_id=other) | Q(
                            source__source_id=other, target__source_id=entry["id"]
                        )
                        self.assertTrue(EntryLink.objects.filter(both_ways).exists())

    def test_links_say_how_entries_relate(self):
        relation = {
            (link.source.source_id, link.target.source_id): link.relation
            for link in EntryLink.objects.select_related("source", "target")
        }
        self.assertEqual(relation[("km-f001", "km-r001")], "held_at")
        self.assertEqual(relation[("km-f001", "km-p001")], "honours")
        self.assertEqual(relation[("ak-p001", "ak-r001")], "worshipped_at")
        self.assertEqual(relation[("km-p003", "km-r002")], "associated_with")

    def test_communes_keep_their_administrative_history(self):
        commune = Commune.objects.get(code="KM")
        self.assertIn("Xã Đông Phương", commune.former_units)
        self.assertEqual(commune.formed_on.isoformat(), "2025-07-01")

    def test_commune_sites_answer_on_their_hostnames_and_port(self):
        site = Site.objects.get(root_page__homepage__commune__code="AK")
        self.assertEqual((site.hostname, site.port), ("ankhanh.localhost", 8000))
        city = Site.objects.get(is_default_site=True)
        self.assertEqual((city.hostname, city.port), ("127.0.0.1", 8000))

    def test_home_pages_say_the_content_is_sample_content(self):
        for home in HomePage.objects.all():
            with self.subTest(home.title):
                self.assertIn("Nội dung mẫu", home.intro)

    def test_summary_names_both_communes(self):
        output = self.output.getvalue()
        self.assertIn("Kiến Minh", output)
        self.assertIn("An Khánh", output)

    def test_loading_twice_creates_nothing_new(self):
        call_command("load_demo_data", verbosity=0, stdout=StringIO())
        self.assertEqual(database_snapshot(), self.snapshot)

    def test_loading_twice_adds_no_revisions(self):
        revisions = Revision.objects.count()
        call_command("load_demo_data", verbosity=0, stdout=StringIO())
        self.assertEqual(Revision.objects.count(), revisions)


class DemoSetupTests(TestCase):
    """What the loader prepares before it hands the files to the importer, with the importer stubbed."""

    @classmethod
    def setUpTestData(cls):
        cls.imported = []
        with (
            patch("heritage.demo.importer_available", return_value=True),
            patch("heritage.demo.call_command", side_effect=cls.record_import),
        ):
            load_demo(hostname_suffix="demo.test", port=8080)
        cls.snapshot = database_snapshot()

    @classmethod
    def record_import(cls, name, path, files_dir, verbosity, **options):
        cls.imported.append((name, Path(path).name, sorted(p.name for p in Path(files_dir).rglob("*.jpg"))))

    def test_both_files_go_through_the_importer_with_their_pictures(self):
        self.assertEqual(
            [(name, fixture) for name, fixture, _files in self.imported],
            [
                ("import_heritage", "kien-minh.jsonl"),
                ("import_heritage", "an-khanh.jsonl"),
            ],
        )
        self.assertIn("km-r001.jpg", self.imported[0][2])

    def test_commune_sites_are_named_from_the_suffix_and_port(self):
        site = Site.objects.get(root_page__homepage__commune__code="KM")
        self.assertEqual((site.hostname, site.port), ("kienminh.demo.test", 8080))

    def test_villages_and_periods_exist_before_the_import(self):
        self.assertTrue(Village.objects.filter(commune__code="AK", name="Nguyệt Áng").exists())
        self.assertEqual(Period.objects.get(name="Nhà Mạc").start_year, 1527)

    def test_running_the_set_up_again_changes_nothing(self):
        with (
            patch("heritage.demo.importer_available", return_value=True),
            patch("heritage.demo.call_command"),
        ):
            load_demo(hostname_suffix="demo.test", port=8080)
        self.assertEqual(database_snapshot(), self.snapshot)
