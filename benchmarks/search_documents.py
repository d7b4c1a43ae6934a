"""Time reading every entry's search document, as ``rebuild_search_index`` does, and count its queries.

Usage: .venv/bin/python benchmarks/search_documents.py [--repeats 5]

The demo (heritage/fixtures/demo) is loaded into a throw-away test database (SQLite in memory
unless DATABASE_URL names PostgreSQL); ``search.indexing.all_documents()`` is then run
``--repeats`` times. Prints the entries, the queries one run makes, and the median time per run
and per entry. A rebuild reads each kind's relations once per chunk (``search_prefetch``), so
the queries depend on the kinds, not on the number of entries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

    import django

    django.setup()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from heritage.demo import load_demo
    from search.indexing import all_documents

    print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
    one, five, _fifteen = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs; load average {one:.1f} (1 min), {five:.1f} (5 min)")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        load_demo(verbosity=0)
        with CaptureQueriesContext(connection) as captured:
            count = len(list(all_documents()))
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            list(all_documents())
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        print(
            f"database: {connection.vendor}; {count} entries; {len(captured)} queries per run; "
            f"median {median * 1000:.0f} ms per run, {median * 1000 / count:.1f} ms per entry "
            f"({args.repeats} runs)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
