import json
import shutil
import tempfile
import unicodedata
from io import StringIO
from pathlib import Path
from unittest.mock import patch

from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation
from wagtail.models import Page, Revision

from festivals.models import FestivalIndexPage, FestivalPage
from heritage.interchange import ImportFailed, import_file
from heritage.interchange.progress import TextProgress
from heritage.models import CityHomePage, EntryLink, HeritagePage, ProductIndexPage, ProductPage, Village
from media.models import HeritageImage
from people.models import PersonIndexPage, PersonPage
from sites.models import RelicIndexPage, RelicPage
from tests.heritage.factories import build_commune, index_of

DATA = Path(__file__).parent / "data"
HEADER = {"format": "heritage-archive", "version": 1}


def write_entries(folder, entries, *, name="entries.jsonl", header=True):
    """A JSON Lines file of ``entries`` in ``folder``, with the format's header line."""
    lines = ([json.dumps(HEADER)] if header else []) + [json.dumps(entry, ensure_ascii=False) for entry in entries]
    path = Path(folder) / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class IsolatedMediaTestCase(TestCase):
    """Uploads go to a folder of the class's own, so parallel test runs cannot remove them."""

    @classmethod
    def setUpClass(cls):
        media_root = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, media_root, ignore_errors=True)
        cls.enterClassContext(override_settings(MEDIA_ROOT=media_root))
        super().setUpClass()


class ImportTestCase(IsolatedMediaTestCase):
    """A commune set up as the archive sets one up, and a scratch folder for files."""

    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()

    def setUp(self):
        # Messages are asserted in English, whatever the Vietnamese catalogue translates.
        self.enterContext(translation.override("en"))
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def import_entries(self, *entries, **options):
        return import_file(write_entries(self.folder, entries), **options)


def relic(source_id="km-r100", **fields):
    return {"id": source_id, "type": "relic", "commune": "Kiến Minh", "title": "Đình Đông Khê",
            "summary": "Ngôi đình cổ của làng Đông Khê.", **fields}  # fmt: skip


class GoodFileTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.result = import_file(DATA / "entries.jsonl")

    def test_every_entry_is_published_under_its_communes_index_of_its_kind(self):
        expected = {
            "km-r001": (RelicPage, RelicIndexPage),
            "km-r002": (RelicPage, RelicIndexPage),
            "km-f001": (FestivalPage, FestivalIndexPage),
            "km-p001": (PersonPage, PersonIndexPage),
        }
        for source_id, (page_class, index_class) in expected.items():
            with self.subTest(source_id):
                page = page_class.objects.get(source_id=source_id)
                self.assertTrue(page.live)
                self.assertEqual(page.get_parent().specific, index_of(self.setup, index_class))

    def test_the_report_counts_what_was_created(self):
        self.assertEqual(len(self.result.created), 5)
        self.assertEqual((self.result.updated, self.result.unchanged), ([], []))

    def test_each_entry_is_saved_as_a_published_revision(self):
        page = RelicPage.objects.get(source_id="km-r001")
        self.assertEqual(page.live_revision, page.latest_revision)
        self.assertFalse(page.has_unpublished_changes)

    def test_an_entry_without_a_commune_goes_to_the_city_site(self):
        product = ProductPage.objects.get(source_id="hp-s001")
        city_index = ProductIndexPage.objects.child_of(CityHomePage.objects.get()).get()
        self.assertEqual(product.get_parent().specific, city_index)

    def test_communes_are_found_by_name_without_diacritics_and_by_code(self):
        self.assertEqual(PersonPage.objects.get(source_id="km-p001").commune, self.setup.commune)
        self.assertEqual(RelicPage.objects.get(source_id="km-r001").commune, self.setup.commune)

    def test_a_ranking_becomes_a_recognition_decision_that_sets_the_rank(self):
        page = RelicPage.objects.get(source_id="km-r001")
        decision = page.recognition_decisions.get()
        self.assertEqual((page.rank, page.inventory_status), ("national", "ranked"))
        self.assertEqual(
            (decision.level, decision.decision_number, decision.decision_year), ("national", "1288/QĐ-BVHTT", 1992)
        )

    def test_an_inventoried_relic_has_no_decision_and_no_rank(self):
        page = RelicPage.objects.get(source_id="km-r002")
        self.assertEqual((page.rank, page.inventory_status), ("", "inventoried"))
        self.assertFalse(page.recognition_decisions.exists())
        self.assertEqual(
            sorted(page.relic_types.values_list("code", flat=True)), ["architectural_artistic", "historical_event"]
        )

    def test_plain_body_text_becomes_escaped_paragraphs(self):
        body = RelicPage.objects.get(source_id="km-r001").body
        self.assertEqual([block.block_type for block in body], ["paragraph", "paragraph"])
        self.assertEqual(body[0].value.source, "<p>Đình dựng trên nền đất cao.<br/>Mặt đình nhìn ra sông.</p>")
        self.assertEqual(body[1].value.source, "<p>Cổng đình có câu đối &lt;cổ&gt; &amp; hoành phi.</p>")

    def test_coordinates_and_village_are_set(self):
        page = RelicPage.objects.get(source_id="km-r001")
        self.assertEqual((str(page.latitude), str(page.longitude)), ("20.781234", "106.658111"))
        self.assertEqual(page.village, Village.objects.get(commune=self.setup.commune, name="Đại Trà"))

    def test_related_entries_resolve_whatever_their_order_in_the_file(self):
        festival = FestivalPage.objects.get(source_id="km-f001")
        relations = {(link.target.source_id, link.relation) for link in festival.links_out.all()}
        self.assertEqual(relations, {("km-r001", "held_at"), ("km-p001", "honours")})

    def test_a_link_shows_on_the_pages_at_both_ends(self):
        relic_page = RelicPage.objects.get(source_id="km-r001")
        self.assertEqual({entry.page.source_id for entry in relic_page.related_entries()}, {"km-f001", "km-p001"})
        link = EntryLink.objects.get(target=relic_page, source__source_id="km-p001")
        self.assertEqual(link.relation, "worshipped_at")

    def test_a_link_listed_from_both_sides_is_stored_once(self):
        links = EntryLink.objects.filter(
            source__source_id__in=["km-f001", "km-r001"], target__source_id__in=["km-f001", "km-r001"]
        )
        self.assertEqual([(link.source.source_id, link.relation) for link in links], [("km-f001", "held_at")])

    def test_the_main_image_goes_to_the_communes_collection_with_its_credit(self):
        image = RelicPage.objects.get(source_id="km-r001").image
        self.assertEqual(
            (image.title, image.credit, image.collection), ("Đình Kiến Minh", "Nguyễn Văn Ảnh", self.setup.collection)
        )

    def test_person_roles_and_years(self):
        person = PersonPage.objects.get(source_id="km-p001")
        self.assertEqual((person.birth_text, person.death_text), ("1240", "1300"))
        self.assertEqual(person.role_list, ["thành hoàng", "tướng nhà Trần"])

    def test_the_pages_are_visible_on_the_commune_site(self):
        response = self.client.get(RelicPage.objects.get(source_id="km-r001").get_url(), HTTP_HOST="kienminh.localhost")
        self.assertEqual(response.status_code, 200)


class BrokenFileTests(ImportTestCase):
    def import_broken(self):
        with self.assertRaises(ImportFailed) as caught:
            import_file(DATA / "broken.jsonl")
        return {problem.number: problem.message for problem in caught.exception.errors}

    def test_every_broken_line_is_reported_with_its_number_and_reason(self):
        errors = self.import_broken()
        expected = {
            2: "unknown id b009",
            3: "Not valid JSON",
            4: "type must be one of",
            5: "Unknown commune 'Xã Không Có'",
            6: "There is no month 13",
            7: "summary",
            8: "no such file images/khong-co.jpg",
            9: "Latitude must be between -90 and 90",
            10: "unknown id khong-co",
            11: "Format version 2 is newer",
        }
        self.assertEqual(sorted(errors), sorted(expected))
        for number, fragment in expected.items():
            with self.subTest(line=number):
                self.assertIn(fragment, errors[number])

    def test_nothing_is_written_when_a_line_is_broken(self):
        self.import_broken()
        self.assertFalse(HeritagePage.objects.exists())
        self.assertFalse(Village.objects.exists())
        self.assertFalse(HeritageImage.objects.exists())

    def test_the_command_lists_the_problems_and_imports_nothing(self):
        with self.assertRaises(CommandError) as caught:
            call_command("import_heritage", str(DATA / "broken.jsonl"), stdout=StringIO(), stderr=StringIO())
        self.assertIn("nothing was imported", str(caught.exception))
        self.assertIn("Line 5: Unknown commune 'Xã Không Có'.", str(caught.exception))

    def test_a_header_of_a_newer_format_version_is_refused(self):
        path = self.folder / "newer.jsonl"
        path.write_text(json.dumps({"format": "heritage-archive", "version": 2}) + "\n" + json.dumps(relic()) + "\n")
        with self.assertRaises(ImportFailed) as caught:
            import_file(path)
        self.assertEqual([problem.number for problem in caught.exception.errors], [1])

    def test_the_same_id_twice_in_a_file_is_an_error_on_the_second_line(self):
        with self.assertRaises(ImportFailed) as caught:
            self.import_entries(relic(), relic(title="Đình khác"))
        self.assertEqual(
            [str(problem) for problem in caught.exception.errors], ["Line 3: id km-r100 is already used on line 2."]
        )

    def test_model_rules_the_admin_applies_are_applied_to_imports(self):
        long_summary = " ".join(["Rất dài."] * 100)
        with self.assertRaises(ImportFailed) as caught:
            self.import_entries(
                relic(summary=long_summary),
                {"id": "km-s100", "type": "product", "commune": "Kiến Minh", "title": "Nón lá", "summary": "Nón lá làng.",
                 "product_kind": "craft", "ocop_stars": 4},
                {"id": "km-f100", "type": "festival", "commune": "Kiến Minh", "title": "Hội làng", "summary": "Hội làng.",
                 "lunar_start": "10/8", "frequency": "every_n_years"},
            )  # fmt: skip
        messages = [str(problem) for problem in caught.exception.errors]
        self.assertIn("Line 2: summary: at most 600 characters (it has 899).", messages)
        self.assertIn("Line 3: ocop_stars: Only OCOP products have stars.", messages)
        self.assertIn("Line 4: interval_years: Say every how many years the festival is held.", messages)

    def test_an_unknown_field_is_reported_and_skipped(self):
        result = self.import_entries(relic(colour="đỏ"))
        self.assertEqual([str(warning) for warning in result.warnings], ["Line 2: Unknown field 'colour' skipped."])
        self.assertTrue(RelicPage.objects.filter(source_id="km-r100").exists())

    def test_a_field_of_another_kind_of_entry_is_reported_and_skipped(self):
        result = self.import_entries(relic(lunar_start="10/8"))
        self.assertEqual(
            [str(warning) for warning in result.warnings],
            ["Line 2: Field 'lunar_start' does not apply to a relic; skipped."],
        )

    def test_an_image_outside_the_files_folder_is_refused(self):
        with self.assertRaises(ImportFailed) as caught:
            self.import_entries(relic(image="../anh.png"))
        self.assertEqual(
            [str(problem) for problem in caught.exception.errors],
            ["Line 2: image: ../anh.png is outside the files folder."],
        )

    def test_image_files_written_before_a_failure_are_removed(self):
        shutil.copy(DATA / "images" / "le-hoi.png", self.folder / "le-hoi.png")
        before = (
            set(default_storage.listdir("original_images")[1]) if default_storage.exists("original_images") else set()
        )
        with (
            patch("heritage.interchange.importer.Importer.publish", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            self.import_entries(relic(image={"file": "le-hoi.png"}))
        after = (
            set(default_storage.listdir("original_images")[1]) if default_storage.exists("original_images") else set()
        )
        self.assertEqual(after, before)
        self.assertFalse(HeritageImage.objects.exists())
        self.assertFalse(HeritagePage.objects.exists())


class ReimportTests(ImportTestCase):
    def test_importing_again_updates_the_entry_instead_of_duplicating_it(self):
        self.import_entries(relic())
        result = self.import_entries(relic(title="Đình làng Đông Khê"))
        page = RelicPage.objects.get(source_id="km-r100")
        self.assertEqual(RelicPage.objects.count(), 1)
        self.assertEqual(page.title, "Đình làng Đông Khê")
        self.assertEqual(Revision.page_revisions.filter(object_id=str(page.pk)).count(), 2)
        self.assertEqual(len(result.updated), 1)

    def test_importing_the_same_file_again_changes_nothing(self):
        path = import_file(DATA / "entries.jsonl") and DATA / "entries.jsonl"
        revisions = Revision.objects.count()
        result = import_file(path)
        self.assertEqual(len(result.unchanged), 5)
        self.assertEqual(Revision.objects.count(), revisions)

    def test_fields_left_out_keep_what_editors_wrote(self):
        self.import_entries(relic(address="Thôn Đông Khê"))
        self.import_entries({"id": "km-r100", "type": "relic", "commune": "Kiến Minh", "title": "Đình Đông Khê (sửa)"})
        self.assertEqual(RelicPage.objects.get().address, "Thôn Đông Khê")

    def test_an_entry_cannot_change_its_type(self):
        self.import_entries(relic())
        with self.assertRaises(ImportFailed) as caught:
            self.import_entries({**relic(), "type": "festival", "lunar_start": "10/8"})
        self.assertIn("an entry cannot change its type", caught.exception.errors[0].message)

    def test_a_new_commune_moves_the_page_to_that_communes_index(self):
        other = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        self.import_entries(relic())
        result = self.import_entries(relic(commune="An Khánh"))
        page = RelicPage.objects.get(source_id="km-r100")
        self.assertEqual(page.get_parent().specific, index_of(other, RelicIndexPage))
        self.assertEqual(len(result.moved), 1)
        self.assertEqual(page.url_path, f"{index_of(other, RelicIndexPage).url_path}{page.slug}/")

    def test_a_moved_entry_leaves_the_village_of_its_old_commune(self):
        build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        self.import_entries(relic(village="Đông Khê"))
        result = self.import_entries(relic(commune="An Khánh"))
        self.assertIsNone(RelicPage.objects.get().village)
        self.assertEqual(
            [str(warning) for warning in result.warnings],
            ["Line 2: village: Đông Khê is in another commune; the entry no longer has a village."],
        )

    def test_related_ids_may_name_entries_already_in_the_archive(self):
        self.import_entries(relic())
        self.import_entries({"id": "km-p100", "type": "person", "commune": "Kiến Minh", "title": "Ngô Quyền",
                             "summary": "Người đánh thắng quân Nam Hán.", "related": ["km-r100"]})  # fmt: skip
        link = EntryLink.objects.get()
        self.assertEqual(
            (link.source.source_id, link.target.source_id, link.relation), ("km-p100", "km-r100", "worshipped_at")
        )

    def test_a_link_stored_from_the_other_side_is_not_duplicated(self):
        self.import_entries(relic(), {"id": "km-p100", "type": "person", "commune": "Kiến Minh", "title": "Ngô Quyền",
                                      "summary": "Người đánh thắng quân Nam Hán.", "related": ["km-r100"]})  # fmt: skip
        self.import_entries(relic(related=["km-p100"]))
        self.assertEqual(EntryLink.objects.count(), 1)

    def test_an_explicit_relation_is_kept(self):
        self.import_entries(
            relic(related=[{"id": "km-s100", "relation": "associated_with"}]),
            {"id": "km-s100", "type": "product", "commune": "Kiến Minh", "title": "Chiếu cói",
             "summary": "Chiếu dệt tay.", "product_kind": "craft"},
        )  # fmt: skip
        self.assertEqual(EntryLink.objects.get().relation, "associated_with")

    def test_an_unchanged_image_file_is_reused(self):
        shutil.copy(DATA / "images" / "dinh-kien-minh.png", self.folder / "dinh.png")
        self.import_entries(relic(image={"file": "dinh.png", "title": "Đình Đông Khê"}))
        self.import_entries(relic(title="Đình Đông Khê mới", image={"file": "dinh.png"}))
        self.assertEqual(HeritageImage.objects.count(), 1)
        self.assertEqual(RelicPage.objects.get().image, HeritageImage.objects.get())


class TextFormTests(ImportTestCase):
    def test_decomposed_text_is_stored_precomposed(self):
        decomposed = {
            name: unicodedata.normalize("NFD", value) for name, value in relic(body="Đền thờ Trần Hưng Đạo.").items()
        }
        decomposed["other_names"] = [unicodedata.normalize("NFD", "Đình cả")]
        self.import_entries(decomposed)
        page = RelicPage.objects.get()
        self.assertEqual(page.title, "Đình Đông Khê")
        self.assertEqual(page.summary, "Ngôi đình cổ của làng Đông Khê.")
        self.assertEqual(page.body[0].value.source, "<p>Đền thờ Trần Hưng Đạo.</p>")
        self.assertEqual(page.other_names.get().name, "Đình cả")
        self.assertTrue(all(unicodedata.is_normalized("NFC", text) for text in (page.title, page.summary)))

    def test_decomposed_commune_names_are_matched(self):
        self.import_entries(relic(commune=unicodedata.normalize("NFD", "Xã Kiến Minh")))
        self.assertEqual(RelicPage.objects.get().commune, self.setup.commune)


class DryRunTests(ImportTestCase):
    def test_a_dry_run_writes_nothing(self):
        result = import_file(DATA / "entries.jsonl", dry_run=True)
        self.assertEqual(len(result.created), 5)
        self.assertFalse(HeritagePage.objects.exists())
        self.assertFalse(HeritageImage.objects.exists())
        self.assertFalse(Village.objects.exists())

    def test_a_dry_run_reports_what_would_be_created_and_updated(self):
        self.import_entries(relic())
        output = StringIO()
        path = write_entries(self.folder, [relic(title="Đình Đông Khê (sửa)"), relic("km-r101", title="Miếu Đông Khê")])
        call_command("import_heritage", str(path), "--dry-run", stdout=output, stderr=StringIO())
        self.assertIn("Would create: km-r101 (relic) Miếu Đông Khê", output.getvalue())
        self.assertIn("Would update: km-r100 (relic) Đình Đông Khê (sửa)", output.getvalue())
        self.assertIn("Dry run, nothing written: 1 created, 1 updated", output.getvalue())
        self.assertEqual(RelicPage.objects.get().title, "Đình Đông Khê")


class DraftTests(ImportTestCase):
    def test_draft_leaves_the_new_revision_unpublished(self):
        self.import_entries(relic())
        self.import_entries(relic(title="Đình Đông Khê (bản nháp)"), draft=True)
        page = RelicPage.objects.get()
        self.assertEqual(page.title, "Đình Đông Khê")
        self.assertTrue(page.has_unpublished_changes)
        self.assertEqual(page.get_latest_revision_as_object().title, "Đình Đông Khê (bản nháp)")

    def test_an_editors_draft_is_not_published_by_an_import_that_changes_nothing(self):
        self.import_entries(relic())
        page = RelicPage.objects.get()
        page.address = "Thôn Đông Khê (đang duyệt)"
        page.save_revision()
        result = self.import_entries(relic())
        self.assertEqual(len(result.unchanged), 1)
        self.assertTrue(RelicPage.objects.get().has_unpublished_changes)

    def test_an_import_that_changes_a_page_with_a_draft_says_the_draft_is_published(self):
        self.import_entries(relic())
        page = RelicPage.objects.get()
        page.address = "Thôn Đông Khê (đang duyệt)"
        page.save_revision()
        result = self.import_entries(relic(title="Đình Đông Khê mới"))
        self.assertEqual(
            [str(warning) for warning in result.warnings],
            ["Line 2: The page had unpublished changes; they are published with this import."],
        )
        self.assertEqual(RelicPage.objects.get().address, "Thôn Đông Khê (đang duyệt)")

    def test_an_entry_imported_as_draft_is_published_by_the_next_import(self):
        self.import_entries(relic(), draft=True)
        result = self.import_entries(relic())
        self.assertEqual(len(result.updated), 1)
        self.assertTrue(RelicPage.objects.get().live)

    def test_a_new_entry_imported_as_draft_is_not_live(self):
        self.import_entries(relic(), draft=True)
        self.assertFalse(Page.objects.get(pk=RelicPage.objects.get().pk).live)


class CommandOutputTests(ImportTestCase):
    def test_the_command_reports_counts_and_respects_verbosity(self):
        output = StringIO()
        call_command("import_heritage", str(DATA / "entries.jsonl"), stdout=output, stderr=StringIO())
        self.assertIn("5 created, 0 updated, 0 unchanged", output.getvalue())
        quiet = StringIO()
        call_command("import_heritage", str(DATA / "entries.jsonl"), verbosity=0, stdout=quiet, stderr=StringIO())
        self.assertEqual(quiet.getvalue(), "")

    def test_a_missing_file_is_a_command_error(self):
        with self.assertRaisesMessage(CommandError, "No such file"):
            call_command("import_heritage", str(self.folder / "none.jsonl"), stdout=StringIO())


class JsonArrayTests(ImportTestCase):
    def test_a_json_file_may_hold_an_array_of_entries(self):
        path = self.folder / "kho.json"
        path.write_text(json.dumps([HEADER, relic(), relic("km-r101", title="Miếu Đông Khê")], ensure_ascii=False))
        result = import_file(path)
        self.assertEqual((len(result.created), result.unit), (2, "item"))


class ProgressTests(SimpleTestCase):
    def test_a_large_file_shows_its_progress_a_tenth_at_a_time_in_a_log(self):
        stream = StringIO()
        progress = TextProgress(stream, minimum=100)
        progress.start(1000, "Checking")
        for _entry in range(1000):
            progress.advance()
        progress.finish()
        lines = stream.getvalue().splitlines()
        self.assertEqual(len(lines), 11)
        self.assertEqual(lines[-1], "Checking  [##############################] 100%  1000/1000")

    def test_a_small_file_shows_no_progress(self):
        stream = StringIO()
        progress = TextProgress(stream, minimum=100)
        progress.start(10, "Checking")
        progress.advance(10)
        progress.finish()
        self.assertEqual(stream.getvalue(), "")
