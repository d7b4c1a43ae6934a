"""Responsive pictures: WebP for browsers that take it, JPEG or PNG for the rest, sized so nothing jumps."""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError

register = template.Library()

# Formats whose pictures can have transparency or sharp edges keep a lossless fallback.
LOSSLESS_FORMATS = {"png", "gif"}


def fallback_format(image):
    name = (image.file.name or "").rsplit(".", 1)[-1].lower()
    return "png" if name in LOSSLESS_FORMATS else "jpeg"


def picture_specs(image, operation, sizes_list):
    """Filter specs of the WebP and fallback renditions, one per width, in a stable spelling."""
    fallback = fallback_format(image)
    webp = [f"{operation}-{size}|format-webp" for size in sizes_list]
    plain = [f"{operation}-{size}|format-{fallback}" for size in sizes_list]
    return webp, plain, fallback


def _by_width(renditions):
    """Renditions from narrow to wide; a small original gives equal widths, listed once."""
    unique = {}
    for rendition in sorted(renditions, key=lambda rendition: rendition.width):
        unique.setdefault(rendition.width, rendition)
    return list(unique.values())


def _srcset(renditions):
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


@register.simple_tag
def picture(image, operation="width", sizes_list="480,960", sizes="100vw", alt=None, lazy=True, css_class=""):
    """A ``<picture>`` with WebP and JPEG/PNG sources, ``srcset``/``sizes``, width and height.

    ``operation`` and ``sizes_list`` name Wagtail filters: ``width`` with "480,960" asks for
    ``width-480`` and ``width-960``; ``fill`` with "320x240,640x480" for crops. ``lazy=False`` is for
    the first picture of a page, which the browser should fetch at once.
    """
    if not image:
        return ""
    sizes_list = [size.strip() for size in str(sizes_list).split(",") if size.strip()]
    webp_specs, plain_specs, fallback = picture_specs(image, operation, sizes_list)
    try:
        renditions = image.get_renditions(*webp_specs, *plain_specs)
    except (SourceImageIOError, InvalidFilterSpecError, OSError):
        # A missing or unreadable original must not take the page down with it.
        return ""
    webp = _by_width(renditions[spec] for spec in webp_specs)
    plain = _by_width(renditions[spec] for spec in plain_specs)
    largest = plain[-1]
    attributes = {
        "src": largest.url,
        "srcset": _srcset(plain),
        "sizes": sizes,
        "width": largest.width,
        "height": largest.height,
        "alt": alt if alt is not None else (getattr(image, "caption", "") or image.title),
        "decoding": "async",
    }
    if lazy:
        attributes["loading"] = "lazy"
    else:
        attributes["fetchpriority"] = "high"
    if css_class:
        attributes["class"] = css_class
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}"><img{}></picture>',
        _srcset(webp),
        sizes,
        flatatt(attributes),
    )


@register.simple_tag
def lightbox_urls(image, width=1600):
    """The large renditions a gallery link opens: the fallback as the link, the WebP for the lightbox."""
    if not image:
        return {}
    fallback = fallback_format(image)
    specs = (f"width-{width}|format-{fallback}", f"width-{width}|format-webp")
    try:
        renditions = image.get_renditions(*specs)
    except (SourceImageIOError, InvalidFilterSpecError, OSError):
        return {}
    large, webp = renditions[specs[0]], renditions[specs[1]]
    return {"href": large.url, "webp": webp.url, "width": large.width, "height": large.height}


@register.simple_tag
def audio_sources(media):
    """``<source>`` elements of a recording (mark-up helper for players)."""
    return format_html_join(
        mark_safe(""), '<source src="{}" type="{}">', ((s["src"], s["type"]) for s in media.sources)
    )
