"""Reading and checking coordinates (WGS 84 decimal degrees) as editors and visitors type them."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Vietnam's mainland and islands, Trường Sa and Hoàng Sa included, with a small margin.
VIETNAM_BOUNDS = {"south": 6.0, "north": 23.5, "west": 102.0, "east": 118.0}

# "21.0285, 106.6821", "21,0285 106,6821" (decimal commas, as Vietnamese writes them), "21.0285;106.68".
_NUMBER = r"[-+]?\d{1,3}(?:[.,]\d+)?"
_PAIR = re.compile(rf"^\s*({_NUMBER})\s*(?:[;/]|,\s|\s)\s*({_NUMBER})\s*$")
_PAIR_DOTS = re.compile(r"^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*,\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$")


class CoordinateError(ValueError):
    """Coordinates that cannot be read; the message says what is wrong, for a person."""


def parse_degrees(text):
    """A number of decimal degrees, with a decimal point or a Vietnamese decimal comma."""
    if isinstance(text, (int, float, Decimal)):
        return Decimal(str(text))
    cleaned = (text or "").strip().replace("\u2212", "-")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"[-+]?\d{1,3}(\.\d+)?", cleaned):
        raise CoordinateError(_("Write decimal degrees, for example 20.8449."))
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise CoordinateError(_("Write decimal degrees, for example 20.8449.")) from error


def check_range(latitude, longitude):
    if not -90 <= latitude <= 90:
        raise CoordinateError(_("Latitude must be between -90 and 90."))
    if not -180 <= longitude <= 180:
        raise CoordinateError(_("Longitude must be between -180 and 180."))


def parse_point(text):
    """``(latitude, longitude)`` as decimals from "lat,lon" in the forms people paste; raises CoordinateError."""
    text = (text or "").strip()
    if not text:
        raise CoordinateError(_("Give a latitude and a longitude, for example 20.8449,106.6881."))
    if len(text) > 64:
        raise CoordinateError(_("These coordinates are too long to be real."))
    match = _PAIR_DOTS.match(text) or _PAIR.match(text)
    if not match:
        raise CoordinateError(_("Give a latitude and a longitude separated by a comma, for example 20.8449,106.6881."))
    latitude, longitude = parse_degrees(match.group(1)), parse_degrees(match.group(2))
    check_range(latitude, longitude)
    return latitude, longitude


def in_vietnam(latitude, longitude):
    bounds = VIETNAM_BOUNDS
    return (
        bounds["south"] <= float(latitude) <= bounds["north"] and bounds["west"] <= float(longitude) <= bounds["east"]
    )


def format_degrees(value):
    """Degrees for HTML and JavaScript: always a decimal point, never the locale's comma."""
    return format(Decimal(value).quantize(Decimal("0.000001")).normalize(), "f") if value is not None else ""


class CoordinateFormField(forms.DecimalField):
    """A latitude or longitude field that accepts a decimal comma and explains a malformed value."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            degrees = parse_degrees(value)
        except CoordinateError as error:
            raise ValidationError(str(error), code="invalid") from error
        # A map click or a phone gives more decimals than the archive keeps (about 10 cm).
        return degrees.quantize(Decimal("0.000001"))

    def prepare_value(self, value):
        # The admin speaks Vietnamese, whose locale would print "21,028511"; the map script reads dots.
        return format_degrees(value) if isinstance(value, Decimal) else value


class CoordinateField(models.DecimalField):
    """A latitude or longitude in the database: a plain DecimalField with a forgiving form field."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CoordinateFormField, **kwargs})

    def deconstruct(self):
        # Stored and migrated exactly as a DecimalField: only the form field differs.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
