import importlib

from django.apps import apps as django_apps
from django.test import SimpleTestCase

from heritage.models import PlaqueCode, PlaqueSequence, ProductIndexPage
from heritage.plaques import short_url
from heritage.plaques.codes import assign_code, assign_missing_codes, candidate_codes, find_plaque
from sites.models import RelicIndexPage
from tests.heritage.factories import ProductPageFactory, build_commune, index_of, publish
from tests.heritage.plaques.helpers import PlaqueTestCase, published_relic
from tests.sites.factories import RelicPageFactory


class CandidateCodeTests(SimpleTestCase):
    def test_case_spaces_and_dashes_do_not_matter(self):
        for typed in ("KM-0123", "km-0123", "km 0123", " Km0123 ", "KM – 0123", "km_0123"):
            with self.subTest(typed=typed):
                self.assertEqual(candidate_codes(typed)[0], "KM-0123")

    def test_letters_that_look_like_digits_are_read_as_digits(self):
        self.assertEqual(candidate_codes("KM-O123")[0], "KM-0123")
        self.assertEqual(candidate_codes("KM-0I2L")[0], "KM-0121")

    def test_missing_leading_zeros_are_added(self):
        self.assertEqual(candidate_codes("km 12")[0], "KM-0012")

    def test_a_letter_that_may_belong_to_either_part_gives_both_readings(self):
        self.assertEqual(set(candidate_codes("KML23")), {"KML-0023", "KM-0123"})

    def test_text_that_is_no_code_gives_nothing(self):
        for typed in (
            "",
            "0123",
            "K-0123",
            "KM-",
            "KM-12A",
            "<script>",
            "ĐM-0123",
            "KM-" + "9" * 40,
            "HELLO",
            "km-oil",
        ):
            with self.subTest(typed=typed):
                self.assertEqual(candidate_codes(typed), [])


class AssignmentTests(PlaqueTestCase):
    def test_first_publication_gives_a_code_with_the_commune_prefix(self):
        relic = published_relic(self.setup, title="Đình Kiến Minh")
        self.assertRegex(relic.plaque_code.code, r"^KM-\d{4}$")
        self.assertEqual(relic.plaque_code.commune, self.setup.commune)

    def test_drafts_have_no_code(self):
        relic = RelicPageFactory(parent=index_of(self.setup, RelicIndexPage), live=False)
        relic.save_revision()
        self.assertFalse(PlaqueCode.objects.filter(page=relic).exists())
        self.assertIsNone(short_url(relic))

    def test_publishing_again_keeps_the_code(self):
        relic = published_relic(self.setup)
        code = relic.plaque_code.code
        relic.title = "Đình làng Kiến Minh (đã đổi tên)"
        publish(relic)
        self.assertEqual(PlaqueCode.objects.get(page=relic).code, code)
        self.assertEqual(PlaqueCode.objects.get(page=relic).title, "Đình làng Kiến Minh (đã đổi tên)")

    def test_numbers_follow_each_other_per_commune(self):
        first = published_relic(self.setup)
        second = published_relic(self.setup)
        other = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        third = published_relic(other)
        self.assertEqual(second.plaque_code.number, first.plaque_code.number + 1)
        self.assertEqual(third.plaque_code.code, "AK-0001")

    def test_a_deleted_entry_keeps_its_code_and_the_number_is_never_given_again(self):
        first = published_relic(self.setup, title="Miếu cũ")
        code, number = first.plaque_code.code, first.plaque_code.number
        first.delete()
        orphan = PlaqueCode.objects.get(code=code)
        self.assertIsNone(orphan.page)
        self.assertEqual(orphan.title, "Miếu cũ")
        second = published_relic(self.setup)
        self.assertEqual(second.plaque_code.number, number + 1)

    def test_pages_that_are_not_entries_get_no_code(self):
        count = PlaqueCode.objects.count()
        publish(self.setup.home)
        self.assertEqual(PlaqueCode.objects.count(), count)

    def test_entries_published_before_codes_existed_get_one(self):
        relic = published_relic(self.setup)
        product = publish(ProductPageFactory(parent=index_of(self.setup, ProductIndexPage)))
        PlaqueCode.objects.filter(page__in=[relic, product]).delete()
        given = assign_missing_codes()
        self.assertEqual({plaque.page_id for plaque in given}, {relic.pk, product.pk})
        self.assertEqual(assign_missing_codes(), [])

    def test_the_data_migration_gives_codes_to_older_entries_once(self):
        migration = importlib.import_module("heritage.migrations.0003_assign_plaque_codes")
        relic = published_relic(self.setup)
        PlaqueCode.objects.filter(page=relic).delete()
        migration.assign_codes(django_apps, None)
        migration.assign_codes(django_apps, None)
        codes = PlaqueCode.objects.filter(page=relic)
        self.assertEqual(len(codes), 1)
        self.assertTrue(codes[0].code.startswith("KM-"))
        self.assertEqual(codes[0].commune, self.setup.commune)

    def test_a_sequence_behind_existing_codes_cannot_produce_a_duplicate(self):
        relic = published_relic(self.setup)
        code = relic.plaque_code.code
        self.assertEqual(assign_code(relic).code, code)
        self.assertEqual(PlaqueSequence.objects.get(prefix="KM").last_number, relic.plaque_code.number)

    def test_typed_codes_find_the_plaque(self):
        relic = published_relic(self.setup)
        typed = relic.plaque_code.code.lower().replace("-", " ").replace("0", "o")
        self.assertEqual(find_plaque(typed).page_id, relic.pk)


class ShortUrlTests(PlaqueTestCase):
    def test_short_url_is_on_the_public_host(self):
        relic = published_relic(self.setup)
        self.assertEqual(short_url(relic), f"https://disan.example.vn/q/{relic.plaque_code.code}")

    def test_short_url_costs_one_query_then_none(self):
        relic = published_relic(self.setup)
        with self.assertNumQueries(1):
            short_url(relic)
            short_url(relic)
