"""The plaque of an entry on its own page: short URL and QR links."""

from django import template
from django.urls import reverse

from ..plaques import code_url, plaque_code

register = template.Library()


@register.simple_tag
def plaque_links(page):
    """``{"code", "url", "qr_svg", "qr_png"}`` of the page's plaque, or None before its first publication."""
    code = plaque_code(page)
    if not code:
        return None
    return {
        "code": code,
        "url": code_url(code),
        "qr_svg": reverse("plaque_qr_svg", args=[code]),
        "qr_png": reverse("plaque_qr_png", args=[code]),
    }
