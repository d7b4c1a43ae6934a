"""Public map and GeoJSON addresses; ``/ban-do/`` is the map of the site serving the request."""

from django.urls import path

from . import views

app_name = "heritage_geo"

urlpatterns = [
    path("ban-do/", views.map_page, name="map"),
    path("api/geo/entries.geojson", views.entries_geojson, name="entries"),
    path("api/geo/entries/<str:source_id>.geojson", views.entry_geojson, name="entry"),
    path("api/geo/thumbnail/<int:image_id>/", views.thumbnail, name="thumbnail"),
]

admin_urlpatterns = [
    path("geocode/", views.admin_geocode, name="geocode"),
    path("reverse/", views.admin_reverse, name="reverse"),
    path("exif/<int:image_id>/", views.admin_exif, name="exif"),
]
