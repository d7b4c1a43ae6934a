"""The Elasticsearch backend: the search interface of ``search.backends`` on an Elasticsearch node.

Entries live in one index behind an alias (``<prefix>-entries``). ``rebuild()`` fills a new index
and switches the alias in one atomic step, so searches never see an empty or half-built index.
Text arrives analysed by ``search.text`` (``search.documents``) and queries are built from
``analyse_query``, so this backend matches what the built-in one matches; Elasticsearch adds
BM25 ranking, highlighting, aggregations and a spelling dictionary.

When the node is down, slow (``ELASTICSEARCH_TIMEOUT``) or answers with an error, ``search()``
and ``suggest()`` answer from the built-in backend and log a warning; ``SearchResults.backend``
says which one answered. So that it has something to answer from, every write goes to the
built-in backend as well (it lives in the database, so this is cheap). Writes raise after trying
both, and the indexing signals catch them, so a publish never waits on the search engine.
"""

import contextlib
import logging
import re
import threading
import time
from datetime import UTC, datetime
from itertools import groupby

from django.conf import settings
from django.utils.html import escape
from django.utils.module_loading import import_string
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Index, Q, Search
from elasticsearch.exceptions import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import streaming_bulk

from .backends import FACETS, FacetValue, SearchBackend, SearchHit, SearchResults
from .documents import (
    INDEX_SETTINGS,
    LABEL_SEPARATOR,
    MARK_END,
    MARK_START,
    EntryDocument,
    build_entry,
    fold_aligned,
)
from .text import analyse_query

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "search.builtin.BuiltinBackend"
# After a failure, searches go straight to the built-in backend for this long instead of
# waiting on a node that just failed them.
RETRY_AFTER = 15.0
BULK_CHUNK = 500
REBUILD_TIMEOUT = 120.0
MAX_LIMIT = 100
MAX_RESULT_WINDOW = 10_000
MAX_FILTER_VALUES = 50
MAX_FACET_VALUES = 100
SNIPPET_LENGTH = 180

# Where a query word counts, and how much: the title over other names over tags over the text.
FOLDED_FIELDS = ["title_folded^6", "names_folded^4", "tags_folded^2", "text_folded"]
EXACT_FIELDS = ["title_exact^6", "names_exact^4", "text_exact"]
PREFIX_FIELDS = {"title_folded": 6, "names_folded": 4, "joined": 4, "tags_folded": 2, "text_folded": 1}
FUZZY_MIN_LENGTH = 4  # as the built-in backend: shorter words have too many neighbours
PREFIX_MIN_LENGTH = 2
EXACT_BOOST = 2.0  # words typed with their marks rank entries written the same way first
FUZZY_BOOST = 0.3
PREFIX_BOOST = 0.5
JOINED_BOOST = 3.0
BIGRAM_BOOST = 2.0
TITLE_BOOST = 10.0

_clients = {}
_clients_lock = threading.Lock()
_failed_at = {}  # node URL -> time.monotonic() of its last failure


def client_for(url, timeout):
    """One client (and connection pool) per node and timeout for the whole process."""
    key = (url, timeout)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)
        return _clients[key]


class Unavailable(Exception):
    """The node failed a request a moment ago; it is left alone until ``RETRY_AFTER`` passes."""


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, *, url=None, index_prefix=None, timeout=None, fallback=None, retry_after=RETRY_AFTER):
        self.url = url or settings.ELASTICSEARCH_URL
        self.timeout = float(timeout if timeout is not None else settings.ELASTICSEARCH_TIMEOUT)
        prefix = (index_prefix if index_prefix is not None else settings.ELASTICSEARCH_INDEX_PREFIX).lower()
        self.alias = f"{prefix}-entries"
        # Writes made while a rebuild fills a new index go to it too (see rebuild()).
        self.building_alias = f"{self.alias}-building"
        self._fallback = fallback
        self.retry_after = retry_after
        self.client = client_for(self.url, self.timeout)

    @property
    def fallback(self):
        if self._fallback is None:
            self._fallback = import_string(FALLBACK_BACKEND)()
        return self._fallback

    # Writing

    def index_documents(self, documents):
        documents = list(documents)
        self._on_both(self.fallback.index_documents, self._index_documents, documents)

    def delete_documents(self, ids):
        ids = list(ids)
        self._on_both(self.fallback.delete_documents, self._delete_documents, ids)

    def _on_both(self, builtin_write, elasticsearch_write, items):
        """Write to both backends even when the first fails; then raise the first error."""
        if not items:
            return
        errors = []
        for write in (builtin_write, elasticsearch_write):
            try:
                write(items)
            except Exception as error:  # noqa: BLE001 -- raised below, once both have been tried
                errors.append(error)
        if errors:
            raise errors[0]

    def _index_documents(self, documents):
        entries = [build_entry(document) for document in documents]
        targets = self._write_targets()
        actions = (
            {"_op_type": "index", "_index": target, "_id": str(entry["id"]), "_source": entry}
            for entry in entries
            for target in targets
        )
        self._bulk(actions)

    def _delete_documents(self, ids):
        ids = [str(pk) for pk in ids]
        targets = self._write_targets()
        actions = ({"_op_type": "delete", "_index": target, "_id": pk} for pk in ids for target in targets)
        self._bulk(actions)

    def _bulk(self, actions):
        failures = []
        for ok, item in streaming_bulk(
            self.client, actions, chunk_size=BULK_CHUNK, raise_on_error=False, raise_on_exception=True, refresh=True
        ):
            result = next(iter(item.values()))
            if not ok and result.get("status") != 404:  # deleting what is not there is fine
                failures.append(result)
        if failures:
            raise RuntimeError(f"Elasticsearch refused {len(failures)} writes; first: {failures[0]}")

    def _write_targets(self):
        """The live index behind the alias and, during a rebuild, the index being built."""
        if not self.client.indices.exists_alias(name=self.alias):
            self._create_first_index()
        targets = [self.alias]
        with contextlib.suppress(NotFoundError):  # no rebuild under way
            targets += sorted(self.client.indices.get_alias(name=self.building_alias))
        return targets

    def _create_first_index(self):
        # A fixed name: two processes writing the first entry at once create one index, not two.
        name = f"{self.alias}-{0:020d}"
        self._index(name).create(using=self.client.options(ignore_status=400))
        self.client.indices.put_alias(index=name, name=self.alias)

    def _index(self, name, **extra_settings):
        index = Index(name)
        index.settings(**INDEX_SETTINGS, **extra_settings)
        index.document(EntryDocument)
        return index

    def rebuild(self, documents, *, progress=None):
        """Rebuild the built-in backend's index, then Elasticsearch's; returns the count."""
        documents = list(documents)
        self.fallback.rebuild(documents)
        return self.rebuild_elasticsearch(documents, progress=progress)

    def rebuild_elasticsearch(self, documents, *, progress=None):
        """Fill a new index, then point the alias at it and drop the old ones; returns the count."""
        client = self.client.options(request_timeout=max(REBUILD_TIMEOUT, self.timeout))
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        self._index(name, refresh_interval="-1").create(using=client)
        count = 0
        try:
            client.indices.put_alias(index=name, name=self.building_alias)
            actions = (
                {"_op_type": "index", "_index": name, "_id": str(entry["id"]), "_source": entry}
                for entry in map(build_entry, documents)
            )
            for ok, item in streaming_bulk(client, actions, chunk_size=BULK_CHUNK, max_retries=2):
                if not ok:
                    raise RuntimeError(f"Elasticsearch refused an entry: {item}")
                count += 1
                if progress:
                    progress(count)
            client.indices.put_settings(index=name, settings={"index": {"refresh_interval": None}})
            client.indices.refresh(index=name)
            self._switch_alias(client, name)
        except BaseException:
            client.indices.delete(index=name, ignore_unavailable=True)
            raise
        return count

    def _switch_alias(self, client, name):
        pattern = re.compile(rf"{re.escape(self.alias)}-\d{{20}}")
        existing = client.indices.get(index=f"{self.alias}*", expand_wildcards="open,closed")
        actions = [{"add": {"index": name, "alias": self.alias}}]
        actions.append({"remove": {"index": name, "alias": self.building_alias}})
        if self.alias in existing:  # an index created under the alias's name, e.g. by hand
            actions.append({"remove_index": {"index": self.alias}})
        old = [index for index in existing if index != name and pattern.fullmatch(index)]
        actions += [
            {"remove": {"index": index, "alias": self.alias}}
            for index in old
            if self.alias in existing[index]["aliases"]
        ]
        client.indices.update_aliases(actions=actions)
        # Old indices, and any left by a rebuild that died, go once nothing searches them.
        if old:
            client.indices.delete(index=",".join(old), ignore_unavailable=True)

    def drop(self):
        """Delete this prefix's indices and aliases (tests and uninstalls)."""
        # Elasticsearch deletes indices by name only (action.destructive_requires_name).
        names = list(self.client.indices.get(index=f"{self.alias}*", expand_wildcards="all"))
        if names:
            self.client.indices.delete(index=",".join(names), ignore_unavailable=True)

    # Reading

    def search(self, request):
        try:
            self._check_available()
            return self._search(request)
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, the built-in backend answers
            self._fell_back("search", error)
            return self.fallback.search(request)

    def suggest(self, query, *, scope_path="", limit=8):
        try:
            self._check_available()
            return self._suggest(query, scope_path=scope_path, limit=limit)
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, the built-in backend answers
            self._fell_back("suggest", error)
            return self.fallback.suggest(query, scope_path=scope_path, limit=limit)

    def _check_available(self):
        failed_at = _failed_at.get(self.url)
        if failed_at is not None and time.monotonic() - failed_at < self.retry_after:
            raise Unavailable(self.url)

    def _fell_back(self, operation, error):
        if isinstance(error, Unavailable):
            logger.debug("Elasticsearch at %s failed recently; the built-in backend answers", self.url)
            return
        _failed_at[self.url] = time.monotonic()
        # A node that is down or slow needs no traceback; an error in the request does.
        trace = not isinstance(error, TransportError) or isinstance(error, ApiError)
        logger.warning(
            "Elasticsearch %s at %s failed (%s: %s); the built-in backend answers",
            operation,
            self.url,
            type(error).__name__,
            error,
            exc_info=trace,
        )

    def _search(self, request):
        query = analyse_query(request.query)
        limit = max(0, min(int(request.limit), MAX_LIMIT))
        offset = max(0, min(int(request.offset), MAX_RESULT_WINDOW - limit))
        filters = self._filters(request.filters)

        search = Search(using=self.client, index=self.alias).extra(track_total_hits=True, from_=offset, size=limit)
        search = search.source(["id", "source_id", "type", "title", "url_path", "snippet_text"])
        scope = [Q("prefix", path=request.scope_path)] if request.scope_path else []
        if query.is_empty:
            search = search.query(Q("bool", filter=scope)).sort("title_key", "id")
        else:
            search = search.query(Q("bool", must=self._word_queries(query), should=self._ranking(query), filter=scope))
            search = search.highlight_options(
                type="unified",
                pre_tags=[MARK_START],
                post_tags=[MARK_END],
                fragment_size=SNIPPET_LENGTH,
                number_of_fragments=1,
                no_match_size=SNIPPET_LENGTH,
                highlight_query=self._highlight_query(query).to_dict(),
            ).highlight("snippet_folded")
            search = search.suggest("spelling", " ".join(query.folded), term=self._spelling_options())
        if filters:
            search = search.post_filter(Q("bool", filter=list(filters.values())))
        for name in FACETS:
            others = [clause for other, clause in filters.items() if other != name]
            search.aggs.bucket(name, "filter", Q("bool", filter=others)).bucket(
                "values", "terms", field=f"facet_labels.{name}", size=MAX_FACET_VALUES
            )

        response = search.execute()
        return SearchResults(
            count=response.hits.total.value,
            hits=[self._hit(hit, snippet=True) for hit in response.hits],
            facets={name: self._facet_values(response.aggregations[name]["values"].buckets) for name in FACETS},
            suggestion=self._suggestion(query, response) if not query.is_empty else "",
            backend=self.name,
        )

    def _filters(self, requested):
        filters = {}
        for name, values in (requested or {}).items():
            if name not in FACETS:
                continue
            values = [values] if isinstance(values, str) else list(values or [])
            values = [str(value) for value in values if value not in (None, "")][:MAX_FILTER_VALUES]
            if values:
                filters[name] = Q("terms", **{f"facets.{name}": values})
        return filters

    def _word_queries(self, query):
        """One clause per query word; every word must be found, in any of its forms."""
        clauses = []
        last = len(query.folded) - 1
        for position, (word, forms) in enumerate(zip(query.folded, query.alternatives, strict=True)):
            text = " ".join(forms)
            ways = [
                Q("multi_match", query=text, fields=FOLDED_FIELDS, type="best_fields"),
                Q("match", joined={"query": text, "boost": JOINED_BOOST}),
            ]
            if len(word) >= FUZZY_MIN_LENGTH:
                ways.append(
                    Q(
                        "multi_match",
                        query=text,
                        fields=FOLDED_FIELDS,
                        fuzziness=1,
                        prefix_length=1,
                        max_expansions=20,
                        boost=FUZZY_BOOST,
                    )
                )
            if position == last and len(word) >= PREFIX_MIN_LENGTH:
                ways.append(self._prefix_query(word, boost=PREFIX_BOOST))
            clauses.append(Q("dis_max", queries=ways, tie_breaker=0.1))
        return clauses

    def _prefix_query(self, word, boost=1.0, fields=PREFIX_FIELDS):
        return Q(
            "bool",
            should=[Q("prefix", **{field: {"value": word, "boost": weight}}) for field, weight in fields.items()],
            boost=boost,
        )

    def _ranking(self, query):
        """What lifts one match above another: accents as typed, phrases, the whole title."""
        should = []
        accented = [exact for exact, folded in zip(query.exact, query.folded, strict=True) if exact != folded]
        if accented:
            should.append(Q("multi_match", query=" ".join(accented), fields=EXACT_FIELDS, boost=EXACT_BOOST))
        readings = _readings(query)
        phrase_pairs = {
            f"{first}_{second}" for reading in readings for first, second in zip(reading, reading[1:], strict=False)
        }
        if phrase_pairs:
            should.append(Q("match", bigrams={"query": " ".join(sorted(phrase_pairs)), "boost": BIGRAM_BOOST}))
        should += [Q("term", title_key={"value": " ".join(reading), "boost": TITLE_BOOST}) for reading in readings]
        return should

    def _highlight_query(self, query):
        forms = sorted({form for forms in query.alternatives for form in forms})
        should = [Q("terms", snippet_folded=forms)]
        should += [
            Q("fuzzy", snippet_folded={"value": word, "fuzziness": 1, "prefix_length": 1})
            for word in query.folded
            if len(word) >= FUZZY_MIN_LENGTH
        ]
        if len(query.prefix) >= PREFIX_MIN_LENGTH:
            should.append(Q("prefix", snippet_folded=query.prefix))
        return Q("bool", should=should)

    def _spelling_options(self):
        return {"field": "spelling", "suggest_mode": "missing", "size": 1, "prefix_length": 1, "min_word_length": 3}

    def _suggestion(self, query, response):
        """The query with each unknown word replaced by the closest known one, if any was unknown."""
        corrections = {}
        for entry in response.suggest.spelling if "suggest" in response else []:
            if entry.options:
                corrections[entry.text] = entry.options[0].text
        words, changed = [], False
        for exact, folded, telex in zip(query.exact, query.folded, query.telex, strict=True):
            if folded in corrections and not telex:  # a word typed in Telex is known by its reading
                words.append(corrections[folded])
                changed = True
            else:
                words.append(exact)
        return " ".join(words) if changed else ""

    def _facet_values(self, buckets):
        values = {}
        for bucket in buckets:
            value, _, label = bucket.key.partition(LABEL_SEPARATOR)
            # A label renamed since some entries were indexed shows as two buckets: add them up.
            count, best_label, best_count = values.get(value, (0, label, 0))
            if bucket.doc_count > best_count:
                best_label, best_count = label, bucket.doc_count
            values[value] = (count + bucket.doc_count, best_label, best_count)
        ordered = sorted(values.items(), key=lambda item: (-item[1][0], item[1][1]))
        return [FacetValue(value=value, label=label, count=count) for value, (count, label, _) in ordered]

    def _hit(self, hit, snippet=False):
        source = hit.to_dict()
        return SearchHit(
            id=source["id"],
            source_id=source.get("source_id", ""),
            type=source.get("type", ""),
            title=source.get("title", ""),
            url_path=source.get("url_path", ""),
            snippet=self._snippet(hit, source.get("snippet_text", [])) if snippet else "",
            score=hit.meta.score or 0.0,
        )

    def _snippet(self, hit, pieces):
        fragments = getattr(getattr(hit.meta, "highlight", None), "snippet_folded", None)
        if not fragments:
            return escape(pieces[0][:SNIPPET_LENGTH]) if pieces else ""
        return mark_original(fragments[0], pieces)

    def _suggest(self, query, *, scope_path="", limit=8):
        query = analyse_query(query)
        if query.is_empty:
            return []
        limit = max(0, min(int(limit), MAX_LIMIT))
        must = []
        last = len(query.folded) - 1
        for position, forms in enumerate(query.alternatives):
            text = " ".join(forms)
            ways = [Q("multi_match", query=text, fields=["title_folded^2", "names_folded", "joined"])]
            if position == last:
                ways.append(
                    self._prefix_query(query.prefix, fields={"title_folded": 2, "names_folded": 1, "joined": 1})
                )
            must.append(Q("dis_max", queries=ways))
        should = [Q("prefix", title_key={"value": " ".join(query.folded), "boost": TITLE_BOOST})]
        scope = [Q("prefix", path=scope_path)] if scope_path else []
        search = Search(using=self.client, index=self.alias).extra(size=limit)
        search = search.source(["id", "source_id", "type", "title", "url_path"])
        search = search.query(Q("bool", must=must, should=should, filter=scope)).sort("_score", "title_key")
        return [self._hit(hit) for hit in search.execute().hits]


def _readings(query):
    """The folded query, and the query with each Telex word read as its syllable, if different."""
    plain = list(query.folded)
    telex = [reading or folded for folded, reading in zip(query.folded, query.telex, strict=True)]
    return [plain] if telex == plain else [plain, telex]


def mark_original(fragment, pieces):
    """Carry the marks of a highlighted, folded fragment over to the original text, escaped."""
    plain = fragment.replace(MARK_START, "").replace(MARK_END, "")
    for piece in pieces:
        start = fold_aligned(piece).find(plain)
        if start >= 0:
            break
    else:
        return escape(plain)
    parts = ["…"] if start > 0 else []
    position = start
    for marked, run in groupby(fragment, key=lambda char: char in (MARK_START, MARK_END)):
        if marked:
            parts += ["<mark>" if char == MARK_START else "</mark>" for char in run]
        else:
            length = len(list(run))
            parts.append(escape(piece[position : position + length]))
            position += length
    if position < len(piece):
        parts.append("…")
    return "".join(parts)
