"""PostgreSQL restarts under a running site: the site recovers by itself, and says so while it is down.

The site runs in gunicorn with the production settings (persistent connections, CONN_MAX_AGE, with
CONN_HEALTH_CHECKS) against a PostgreSQL server of the test's own, holding a copy of the test
database. After ``pg_ctl restart -m fast`` has cut every connection, no request fails: each
request checks its persistent connection before use and opens a new one. While the server is
stopped, pages answer 503 with the "briefly unavailable" page, and again 200 once it is back.
"""

import io
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection

from festivals.models import FestivalIndexPage
from sites.models import RelicIndexPage
from tests.heritage.factories import index_of
from tests.search.test_views import KIEN_MINH_HOST, build_search_content

from .conftest import started
from .http import Visitors, fetch, fetch_with_headers
from .services import SiteServer

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

UNAVAILABLE = "Kho di sản tạm thời gián đoạn"  # the 503 page's heading, in Vietnamese


@pytest.fixture
def site(postgres_server):
    """The site in gunicorn on the test's PostgreSQL, with the test database's content copied in."""
    if connection.vendor != "postgresql":
        pytest.fail(
            "The PostgreSQL fault test copies the test database with pg_dump: run it with DATABASE_URL "
            "set to a PostgreSQL server (scripts/test does, in its PostgreSQL pass).",
            pytrace=False,
        )
    content = build_search_content()
    started(lambda: postgres_server.copy_database(connection.settings_dict))
    server = SiteServer(postgres_server.url)
    try:
        # Production caches in the database (settings/production.py): its table, as createcachetable makes it.
        ddl = io.StringIO()
        call_command("createcachetable", "heritage_cache", dry_run=True, stdout=ddl)
        started(lambda: postgres_server.psql(ddl.getvalue()))
        started(server.start)
        yield server, content
    finally:
        server.stop()


def test_the_site_recovers_from_a_postgres_restart_without_restarting(site, postgres_server):
    server, content = site
    targets = [
        (KIEN_MINH_HOST, "/"),
        (KIEN_MINH_HOST, index_of(content.kien_minh, RelicIndexPage).get_url_parts()[2]),
        (KIEN_MINH_HOST, index_of(content.kien_minh, FestivalIndexPage).get_url_parts()[2]),
        (KIEN_MINH_HOST, content.communal_house.get_url_parts()[2]),
        (KIEN_MINH_HOST, "/tim-kiem/?" + urlencode({"q": "Đại Trà"})),
    ]
    for host, path in targets:
        status, body = fetch(server.url, path, host=host)
        assert status == 200, (path, status, body[:300])
    # Every worker thread holds its connection open between requests (CONN_MAX_AGE).
    with Visitors(server.url, targets, threads=4) as visitors:
        visitors.wait_for("before", 20)
    assert visitors.failures == [], visitors.failures[:3]
    held = int(postgres_server.psql("SELECT count(*) FROM pg_stat_activity WHERE datname = 'heritage'")) - 1
    assert held >= 1, "the site keeps no persistent connection: the restart would test nothing"

    # A restart cuts those connections; the next requests are served all the same.
    postgres_server.restart()
    with Visitors(server.url, targets, threads=4) as visitors:
        visitors.phase = "after restart"
        visitors.wait_for("after restart", 40)
    assert visitors.count("after restart") >= 40, visitors.statuses
    assert visitors.failures == [], visitors.failures[:3]

    # While the server is down: a clear 503 page, no traceback; the health check says so too.
    postgres_server.halt()
    try:
        for host, path in targets:
            status, headers, body = fetch_with_headers(server.url, path, host=host)
            page = body.decode()
            assert status == 503, (path, status, page[:300])
            assert UNAVAILABLE in page and "Traceback" not in page, page[:500]
            assert headers["Retry-After"] == "30"
        status, body = fetch(server.url, "/healthz/")
        assert (status, body) == (503, b"database unavailable\n")
    finally:
        postgres_server.resume()

    # Back: served again, by the same gunicorn.
    pid = server.process.pid
    for host, path in targets:
        status, body = fetch(server.url, path, host=host)
        assert status == 200, (path, status, body[:300])
    assert server.process.pid == pid and server.process.poll() is None
