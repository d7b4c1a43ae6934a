"""Load test of a production-like site on loopback: gunicorn + PostgreSQL, driven by locust.

Usage:
    .venv/bin/python benchmarks/load_test.py                      # 64 users for 300 s
    .venv/bin/python benchmarks/load_test.py --duration 60        # a shorter run
    .venv/bin/python benchmarks/load_test.py --page-cache off     # the same mix with the full-page cache off
    DATABASE_URL=postgres://heritage@127.0.0.1:5433/heritage_load .venv/bin/python benchmarks/load_test.py

What it sets up (and removes again, whatever happens):

- PostgreSQL: the database of ``DATABASE_URL`` when given (it is migrated and filled, not emptied),
  else a throw-away server started like ``scripts/lib.sh start_postgres`` does.
- ``settings.production`` with the environment docs/deployment.md asks for: a ``SECRET_KEY`` made for
  the run, ``ALLOWED_HOSTS``, the database cache table (``createcachetable``), or a throw-away Redis with
  ``--cache redis`` when ``redis-server`` is installed; ``collectstatic``; ``check --deploy``.
- The demo content (``load_demo_data``, as ``scripts/demo`` does) plus ``--entries-per-commune``
  synthetic entries per commune (default 300), copies of the demo entries under new ids, titles and
  coordinates, imported with ``import_heritage`` like real data (they share the demo's pictures).
- gunicorn with ``deploy/gunicorn.conf.py``: ``2 × cores + 1`` gthread workers with two threads each
  (docs/deployment.md), bound to 127.0.0.1.

Every request carries what nginx adds in production (docs/deployment.md): ``X-Forwarded-Proto:
https`` (so no HTTPS redirect) and ``X-Real-IP``, read with ``CLIENT_IP_HEADER=HTTP_X_REAL_IP``. Each
simulated visitor has its own address from 10.0.0.0/8, so the per-address rate limits keep their
production values (120 API and 60 search requests a minute) and are counted, in the cache, on every
request as in production, but the 64 users are not throttled as if they were one address: a real
population of visitors comes from many addresses. ``--one-address`` sends every request from
127.0.0.1 instead (then 429 answers are expected and counted as errors).

The visitor mix (weights of ``Visitor``'s tasks; each user waits ``--wait`` seconds between two
tasks, 0 by default so that the 64 users are 64 connections always busy):

    plaque scan: /q/<code> (302), then the entry page it points to     30
    entry page (relic, festival, person, product), from a list        25
    index page of a commune, with a filter or a page number in 2/3     10
    commune home page                                                  8
    city home page                                                     4
    search page /tim-kiem/?q=... (half the queries without diacritics)  6
    /api/search/?q=... (same queries), /api/search/suggest/?q=...        6
    map: /ban-do/ and /api/geo/entries.geojson                         4
    festival calendar /lich-le-hoi/                                    3
    static assets of a page (stylesheet, scripts), as a first visit     4

Results are split by how the answer was made: "cached" is a Wagtail page answered from the
full-page cache (``X-Cache: HIT``, heritage/cache.py; the pages are warmed first), "uncached" is
everything rendered by Django for the request (search, API, map, calendar, plaque redirects, and any
page answered ``MISS``), and "static" the files WhiteNoise serves. Any failed request (5xx, 4xx
including 429, connection error, timeout) makes the script exit with status 1.
"""

# locust patches the standard library with gevent when it is imported: before anything else.
from locust import between, constant, events, task  # noqa: I001
from locust.contrib.fasthttp import FastHttpUser
from locust.env import Environment

import argparse
import gevent
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Queries people type: with marks, without marks (phones without a Vietnamese keyboard), partial.
QUERIES = [
    ("đình", "dinh"),
    ("chùa", "chua"),
    ("lễ hội", "le hoi"),
    ("Trần Tất Văn", "tran tat van"),
    ("Đại Trà", "dai tra"),
    ("Nguyệt Áng", "nguyet ang"),
    ("trạng nguyên", "trang nguyen"),
    ("thi pháo", "thi phao"),
    ("nhà Mạc", "nha mac"),
    ("Lạng Côn", "lang con"),
    ("bánh", "banh"),
    ("đền thờ", "den tho"),
]
BROWSER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)

# --- Set-up ------------------------------------------------------------------------------------------------


STARTED = time.monotonic()


def log(message):
    print(f"==> [{time.monotonic() - STARTED:4.0f} s] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    return candidates[-1] if candidates else None


class Stack:
    """Everything the run starts, stopped in reverse order by ``close``."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="heritage-load."))
        self.tmp.chmod(0o755)
        self.closers = [lambda: shutil.rmtree(self.tmp, ignore_errors=True)]

    def close(self):
        while self.closers:
            try:
                self.closers.pop()()
            except Exception as error:  # noqa: BLE001 - tidy up the rest whatever happens
                log(f"clean-up step failed: {error}")

    def start_postgres(self):
        """A throw-away PostgreSQL, as scripts/lib.sh start_postgres starts it; returns its URL."""
        binaries = pg_bin()
        if binaries is None:
            raise SystemExit("No PostgreSQL server installed (apt-get install postgresql), and no DATABASE_URL given.")
        run_as = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        data = self.tmp / "pg"
        data.mkdir()
        if os.getuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        port = free_port()
        subprocess.run(
            [*run_as, binaries / "initdb", "-D", data / "data", "-U", "heritage", "--auth=trust", "-E", "UTF8"]
            + ["--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run(
            [*run_as, binaries / "pg_ctl", "-D", data / "data", "-l", data / "postgres.log", "-w", "-t", "60"]
            + ["-o", options, "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.closers.append(
            lambda: subprocess.run(
                [*run_as, binaries / "pg_ctl", "-D", data / "data", "-m", "fast", "-w", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        subprocess.run(
            [*run_as, binaries / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "heritage", "heritage"]
        )
        return f"postgres://heritage@127.0.0.1:{port}/heritage"

    def start_redis(self):
        server = shutil.which("redis-server")
        if not server:
            raise SystemExit("--cache redis needs redis-server (apt-get install redis-server).")
        port = free_port()
        process = subprocess.Popen(
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        self.closers.append(lambda: _stop(process))
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        return f"redis://127.0.0.1:{port}/0"

    def start_gunicorn(self, env, port, log_path):
        log_file = open(log_path, "wb")  # noqa: SIM115 - closed with the server
        process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "settings.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        self.closers.append(log_file.close)
        self.closers.append(lambda: _stop(process))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start (log: {log_path}):\n{Path(log_path).read_text()[-3000:]}")
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz/")
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return process
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz/ within 90 s.")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def manage(env, *args, stdout=None):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE
    )
    if result.returncode:
        sys.stderr.write(result.stdout.decode() if result.stdout else "")
        sys.stderr.write(result.stderr.decode())
        raise SystemExit(f"manage.py {' '.join(args)} failed.")
    return result.stdout.decode() if result.stdout else ""


SYNTHETIC = r"""
import json, random, sys
from pathlib import Path
from heritage.demo import COMMUNES, generate_images, read_entries

per_commune, out_dir = int(sys.argv[1]), Path(sys.argv[2])
rng = random.Random(7)
lines = [json.dumps({"format": "heritage-archive", "version": 1})]
originals = []
for spec in COMMUNES:
    entries = read_entries(spec.path)
    originals += entries
    for number in range(per_commune):
        entry = dict(entries[number % len(entries)])
        entry["id"] = f"{entry['id']}-load{number:04d}"
        entry["title"] = f"{entry['title']} (bản thử tải {number + 1})"
        entry.pop("english_title", None)
        entry.pop("related", None)  # links among the copies would only repeat the demo's
        if entry.get("lat") is not None:
            entry["lat"] = round(entry["lat"] + rng.uniform(-0.02, 0.02), 6)
            entry["lon"] = round(entry["lon"] + rng.uniform(-0.02, 0.02), 6)
        lines.append(json.dumps(entry, ensure_ascii=False))
generate_images(originals, out_dir)
(out_dir / "load.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
"""

DISCOVER = r"""
import json
from wagtail.models import Page, Site
from heritage.models import Period, Village
from heritage.models.plaques import PlaqueCode

kinds = {"RelicPage": "relic", "FestivalPage": "festival", "PersonPage": "person", "ProductPage": "product"}
out = {"entries": [], "indexes": [], "homes": [], "city": None, "plaques": []}
periods = list(Period.objects.values_list("pk", flat=True))
for page in Page.objects.live().public().specific().iterator():
    parts = page.get_url_parts()
    if not parts:
        continue
    host = parts[1].split("://", 1)[1]
    name = type(page).__name__
    item = {"host": host, "path": parts[2]}
    if name in kinds:
        out["entries"].append({**item, "kind": kinds[name]})
    elif name.endswith("IndexPage"):
        commune = getattr(page.get_parent().specific, "commune", None)
        villages = list(Village.objects.filter(commune=commune).values_list("pk", flat=True)) if commune else []
        filters = [f"village={pk}" for pk in villages] + [f"period={pk}" for pk in periods] + ["page=2", "page=3"]
        if name == "RelicIndexPage":
            filters += ["rank=national", "rank=city", "rank=national_special"]
        out["indexes"].append({**item, "filters": filters})
    elif name == "HomePage":
        out["homes"].append(item)
    elif name == "CityHomePage":
        out["city"] = item
for plaque in PlaqueCode.objects.filter(page__live=True).select_related("page"):
    parts = plaque.page.get_url_parts()
    if parts:
        out["plaques"].append({"host": parts[1].split("://", 1)[1], "path": f"/q/{plaque.code}"})
print("DISCOVER" + json.dumps(out))
"""


def set_up(stack, args):
    port = args.port or free_port()
    database_url = os.environ.get("DATABASE_URL") or stack.start_postgres()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "REDIS_", "FULL_PAGE_", "RATE_LIMIT"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,.localhost",
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        DATA_DIR=str(stack.tmp / "data"),
        CLIENT_IP_HEADER="" if args.one_address else "HTTP_X_REAL_IP",
        FULL_PAGE_CACHE="true" if args.page_cache == "on" else "false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_THREADS=str(args.threads),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if args.cache == "redis":
        env["REDIS_URL"] = stack.start_redis()
    log(f"database {database_url}; cache: {args.cache}; page cache: {args.page_cache}")
    manage(env, "migrate", "--noinput", "-v", "0")
    if args.cache == "db":
        manage(env, "createcachetable")
    log("loading the demo content")
    manage(env, "load_demo_data", "--port", str(port), "-v", "0")
    last_id = f"-load{args.entries_per_commune - 1:04d}"
    present = (
        "from heritage.demo import COMMUNES\nfrom heritage.models.pages import HeritagePage\n"
        f"found = HeritagePage.objects.filter(source_id__endswith={last_id!r}).count()\n"
        "print('PRESENT' if found == len(COMMUNES) else 'ABSENT')"
    )
    if args.entries_per_commune and "PRESENT" in manage(env, "shell", "-v", "0", "-c", present):
        log(f"the {args.entries_per_commune} synthetic entries per commune are there already (an earlier run)")
    elif args.entries_per_commune:
        log(f"importing {args.entries_per_commune} synthetic entries per commune")
        files = stack.tmp / "import"
        files.mkdir()
        subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-v",
                "0",
                "-c",
                f"import sys; sys.argv = ['', '{args.entries_per_commune}', '{files}']\n{SYNTHETIC}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        manage(env, "import_heritage", str(files / "load.jsonl"), "--files-dir", str(files), "-v", "0")
    log("collectstatic, check --deploy")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    print(manage(env, "check", "--deploy").strip(), file=sys.stderr)
    output = manage(env, "shell", "-v", "0", "-c", DISCOVER)
    site = json.loads(output.split("DISCOVER", 1)[1])
    # Whatever an earlier run left in the cache (a given DATABASE_URL) would make the first requests hits.
    manage(env, "shell", "-v", "0", "-c", "from django.core.cache import cache; cache.clear()")
    log(f"gunicorn: {args.workers} workers × {args.threads} threads on 127.0.0.1:{port}")
    stack.start_gunicorn(env, port, stack.tmp / "gunicorn.log")
    return port, site


# --- Warming ------------------------------------------------------------------------------------------------


def fetch(port, host, path, headers=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": host, "X-Forwarded-Proto": "https", "User-Agent": BROWSER_AGENT, **(headers or {})},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers.get("X-Cache"), response.read()


def page_urls(site):
    urls = [(item["host"], item["path"]) for item in site["entries"] + site["homes"]]
    if site["city"]:
        urls.append((site["city"]["host"], site["city"]["path"]))
    for index in site["indexes"]:
        urls.append((index["host"], index["path"]))
        urls += [(index["host"], f"{index['path']}?{query}") for query in index["filters"]]
    return urls


def warm(port, site):
    """Visit every page of the mix once (fills the full-page cache), and find the static files pages use."""
    urls = page_urls(site)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda url: fetch(port, *url), urls))
    bad = [(url, status) for url, (status, _cache, _body) in zip(urls, results, strict=True) if status != 200]
    if bad:
        raise SystemExit(f"Warming failed: {bad[:5]}")
    log(f"warmed {len(urls)} pages in {time.monotonic() - started:.0f} s")
    assets = set()
    for _status, _cache, body in results[:50]:
        assets.update(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js|woff2))"', body.decode()))
    return sorted(assets)


# --- The visitors ---------------------------------------------------------------------------------------------


class Visitor(FastHttpUser):
    """One visitor of the archive; see the module's docstring for the mix."""

    site = {}
    assets = []
    port = 0
    one_address = False
    wait_time = constant(0)

    def on_start(self):
        self.address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"

    def get(self, host, path, name, **kwargs):
        headers = {"Host": host, "X-Forwarded-Proto": "https", "User-Agent": BROWSER_AGENT}
        if not self.one_address:
            headers["X-Real-IP"] = self.address
        return self.client.get(path, headers=headers, name=name, **kwargs)

    def new_address(self):
        # A visitor reads a few pages and leaves; the next one comes from elsewhere.
        if random.random() < 0.2:
            self.on_start()

    @task(30)
    def scan_plaque(self):
        plaque = random.choice(self.site["plaques"])
        with self.get(
            plaque["host"], plaque["path"], "plaque /q/<code>", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"expected 302, got {r.status_code}")
                return
            target = urlsplit(r.headers["Location"])
        self.get(target.netloc, target.path, "entry page after a scan")
        self.new_address()

    @task(25)
    def entry(self):
        entry = random.choice(self.site["entries"])
        self.get(entry["host"], entry["path"], f"entry page ({entry['kind']})")
        self.new_address()

    @task(10)
    def index(self):
        index = random.choice(self.site["indexes"])
        if random.random() < 2 / 3:
            self.get(index["host"], f"{index['path']}?{random.choice(index['filters'])}", "index page, filtered")
        else:
            self.get(index["host"], index["path"], "index page")

    @task(8)
    def commune_home(self):
        home = random.choice(self.site["homes"])
        self.get(home["host"], home["path"], "commune home")

    @task(4)
    def city_home(self):
        self.get(self.site["city"]["host"], self.site["city"]["path"], "city home")

    def _query(self):
        marked, plain = random.choice(QUERIES)
        return quote(random.choice((marked, plain)))

    def _any_host(self):
        return random.choice(self.site["homes"] + [self.site["city"]])["host"]

    @task(6)
    def search_page(self):
        self.get(self._any_host(), f"/tim-kiem/?q={self._query()}", "search page")

    @task(6)
    def search_api(self):
        if random.random() < 0.5:
            self.get(self._any_host(), f"/api/search/?q={self._query()}", "api search")
        else:
            self.get(self._any_host(), f"/api/search/suggest/?q={self._query()[:12]}", "api suggest")

    @task(4)
    def map(self):
        host = self._any_host()
        self.get(host, "/ban-do/", "map page")
        self.get(host, "/api/geo/entries.geojson", "map geojson")

    @task(3)
    def calendar(self):
        self.get(self._any_host(), "/lich-le-hoi/", "festival calendar")

    @task(4)
    def static(self):
        host = self._any_host()
        for asset in self.assets:
            self.get(host, asset, "static asset")


# --- Measuring ------------------------------------------------------------------------------------------------


class Collector:
    """Response times by category (cached, uncached, static), from locust's request events."""

    def __init__(self):
        self.times = defaultdict(list)
        self.failures = defaultdict(int)
        self.statuses = defaultdict(int)
        self.page_cache = defaultdict(int)
        self.examples = []

    def on_request(self, request_type, name, response_time, response_length, response, exception, **kwargs):
        headers = getattr(response, "headers", None) or {}
        if name == "static asset":
            category = "static"
        elif headers.get("X-Cache") == "HIT":
            category = "cached"
        else:
            category = "uncached"
        self.times[category].append(response_time)
        if category != "static":
            self.page_cache[headers.get("X-Cache") or "none"] += 1
        status = getattr(response, "status_code", 0)
        self.statuses[status] += 1
        if exception:
            self.failures[category] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{name}: {status} {exception!s:.200}")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_load(args, port, site, assets):
    Visitor.site, Visitor.assets, Visitor.port, Visitor.one_address = site, assets, port, args.one_address
    Visitor.host = f"http://127.0.0.1:{port}"
    Visitor.network_timeout = Visitor.connection_timeout = 60.0
    if args.wait:
        Visitor.wait_time = between(0, 2 * args.wait)
    collector = Collector()
    environment = Environment(user_classes=[Visitor], events=events)
    environment.events.request.add_listener(collector.on_request)
    runner = environment.create_local_runner()
    load_before = uptime()
    runner.start(args.users, spawn_rate=args.users)
    started = time.monotonic()
    gevent.spawn_later(args.duration, runner.quit)
    runner.greenlet.join()
    elapsed = time.monotonic() - started
    return environment, collector, elapsed, load_before, uptime()


def report(args, command, environment, collector, elapsed, load_before, load_after, gunicorn_log):
    stats = environment.stats
    print()
    print(f"command: {command}")
    print(
        f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; users: {args.users}; duration: {elapsed:.0f} s; "
        f"gunicorn: {args.workers} workers × {args.threads} threads; cache: {args.cache}; page cache: {args.page_cache}"
    )
    print(f"load before: {load_before}")
    print(f"load after:  {load_after}")
    print()
    print(f"{'request':<28}{'count':>8}{'fail':>6}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for entry in sorted(stats.entries.values(), key=lambda entry: -entry.num_requests):
        print(
            f"{entry.name:<28}{entry.num_requests:>8}{entry.num_failures:>6}{entry.num_requests / elapsed:>8.1f}"
            f"{entry.get_response_time_percentile(0.5):>8.0f}{entry.get_response_time_percentile(0.95):>8.0f}"
            f"{entry.get_response_time_percentile(0.99):>8.0f}"
        )
    print()
    print(f"{'answered':<28}{'count':>8}{'fail':>6}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    total = []
    for category in ("cached", "uncached", "static"):
        times = collector.times.get(category, [])
        total += times
        print(
            f"{category:<28}{len(times):>8}{collector.failures[category]:>6}{len(times) / elapsed:>8.1f}"
            f"{percentile(times, 0.5):>8.1f}{percentile(times, 0.95):>8.1f}{percentile(times, 0.99):>8.1f}"
        )
    failures = sum(collector.failures.values())
    print(
        f"{'all':<28}{len(total):>8}{failures:>6}{len(total) / elapsed:>8.1f}"
        f"{percentile(total, 0.5):>8.1f}{percentile(total, 0.95):>8.1f}{percentile(total, 0.99):>8.1f}"
    )
    print()
    print("status codes: " + ", ".join(f"{code}: {count}" for code, count in sorted(collector.statuses.items())))
    print("X-Cache: " + ", ".join(f"{value}: {count}" for value, count in sorted(collector.page_cache.items())))
    server_errors = [
        line for line in Path(gunicorn_log).read_text(errors="replace").splitlines() if "Traceback" in line
    ]
    print(f"tracebacks in the gunicorn log: {len(server_errors)}")
    for example in collector.examples:
        print(f"  failed: {example}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds of load (default 300)")
    parser.add_argument("--users", type=int, default=64, help="concurrent users, each one connection (default 64)")
    parser.add_argument("--wait", type=float, default=0, help="mean seconds a user waits between tasks (default 0)")
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (default 2)")
    parser.add_argument("--cache", choices=("db", "redis"), default="db", help="the database cache, or a Redis")
    parser.add_argument("--page-cache", choices=("on", "off"), default="on", help="the full-page cache (default on)")
    parser.add_argument("--entries-per-commune", type=int, default=300, help="synthetic entries added per commune")
    parser.add_argument("--one-address", action="store_true", help="send every request from 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port of gunicorn (default: a free one)")
    parser.add_argument("--keep-log", type=Path, help="copy gunicorn's log here")
    args = parser.parse_args()
    command = " ".join([os.path.relpath(PYTHON, ROOT), *sys.argv])
    if os.environ.get("DATABASE_URL"):
        command = "DATABASE_URL=… " + command

    stack = Stack()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        port, site = set_up(stack, args)
        log(
            f"{len(site['entries'])} entries, {len(site['plaques'])} plaques, {len(site['indexes'])} index pages, "
            f"{len(site['homes'])} commune home pages"
        )
        assets = warm(port, site)
        log(f"static assets per first visit: {', '.join(assets)}")
        log(f"{args.users} users for {args.duration} s")
        environment, collector, elapsed, before, after = run_load(args, port, site, assets)
        gunicorn_log = stack.tmp / "gunicorn.log"
        failures = report(args, command, environment, collector, elapsed, before, after, gunicorn_log)
        if args.keep_log:
            shutil.copy(gunicorn_log, args.keep_log)
    finally:
        stack.close()
    if failures:
        print(f"FAILED: {failures} requests failed.")
        sys.exit(1)
    print("OK: no request failed.")


if __name__ == "__main__":
    main()
