import datetime
import shutil
import tempfile
from pathlib import Path

from festivals.models import FestivalPage
from heritage.interchange import ImportFailed, import_file
from heritage.models import Period, ProductPage, Source, Village
from media.models import HeritageImage
from people.models import PersonPage
from sites.models import RelicPage
from tests.heritage.factories import SourceFactory
from tests.heritage.test_import import DATA, ImportTestCase, write_entries

SOURCE = {
    "kind": "book",
    "authors": "Nguyễn Văn A; Trần Thị B",
    "title": "Địa chí Kiến Thụy",
    "publisher": "Nhà xuất bản Hải Phòng",
    "place": "Hải Phòng",
    "year": 2010,
    "locator": "tr. 45–47",
    "citation_note": "Về ngày hội làng.",
}

RELIC = {
    "id": "km-r200",
    "type": "relic",
    "commune": "Kiến Minh",
    "title": "Đình Đại Trà",
    "english_title": "Đại Trà Communal House",
    "official_name": "Đình Đại Trà",
    "other_names": ["Đình cả", {"name": "Đình tổng", "kind": "former", "origin": "Tên thời tổng Đại Trà."}],
    "tags": ["đình làng", "thành hoàng"],
    "period": {"name": "Nhà Nguyễn", "start_year": 1802, "end_year": 1945, "kind": "dynasty"},
    "village": "Đại Trà",
    "summary": "Ngôi đình của làng Đại Trà.",
    "body": "Đình nằm giữa làng.",
    "significance": "Nơi lưu giữ ký ức của tổng Đại Trà.\n\nGắn với tục thi pháo.",
    "decisions": [
        {"level": "city", "number": "12/QĐ-UB", "date": "1998-03-15", "issuing_body": "UBND thành phố Hải Phòng"},
        {"level": "national", "number": "548/QĐ-BVHTTDL", "year": 2012, "signer": "Hoàng Tuấn Anh",
         "certificate_date": "2012-06-01"},
    ],  # fmt: skip
    "category": ["historical", "architectural_artistic"],
    "type_wording": "Di tích lịch sử - văn hóa",
    "phases": [
        {"kind": "built", "date": "khoảng 1700", "description": "Dựng đình gỗ."},
        {"kind": "restored", "date": "1998"},
    ],
    "address": "Làng Đại Trà, xã Kiến Minh",
    "former_address": "Làng Đại Trà, xã Đông Phương, huyện Kiến Thụy",
    "address_changed_on": "2025-07-01",
    "managing_body": "UBND xã Kiến Minh",
    "representative": "Cụ Nguyễn Văn Từ",
    "representative_phone": "0225 3 812 345",
    "opening_hours": "7:00–17:00",
    "admission": "Miễn phí",
    "access": "Từ trung tâm xã đi 2 km theo đường liên thôn.",
    "lat": "20.7812",
    "lon": "106,6581",
    "sources": [SOURCE],
    "image": {"file": "dinh.png", "title": "Đình Đại Trà nhìn từ sân", "caption": "Mặt tiền đình",
              "credit": "Phòng Văn hóa xã", "licence": "CC BY-SA 4.0", "date_taken": "2024-02-10"},
    "gallery": [{"file": "dinh.png"}, {"file": "hoi.png", "caption": "Rước kiệu"}],
    "last_reviewed": "2025-08-01",
    "sample": True,
}  # fmt: skip

FESTIVAL = {
    "id": "km-f200",
    "type": "festival",
    "commune": "Kiến Minh",
    "title": "Lễ kỷ niệm ngày thành lập xã",
    "summary": "Ngày hội của xã mới.",
    "calendar": "solar",
    "solar_start": {"month": 7, "day": 1},
    "solar_end": "3/7",
    "frequency": "every_n_years",
    "interval_years": 5,
    "scale": "commune",
    "location": "Sân vận động xã",
    "stages": [
        {"kind": "rites", "name": "Dâng hương", "start": {"month": 7, "day": 1}, "description": "Tại đình Đại Trà."},
        {"kind": "festivities", "name": "Hội thao", "start": "2/7", "end": "3/7"},
    ],
    "programme": [{"day": "Ngày 1/7", "time": "7:00", "title": "Khai mạc", "description": "Đánh trống khai hội."}],
    "listing": {"level": "national", "decision_number": "1234/QĐ-BVHTTDL", "date": "2020-05-04"},
}

PERSON = {
    "id": "km-p200",
    "type": "person",
    "commune": "Kiến Minh",
    "title": "Trần Quốc Thi",
    "summary": "Thân vương nhà Trần.",
    "birth": "khoảng 1230",
    "birth_year": 1999,
    "death": "thế kỷ XIII",
    "birthplace": "Thăng Long",
    "roles": "thân vương; thành hoàng",
    "period": "Nhà Nguyễn",
}

PRODUCT = {
    "id": "km-s200",
    "type": "product",
    "commune": "Kiến Minh",
    "title": "Nước mắm Kiến Minh",
    "summary": "Nước mắm cá cơm ủ chượp.",
    "product_kind": "ocop",
    "ocop_stars": 4,
    "maker": {"name": "Hợp tác xã Kiến Minh", "phone": "0912 345 678", "address": "Thôn Sâm Linh",
              "website": "https://kienminh.example.vn"},
    "lat": 20.77,
    "lon": 106.65,
}  # fmt: skip


def copy_images(folder):
    shutil.copy(DATA / "images" / "dinh-kien-minh.png", folder / "dinh.png")
    shutil.copy(DATA / "images" / "le-hoi.png", folder / "hoi.png")


class ExtendedFieldsTests(ImportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.existing_source = SourceFactory(title=SOURCE["title"], authors=SOURCE["authors"], year=2010)
        folder = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, folder, ignore_errors=True)
        copy_images(folder)
        import_file(write_entries(folder, [RELIC, FESTIVAL, PERSON, PRODUCT]))

    def setUp(self):
        super().setUp()
        copy_images(self.folder)

    def test_names_tags_period_and_village(self):
        page = RelicPage.objects.get(source_id="km-r200")
        self.assertEqual(page.english_title, "Đại Trà Communal House")
        self.assertEqual(
            [(name.name, name.kind, name.origin) for name in page.other_names.all()],
            [("Đình cả", "other", ""), ("Đình tổng", "former", "Tên thời tổng Đại Trà.")],
        )
        self.assertEqual(sorted(tag.name for tag in page.tags.all()), ["thành hoàng", "đình làng"])
        self.assertEqual(page.period, Period.objects.get(name="Nhà Nguyễn", start_year=1802, end_year=1945))
        self.assertEqual(page.village, Village.objects.get(name="Đại Trà", commune=self.setup.commune))

    def test_a_period_named_by_another_entry_is_the_one_created(self):
        self.assertEqual(PersonPage.objects.get().period, Period.objects.get())

    def test_an_existing_source_with_the_same_title_authors_and_year_is_reused(self):
        link = RelicPage.objects.get(source_id="km-r200").source_links.get()
        self.assertEqual(link.source, self.existing_source)
        self.assertEqual((link.locator, link.note), ("tr. 45–47", "Về ngày hội làng."))
        self.assertEqual(Source.objects.count(), 1)

    def test_the_main_image_keeps_its_caption_credit_licence_and_date(self):
        image = RelicPage.objects.get(source_id="km-r200").image
        self.assertEqual(
            (image.title, image.caption, image.credit, image.licence, image.date_taken),
            (
                "Đình Đại Trà nhìn từ sân",
                "Mặt tiền đình",
                "Phòng Văn hóa xã",
                "CC BY-SA 4.0",
                datetime.date(2024, 2, 10),
            ),
        )
        self.assertEqual(image.collection, self.setup.collection)

    def test_the_gallery_is_appended_to_the_body_and_reuses_the_same_file(self):
        page = RelicPage.objects.get(source_id="km-r200")
        self.assertEqual([block.block_type for block in page.body], ["paragraph", "gallery"])
        images = [item["image"] for item in page.body[1].value["images"]]
        self.assertEqual(images[0], page.image)
        self.assertEqual(images[1].caption, "Rước kiệu")
        self.assertEqual(HeritageImage.objects.count(), 2)

    def test_the_record_fields(self):
        page = RelicPage.objects.get(source_id="km-r200")
        self.assertEqual(page.last_reviewed, datetime.date(2025, 8, 1))
        self.assertTrue(page.is_sample)

    def test_decisions_set_the_rank_from_the_latest(self):
        page = RelicPage.objects.get(source_id="km-r200")
        decisions = [(d.level, d.decision_number, d.decision_year) for d in page.recognition_decisions.all()]
        self.assertEqual(decisions, [("city", "12/QĐ-UB", 1998), ("national", "548/QĐ-BVHTTDL", 2012)])
        self.assertEqual((page.rank, page.inventory_status), ("national", "ranked"))

    def test_relic_identity_address_and_visiting_details(self):
        page = RelicPage.objects.get(source_id="km-r200")
        self.assertEqual(
            sorted(page.relic_types.values_list("code", flat=True)), ["architectural_artistic", "historical"]
        )
        self.assertEqual(page.significance, "<p>Nơi lưu giữ ký ức của tổng Đại Trà.</p><p>Gắn với tục thi pháo.</p>")
        self.assertEqual((page.address_changed_on, page.admission), (datetime.date(2025, 7, 1), "Miễn phí"))
        self.assertEqual((str(page.latitude), str(page.longitude)), ("20.781200", "106.658100"))

    def test_phases_keep_their_wording_and_get_years(self):
        phases = RelicPage.objects.get(source_id="km-r200").phases.all()
        self.assertEqual([(p.kind, p.date_text, p.year_start, p.year_end) for p in phases],
                         [("built", "khoảng 1700", 1695, 1705), ("restored", "1998", 1998, 1998)])  # fmt: skip

    def test_a_solar_festival_with_stages_programme_and_listing(self):
        page = FestivalPage.objects.get()
        self.assertEqual(
            (page.calendar, page.start_month, page.start_day, page.end_month, page.end_day), ("solar", 7, 1, 7, 3)
        )
        self.assertEqual((page.frequency, page.interval_years, page.scale), ("every_n_years", 5, "commune"))
        self.assertEqual([(s.kind, s.name, s.start_day, s.end_day) for s in page.stages.all()],
                         [("rites", "Dâng hương", 1, None), ("festivities", "Hội thao", 2, 3)])  # fmt: skip
        self.assertEqual(page.programme[0].value["title"], "Khai mạc")
        self.assertEqual((page.listing, page.listing_date), ("national", datetime.date(2020, 5, 4)))

    def test_life_wording_overrides_the_plain_years(self):
        person = PersonPage.objects.get()
        self.assertEqual(
            (person.birth_text, person.birth_year_start, person.birth_year_end), ("khoảng 1230", 1225, 1235)
        )
        self.assertEqual((person.death_year_start, person.death_year_end), (1201, 1300))
        self.assertEqual((person.birthplace, person.role_list), ("Thăng Long", ["thân vương", "thành hoàng"]))

    def test_a_product_with_its_maker(self):
        product = ProductPage.objects.get()
        self.assertEqual((product.product_kind, product.ocop_stars), ("ocop", 4))
        self.assertEqual((product.maker_name, product.maker_phone), ("Hợp tác xã Kiến Minh", "0912 345 678"))
        self.assertEqual(product.maker_website, "https://kienminh.example.vn")

    def test_importing_the_same_entries_again_changes_nothing(self):
        result = self.import_entries(RELIC, FESTIVAL, PERSON, PRODUCT)
        self.assertEqual(len(result.unchanged), 4)
        self.assertEqual(HeritageImage.objects.count(), 2)

    def test_a_ranking_matching_the_latest_decision_keeps_the_decisions(self):
        self.import_entries({"id": "km-r200", "type": "relic", "commune": "Kiến Minh", "ranking": "national"})
        self.assertEqual(RelicPage.objects.get(source_id="km-r200").recognition_decisions.count(), 2)

    def test_an_empty_value_clears_a_field(self):
        self.import_entries(
            {"id": "km-r200", "type": "relic", "commune": "Kiến Minh", "other_names": [], "village": None}
        )
        page = RelicPage.objects.get(source_id="km-r200")
        self.assertFalse(page.other_names.exists())
        self.assertIsNone(page.village)


class ExtendedFieldErrorsTests(ImportTestCase):
    def errors(self, *entries):
        with self.assertRaises(ImportFailed) as caught:
            self.import_entries(*entries)
        return [str(problem) for problem in caught.exception.errors]

    def test_an_unknown_period_name_asks_for_its_years(self):
        self.assertEqual(
            self.errors({**PERSON, "period": "Nhà Hồ"}),
            ["Line 2: period: unknown period 'Nhà Hồ'; give its start_year to create it."],
        )

    def test_choices_list_the_values_allowed(self):
        messages = self.errors({**PERSON, "other_names": [{"name": "Ông Thi", "kind": "nickname"}]})
        self.assertEqual(len(messages), 1)
        self.assertIn("other_names[1] kind: 'nickname' is not one of: other, former, folk", messages[0])

    def test_an_unreadable_value_inside_a_list_item_names_its_key(self):
        decisions = [{"level": "national", "date": "không rõ"}]
        stages = [{"name": "Rước nước", "start": "ba mươi"}]
        messages = self.errors({**RELIC, "decisions": decisions}, {**FESTIVAL, "stages": stages})
        self.assertEqual(len(messages), 2)
        self.assertIn("decisions[1] date: ", messages[0])
        self.assertIn("stages[1] start: ", messages[1])

    def test_an_unreadable_phase_date_is_refused_by_the_models_rule(self):
        messages = self.errors(
            {**RELIC, "image": None, "gallery": [], "phases": [{"kind": "built", "date": "hồi xưa"}]}
        )
        self.assertEqual(messages, ["Line 2: phases[1] date: Cannot read a year in 'hồi xưa'."])

    def test_a_death_before_the_birth_is_refused(self):
        self.assertEqual(
            self.errors({**PERSON, "period": None, "birth": "1300", "death": "1250"}),
            ["Line 2: death: The death date is before the birth date."],
        )

    def test_a_stage_without_a_start_is_refused(self):
        messages = self.errors({**FESTIVAL, "stages": [{"name": "Rước nước"}]})
        self.assertEqual(messages, ["Line 2: stages[1] start: This field cannot be null."])

    def test_a_leap_month_on_the_solar_calendar_is_refused(self):
        messages = self.errors({**FESTIVAL, "solar_start": "1/7 nhuận"})
        self.assertEqual(messages, ["Line 2: solar_start: Only lunar months can be leap months."])

    def test_a_village_needs_a_commune(self):
        messages = self.errors({**PRODUCT, "commune": None, "village": "Sâm Linh"})
        self.assertEqual(messages, ["Line 2: village: an entry of no commune cannot have a village."])

    def test_a_file_that_is_not_an_image_is_refused_like_in_the_admin(self):
        (self.folder / "anh.jpg").write_text("không phải ảnh")
        messages = self.errors({**PRODUCT, "image": "anh.jpg"})
        self.assertEqual(len(messages), 1)
        self.assertTrue(messages[0].startswith("Line 2: image: anh.jpg: "))


class UpdateWithNewObjectsTests(ImportTestCase):
    def test_an_update_may_bring_new_periods_villages_sources_tags_and_images(self):
        minimal = {key: RELIC[key] for key in ("id", "type", "commune", "title", "summary")}
        self.import_entries(minimal)
        copy_images(self.folder)
        extended = {key: RELIC[key] for key in ("period", "village", "sources", "tags", "image", "gallery")}
        self.import_entries({**minimal, **extended})
        page = RelicPage.objects.get()
        self.assertEqual(page.period.name, "Nhà Nguyễn")
        self.assertEqual(page.village.name, "Đại Trà")
        self.assertEqual(page.source_links.get().source.title, "Địa chí Kiến Thụy")
        self.assertEqual(sorted(tag.name for tag in page.tags.all()), ["thành hoàng", "đình làng"])
        self.assertEqual(page.image.title, "Đình Đại Trà nhìn từ sân")
        self.assertEqual(
            [item["image"].caption for item in page.body[-1].value["images"]], ["Mặt tiền đình", "Rước kiệu"]
        )
        self.assertFalse(page.has_unpublished_changes)
