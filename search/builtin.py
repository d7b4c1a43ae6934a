"""The built-in search backend: an inverted index in the project's own database.

It needs no extra service and runs the same on SQLite and PostgreSQL. Each entry's fields are
analysed with ``search.text`` into terms (``search.models.SearchTerm``), each with a weight summed
over the fields it occurs in: a title weighs ten times the body text, so the page about a person
ranks above pages that mention them.

A search:

1. finds which forms of each query word the index knows (accented, folded, Telex reading) and,
   for a word it does not know, its typo corrections (one edit, words of four letters or more);
2. gives each entry, per query word, the best weight among the word's forms (accented form >
   folded form > Telex reading > typo correction) times the word's rarity (idf); adds the weights
   of the query's bigrams (phrases rank above scattered syllables) and a bonus when the query is a
   whole title or other name; keeps entries matching most words (all of one or two, two of three,
   three of four...), scaled by the share of words they match;
3. filters, counts facets and cuts the requested page, then reads the texts of that page only.

Step 2 runs on the posting lists of the query's terms, which each process keeps in memory
(``IndexCache``) while the index is unchanged: common syllables such as "làng" occur in most
entries, and summing their postings in Python is several times cheaper than a ``GROUP BY`` in the
database. Every write changes a token in ``SearchIndexState``; a search that sees a new token
drops its cache. The cost of a search grows with the number of matching entries, not with the
size of the index.

An empty query (or one with no words, such as "?!") browses: it returns the entries passing the
filters and scope, newest first, with their facet counts.
"""

import logging
import math
import threading
import uuid
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from itertools import repeat, takewhile
from operator import add, mul

from django.db import connection, transaction

from heritage.text import fold_diacritics, normalize_text

from . import rules
from .backends import FACETS, FacetValue, SearchBackend, SearchHit, SearchResults
from .models import SearchEntry, SearchIndexState, SearchTerm, SearchText
from .rules import (
    ABOUT_ALL,
    COVERAGE,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_TYPO_FORMS,
    MAX_WORDS,
    PARTIAL,
    PHRASE,
    PREFIX_LENGTH,
    SPLIT,
    STARTS_WITH,
    TELEX,
    TYPO,
    WHOLE_NAME,
    facet_labels,
    matching_name,
    may_split,
    required,
    split_pieces,
    splits,
)
from .text import (
    MAX_FUZZY_LENGTH,
    MIN_FUZZY_LENGTH,
    analyse_query,
    bigrams,
    edits1,
    exact_terms,
    fold_word,
    joined_terms,
    prefixes,
    snippet,
)

logger = logging.getLogger(__name__)

# Fields of a search document, their bit in SearchTerm.fields and their weight (search.rules).
TITLE, NAMES, TAGS, SUMMARY, TEXT, LABELS = 1, 2, 4, 8, 16, 32
BITS = {"title": TITLE, "names": NAMES, "tags": TAGS, "labels": LABELS, "summary": SUMMARY, "text": TEXT}
HEAD = TITLE | NAMES
ABOUT = TITLE | NAMES | TAGS | LABELS  # what an entry is, rather than what its text mentions
FIELD_WEIGHTS = {BITS[name]: weight for name, weight in rules.FIELD_WEIGHTS.items()}
MAX_TERM_LENGTH = 100

# Markers of the terms only titles and other names get; \w never produces them.
WHOLE, WORD_PREFIX, NAME_PREFIX = "=", ">", "^"

BATCH = 200
INDEX_NAME = "builtin"
# Postings a process keeps in memory (about 60 bytes each), least recently used dropped first.
CACHED_POSTINGS = 1_000_000


# Writing ----------------------------------------------------------------------------------------


def _texts(value):
    """A document field as a list of non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [normalize_text(str(item)) for item in value if item and str(item).strip()]


def _head_norm(length):
    """Shorter titles and names are more about each of their words."""
    return 1.0 / (1.0 + 0.1 * max(0, length - 2))


_TF = [0.0] + [1.0 + math.log(count) for count in range(1, 21)]


def _tf(count):
    """How much repeating a word in one field adds: less and less, and nothing past 20 times."""
    return _TF[min(count, 20)]


def document_terms(document):
    """``{term: [weight, fields]}`` for a search document."""
    fields = [
        (TITLE, _texts(document.get("title"))),
        (NAMES, _texts(document.get("names"))),
        (TAGS, _texts(document.get("tags"))),
        (SUMMARY, _texts(document.get("summary"))),
        (TEXT, _texts(document.get("text"))),
        (LABELS, facet_labels(document.get("facets"))),
    ]
    terms = {}
    for bit, values in fields:
        counts = Counter()
        norms = defaultdict(float)
        for value in values:
            exact = exact_terms(value)
            folded = [fold_word(term) for term in exact]
            norm = _head_norm(len(folded)) if bit & (HEAD | TAGS | LABELS) else 1.0
            value_terms = folded + [term for term in exact if term not in folded] + bigrams(folded)
            if bit & (HEAD | TAGS):
                value_terms += joined_terms(folded)
            if bit & HEAD and folded:
                joined = "".join(folded)
                value_terms += [WHOLE + joined]
                value_terms += [NAME_PREFIX + prefix for prefix in prefixes(joined, longest=PREFIX_LENGTH)]
                value_terms += list(
                    {WORD_PREFIX + prefix for word in folded for prefix in prefixes(word, longest=PREFIX_LENGTH)}
                )
            for term in value_terms:
                if len(term) <= MAX_TERM_LENGTH:
                    counts[term] += 1
                    norms[term] = max(norms[term], norm)
        weight = FIELD_WEIGHTS[bit]
        for term, count in counts.items():
            entry = terms.setdefault(term, [0.0, 0])
            entry[0] += weight * norms[term] * _tf(count)
            entry[1] |= bit
    return terms


def _facet_lines(facets):
    lines = []
    for name, values in (facets or {}).items():
        for item in values or ():
            value, label = (item[0], item[1]) if isinstance(item, list | tuple) else (item, item)
            clean = [" ".join(str(part).split()) for part in (name, value, label)]
            if clean[1]:
                lines.append("\t".join(clean))
    return "\n".join(lines)


def _entry(document):
    entry = SearchEntry(
        id=int(document["id"]),
        source_id=str(document.get("source_id") or "")[:64],
        type=str(document.get("type") or "")[:32],
        title=normalize_text(str(document.get("title") or ""))[:255],
        url_path=str(document.get("url_path") or ""),
        path=str(document.get("path") or "")[:255],
        facets=_facet_lines(document.get("facets")),
        published_at=document.get("published_at"),
    )
    texts = SearchText(
        entry=entry,
        names="\n".join(_texts(document.get("names"))),
        summary=normalize_text(str(document.get("summary") or "")),
        text="\n".join(_texts(document.get("text"))),
    )
    return entry, texts


def _delete(ids):
    """Delete entries with their terms and texts, child tables first: a few bulk deletes."""
    SearchTerm.objects.filter(entry_id__in=ids).delete()
    SearchText.objects.filter(entry_id__in=ids).delete()
    SearchEntry.objects.filter(id__in=ids).delete()


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Reading ----------------------------------------------------------------------------------------


def _facet_keys(text, labels):
    """The "name<TAB>value" keys of an entry's facet lines; their labels go into ``labels``."""
    keys = set()
    for line in text.split("\n") if text else ():
        name, value, label = (line.split("\t", 2) + ["", ""])[:3]
        key = f"{name}\t{value}"
        keys.add(key)
        labels.setdefault(key, label)
    return frozenset(keys)


def _token():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {_table(SearchIndexState)} WHERE name = %s", [INDEX_NAME])
        row = cursor.fetchone()
    return row[0] if row else None


def _touch():
    """Change the index token: every process's cache of the index is stale from the commit on."""
    token = uuid.uuid4().hex
    if not SearchIndexState.objects.filter(name=INDEX_NAME).update(token=token):
        SearchIndexState.objects.create(name=INDEX_NAME, token=token)


class IndexCache:
    """What a process keeps of the index between searches, valid while the index token is unchanged:
    each entry's facets, title and tree path, and the posting lists of recently searched terms."""

    _current = None
    _lock = threading.Lock()

    def __init__(self, token):
        self.token = token
        self.lock = threading.Lock()
        self._entries = None
        self._newest_first = None
        self._postings = OrderedDict()  # term -> {entry id: weight}
        self._about = {}  # term -> entry ids holding it in their title, names, tags or facet labels
        self._weights = {}
        self._size = 0

    @classmethod
    def get(cls):
        token = _token()
        with cls._lock:
            if cls._current is None or cls._current.token != token:
                cls._current = cls(token)
            return cls._current

    @property
    def entries(self):
        """``{entry id: (entry id, title, tree path)}``, the id being the one object postings share.

        With it, ``by_key`` (``{"name<TAB>value": set of entry ids}``) and ``labels`` (the facet
        values' labels by the same keys).
        """
        if self._entries is None:
            self._load_entries()
        return self._entries

    @property
    def newest_first(self):
        """Every entry id, the most recently published first."""
        if self._entries is None:
            self._load_entries()
        return self._newest_first

    def _load_entries(self):
        rows = SearchEntry.objects.values_list("id", "facets", "title", "path", "published_at")
        entries, dates, labels, by_key = {}, [], {}, defaultdict(set)
        for entry_id, facets, title, path, published_at in rows.iterator(chunk_size=5000):
            entries[entry_id] = (entry_id, title, path)
            for key in _facet_keys(facets, labels):
                by_key[key].add(entry_id)
            dates.append((published_at.timestamp() if published_at else float("-inf"), entry_id))
        dates.sort(key=lambda item: (-item[0], entries[item[1]][1], item[1]))
        self._newest_first = [entry_id for _date, entry_id in dates]
        self.labels = labels
        self.by_key = dict(by_key)
        self._entries = entries

    def postings(self, terms):
        """``{term: {entry id: weight}}`` for the terms the index holds.

        Absent terms are not remembered: looking them up again costs one indexed query, and a
        search then costs the same queries whether or not its terms were searched before.
        """
        found, missing = {}, []
        with self.lock:
            for term in terms:
                if term in self._postings:
                    self._postings.move_to_end(term)
                    found[term] = self._postings[term]
                else:
                    missing.append(term)
        if missing:
            loaded = defaultdict(dict)
            placeholders = ", ".join(["%s"] * len(missing))
            # Ids are the entries' own int objects and equal weights one float object: a posting
            # then costs a dict slot only.
            entries, weights = self.entries, self._weights
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT term, entry_id, weight, fields FROM {_table(SearchTerm)} WHERE term IN ({placeholders})",
                    missing,
                )
                about = defaultdict(set)
                for term, entry_id, weight, bits in cursor.fetchall():
                    entry = entries.get(entry_id)
                    if entry is not None:
                        loaded[term][entry[0]] = weights.setdefault(weight, weight)
                        if bits & ABOUT:
                            about[term].add(entry[0])
            with self.lock:
                for term, postings in loaded.items():
                    self._postings[term] = postings
                    self._about[term] = frozenset(about.get(term, ()))
                    self._size += len(postings)
                while self._size > CACHED_POSTINGS and len(self._postings) > 1:
                    term, postings = self._postings.popitem(last=False)
                    self._about.pop(term, None)
                    self._size -= len(postings)
            found.update(loaded)
        return found

    def about(self, terms):
        """The entries holding any of ``terms`` (already read by ``postings``) in their title,
        other names, tags or facet labels."""
        with self.lock:
            sets = [self._about.get(term, frozenset()) for term in terms]
        return frozenset().union(*sets)


def _document_frequencies(terms):
    """``{term: number of entries}`` for the terms the index holds, without caching their postings."""
    terms = sorted(set(terms))
    if not terms:
        return {}
    placeholders = ", ".join(["%s"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, COUNT(*) FROM {_table(SearchTerm)} WHERE term IN ({placeholders}) GROUP BY term", terms
        )
        return dict(cursor.fetchall())


@dataclass
class Word:
    """One query word and the index terms it may stand for: ``{term: (quality, base form for idf)}``,
    then, once known, ``{term: multiplier}``."""

    position: int
    typed: str
    folded: str
    forms: dict = field(default_factory=dict)
    correction: str = ""  # set when the word matched only through a typo correction
    pieces: set = field(default_factory=set)  # syllables of a word typed without spaces

    def folded_forms(self):
        """Forms to join into bigrams: not the accented ones, beginnings or bigrams."""
        return [
            term
            for term in self.forms
            if not term.startswith(WORD_PREFIX) and "_" not in term and term == fold_diacritics(term)
        ]

    def marks(self):
        """Folded words to mark in snippets."""
        return [*self.folded_forms(), *self.pieces]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _scope_sql(scope_path, alias):
    """SQL keeping entries under a tree path; a prefix comparison with no LIKE wildcards to escape."""
    if not scope_path:
        return "", []
    return f" AND SUBSTR({alias}.path, 1, %s) = %s", [len(scope_path), scope_path]


class BuiltinBackend(SearchBackend):
    """Search in the project's database: accent-insensitive, accent-aware, typo-tolerant."""

    name = "builtin"

    # Index maintenance --------------------------------------------------------------------------

    def index_documents(self, documents):
        documents = [document for document in documents if document and document.get("id") is not None]
        for batch in _chunks(documents, BATCH):
            self._write(batch)
        return len(documents)

    def _write(self, documents):
        entries = {}
        for document in documents:
            entries[int(document["id"])] = (*_entry(document), document_terms(document))
        with transaction.atomic():
            _delete(list(entries))
            SearchEntry.objects.bulk_create([entry for entry, _text_row, _terms in entries.values()])
            SearchText.objects.bulk_create([text_row for _entry_row, text_row, _terms in entries.values()])
            # In index order: inserts then touch neighbouring pages of the term index.
            rows = sorted(
                (term, entry_id, round(weight, 4), bits)
                for entry_id, (_entry_row, _text_row, terms) in entries.items()
                for term, (weight, bits) in terms.items()
            )
            sql = f"INSERT INTO {_table(SearchTerm)} (term, entry_id, weight, fields) VALUES (%s, %s, %s, %s)"
            with connection.cursor() as cursor:
                for chunk in _chunks(rows, 5000):
                    cursor.executemany(sql, chunk)
            _touch()

    def delete_documents(self, ids):
        ids = [int(value) for value in ids]
        with transaction.atomic():
            for chunk in _chunks(ids, 500):
                _delete(chunk)
            if ids:
                _touch()

    def move_documents(self, locations):
        """Give entries new tree and URL paths (``{id: (path, url_path)}``) after their pages moved."""
        entries = [
            SearchEntry(id=int(entry_id), path=str(path)[:255], url_path=str(url_path))
            for entry_id, (path, url_path) in locations.items()
        ]
        with transaction.atomic():
            SearchEntry.objects.bulk_update(entries, ["path", "url_path"], batch_size=500)
            if entries:
                _touch()

    def rebuild(self, documents, *, progress=None):
        """Replace the index entry by entry, then drop what is left over; returns the count.

        ``progress``, if given, is called with the number of entries written so far. Batches are
        written in their own transactions, so searches keep answering (from old and new entries)
        while it runs, and running it twice leaves the same index.
        """
        seen = set()
        batch = []
        for document in documents:
            if not document or document.get("id") is None:
                continue
            batch.append(document)
            if len(batch) >= BATCH:
                seen.update(self._rebuild_batch(batch, len(seen), progress))
                batch = []
        if batch:
            seen.update(self._rebuild_batch(batch, len(seen), progress))
        stale = set(SearchEntry.objects.values_list("id", flat=True)) - seen
        self.delete_documents(stale)
        return len(seen)

    def _rebuild_batch(self, batch, done, progress):
        self._write(batch)
        ids = {int(document["id"]) for document in batch}
        if progress:
            progress(done + len(ids))
        return ids

    # Searching ----------------------------------------------------------------------------------

    def search(self, request):
        try:
            return self._search(request)
        except Exception:  # a visitor's query must never break the page
            logger.exception("Built-in search failed for %r", getattr(request, "query", None))
            return SearchResults(facets={name: [] for name in FACETS}, backend=self.name)

    def _search(self, request):
        limit = max(0, min(_int(request.limit, 10), MAX_LIMIT))
        offset = max(0, min(_int(request.offset, 0), MAX_OFFSET))
        filters = _filters(request.filters)
        scope_path = str(request.scope_path or "")
        query = analyse_query(str(request.query or ""))
        cache = IndexCache.get()
        entries = cache.entries
        words, suggestion, scores = [], "", {}
        if query.is_empty:
            candidates = cache.newest_first
            if scope_path:
                candidates = [entry_id for entry_id in candidates if entries[entry_id][2].startswith(scope_path)]
        else:
            words = self._words(query, cache, len(entries))
            suggestion = rules.suggestion(query, words)
            scores = self._scores(words, cache, scope_path) if words else {}
            candidates = list(scores)
        matches, facets = _filter_and_count(candidates, cache, filters)
        if query.is_empty:
            page = matches[offset : offset + limit]
        else:
            page = _best(matches, scores, entries, offset + limit)[offset:]
        return SearchResults(
            count=len(matches),
            hits=self._hits(page, scores, words),
            facets=facets,
            suggestion=suggestion,
            backend=self.name,
        )

    def _words(self, query, cache, total):
        """The query's words with the index terms each may stand for; words the index lacks are dropped."""
        words = []
        for position, typed, folded, forms in rules.query_words(query):
            # Each form's document frequency is read under its folded spelling.
            bases = {typed: folded, folded: folded}
            forms = {form: (quality, bases.get(form, form)) for form, quality in forms.items()}
            words.append(Word(position, typed, folded, forms))
        postings = cache.postings({term for word in words for term in word.forms})
        known = {term: len(weights) for term, weights in postings.items()}
        split = self._split_joined(words, cache)
        postings.update(split)
        known.update((term, len(weights)) for term, weights in split.items())
        last = query.folded[-1]
        unknown = [word for word in words if not any(base in known for _q, base in word.forms.values())]
        if unknown:
            guesses = {}
            for word in unknown:
                if (
                    MIN_FUZZY_LENGTH <= len(word.folded) <= MAX_FUZZY_LENGTH
                    and word.folded.isascii()
                    and word.folded.isalpha()
                ):
                    guesses[word.folded] = edits1(word.folded)
            partial = [WORD_PREFIX + word.folded for word in unknown if word.folded == last]
            found = _document_frequencies([term for terms in guesses.values() for term in terms] + partial)
            known.update(found)
            # The entries the query's known words find: a correction found with them fits the query.
            context = set().union(*(postings[term].keys() for term in postings))
            for word in unknown:
                candidates = [term for term in guesses.get(word.folded, ()) if term in found]
                together = cache.postings(candidates) if context and len(candidates) > 1 else {}
                corrections = sorted(
                    candidates,
                    key=lambda term: (
                        -len(context & together[term].keys()) if term in together else 0,
                        -found[term],
                        term,
                    ),
                )[:MAX_TYPO_FORMS]
                if corrections:
                    word.forms = {term: (TYPO, term) for term in corrections}
                    word.correction = corrections[0]
                elif WORD_PREFIX + word.folded in found:
                    word.forms = {WORD_PREFIX + word.folded: (PARTIAL, WORD_PREFIX + word.folded)}
        total = total or 1
        kept = []
        for word in words:
            forms = {}
            for term, (quality, base) in word.forms.items():
                if base in known:
                    forms[term] = quality * math.log(1 + total / known[base])
            if forms:
                word.forms = forms
                kept.append(word)
        return kept

    def _split_joined(self, words, cache):
        """Read words typed without spaces ("tranhungdao") as their syllables too, so that text
        mentioning "Trần Hưng Đạo" matches, not only titles and names (where runs are indexed).

        A split is a way to cut the word into syllables the index knows, fewest first; the word
        then also stands for the bigrams of its split. Returns the postings of those bigrams.
        """
        long_words = [word for word in words if may_split(word.folded)]
        if not long_words:
            return {}
        pieces = set().union(*(split_pieces(word.folded) for word in long_words))
        syllables = set(_document_frequencies(pieces))
        ways = {word.folded: splits(word.folded, syllables) for word in long_words}
        found = cache.postings({bigram for cuts in ways.values() for way in cuts for bigram in bigrams(way)})
        for word in long_words:
            for way in ways[word.folded]:
                present = [bigram for bigram in bigrams(way) if bigram in found]
                if present:
                    word.pieces.update(way)
                    for bigram in present:
                        word.forms.setdefault(bigram, (SPLIT, bigram))
        return found

    def _scores(self, words, cache, scope_path):
        """``{entry id: score}`` of the entries matching enough of ``words``, within the scope.

        Sums run column-wise with ``map`` over the candidates: a C loop per posting list rather
        than a Python loop per candidate.
        """
        extra = self._phrase_terms(words)
        postings = cache.postings({term for word in words for term in word.forms} | set(extra))
        matched = Counter()
        about_all = None  # entries holding every query word in their title, names, tags or labels
        by_word = []
        for word in words:
            forms = [(postings[term], multiplier) for term, multiplier in word.forms.items() if term in postings]
            by_word.append(forms)
            keys = forms[0][0].keys() if len(forms) == 1 else set().union(*(found for found, _m in forms))
            matched.update(keys)
            about = cache.about([term for term in word.forms if term in postings])
            about_all = about if about_all is None else about_all & about
        count = len(words)
        required_count = required(count)
        entries = cache.entries
        candidates = [entry_id for entry_id, hits in matched.items() if hits >= required_count and entry_id in entries]
        if scope_path:
            candidates = [entry_id for entry_id in candidates if entries[entry_id][2].startswith(scope_path)]
        if not candidates:
            return {}
        # A long posting list is read as a column over the candidates, with ``map`` (a C loop);
        # a short one, entry by entry. Each costs the shorter of the two lists.
        dense, sparse = [], []
        for forms in by_word + [
            [(postings[term], multiplier)] for term, multiplier in extra.items() if term in postings
        ]:
            long = sum(len(found) for found, _multiplier in forms) * 3 > len(candidates)
            (dense if long else sparse).append(forms)
        totals = [0.0] * len(candidates)
        for forms in dense:
            best = None
            for found, multiplier in forms:
                column = map(mul, map(found.get, candidates, repeat(0.0)), repeat(multiplier))
                best = list(column) if best is None else list(map(max, best, column))
            totals = list(map(add, totals, best))
        # The share of words matched, cubed: two words of three keep 8/27 of the score.
        shares = [(matched[entry_id] / count) ** COVERAGE for entry_id in candidates]
        scores = dict(zip(candidates, map(mul, totals, shares), strict=True))
        coverage = dict(zip(candidates, shares, strict=True))
        for forms in sparse:
            best = {}
            for found, multiplier in forms:
                for entry_id, weight in found.items():
                    value = weight * multiplier
                    if value > best.get(entry_id, 0.0):
                        best[entry_id] = value
            for entry_id, value in best.items():
                if entry_id in scores:
                    scores[entry_id] += value * coverage[entry_id]
        if count > 1:
            for entry_id in about_all or ():
                if entry_id in scores:
                    scores[entry_id] *= ABOUT_ALL
        return scores

    def _phrase_terms(self, words):
        """Bigrams of adjacent query words and the whole query as a name, with their multipliers."""
        terms = {}
        by_position = {word.position: word for word in words}
        for word in words:
            following = by_position.get(word.position + 1)
            if following is None:
                continue
            multiplier = PHRASE * (max(word.forms.values()) + max(following.forms.values())) / 2
            for first in word.folded_forms()[:3]:
                for second in following.folded_forms()[:3]:
                    terms[f"{first}_{second}"] = multiplier
        ordered = [by_position[position] for position in sorted(by_position)]
        if all(word.folded_forms() for word in ordered):
            whole = WHOLE + "".join(word.folded_forms()[0] for word in ordered)
            if len(whole) <= MAX_TERM_LENGTH:
                terms[whole] = WHOLE_NAME * sum(max(word.forms.values()) for word in ordered)
        return terms

    def _hits(self, page, scores, words):
        if not page:
            return []
        placeholders = ", ".join(["%s"] * len(page))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT e.id, e.source_id, e.type, e.title, e.url_path, t.summary, t.text "
                f"FROM {_table(SearchEntry)} e JOIN {_table(SearchText)} t ON t.entry_id = e.id "
                f"WHERE e.id IN ({placeholders})",
                list(page),
            )
            rows = {row[0]: row for row in cursor.fetchall()}
        marked = [form for word in words for form in word.marks()]
        hits = []
        for entry_id in page:
            if entry_id not in rows:
                continue
            _id, source_id, entry_type, title, url_path, summary, text = rows[entry_id]
            hits.append(
                SearchHit(
                    id=entry_id,
                    source_id=source_id,
                    type=entry_type,
                    title=title,
                    url_path=url_path,
                    snippet=snippet([summary, *text.split("\n")], marked),
                    score=round(scores.get(entry_id, 0.0), 4),
                )
            )
        return hits

    # Suggestions --------------------------------------------------------------------------------

    def suggest(self, query, *, scope_path="", limit=8):
        try:
            return self._suggest(query, scope_path=str(scope_path or ""), limit=max(0, min(_int(limit, 8), 50)))
        except Exception:  # typing in the search box must never show an error
            logger.exception("Built-in suggestions failed for %r", query)
            return []

    def _suggest(self, query, *, scope_path, limit):
        query = analyse_query(str(query or ""))
        if query.is_empty or not limit:
            return []
        words = list(zip(query.folded, query.telex, strict=True))[-MAX_WORDS:]
        *complete, (last, last_telex) = words
        slots = [{folded: 1.0, **({telex: TELEX} if telex else {})} for folded, telex in complete]
        slots.append({WORD_PREFIX + last: 1.0, **({WORD_PREFIX + last_telex: TELEX} if last_telex else {})})
        starts = {NAME_PREFIX + "".join(folded for folded, _telex in words)[:PREFIX_LENGTH]: STARTS_WITH}
        columns, params, lookup = [], [], set()
        for slot in slots:
            cases = " ".join("WHEN %s THEN t.weight * %s" for _term in slot)
            columns.append(f"MAX(CASE t.term {cases} END)")
            for term, multiplier in slot.items():
                params += [term, multiplier]
                lookup.add(term)
        columns.append("MAX(CASE t.term WHEN %s THEN %s ELSE 0 END)")
        ((start_term, start_bonus),) = starts.items()
        params += [start_term, start_bonus]
        names = [f"s{index}" for index in range(len(columns))]
        select = ", ".join(f"{column} AS {name}" for column, name in zip(columns, names, strict=True))
        head_terms = sorted({term for slot in slots[:-1] for term in slot})
        prefix_terms = sorted(set(slots[-1]) | {start_term})
        where = []
        if head_terms:
            where.append(f"(t.term IN ({', '.join(['%s'] * len(head_terms))}) AND (t.fields & {HEAD}) <> 0)")
        where.append(f"t.term IN ({', '.join(['%s'] * len(prefix_terms))})")
        params += head_terms + prefix_terms
        matched = " AND ".join(f"m.{name} IS NOT NULL" for name in names[:-1])
        scope, scope_params = _scope_sql(scope_path, "e")
        total = " + ".join(f"m.{name}" for name in names)
        sql = (
            f"SELECT e.id, {total} AS score, e.title FROM (SELECT t.entry_id, {select} "
            f"FROM {_table(SearchTerm)} t WHERE {' OR '.join(where)} GROUP BY t.entry_id) m "
            f"JOIN {_table(SearchEntry)} e ON e.id = m.entry_id WHERE {matched}{scope} "
            f"ORDER BY score DESC, LENGTH(e.title), e.title, e.id LIMIT %s"
        )
        params += [*scope_params, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        entries = SearchEntry.objects.select_related("texts").in_bulk([row[0] for row in rows])
        marked = [folded for folded, _telex in complete]
        hits = []
        for entry_id, score, _title in rows:
            entry = entries[entry_id]
            hits.append(
                SearchHit(
                    id=entry.id,
                    source_id=entry.source_id,
                    type=entry.type,
                    title=entry.title,
                    url_path=entry.url_path,
                    snippet=matching_name(entry.title, entry.texts.names.split("\n"), marked, last, last_telex),
                    score=round(score, 4),
                )
            )
        return hits


def _filter_and_count(candidates, cache, filters):
    """Candidates passing every filter, and facet counts: each facet counted under the other facets' filters.

    Set operations on the cache's ``{facet key: entry ids}``: a C loop per facet value.
    """
    by_key = cache.by_key
    pool = set(candidates)
    allowed = {
        name: set().union(*(by_key.get(f"{name}\t{value}", ()) for value in values)) for name, values in filters.items()
    }
    passing = pool.intersection(*allowed.values())
    facets = {}
    for name in FACETS:
        if name in allowed:
            # This facet's own filter aside: what the visitor would get by choosing another value.
            base = pool.intersection(*(ids for other, ids in allowed.items() if other != name))
        else:
            base = passing
        prefix = f"{name}\t"
        values = []
        for key, ids in by_key.items():
            if key.startswith(prefix):
                number = len(base & ids)
                if number:
                    values.append(FacetValue(value=key[len(prefix) :], label=cache.labels[key], count=number))
        facets[name] = sorted(values, key=lambda value: (-value.count, value.label))
    if len(passing) < len(pool):
        candidates = [entry_id for entry_id in candidates if entry_id in passing]
    return candidates, facets


def _best(matches, scores, entries, count):
    """The ``count`` best entries, by score, then title: ties are sorted only around the cut."""
    if not count or not matches:
        return []
    ranked = sorted(matches, key=scores.__getitem__, reverse=True)
    threshold = scores[ranked[min(count, len(ranked)) - 1]]
    top = ranked[:count] + list(takewhile(lambda entry_id: scores[entry_id] >= threshold, ranked[count:]))
    top.sort(key=lambda entry_id: (-scores[entry_id], entries[entry_id][1], entry_id))
    return top[:count]


def _filters(filters):
    """``{facet: set of accepted values}`` from whatever the request carries; empty lists filter nothing."""
    if not isinstance(filters, dict):
        return {}
    cleaned = {}
    for name, values in filters.items():
        if values is None or values == "":
            continue
        if isinstance(values, str | int):
            values = [values]
        try:
            accepted = {str(value) for value in values if value is not None and str(value) != ""}
        except TypeError:
            continue
        if accepted:
            cleaned[str(name)] = accepted
    return cleaned


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
