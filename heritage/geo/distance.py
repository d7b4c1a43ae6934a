"""Distances between places on the ellipsoid (geopy's geodesic) and how they read on a page."""

import math

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from geopy.distance import geodesic

from .coords import CoordinateError, parse_point


def geodesic_m(a, b):
    """Metres between two ``(latitude, longitude)`` points."""
    return geodesic((float(a[0]), float(a[1])), (float(b[0]), float(b[1]))).meters


def rough_m(a, b):
    """A fast flat-earth estimate, good enough to choose candidates before the geodesic ranks them."""
    lat = math.radians((float(a[0]) + float(b[0])) / 2)
    dx = (float(b[1]) - float(a[1])) * math.cos(lat)
    dy = float(b[0]) - float(a[0])
    return 111_195 * math.hypot(dx, dy)


def format_distance(metres):
    if metres < 1000:
        return _("%(metres)s m") % {"metres": int(round(metres, -1)) if metres >= 100 else int(round(metres))}
    return _("%(km)s km") % {"km": number_format(round(metres / 1000, 1 if metres < 10_000 else 0))}


def parse_near(value):
    """The visitor's position from ``?near=lat,lon``: ``None`` when absent, CoordinateError when malformed."""
    if value is None or not value.strip():
        return None
    latitude, longitude = parse_point(value)
    return float(latitude), float(longitude)


__all__ = ["CoordinateError", "format_distance", "geodesic_m", "parse_near", "rough_m"]
