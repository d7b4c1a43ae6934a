"""``/q/<code>``: the short URLs printed on plaques. Public contract: these never change."""

from django.urls import path

from . import views

urlpatterns = [
    path("q/", views.plaque_lookup, name="plaque_lookup"),
    path("q/<str:code>/qr.svg", views.plaque_qr_svg, name="plaque_qr_svg"),
    path("q/<str:code>/qr.png", views.plaque_qr_png, name="plaque_qr_png"),
    # Printed without a trailing slash; with one it works too.
    path("q/<str:code>", views.plaque_redirect, name="plaque"),
    path("q/<str:code>/", views.plaque_redirect),
]
