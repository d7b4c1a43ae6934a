"""The Elasticsearch index: its mapping, and the analysed document written for each entry.

The node that tests and small installations run (the integration-test build on Maven Central)
carries no analysis plugins: no ASCII folding, n-grams or shingles. So the Vietnamese analysis
happens here, in Python, with ``search.text``, the same code the built-in backend uses: each
document carries its terms already analysed (exact, folded, bigrams, joined runs), written as
space-separated words in fields that the ``whitespace`` analyzer splits and nothing else changes.
Queries are built from ``analyse_query`` the same way (``search.elastic``), so both backends match
the same words.

Facets are keyword fields: ``facets.<name>`` holds the values filters use, and
``facet_labels.<name>`` holds "value<US>label" pairs, so one terms aggregation returns the display
label with each count.
"""

import re
import unicodedata

from elasticsearch.dsl import Date, Document, GeoPoint, Integer, Keyword, MetaField, Object, Text

from heritage.text import fold_diacritics

from .backends import FACETS
from .text import bigrams, exact_terms, folded_terms, joined_terms

WHITESPACE = "whitespace"
LABEL_SEPARATOR = "\x1f"
# Unicode noncharacters mark the highlighted words: no text is meant to contain them (and the
# folded copy replaces any that slip in), and unlike control characters Elasticsearch does not
# trim them off the ends of a fragment.
MARK_START, MARK_END = "\ufdd0", "\ufdd1"
_NOT_TEXT = re.compile("[\x00-\x1f\x7f\ufdd0-\ufdef]")


ANALYSED_FIELDS = [
    "title_key",
    "title_exact",
    "title_folded",
    "names_exact",
    "names_folded",
    "tags_folded",
    "text_exact",
    "text_folded",
    "bigrams",
    "joined",
    "spelling",
    "snippet_folded",
]


def analysed(terms):
    return " ".join(terms)


class EntryDocument(Document):
    """One heritage entry as the Elasticsearch index holds it."""

    id = Integer()
    source_id = Keyword()
    type = Keyword()
    title = Keyword(index=False, doc_values=False)
    title_key = Keyword()  # the whole folded title: an exact title match ranks first
    url_path = Keyword(index=False, doc_values=False)
    path = Keyword()  # Wagtail tree path: a commune's entries share its home page's prefix
    title_exact = Text(analyzer=WHITESPACE)
    title_folded = Text(analyzer=WHITESPACE)
    names_exact = Text(analyzer=WHITESPACE)
    names_folded = Text(analyzer=WHITESPACE)
    tags_folded = Text(analyzer=WHITESPACE)
    text_exact = Text(analyzer=WHITESPACE)
    text_folded = Text(analyzer=WHITESPACE)
    bigrams = Text(analyzer=WHITESPACE)
    joined = Text(analyzer=WHITESPACE)  # title, names and tags written without spaces
    spelling = Text(analyzer=WHITESPACE)  # every folded word, for "did you mean"
    # Snippets: the original text, and a copy folded letter by letter (same length, same offsets)
    # that the highlighter marks; search.elastic maps the marks back onto the original.
    snippet_text = Text(index=False)
    snippet_folded = Text(analyzer="standard", index_options="offsets", store=True)
    facets = Object(properties={name: Keyword() for name in FACETS}, dynamic=True)
    facet_labels = Object(properties={name: Keyword() for name in FACETS}, dynamic=True)
    location = GeoPoint()
    published_at = Date()

    class Meta:
        dynamic = MetaField(False)
        dynamic_templates = MetaField(
            [
                {"facets": {"path_match": "facets.*", "mapping": {"type": "keyword"}}},
                {"facet_labels": {"path_match": "facet_labels.*", "mapping": {"type": "keyword"}}},
            ]
        )
        # Analysed fields are only searched; the source keeps what results show.
        source = MetaField({"excludes": ANALYSED_FIELDS})


INDEX_SETTINGS = {
    # A city's entries number in the thousands: one shard keeps term statistics, hence ranking, whole.
    "number_of_shards": 1,
    # One copy on a single node, two once a second node joins.
    "auto_expand_replicas": "0-1",
}


def fold_aligned(text):
    """``text`` folded letter by letter, keeping its length so offsets stay valid."""
    folded = []
    for char in text:
        plain = fold_diacritics(char)
        folded.append(plain if len(plain) == 1 else char)
    return _NOT_TEXT.sub(" ", "".join(folded))


def _strings(values):
    return [value for value in (str(value).strip() for value in values if value) if value]


def entry_body(document):
    """The entry's summary and text pieces, in reading order, each NFC."""
    return [
        unicodedata.normalize("NFC", piece) for piece in _strings([document.get("summary"), *document.get("text", [])])
    ]


def build_entry(document):
    """The analysed form of a ``search_document()`` dict, as written to Elasticsearch."""
    title = document.get("title") or ""
    names = _strings(document.get("names", []))
    tags = _strings(document.get("tags", []))
    body = entry_body(document)
    title_folded = folded_terms(title)
    names_folded = [folded_terms(name) for name in names]
    tags_folded = [folded_terms(tag) for tag in tags]
    body_folded = [folded_terms(piece) for piece in body]
    short_fields = [title_folded, *names_folded, *tags_folded]
    facets = document.get("facets", {})
    published_at = document.get("published_at")
    return {
        "id": document["id"],
        "source_id": document.get("source_id") or "",
        "type": document.get("type") or "",
        "title": title,
        "title_key": analysed(title_folded),
        "url_path": document.get("url_path") or "",
        "path": document.get("path") or "",
        "title_exact": analysed(exact_terms(title)),
        "title_folded": analysed(title_folded),
        "names_exact": [analysed(exact_terms(name)) for name in names],
        "names_folded": [analysed(terms) for terms in names_folded],
        "tags_folded": [analysed(terms) for terms in tags_folded],
        "text_exact": [analysed(exact_terms(piece)) for piece in body],
        "text_folded": [analysed(terms) for terms in body_folded],
        # Per field and per piece, so no phrase spans two names or two paragraphs.
        "bigrams": [analysed(bigrams(terms)) for terms in short_fields + body_folded],
        "joined": [analysed(joined_terms(terms)) for terms in short_fields],
        "spelling": [analysed(terms) for terms in short_fields + body_folded]
        + [analysed(joined_terms(terms)) for terms in short_fields],
        "snippet_text": body,
        "snippet_folded": [fold_aligned(piece) for piece in body],
        "facets": {name: [str(value) for value, _label in pairs] for name, pairs in facets.items()},
        "facet_labels": {
            name: [f"{value}{LABEL_SEPARATOR}{label}" for value, label in pairs] for name, pairs in facets.items()
        },
        "location": document.get("location"),
        "published_at": published_at.isoformat() if published_at else None,
    }
