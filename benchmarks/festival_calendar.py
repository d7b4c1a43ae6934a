"""Time the festival calendar with many festivals: month pages, feeds, home pages (section cold).

Usage: .venv/bin/python benchmarks/festival_calendar.py [--festivals 200] [--repeat 10]
Times depend on the machine and its load; query counts do not. The data lives in a throw-away
test database. Festivals get random lunar rules, two stages each, and one changed year in ten.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build_content(count):
    from festivals.models import FestivalIndexPage, FestivalOccurrenceOverride, FestivalStage
    from tests.festivals.factories import FestivalPageFactory
    from tests.heritage.factories import build_commune, index_of

    randomizer = random.Random(7)
    communes = [build_commune(), build_commune(name="Tú Sơn", code="TS", hostname="tuson.localhost")]
    festival = None
    for number in range(count):
        commune = communes[number % 2]
        month, day = randomizer.randint(1, 12), randomizer.randint(1, 28)
        festival = FestivalPageFactory(
            parent=index_of(commune, FestivalIndexPage),
            title=f"Lễ hội số {number}",
            start_month=month,
            start_day=day,
            end_month=month,
            end_day=min(day + 2, 30),
        )
        FestivalStage.objects.create(page=festival, name="Tế lễ", start_month=month, start_day=day)
        FestivalStage.objects.create(page=festival, name="Hội vật", start_month=month, start_day=day + 1)
        if number % 10 == 0:
            FestivalOccurrenceOverride.objects.create(
                page=festival, year=2026, start_date=datetime.date(2026, 12, 1), reason="Hoãn vì bão"
            )
    return festival


def measure(client, host, url, repeat, *, cold=False):
    def render():
        if cold:
            cache.clear()
        response = client.get(url, HTTP_HOST=host)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    render()
    reset_queries()  # each request empties the query log; start the capture from an empty one
    with CaptureQueriesContext(connection) as captured:
        response = render()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        render()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(captured.captured_queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--festivals", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        festival = build_content(args.festivals)
        client = Client()
        print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
        print(f"database: {connection.vendor}; festivals: {args.festivals} in 2 communes; renders: {args.repeat}")
        print(f"{'request':<40}{'median ms':>10}{'queries':>9}{'bytes':>9}")
        cases = [
            ("city month page", "localhost", "/lich-le-hoi/2026/12/", False),
            ("commune month page", "kienminh.localhost", "/lich-le-hoi/2026/12/", False),
            ("city feed (4 years)", "localhost", "/lich-le-hoi.ics", False),
            ("one festival's feed", "tuson.localhost", f"/lich-le-hoi/le-hoi/{festival.pk}.ics", False),
            ("festival page", "tuson.localhost", festival.url, False),
            ("city home, caches emptied", "localhost", "/", True),
            ("city home, section cached", "localhost", "/", False),
        ]
        for label, host, url, cold in cases:
            median, queries, size = measure(client, host, url, args.repeat, cold=cold)
            print(f"{label:<40}{median:>10.1f}{queries:>9}{size:>9}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
