import datetime

from bs4 import BeautifulSoup
from django.core.cache import cache
from wagtail.test.utils import WagtailPageTestCase

from festivals.models import FestivalIndexPage
from heritage.models import EntryLink, EntryName, EntrySource
from sites.models import RecognitionDecision, RelicIndexPage, RelicPage, RelicPhase, RelicType
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import ImageFactory, PeriodFactory, SourceFactory, VillageFactory, build_commune, index_of
from tests.sites.factories import RelicPageFactory

COMMUNE_HOST = "kienminh.localhost"


class RelicPageTestCase(WagtailPageTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rendered fragments and the menu are cached between requests
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def soup(self, response):
        return BeautifulSoup(response.content, "html.parser")


def fill_relic(relic, source):
    """Give a relic decisions, phases, names, types and tags, the way editors fill one in."""
    relic.relic_types.set(RelicType.objects.filter(code__in=["historical", "architectural_artistic"]))
    RecognitionDecision.objects.create(
        page=relic,
        level="city",
        decision_number="1234/QĐ-UBND",
        decision_date=datetime.date(2005, 3, 1),
        issuing_body="UBND thành phố Hải Phòng",
    )
    RecognitionDecision.objects.create(
        page=relic, level="national", decision_number="548/QĐ-BVHTTDL", decision_date=datetime.date(2012, 5, 2)
    )
    RelicPhase.objects.create(page=relic, kind="built", date_text="1688", description="Dựng đình bằng gỗ lim.")
    RelicPhase.objects.create(page=relic, kind="restored", date_text="2010", description="Trùng tu mái.")
    EntryName.objects.create(page=relic, name="Đình Cả", kind="folk")
    EntrySource.objects.create(page=relic, source=source, locator="tr. 45")
    relic.tags.add("chạm khắc")
    relic.save()  # the current rank follows the latest decision
    return relic


class RelicPageTests(RelicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, RelicIndexPage)
        cls.source = SourceFactory(title="Địa chí Kiến Thụy")
        cls.relic = RelicPageFactory(
            parent=cls.index,
            title="Đình Đông Khê",
            official_name="Đình làng Đông Khê",
            summary="Ngôi đình thờ Thành hoàng làng, nổi tiếng với chạm khắc gỗ.",
            image=ImageFactory(title="Cổng đình", caption="Cổng tam quan đình Đông Khê"),
            village=VillageFactory(commune=cls.setup.commune, name="Đông Khê"),
            period=PeriodFactory(name="Nhà Lê trung hưng", start_year=1533, end_year=1789),
            type_wording="Di tích lịch sử - văn hóa",
            latitude="20.842500",
            longitude="106.688000",
            address="Thôn Đông Khê, xã Kiến Minh",
            former_address="Xã Đông Phương, huyện Kiến Thụy",
            address_changed_on=datetime.date(2025, 7, 1),
            managing_body="UBND xã Kiến Minh",
            representative="Ông Nguyễn Văn Thủ",
            representative_phone="0225 3 123 456",
            opening_hours="7:00 – 17:00 hằng ngày",
            admission="Miễn phí",
            significance="<p>Giữ được nhiều mảng chạm khắc thế kỷ XVII.</p>",
            last_reviewed=datetime.date(2025, 3, 5),
            body=[
                ("paragraph", "<p>Đình được dựng vào thời Lê trung hưng.</p>"),
                (
                    "quote",
                    {
                        "text": "Đông Khê cổ tích",
                        "attribution": "Hoành phi",
                        "citation": {"source": cls.source, "locator": "tr. 46"},
                    },
                ),
            ],
            artefacts=[("artefact", {"name": "Kiệu bát cống", "date_text": "thế kỷ XIX", "material": "gỗ"})],
        )
        fill_relic(cls.relic, cls.source)
        festival = FestivalPageFactory(parent=index_of(cls.setup, FestivalIndexPage), title="Lễ hội làng Đông Khê")
        EntryLink.objects.create(source=festival, target=cls.relic, relation="held_at")

    def get(self):
        return self.client.get(self.relic.url)

    def test_a_relic_renders_with_its_template(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "sites/relic_page.html")
        self.assertContains(response, '<h1 id="entry-title" class="entry__title">Đình Đông Khê</h1>', html=True)

    def test_the_official_and_other_names_are_listed(self):
        response = self.get()
        self.assertContains(response, "<dt>Tên chính thức</dt>", html=True)
        self.assertContains(response, "Đình làng Đông Khê")
        self.assertContains(response, "<dt>Tên dân gian</dt>", html=True)
        self.assertContains(response, "Đình Cả")

    def test_the_relic_types_and_the_wording_of_the_decision_are_shown(self):
        response = self.get()
        self.assertContains(response, "Lịch sử; Kiến trúc nghệ thuật")
        self.assertContains(response, "Di tích lịch sử - văn hóa")

    def test_the_current_rank_comes_from_the_latest_decision(self):
        soup = self.soup(self.get())
        rank = soup.find(class_="rank")
        self.assertEqual(rank.get_text(strip=True), "Di tích quốc gia")
        self.assertIn("548/QĐ-BVHTTDL, 2012", rank.parent.get_text())
        self.assertContains(self.get(), "Đã xếp hạng")

    def test_every_recognition_decision_is_in_the_table(self):
        soup = self.soup(self.get())
        table = soup.find("section", class_="decisions").find("table")
        self.assertEqual(
            [row.find("th").get_text(strip=True) for row in table.tbody.find_all("tr")],
            ["Di tích cấp thành phố", "Di tích quốc gia"],
        )
        self.assertIn("1234/QĐ-UBND", table.get_text())
        self.assertIn("01/03/2005", table.get_text())
        self.assertEqual(table.find("th", scope="col").get_text(strip=True), "Cấp")

    def test_the_significance_phases_and_artefacts_are_shown(self):
        response = self.get()
        self.assertContains(response, "Giữ được nhiều mảng chạm khắc thế kỷ XVII.")
        self.assertContains(response, "<strong>Khởi dựng</strong>", html=True)
        self.assertContains(response, "Trùng tu mái.")
        self.assertContains(response, "Kiệu bát cống")

    def test_the_visiting_details_give_both_addresses_and_the_keeper(self):
        response = self.get()
        self.assertContains(response, "Thôn Đông Khê, xã Kiến Minh")
        self.assertContains(response, "<dt>Địa chỉ trước sáp nhập</dt>", html=True)
        self.assertContains(response, "Xã Đông Phương, huyện Kiến Thụy")
        self.assertContains(response, "UBND xã Kiến Minh")
        self.assertContains(response, "7:00 – 17:00 hằng ngày")
        self.assertContains(response, 'href="tel:02253123456"')

    def test_map_coordinates_are_not_localized(self):
        response = self.get()
        # Trailing zeros are dropped (heritage.geo.coords.format_degrees); the separator is a point.
        self.assertContains(response, 'data-lat="20.8425"')
        self.assertContains(response, 'data-lng="106.688"')
        self.assertNotContains(response, "20,8425")

    def test_a_citation_in_the_body_links_to_its_source(self):
        soup = self.soup(self.get())
        citation = soup.select_one(".story cite.citation a")
        self.assertEqual(citation["href"], f"#source-{self.source.pk}")
        self.assertIsNotNone(soup.find(id=f"source-{self.source.pk}"))
        self.assertIn("tr. 45", soup.find(id=f"source-{self.source.pk}").get_text())

    def test_the_festival_held_at_the_relic_is_linked(self):
        soup = self.soup(self.get())
        related = soup.find("section", class_="related")
        self.assertEqual(related.find("h3").get_text(strip=True), "Lễ hội")
        item = related.find("li")
        self.assertEqual(item.a.get_text(strip=True), "Lễ hội làng Đông Khê")
        self.assertIn("Tổ chức tại đây", item.get_text())

    def test_the_breadcrumbs_lead_to_the_relic_list(self):
        soup = self.soup(self.get())
        links = [(link.get_text(strip=True), link["href"]) for link in soup.select(".breadcrumbs a")]
        self.assertEqual(links, [("Kiến Minh", "/"), ("Di tích", self.index.relative_url(self.setup.site))])

    def test_village_period_tags_and_review_date_are_shown(self):
        response = self.get()
        self.assertContains(response, "<dd>Đông Khê</dd>", html=True)
        self.assertContains(response, "Nhà Lê trung hưng")
        self.assertContains(response, '<li class="tag">chạm khắc</li>', html=True)
        self.assertContains(response, "Rà soát lần cuối")

    def test_the_main_image_is_described_and_not_lazy(self):
        image = self.soup(self.get()).select_one(".entry__image img")
        self.assertEqual(image["alt"], "Cổng tam quan đình Đông Khê")
        self.assertNotIn("loading", image.attrs)

    def test_a_relic_with_only_a_title_still_renders(self):
        bare = RelicPageFactory(parent=self.index, title="Miếu nhỏ")
        response = self.client.get(bare.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chưa xếp hạng")
        self.assertNotContains(response, 'class="decisions"')

    def test_a_preview_shows_unsaved_changes_rather_than_the_cached_page(self):
        self.get()
        relic = RelicPage.objects.get(pk=self.relic.pk)
        relic.summary = "Bản nháp chưa lưu."
        response = relic.make_preview_request()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bản nháp chưa lưu.")
        self.assertContains(response, "Đình Cả")

    def test_an_edited_relic_shows_the_change_at_once(self):
        self.get()
        relic = RelicPage.objects.get(pk=self.relic.pk)
        relic.summary = "Tóm tắt mới sau khi rà soát."
        relic.save()
        self.assertContains(self.get(), "Tóm tắt mới sau khi rà soát.")


class RelicSlugTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = index_of(build_commune(), RelicIndexPage)

    def test_a_vietnamese_title_gives_an_ascii_slug(self):
        relic = self.index.add_child(instance=RelicPage(title="Đình Đông Khê", summary="Ngôi đình cổ."))
        self.assertEqual(relic.slug, "dinh-dong-khe")
        self.assertTrue(relic.url.endswith("/dinh-dong-khe/"))


class RelicIndexPageTests(RelicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, RelicIndexPage)
        source = SourceFactory()
        for number in range(13):
            relic = RelicPageFactory(parent=cls.index, title=f"Đình số {number:02d}")
            RecognitionDecision.objects.create(page=relic, level="national")
            relic.relic_types.set(RelicType.objects.filter(code="historical"))
            relic.save()
        cls.city_relic = RelicPageFactory(parent=cls.index, title="Chùa cấp thành phố")
        RecognitionDecision.objects.create(page=cls.city_relic, level="city")
        cls.city_relic.relic_types.set(RelicType.objects.filter(code="architectural_artistic"))
        cls.city_relic.save()
        fill_relic(RelicPageFactory(parent=cls.index, title="Đình có nhiều dữ liệu"), source)

    def test_the_list_renders_with_its_template(self):
        response = self.client.get(self.index.url)
        self.assertTemplateUsed(response, "sites/relic_index_page.html")
        self.assertContains(response, "15 mục")

    def test_a_card_shows_the_rank(self):
        soup = self.soup(self.client.get(self.index.url, {"rank": "city"}))
        self.assertEqual(soup.select_one(".card__meta").get_text(strip=True), "Di tích cấp thành phố")

    def test_filtering_by_rank_keeps_only_that_rank(self):
        response = self.client.get(self.index.url, {"rank": "city"})
        self.assertContains(response, "Chùa cấp thành phố")
        self.assertNotContains(response, "Đình số 00")
        self.assertContains(response, "1 mục")

    def test_filtering_by_type_keeps_only_that_type(self):
        response = self.client.get(self.index.url, {"type": "architectural_artistic"})
        self.assertContains(response, "Chùa cấp thành phố")
        self.assertContains(response, "Đình có nhiều dữ liệu")
        self.assertContains(response, "2 mục")

    def test_filters_are_labelled_selects_with_an_all_option(self):
        soup = self.soup(self.client.get(self.index.url))
        select = soup.find("select", attrs={"name": "rank"})
        self.assertEqual(soup.find("label", attrs={"for": select["id"]}).get_text(strip=True), "Cấp xếp hạng")
        self.assertEqual(select.find("option")["value"], "")
        self.assertEqual(select.find("option").get_text(strip=True), "Tất cả")

    def test_nonsense_filters_and_page_numbers_never_fail(self):
        for query in [{"rank": "x"}, {"type": "'; drop table"}, {"page": "abc"}, {"page": "-5"}, {"page": "10**9"}]:
            with self.subTest(query=query):
                self.assertEqual(self.client.get(self.index.url, query).status_code, 200)

    def test_a_page_past_the_end_shows_the_last_page(self):
        response = self.client.get(self.index.url, {"page": "99"})
        self.assertContains(response, "trang 2/2")

    def test_pagination_keeps_the_filters(self):
        soup = self.soup(self.client.get(self.index.url, {"rank": "national", "type": "historical"}))
        next_link = soup.select_one('.pagination a[rel="next"]')
        self.assertEqual(
            next_link["href"], f"{self.index.relative_url(self.setup.site)}?rank=national&type=historical&page=2"
        )
        current = soup.select_one('.pagination a[aria-current="page"]')
        self.assertEqual(" ".join(current.get_text().split()), "Trang 1")

    def test_the_first_page_link_drops_the_page_number(self):
        soup = self.soup(self.client.get(self.index.url, {"rank": "national", "page": "2"}))
        previous = soup.select_one('.pagination a[rel="prev"]')
        self.assertEqual(previous["href"], f"{self.index.relative_url(self.setup.site)}?rank=national")


class CrossCommuneLinkTests(RelicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        kien_minh = build_commune()
        an_khanh = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        cls.here = RelicPageFactory(parent=index_of(kien_minh, RelicIndexPage), title="Đình Đông Khê")
        cls.there = RelicPageFactory(parent=index_of(an_khanh, RelicIndexPage), title="Chùa An Khánh")
        cls.neighbour = RelicPageFactory(parent=index_of(kien_minh, RelicIndexPage), title="Miếu Đông Khê")
        EntryLink.objects.create(source=cls.here, target=cls.there, relation="associated_with")
        EntryLink.objects.create(source=cls.here, target=cls.neighbour, relation="related")

    def test_an_entry_of_another_commune_is_linked_on_its_own_site(self):
        soup = self.soup(self.client.get(self.here.url))
        links = {link.get_text(strip=True): link["href"] for link in soup.select(".related a")}
        self.assertEqual(links["Chùa An Khánh"], self.there.full_url)
        self.assertTrue(self.there.full_url.startswith("http://ankhanh.localhost/"))

    def test_an_entry_of_the_same_commune_is_linked_by_its_path(self):
        soup = self.soup(self.client.get(self.here.url))
        links = {link.get_text(strip=True): link["href"] for link in soup.select(".related a")}
        self.assertEqual(links["Miếu Đông Khê"], self.neighbour.relative_url(self.neighbour.get_site()))
