"""One search interface, two backends: the built-in one and Elasticsearch.

``get_backend()`` returns Elasticsearch when ``ELASTICSEARCH_URL`` is set and the built-in
backend otherwise. Views and templates call only the methods below and never branch on the
backend. Documents come from ``HeritagePage.search_document()`` (the core contract); both
backends analyse text with ``search.text`` so they match the same things.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

# Facets the search page counts and filters on; the names are public query parameters.
FACETS = ("type", "rank", "relic_type", "village", "period")


@dataclass
class SearchRequest:
    """What a visitor asked for."""

    query: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> list of accepted values
    scope_path: str = ""  # tree path of a commune's home page; empty for the whole city
    limit: int = 10
    offset: int = 0


@dataclass
class SearchHit:
    id: int
    source_id: str
    type: str
    title: str
    url_path: str
    snippet: str  # HTML: escaped text with the matched words in <mark>
    score: float


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    count: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # facet name -> [FacetValue]
    suggestion: str = ""  # "did you mean", when the query looks mistyped
    backend: str = ""


class SearchBackend:
    """The interface both backends implement."""

    name = ""

    def index_documents(self, documents):
        """Add or replace these documents (dicts from ``search_document()``)."""
        raise NotImplementedError

    def delete_documents(self, ids):
        raise NotImplementedError

    def search(self, request):
        """Return ``SearchResults`` for a ``SearchRequest``; never raise on a visitor's input."""
        raise NotImplementedError

    def suggest(self, query, *, scope_path="", limit=8):
        """Entries whose title or other names start with what the visitor is typing."""
        raise NotImplementedError

    def rebuild(self, documents, *, progress=None):
        """Replace the whole index with ``documents``; searches keep answering meanwhile."""
        raise NotImplementedError


def get_backend():
    return import_string(settings.SEARCH_BACKEND)()
