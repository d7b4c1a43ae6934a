"""Index synthetic Vietnamese entries and time indexing and searching, per backend.

Usage: .venv/bin/python benchmarks/search_speed.py [--entries 10000 | --large] [--backend builtin|elasticsearch ...]

Entries are ``search_document()``-shaped dicts generated from a fixed seed (titles, other names,
summaries, tags and facets spread over 20 communes; body text drawn from a bigram chain of the
demo's Vietnamese text, so word frequencies are realistic), given straight to the backend's
``rebuild()``: no Wagtail pages, so 100 000 entries take minutes, not hours. Prints, per backend:
indexing throughput (entries/s), query latency p50 and p95 over a fixed mix of query kinds
(accented, folded, Telex, one-letter typo, prefix, phrase, and the same scoped to one commune),
the same for each query's first search apart (the warm-up, not part of the target: the node has
not cached its count, and nothing is remembered of it unless an earlier query of the mix held the
same words, as the scoped queries do), and the index size (table sizes for the built-in backend,
``_stats`` for Elasticsearch).
The built-in backend runs in a throw-away test database (SQLite in memory unless DATABASE_URL
names PostgreSQL); Elasticsearch uses ELASTICSEARCH_URL and an index prefix dropped afterwards,
with ELASTICSEARCH_TIMEOUT at 30 s unless set, and only searches Elasticsearch itself answered
are timed (a failed search is answered by the built-in backend: those are counted and left out).
Times depend on the machine and its load: compare figures taken on the same machine.
"""

import argparse
import json
import math
import os
import random
import re
import sys
import time
import unicodedata
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEMO_DIR = ROOT / "heritage" / "fixtures" / "demo"
WORD = re.compile(r"\w+")

SEED = 20251123
BENCHMARK_TIMEOUT = 30  # seconds; ELASTICSEARCH_TIMEOUT for the run unless set
COMMUNES = 20
QUERIES_PER_KIND = 25
REPEATS = 3
# Targets from the search design; printed beside the figures.
TARGETS = {
    "builtin": {"entries": 10_000, "p95_ms": 50.0},
    "elasticsearch": {"entries": 100_000, "p95_ms": 30.0, "entries_per_second": 1_000.0},
}
BACKENDS = {"builtin": "search.builtin.BuiltinBackend", "elasticsearch": "search.elastic.ElasticsearchBackend"}

# Syllables of place and person names, with their marks; the text comes from the demo (read_demo_words).
NAME_SYLLABLES = (  # noqa: SIM905 -- a vocabulary reads better as text than as a list
    "An Bình Cầu Chu Đại Đình Đông Đức Giang Hà Hải Hòa Hoàng Hùng Hưng Khánh Khê Kiến Lạc Lâm Lạng Liễn "
    "Linh Long Lương Minh Mỹ Nam Nghĩa Ngọc Nguyệt Phong Phú Phúc Phương Quang Quế Sâm Sơn Tân Thái Thanh "
    "Thành Thịnh Thọ Thủy Tiên Trà Trạch Trung Tường Văn Viên Vĩnh Xuân Yên Côn Cốc Áng Đạo Tất Quốc"
).split()
FAMILY_NAMES = ["Trần", "Nguyễn", "Lê", "Phạm", "Mạc", "Vũ", "Đặng", "Bùi", "Đỗ", "Hoàng", "Ngô", "Dương", "Lý", "Đinh"]
KINDS = {
    "relic": ("Đình", "Chùa", "Đền", "Miếu", "Phủ", "Từ đường họ", "Nghè", "Văn chỉ"),
    "festival": ("Lễ hội", "Hội làng", "Lễ giỗ", "Hội xuân", "Lễ rước"),
    "person": ("",),
    "product": ("Bánh đa", "Chả rươi", "Rượu nếp", "Nghề đan", "Gạo nếp", "Nước mắm", "Nghề chạm gỗ"),
}
TAGS = (
    "đình làng",
    "chùa",
    "thành hoàng",
    "lễ hội làng",
    "nhà Trần",
    "nhà Mạc",
    "ẩm thực",
    "OCOP",
    "nghề thủ công",
    "kiểm kê",
    "sắc phong",
    "communal house",
    "pagoda",
    "festival",
)
RANKS = ("national_special", "national", "city", "")
RELIC_TYPES = ("historical", "architectural_artistic", "archaeological", "scenic")
PERIODS = ("Nhà Lý", "Nhà Trần", "Nhà Mạc", "Lê Trung hưng", "Nhà Nguyễn", "Thời kỳ hiện đại")
TYPE_LABELS = {"relic": "di tích", "festival": "lễ hội", "person": "nhân vật lịch sử", "product": "sản phẩm văn hóa"}
STEP = 4  # treebeard's path step: four base-36 digits per level
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help="100 000 entries.")
    parser.add_argument(
        "--backend",
        action="append",
        choices=sorted(BACKENDS),
        help="Repeatable; default: builtin, and elasticsearch when ELASTICSEARCH_URL is set.",
    )
    parser.add_argument("--repeats", type=int, default=REPEATS, help="Times each query is run (after a warm-up).")
    args = parser.parse_args()
    if args.large:
        args.entries = 100_000
    if not args.backend:
        args.backend = ["builtin", *(["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])]
    if "elasticsearch" in args.backend and not os.environ.get("ELASTICSEARCH_URL"):
        raise SystemExit("Set ELASTICSEARCH_URL to the node to measure (scripts/ can start a local one).")
    return args


# Synthetic entries ------------------------------------------------------------------------------


def step(number):
    digits = ""
    for _ in range(STEP):
        number, digit = divmod(number, 36)
        digits = DIGITS[digit] + digits
    return digits


def commune_path(commune):
    return "0001" + "0001" + step(commune + 1)


def fold(text):
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def place_name(rng):
    return " ".join(rng.sample(NAME_SYLLABLES, 2))


def person_name(rng):
    return f"{rng.choice(FAMILY_NAMES)} {' '.join(rng.sample(NAME_SYLLABLES, 2))}"


def read_demo_words():
    """The words of the demo's texts in order, and the words seen after each: a bigram chain.

    Text drawn from it has the demo's vocabulary and word frequencies (a few hundred syllables,
    "làng" and "đình" everywhere, most words rare), so the index has realistic posting lists.
    """
    words = []
    for path in sorted(DEMO_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for key in ("summary", "body", "significance"):
                if isinstance(record.get(key), str):
                    words += WORD.findall(record[key])
    successors = defaultdict(list)
    for word, following in zip(words, words[1:], strict=False):
        successors[word].append(following)
    return words, successors


def sentence(rng, chain, length):
    words, successors = chain
    word = rng.choice(words)
    drawn = [word]
    for _ in range(length - 1):
        word = rng.choice(successors.get(word) or words)
        drawn.append(word)
    return " ".join(drawn) + "."


def make_document(number, rng, chain):
    entry_type = rng.choices(list(KINDS), weights=(5, 2, 2, 1))[0]
    commune = number % COMMUNES
    place = place_name(rng)
    if entry_type == "person":
        title = person_name(rng)
        names = [f"{rng.choice(('Đức', 'Quan', 'Thánh'))} {title.split()[-1]}"]
    else:
        title = f"{rng.choice(KINDS[entry_type])} {place}"
        names = [f"{rng.choice(('Chùa', 'Đền', 'Đình'))} {place_name(rng)}"] if rng.random() < 0.3 else []
    village = rng.randrange(COMMUNES * 6)
    period = rng.randrange(len(PERIODS))
    facets = {
        "type": [(entry_type, TYPE_LABELS[entry_type])],
        "village": [(str(village), f"Thôn {NAME_SYLLABLES[village % len(NAME_SYLLABLES)]}")],
        "period": [(str(period), PERIODS[period])],
    }
    if entry_type == "relic":
        rank = rng.choice(RANKS)
        facets["rank"] = [(rank, rank)] if rank else []
        relic_type = rng.choice(RELIC_TYPES)
        facets["relic_type"] = [(relic_type, relic_type)]
    slug = f"{fold(title).lower().replace(' ', '-')}-{number}"
    return {
        "id": number + 1,
        "source_id": f"bench-{number:06d}",
        "type": entry_type,
        "title": title,
        "names": names,
        "summary": f"{title} ở làng {place}, {sentence(rng, chain, 14)}",
        "text": [sentence(rng, chain, rng.randint(20, 40)) for _ in range(3)],
        "tags": rng.sample(TAGS, 3),
        "facets": facets,
        "path": commune_path(commune) + "0001" + step(number // COMMUNES + 1),
        "url_path": f"/ha-i-phong/xa-{commune}/muc/{slug}/",
        "image_id": None,
        "location": None,
        "published_at": None,
    }


def make_documents(count):
    rng = random.Random(SEED)
    chain = read_demo_words()
    return [make_document(number, rng, chain) for number in range(count)]


# The query mix ----------------------------------------------------------------------------------

TELEX_MARKS = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
TELEX_LETTERS = {"â": "aa", "ê": "ee", "ô": "oo", "ă": "aw", "ơ": "ow", "ư": "uw", "đ": "dd"}


def to_telex(word):
    """A word as typed in Telex without an input method: "Đình" → "ddinhf"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = ""
    letters = ""
    for char in decomposed:
        if char in TELEX_MARKS:
            tone = TELEX_MARKS[char]
        else:
            letters += char
    letters = unicodedata.normalize("NFC", letters)
    for letter, keys in TELEX_LETTERS.items():
        letters = letters.replace(letter, keys)
    return fold(letters) + tone


def typo(word, rng):
    word = fold(word).lower()
    if len(word) < 4:
        return word + word[-1]
    position = rng.randrange(1, len(word) - 1)
    return word[:position] + word[position + 1 :]


def query_mix(documents):
    """A fixed list of (kind, query, scope path) drawn from the generated entries."""
    rng = random.Random(SEED + 1)
    sample = rng.sample(documents, QUERIES_PER_KIND)
    mix = []
    for document in sample:
        title = document["title"]
        words = title.split()
        body_words = document["text"][0].rstrip(".").split()
        start = rng.randrange(max(1, len(body_words) - 2))
        mix += [
            ("accented", title, ""),
            ("folded", fold(title).lower(), ""),
            ("telex", " ".join(to_telex(word) for word in words), ""),
            ("typo", " ".join([*words[:-1], typo(words[-1], rng)]), ""),
            ("prefix", " ".join([*words[:-1], words[-1][: max(2, len(words[-1]) - 2)]]), ""),
            ("phrase", " ".join(body_words[start : start + 3]).lower(), ""),
            ("scoped", fold(title).lower(), commune_path(rng.randrange(COMMUNES))),
        ]
    return mix


def percentile(values, fraction):
    """Nearest-rank percentile (NaN for no values)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else math.nan


# Sizes ------------------------------------------------------------------------------------------


def builtin_size():
    """Bytes of the built-in backend's tables (and their indexes), from the database itself."""
    from django.apps import apps
    from django.db import connection

    tables = [model._meta.db_table for model in apps.get_app_config("search").get_models()]
    sizes = {}
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                sizes[table] = cursor.fetchone()[0]
            elif connection.vendor == "sqlite":
                try:
                    cursor.execute(
                        "SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR name IN "
                        "(SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s)",
                        [table, table],
                    )
                    sizes[table] = cursor.fetchone()[0] or 0
                except Exception:  # noqa: BLE001 -- SQLite built without the dbstat table
                    cursor.execute("PRAGMA page_count")
                    pages = cursor.fetchone()[0]
                    cursor.execute("PRAGMA page_size")
                    return {"whole database (no dbstat)": pages * cursor.fetchone()[0]}
    return sizes


def elasticsearch_size(backend):
    stats = backend.client.indices.stats(index=backend.alias, metric="store,docs")
    return {name: index["primaries"]["store"]["size_in_bytes"] for name, index in stats["indices"].items()} | {
        "documents": sum(index["primaries"]["docs"]["count"] for index in stats["indices"].values())
    }


def load():
    """The load average, printed with the figures: other work on the machine slows every timing."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min)"


def megabytes(size):
    return f"{size / 1_048_576:.1f} MB"


# The run ----------------------------------------------------------------------------------------


def measure(name, backend, documents, mix, repeats):
    from search.backends import SearchRequest

    started = time.perf_counter()
    backend.rebuild(documents)
    index_seconds = time.perf_counter() - started

    # Only answers from the backend measured count: a search Elasticsearch failed is answered by
    # the built-in backend (search.elastic), fast and beside the point.
    timings, first = {}, []
    fell_back = 0
    for kind, query, scope in mix:
        request = SearchRequest(query=query, scope_path=scope, limit=10)
        # The warm-up: the first time this process and the node see this request. Reported apart.
        started = time.perf_counter()
        answer = backend.search(request)
        if answer.backend == backend.name:
            first.append((time.perf_counter() - started) * 1000)
        for _ in range(repeats):
            started = time.perf_counter()
            answer = backend.search(request)
            elapsed = (time.perf_counter() - started) * 1000
            if answer.backend == backend.name:
                timings.setdefault(kind, []).append(elapsed)
            else:
                fell_back += 1
    suggest_timings = []
    for _kind, query, _scope in mix[:QUERIES_PER_KIND]:
        started = time.perf_counter()
        backend.suggest(query[:4])
        suggest_timings.append((time.perf_counter() - started) * 1000)
    size = builtin_size() if name == "builtin" else elasticsearch_size(backend)
    return index_seconds, timings, first, suggest_timings, size, fell_back


def print_figures(name, count, index_seconds, timings, first, suggest_timings, size, fell_back):
    from django.db import connection

    rate = count / index_seconds if index_seconds else float("inf")
    where = f"database: {connection.vendor}" if name == "builtin" else "node: ELASTICSEARCH_URL"
    print(f"\n== {name} ({where}; timed searches answered by another backend, left out: {fell_back})")
    print(f"indexing: {count} entries in {index_seconds:.1f} s = {rate:,.0f} entries/s")
    print(f"{'query kind':<12}{'queries':>8}{'p50 ms':>9}{'p95 ms':>9}")
    everything = []
    for kind, values in timings.items():
        everything += values
        print(f"{kind:<12}{len(values):>8}{percentile(values, 0.5):>9.1f}{percentile(values, 0.95):>9.1f}")
    p95 = percentile(everything, 0.95)
    print(f"{'all':<12}{len(everything):>8}{percentile(everything, 0.5):>9.1f}{p95:>9.1f}")
    # Not in the target: a query's first search, before the backend and the node have seen it.
    print(f"{'first time':<12}{len(first):>8}{percentile(first, 0.5):>9.1f}{percentile(first, 0.95):>9.1f}")
    print(
        f"{'suggest':<12}{len(suggest_timings):>8}{percentile(suggest_timings, 0.5):>9.1f}"
        f"{percentile(suggest_timings, 0.95):>9.1f}"
    )
    sizes = {key: value for key, value in size.items() if key != "documents"}
    print(
        "index size: "
        + ", ".join(f"{table} {megabytes(bytes_)}" for table, bytes_ in sizes.items())
        + f"; total {megabytes(sum(sizes.values()))}"
        + (f"; {size['documents']} documents" if "documents" in size else "")
    )
    target = TARGETS[name]
    verdicts = []
    if fell_back:
        verdicts.append(f"latency not measured: {fell_back} timed searches were answered by another backend")
    elif count == target["entries"]:
        verdicts.append(
            f"p95 {p95:.1f} ms vs ≤ {target['p95_ms']:.0f} ms: {'met' if p95 <= target['p95_ms'] else 'MISSED'}"
        )
    else:
        verdicts.append(f"p95 target (≤ {target['p95_ms']:.0f} ms) is set at {target['entries']:,} entries")
    if "entries_per_second" in target:
        goal = target["entries_per_second"]
        verdicts.append(f"bulk {rate:,.0f}/s vs ≥ {goal:,.0f}/s: {'met' if rate >= goal else 'MISSED'}")
    print("target: " + "; ".join(verdicts))


def main():
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")
    os.environ["ELASTICSEARCH_INDEX_PREFIX"] = f"speed-{uuid.uuid4().hex[:8]}"
    # A slow first search on a cold index would otherwise be answered by the built-in backend.
    os.environ.setdefault("ELASTICSEARCH_TIMEOUT", str(BENCHMARK_TIMEOUT))

    import django

    django.setup()

    from django.db import connection
    from django.test.utils import setup_test_environment

    print(f"command: {' '.join([os.path.relpath(sys.executable, ROOT), *sys.argv])}")
    print(f"machine: {os.cpu_count()} CPUs; {load()}")
    started = time.perf_counter()
    documents = make_documents(args.entries)
    mix = query_mix(documents)
    print(
        f"{len(documents)} synthetic entries generated in {time.perf_counter() - started:.1f} s; "
        f"{len(mix)} queries ({QUERIES_PER_KIND} per kind) run {args.repeats} times each after a warm-up"
    )
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        for name in args.backend:
            backend = make_backend(name)
            try:
                figures = measure(name, backend, documents, mix, args.repeats)
                print_figures(name, len(documents), *figures)
                print(f"machine after the run: {load()}")
            finally:
                if hasattr(backend, "drop"):
                    backend.drop()
    finally:
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
