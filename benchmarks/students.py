"""Time the students' pages: the timeline with many dated entries, a PDF report, citation files.

Usage: .venv/bin/python benchmarks/students.py [--entries 200] [--repeat 10]
Prints the median time, SQL queries and size of each request. Times depend on the machine and its
load; query counts do not, and the timeline's must stay the same whatever ``--entries`` is. The
data lives in a throw-away test database.
"""

import argparse
import os
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build_content(entries):
    """Half relics (two phases and a ranking each), half historical figures (birth and death)."""
    from heritage.models import Period
    from people.models import PersonIndexPage
    from sites.models import RecognitionDecision, RelicIndexPage, RelicPhase
    from tests.heritage.factories import build_commune, index_of, publish
    from tests.people.factories import PersonPageFactory
    from tests.sites.factories import RelicPageFactory

    commune = build_commune()
    Period.objects.create(name="Nhà Trần", start_year=1226, end_year=1400)
    relics = index_of(commune, RelicIndexPage)
    people = index_of(commune, PersonIndexPage)
    first = None
    for number in range(entries // 2):
        relic = RelicPageFactory(parent=relics, title=f"Đình số {number}")
        RelicPhase.objects.create(page=relic, kind="built", date_text=f"khoảng {1200 + number}")
        RelicPhase.objects.create(page=relic, kind="restored", date_text="cuối thế kỷ XIX")
        RecognitionDecision.objects.create(page=relic, level="city", decision_year=1990 + number % 30)
        relic = publish(relic)
        first = first or relic
        publish(
            PersonPageFactory(
                parent=people,
                title=f"Nhân vật {number}",
                birth_text=f"{1200 + number}–{1210 + number}",
                death_text=f"{1260 + number}",
            )
        )
    return "kienminh.localhost", first


def measure(client, host, url, repeat):
    client.get(url, HTTP_HOST=host)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=host)
    # Counted now: every request clears the connection's log, and the capture reads it lazily.
    queries = len(captured.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url, HTTP_HOST=host)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), queries, len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        host, relic = build_content(args.entries)
        cache.clear()
        client = Client()
        print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
        print(f"database: {connection.vendor}; entries: {args.entries}; requests per row: {args.repeat}")
        print(f"{'request':<32}{'median ms':>10}{'queries':>9}{'bytes':>10}")
        rows = {
            "timeline, commune site": ("/dong-thoi-gian/", host),
            "timeline, city site": ("/dong-thoi-gian/", "localhost"),
            "timeline, one period": ("/dong-thoi-gian/?period=1", host),
            "relic page with cite box": (relic.url, host),
            "PDF report of a relic": (f"/bao-cao/{relic.source_id}.pdf", host),
            "BibTeX file": (f"/trich-dan/{relic.source_id}.bib", host),
        }
        for label, (url, row_host) in rows.items():
            median, queries, size = measure(client, row_host, url, args.repeat)
            print(f"{label:<32}{median:>10.1f}{queries:>9}{size:>10}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
