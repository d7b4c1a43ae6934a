"""Render each page type many times and print time, SQL queries and Python function calls.

Usage: .venv/bin/python benchmarks/render_pages.py [--repeat 50]
Times depend on the machine and its load; query and call counts do not, so those are the
figures to compare between commits. The data lives in a throw-away test database.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def build_content():
    from festivals.models import FestivalIndexPage
    from heritage.models import EntryLink, ProductIndexPage
    from people.models import PersonIndexPage
    from sites.models import RecognitionDecision, RelicIndexPage
    from tests.festivals.factories import FestivalPageFactory
    from tests.heritage.factories import ImageFactory, ProductPageFactory, SourceFactory, build_commune, index_of
    from tests.people.factories import PersonPageFactory
    from tests.sites.factories import RelicPageFactory

    commune = build_commune()
    relics = index_of(commune, RelicIndexPage)
    people = index_of(commune, PersonIndexPage)
    image = ImageFactory(title="Ảnh đình")

    def relic_with_links(title, link_count):
        relic = RelicPageFactory(parent=relics, title=title, image=image, latitude="20.800000", longitude="106.600000")
        relic.recognition_decisions.add(
            RecognitionDecision(level="national", decision_number="548/QĐ-TTg", decision_year=1994)
        )
        for number in range(link_count):
            person = PersonPageFactory(parent=people, title=f"{title} nhân vật {number}", image=image)
            relic.links_out.add(EntryLink(target=person, relation="related"))
        for source in SourceFactory.create_batch(3):
            relic.source_links.create(source=source, locator="tr. 12")
        relic.save_revision().publish()
        return relic

    pages = {
        "relic, 1 related entry": relic_with_links("Đình Một", 1),
        "relic, 50 related entries": relic_with_links("Đình Năm Mươi", 50),
        "festival": FestivalPageFactory(parent=index_of(commune, FestivalIndexPage), image=image),
        "person": PersonPageFactory(parent=people, title="Trần Hưng Đạo", birth_text="khoảng 1230", image=image),
        "product": ProductPageFactory(parent=index_of(commune, ProductIndexPage), image=image),
        "relic index": relics,
        "commune home": commune.home,
    }
    return commune.site.hostname, pages


def measure(client, host, url, repeat):
    def render():
        response = client.get(url, HTTP_HOST=host)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return response

    render()  # warm: renditions, caches, template loading
    with CaptureQueriesContext(connection) as captured:
        response = render()
    queries = len(captured.captured_queries)
    profiler = cProfile.Profile()
    profiler.enable()
    render()
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        render()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), queries, calls, len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        host, pages = build_content()
        client = Client()
        print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
        print(f"database: {connection.vendor}; renders per page: {args.repeat}")
        print(f"{'page':<28}{'median ms':>10}{'queries':>9}{'calls':>9}{'bytes':>9}")
        for label, page in pages.items():
            median, queries, calls, size = measure(client, host, page.url, args.repeat)
            print(f"{label:<28}{median:>10.1f}{queries:>9}{calls:>9}{size:>9}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
