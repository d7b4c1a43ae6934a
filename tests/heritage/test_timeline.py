import datetime
import re

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from festivals.models import FestivalIndexPage
from heritage.models import Period
from heritage.timeline.collect import collect_events
from people.models import PersonIndexPage
from sites.models import RecognitionDecision, RelicIndexPage, RelicPhase
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of, publish
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory

KIEN_MINH = "kienminh.localhost"
AN_KHANH = "ankhanh.localhost"
CITY = "localhost"


def relic_with_history(setup, title, phases, decisions=()):
    relic = RelicPageFactory(parent=index_of(setup, RelicIndexPage), title=title)
    for kind, date_text in phases:
        RelicPhase.objects.create(page=relic, kind=kind, date_text=date_text, description="")
    for level, date in decisions:
        RecognitionDecision.objects.create(page=relic, level=level, decision_date=date, decision_number="99/QĐ-BVHTT")
    return publish(relic)


def event_rows(html):
    """(wording, entry title) of each event as a visitor reads the list, in page order."""
    rows = re.findall(
        r'<span class="chronology__wording">(.*?)</span>.*?<a href="[^"]*">(.*?)</a>',
        html,
        flags=re.S,
    )
    return [(wording.strip(), title.strip()) for wording, title in rows]


class TimelineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune()
        cls.an_khanh = build_commune("An Khánh", "AK", AN_KHANH)
        cls.tran = Period.objects.create(name="Nhà Trần", start_year=1226, end_year=1400)
        cls.nguyen = Period.objects.create(name="Nhà Nguyễn", start_year=1802, end_year=1945)
        cls.temple = relic_with_history(
            cls.kien_minh,
            "Đền Kiến Minh",
            [("built", "khoảng 1230"), ("restored", "cuối thế kỷ XIX")],
            [("national", datetime.date(1994, 3, 25))],
        )
        cls.pagoda = relic_with_history(cls.an_khanh, "Chùa An Khánh", [("built", "thế kỷ XIII–XIV")])
        cls.hero = publish(
            PersonPageFactory(
                parent=index_of(cls.kien_minh, PersonIndexPage),
                title="Trần Khánh Dư",
                birth_text="khoảng 1240",
                death_text="1340",
            )
        )
        cls.ancient = publish(
            PersonPageFactory(
                parent=index_of(cls.an_khanh, PersonIndexPage),
                title="Bà Lê Chân",
                birth_text="thế kỷ I TCN",
                death_text="43",
            )
        )
        cls.festival = publish(
            FestivalPageFactory(
                parent=index_of(cls.kien_minh, FestivalIndexPage),
                title="Lễ hội đền Kiến Minh",
                listing="national",
                listing_decision_number="123/QĐ-BVHTTDL",
                listing_date=datetime.date(2019, 1, 15),
                body=[("timeline_entry", {"date_text": "1890s", "text": "<p>Dân làng mở hội lại.</p>"})],
            )
        )
        draft = PersonPageFactory(
            parent=index_of(cls.kien_minh, PersonIndexPage), title="Bản nháp", birth_text="1500", live=False
        )
        cls.draft = draft

    def setUp(self):
        cache.clear()

    def get(self, host, **params):
        return self.client.get(reverse("timeline"), params, HTTP_HOST=host)

    def test_the_city_site_lists_every_communes_events_in_time_order(self):
        response = self.get(CITY)
        self.assertEqual(response.status_code, 200)
        rows = event_rows(response.content.decode())
        self.assertEqual(
            rows,
            [
                ("thế kỷ I TCN", "Bà Lê Chân"),
                ("43", "Bà Lê Chân"),
                ("thế kỷ XIII–XIV", "Chùa An Khánh"),
                ("khoảng 1230", "Đền Kiến Minh"),
                ("khoảng 1240", "Trần Khánh Dư"),
                ("1340", "Trần Khánh Dư"),
                ("cuối thế kỷ XIX", "Đền Kiến Minh"),
                ("1890s", "Lễ hội đền Kiến Minh"),
                ("25/03/1994", "Đền Kiến Minh"),
                ("15/01/2019", "Lễ hội đền Kiến Minh"),
            ],
        )

    def test_a_commune_site_shows_only_its_own_entries(self):
        titles = {title for _wording, title in event_rows(self.get(KIEN_MINH).content.decode())}
        self.assertEqual(titles, {"Đền Kiến Minh", "Trần Khánh Dư", "Lễ hội đền Kiến Minh"})

    def test_drafts_are_left_out(self):
        self.assertNotContains(self.get(CITY), "Bản nháp")

    def test_the_city_site_filters_by_commune(self):
        response = self.get(CITY, commune=self.an_khanh.commune.pk)
        titles = {title for _wording, title in event_rows(response.content.decode())}
        self.assertEqual(titles, {"Chùa An Khánh", "Bà Lê Chân"})

    def test_a_period_keeps_the_events_that_overlap_it(self):
        response = self.get(CITY, period=self.tran.pk)
        self.assertEqual(
            [wording for wording, _title in event_rows(response.content.decode())],
            ["thế kỷ XIII–XIV", "khoảng 1230", "khoảng 1240", "1340"],
        )
        self.assertContains(response, '<meta name="robots" content="noindex, follow">')

    def test_kind_filter(self):
        response = self.get(CITY, kind="ranked")
        self.assertEqual(event_rows(response.content.decode()), [("25/03/1994", "Đền Kiến Minh")])

    def test_uncertain_dates_are_drawn_as_ranges_with_their_wording_and_years_in_text(self):
        html = self.get(CITY).content.decode()
        self.assertInHTML('<span class="chronology__years">(1225 – 1235, ước đoán)</span>', html)
        self.assertInHTML('<span class="chronology__years">(100–1 TCN)</span>', html)
        self.assertIn("chronology__bar chronology__bar--range chronology__bar--approximate", html)
        self.assertIn('<div class="chronology__track" aria-hidden="true">', html)

    def test_bar_positions_are_not_localised(self):
        html = self.get(CITY).content.decode()
        positions = re.findall(r'style="left: ([^%]*)%; width: ([^%]*)%"', html)
        self.assertTrue(positions)
        for left, width in positions:
            self.assertNotIn(",", left + width)
            self.assertTrue(0 <= float(left) <= 100 and 0 < float(width) <= 100)

    def test_unknown_filter_values_get_a_message_not_an_error(self):
        response = self.get(CITY, period="abc", kind="nonsense", commune="999999")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="filters__errors"')
        self.assertEqual(len(event_rows(response.content.decode())), 10)

    def test_the_commune_filter_is_only_offered_on_the_city_site(self):
        self.assertContains(self.get(CITY), 'name="commune"')
        self.assertNotContains(self.get(KIEN_MINH), 'name="commune"')

    def test_the_navigation_links_to_the_timeline(self):
        response = self.client.get("/", HTTP_HOST=KIEN_MINH)
        self.assertContains(response, 'href="/dong-thoi-gian/"')
        self.assertContains(response, "Dòng thời gian")

    def test_the_page_works_without_javascript(self):
        html = self.get(CITY).content.decode()
        self.assertIn('<form class="filters" method="get" action="/dong-thoi-gian/"', html)
        self.assertNotIn("timeline.js", html)

    def test_query_count_does_not_grow_with_the_number_of_entries(self):
        def count():
            cache.clear()
            self.get(CITY)
            with CaptureQueriesContext(connection) as context:
                self.assertEqual(self.get(CITY).status_code, 200)
            return len(context.captured_queries)

        before = count()
        self.assertGreater(before, 0)
        index = index_of(self.kien_minh, PersonIndexPage)
        for number in range(15):
            publish(PersonPageFactory(parent=index, title=f"Người số {number}", birth_text=f"{1500 + number}"))
        relic_with_history(self.kien_minh, "Đình mới", [("built", "1700"), ("restored", "1800")])
        self.assertEqual(count(), before)


class CollectEventsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.period = Period.objects.create(name="Nhà Lý", start_year=1009, end_year=1225)
        cls.person = publish(
            PersonPageFactory(parent=index_of(cls.setup, PersonIndexPage), title="Lý Công Uẩn", period=cls.period)
        )

    def test_a_person_without_life_dates_is_active_in_their_period(self):
        events = collect_events(self.setup.home)
        self.assertEqual([(event.kind, event.start, event.end) for event in events], [("active", 1009, 1225)])
        self.assertTrue(events[0].approximate)

    def test_an_unreadable_phase_still_counts_when_years_are_stored(self):
        relic = RelicPageFactory(parent=index_of(self.setup, RelicIndexPage), title="Đình cũ")
        RelicPhase.objects.create(page=relic, kind="built", date_text="1600")
        publish(relic)
        # Stored years outlive a wording that no longer parses (an import, a later rule change).
        RelicPhase.objects.filter(page=relic).update(date_text="không rõ")
        events = [event for event in collect_events(self.setup.home) if event.kind == "built"]
        self.assertEqual([(event.date_text, event.start) for event in events], [("không rõ", 1600)])
