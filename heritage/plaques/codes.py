"""Plaque code format, reading codes typed by people, and giving codes to entries.

A code is a prefix of two to four capital letters without I or O (the commune's code) and a
number of at least four digits: ``KM-0123``. Letters and digits never share a position, so a
code read aloud or retyped from a weathered plaque can be repaired: O becomes 0 and I or L
becomes 1 in the number, case, spaces and dashes do not matter.
"""

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from ..models import HeritagePage, HomePage
from ..models.plaques import LegacyPlaqueCode, PlaqueCode, PlaqueSequence, legacy_key
from ..models.taxonomy import COMMUNE_CODE

NUMBER_WIDTH = 4
PREFIX_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
# Look-alikes of digits that a person may type in the number part.
DIGIT_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·–—/]+")
_CLEAN = re.compile(r"^[A-Z0-9]+$")


def city_prefix():
    """Prefix of entries that belong to no commune (city-level indexes)."""
    return getattr(settings, "PLAQUE_CITY_PREFIX", "HP")


def format_code(prefix, number):
    return f"{prefix}-{number:0{NUMBER_WIDTH}d}"


def candidate_codes(text):
    """The canonical codes a typed or scanned text may mean, most likely first; empty if none.

    ``"km 123"``, ``"KM-O123"`` and ``"km0123"`` all mean ``KM-0123``. When a letter could belong
    to either part (``KML23``), every reading is returned and the caller keeps the one that exists.
    """
    text = (text or "").strip().upper()
    if not text or len(text) > 32:
        return []
    parts = [part for part in _SEPARATORS.split(text) if part]
    readings = []
    if len(parts) >= 2:
        readings.append((parts[0], "".join(parts[1:])))
    joined = "".join(parts)
    if not _CLEAN.match(joined):
        return []
    for length in range(4, 1, -1):
        readings.append((joined[:length], joined[length:]))
    found = []
    for prefix, number in readings:
        if not COMMUNE_CODE.match(prefix) and prefix != city_prefix():
            continue
        digits = number.translate(DIGIT_LOOKALIKES)
        # At least one real digit: "HELLO" is no code, whatever its O and L look like.
        if not any(char.isdigit() for char in number) or not digits.isdigit() or len(digits) > 9:
            continue
        code = format_code(prefix, int(digits))
        if code not in found:
            found.append(code)
    return found


def find_plaque(text):
    """The plaque code row a typed or scanned text names, or None."""
    candidates = candidate_codes(text)
    if not candidates:
        return None
    rows = {row.code: row for row in PlaqueCode.objects.filter(code__in=candidates).select_related("commune")}
    for code in candidates:
        if code in rows:
            return rows[code]
    return None


def find_legacy(text):
    """The old printed code a text names, or None: exactly as registered, or read as a new-style code."""
    wanted = [legacy_key(text), *(legacy_key(code) for code in candidate_codes(text))]
    rows = {row.key: row for row in LegacyPlaqueCode.objects.filter(key__in=wanted).select_related("page")}
    for code in wanted:
        if code in rows:
            return rows[code]
    return None


def prefix_for(page):
    """The commune code of the commune a page belongs to, or the city's prefix."""
    home = HomePage.objects.ancestor_of(page, inclusive=True).select_related("commune").first()
    if home is not None and home.commune.code:
        return home.commune.code, home.commune
    return city_prefix(), None


def next_number(prefix):
    """Take the next number under ``prefix``; safe when several publications run at once.

    The counter row is incremented with one UPDATE (a row lock on PostgreSQL, the database
    write lock on SQLite) before it is read, so two transactions never read the same number.
    """
    PlaqueSequence.objects.get_or_create(prefix=prefix)
    PlaqueSequence.objects.filter(prefix=prefix).update(last_number=F("last_number") + 1)
    return PlaqueSequence.objects.get(prefix=prefix).last_number


def assign_code(page):
    """The entry's plaque code, given now if it has none; the title snapshot kept current."""
    existing = PlaqueCode.objects.filter(page_id=page.pk).first()
    if existing is not None:
        if existing.title != page.title:
            PlaqueCode.objects.filter(pk=existing.pk).update(title=page.title[:255])
            existing.title = page.title
        return existing
    prefix, commune = prefix_for(page)
    try:
        with transaction.atomic():
            number = next_number(prefix)
            return PlaqueCode.objects.create(
                code=format_code(prefix, number),
                prefix=prefix,
                number=number,
                page_id=page.pk,
                commune=commune,
                title=page.title[:255],
            )
    except IntegrityError:
        # Another publication of the same page won the race; its code is the page's code.
        return PlaqueCode.objects.get(page_id=page.pk)


def assign_missing_codes():
    """Give a code to every live entry published before plaque codes existed, oldest first."""
    pages = (
        HeritagePage.objects.live()
        .filter(plaque_code__isnull=True, alias_of__isnull=True)
        .order_by("first_published_at", "path")
        .only("pk", "title", "path", "depth")
    )
    return [assign_code(page) for page in pages]
