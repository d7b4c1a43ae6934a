"""The project's URLs for browser tests, with uploads served with byte ranges and a map tile server.

Pages with a map load tiles from ``MAP_TILE_URL``; a test that points it at ``/tiles/{z}/{x}/{y}.png``
gets plain tiles from the live server, so a map page (public or admin) asks nothing of the internet
and every request it makes must succeed.
"""

import io
from functools import cache

from django.http import HttpResponse
from django.urls import path
from PIL import Image

from tests.media.urls import urlpatterns as media_urlpatterns

TILE_URL = "/tiles/{z}/{x}/{y}.png"


@cache
def tile_png():
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (232, 228, 216)).save(buffer, "PNG")
    return buffer.getvalue()


def tile(request, z, x, y):
    return HttpResponse(tile_png(), content_type="image/png")


urlpatterns = [
    path("tiles/<int:z>/<int:x>/<int:y>.png", tile),
    *media_urlpatterns,
]
