"""The Elasticsearch index: its mapping, and the analysed document written for each entry.

The node that tests and small installations run (the integration-test build on Maven Central)
carries no analysis plugins: no ASCII folding, n-grams or shingles. So the Vietnamese analysis
happens here, in Python, with ``search.text``, the same code the built-in backend uses. Each
document carries its terms already analysed, written as space-separated words in fields that the
``whitespace`` analyzer splits and nothing else changes:

- ``<field>_exact``: syllables with their marks ("đình"), for ranking accents typed as written;
- ``<field>_folded``: the same without marks ("dinh"), what every query word is matched against;
- ``<field>_bigrams``: adjacent folded syllables ("dinh_dong"), so phrases rank first;
- ``<field>_joined`` (title, other names, tags): runs written together ("tranhungdao");
- ``<field>_whole`` (title, other names): the whole name written together, for exact-name bonuses
  and "starts with" suggestions.

Fields are kept apart (title, names, tags, summary, text) so that queries can weigh them as the
built-in backend does. ``search.elastic`` builds its queries from ``analyse_query``, so both
backends match the same words. Facets are keyword fields: ``facets.<name>`` holds the values
filters use, ``facet_labels.<name>`` "value<US>label" pairs, so one terms aggregation returns each
value's display label with its count.
"""

from elasticsearch.dsl import Date, Document, GeoPoint, Integer, Keyword, MetaField, Object, Text

from heritage.text import normalize_text

from .backends import FACETS
from .rules import FIELD_WEIGHTS, JOINED_FIELDS, WHOLE_FIELDS, facet_labels
from .text import bigrams, exact_terms, fold_word, joined_terms

WHITESPACE = "whitespace"
LABEL_SEPARATOR = "\x1f"
__all__ = ["FIELD_WEIGHTS", "INDEX_SETTINGS", "JOINED_FIELDS", "LABEL_SEPARATOR", "WHOLE_FIELDS", "EntryDocument"]


def _analysed(index_options="freqs", **options):
    # Queries match terms, never phrases (bigrams are terms of their own): no positions needed.
    return Text(analyzer=WHITESPACE, index_options=index_options, **options)


class EntryDocument(Document):
    """One heritage entry as the Elasticsearch index holds it."""

    id = Integer()
    source_id = Keyword()
    type = Keyword()
    path = Keyword()  # Wagtail tree path: a commune's entries share its home page's prefix
    published_at = Date()
    location = GeoPoint()
    facets = Object(properties={name: Keyword() for name in FACETS}, dynamic=True)
    facet_labels = Object(properties={name: Keyword() for name in FACETS}, dynamic=True)
    # What results show; the title also orders ties (as the built-in backend does).
    title = Keyword(index=False)
    title_length = Integer(index=False)
    url_path = Keyword(index=False, doc_values=False)
    names = Keyword(index=False, doc_values=False)
    summary = Text(index=False)
    text = Text(index=False)
    # Analysed in Python (search.text); searched, not shown.
    title_exact = _analysed()
    title_folded = _analysed(copy_to="spelling")
    title_bigrams = _analysed(copy_to="phrases")
    title_joined = _analysed(copy_to="spelling")
    title_whole = Keyword()
    names_exact = _analysed()
    names_folded = _analysed(copy_to="spelling")
    names_bigrams = _analysed(copy_to="phrases")
    names_joined = _analysed(copy_to="spelling")
    names_whole = Keyword()
    tags_exact = _analysed()
    tags_folded = _analysed(copy_to="spelling")
    tags_bigrams = _analysed(copy_to="phrases")
    tags_joined = _analysed(copy_to="spelling")
    labels_exact = _analysed()
    labels_folded = _analysed(copy_to="spelling")
    labels_bigrams = _analysed(copy_to="phrases")
    summary_exact = _analysed()
    summary_folded = _analysed(copy_to="spelling")
    summary_bigrams = _analysed(copy_to="phrases")
    text_exact = _analysed()
    text_folded = _analysed(copy_to="spelling")
    text_bigrams = _analysed(copy_to="phrases")
    # Filled by Elasticsearch (copy_to), not sent: every folded word and run, the dictionary of
    # "did you mean" and of the words the index knows; and every bigram, for words typed without spaces.
    spelling = _analysed(index_options="docs", norms=False)
    phrases = _analysed(index_options="docs", norms=False)

    class Meta:
        dynamic = MetaField(False)
        dynamic_templates = MetaField(
            [
                {"facets": {"path_match": "facets.*", "mapping": {"type": "keyword"}}},
                {"facet_labels": {"path_match": "facet_labels.*", "mapping": {"type": "keyword"}}},
            ]
        )
        # The analysed fields are only searched: the stored source keeps what results show.
        source = MetaField(
            {"excludes": ["*_exact", "*_folded", "*_bigrams", "*_joined", "*_whole", "spelling", "phrases"]}
        )


INDEX_SETTINGS = {
    # A city's entries number in the thousands: one shard keeps term statistics, hence ranking, whole.
    "number_of_shards": 1,
    # One copy on a single node, two once a second node joins.
    "auto_expand_replicas": "0-1",
}


def texts(value):
    """A document field as a list of non-empty strings in stored form (NFC, no control characters)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [normalize_text(str(item)) for item in value if item and str(item).strip()]


def _joined(values):
    return " ".join(values)


def build_entry(document):
    """The analysed form of a ``search_document()`` dict, as written to Elasticsearch."""
    values = {name: texts(document.get(name)) for name in FIELD_WEIGHTS if name != "labels"}
    values["labels"] = texts(facet_labels(document.get("facets")))
    title = values["title"][0] if values["title"] else ""
    entry = {
        "id": int(document["id"]),
        "source_id": str(document.get("source_id") or ""),
        "type": str(document.get("type") or ""),
        "path": str(document.get("path") or ""),
        "published_at": document.get("published_at"),
        "location": document.get("location"),
        "facets": {},
        "facet_labels": {},
        "title": title,
        "title_length": len(title),
        "url_path": str(document.get("url_path") or ""),
        "names": values["names"],
        "summary": values["summary"][0] if values["summary"] else "",
        "text": values["text"],
    }
    for name, pieces in values.items():
        # One string per piece: phrases never span two names or two paragraphs.
        exact = [exact_terms(piece) for piece in pieces]
        folded = [[fold_word(term) for term in terms] for terms in exact]
        entry[f"{name}_exact"] = [_joined(terms) for terms in exact]
        entry[f"{name}_folded"] = [_joined(terms) for terms in folded]
        entry[f"{name}_bigrams"] = [_joined(bigrams(terms)) for terms in folded]
        if name in JOINED_FIELDS:
            entry[f"{name}_joined"] = [_joined(joined_terms(terms)) for terms in folded]
        if name in WHOLE_FIELDS:
            entry[f"{name}_whole"] = ["".join(terms) for terms in folded if terms]
    for name, items in (document.get("facets") or {}).items():
        pairs = [_facet_pair(item) for item in items or ()]
        pairs = [(value, label) for value, label in pairs if value]
        entry["facets"][name] = [value for value, _label in pairs]
        entry["facet_labels"][name] = [f"{value}{LABEL_SEPARATOR}{label}" for value, label in pairs]
    return entry


def _facet_pair(item):
    """``(value, label)`` from a facet item: a pair, or a bare value that is its own label."""
    value, label = (item[0], item[1]) if isinstance(item, list | tuple) else (item, item)
    return " ".join(str(value).split()), " ".join(str(label).split())
