"""What a phone downloads on its first visit after scanning a plaque, before any image.

Usage: .venv/bin/python benchmarks/scan_weight.py [--live http://host:port --code KM-0001]

Follows the short URL ``/q/<code>`` to the entry's page, then fetches every stylesheet, script
and font the page needs (CSS ``@import`` and ``url()`` followed), and prints each with its size
as sent and gzipped (level 6, a web server's usual setting). Images (``<img>``, CSS images, the
favicon) are left out: the budget is for what comes before them, 100 KB.

Without ``--live`` it builds a typical relic page in a throw-away test database (the test
settings) and uses Django's test client; static files are read where ``collectstatic`` would
find them. With ``--live`` it asks a running server instead (``--code`` is then required).
"""

import argparse
import gzip
import os
import re
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

BUDGET = 100 * 1024
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def gzipped(data):
    # An empty body (a redirect) is sent as is.
    return len(gzip.compress(data, compresslevel=6, mtime=0)) if data else 0


class TestClientFetcher:
    """Asks Django's test client; static files come from the staticfiles finders."""

    def __init__(self):
        from django.test import Client

        self.client = Client()

    def get(self, url):
        from django.conf import settings
        from django.contrib.staticfiles import finders

        parts = urlsplit(url)
        if parts.path.startswith(settings.STATIC_URL):
            found = finders.find(parts.path[len(settings.STATIC_URL) :])
            if not found:
                raise SystemExit(f"static file not found: {parts.path}")
            return 200, {}, Path(found).read_bytes()
        response = self.client.get(parts.path, HTTP_HOST=parts.netloc or "testserver")
        return response.status_code, dict(response.headers), response.content


class LiveFetcher:
    """Asks a running server, without following redirects itself."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self):
        self.opener = urllib.request.build_opener(self._NoRedirect)

    def get(self, url):
        request = urllib.request.Request(url, headers={"User-Agent": "scan-weight benchmark (Mozilla/5.0 Mobile)"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def follow(fetcher, url):
    """The chain of (url, status, bytes) up to the page, and the page's final URL and body."""
    chain = []
    for _hop in range(5):
        status, headers, body = fetcher.get(url)
        chain.append((url, status, body))
        if status in (301, 302, 303, 307, 308):
            url = urljoin(url, headers.get("Location") or headers.get("location"))
            continue
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        return chain, url, body
    raise SystemExit("too many redirects")


def page_resources(page_url, html):
    """Stylesheets, scripts and fonts the HTML asks for before images, in document order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found = []
    for link in soup.find_all("link", href=True):
        rel = {value.lower() for value in link.get("rel", [])}
        kind = (link.get("as") or "").lower()
        if "stylesheet" in rel or ("preload" in rel and kind in {"style", "script", "font"}) or "modulepreload" in rel:
            found.append(urljoin(page_url, link["href"]))
    for script in soup.find_all("script", src=True):
        found.append(urljoin(page_url, script["src"]))
    for style in soup.find_all("style"):
        found.extend(css_resources(page_url, style.get_text()))
    return list(dict.fromkeys(found))


def css_resources(css_url, css):
    urls = []
    for match in CSS_URL.finditer(css):
        target = match.group(1) or match.group(2)
        if target.startswith("data:"):
            continue
        path = urlsplit(target).path.lower()
        if match.group(2) or path.endswith((".css", *FONT_EXTENSIONS)):
            urls.append(urljoin(css_url, target))
    return urls


def measure(fetcher, short_url):
    chain, page_url, html = follow(fetcher, short_url)
    rows = [(url, len(body), gzipped(body)) for url, _status, body in chain]
    queue = page_resources(page_url, html)
    seen = set()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        status, _headers, body = fetcher.get(url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        rows.append((url, len(body), gzipped(body)))
        if urlsplit(url).path.endswith(".css"):
            queue.extend(css_resources(url, body.decode("utf-8", "replace")))
    return rows


def build_relic():
    """A relic page as a commune publishes it: image, story, decisions, sources, related entries."""
    from heritage.models import EntryLink, PlaqueCode
    from people.models import PersonIndexPage
    from sites.models import RecognitionDecision, RelicIndexPage
    from tests.heritage.factories import ImageFactory, SourceFactory, build_commune, index_of
    from tests.people.factories import PersonPageFactory
    from tests.sites.factories import RelicPageFactory

    commune = build_commune()
    image = ImageFactory(title="Ảnh đình")
    relic = RelicPageFactory(
        parent=index_of(commune, RelicIndexPage),
        title="Đình Kiến Minh",
        summary="Ngôi đình thờ Thành hoàng làng, dựng năm 1688, còn giữ nhiều mảng chạm khắc gỗ thời Lê.",
        image=image,
        latitude="20.800000",
        longitude="106.600000",
        body=[("paragraph", "<p>" + "Đình được dựng lại năm 1688 trên nền đình cũ. " * 40 + "</p>")] * 6,
    )
    relic.recognition_decisions.add(
        RecognitionDecision(level="national", decision_number="548/QĐ-TTg", decision_year=1994)
    )
    people = index_of(commune, PersonIndexPage)
    for number in range(5):
        person = PersonPageFactory(parent=people, title=f"Nhân vật {number}", image=image)
        person.save_revision().publish()
        relic.links_out.add(EntryLink(target=person, relation="related"))
    for source in SourceFactory.create_batch(3):
        relic.source_links.create(source=source, locator="tr. 12")
    relic.save_revision().publish()
    return PlaqueCode.objects.get(page_id=relic.pk).code


def report(rows, command, where):
    print(f"command: {command}")
    print(f"server: {where}")
    print(f"{'resource':<60}{'bytes':>9}{'gzip':>9}")
    for url, size, packed in rows:
        print(f"{urlsplit(url).path[:58]:<60}{size:>9}{packed:>9}")
    total, total_packed = sum(row[1] for row in rows), sum(row[2] for row in rows)
    print(f"{'total (' + str(len(rows)) + ' responses)':<60}{total:>9}{total_packed:>9}")
    verdict = "within" if total_packed <= BUDGET else "OVER"
    print(f"budget 100 KB (102 400 bytes) before images, compressed: {verdict}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", help="Plaque code to follow on the live server.")
    parser.add_argument("--live", help="Base URL of a running server, for example http://127.0.0.1:8000.")
    args = parser.parse_args()
    command = " ".join([os.path.relpath(sys.executable, ROOT), os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])

    if args.live:
        if not args.code:
            parser.error("--live needs --code")
        report(measure(LiveFetcher(), f"{args.live.rstrip('/')}/q/{args.code}"), command, args.live)
        return

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        code = build_relic()
        rows = measure(TestClientFetcher(), f"http://testserver/q/{code}")
        report(
            rows, command, f"Django test client, {connection.vendor}, settings {os.environ['DJANGO_SETTINGS_MODULE']}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
