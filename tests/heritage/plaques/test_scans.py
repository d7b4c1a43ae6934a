import datetime
import threading

from django.db import connection
from django.test import TransactionTestCase

from heritage.models import PlaqueCode, PlaqueScanDay
from heritage.plaques.scans import count_scan
from tests.conftest import ensure_migrated_rows
from tests.heritage.factories import build_commune
from tests.heritage.plaques.helpers import COMMUNE_HOST, PlaqueTestCase, published_relic

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36"
)


class ScanCountTests(PlaqueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.relic = published_relic(cls.setup)
        cls.plaque = PlaqueCode.objects.get(page=cls.relic)

    def scans(self):
        return sum(PlaqueScanDay.objects.filter(plaque=self.plaque).values_list("count", flat=True))

    def test_each_scan_adds_one_to_the_days_counter(self):
        for _ in range(3):
            self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE)
        self.assertEqual(PlaqueScanDay.objects.get(plaque=self.plaque).count, 3)

    def test_nothing_about_the_visitor_is_kept(self):
        self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE, REMOTE_ADDR="203.0.113.7")
        response = self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE)
        self.assertEqual(response.cookies, {})
        self.assertEqual({field.name for field in PlaqueScanDay._meta.get_fields()}, {"id", "plaque", "day", "count"})

    def test_robots_and_head_requests_are_not_counted(self):
        self.client.head(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE)
        for agent in (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1",
            "curl/8.5.0",
            "Mozilla/5.0 (compatible; bingbot/2.0)",
        ):
            self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=agent)
        self.assertEqual(self.scans(), 0)

    def test_a_click_from_the_archives_own_pages_is_not_a_scan(self):
        self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE, HTTP_REFERER=f"http://{COMMUNE_HOST}/di-tich/")
        self.assertEqual(self.scans(), 0)
        self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE, HTTP_REFERER="https://zalo.me/")
        self.assertEqual(self.scans(), 1)

    def test_scans_of_an_offline_entry_still_count(self):
        self.relic.unpublish()
        self.client.get(f"/q/{self.plaque.code}", HTTP_USER_AGENT=PHONE)
        self.assertEqual(self.scans(), 1)

    def test_qr_images_are_not_scans(self):
        self.client.get(f"/q/{self.plaque.code}/qr.svg", HTTP_USER_AGENT=PHONE)
        self.assertEqual(self.scans(), 0)

    def test_days_are_counted_apart(self):
        count_scan(self.plaque, datetime.date(2026, 1, 1))
        count_scan(self.plaque, datetime.date(2026, 1, 2))
        count_scan(self.plaque, datetime.date(2026, 1, 2))
        self.assertEqual(
            dict(PlaqueScanDay.objects.filter(plaque=self.plaque).values_list("day", "count")),
            {datetime.date(2026, 1, 1): 1, datetime.date(2026, 1, 2): 2},
        )


class ConcurrentScanTests(TransactionTestCase):
    """Scans arriving together, each on its own database connection, lose no count."""

    def test_simultaneous_first_scans_of_the_day_are_all_counted(self):
        if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")):
            self.skipTest("An in-memory SQLite database is not shared between threads; PostgreSQL runs this test.")
        ensure_migrated_rows()  # an earlier transactional test may have flushed them
        setup = build_commune()
        plaque = PlaqueCode.objects.get(page=published_relic(setup))
        day = datetime.date(2026, 2, 1)
        barrier = threading.Barrier(8)
        errors = []

        def scan():
            try:
                barrier.wait()
                for _ in range(5):
                    count_scan(plaque, day)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=scan) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(PlaqueScanDay.objects.get(plaque=plaque, day=day).count, 40)
