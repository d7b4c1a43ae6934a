"""The admin's location panel: the coordinate fields with a map to click, geocoding and photo positions."""

from django import forms
from django.conf import settings
from django.urls import reverse
from wagtail.admin.panels import MultiFieldPanel

# Fields that hold an entry's address, by kind; the panel geocodes the first one the form has.
ADDRESS_FIELDS = ("address", "maker_address")


def map_media():
    return forms.Media(
        css={
            "all": [
                "heritage/vendor/leaflet/leaflet.css",
                "heritage/css/map.css",
            ]
        },
        js=["heritage/vendor/leaflet/leaflet.js", "heritage/js/map-admin.js"],
    )


class LocationPanel(MultiFieldPanel):
    """Latitude and longitude, set by clicking a map, typing, geocoding the address or a photo's GPS."""

    def __init__(self, *args, address_fields=ADDRESS_FIELDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.address_fields = address_fields

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs["address_fields"] = self.address_fields
        return kwargs

    class BoundPanel(MultiFieldPanel.BoundPanel):
        template_name = "heritage/geo/location_panel.html"

        @property
        def media(self):
            return super().media + map_media()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            address_field = next((name for name in self.panel.address_fields if name in self.form.fields), "")
            context.update(
                address_id=self.form[address_field].id_for_label if address_field else "",
                image_id=self.form["image"].id_for_label if "image" in self.form.fields else "",
                latitude_id=self.form["latitude"].id_for_label,
                longitude_id=self.form["longitude"].id_for_label,
                geocode_url=reverse("heritage_geo_admin:geocode"),
                reverse_url=reverse("heritage_geo_admin:reverse"),
                exif_url=reverse("heritage_geo_admin:exif", args=[0]).rsplit("0/", 1)[0],
                tile_url=settings.MAP_TILE_URL,
                tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            )
            return context
