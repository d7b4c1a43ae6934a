"""Time each request a search sends to Elasticsearch, as the node reports it (``took``).

Usage: ELASTICSEARCH_URL=... .venv/bin/python benchmarks/search_node_time.py [--entries 100000] [--kind folded ...]

Indexes the synthetic entries of ``search_speed.py`` (same seed, same query mix) under an index
prefix of its own, dropped afterwards. Each query is searched once through the backend, which
records the requests it sends; each request is then sent again three times with the node's
request cache off, and the fastest ``took`` kept. Prints, per query kind and request (the probe,
the page of hits, the count with the facets), the median and p95 of those times. This is where
a search's time goes on the node, apart from the round trips and the client's own work, which
``search_speed.py`` includes.
"""

import argparse
import os
import statistics
import sys
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import search_speed  # noqa: E402 -- after the path is set

RUNS = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--kind", action="append", help="Query kinds to time (repeatable); default: all.")
    args = parser.parse_args()
    if not os.environ.get("ELASTICSEARCH_URL"):
        raise SystemExit("Set ELASTICSEARCH_URL to the node to measure (scripts/ can start a local one).")
    return args


def request_name(body):
    if body.get("size"):
        return "hits"
    if "suggest" in body or any(name.startswith(("known", "c")) for name in body.get("aggs", {})):
        return "probe"
    return "count"


def main():
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    import django

    django.setup()

    from search.backends import SearchRequest
    from search.elastic import ElasticsearchBackend

    print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
    print(f"machine: {os.cpu_count()} CPUs; {search_speed.load()}")
    documents = search_speed.make_documents(args.entries)
    mix = [item for item in search_speed.query_mix(documents) if not args.kind or item[0] in args.kind]
    backend = ElasticsearchBackend(
        url=os.environ["ELASTICSEARCH_URL"], index_prefix=f"node-{uuid.uuid4().hex[:8]}", timeout=60
    )
    # Every request body a search sends goes through the backend's _run (an _msearch) or _execute.
    sent = []
    run, execute = backend._run, backend._execute

    def record_run(*bodies):
        sent.extend(bodies)
        return run(*bodies)

    def record_execute(body):
        sent.append(body)
        return execute(body)

    try:
        backend.rebuild(documents)
        print(f"{len(documents)} entries indexed; {len(mix)} queries, each request timed {RUNS} times")
        took = defaultdict(list)
        backend._run, backend._execute = record_run, record_execute
        try:
            for kind, query, scope in mix:
                sent.clear()
                backend.search(SearchRequest(query=query, scope_path=scope, limit=10))
                for body in list(sent):
                    runs = [
                        backend.client.search(index=backend.alias, body=body, request_cache=False)["took"]
                        for _ in range(RUNS)
                    ]
                    took[kind, request_name(body)].append(min(runs))
        finally:
            backend._run, backend._execute = run, execute
        print(f"{'query kind':12} {'request':8} {'requests':>8} {'median ms':>10} {'p95 ms':>8}")
        for (kind, name), values in sorted(took.items()):
            p95 = search_speed.percentile(values, 0.95)
            print(f"{kind:12} {name:8} {len(values):8} {statistics.median(values):10.1f} {p95:8.1f}")
        print(f"machine after the run: {search_speed.load()}")
    finally:
        backend.drop()


if __name__ == "__main__":
    main()
