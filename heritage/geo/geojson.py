"""RFC 7946 GeoJSON of entries and their protection zones: positions are [longitude, latitude]."""

from django.urls import reverse


def _round(value):
    return round(float(value), 6)


def point_feature(point, addresses, base_url="", thumbnail_prefix=None):
    if thumbnail_prefix is None:
        thumbnail_prefix = thumbnail_url_prefix(base_url)
    properties = {
        "source_id": point.source_id,
        "title": point.title,
        "type": point.entry_type,
        "type_label": point.type_label,
        "rank": point.rank,
        "rank_label": point.rank_label,
        "relic_types": point.relic_types,
        "commune": point.commune_code,
        "url": addresses.url(point.url_path),
        "thumbnail": f"{base_url}{reverse('heritage_geo:thumbnail', args=[point.image_id])}"
        if point.image_id
        else None,
    }
    if point.place_of:
        properties["place_of"] = point.place_of
    return {
        "type": "Feature",
        "id": point.source_id,
        "geometry": {"type": "Point", "coordinates": [_round(point.longitude), _round(point.latitude)]},
        "properties": properties,
    }


def thumbnail_url_prefix(base_url=""):
    # Reversed once for a whole collection, not ten thousand times.
    return base_url + reverse("heritage_geo:thumbnail", args=[0]).removesuffix("0/")


def zone_feature(zone, base_url=""):
    document_url = zone.document.url if zone.document_id and zone.document else None
    if document_url and document_url.startswith("/"):
        document_url = f"{base_url}{document_url}"
    return {
        "type": "Feature",
        "id": f"zone-{zone.pk}",
        "geometry": zone.geometry,
        "properties": {
            "kind": "protection_zone",
            "zone": zone.level,
            "label": str(zone.get_level_display()),
            "approved_on": zone.approved_on.isoformat(),
            "document": document_url,
            "document_reference": zone.document_reference,
        },
    }


def feature_collection(features):
    return {"type": "FeatureCollection", "features": list(features)}
