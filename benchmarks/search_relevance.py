"""Run the judged search queries over the demo content and print success@1, MRR@10 and nDCG@10.

Usage: .venv/bin/python benchmarks/search_relevance.py [--backend builtin|elasticsearch] [-v] [--json PATH]

The demo (heritage/fixtures/demo) is loaded into a throw-away test database and indexed from
scratch; the queries and their graded judgments are tests/search/relevance/queries.json. With
``--backend elasticsearch`` the node at ELASTICSEARCH_URL gets an index with a unique prefix,
dropped afterwards. ``-v`` lists every query whose best answer is not first, with what came first
and where the judged entries ended up: the list to read when tuning scoring.

Measures, per query (k = 10; grades 0–3, unjudged results count 0):
- success@1: the first result has the query's highest grade;
- MRR@10: 1 / rank of the first result with the highest grade (0 past rank 10);
- nDCG@10: DCG of the results (gain 2^grade − 1, discount log2(rank + 1)) over the ideal order.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
import unicodedata
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "tests" / "search" / "relevance" / "queries.json"
K = 10
BACKENDS = {"builtin": "search.builtin.BuiltinBackend", "elasticsearch": "search.elastic.ElasticsearchBackend"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="builtin")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="Judged queries (JSON).")
    parser.add_argument("--case", action="append", help="Run only these cases (repeatable).")
    parser.add_argument("--json", type=Path, help="Also write every query's results and scores here.")
    parser.add_argument("-v", "--verbose", action="store_true", help="List the queries that miss, with their results.")
    return parser.parse_args()


def configure(args):
    """Environment for the chosen backend, set before Django reads its settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    if args.backend == "elasticsearch":
        if not os.environ.get("ELASTICSEARCH_URL"):
            raise SystemExit("Set ELASTICSEARCH_URL to the node to measure (scripts/ can start a local one).")
        os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"relevance-{uuid.uuid4().hex[:8]}"
        # A slow first search would otherwise be answered by the built-in backend.
        os.environ.setdefault("ELASTICSEARCH_TIMEOUT", "30")
    else:
        os.environ.pop("ELASTICSEARCH_URL", None)


# Measures ----------------------------------------------------------------------------------------


def dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def score_query(source_ids, judgments, k=K):
    """success@1, reciprocal rank and nDCG of one ranked list of source ids."""
    grades = [judgments.get(source_id, 0) for source_id in source_ids[:k]]
    best = max(judgments.values())
    first_best = next((rank for rank, grade in enumerate(grades) if grade == best), None)
    ideal = dcg(sorted(judgments.values(), reverse=True)[:k])
    return {
        "success@1": 1.0 if first_best == 0 else 0.0,
        "mrr@10": 1.0 / (first_best + 1) if first_best is not None else 0.0,
        "ndcg@10": dcg(grades) / ideal if ideal else 0.0,
    }


def mean_scores(rows):
    names = ("success@1", "mrr@10", "ndcg@10")
    return {name: statistics.fmean(row["scores"][name] for row in rows) for name in names}


# The run -----------------------------------------------------------------------------------------


def load_and_index(backend):
    from heritage.demo import load_demo
    from heritage.models import HomePage
    from search.indexing import all_documents

    load_demo(verbosity=0)
    documents = list(all_documents())
    started = time.perf_counter()
    backend.rebuild(documents)
    seconds = time.perf_counter() - started
    scopes = dict(HomePage.objects.values_list("commune__name", "path"))
    return len(documents), seconds, scopes


def run_queries(backend, queries, scopes):
    from search.backends import SearchRequest

    rows = []
    for item in queries:
        query = item["query"]
        if item.get("transform") == "nfd":
            query = unicodedata.normalize("NFD", query)
        request = SearchRequest(query=query, scope_path=scopes[item["scope"]] if item.get("scope") else "", limit=K)
        started = time.perf_counter()
        results = backend.search(request)
        milliseconds = (time.perf_counter() - started) * 1000
        source_ids = [hit.source_id for hit in results.hits]
        rows.append(
            {
                **item,
                "results": [
                    {"source_id": hit.source_id, "title": hit.title, "score": hit.score, "snippet": hit.snippet}
                    for hit in results.hits
                ],
                "count": results.count,
                "suggestion": results.suggestion,
                "answered_by": results.backend,
                "ms": milliseconds,
                "scores": score_query(source_ids, item["judgments"]),
            }
        )
    return rows


def print_report(rows, args, documents, index_seconds, backend_name):
    print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
    one, five, _fifteen = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs; load average {one:.1f} (1 min), {five:.1f} (5 min)")
    answered = sorted({row["answered_by"] for row in rows})
    print(
        f"backend: {backend_name} (answered by: {', '.join(answered)}); demo entries indexed: {documents} "
        f"in {index_seconds:.2f} s; queries: {len(rows)}; "
        f"median query {statistics.median(row['ms'] for row in rows):.1f} ms"
    )
    by_case = defaultdict(list)
    for row in rows:
        by_case[row["case"]].append(row)
    print(f"{'case':<16}{'queries':>8}{'success@1':>11}{'MRR@10':>9}{'nDCG@10':>9}")
    for case, case_rows in by_case.items():
        scores = mean_scores(case_rows)
        print(
            f"{case:<16}{len(case_rows):>8}{scores['success@1']:>11.3f}{scores['mrr@10']:>9.3f}{scores['ndcg@10']:>9.3f}"
        )
    scores = mean_scores(rows)
    print(f"{'overall':<16}{len(rows):>8}{scores['success@1']:>11.3f}{scores['mrr@10']:>9.3f}{scores['ndcg@10']:>9.3f}")


def print_misses(rows):
    misses = [row for row in rows if row["scores"]["success@1"] < 1 or row["scores"]["ndcg@10"] < 0.999]
    print(f"\nQueries whose best answer is not first, or whose order is not ideal ({len(misses)}):")
    for row in misses:
        scores = row["scores"]
        where = f" [scope: {row['scope']}]" if row.get("scope") else ""
        form = " [sent as NFD]" if row.get("transform") == "nfd" else ""
        print(
            f"\n{row['id']} {row['case']}: {row['query']!r}{where}{form} — success@1 {scores['success@1']:.0f}, "
            f"RR {scores['mrr@10']:.2f}, nDCG {scores['ndcg@10']:.2f}; {row['count']} found"
            + (f"; did you mean {row['suggestion']!r}" if row["suggestion"] else "")
        )
        ranked = [result["source_id"] for result in row["results"]]
        for rank, result in enumerate(row["results"][:5], start=1):
            grade = row["judgments"].get(result["source_id"], 0)
            print(f"    {rank}. [{grade}] {result['source_id']:<8} {result['title']}  (score {result['score']:.3f})")
        for source_id, grade in sorted(row["judgments"].items(), key=lambda item: -item[1]):
            if source_id not in ranked[:5]:
                place = f"rank {ranked.index(source_id) + 1}" if source_id in ranked else f"not in the top {K}"
                print(f"    wanted [{grade}] {source_id}: {place}")


def main():
    args = parse_args()
    configure(args)

    import django

    django.setup()

    from django.db import connection
    from django.test.utils import setup_test_environment

    queries = json.loads(args.queries.read_text(encoding="utf-8"))["queries"]
    if args.case:
        queries = [item for item in queries if item["case"] in args.case]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    backend = make_backend(args.backend)
    try:
        documents, index_seconds, scopes = load_and_index(backend)
        rows = run_queries(backend, queries, scopes)
        print_report(rows, args, documents, index_seconds, backend.name)
        if args.verbose:
            print_misses(rows)
        if args.json:
            args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
            print(f"\nPer-query results written to {args.json}")
        if any(row["answered_by"] != backend.name for row in rows):
            print(f"\nWarning: some queries were answered by another backend than {backend.name}.")
    finally:
        if hasattr(backend, "drop"):
            backend.drop()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def make_backend(name):
    """The backend to measure. The test settings never name a node (so that tests cannot reach
    one by accident): Elasticsearch gets ELASTICSEARCH_URL, the prefix and the timeout here."""
    from django.utils.module_loading import import_string

    if name == "elasticsearch":
        return import_string(BACKENDS[name])(
            url=os.environ["ELASTICSEARCH_URL"],
            index_prefix=os.environ["ELASTICSEARCH_INDEX_PREFIX"],
            timeout=float(os.environ["ELASTICSEARCH_TIMEOUT"]),
        )
    return import_string(BACKENDS[name])()


if __name__ == "__main__":
    main()
