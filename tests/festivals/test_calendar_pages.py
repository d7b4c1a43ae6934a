"""The festival calendar pages, the iCal feeds, the home-page section and the festival's next dates."""

import datetime
from unittest import mock

from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from festivals.lunar import to_lunar, to_solar
from festivals.models import FestivalIndexPage, FestivalOccurrenceOverride, FestivalPage, FestivalStage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of, publish

TODAY = datetime.date(2026, 11, 23)
COMMUNE_HOST = "kienminh.localhost"
OTHER_HOST = "tuson.localhost"
CITY_HOST = "localhost"


def fixed_today():
    return mock.patch("django.utils.timezone.localdate", return_value=TODAY)


class CalendarTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.setup = build_commune()
        cls.other = build_commune(name="Tú Sơn", code="TS", hostname=OTHER_HOST)
        index = index_of(cls.setup, FestivalIndexPage)
        cls.festival = FestivalPageFactory(
            parent=index,
            title="Lễ hội đình Kiến Minh",
            start_month=10,
            start_day=15,
            end_month=10,
            end_day=17,
            location="Đình Kiến Minh, thôn Đông; sân đình",
        )
        FestivalStage.objects.create(page=cls.festival, name="Rước kiệu", start_month=10, start_day=16)
        cls.other_festival = FestivalPageFactory(
            parent=index_of(cls.other, FestivalIndexPage), title="Lễ hội làng Tú Sơn", start_month=10, start_day=20
        )

    def setUp(self):
        cache.clear()

    def get(self, url, host=COMMUNE_HOST):
        with fixed_today():
            return self.client.get(url, HTTP_HOST=host)

    def soup(self, response):
        return BeautifulSoup(response.content, "html.parser")


class CalendarPageTests(CalendarTestCase):
    def test_a_commune_site_shows_only_its_own_festivals(self):
        month = to_solar(2026, 10, 15)
        response = self.get(f"/lich-le-hoi/{month.year}/{month.month}/")
        self.assertContains(response, "Lễ hội đình Kiến Minh")
        self.assertNotContains(response, "Lễ hội làng Tú Sơn")

    def test_the_city_site_shows_every_commune_festival(self):
        month = to_solar(2026, 10, 15)
        response = self.get(f"/lich-le-hoi/{month.year}/{month.month}/", host=CITY_HOST)
        self.assertContains(response, "Lễ hội đình Kiến Minh")
        self.assertContains(response, "Lễ hội làng Tú Sơn")

    def test_every_day_shows_its_solar_and_lunar_dates(self):
        response = self.get("/lich-le-hoi/2026/2/")
        rows = self.soup(response).select("tbody tr")
        self.assertEqual(len(rows), 28)
        tet = next(row for row in rows if row.th.time["datetime"] == "2026-02-17")
        self.assertIn("1/1", tet.find_all("td")[0].get_text())
        self.assertIn("Bính Ngọ", tet.find_all("td")[0].get_text())

    def test_a_festival_is_listed_on_each_of_its_days_with_its_stage(self):
        start = to_solar(2026, 10, 15)
        response = self.get(f"/lich-le-hoi/{start.year}/{start.month}/")
        rows = {row.th.time["datetime"]: row for row in self.soup(response).select("tbody tr")}
        days = [(start + datetime.timedelta(days=offset)).isoformat() for offset in range(4)]
        self.assertTrue(all(day in rows for day in days))  # 15–17/10 of 2026 are all in one solar month
        for day in days[:3]:
            self.assertIn("Lễ hội đình Kiến Minh", rows[day].get_text())
        self.assertNotIn("Lễ hội đình Kiến Minh", rows[days[3]].get_text())
        self.assertIn("Rước kiệu", rows[days[1]].get_text())
        self.assertNotIn("Rước kiệu", rows[days[0]].get_text())

    def test_the_current_month_is_the_default_and_marks_today(self):
        response = self.get("/lich-le-hoi/")
        today = self.soup(response).select_one('tr[aria-current="date"]')
        self.assertEqual(today.th.time["datetime"], TODAY.isoformat())

    def test_a_lunar_month_page_runs_from_its_first_to_its_last_day(self):
        response = self.get("/lich-le-hoi/am-lich/2025/6-nhuan/")
        rows = self.soup(response).select("tbody tr")
        first = datetime.date.fromisoformat(rows[0].th.time["datetime"])
        self.assertEqual(to_lunar(first), to_lunar(to_solar(2025, 6, 1, leap=True)))
        self.assertIn(len(rows), (29, 30))
        self.assertIn("nhuận", rows[0].get_text())

    def test_months_that_do_not_exist_are_not_found(self):
        for url in (
            "/lich-le-hoi/2026/13/",
            "/lich-le-hoi/3000/1/",
            "/lich-le-hoi/am-lich/2026/6-nhuan/",
            "/lich-le-hoi/am-lich/2026/tam/",
            "/lich-le-hoi/am-lich/2026/13/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.get(url).status_code, 404)

    def test_months_link_to_the_previous_and_next_month(self):
        soup = self.soup(self.get("/lich-le-hoi/2026/1/"))
        self.assertEqual(soup.select_one('a[rel="prev"]')["href"], "/lich-le-hoi/2025/12/")
        self.assertEqual(soup.select_one('a[rel="next"]')["href"], "/lich-le-hoi/2026/2/")


class FeedTests(CalendarTestCase):
    def feed(self, url="/lich-le-hoi.ics", host=COMMUNE_HOST):
        response = self.get(url, host=host)
        self.assertEqual(response.status_code, 200)
        return response, Calendar.from_ical(response.content)

    def events(self, calendar):
        return list(calendar.walk("VEVENT"))

    def test_the_feed_is_served_as_utf8_text_calendar(self):
        response, calendar = self.feed()
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(str(calendar["VERSION"]), "2.0")

    def test_events_are_all_day_with_an_exclusive_end(self):
        _response, calendar = self.feed()
        event = next(
            event
            for event in self.events(calendar)
            if str(event["SUMMARY"]) == "Lễ hội đình Kiến Minh" and event.decoded("DTSTART").year == 2026
        )
        self.assertEqual(event.decoded("DTSTART"), to_solar(2026, 10, 15))
        self.assertEqual(event.decoded("DTEND"), to_solar(2026, 10, 17) + datetime.timedelta(days=1))
        self.assertIn("DTSTART;VALUE=DATE:", event.to_ical().decode())
        self.assertEqual(str(event["LOCATION"]), "Đình Kiến Minh, thôn Đông; sân đình")
        self.assertTrue(str(event["URL"]).startswith("http://kienminh.localhost"))
        self.assertIn("DTSTAMP", event)

    def test_text_is_escaped_and_lines_are_folded_at_75_octets(self):
        response, _calendar = self.feed()
        text = response.content.decode("utf-8")
        self.assertIn("LOCATION:Đình Kiến Minh\\, thôn Đông\\; sân đình", text.replace("\r\n ", ""))
        lines = response.content.split(b"\r\n")
        self.assertTrue(all(len(line) <= 75 for line in lines))
        self.assertNotIn(b"\n", response.content.replace(b"\r\n", b""))

    def test_a_commune_feed_holds_only_its_festivals_and_the_city_feed_all(self):
        _response, commune = self.feed()
        _response, city = self.feed(host=CITY_HOST)
        self.assertNotIn("Lễ hội làng Tú Sơn", {str(event["SUMMARY"]) for event in self.events(commune)})
        summaries = {str(event["SUMMARY"]) for event in self.events(city)}
        self.assertTrue({"Lễ hội làng Tú Sơn", "Lễ hội đình Kiến Minh"} <= summaries)

    def test_every_occurrence_has_its_own_stable_uid(self):
        _response, first = self.feed()
        _response, second = self.feed()
        uids = [str(event["UID"]) for event in self.events(first)]
        self.assertEqual(len(uids), len(set(uids)))
        self.assertEqual(uids, [str(event["UID"]) for event in self.events(second)])

    def test_stages_are_events_of_their_own(self):
        _response, calendar = self.feed(f"/lich-le-hoi/le-hoi/{self.festival.pk}.ics")
        summaries = [str(event["SUMMARY"]) for event in self.events(calendar)]
        self.assertIn("Lễ hội đình Kiến Minh – Rước kiệu", summaries)

    def test_a_changed_year_replaces_the_event_and_a_year_not_held_is_cancelled(self):
        _response, before = self.feed(f"/lich-le-hoi/le-hoi/{self.festival.pk}.ics")
        uid_2026 = next(
            str(event["UID"])
            for event in self.events(before)
            if event.decoded("DTSTART") == to_solar(2026, 10, 15) and "Rước" not in str(event["SUMMARY"])
        )
        FestivalOccurrenceOverride.objects.create(
            page=self.festival,
            year=2026,
            start_date=datetime.date(2026, 12, 20),
            end_date=datetime.date(2026, 12, 21),
            reason="Hoãn vì bão số 3",
        )
        FestivalOccurrenceOverride.objects.create(page=self.festival, year=2027, cancelled=True, reason="Trùng tu đình")
        publish(FestivalPage.objects.get(pk=self.festival.pk))  # editors publish changed years with the page
        _response, after = self.feed(f"/lich-le-hoi/le-hoi/{self.festival.pk}.ics")
        events = {str(event["UID"]): event for event in self.events(after)}
        moved = events[uid_2026]
        self.assertEqual(moved.decoded("DTSTART"), datetime.date(2026, 12, 20))
        self.assertEqual(moved.decoded("DTEND"), datetime.date(2026, 12, 22))
        self.assertIn("Hoãn vì bão số 3", str(moved["DESCRIPTION"]))
        self.assertGreater(int(moved["SEQUENCE"]), 0)
        cancelled = [event for event in events.values() if str(event.get("STATUS", "")) == "CANCELLED"]
        self.assertEqual(len(cancelled), 1)

    def test_a_festival_feed_is_not_served_by_another_commune_site(self):
        response = self.get(f"/lich-le-hoi/le-hoi/{self.other_festival.pk}.ics")
        self.assertEqual(response.status_code, 404)
        response = self.get(f"/lich-le-hoi/le-hoi/{self.other_festival.pk}.ics", host=CITY_HOST)
        self.assertEqual(response.status_code, 200)


class HomeSectionTests(CalendarTestCase):
    def test_the_home_page_lists_festivals_of_the_next_60_days(self):
        soon = to_lunar(TODAY + datetime.timedelta(days=10))
        later = to_lunar(TODAY + datetime.timedelta(days=90))
        index = index_of(self.setup, FestivalIndexPage)
        FestivalPageFactory(
            parent=index, title="Hội sắp tới", start_month=soon.month, start_day=soon.day, start_leap=soon.leap
        )
        FestivalPageFactory(
            parent=index, title="Hội còn xa", start_month=later.month, start_day=later.day, start_leap=later.leap
        )
        section = self.soup(self.get("/")).select_one(".upcoming-festivals")
        self.assertIn("Hội sắp tới", section.get_text())
        self.assertNotIn("Hội còn xa", section.get_text())
        self.assertIsNotNone(section.select_one('a[href="/lich-le-hoi.ics"]'))

    def test_a_festival_published_after_the_section_was_cached_appears_at_once(self):
        self.get("/")
        soon = to_lunar(TODAY + datetime.timedelta(days=20))
        festival = FestivalPageFactory(
            parent=index_of(self.setup, FestivalIndexPage),
            title="Hội mới đăng",
            start_month=soon.month,
            start_day=soon.day,
            start_leap=soon.leap,
        )
        self.assertNotIn("Hội mới đăng", self.soup(self.get("/")).select_one(".upcoming-festivals").get_text())
        publish(festival)
        self.assertIn("Hội mới đăng", self.soup(self.get("/")).select_one(".upcoming-festivals").get_text())

    def test_a_festival_behind_a_login_is_not_listed(self):
        soon = to_lunar(TODAY + datetime.timedelta(days=10))
        index = index_of(self.setup, FestivalIndexPage)
        for title in ("Hội công khai", "Hội nội bộ"):
            festival = FestivalPageFactory(
                parent=index, title=title, start_month=soon.month, start_day=soon.day, start_leap=soon.leap
            )
        PageViewRestriction.objects.create(page=festival, restriction_type=PageViewRestriction.LOGIN)
        text = self.soup(self.get("/")).select_one(".upcoming-festivals").get_text()
        self.assertIn("Hội công khai", text)
        self.assertNotIn("Hội nội bộ", text)

    def test_the_city_home_page_lists_every_commune(self):
        soon = to_lunar(TODAY + datetime.timedelta(days=5))
        FestivalPageFactory(
            parent=index_of(self.other, FestivalIndexPage),
            title="Hội Tú Sơn sắp tới",
            start_month=soon.month,
            start_day=soon.day,
            start_leap=soon.leap,
        )
        section = self.soup(self.get("/", host=CITY_HOST)).select_one(".upcoming-festivals")
        self.assertIn("Hội Tú Sơn sắp tới", section.get_text())

    def test_the_section_costs_the_same_queries_for_more_festivals(self):
        def count_queries():
            cache.clear()
            with fixed_today(), CaptureQueriesContext(connection) as queries:
                self.client.get("/", HTTP_HOST=COMMUNE_HOST)
            return len(queries)

        before = count_queries()
        index = index_of(self.setup, FestivalIndexPage)
        soon = to_lunar(TODAY + datetime.timedelta(days=3))
        for number in range(4):
            festival = FestivalPageFactory(
                parent=index, title=f"Hội {number}", start_month=soon.month, start_day=soon.day, start_leap=soon.leap
            )
            FestivalStage.objects.create(page=festival, name="Tế", start_month=soon.month, start_day=soon.day)
        self.assertEqual(count_queries(), before)


class FestivalPageDatesTests(CalendarTestCase):
    def test_the_festival_page_shows_its_next_three_years_with_lunar_and_solar_dates(self):
        response = self.get(self.festival.url)
        rows = self.soup(response).select(".festival-dates tbody tr")
        self.assertEqual(len(rows), 3)
        self.assertIn("Bính Ngọ", rows[0].th.get_text())
        self.assertIn(to_solar(2026, 10, 15).strftime("%d/%m/%Y"), rows[0].get_text())
        self.assertIn("15/10", rows[0].get_text())
        self.assertIn("Đinh Mùi", rows[1].th.get_text())

    def test_the_festival_page_links_to_its_feed(self):
        soup = self.soup(self.get(self.festival.url))
        self.assertIsNotNone(soup.select_one(f'a[href="/lich-le-hoi/le-hoi/{self.festival.pk}.ics"]'))

    def test_a_changed_year_shows_the_actual_dates_and_the_reason(self):
        FestivalOccurrenceOverride.objects.create(
            page=self.festival, year=2026, start_date=datetime.date(2026, 12, 20), reason="Hoãn vì bão số 3"
        )
        text = self.soup(self.get(self.festival.url)).select_one(".festival-dates").get_text()
        self.assertIn("20/12/2026", text)
        self.assertIn("Hoãn vì bão số 3", text)
