"""QR plaques: permanent short codes, the ``/q/<code>`` redirect, QR images, printable PDFs, scan counts.

Other parts of the archive use :func:`short_url` (citations, exports); see docs/plaques.md.
"""

from django.conf import settings
from django.urls import reverse

from ..models.plaques import PlaqueCode


def code_url(code):
    """The absolute short URL of a code, on the public host name (``PUBLIC_BASE_URL``)."""
    return settings.PUBLIC_BASE_URL + reverse("plaque", args=[code])


def plaque_code(page):
    """The page's plaque code (``"KM-0123"``), or None when it was never published. One query, then cached."""
    if page is None or page.pk is None:
        return None
    cached = getattr(page, "_plaque_code", False)
    if cached is False:
        cached = PlaqueCode.objects.filter(page_id=page.pk).values_list("code", flat=True).first()
        page._plaque_code = cached
    return cached


def short_url(page):
    """The absolute short URL that keeps leading to ``page`` wherever it moves, or None.

    ``short_url(page)`` → ``"https://disan.example.vn/q/KM-0123"``. None for pages that were never
    published and for pages that are not heritage entries.
    """
    code = plaque_code(page)
    return code_url(code) if code else None
