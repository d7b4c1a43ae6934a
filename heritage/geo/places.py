"""Where entries are: their own coordinates, or for a festival the place of the relic it is held at.

Models are looked up through the app registry at call time (``heritage.models`` imports this
package for index ordering), and the located kinds are found, not named: every concrete subclass of
``HeritagePage`` that carries ``GeoLocationMixin``. Lists are built from ``values()`` rows, a handful
of queries whatever the number of entries, because the city map shows ten thousand of them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from wagtail.models import Site

from .distance import geodesic_m, rough_m

HELD_AT = "held_at"
# Kinds without coordinates of their own that have a place through the entry they are held at.
# Other kinds without coordinates (historical figures) are not "missing" from a map.
PLACED_BY_LINK = {"festival"}
# Degrees around a place searched for neighbours, widened until enough are found.
NEARBY_WINDOWS = (0.05, 0.25, 1.0, 5.0, None)
# ``/api/search/?near=``: the most relevant results, this many at most, are ordered by distance.
NEAR_SEARCH_WINDOW = 500


def _model(name):
    return apps.get_model("heritage", name)


def entry_models():
    """Concrete entry models with an ``entry_type``, most derived first."""
    base = _model("HeritagePage")
    return [
        model
        for model in apps.get_models()
        if issubclass(model, base) and model is not base and getattr(model, "entry_type", "")
    ]


def located_models():
    """Entry models with their own coordinates (``GeoLocationMixin``'s fields)."""
    return [model for model in entry_models() if _has_field(model, "latitude") and _has_field(model, "longitude")]


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _choice_labels(model, name):
    if not _has_field(model, name):
        return {}
    return {str(value): str(label) for value, label in model._meta.get_field(name).flatchoices}


@dataclass
class Point:
    """One entry on a map: what a marker, a popup and a GeoJSON feature need."""

    pk: int
    source_id: str
    title: str
    entry_type: str
    type_label: str
    url_path: str
    path: str
    latitude: float | None
    longitude: float | None
    image_id: int | None = None
    rank: str = ""
    rank_label: str = ""
    relic_types: list = field(default_factory=list)
    place_of: int | None = None  # the entry whose coordinates this one takes (a festival's relic)
    commune_code: str = ""
    commune_name: str = ""
    distance_m: float | None = None

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def position(self):
        return (self.latitude, self.longitude)


def _bbox_q(bbox):
    west, south, east, north = bbox
    return Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def _rows(model, queryset, *, with_location):
    names = ["pk", "source_id", "title", "url_path", "path", "image_id"]
    if with_location:
        names += ["latitude", "longitude"]
    if _has_field(model, "rank"):
        names.append("rank")
    return queryset.values(*names)


def _point(model, row, rank_labels, type_label=None):
    latitude, longitude = row.get("latitude"), row.get("longitude")
    rank = row.get("rank") or ""
    return Point(
        pk=row["pk"],
        source_id=row["source_id"],
        title=row["title"],
        entry_type=model.entry_type,
        type_label=type_label if type_label is not None else str(model._meta.verbose_name),
        url_path=row["url_path"],
        path=row["path"],
        latitude=float(latitude) if latitude is not None else None,
        longitude=float(longitude) if longitude is not None else None,
        image_id=row["image_id"],
        rank=rank,
        rank_label=rank_labels.get(rank, ""),
    )


def _add_relic_types(model, points):
    if not points or not _has_field(model, "relic_types"):
        return
    by_pk = {point.pk: point for point in points}
    field = model._meta.get_field("relic_types")
    through = field.remote_field.through
    # The whole (small) link table in one query: cheaper than a ten-thousand-item IN list.
    pairs = through.objects.values_list(field.m2m_column_name(), f"{field.m2m_reverse_field_name()}__code")
    for pk, code in pairs:
        point = by_pk.get(pk)
        if point is not None:
            point.relic_types.append(code)


def collect(*, root_path="", bbox=None, include_unlocated=False):
    """Every live, public entry below ``root_path`` with a place (and, if asked, those without).

    Festivals and other unlocated entries "held at" a located entry take its coordinates.
    """
    located = []
    for model in located_models():
        queryset = model.objects.live().public().filter(latitude__isnull=False, longitude__isnull=False)
        if bbox:
            queryset = queryset.filter(_bbox_q(bbox))
        if root_path:
            # Hosts of festivals may lie in another commune: keep them, drop them at the end.
            links = _model("EntryLink").objects.filter(relation=HELD_AT)
            queryset = queryset.filter(
                Q(path__startswith=root_path)
                | Q(pk__in=links.values("target_id"))
                | Q(pk__in=links.values("source_id"))
            )
        rank_labels, type_label = _choice_labels(model, "rank"), str(model._meta.verbose_name)
        points = [_point(model, row, rank_labels, type_label) for row in _rows(model, queryset, with_location=True)]
        _add_relic_types(model, points)
        located.extend(points)
    by_pk = {point.pk: point for point in located}

    borrowed = []
    links = (
        _model("EntryLink")
        .objects.filter(relation=HELD_AT, source__live=True, target__live=True)
        .values_list("source_id", "target_id")
    )
    places = {}
    for source, target in links:
        if source not in by_pk and target in by_pk:
            places.setdefault(source, target)
        elif target not in by_pk and source in by_pk:
            places.setdefault(target, source)
    located_types = set(located_models())
    unlocated = []
    for model in entry_models():
        if model in located_types:
            queryset = model.objects.live().public().filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
            if root_path:
                queryset = queryset.filter(path__startswith=root_path)
            if include_unlocated and not bbox:
                unlocated.extend(
                    _point(model, row, _choice_labels(model, "rank"))
                    for row in _rows(model, queryset, with_location=False)
                )
            continue
        queryset = model.objects.live().public()
        if root_path:
            queryset = queryset.filter(path__startswith=root_path)
        if not include_unlocated or bbox or model.entry_type not in PLACED_BY_LINK:
            queryset = queryset.filter(pk__in=list(places))
        for row in _rows(model, queryset, with_location=False):
            point = _point(model, row, {})
            host = by_pk.get(places.get(point.pk))
            if host is not None:
                point.latitude, point.longitude, point.place_of = host.latitude, host.longitude, host.pk
                borrowed.append(point)
            elif model.entry_type in PLACED_BY_LINK:
                unlocated.append(point)

    points = [point for point in located + borrowed + unlocated if not root_path or point.path.startswith(root_path)]
    _add_communes(points)
    return points


def commune_path(code):
    """Tree path of the home page of the commune with this code, or ``None``."""
    home = _model("HomePage").objects.filter(commune__code__iexact=code).values_list("path", flat=True).first()
    return home


def _add_communes(points):
    homes = list(_model("HomePage").objects.values_list("path", "commune__code", "commune__name"))
    lengths = sorted({len(path) for path, _code, _name in homes})
    by_path = {path: (code, name) for path, code, name in homes}
    for point in points:
        for length in lengths:
            found = by_path.get(point.path[:length])
            if found:
                point.commune_code, point.commune_name = found
                break


def filter_points(points, *, entry_type="", rank="", relic_type="", commune="", bbox=None):
    def keep(point):
        if entry_type and point.entry_type != entry_type:
            return False
        if rank and point.rank != rank:
            return False
        if relic_type and relic_type not in point.relic_types:
            return False
        if commune and point.commune_code.lower() != commune.lower():
            return False
        if bbox:
            if not point.has_location:
                return False
            west, south, east, north = bbox
            return south <= point.latitude <= north and west <= point.longitude <= east
        return True

    return [point for point in points if keep(point)]


class Addresses:
    """Absolute addresses of entries from their ``url_path``: the most specific site holding them."""

    def __init__(self):
        self.roots = sorted(Site.get_site_root_paths(), key=lambda root: len(root.root_path), reverse=True)

    def url(self, url_path):
        for root in self.roots:
            if url_path and url_path.startswith(root.root_path):
                return f"{root.root_url}/{url_path[len(root.root_path) :]}"
        return None


def position_of(page):
    """``(latitude, longitude)`` of an entry, or of the entry it is held at; ``None`` when it has no place."""
    return positions([page.pk]).get(page.pk)


def positions(pks):
    """``{pk: (latitude, longitude)}`` for the given entries that have a place, in a few queries."""
    pks = set(pks)
    found = {}
    for model in located_models():
        rows = model.objects.filter(pk__in=pks, latitude__isnull=False, longitude__isnull=False).values_list(
            "pk", "latitude", "longitude"
        )
        found.update({pk: (float(lat), float(lon)) for pk, lat, lon in rows})
    missing = pks - set(found)
    if missing:
        links = _model("EntryLink").objects.filter(relation=HELD_AT, target__live=True, source__live=True)
        hosts = {}
        for source, target in links.filter(Q(source__in=missing) | Q(target__in=missing)).values_list(
            "source_id", "target_id"
        ):
            if source in missing:
                hosts.setdefault(source, target)
            if target in missing:
                hosts.setdefault(target, source)
        host_positions = {}
        for model in located_models():
            rows = model.objects.filter(
                pk__in=set(hosts.values()), latitude__isnull=False, longitude__isnull=False
            ).values_list("pk", "latitude", "longitude")
            host_positions.update({pk: (float(lat), float(lon)) for pk, lat, lon in rows})
        for pk, host in hosts.items():
            if host in host_positions:
                found[pk] = host_positions[host]
    return found


def nearby(page, limit=5):
    """The closest other live entries to ``page``, nearest first, each with ``distance_m``."""
    origin = position_of(page)
    if origin is None:
        return []
    candidates = []
    for window in NEARBY_WINDOWS:
        bbox = None
        if window is not None:
            bbox = (origin[1] - window, origin[0] - window, origin[1] + window, origin[0] + window)
        candidates = [point for point in collect(bbox=bbox) if point.pk != page.pk and point.has_location]
        if len(candidates) >= limit:
            break
    candidates.sort(key=lambda point: rough_m(origin, point.position))
    chosen = candidates[: limit * 3]
    for point in chosen:
        point.distance_m = geodesic_m(origin, point.position)
    chosen.sort(key=lambda point: (point.distance_m, point.title))
    return chosen[:limit]


class NearestFirst(Sequence):
    """A queryset's entries nearest a point first, fetched a page at a time (what Paginator slices).

    Only primary keys and positions are read for the whole list, and the order uses a flat-earth
    estimate (exact enough to rank places within a city); the entries shown get geopy's geodesic
    ``distance_m``.
    """

    def __init__(self, queryset, origin):
        self.queryset, self.origin = queryset, origin
        pks = list(queryset.values_list("pk", flat=True))
        self.positions = positions(pks)
        placed = sorted((pk for pk in pks if pk in self.positions), key=lambda pk: rough_m(origin, self.positions[pk]))
        self.pks = placed + [pk for pk in pks if pk not in self.positions]

    def __len__(self):
        return len(self.pks)

    def count(self):
        return len(self.pks)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        pks = self.pks[index]
        found = self.queryset.in_bulk(pks)
        entries = [found[pk] for pk in pks if pk in found]
        for entry in entries:
            position = self.positions.get(entry.pk)
            entry.distance_m = geodesic_m(self.origin, position) if position else None
        return entries


def order_by_distance(entries, origin, *, key="pk"):
    """Entries (pages, or search hits with ``key="id"``) nearest ``origin`` first, those without a place last.

    Each gets ``distance_m`` (``None`` without a place); the order among equals is kept. A queryset
    gives a lazy ``NearestFirst`` for pagination.
    """
    if isinstance(entries, QuerySet):
        return NearestFirst(entries, origin)
    entries = list(entries)
    found = positions([getattr(entry, key) for entry in entries])
    for entry in entries:
        position = found.get(getattr(entry, key))
        entry.distance_m = geodesic_m(origin, position) if position else None
    return sorted(entries, key=lambda entry: (entry.distance_m is None, entry.distance_m or 0))


def point_for(page):
    """The map point of one entry (its own place or its relic's), without loading the others."""
    page = page.specific
    model = type(page)
    rank = getattr(page, "rank", "") or ""
    point = Point(
        pk=page.pk,
        source_id=page.source_id,
        title=page.title,
        entry_type=getattr(model, "entry_type", ""),
        type_label=str(model._meta.verbose_name),
        url_path=page.url_path,
        path=page.path,
        latitude=None,
        longitude=None,
        image_id=page.image_id,
        rank=rank,
        rank_label=_choice_labels(model, "rank").get(rank, ""),
    )
    if _has_field(model, "relic_types"):
        point.relic_types = list(page.relic_types.values_list("code", flat=True))
    position = position_of(page)
    if position:
        point.latitude, point.longitude = position
    _add_communes([point])
    return point


def relic_type_labels():
    """Display names of the relic type codes, from whichever located kinds have relic types."""
    labels = {}
    for model in entry_models():
        if _has_field(model, "relic_types"):
            related = model._meta.get_field("relic_types").related_model
            labels.update({str(value): str(label) for value, label in related._meta.get_field("code").flatchoices})
    return labels
