"""The admin's own search (pages, images, documents, snippets) with the archive's Vietnamese folding.

Wagtail 8 offers no hook to change how its page search matches, so the admin gets a search
backend instead: Wagtail's database backend (SQLite FTS5, PostgreSQL full text, MySQL), with
every indexed text and every query folded by ``heritage.text.fold_diacritics``. "dinh dong khe"
then finds "Đình Đông Khê", and so does "Đình Đông Khê". Settings select it with
``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_hooks"}}``; after switching an
existing database to it, run ``manage.py update_index`` once to fold what is already indexed.
"""

import copy
import sys
import types
from functools import cache

from wagtail.search.backends import database
from wagtail.search.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText

from heritage.text import fold_diacritics


def fold_query(query):
    """A Wagtail search query with its text folded, whatever its shape."""
    if isinstance(query, str):
        return fold_diacritics(query)
    if isinstance(query, PlainText | Phrase | Fuzzy):
        folded = copy.copy(query)
        folded.query_string = fold_diacritics(query.query_string)
        return folded
    if isinstance(query, And | Or):
        folded = copy.copy(query)
        folded.subqueries = [fold_query(subquery) for subquery in query.subqueries]
        return folded
    if isinstance(query, Not | Boost):
        folded = copy.copy(query)
        folded.subquery = fold_query(query.subquery)
        return folded
    return query


class FoldingIndexerMixin:
    def prepare_value(self, value):
        return fold_diacritics(super().prepare_value(value))


class FoldingBackendMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        return super()._search(query_compiler_class, fold_query(query), model_or_queryset, **kwargs)


@cache
def folding_backend_class(backend_class):
    """``backend_class`` with folded indexing and queries; unchanged if it keeps no index of its own."""
    index_class = backend_class.index_class
    add_items = getattr(index_class, "add_items", None)
    indexer = getattr(sys.modules[index_class.__module__], "ObjectIndexer", None)
    if add_items is None or indexer is None:
        # The fallback backend (SQLite without FTS5) searches the tables themselves: folding the
        # query alone would only lose matches.
        return backend_class
    folding_indexer = type(f"Folding{indexer.__name__}", (FoldingIndexerMixin, indexer), {})
    # ``add_items`` builds its indexer from a module global; the same code, given our indexer.
    folded_add_items = types.FunctionType(
        add_items.__code__,
        {**add_items.__globals__, "ObjectIndexer": folding_indexer},
        add_items.__name__,
        add_items.__defaults__,
        add_items.__closure__,
    )
    folding_index = type(f"Folding{index_class.__name__}", (index_class,), {"add_items": folded_add_items})
    return type(
        f"Folding{backend_class.__name__}", (FoldingBackendMixin, backend_class), {"index_class": folding_index}
    )


def SearchBackend(params):  # the name Wagtail looks for in a backend module
    """Wagtail's database backend for the current database, folding Vietnamese."""
    return folding_backend_class(type(database.SearchBackend(params)))(params)
