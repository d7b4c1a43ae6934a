"""The public search page (``/tim-kiem/``) and the JSON search API (``/api/search/``).

Both call the one backend interface of ``search.backends`` and never branch on the backend. A
commune's site searches its own entries unless the visitor asks for the whole city
(``scope=city``); the city site always searches everything. Addresses of the entries found come
from their ``url_path`` and Wagtail's cached site roots, so listing results costs no query.
"""

from dataclasses import dataclass, field, replace

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from wagtail.models import Site

from heritage.geo.coords import CoordinateError
from heritage.geo.distance import parse_near
from heritage.geo.places import NEAR_SEARCH_WINDOW, order_by_distance
from heritage.models import HeritagePage, HomePage
from heritage.templatetags.heritage_tags import entry_url

from .backends import FACETS, SearchRequest, get_backend
from .forms import MAX_RESULT_WINDOW, SCOPE_CITY, ApiSearchForm, SearchForm

PER_PAGE = 10
# Below this many results the page also lists entries whose names begin with the query, so a
# visitor without JavaScript still gets the suggestions the search box offers as they type.
FEW_RESULTS = 3
SUGGESTION_LIMIT = 8

FACET_LABELS = {
    "type": gettext_lazy("Kind"),
    "rank": gettext_lazy("Rank"),
    "relic_type": gettext_lazy("Relic type"),
    "village": gettext_lazy("Village"),
    "period": gettext_lazy("Period"),
}


def entry_type_labels():
    """Display names of the kinds of entry ("relic" → "di tích"), from the page models themselves."""
    labels = {}
    pending = list(HeritagePage.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.entry_type and not model._meta.abstract:
            labels[model.entry_type] = model._meta.verbose_name
    return labels


@dataclass
class Scope:
    """Which part of the tree a search covers, as the request's site and the visitor decide."""

    path: str = ""  # the commune home page's tree path; empty for the whole city
    commune: str = ""  # title of the commune whose site serves the request; empty on the city site

    @property
    def widened(self):
        return bool(self.commune) and not self.path


def request_scope(request, scope_param=""):
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    # specific_class reads Django's content type cache: no query.
    if root is None or not issubclass(root.specific_class or type(root), HomePage):
        return Scope()
    return Scope(path="" if scope_param == SCOPE_CITY else root.path, commune=root.title)


def entry_address(request, hit, *, absolute=False):
    """An entry's link, by the archive's one rule (``heritage_tags.entry_url``): a path on the site
    serving the request, a full address on another site ("" when no site holds it). ``absolute``
    always gives a full address (the API); "" becomes None there."""
    url = entry_url({"request": request}, hit)
    if absolute and url.startswith("/"):
        site = Site.find_for_request(request)
        url = f"{site.root_url}{url}" if site else ""
    return url or (None if absolute else "")


@dataclass
class Result:
    """One entry found, as the page lists it."""

    hit: object
    url: str
    type_label: str

    @property
    def snippet(self):
        # The backend escapes the entry's text and adds only <mark>; nothing else is marked safe.
        return mark_safe(self.hit.snippet)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list = field(default_factory=list)


@dataclass
class ActiveFilter:
    """A filter the visitor has set, with the query string that removes it."""

    group: str
    label: str
    remove_query: str


def _facet_groups(results, filters):
    groups = []
    for name in FACETS:
        chosen = filters.get(name, [])
        options = [
            FacetOption(value.value, value.label, value.count, value.value in chosen)
            for value in results.facets.get(name, ())
        ]
        # A chosen value the backend no longer counts stays listed, ticked, so it can be unticked.
        known = {option.value for option in options}
        options += [FacetOption(value, value, 0, True) for value in chosen if value not in known]
        if options:
            groups.append(FacetGroup(name, FACET_LABELS[name], options))
    return groups


def _query_string(params, **changes):
    params = params.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _active_filters(params, groups):
    active = []
    for group in groups:
        for option in group.options:
            if option.selected:
                remaining = params.copy()
                remaining.setlist(group.name, [value for value in params.getlist(group.name) if value != option.value])
                active.append(ActiveFilter(group.label, option.label, _query_string(remaining)))
    return active


def _search(backend, request, number):
    """One page of results; a page past the end shows the last one instead."""
    number = min(number, MAX_RESULT_WINDOW // PER_PAGE)
    results = backend.search(replace(request, limit=PER_PAGE, offset=(number - 1) * PER_PAGE))
    # Counted from a range, the paginator needs no query; pages stop where the engines stop.
    paginator = Paginator(range(min(results.count, MAX_RESULT_WINDOW)), PER_PAGE)
    if results.count and number > paginator.num_pages:
        number = paginator.num_pages
        results = backend.search(replace(request, limit=PER_PAGE, offset=(number - 1) * PER_PAGE))
    return results, paginator.get_page(number)


@require_safe
def search_page(request):
    """The public search page: results with snippets, facets, pages, "did you mean" and suggestions."""
    form = SearchForm(request.GET)
    form.is_valid()  # every input is valid here: nonsense is ignored, not reported
    query, filters = form.cleaned_data["q"], form.filters
    scope = request_scope(request, form.cleaned_data["scope"])
    # Links rebuild the query string from what was understood: no junk, no 10 000-character words.
    params = form.params
    context = {"query": query, "params": params, "scope": scope, "searched": bool(query or filters)}
    if context["searched"]:
        backend = get_backend()
        results, page_obj = _search(
            backend, SearchRequest(query=query, filters=filters, scope_path=scope.path), form.cleaned_data["page"]
        )
        labels = entry_type_labels()

        def result(hit):
            return Result(hit, entry_address(request, hit), labels.get(hit.type, hit.type))

        suggestions = []
        if query and results.count < FEW_RESULTS:
            shown_ids = {hit.id for hit in results.hits}
            suggestions = [
                result(hit)
                for hit in backend.suggest(query, scope_path=scope.path, limit=SUGGESTION_LIMIT)
                if hit.id not in shown_ids
            ]
        groups = _facet_groups(results, filters)
        context.update(
            results=[result(hit) for hit in results.hits],
            count=results.count,
            page_obj=page_obj,
            facet_groups=groups,
            active_filters=_active_filters(params, groups),
            clear_filters_query=_query_string(params, **dict.fromkeys(FACETS)),
            suggestions=suggestions,
            few_results=results.count < FEW_RESULTS,
        )
        if results.suggestion and results.suggestion != query:
            context["did_you_mean"] = results.suggestion
            context["did_you_mean_query"] = _query_string(params, q=results.suggestion)
    if scope.commune:
        context["widen_query"] = _query_string(params, scope=SCOPE_CITY)
    return TemplateResponse(request, "search/search.html", context)


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@require_safe
def search_api(request):
    """``GET /api/search/``: entries matching ``q`` and the facet filters, as JSON.

    ``limit`` (1–50, larger values capped) and ``offset`` (0–9 950) must be whole numbers;
    anything else there is answered 400 with the reason. Every other input gives a normal answer.
    """
    form = ApiSearchForm(request.GET)
    if not form.is_valid():
        return _json({"error": _("Invalid parameters."), "fields": form.errors}, status=400)
    query, filters = form.cleaned_data["q"], form.filters
    try:
        near = parse_near(request.GET.get("near"))  # ?near=lat,lon: nearest first (heritage.geo)
    except CoordinateError as error:
        return _json({"error": _("Invalid parameters."), "fields": {"near": [str(error)]}}, status=400)
    facets = {name: [] for name in FACETS}
    if not (query or filters):
        return _json({"count": 0, "results": [], "facets": facets})
    scope = request_scope(request, form.cleaned_data["scope"])
    limit, offset = form.cleaned_data["limit"], form.cleaned_data["offset"]
    results = get_backend().search(
        SearchRequest(
            query=query,
            filters=filters,
            scope_path=scope.path,
            limit=NEAR_SEARCH_WINDOW if near else limit,
            offset=0 if near else offset,
        )
    )
    hits = order_by_distance(results.hits, near, key="id")[offset : offset + limit] if near else results.hits
    for name in FACETS:
        facets[name] = [
            {"value": value.value, "label": str(value.label), "count": value.count}
            for value in results.facets.get(name, ())
        ]
    return _json(
        {
            "count": results.count,
            "results": [
                {
                    "id": hit.id,
                    "source_id": hit.source_id,
                    "type": hit.type,
                    "title": hit.title,
                    "url": entry_address(request, hit, absolute=True),
                    "snippet": hit.snippet,
                    "score": hit.score,
                    **({"distance_m": round(hit.distance_m) if hit.distance_m is not None else None} if near else {}),
                }
                for hit in hits
            ],
            "facets": facets,
        }
    )


@require_safe
def suggest_api(request):
    """``GET /api/search/suggest/``: entries whose names begin with what the visitor is typing."""
    form = SearchForm(request.GET)
    form.is_valid()
    query = form.cleaned_data["q"]
    suggestions = []
    if query:
        scope = request_scope(request, form.cleaned_data["scope"])
        suggestions = [
            {"title": hit.title, "url": entry_address(request, hit, absolute=True), "type": hit.type}
            for hit in get_backend().suggest(query, scope_path=scope.path, limit=SUGGESTION_LIMIT)
        ]
    return _json({"query": query, "suggestions": suggestions})
