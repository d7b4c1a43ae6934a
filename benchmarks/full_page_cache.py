"""Anonymous page requests with the full-page cache off and on (hit): median time.

Usage: .venv/bin/python benchmarks/full_page_cache.py [--repeat 100]
Times depend on the machine and its load: compare the two columns of one run. The cache is the local-memory
one here; Redis or the database cache add one network round trip per hit. The data lives in a
throw-away test database.
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
from django.test.utils import override_settings, setup_test_environment  # noqa: E402


def build_content():
    from sites.models import RelicIndexPage
    from tests.heritage.factories import ImageFactory, build_commune, index_of
    from tests.sites.factories import RelicPageFactory

    commune = build_commune()
    relics = index_of(commune, RelicIndexPage)
    image = ImageFactory(title="Ảnh đình")
    for number in range(20):
        RelicPageFactory(parent=relics, title=f"Đình số {number}", image=image)
    relic = RelicPageFactory(parent=relics, title="Đình Kiến Minh", image=image)
    return commune.site.hostname, {"relic": relic, "relic index (21 entries)": relics, "commune home": commune.home}


def measure(client, host, url, repeat, expected):
    def get():
        response = client.get(url, HTTP_HOST=host)
        if response.status_code != 200 or response.get("X-Cache", "OFF") not in expected:
            raise SystemExit(f"{url} answered {response.status_code} {response.get('X-Cache')}")
        return response

    get()  # warm: renditions, templates, and the cache entry
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        host, pages = build_content()
        client = Client()
        print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
        print(f"database: {connection.vendor}; requests per page and mode: {args.repeat}")
        print(f"{'page':<28}{'off ms':>9}{'hit ms':>9}")
        for label, page in pages.items():
            url = page.get_url_parts()[2]
            off = measure(client, host, url, args.repeat, {"OFF"})
            cache.clear()
            with override_settings(FULL_PAGE_CACHE_ENABLED=True):
                hit = measure(client, host, url, args.repeat, {"MISS", "HIT"})
            print(f"{label:<28}{off:>9.1f}{hit:>9.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
