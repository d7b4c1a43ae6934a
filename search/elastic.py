"""The Elasticsearch backend: the search interface of ``search.backends`` on an Elasticsearch node.

Entries live in one index behind an alias (``<prefix>-entries``). ``rebuild()`` fills a new index
and switches the alias in one atomic step, so searches never see an empty or half-built index.

Text arrives analysed by ``search.text`` (``search.documents``), and queries follow the built-in
backend's rules word for word, so both backends find the same entries: each query word matches
through its folded form, its accented form as typed (ranked higher), its Telex reading or a run
of syllables written together; a word the index does not know is replaced by the closest known
words one edit away (those are the "did you mean" suggestion) or, typed last, matched as the
beginning of a word in a title or name; words nothing matches are dropped; and an entry must
match most of the remaining words (all of one or two, two of three...). Elasticsearch adds BM25
ranking, aggregations for the facets and its spelling dictionary. It ranks by the same measures
as the built-in backend, but adds where that one multiplies (``_ranked_query``), so the order of
the results may differ, not the entries found. Snippets come from
``search.text.snippet`` over the stored text, as in the built-in backend.

When the node is down, slow (``ELASTICSEARCH_TIMEOUT``) or answers with an error, ``search()``
and ``suggest()`` answer from the built-in backend and log a warning; ``SearchResults.backend``
says which one answered. The built-in index is always kept (``search.indexing`` writes it with
every publish), so it has the same entries to answer from. Writes here raise, and the indexing
module catches and logs them after the publish has committed: a publish never waits on, or fails
because of, Elasticsearch; after a failure, writes fail at once for ``RETRY_AFTER`` seconds.
"""

import contextlib
import copy
import logging
import os
import re
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.module_loading import import_string
from elasticsearch import Elasticsearch
from elasticsearch.dsl import Index
from elasticsearch.exceptions import ApiError, NotFoundError, TransportError
from elasticsearch.helpers import streaming_bulk

from .backends import FACETS, FacetValue, SearchBackend, SearchHit, SearchResults
from .documents import INDEX_SETTINGS, LABEL_SEPARATOR, EntryDocument, build_entry
from .rules import (
    FIELD_WEIGHTS,
    JOINED_FIELDS,
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_SYLLABLE_LENGTH,
    MAX_TYPO_FORMS,
    MAX_WORDS,
    PARTIAL,
    PHRASE,
    PREFIX_LENGTH,
    SPLIT,
    STARTS_WITH,
    TYPO,
    WHOLE_FIELDS,
    WHOLE_NAME,
    matching_name,
    may_split,
    query_words,
    required,
    split_pieces,
    splits,
    suggestion,
)
from .text import MAX_FUZZY_LENGTH, MIN_FUZZY_LENGTH, analyse_query, bigrams, snippet

logger = logging.getLogger(__name__)

FALLBACK_BACKEND = "search.builtin.BuiltinBackend"
# After a failure, searches go straight to the built-in backend for this long instead of
# waiting on a node that just failed them.
RETRY_AFTER = 15.0
BULK_CHUNK = 500
SENDERS = 2  # bulk requests in flight during a rebuild
REBUILD_TIMEOUT = 120.0

MAX_SUGGESTIONS = 50
HIT_SOURCE = ["id", "source_id", "type", "title", "url_path", "summary", "text"]  # what a hit shows
MAX_FACET_VALUES = 1000  # the built-in backend lists every value

# Elasticsearch keeps from + size within this window (index.max_result_window).
RESULT_WINDOW = 10_000

# Searches sent to the node beside the probe (see ``_search``), from all threads of the process.
SPECULATIONS = 16

_clients = {}
_clients_lock = threading.Lock()
_speculation_pool = None  # (process id, pool)
# What probes made of queries lately: (alias, folded word) for words left as typed, and for each
# query whose words were changed (a typo, a half-typed word...), the words searched for instead.
# A query whose words are all known here is sent in one request with its probe. This only chooses
# how to ask: the probe always has the last word (``_search``).
_settled = {}
MAX_SETTLED = 50_000
_remembered = {}  # (alias, signature of the words as typed, last folded word) -> (words kept, together probe)
MAX_REMEMBERED = 10_000
_failed_at = {}  # node URL -> time.monotonic() of its last failure


def client_for(url, timeout):
    """One client (and connection pool) per node and timeout for the whole process. A forked
    process (a server's worker) makes its own, rather than share the sockets of its parent."""
    key = (os.getpid(), url, timeout)
    with _clients_lock:
        if key not in _clients:
            nodes = node_urls(url)
            # A request a node cannot take (refused, reset) moves on to the next node named, and
            # the client leaves the failed one alone for a while; a slow node is not retried.
            _clients[key] = Elasticsearch(
                nodes, request_timeout=timeout, max_retries=len(nodes) - 1, retry_on_timeout=False
            )
        return _clients[key]


def _signature(words):
    """Query words as plain values: equal signatures make equal requests."""
    return tuple(
        (word.position, word.typed, word.folded, tuple(word.forms.items()), word.correction, tuple(sorted(word.pieces)))
        for word in words
    )


def _expected(key, words):
    """``(words, together probe body)`` a query of ``words`` is expected to be searched for, from
    what its probe made of it lately (``_remember``); ``(None, None)`` if there is nothing to go on."""
    remembered = _remembered.get(key)
    if remembered is not None:
        kept, together = remembered
        words = [
            Word(position, typed, folded, dict(forms), correction, set(pieces))
            for position, typed, folded, forms, correction, pieces in kept
        ]
        return words, together
    if all((key[0], word.folded) in _settled for word in words):
        return words, None
    return None, None


def _remember(key, kept, together):
    """Remember what the probe made of the query ``key`` (``_search``): words it left as typed are
    settled, one by one; a query whose words it changed is remembered whole."""
    alias, typed, _last = key
    outcome = _signature(kept)
    if outcome == typed:
        _remembered.pop(key, None)
        if len(_settled) >= MAX_SETTLED:
            _settled.clear()
        _settled.update(dict.fromkeys((alias, word.folded) for word in kept))
        return
    for _position, _typed, folded, *_rest in set(typed) - set(outcome):
        _settled.pop((alias, folded), None)  # changed here, so maybe elsewhere too
    if len(_remembered) >= MAX_REMEMBERED:
        _remembered.clear()
    _remembered[key] = (outcome, together)


def _speculations():
    """The process's pool for searches sent beside the probe. A process forked from one that had
    a pool (a server's workers) gets its own: the threads of the first are not in the fork."""
    global _speculation_pool
    with _clients_lock:
        if _speculation_pool is None or _speculation_pool[0] != os.getpid():
            pool = ThreadPoolExecutor(max_workers=SPECULATIONS, thread_name_prefix="search-speculation")
            _speculation_pool = (os.getpid(), pool)
        return _speculation_pool[1]


class Unavailable(Exception):
    """The node failed a request a moment ago; it is left alone until ``RETRY_AFTER`` passes."""


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, *, url=None, index_prefix=None, timeout=None, fallback=None, retry_after=RETRY_AFTER):
        self.url = url or settings.ELASTICSEARCH_URL
        self.node = _without_credentials(self.url)  # for logs: the URL may carry a password
        self.timeout = float(timeout if timeout is not None else settings.ELASTICSEARCH_TIMEOUT)
        prefix = (index_prefix if index_prefix is not None else settings.ELASTICSEARCH_INDEX_PREFIX).lower()
        self.alias = f"{prefix}-entries"
        # Writes made while a rebuild fills a new index go to it too (see rebuild()).
        self.building_alias = f"{self.alias}-building"
        self._fallback = fallback
        self.retry_after = retry_after
        self.client = client_for(self.url, self.timeout)

    def __deepcopy__(self, memo):
        # Tests keep backends in setUpTestData, which deep-copies them: copies share the client
        # (a connection pool, which cannot be copied).
        return copy.copy(self)

    @property
    def fallback(self):
        if self._fallback is None:
            self._fallback = import_string(FALLBACK_BACKEND)()
        return self._fallback

    # Writing

    def index_documents(self, documents):
        entries = [build_entry(document) for document in documents]
        if not entries:
            return
        with self._marking_failures():
            targets = self._write_targets()
            self._bulk(
                {"_op_type": "index", "_index": target, "_id": str(entry["id"]), "_source": entry}
                for entry in entries
                for target in targets
            )

    def delete_documents(self, ids):
        ids = [str(pk) for pk in ids]
        if not ids:
            return
        with self._marking_failures():
            targets = self._write_targets()
            self._bulk({"_op_type": "delete", "_index": target, "_id": pk} for pk in ids for target in targets)

    @contextlib.contextmanager
    def _marking_failures(self):
        """Fail at once if the node failed a moment ago (a publish does not wait on it); note new failures."""
        self._check_available()
        try:
            yield
        except Exception as error:
            if _node_in_trouble(error):
                _failed_at[self.url] = time.monotonic()
            raise

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
        index.settings(**{**INDEX_SETTINGS, **extra_settings})
        index.document(EntryDocument)
        return index

    def rebuild(self, documents, *, progress=None):
        """Fill a new index, then point the alias at it and drop the old ones; returns the count.

        Documents are analysed in this thread (a lazy ``documents`` may read the database, whose
        connections belong to their thread) while the previous batch is being indexed.
        """
        client = self.client.options(request_timeout=max(REBUILD_TIMEOUT, self.timeout))
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        # Nothing searches the new index until the switch, and a rebuild that dies starts over:
        # no refreshes, no replica to copy every write to, and no flushing the translog to disk
        # on every request while it fills. The live settings come back before the switch.
        building = {
            "refresh_interval": "-1",
            "auto_expand_replicas": "false",
            "number_of_replicas": 0,
            "translog.durability": "async",
        }
        self._index(name, **building).create(using=client)
        count = 0
        try:
            client.indices.put_alias(index=name, name=self.building_alias)
            # Batches are analysed here while up to SENDERS earlier ones are being indexed.
            with ThreadPoolExecutor(max_workers=SENDERS) as senders:
                pending = deque()
                for batch in _batches(map(build_entry, documents), BULK_CHUNK):
                    operations = []
                    for entry in batch:
                        operations += [{"index": {"_index": name, "_id": str(entry["id"])}}, entry]
                    if len(pending) >= SENDERS:
                        count += _indexed(pending.popleft().result())
                        if progress:
                            progress(count)
                    pending.append(senders.submit(client.bulk, operations=operations))
                while pending:
                    count += _indexed(pending.popleft().result())
                    if progress:
                        progress(count)
            live = {
                "refresh_interval": None,
                "translog.durability": "request",
                "auto_expand_replicas": INDEX_SETTINGS["auto_expand_replicas"],
            }
            client.indices.put_settings(index=name, settings={"index": live})
            client.indices.refresh(index=name)
            # One segment: a search then sets up each of its many term clauses once, not once per
            # segment (figures in docs/search.md, "One request, one segment"; 15 s at 100 000 entries).
            # Publishing later adds small segments, which the node merges as usual.
            client.indices.forcemerge(index=name, max_num_segments=1)
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
            return self._suggest(
                query, scope_path=str(scope_path or ""), limit=max(0, min(_int(limit, 8), MAX_SUGGESTIONS))
            )
        except Exception as error:  # noqa: BLE001 -- whatever went wrong, the built-in backend answers
            self._fell_back("suggest", error)
            return self.fallback.suggest(query, scope_path=scope_path, limit=limit)

    def _check_available(self):
        failed_at = _failed_at.get(self.url)
        if failed_at is not None and time.monotonic() - failed_at < self.retry_after:
            raise Unavailable(self.node)

    def _fell_back(self, operation, error):
        if isinstance(error, Unavailable):
            logger.debug("Elasticsearch at %s failed recently; the built-in backend answers", self.node)
            return
        if _node_in_trouble(error):
            _failed_at[self.url] = time.monotonic()
        logger.warning(
            "Elasticsearch %s at %s failed (%s: %s); the built-in backend answers",
            operation,
            self.node,
            type(error).__name__,
            error,
            # Elasticsearch says what went wrong; anything else is a bug here and needs its traceback.
            exc_info=not isinstance(error, TransportError | ApiError),
        )

    def _search(self, request):
        limit = max(0, min(_int(request.limit, 10), MAX_LIMIT))
        offset = max(0, min(_int(request.offset, 0), MAX_OFFSET))
        filters = _filter_queries(request.filters)
        scope = _scope(str(request.scope_path or ""))
        query = analyse_query(str(request.query or ""))

        def searches(words):
            """The page of hits, scored, and the count with the facets: two requests the node runs
            side by side. The second needs no scores, so it runs in filter context on the fields
            that only record which words an entry holds, where the node skips scoring and caches
            what it can; the first need not count every match, so it skips those that cannot
            reach the page."""
            if not words:  # browsing: everything in scope, newest first
                matched = {"bool": {"filter": scope}}
                hits = {
                    "query": matched,
                    "sort": [{"published_at": {"order": "desc", "missing": "_last"}}, "title", "id"],
                }
            else:
                presence = [_present_query(word) for word in words]
                held = {"bool": {"should": presence, "minimum_should_match": required(len(words))}}
                matched = {"bool": {"filter": [held, *scope]}}
                hits = {"query": _ranked_query(words, presence, scope), "sort": ["_score", "title", "id"]}
            # Keep within the window Elasticsearch pages through; past it, the count alone.
            size = max(0, min(limit, RESULT_WINDOW - offset))
            hits |= {"_source": HIT_SOURCE, "from": offset if size else 0, "size": size, "track_total_hits": False}
            counted = {"query": matched, "size": 0, "track_total_hits": True}
            if filters:
                chosen = {"bool": {"filter": list(filters.values())}}
                hits["post_filter"] = counted["post_filter"] = chosen
            counted["aggs"] = {
                name: {
                    "filter": {"bool": {"filter": [clause for other, clause in filters.items() if other != name]}},
                    "aggs": {"values": {"terms": {"field": f"facet_labels.{name}", "size": MAX_FACET_VALUES}}},
                }
                for name in FACETS
            }
            return [hits, counted]

        words, did_you_mean = [], ""
        if query.is_empty:
            response, counted = self._run(*searches([]))
        else:
            words = _query_words(query)
            key = (self.alias, _signature(words), query.folded[-1])
            # Most queries hold only words the index knows, or words whose probe outcome is
            # remembered: those are searched for as expected, in one request with the probe. Others
            # are searched for as typed beside the probe, so that when the probe changes the words
            # the changed words are searched for at once, without waiting for a search it drops.
            # Either way the probe has the last word: a search made for other words is made again.
            guessed, together_sent = _expected(key, words)
            as_typed = found = None
            if guessed is not None:
                sent = [self._probe(words, query), *([together_sent] if together_sent else []), *searches(guessed)]
                probe, *found, response, counted = self._run(*sent)
                found = found[0] if found else None
            else:
                guessed = words
                as_typed = _speculations().submit(self._run, *searches(words))
                probe = self._execute(self._probe(words, query))
            expected = _signature(guessed)
            kept, together, pending = self._resolve(words, probe, together_sent, found)
            if pending is None and _signature(kept) == expected:
                if as_typed is not None:
                    response, counted = as_typed.result()
            else:
                if as_typed is not None:
                    as_typed.cancel()
                if not kept:
                    return SearchResults(
                        facets={name: [] for name in FACETS}, suggestion=suggestion(query, kept), backend=self.name
                    )
                if pending is None:
                    response, counted = self._run(*searches(kept))
                else:
                    # The together probe only orders the corrections here: it goes with the search,
                    # which is made again should the best correction change.
                    found, response, counted = self._run(together, *searches(kept))
                    best = [word.correction for word in kept]
                    kept = pending(found)
                    if [word.correction for word in kept] != best:
                        response, counted = self._run(*searches(kept))
            _remember(key, kept, together)
            did_you_mean = suggestion(query, kept)
            words = kept
        marked = [form for word in words for form in word.marks()]
        return SearchResults(
            count=counted["hits"]["total"]["value"],
            hits=[self._hit(hit, marked) for hit in _holding_enough(response["hits"]["hits"], len(words))],
            facets={name: _facet_values(counted["aggregations"][name]["values"]["buckets"]) for name in FACETS},
            suggestion=did_you_mean,
            backend=self.name,
        )

    def _resolve(self, words, probe, together_sent=None, found=None):
        """What the probe's answer makes of the words: ``(kept, together, pending)``. ``kept`` are
        the words to search for, each with the forms the index has for it (``_kept_words``).
        ``together`` is the together probe when a word has a choice of corrections
        (``_together_probe``), else ``None``. Its answer is read here when ``found`` answers the
        same body sent as ``together_sent``, or when it decides which corrections are kept (it is
        asked now); ``pending`` is then ``None``. Otherwise the probe is still to go with the
        search, and ``pending(its answer)`` gives the words kept then."""
        self._split_joined(words, probe)
        known, candidates = self._known_and_candidates(words, probe)
        together = self._together_probe(known, candidates)

        def pending(answer):
            return self._kept_words(words, probe, known, candidates, self._together(answer, candidates))

        if together is None:
            return self._kept_words(words, probe, known, candidates, {}), None, None
        if found is not None and together == together_sent:
            return pending(found), together, None
        if any(len(terms) > MAX_TYPO_FORMS for terms in candidates.values()):
            return pending(self._execute(together)), together, None
        return self._kept_words(words, probe, known, candidates, {}), together, pending

    # Requests are plain dicts, sent with the client's own calls: elasticsearch.dsl's query and
    # response objects cost the client more than the node takes to answer.

    def _execute(self, body):
        """The answer to one search request body."""
        return self.client.search(index=self.alias, body=body).body

    def _run(self, *bodies):
        """The answers to search request bodies sent in one request (``_msearch``), in order;
        raises if the node failed any of them."""
        answer = self.client.msearch(index=self.alias, searches=[part for body in bodies for part in ({}, body)])
        for response in answer["responses"]:
            if "error" in response:
                raise ApiError(str(response["error"]), meta=answer.meta, body=response)
        return answer["responses"]

    def _probe(self, words, query):
        """A request finding which words the index knows (in any field, as a syllable or a run),
        the known words one edit away from each, whether the last word begins a word of a title
        or name, and, for words that may be syllables typed without spaces, which of their pieces
        are syllables and which pairs of pieces are bigrams of some entry."""
        last = query.folded[-1]
        aggs, typos = {}, {}
        for index, word in enumerate(words):
            aggs[f"known{index}"] = {"filter": {"terms": {"spelling": word.folded_forms()}}}
            if _may_be_typo(word.folded):
                typos[f"typo{index}"] = {"text": word.folded, "term": _TYPO_SUGGESTER}
            if word.folded == last and len(last) <= PREFIX_LENGTH:
                aggs[f"partial{index}"] = {"filter": _prefix_query(last, WHOLE_FIELDS)}
        long_words = [word.folded for word in words if may_split(word.folded)]
        if long_words:
            pieces = sorted(set().union(*map(split_pieces, long_words)))
            aggs["pieces"] = {"filters": {"filters": {piece: {"term": {"spelling": piece}} for piece in pieces}}}
            pairs = sorted(set().union(*map(_piece_pairs, long_words)))
            if len(pairs) <= MAX_PAIRS_PROBED:
                aggs["pairs"] = {"filters": {"filters": {pair: {"term": {"phrases": pair}} for pair in pairs}}}
        return {"size": 0, "track_total_hits": False, "aggs": aggs} | ({"suggest": typos} if typos else {})

    def _split_joined(self, words, probe):
        """Read words typed without spaces ("tranhungdao") as their syllables too, as the built-in
        backend does: each way to cut the word into known syllables (fewest pieces first) whose
        bigrams some entry holds adds those bigrams as forms of the word. Returns whether any did."""
        aggregations = probe.get("aggregations", {})
        if "pieces" not in aggregations:
            return False
        syllables = {piece for piece, bucket in aggregations["pieces"]["buckets"].items() if bucket["doc_count"]}
        ways = {word.position: splits(word.folded, syllables) for word in words if may_split(word.folded)}
        wanted = {pair for cuts in ways.values() for way in cuts for pair in bigrams(way)}
        if not wanted:
            return False
        if "pairs" in aggregations:
            found = {pair for pair, bucket in aggregations["pairs"]["buckets"].items() if bucket["doc_count"]}
        else:
            found = self._present_bigrams(sorted(wanted))
        added = False
        for word in words:
            for way in ways.get(word.position, ()):
                present = [pair for pair in bigrams(way) if pair in found]
                if present:
                    word.pieces.update(way)
                    for pair in present:
                        word.forms.setdefault(pair, (SPLIT, BIGRAM))
                    added = True
        return added

    def _present_bigrams(self, pairs):
        asked = {"filters": {"filters": {pair: {"term": {"phrases": pair}} for pair in pairs}}}
        answer = self._execute({"size": 0, "track_total_hits": False, "aggs": {"pairs": asked}})
        return {pair for pair, bucket in answer["aggregations"]["pairs"]["buckets"].items() if bucket["doc_count"]}

    def _known_and_candidates(self, words, response):
        """The words the index knows, and ``{word index: {correction: frequency}}`` for the others."""
        suggested = response.get("suggest", {})
        known = []
        for index, word in enumerate(words):
            if response["aggregations"][f"known{index}"]["doc_count"]:
                known.append(word)
            elif word.bigram_forms():
                # Known only as syllables typed without spaces: the run itself matches nothing.
                word.forms = {form: value for form, value in word.forms.items() if value[1] == BIGRAM}
                known.append(word)
        candidates = {}
        for index, word in enumerate(words):
            if word not in known:
                options = [option for entry in suggested.get(f"typo{index}", []) for option in entry["options"]]
                candidates[index] = {option["text"]: option["freq"] for option in options}
        return known, candidates

    def _kept_words(self, words, response, known, candidates, together):
        """The words with the forms the index has for them; words nothing matches are dropped."""
        kept = []
        for index, word in enumerate(words):
            if word in known:
                kept.append(word)
                continue
            found = candidates.get(index, {})
            # A correction that occurs with the query's known words fits it best, then the commonest.
            corrections = sorted(found, key=lambda term: (-together.get((index, term), 0), -found[term], term))
            if corrections:
                word.forms = dict.fromkeys(corrections[:MAX_TYPO_FORMS], (TYPO, FOLDED))
                word.correction = corrections[0]
                kept.append(word)
            elif response["aggregations"].get(f"partial{index}", {}).get("doc_count"):
                word.forms = {word.folded: (PARTIAL, PREFIX)}
                kept.append(word)
        return kept

    def _together_probe(self, known, candidates):
        """A request counting, for each correction of a word with a choice, the entries holding it
        and any of the known words; ``None`` if no word has a choice. Read with ``_together``."""
        choices = {index: terms for index, terms in candidates.items() if len(terms) > 1}
        if not known or not choices:
            return None
        context = {"bool": {"should": [_present_query(word) for word in known]}}
        aggs = {
            f"c{index}_{number}": {"filter": {"bool": {"filter": [{"term": {"spelling": term}}, context]}}}
            for index, terms in choices.items()
            for number, term in enumerate(terms)
        }
        return {"size": 0, "track_total_hits": False, "aggs": aggs}

    @staticmethod
    def _together(response, candidates):
        """``{(word index, correction): entries holding it and any of the known words}``."""
        aggregations = response["aggregations"]
        return {
            (index, term): aggregations[f"c{index}_{number}"]["doc_count"]
            for index, terms in candidates.items()
            for number, term in enumerate(terms)
            if f"c{index}_{number}" in aggregations
        }

    def _hit(self, hit, marked):
        source = hit["_source"]
        # The passages the built-in backend keeps: the summary, then each line of the text.
        passages = [source.get("summary", ""), *"\n".join(source.get("text", [])).split("\n")]
        return SearchHit(
            id=source["id"],
            source_id=source.get("source_id", ""),
            type=source.get("type", ""),
            title=source.get("title", ""),
            url_path=source.get("url_path", ""),
            snippet=snippet(passages, marked),
            score=round(hit.get("_score") or 0.0, 4),
        )

    def _suggest(self, query, *, scope_path, limit):
        """Entries whose title or other names hold the typed words, the last one as a beginning."""
        query = analyse_query(query)
        if query.is_empty or not limit:
            return []
        words = list(zip(query.folded, query.telex, strict=True))[-MAX_WORDS:]
        *complete, (last, last_telex) = words
        beginnings = [form for form in (last, last_telex) if form and len(form) <= PREFIX_LENGTH]
        if not beginnings:  # no word of a title is that long
            return []
        must = [_term_query([folded, *([telex] if telex else [])], _head_fields()) for folded, telex in complete]
        must.append({"bool": {"should": [_prefix_query(form, WHOLE_FIELDS) for form in beginnings]}})
        typed = "".join(folded for folded, _telex in words)[:PREFIX_LENGTH]
        starts = [{"prefix": {f"{name}_whole": {"value": typed, "boost": STARTS_WITH}}} for name in WHOLE_FIELDS]
        found = self._execute(
            {
                "query": {"bool": {"must": must, "should": starts, "filter": _scope(scope_path)}},
                "size": limit,
                "_source": ["id", "source_id", "type", "title", "names", "url_path"],
                "sort": ["_score", "title_length", "title", "id"],
            }
        )
        marked = [folded for folded, _telex in complete]
        hits = []
        for hit in found["hits"]["hits"]:
            source = hit["_source"]
            hits.append(
                SearchHit(
                    id=source["id"],
                    source_id=source.get("source_id", ""),
                    type=source.get("type", ""),
                    title=source.get("title", ""),
                    url_path=source.get("url_path", ""),
                    snippet=matching_name(source.get("title", ""), source.get("names", []), marked, last, last_telex),
                    score=round(hit.get("_score") or 0.0, 4),
                )
            )
        return hits


EXACT, FOLDED, PREFIX, BIGRAM = "exact", "folded", "prefix", "bigram"
# Pairs of pieces of words typed without spaces asked about in the first request; beyond that
# (words of a dozen letters or more), the bigrams of the actual splits are asked in a second one.
MAX_PAIRS_PROBED = 400
_TYPO_SUGGESTER = {
    "field": "spelling",
    "suggest_mode": "missing",
    "sort": "frequency",
    "size": 50,  # every known word one edit away: the best is chosen with the query's other words
    "max_edits": 1,
    "prefix_length": 0,
    "min_word_length": MIN_FUZZY_LENGTH,
    "string_distance": "damerau_levenshtein",
}


@dataclass
class Word:
    """One query word and the forms it may stand for: ``{form: (quality, kind)}``."""

    position: int
    typed: str
    folded: str
    forms: dict = field(default_factory=dict)
    correction: str = ""  # set when the word matched only through a typo correction
    pieces: set = field(default_factory=set)  # syllables of a word typed without spaces

    def folded_forms(self):
        """Forms to join into phrases: not the accented, partial or bigram ones."""
        return [form for form, (_quality, kind) in self.forms.items() if kind == FOLDED]

    def bigram_forms(self):
        return [form for form, (_quality, kind) in self.forms.items() if kind == BIGRAM]

    def marks(self):
        """Folded words to mark in snippets."""
        return [*self.folded_forms(), *self.pieces]


def _query_words(query):
    """The query's words (``rules.query_words``), each form marked as accented or folded."""
    return [
        Word(
            position,
            typed,
            folded,
            {form: (quality, EXACT if form == typed != folded else FOLDED) for form, quality in forms.items()},
        )
        for position, typed, folded, forms in query_words(query)
    ]


def _piece_pairs(folded):
    """Every pair of adjacent pieces of ``folded`` that may be syllables, as a bigram."""
    pairs = set()
    for start in range(len(folded)):
        for middle in range(start + 2, min(start + MAX_SYLLABLE_LENGTH, len(folded)) + 1):
            for end in range(middle + 2, min(middle + MAX_SYLLABLE_LENGTH, len(folded)) + 1):
                pairs.add(f"{folded[start:middle]}_{folded[middle:end]}")
    return pairs


ABOUT_FIELDS = ("title", "names", "tags", "labels")


# What an entry gains for each query word it holds, and for holding all of them in its title,
# other names, tags or facet labels. Far above any sum of the words' own scores (the highest seen
# over the 175 benchmark queries on 100 000 entries is about 1 150), so the tiers do not mix.
TIER = 10_000.0
HELD = "held"  # the names of the clauses saying an entry holds a query word, numbered


def _all_required(count):
    """Whether a query of ``count`` words needs every one: its words are then filters, not tiers."""
    return required(count) == count


def _ranked_query(words, presence, scope):
    """The scored query for a page of hits (a plain query dict); ``presence`` holds each word's
    ``_present_query``.

    An entry's score is its tier plus what its words, phrases and whole names score: entries
    holding more of the query words come first, and among those holding all of them, the entries
    whose title, other names, tags or labels hold every word ("chùa nhà Mạc": a pagoda of the Mạc
    period, not Mạc Đăng Dung, whose text names pagodas). The built-in backend weighs the same two
    things as factors of the score (``rules.COVERAGE``, ``rules.ABOUT_ALL``). Here they are tiers,
    so that every clause adds to the score and the node can skip entries that cannot reach the
    page (Lucene's block-max WAND); a factor makes it score every match, tens of thousands of
    entries when the words are common syllables.

    Entries must hold all of one or two words: those are filters. Of three words or more they must
    hold most (``rules.required``): each word's tier clause is named, and ``_holding_enough`` drops
    the hits holding too few, which the tiers rank after every entry holding enough.
    """
    scoring = [_word_query(word) for word in words]
    scoring += _phrase_queries(words)
    filters = []
    if len(words) > 1:
        if _all_required(len(words)):
            filters += presence
        else:
            scoring += [
                {"constant_score": {"filter": present, "boost": TIER, "_name": f"{HELD}{index}"}}
                for index, present in enumerate(presence)
            ]
        about = {"bool": {"filter": [_about_query(word) for word in words]}}
        scoring.append({"constant_score": {"filter": about, "boost": TIER}})
    ranked = {"bool": {"should": scoring, "minimum_should_match": 1, "filter": filters}}
    if not scope:
        return ranked
    # The scope goes around the scored query, not among its filters: there it would lead, and
    # the node would score every entry in scope (a commune's thousands) instead of skipping those
    # that cannot reach the page. Node time for scoped pages at 100 000 entries: 12 ms (median)
    # against 5 (docs/search.md, "One request, one segment").
    return {"bool": {"must": [ranked], "filter": scope}}


def _holding_enough(hits, count):
    """The hits of ``_ranked_query`` for ``count`` words that hold as many as they must."""
    if _all_required(count):  # the node filtered them
        return hits
    holding = [sum(name.startswith(HELD) for name in hit.get("matched_queries", ())) >= required(count) for hit in hits]
    if any(not holds and holds_next for holds, holds_next in zip(holding, holding[1:], strict=False)):
        # A page shorter than asked in the middle of the results; no entry is lost or repeated.
        logger.warning("Search tiers mixed: a hit holding too few words scored above %s", TIER)
    return [hit for hit, holds in zip(hits, holding, strict=True) if holds]


def _present_query(word):
    """Entries holding ``word`` in any of its forms, in any field (a plain query dict)."""
    ways = []
    if word.folded_forms():
        ways.append({"terms": {"spelling": word.folded_forms()}})
    if word.bigram_forms():
        ways.append({"terms": {"phrases": word.bigram_forms()}})
    ways += [
        {"prefix": {f"{name}_folded": form}}
        for form, (_q, kind) in word.forms.items()
        if kind == PREFIX
        for name in WHOLE_FIELDS
    ]
    return {"bool": {"should": ways, "minimum_should_match": 1}}


def _about_query(word):
    """Entries holding ``word`` in their title, other names, tags or facet labels (a plain query dict)."""
    ways = []
    for form, (_quality, kind) in word.forms.items():
        if kind == EXACT:
            ways += [{"term": {f"{name}_exact": form}} for name in ABOUT_FIELDS]
        elif kind == FOLDED:
            ways += [{"term": {f"{name}_folded": form}} for name in ABOUT_FIELDS]
            ways += [{"term": {f"{name}_joined": form}} for name in JOINED_FIELDS]
        elif kind == BIGRAM:
            ways += [{"term": {f"{name}_bigrams": form}} for name in ABOUT_FIELDS]
        else:
            ways += [{"prefix": {f"{name}_folded": form}} for name in WHOLE_FIELDS]
    return {"bool": {"should": ways, "minimum_should_match": 1}}


def _fields(suffix, names=FIELD_WEIGHTS):
    return [f"{name}_{suffix}^{FIELD_WEIGHTS[name]:g}" for name in names]


def _matched_fields():
    """Where a folded form counts: every field's syllables, and runs in titles, names and tags."""
    return _fields("folded") + _fields("joined", JOINED_FIELDS)


def _head_fields():
    return _fields("folded", WHOLE_FIELDS) + _fields("joined", WHOLE_FIELDS)


def _term_query(terms, fields, boost=1.0):
    return {"multi_match": {"query": " ".join(terms), "fields": fields, "type": "most_fields", "boost": boost}}


def _prefix_query(beginning, names, boost=1.0):
    """A word of a title or other name that begins with ``beginning``."""
    should = [{"prefix": {f"{name}_folded": {"value": beginning, "boost": FIELD_WEIGHTS[name]}}} for name in names]
    return {"bool": {"should": should, "boost": boost}}


def _word_query(word):
    """The best of a word's forms, each weighed by how close it is to what was typed."""
    ways = []
    for form, (quality, kind) in word.forms.items():
        if kind == EXACT:
            ways.append(_term_query([form], _fields("exact"), boost=quality))
        elif kind == BIGRAM:
            ways.append(_term_query([form], _fields("bigrams"), boost=quality))
        elif kind == FOLDED:
            ways.append(_term_query([form], _matched_fields(), boost=quality))
        else:
            ways.append(_prefix_query(form, WHOLE_FIELDS, boost=quality))
    return {"dis_max": {"queries": ways}}


def _phrase_queries(words):
    """Adjacent query words found as a phrase, and a query equal to a whole title or other name."""
    queries = []
    by_position = {word.position: word for word in words}
    for word in words:
        following = by_position.get(word.position + 1)
        if following is None:
            continue
        pairs = [f"{first}_{second}" for first in word.folded_forms()[:3] for second in following.folded_forms()[:3]]
        if pairs:
            boost = PHRASE * (_best(word) + _best(following)) / 2
            queries.append(_term_query(pairs, _fields("bigrams"), boost=boost))
    ordered = [by_position[position] for position in sorted(by_position)]
    if all(word.folded_forms() for word in ordered):
        whole = "".join(word.folded_forms()[0] for word in ordered)
        boost = WHOLE_NAME * sum(_best(word) for word in ordered)
        queries += [
            {"term": {f"{name}_whole": {"value": whole, "boost": boost * FIELD_WEIGHTS[name]}}} for name in WHOLE_FIELDS
        ]
    return queries


def _best(word):
    return max(quality for quality, _kind in word.forms.values())


def _may_be_typo(folded):
    return MIN_FUZZY_LENGTH <= len(folded) <= MAX_FUZZY_LENGTH and folded.isascii() and folded.isalpha()


def _scope(scope_path):
    return [{"prefix": {"path": scope_path}}] if scope_path else []


def _filter_queries(filters):
    """``{facet: terms query}`` from whatever the request carries; empty lists filter nothing."""
    if not isinstance(filters, dict):
        return {}
    queries = {}
    for name, values in filters.items():
        if values is None or values == "":
            continue
        if isinstance(values, str | int):
            values = [values]
        try:
            accepted = sorted({str(value) for value in values if value is not None and str(value) != ""})
        except TypeError:
            continue
        if accepted and str(name):
            queries[str(name)] = {"terms": {f"facets.{name}": accepted}}
    return queries


def _facet_values(buckets):
    counts, labels = {}, {}
    for bucket in buckets:
        value, _, label = bucket["key"].partition(LABEL_SEPARATOR)
        # A label renamed since some entries were indexed gives two buckets: count them as one.
        counts[value] = counts.get(value, 0) + bucket["doc_count"]
        labels.setdefault(value, label)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], labels[item[0]]))
    return [FacetValue(value=value, label=labels[value], count=count) for value, count in ordered]


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _indexed(response):
    """How many entries a bulk request indexed; raises if it refused any."""
    if response["errors"]:
        refused = [item["index"] for item in response["items"] if item["index"].get("error")]
        raise RuntimeError(f"Elasticsearch refused {len(refused)} entries; first: {refused[0]}")
    return len(response["items"])


def _node_in_trouble(error):
    """Whether ``error`` says the node is down, slow or overloaded (rather than that one request failed)."""
    if isinstance(error, TransportError):
        return True
    return isinstance(error, ApiError) and (error.status_code == 429 or error.status_code >= 500)


def node_urls(url):
    """The nodes ``ELASTICSEARCH_URL`` names: one URL, or several separated by commas (the nodes
    of a cluster, so that search goes on through the others when one is down)."""
    return [part.strip() for part in str(url).split(",") if part.strip()]


def _without_credentials(url):
    stripped = []
    for node in node_urls(url):
        parts = urlsplit(node)
        stripped.append(parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl())
    return ",".join(stripped)


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
