"""Lighthouse (mobile) on the home page, a relic, the search page and a plaque's landing page: category scores.

Usage: .venv/bin/python benchmarks/lighthouse.py [--runs 1] [--details]
Needs `npm ci` (Lighthouse is pinned in package.json) and Debian's chromium (or CHROME_PATH).

The site runs on a throw-away SQLite database in a temporary folder, with the demo content
(`load_demo_data`), under gunicorn with benchmarks/lighthouse_settings.py: DEBUG off, WhiteNoise with
compressed static files, the database cache and the full-page cache as in production; gzip for HTML
and /media/ with a seven-day lifetime stand in for nginx. Each page is asked for twice before
Lighthouse runs, so it meets a warm full-page cache as a visitor mostly does. The performance score
is a timing measurement (Lighthouse's simulated slow 4G and 4x slower CPU): it depends on the machine
and its load, which the script prints. With --runs N the median score of N runs is shown.
"""

import argparse
import http.client
import json
import os
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 100}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage"

PAGES_SCRIPT = """
import json
from heritage.models import HomePage
from heritage.plaques import plaque_code
from festivals.models import FestivalPage
from sites.models import RelicPage
home = HomePage.objects.get(commune__code="KM")
relic = RelicPage.objects.live().descendant_of(home).order_by("path").first()
festival = FestivalPage.objects.live().descendant_of(home).order_by("path").first()
print(json.dumps({"relic": relic.get_url_parts()[2], "plaque": "/q/" + plaque_code(festival)}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_site(env, port):
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([python, "manage.py", "createcachetable"], env)
    run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    run([python, "manage.py", "load_demo_data", "--port", str(port), "-v", "0"], env, stdout=subprocess.DEVNULL)
    output = run([python, "manage.py", "shell", "-v", "0", "-c", PAGES_SCRIPT], env, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def wait_until_up(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s.")


def warm(url, port):
    """Ask for the page (and where it redirects to) twice, through 127.0.0.1 with its Host header."""
    for _ in range(2):
        target = url
        for _hop in range(3):
            parts = urllib.parse.urlsplit(target)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request(
                "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Host": parts.netloc}
            )
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status not in (301, 302):
                break
            target = urllib.parse.urljoin(target, response.getheader("Location"))


def lighthouse(url, output, chrome_path):
    command = [
        str(LIGHTHOUSE),
        url,
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chrome_path}
    subprocess.run(command, env=env, check=True)
    return json.loads(Path(output).read_text())


def failing_audits(report, category):
    """Audits that lower a category's score: (id, score, title)."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            found.append((audit["id"], audit["score"], audit["title"]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is shown.")
    parser.add_argument("--details", action="store_true", help="List the audits that lower each score.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (reports, database).")
    parser.add_argument(
        "--reuse", type=Path, help="A folder kept by --keep: its database and uploads, static files collected anew."
    )
    args = parser.parse_args()

    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci` in the project folder.")
    chrome_path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome_path:
        raise SystemExit("No Chromium found: install Debian's chromium or set CHROME_PATH.")

    folder = args.reuse or Path(tempfile.mkdtemp(prefix="heritage-lighthouse-"))
    port = int((folder / "port").read_text()) if args.reuse else free_port()
    (folder / "port").write_text(str(port))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lighthouse_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")]),
        "DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }
    env.pop("ELASTICSEARCH_URL", None)
    server = None
    try:
        print(f"Preparing a throw-away site in {folder} ...", file=sys.stderr)
        if args.reuse:
            run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
            paths = json.loads((folder / "pages.json").read_text())
        else:
            paths = prepare_site(env, port)
            (folder / "pages.json").write_text(json.dumps(paths))
        server_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "lighthouse_wsgi:application",
        ]
        server = subprocess.Popen(server_command, env=env, cwd=ROOT)
        commune = f"http://kienminh.localhost:{port}"
        wait_until_up(f"http://127.0.0.1:{port}/healthz/", server)
        pages = {
            "home (commune)": commune + "/",
            "relic": commune + paths["relic"],
            "search": commune + "/tim-kiem/",
            "plaque landing": commune + paths["plaque"],
        }
        scores = {}
        details = {}
        for label, url in pages.items():
            warm(url, port)
            runs = []
            for number in range(args.runs):
                report = lighthouse(url, folder / f"{label.split()[0]}-{number}.json", chrome_path)
                runs.append({name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES})
                details[label] = (report["finalDisplayedUrl"], report)
            scores[label] = {name: statistics.median(run[name] for run in runs) for name in CATEGORIES}

        command = " ".join(shlex.quote(part) for part in [os.path.relpath(sys.executable, ROOT), *sys.argv])
        print(f"command: {command}")
        print(
            f"lighthouse: {LIGHTHOUSE.relative_to(ROOT)} --form-factor=mobile "
            f"--only-categories={','.join(CATEGORIES)} --chrome-flags={shlex.quote(CHROME_FLAGS)} "
            f"(CHROME_PATH={chrome_path}; runs per page: {args.runs})"
        )
        print("server: gunicorn, 2 workers, benchmarks/lighthouse_settings.py, SQLite, full-page cache warm")
        print(f"load: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
        print(f"{'page':<18}{'performance':>13}{'accessibility':>15}{'best practices':>16}{'SEO':>6}")
        for label, row in scores.items():
            cells = [f"{row[name]:g}" + ("" if row[name] >= TARGETS[name] else "!") for name in CATEGORIES]
            print(f"{label:<18}{cells[0]:>13}{cells[1]:>15}{cells[2]:>16}{cells[3]:>6}")
        print("targets: performance >= 95, accessibility 100, best practices >= 95, SEO 100 ('!' marks a miss)")
        if args.details:
            for label, (final_url, report) in details.items():
                print(f"\n{label}: {final_url}")
                for name in CATEGORIES:
                    for audit_id, score, title in failing_audits(report, name):
                        print(f"  {name}: {audit_id} ({score:.2f}) {title}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.keep or args.reuse:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
