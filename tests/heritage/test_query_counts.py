"""How many SQL queries a visitor's page costs, and that lists never cost a query per item.

"Warm" is the second request for a page: Wagtail's site root paths, image renditions and the
page's own fragments are then in the cache, as they are on a running site.
"""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from festivals.models import FestivalIndexPage, FestivalStage
from heritage.models import EntryLink, EntryName, EntrySource, ProductIndexPage
from people.models import PersonIndexPage
from sites.models import RecognitionDecision, RelicIndexPage, RelicPhase, RelicType
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import (
    ImageFactory,
    PeriodFactory,
    ProductPageFactory,
    SourceFactory,
    VillageFactory,
    build_commune,
    index_of,
)
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

COMMUNE_HOST = "kienminh.localhost"
DETAIL_PAGE_QUERIES = 12
HOME_PAGE_QUERIES = 15


class QueryCountTestCase(TestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.defaults["HTTP_HOST"] = COMMUNE_HOST

    def queries(self, url, data=None, *, warm=True):
        if warm:
            self.client.get(url, data)
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url, data)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)


def rich_relic(setup, title, related):
    """A relic with everything a relic page shows, linked to ``related`` festivals."""
    source = SourceFactory()
    village = VillageFactory(commune=setup.commune)
    relic = RelicPageFactory(
        parent=index_of(setup, RelicIndexPage),
        title=title,
        official_name=f"{title} (tên chính thức)",
        image=ImageFactory(),
        village=village,
        period=PeriodFactory(),
        latitude="20.842500",
        longitude="106.688000",
        address="Thôn Đông Khê",
        former_address="Xã Đông Phương",
        significance="<p>Chạm khắc gỗ.</p>",
        body=[
            ("paragraph", "<p>Lịch sử.</p>"),
            ("image", {"image": ImageFactory(), "caption": "Tiền đường"}),
            ("quote", {"text": "Vạn cổ anh linh", "citation": {"source": source, "locator": "tr. 1"}}),
        ],
        artefacts=[("artefact", {"name": "Kiệu", "image": ImageFactory()})],
    )
    relic.relic_types.set(RelicType.objects.all()[:2])
    RecognitionDecision.objects.create(page=relic, level="city", decision_number="1/QĐ")
    RecognitionDecision.objects.create(page=relic, level="national", decision_number="2/QĐ")
    RelicPhase.objects.create(page=relic, kind="built", date_text="1688")
    EntryName.objects.create(page=relic, name="Đình Cả", kind="folk")
    EntrySource.objects.create(page=relic, source=source, locator="tr. 45")
    EntrySource.objects.create(page=relic, source=SourceFactory())
    relic.tags.add("đình", "chạm khắc")
    relic.save()
    festivals = index_of(setup, FestivalIndexPage)
    for number in range(related):
        festival = FestivalPageFactory(parent=festivals, title=f"{title}: lễ hội {number}", image=ImageFactory())
        # Links read from both ends: half point at the relic, half start from it.
        if number % 2:
            EntryLink.objects.create(source=relic, target=festival, relation="related")
        else:
            EntryLink.objects.create(source=festival, target=relic, relation="held_at")
    return relic


class DetailPageQueryTests(QueryCountTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.one = rich_relic(cls.setup, "Đình một liên kết", related=1)
        cls.fifty = rich_relic(cls.setup, "Đình năm mươi liên kết", related=50)

    def test_a_relic_page_renders_warm_within_the_budget(self):
        self.assertLessEqual(self.queries(self.one.url), DETAIL_PAGE_QUERIES)
        self.assertLessEqual(self.queries(self.fifty.url), DETAIL_PAGE_QUERIES)

    def test_fifty_related_entries_cost_no_more_queries_than_one(self):
        self.assertEqual(self.queries(self.fifty.url), self.queries(self.one.url))

    def test_fifty_related_entries_cost_no_more_queries_than_one_with_cold_caches(self):
        cold_one = self.queries(self.one.url, warm=False)
        cache.clear()
        cold_fifty = self.queries(self.fifty.url, warm=False)
        self.assertEqual(cold_fifty, cold_one)

    def test_every_related_entry_is_shown(self):
        response = self.client.get(self.fifty.url)
        self.assertContains(response, 'class="related__relation"', count=50)


class OtherDetailPageQueryTests(QueryCountTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.festival = FestivalPageFactory(
            parent=index_of(cls.setup, FestivalIndexPage),
            image=ImageFactory(),
            programme=[("item", {"day": "Mùng 10", "title": "Rước kiệu"})],
        )
        FestivalStage.objects.create(page=cls.festival, name="Tế lễ", start_month=1, start_day=10)
        FestivalStage.objects.create(page=cls.festival, name="Hội vật", start_month=1, start_day=11)
        cls.person = PersonPageFactory(parent=index_of(cls.setup, PersonIndexPage), image=ImageFactory())
        EntryName.objects.create(page=cls.person, name="Trần Quốc Tuấn", kind="courtesy")
        cls.product = ProductPageFactory(parent=index_of(cls.setup, ProductIndexPage), image=ImageFactory())
        for page in (cls.festival, cls.person, cls.product):
            EntrySource.objects.create(page=page, source=SourceFactory())
            EntryLink.objects.create(source=page, target=rich_relic(cls.setup, f"Đình của {page.title}", 0))

    def test_festival_person_and_product_pages_render_warm_within_the_budget(self):
        for page in (self.festival, self.person, self.product):
            with self.subTest(page=page.entry_type):
                self.assertLessEqual(self.queries(page.url), DETAIL_PAGE_QUERIES)


class HomePageQueryTests(QueryCountTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.setup.commune.former_units = "Xã Đông Phương"
        cls.setup.commune.formed_on = datetime.date(2025, 7, 1)
        cls.setup.commune.save()
        cls.setup.home.image = ImageFactory()
        cls.setup.home.save()
        for number in range(8):
            RelicPageFactory(parent=index_of(cls.setup, RelicIndexPage), title=f"Đình {number}", image=ImageFactory())
        build_commune(name="An Khánh", code="AK", hostname="ankhanh.localhost")

    def test_the_commune_home_page_renders_warm_within_the_budget(self):
        self.assertLessEqual(self.queries("/"), HOME_PAGE_QUERIES)

    def test_the_city_home_page_renders_warm_within_the_budget(self):
        self.client.defaults["HTTP_HOST"] = "localhost"
        self.assertLessEqual(self.queries("/"), HOME_PAGE_QUERIES)

    def test_pictures_of_the_latest_entries_cost_no_query_each_with_cold_caches(self):
        self.client.get("/")  # makes the renditions, once
        cache.clear()
        cold = self.queries("/", warm=False)
        # Emptied caches cost a fixed few queries (site root paths, the menu, all renditions at once,
        # the festivals of the home-page section).
        self.assertLessEqual(cold - self.queries("/"), 5)


class IndexPageQueryTests(QueryCountTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.index = index_of(cls.setup, RelicIndexPage)
        village = VillageFactory(commune=cls.setup.commune)
        for number in range(14):
            relic = RelicPageFactory(
                parent=cls.index, title=f"Đình {number:02d}", image=ImageFactory(), village=village
            )
            RecognitionDecision.objects.create(page=relic, level="city" if number < 2 else "national")
            relic.save()

    def test_a_full_page_of_entries_costs_the_same_queries_as_two(self):
        two = self.queries(self.index.url, {"rank": "city"})
        full_page = self.queries(self.index.url, {"rank": "national"})
        self.assertEqual(full_page, two)

    def test_a_full_page_of_entries_with_cold_caches_costs_the_same_queries_as_two(self):
        # Renditions are made once, on the first visit; afterwards an emptied cache costs one query for all.
        self.client.get(self.index.url, {"rank": "city"})
        self.client.get(self.index.url, {"rank": "national"})
        cache.clear()
        two = self.queries(self.index.url, {"rank": "city"}, warm=False)
        cache.clear()
        full_page = self.queries(self.index.url, {"rank": "national"}, warm=False)
        self.assertEqual(full_page, two)
