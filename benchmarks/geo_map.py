"""Time and size of the GeoJSON endpoint and the map pages at 10 000 entries, and the map in Chromium.

Usage: .venv/bin/python benchmarks/geo_map.py [--entries 10000] [--repeat 5] [--no-browser]
The data lives in a throw-away test database (SQLite, or DATABASE_URL's server). Pages are written
in bulk, table by table, with the rows Wagtail's add_child writes (no revisions), so that the
figures can be had in minutes. Times
depend on the machine and its load; byte counts and query counts do not.
"""

import argparse
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

from django.core.management.color import no_style  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

# Hải Phòng, roughly: where the random entries fall.
SOUTH, NORTH, WEST, EAST = 20.55, 21.05, 106.40, 106.95


def bulk_children(parent, instances):
    """Add pages below ``parent`` in a few statements: each table of the page's model chain in bulk.

    Wagtail's ``add_child`` costs several queries per page; ten thousand would take half an hour here.
    The rows are the same as ``add_child`` writes (tree path, depth, url_path, live, no revision).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max
    from django.utils import timezone
    from wagtail.models import Page

    if not instances:
        return []
    model = type(instances[0])
    content_type = ContentType.objects.get_for_model(model)
    next_id = (Page.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    now = timezone.now()
    for step, page in enumerate(instances, start=parent.numchild + 1):
        page.id = page.page_ptr_id = next_id
        next_id += 1
        for link in model._meta.parents.values():
            setattr(page, link.attname, page.id)
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth, page.numchild = parent.depth + 1, 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type, page.locale_id = content_type, parent.locale_id
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = now
    chain = [*reversed(model._meta.get_parent_list()), model]
    for table_model in chain:
        fields = list(table_model._meta.local_concrete_fields)
        for start in range(0, len(instances), 200):
            table_model._base_manager._insert(instances[start : start + 200], fields=fields, raw=True)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(instances))
    parent.numchild += len(instances)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Page]):
                cursor.execute(statement)
    return instances


def build_content(total):
    from decimal import Decimal

    from festivals.models import FestivalIndexPage, FestivalPage
    from heritage.models import EntryLink, ProductIndexPage, ProductPage
    from sites.models import RelicIndexPage, RelicPage, RelicType
    from tests.heritage.factories import build_commune, index_of

    rng = random.Random(4)
    communes = [build_commune(f"Xã Đo {n}", f"D{n}", f"do{n}.localhost") for n in range(4)]
    relic_types = list(RelicType.objects.all())
    per_commune = total // len(communes)
    all_relics = []
    started = time.perf_counter()
    for setup in communes:
        relics, products, festivals = [], [], []
        for number in range(per_commune):
            position = {
                "latitude": Decimal(f"{rng.uniform(SOUTH, NORTH):.6f}"),
                "longitude": Decimal(f"{rng.uniform(WEST, EAST):.6f}"),
            }
            if number % 20 == 0:
                position = {}  # one entry in twenty has no place yet
            kind = number % 10
            if kind < 8:
                rank = rng.choice(["national", "city", ""])
                relics.append(
                    RelicPage(
                        title=f"Đình số {number}", slug=f"dinh-{number}", summary="Đình làng.", rank=rank, **position
                    )
                )
            elif kind == 8:
                products.append(
                    ProductPage(title=f"Sản phẩm {number}", slug=f"san-pham-{number}", summary="Đặc sản.", **position)
                )
            else:
                festivals.append(
                    FestivalPage(
                        title=f"Lễ hội {number}",
                        slug=f"le-hoi-{number}",
                        summary="Lễ hội.",
                        start_month=1,
                        start_day=10,
                    )
                )
        bulk_children(index_of(setup, RelicIndexPage), relics)
        bulk_children(index_of(setup, ProductIndexPage), products)
        bulk_children(index_of(setup, FestivalIndexPage), festivals)
        through = RelicPage.relic_types.through
        through.objects.bulk_create(
            [through(relicpage_id=relic.pk, relictype_id=rng.choice(relic_types).pk) for relic in relics]
        )
        EntryLink.objects.bulk_create(
            [
                EntryLink(source_id=festival.pk, target_id=rng.choice(relics).pk, relation="held_at")
                for festival in festivals
            ]
        )
        all_relics.extend(relics)
    print(f"built {total} entries in {time.perf_counter() - started:.0f} s")
    return communes, all_relics


def measure(client, url, host, repeat):
    client.get(url, HTTP_HOST=host)  # warm: templates, site roots
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=host)
    queries = len(captured)  # read now: later requests empty the log it reads from
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, HTTP_HOST=host)
        timings.append((time.perf_counter() - started) * 1000)
    body = response.content
    return statistics.median(timings), queries, len(body), len(gzip.compress(body))


def browser_figures(host, port):
    """Load the city map in Chromium with all entries; time until the markers are on, and one filter."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route("**/*", lambda route: route.continue_() if "localhost" in route.request.url else route.abort())
        started = time.perf_counter()
        page.goto(f"http://{host}:{port}/ban-do/")
        page.locator('[data-site-map][data-map-ready="true"]').wait_for(timeout=120_000)
        ready = (time.perf_counter() - started) * 1000
        markers = page.locator("[data-site-map]").get_attribute("data-visible-count")
        elements = page.locator(".leaflet-marker-icon").count()  # single markers and cluster icons
        started = time.perf_counter()
        page.select_option("#map-filter-kind", "product")
        page.wait_for_function(f"document.querySelector('[data-site-map]').dataset.visibleCount !== '{markers}'")
        filtered = (time.perf_counter() - started) * 1000
        browser.close()
    return ready, markers, elements, filtered


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        communes, relics = build_content(args.entries)
        client = Client()
        commune_host = communes[0].site.hostname
        print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
        print(f"database: {connection.vendor}; entries: {args.entries}; requests per figure: {args.repeat}")
        print(f"{'request':<44}{'median ms':>10}{'queries':>9}{'bytes':>10}{'gzip':>9}")
        detail = relics[len(relics) // 2]
        requests = [
            ("GET /api/geo/entries.geojson (city)", "/api/geo/entries.geojson", "localhost"),
            ("GET /api/geo/entries.geojson?commune=D0", "/api/geo/entries.geojson?commune=D0", "localhost"),
            (
                "GET /api/geo/entries.geojson?bbox=(~5 km)",
                "/api/geo/entries.geojson?bbox=106.6,20.8,106.65,20.85",
                "localhost",
            ),
            ("GET /ban-do/ (city)", "/ban-do/", "localhost"),
            ("GET /ban-do/ (commune)", "/ban-do/", commune_host),
            ("GET relic page (map and nearby)", detail.get_url_parts()[2], commune_host),
            ("GET relic index ?near=", "/di-tich/?near=20.8,106.68", commune_host),
        ]
        for label, url, host in requests:
            median, queries, size, zipped = measure(client, url, host, args.repeat)
            print(f"{label:<44}{median:>10.1f}{queries:>9}{size:>10}{zipped:>9}")

        if not args.no_browser:
            from django.contrib.staticfiles.handlers import StaticFilesHandler
            from django.test.testcases import LiveServerThread

            overrides = {alias: connections[alias] for alias in connections if connections[alias].vendor == "sqlite"}
            for conn in overrides.values():
                conn.inc_thread_sharing()
            server = LiveServerThread("localhost", StaticFilesHandler, connections_override=overrides, port=0)
            server.daemon = True
            server.start()
            server.is_ready.wait()
            try:
                ready, markers, elements, filtered = browser_figures("localhost", server.port)
                print(
                    f"Chromium, city map: markers on the map after {ready:.0f} ms "
                    f"({markers} entries, {elements} marker elements drawn, the rest in clusters); "
                    f"filter to one kind redrawn in {filtered:.0f} ms"
                )
            finally:
                server.terminate()
                for conn in overrides.values():
                    conn.dec_thread_sharing()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
