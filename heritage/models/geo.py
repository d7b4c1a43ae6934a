"""Protection zones (khu vực bảo vệ I and II) of an entry, as approved polygons with their history."""

import json

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import RevisionMixin

from ..geo.widgets import ZoneGeometryWidget
from .pages import HeritagePage


class ZoneLevel(models.TextChoices):
    ZONE_I = "I", _("Protection zone I")
    ZONE_II = "II", _("Protection zone II")


MAX_ZONE_VERTICES = 20_000


def _check_ring(ring):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring of a polygon needs at least four positions, the last equal to the first."))
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) not in (2, 3)
            or not all(isinstance(number, (int, float)) and not isinstance(number, bool) for number in position)
        ):
            raise ValidationError(_("A position is written [longitude, latitude], in decimal degrees."))
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise ValidationError(
                _("A position is outside the world's coordinates: GeoJSON writes [longitude, latitude].")
            )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(_("Each ring of a polygon must end where it starts."))


def polygon_geometry(value):
    """A GeoJSON Polygon or MultiPolygon geometry from what an editor drew, pasted or uploaded.

    Accepts a geometry, a Feature or a FeatureCollection holding one polygon feature (what most GIS
    programs export), as a dict or as JSON text; raises ValidationError with a readable reason.
    """
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except (ValueError, UnicodeDecodeError) as error:
            raise ValidationError(_("This is not GeoJSON: the text is not valid JSON.")) from error
    if not isinstance(value, dict):
        raise ValidationError(_("This is not GeoJSON: expected an object with a 'type'."))
    if value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise ValidationError(_("Upload one zone at a time: the collection must hold exactly one feature."))
        value = features[0]
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    kind = value.get("type")
    coordinates = value.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else None
    else:
        raise ValidationError(_("A protection zone must be a Polygon or a MultiPolygon."))
    if not polygons or not all(isinstance(polygon, list) and polygon for polygon in polygons):
        raise ValidationError(_("The polygon has no coordinates."))
    count = 0
    for polygon in polygons:
        for ring in polygon:
            _check_ring(ring)
            count += len(ring)
    if count > MAX_ZONE_VERTICES:
        raise ValidationError(_("The zone has too many points; simplify it before uploading."))
    return {"type": kind, "coordinates": coordinates}


class ProtectionZone(RevisionMixin, models.Model):
    """One approved version of an entry's protection zone I or II; a new approval adds a new version."""

    entry = models.ForeignKey(
        HeritagePage, on_delete=models.CASCADE, related_name="protection_zones", verbose_name=_("entry")
    )
    level = models.CharField(_("zone"), max_length=2, choices=ZoneLevel.choices)
    geometry = models.JSONField(
        _("boundary (GeoJSON)"),
        help_text=_("Draw the boundary on the map, upload a GeoJSON file or paste GeoJSON (longitude, latitude)."),
    )
    approved_on = models.DateField(_("approved on"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approving document"),
    )
    document_reference = models.CharField(
        _("document number"), max_length=100, blank=True, help_text=_("As printed, for example 123/QĐ-UBND.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("entry"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("approved_on")]),
        FieldRowPanel([FieldPanel("document"), FieldPanel("document_reference")]),
        FieldPanel("geometry", widget=ZoneGeometryWidget()),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["entry", "level", "-approved_on", "-pk"]
        verbose_name = _("protection zone")
        verbose_name_plural = _("protection zones")

    def __str__(self):
        return f"{self.entry.title} – {self.get_level_display()} ({self.approved_on:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.geometry not in (None, ""):
            try:
                self.geometry = polygon_geometry(self.geometry)
            except ValidationError as error:
                raise ValidationError({"geometry": error.messages}) from error

    @classmethod
    def current_for(cls, entry_ids):
        """The version in force of each zone: the latest approval per entry and level."""
        current = {}
        for zone in cls.objects.filter(entry_id__in=entry_ids).order_by("entry_id", "level", "-approved_on", "-pk"):
            current.setdefault((zone.entry_id, zone.level), zone)
        return list(current.values())

    @property
    def is_current(self):
        latest = ProtectionZone.objects.filter(entry_id=self.entry_id, level=self.level).order_by("-approved_on", "-pk")
        return latest.values_list("pk", flat=True).first() == self.pk
