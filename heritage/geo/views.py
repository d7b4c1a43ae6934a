"""Public maps and open GeoJSON, and the admin's helpers for geocoding and photo positions."""

import functools
import hashlib
import json
import math

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.permissions import policy_registry

from .. import freshness
from ..models import HeritagePage, HomePage, ProtectionZone
from . import geocoding
from .coords import CoordinateError, format_degrees, in_vietnam, parse_degrees, parse_point
from .exif import image_gps_position
from .geojson import feature_collection, point_feature, thumbnail_url_prefix, zone_feature
from .places import Addresses, collect, commune_path, filter_points, point_for, relic_type_labels

GEOJSON_TYPE = "application/geo+json"
THUMBNAIL_SPEC = "fill-160x120"
UNLOCATED_SHOWN = 300
GEOJSON_CACHE_SECONDS = 3600


class BadParameter(ValueError):
    pass


def _geojson(data, status=200):
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return HttpResponse(body, status=status, content_type=f"{GEOJSON_TYPE}; charset=utf-8")


def _error(message, status=400):
    return JsonResponse({"error": str(message)}, status=status, json_dumps_params={"ensure_ascii": False})


def parse_bbox(value):
    """``west,south,east,north`` in decimal degrees (RFC 7946 order); ``None`` when absent."""
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise BadParameter(_("bbox needs four numbers: west,south,east,north."))
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError as error:
        raise BadParameter(_("bbox needs four numbers: west,south,east,north.")) from error
    if not all(math.isfinite(number) for number in (west, south, east, north)):
        raise BadParameter(_("bbox needs four numbers: west,south,east,north."))
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise BadParameter(_("bbox is outside the world's coordinates."))
    if south > north or west > east:
        raise BadParameter(_("bbox must be west,south,east,north with west ≤ east and south ≤ north."))
    return west, south, east, north


def _base_url(request):
    return f"{request.scheme}://{request.get_host()}"


def remembered(view):
    """Keeps a GeoJSON answer until content changes (heritage.freshness) and sends it compressed.

    The whole city at 10 000 entries is seconds of work and megabytes of JSON; the same answer
    serves every visitor until an editor publishes. GeoJSON holds no secret, so compressing it
    cannot leak one (unlike pages that carry a CSRF token).
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        digest = hashlib.blake2b(f"{request.get_host()}|{request.get_full_path()}".encode(), digest_size=16)
        key = f"heritage:geojson:{freshness.generation()}:{digest.hexdigest()}"
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body, content_type=f"{GEOJSON_TYPE}; charset=utf-8")
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(key, response.content, GEOJSON_CACHE_SECONDS)
        return response

    return gzip_page(wrapper)


@require_safe
@cache_control(public=True, max_age=300)
@remembered
def entries_geojson(request):
    """``GET /api/geo/entries.geojson``: live entries with a place, filtered by type, rank, commune and bbox."""
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
    except BadParameter as error:
        return _error(error)
    commune = request.GET.get("commune", "").strip()
    root_path = commune_path(commune) if commune else ""
    if root_path is None:
        return _geojson(feature_collection([]))  # no such commune: nothing, as for any other filter
    points = filter_points(
        collect(bbox=bbox, root_path=root_path),
        entry_type=request.GET.get("type", "").strip(),
        rank=request.GET.get("rank", "").strip(),
        relic_type=request.GET.get("relic_type", "").strip(),
    )
    addresses, base_url = Addresses(), _base_url(request)
    prefix = thumbnail_url_prefix(base_url)
    points.sort(key=lambda point: point.pk)
    features = (point_feature(point, addresses, base_url, prefix) for point in points if point.has_location)
    return _geojson(feature_collection(features))


@require_safe
@cache_control(public=True, max_age=300)
@remembered
def entry_geojson(request, source_id):
    """``GET /api/geo/entries/<source_id>.geojson``: one entry's place and its protection zones in force."""
    entry = HeritagePage.objects.live().public().filter(source_id=source_id).first()
    if entry is None:
        return _error(_("No published entry has this source ID."), status=404)
    base_url = _base_url(request)
    point = point_for(entry)
    features = [point_feature(point, Addresses(), base_url)] if point.has_location else []
    zones = ProtectionZone.current_for([entry.pk])
    if request.GET.get("history"):
        zones = list(ProtectionZone.objects.filter(entry=entry).select_related("document"))
    features += [zone_feature(zone, base_url) for zone in zones]
    return _geojson(feature_collection(features))


@require_safe
def thumbnail(request, image_id):
    """The small picture of a popup, made on demand so the map's GeoJSON stays light."""
    if not HeritagePage.objects.live().public().filter(image_id=image_id).exists():
        raise Http404
    image = get_object_or_404(get_image_model(), pk=image_id)
    response = redirect(image.get_rendition(THUMBNAIL_SPEC).url)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _options(points, attribute, labels):
    values = {}
    for point in points:
        for value in getattr(point, attribute) if attribute == "relic_types" else [getattr(point, attribute)]:
            if value:
                values[value] = labels(point, value)
    return sorted(values.items(), key=lambda item: str(item[1]))


@require_safe
def map_page(request):
    """``/ban-do/``: the site's entries on a map (a commune's own, or the whole city's), with a list."""
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    home = None
    if root is not None and issubclass(root.specific_class or type(root), HomePage):
        home = HomePage.objects.select_related("commune").get(pk=root.pk)
    points = collect(root_path=home.path if home else "", include_unlocated=True)

    type_labels = relic_type_labels()
    filters = [
        ("kind", _("Kind"), _options(points, "entry_type", lambda point, value: point.type_label)),
        ("rank", _("Rank"), _options(points, "rank", lambda point, value: point.rank_label)),
        (
            "relic_type",
            _("Relic type"),
            _options(points, "relic_types", lambda point, value: type_labels.get(value, value)),
        ),
    ]
    if home is None:
        filters.append(
            ("commune", _("Commune"), _options(points, "commune_code", lambda point, value: point.commune_name))
        )
    chosen = {}
    for param, _label, options in filters:
        value = request.GET.get(param, "")
        chosen[param] = value if value in dict(options) else ""
    shown = filter_points(
        points,
        entry_type=chosen["kind"],
        rank=chosen["rank"],
        relic_type=chosen["relic_type"],
        commune=chosen.get("commune", ""),
    )
    unlocated = sorted((point for point in shown if not point.has_location), key=lambda point: point.title)
    addresses = Addresses()
    for point in unlocated[:UNLOCATED_SHOWN]:
        point.url = addresses.url(point.url_path)
    data_query = {"commune": home.commune.code} if home else {}
    return TemplateResponse(
        request,
        "heritage/geo/map_page.html",
        {
            "home": home,
            "title": _("Map of %(place)s") % {"place": home.title} if home else _("Map of the city's heritage"),
            "filters": [(param, label, options, chosen[param]) for param, label, options in filters if options],
            "located_count": sum(1 for point in shown if point.has_location),
            "unlocated": unlocated[:UNLOCATED_SHOWN],
            "unlocated_count": len(unlocated),
            "geojson_url": reverse("heritage_geo:entries") + (f"?{urlencode(data_query)}" if data_query else ""),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "map_center": settings.MAP_DEFAULT_CENTER,
        },
    )


# --- Admin helpers (registered under /admin/geo/ by wagtail_hooks, behind the admin's login) ---


def admin_geocode(request):
    query = " ".join(request.GET.get("q", "").split())[:300]
    if not query:
        return _error(_("Type an address first."))
    try:
        place = geocoding.geocode(query)
    except geocoding.GeocodingError as error:
        return _error(error, status=503)
    if place is None:
        return JsonResponse({"found": False, "message": _("No place found for this address. Type the coordinates.")})
    return JsonResponse(
        {"found": True, **place.as_json(), "outside_vietnam": not in_vietnam(place.latitude, place.longitude)}
    )


def admin_reverse(request):
    try:
        latitude = parse_degrees(request.GET.get("lat", ""))
        longitude = parse_degrees(request.GET.get("lon", ""))
        parse_point(f"{latitude},{longitude}")
    except CoordinateError as error:
        return _error(error)
    try:
        place = geocoding.reverse(latitude, longitude)
    except geocoding.GeocodingError as error:
        return _error(error, status=503)
    if place is None:
        return JsonResponse({"found": False, "message": _("The geocoder knows no address here.")})
    return JsonResponse({"found": True, **place.as_json()})


def admin_exif(request, image_id):
    policy = policy_registry.get_by_type(get_image_model())
    images = policy.instances_user_has_any_permission_for(request.user, ["choose", "change"])
    image = get_object_or_404(images, pk=image_id)
    position = image_gps_position(image)
    if position is None:
        return JsonResponse({"found": False, "message": _("The main image has no GPS position.")})
    latitude, longitude = position
    return JsonResponse(
        {
            "found": True,
            "latitude": format_degrees(latitude),
            "longitude": format_degrees(longitude),
            "outside_vietnam": not in_vietnam(latitude, longitude),
        }
    )
