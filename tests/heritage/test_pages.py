import datetime
from pathlib import Path

from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.views.defaults import server_error
from wagtail.test.utils import WagtailPageTestCase

from heritage.models import EntryLink, EntrySource, ProductIndexPage
from sites.models import RelicIndexPage
from tests.heritage.factories import (
    ImageFactory,
    ProductPageFactory,
    SourceFactory,
    build_commune,
    index_of,
)
from tests.sites.factories import RelicPageFactory

COMMUNE_HOST = "kienminh.localhost"


class PublicPageTestCase(WagtailPageTestCase):
    """Requests go to the Kiến Minh commune site; cached fragments never leak from one test to another."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def soup(self, response):
        return BeautifulSoup(response.content, "html.parser")


class LayoutTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()

    def test_pages_are_in_vietnamese(self):
        response = self.client.get("/")
        self.assertEqual(self.soup(response).html["lang"], "vi")
        self.assertContains(response, "Chuyển đến nội dung chính")

    def test_pages_stay_marked_as_vietnamese_for_an_english_speaking_browser(self):
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(self.soup(response).html["lang"], "vi")

    def test_the_skip_link_leads_to_the_main_landmark(self):
        soup = self.soup(self.client.get("/"))
        skip_link = soup.find("a", class_="skip-link")
        self.assertEqual(skip_link["href"], "#main")
        self.assertEqual(soup.find(id="main").name, "main")

    def test_the_page_has_a_banner_a_menu_and_a_footer(self):
        soup = self.soup(self.client.get("/"))
        self.assertIsNotNone(soup.find("header", class_="site-header"))
        self.assertEqual(soup.find("nav", class_="site-nav")["aria-label"], "Danh mục chính")
        self.assertIsNotNone(soup.find("footer", class_="site-footer"))

    def test_the_menu_leads_to_the_commune_sections(self):
        soup = self.soup(self.client.get("/"))
        menu = [link.get_text(strip=True) for link in soup.select(".site-nav a")]
        self.assertEqual(
            menu,
            ["Trang chủ", "Di tích", "Lễ hội", "Nhân vật lịch sử", "Sản phẩm văn hóa", "Bản đồ", "Dòng thời gian"],
        )

    def test_a_page_loads_one_stylesheet_and_one_deferred_script(self):
        soup = self.soup(self.client.get("/"))
        self.assertEqual(len(soup.select('link[rel="stylesheet"]')), 1)
        scripts = soup.select("script[src]")
        self.assertEqual(len(scripts), 1)
        self.assertTrue(scripts[0].has_attr("defer"))

    def test_a_page_has_exactly_one_main_heading(self):
        soup = self.soup(self.client.get("/"))
        self.assertEqual(len(soup.find_all("h1")), 1)


def static_text(path):
    return Path(finders.find(path)).read_text(encoding="utf-8")


class StaticFileTests(SimpleTestCase):
    def test_the_stylesheet_is_small_and_has_a_print_section(self):
        css = static_text("heritage/css/site.css")
        self.assertLess(len(css.encode()), 20_000)
        print_section = css[css.index("@media print") :]
        self.assertIn(".site-nav", print_section)
        self.assertIn(".filters", print_section)
        self.assertIn("attr(href)", print_section)

    def test_the_stylesheet_shows_where_the_keyboard_focus_is(self):
        css = static_text("heritage/css/site.css")
        self.assertIn(":focus-visible", css)

    def test_the_script_is_small_enough_for_a_slow_phone(self):
        script = static_text("heritage/js/site.js")
        self.assertLess(len(script.encode()), 4_000)


class CommuneHomePageTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.setup.commune.former_units = "Xã Đông Phương\nXã Đại Đồng"
        cls.setup.commune.formed_on = datetime.date(2025, 7, 1)
        cls.setup.commune.save()
        relics = index_of(cls.setup, RelicIndexPage)
        RelicPageFactory(parent=relics, title="Đình Đông Khê")
        RelicPageFactory(parent=relics, title="Chùa Đông Khê")
        RelicPageFactory(parent=relics, title="Miếu chưa đăng", live=False)
        cls.product = ProductPageFactory(
            parent=index_of(cls.setup, ProductIndexPage), title="Nước mắm Cát Hải", image=ImageFactory()
        )

    def test_the_home_page_renders_with_its_template(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "heritage/home_page.html")
        self.assertContains(response, '<h1 class="hero__title">Kiến Minh</h1>', html=True)

    def test_the_home_page_counts_the_live_entries_of_the_commune(self):
        self.assertContains(self.client.get("/"), "3 mục trong kho di sản")

    def test_each_section_shows_how_many_live_entries_it_holds(self):
        soup = self.soup(self.client.get("/"))
        sections = {
            link.find(class_="sections__title").get_text(strip=True): link.find(class_="sections__count").get_text(
                strip=True
            )
            for link in soup.select(".explore .sections__link")
        }
        self.assertEqual(sections["Di tích"], "2 mục")
        self.assertEqual(sections["Sản phẩm văn hóa"], "1 mục")
        self.assertEqual(sections["Lễ hội"], "Chưa có mục nào")

    def test_the_section_links_lead_to_the_index_pages(self):
        soup = self.soup(self.client.get("/"))
        links = [link["href"] for link in soup.select(".explore .sections__link")]
        self.assertIn(index_of(self.setup, RelicIndexPage).relative_url(self.setup.site), links)

    def test_the_latest_entries_are_listed_with_their_kind(self):
        response = self.client.get("/")
        self.assertContains(response, "Mới đăng")
        self.assertContains(response, "Nước mắm Cát Hải")
        self.assertContains(response, "Sản phẩm văn hóa")
        self.assertNotContains(response, "Miếu chưa đăng")

    def test_latest_entry_pictures_are_lazy_and_sized(self):
        soup = self.soup(self.client.get("/"))
        picture = soup.select_one(".latest .card__image")
        self.assertEqual(picture["loading"], "lazy")
        self.assertTrue(picture["width"] and picture["height"])

    def test_the_commune_history_lists_its_former_units(self):
        response = self.client.get("/")
        self.assertContains(response, "Giới thiệu về xã")
        self.assertContains(response, "01/07/2025")
        self.assertContains(response, "<li>Xã Đại Đồng</li>", html=True)

    def test_the_home_page_has_no_breadcrumbs(self):
        self.assertNotContains(self.client.get("/"), 'class="breadcrumbs"')


class CityHomePageTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune()
        cls.an_khanh = build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")
        RelicPageFactory(parent=index_of(cls.kien_minh, RelicIndexPage), title="Đình Đông Khê")

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_HOST"] = "localhost"

    def test_the_city_home_page_renders_with_its_template(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "heritage/city_home_page.html")
        self.assertContains(response, "Các xã, phường")

    def test_every_commune_is_listed_with_its_count(self):
        soup = self.soup(self.client.get("/"))
        communes = {
            link.find(class_="sections__title").get_text(strip=True): link.find(class_="sections__count").get_text(
                strip=True
            )
            for link in soup.select(".communes .sections__link")
        }
        self.assertEqual(communes, {"An Khánh": "0 mục", "Kiến Minh": "1 mục"})

    def test_a_commune_link_leads_to_the_commune_site(self):
        soup = self.soup(self.client.get("/"))
        links = [link["href"] for link in soup.select(".communes .sections__link")]
        self.assertEqual(links, ["http://ankhanh.localhost/", "http://kienminh.localhost/"])

    def test_a_commune_page_seen_through_the_city_site_names_the_commune_site_as_canonical(self):
        soup = self.soup(self.client.get("/kien-minh/"))
        self.assertEqual(soup.find("link", rel="canonical")["href"], "http://kienminh.localhost/")

    def test_the_latest_entries_of_every_commune_are_shown(self):
        self.assertContains(self.client.get("/"), "Đình Đông Khê")


class ProductPageTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, ProductIndexPage)
        cls.product = ProductPageFactory(
            parent=cls.index,
            title="Nước mắm Cát Hải",
            product_kind="ocop",
            ocop_stars=4,
            maker_name="Hợp tác xã Cát Hải",
            maker_phone="0225 3 888 999",
            maker_address="Thị trấn Cát Hải",
            maker_website="https://nuocmam.example.vn",
            is_sample=True,
            last_reviewed=datetime.date(2025, 3, 5),
            image=ImageFactory(title="Chum nước mắm", caption="Chum ủ nước mắm"),
        )
        cls.product.tags.add("đặc sản")
        cls.product.save()
        cls.source = SourceFactory(title="Làng nghề Hải Phòng")
        EntrySource.objects.create(page=cls.product, source=cls.source, locator="tr. 12")
        cls.craft = ProductPageFactory(parent=cls.index, title="Chiếu cói", product_kind="craft")
        EntryLink.objects.create(source=cls.product, target=cls.craft, relation="related")

    def test_a_product_renders_with_its_template(self):
        response = self.client.get(self.product.url)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "heritage/product_page.html")

    def test_the_kind_and_ocop_stars_are_spelled_out(self):
        response = self.client.get(self.product.url)
        self.assertContains(response, "Sản phẩm OCOP")
        self.assertContains(response, "4 sao")

    def test_the_maker_can_be_called_from_a_phone(self):
        response = self.client.get(self.product.url)
        self.assertContains(response, '<a href="tel:02253888999">0225 3 888 999</a>', html=True)
        self.assertContains(response, "Hợp tác xã Cát Hải")
        self.assertContains(response, 'href="https://nuocmam.example.vn"')

    def test_a_sample_entry_says_so(self):
        soup = self.soup(self.client.get(self.product.url))
        notice = soup.find(class_="notice--sample")
        self.assertIn("Nội dung mẫu", notice.get_text())

    def test_the_breadcrumbs_lead_back_to_the_list_and_home(self):
        soup = self.soup(self.client.get(self.product.url))
        crumbs = soup.select(".breadcrumbs li")
        self.assertEqual(
            [crumb.get_text(strip=True) for crumb in crumbs], ["Kiến Minh", "Sản phẩm văn hóa", "Nước mắm Cát Hải"]
        )
        self.assertEqual(crumbs[1].a["href"], "/san-pham-van-hoa/")
        self.assertEqual(crumbs[-1].span["aria-current"], "page")

    def test_the_main_image_is_sized_and_described_by_its_caption(self):
        soup = self.soup(self.client.get(self.product.url))
        image = soup.select_one(".entry__image img")
        self.assertEqual(image["alt"], "Chum ủ nước mắm")
        self.assertTrue(image["width"] and image["height"])
        self.assertIn("srcset", image.attrs)

    def test_sources_carry_the_anchor_that_citations_link_to(self):
        soup = self.soup(self.client.get(self.product.url))
        item = soup.find(id=f"source-{self.source.pk}")
        self.assertIn("Làng nghề Hải Phòng", item.get_text())
        self.assertIn("tr. 12", item.get_text())

    def test_related_entries_are_grouped_by_kind(self):
        soup = self.soup(self.client.get(self.product.url))
        related = soup.find(class_="related")
        self.assertEqual(related.find("h3").get_text(strip=True), "Sản phẩm văn hóa")
        self.assertEqual(related.find("a").get_text(strip=True), "Chiếu cói")

    def test_the_printed_page_carries_its_own_address(self):
        soup = self.soup(self.client.get(self.product.url))
        self.assertEqual(soup.find(class_="print-only").get_text(), f"Địa chỉ trang này: {self.product.full_url}")

    def test_tags_and_the_review_date_close_the_entry(self):
        response = self.client.get(self.product.url)
        self.assertContains(response, '<li class="tag">đặc sản</li>', html=True)
        self.assertContains(response, '<time datetime="2025-03-05">05/03/2025</time>', html=True)

    def test_a_product_with_nothing_but_a_title_still_renders(self):
        bare = ProductPageFactory(parent=self.index, title="Bánh đa")
        response = self.client.get(bare.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nghề thủ công truyền thống")


class ProductIndexPageTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, ProductIndexPage)
        for number in range(14):
            ProductPageFactory(parent=cls.index, title=f"Món ăn {number:02d}", product_kind="dish")
        ProductPageFactory(parent=cls.index, title="Chiếu cói Cẩm Khê", product_kind="craft")

    def test_the_list_renders_with_its_template_and_counts_the_entries(self):
        response = self.client.get(self.index.url)
        self.assertTemplateUsed(response, "heritage/product_index_page.html")
        self.assertContains(response, "15 mục")

    def test_the_filter_form_works_without_javascript(self):
        soup = self.soup(self.client.get(self.index.url))
        form = soup.find("form", class_="filters")
        self.assertEqual(form["method"], "get")
        select = form.find("select", attrs={"name": "kind"})
        self.assertEqual(form.find("label", attrs={"for": select["id"]}).get_text(strip=True), "Loại")

    def test_filtering_by_kind_shows_only_that_kind(self):
        response = self.client.get(self.index.url, {"kind": "craft"})
        self.assertContains(response, "Chiếu cói Cẩm Khê")
        self.assertNotContains(response, "Món ăn 00")
        self.assertContains(response, '<option value="craft" selected>', html=False)

    def test_an_unknown_filter_value_shows_everything(self):
        response = self.client.get(self.index.url, {"kind": "<script>", "village": "999999"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "15 mục")

    def test_page_links_keep_the_filters(self):
        soup = self.soup(self.client.get(self.index.url, {"kind": "dish"}))
        next_link = soup.select_one('.pagination a[rel="next"]')
        self.assertEqual(next_link["href"], "/san-pham-van-hoa/?kind=dish&page=2")

    def test_the_second_page_shows_the_rest(self):
        response = self.client.get(self.index.url, {"kind": "dish", "page": "2"})
        self.assertContains(response, "Món ăn 13")
        self.assertNotContains(response, "Món ăn 00")

    def test_bad_page_numbers_never_fail(self):
        for page in ["abc", "0", "-1", "1.5", "99999999999999999999", "", "nan"]:
            with self.subTest(page=page):
                self.assertEqual(self.client.get(self.index.url, {"page": page}).status_code, 200)

    def test_a_filtered_list_is_kept_out_of_search_engines(self):
        response = self.client.get(self.index.url, {"kind": "dish"})
        self.assertContains(response, '<meta name="robots" content="noindex, follow">', html=True)
        self.assertNotContains(self.client.get(self.index.url), 'name="robots"')

    def test_an_empty_filter_result_offers_the_whole_list(self):
        response = self.client.get(self.index.url, {"kind": "other"})
        self.assertContains(response, "Không có mục nào phù hợp với bộ lọc này.")
        self.assertContains(response, "Xem tất cả các mục")


class ErrorPageTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        build_commune()

    def test_a_missing_page_answers_404_with_a_friendly_message(self):
        response = self.client.get("/khong-co-trang-nay/")
        self.assertEqual(response.status_code, 404)
        self.assertTemplateUsed(response, "404.html")
        self.assertContains(response, "Không tìm thấy trang này", status_code=404)

    def test_the_404_page_links_home_without_depending_on_search(self):
        soup = self.soup(self.client.get("/khong-co-trang-nay/"))
        self.assertEqual(soup.find("a", string="Về trang chủ")["href"], "/")
        self.assertIsNone(soup.find("form"))


class ServerErrorPageTests(TestCase):
    def test_the_500_page_renders_without_context_or_database(self):
        request = RequestFactory().get("/")
        with self.assertNumQueries(0):
            response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("Hệ thống đang gặp sự cố", response.content.decode())

    def test_the_500_template_stands_alone(self):
        html = render_to_string("500.html")
        self.assertIn('<html lang="vi">', html)
        self.assertNotIn("stylesheet", html)


class RobotsAndSitemapTests(PublicPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        relics = index_of(cls.setup, RelicIndexPage)
        cls.relic = RelicPageFactory(parent=relics, title="Đình Đông Khê")
        cls.draft = RelicPageFactory(parent=relics, title="Đình chưa đăng", live=False)

    def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertContains(response, "Disallow: /admin/")
        self.assertContains(response, f"Sitemap: http://{COMMUNE_HOST}/sitemap.xml")

    def test_the_sitemap_lists_the_live_pages_of_the_site(self):
        response = self.client.get("/sitemap.xml")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"<loc>{self.relic.full_url}</loc>")
        self.assertContains(response, f"<loc>http://{COMMUNE_HOST}/</loc>")

    def test_the_sitemap_leaves_out_drafts(self):
        self.assertNotContains(self.client.get("/sitemap.xml"), self.draft.slug)
