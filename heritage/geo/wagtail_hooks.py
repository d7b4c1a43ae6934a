"""Admin wiring for maps: geocoding URLs, the protection zones menu, and the outside-Vietnam warning."""

from django.contrib import messages
from django.urls import include, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import ProtectionZone
from .coords import format_degrees, in_vietnam
from .urls import admin_urlpatterns


@hooks.register("register_admin_urls")
def register_geo_admin_urls():
    return [path("geo/", include((admin_urlpatterns, "heritage_geo_admin"), namespace="heritage_geo_admin"))]


def warn_outside_vietnam(request, page):
    specific = page.specific
    if getattr(specific, "has_location", False) and not in_vietnam(specific.latitude, specific.longitude):
        messages.warning(
            request,
            _(
                "The coordinates %(lat)s, %(lon)s are outside Vietnam. Check that latitude and longitude are not swapped."
            )
            % {"lat": format_degrees(specific.latitude), "lon": format_degrees(specific.longitude)},
        )


hooks.register("after_create_page", warn_outside_vietnam)
hooks.register("after_edit_page", warn_outside_vietnam)


class ProtectionZoneViewSet(SnippetViewSet):
    model = ProtectionZone
    icon = "site"
    menu_label = gettext_lazy("Protection zones")
    list_display = ["entry", "level", "approved_on", "document_reference"]
    list_filter = ["level"]
    ordering = ["entry__title", "level", "-approved_on"]


register_snippet(ProtectionZoneViewSet)
