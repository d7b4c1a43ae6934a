"""Template tags for maps: an entry's nearby entries, its map data, and coordinates without the locale's comma."""

from django import template
from django.conf import settings
from django.urls import reverse

from ..geo.coords import format_degrees
from ..geo.distance import format_distance
from ..geo.places import Addresses, nearby, position_of

register = template.Library()

NEARBY_LIMIT = 5


@register.simple_tag
def entry_place(page):
    """``{"lat", "lon", "geojson_url"}`` for the entry's small map, or ``None`` when it has no place."""
    position = position_of(page)
    if position is None:
        return None
    return {
        "lat": format_degrees(position[0]),
        "lon": format_degrees(position[1]),
        "geojson_url": reverse("heritage_geo:entry", args=[page.source_id]),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@register.simple_tag
def nearby_entries(page, limit=NEARBY_LIMIT):
    """The closest other entries, each with ``url`` and ``distance`` (text) set; fresh on every request."""
    points = nearby(page, limit)
    addresses = Addresses()
    for point in points:
        point.url = addresses.url(point.url_path)
        point.distance = format_distance(point.distance_m)
    return points


@register.filter
def degrees(value):
    """A latitude or longitude with a decimal point whatever the language (never "21,0285")."""
    return format_degrees(value)
