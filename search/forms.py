"""Reading a visitor's search parameters: the public page's and the JSON API's.

Whatever arrives in the address bar is turned into something a backend can answer; only the API's
numeric paging parameters can be refused (400), because a program sent them and should know.
"""

import unicodedata

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .backends import FACETS
from .text import clean_query

# A facet value is an id or a short code; anything longer or more numerous is not a real filter.
MAX_FILTER_VALUE_LENGTH = 64
MAX_FILTER_VALUES = 20
# The API answers at most this many results at once, and pages no further than a search engine does.
MAX_API_LIMIT = 50
DEFAULT_API_LIMIT = 10
MAX_RESULT_WINDOW = 10_000
SCOPE_CITY = "city"


class QueryField(forms.CharField):
    """The words searched for: NFC, no control characters, bounded length (``search.text.clean_query``)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)

    def to_python(self, value):
        # Cleaned before validation so that a NUL byte is dropped, not reported as an error.
        return clean_query(value if isinstance(value, str) else "")


class FilterValuesField(forms.Field):
    """The accepted values of one facet (``?type=relic&type=festival``), repeated parameters allowed."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        values = []
        for raw in value or ():
            cleaned = "".join(char for char in str(raw) if unicodedata.category(char)[0] != "C").strip()
            if cleaned and len(cleaned) <= MAX_FILTER_VALUE_LENGTH and cleaned not in values:
                values.append(cleaned)
        return values[:MAX_FILTER_VALUES]


class LenientField(forms.CharField):
    """A free parameter (scope, page): control characters, a NUL byte included, are dropped, never an error."""

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return "".join(char for char in super().to_python(value) if unicodedata.category(char)[0] != "C")


class SearchForm(forms.Form):
    """The public search page's parameters; every combination is valid, nonsense is ignored."""

    q = QueryField(label=_("Search for"))
    scope = LenientField()
    page = LenientField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in FACETS:
            self.fields[name] = FilterValuesField()

    def clean_scope(self):
        return SCOPE_CITY if self.cleaned_data.get("scope") == SCOPE_CITY else ""

    def clean_page(self):
        value = self.cleaned_data.get("page") or ""
        return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1

    @property
    def filters(self):
        """Facet name → accepted values, only for the facets the visitor narrowed."""
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data[name] for name in FACETS if data.get(name)}

    @property
    def params(self):
        """The query string of the search as understood (words, filters, scope), without the page."""
        params = QueryDict(mutable=True)
        if self.cleaned_data.get("q"):
            params["q"] = self.cleaned_data["q"]
        for name, values in self.filters.items():
            params.setlist(name, values)
        if self.cleaned_data.get("scope"):
            params["scope"] = self.cleaned_data["scope"]
        return params


class ApiSearchForm(SearchForm):
    """The JSON API's parameters: the page's, with ``limit`` and ``offset`` instead of ``page``."""

    limit = forms.IntegerField(required=False, min_value=1)
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_RESULT_WINDOW - MAX_API_LIMIT)

    def clean_limit(self):
        limit = self.cleaned_data.get("limit")
        return DEFAULT_API_LIMIT if limit is None else min(limit, MAX_API_LIMIT)

    def clean_offset(self):
        return self.cleaned_data.get("offset") or 0
