"""The admin widget for a protection zone's boundary: draw on a map, upload a GeoJSON file or paste it."""

from django import forms
from django.conf import settings


class ZoneGeometryWidget(forms.Textarea):
    template_name = "heritage/geo/zone_widget.html"

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 6, "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["tile_url"] = settings.MAP_TILE_URL
        context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context

    @property
    def media(self):
        return forms.Media(
            css={"all": ["heritage/vendor/leaflet/leaflet.css", "heritage/css/map.css"]},
            js=["heritage/vendor/leaflet/leaflet.js", "heritage/js/map-admin.js"],
        )
