"""Template helpers for the public site, each with a fixed number of queries whatever the list length.

Navigation, breadcrumbs, sections with their entry counts, image renditions fetched for a whole
list at once, source anchors, and the JSON-LD and Open Graph data of ``heritage.structured_data``.
"""

import copy
import hashlib
import re
from dataclasses import dataclass

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Q, prefetch_related_objects
from django.db.models.functions import Substr
from django.http import QueryDict
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page, Site

from .. import freshness, structured_data
from ..communes import index_page_types
from ..models import HeritagePage, HomePage
from ..text import fold_diacritics

register = template.Library()

# Section titles rarely change; a short cache keeps the menu from costing a query on every page.
NAV_CACHE_SECONDS = 600
_PHONE_JUNK = re.compile(r"[^\d+]")


@dataclass
class Section:
    """A page listed on a home page or in the menu, with the number of entries below it."""

    page: Page
    count: int = 0
    url: str = ""
    path: str = ""
    title: str = ""


def _request(context):
    return context.get("request")


def _current_page(context):
    return context.get("page") or context.get("self")


def section_pages(parent):
    """Live children of ``parent`` that lead to entries: the index pages and pages shown in menus."""
    index_types = ContentType.objects.get_for_models(*index_page_types()).values()
    return (
        Page.objects.child_of(parent)
        .live()
        .filter(view_restrictions__isnull=True)
        .filter(Q(content_type__in=index_types) | Q(show_in_menus=True))
        .exclude(content_type=ContentType.objects.get_for_model(HomePage))
        .order_by("path")
    )


def count_entries_below(parents):
    """Live, public entries below each of ``parents`` (pages of the same depth), in one query."""
    parents = list(parents)
    if not parents:
        return {}
    depth = parents[0].depth
    prefix = parents[0].path[: (depth - 1) * Page.steplen]
    rows = (
        HeritagePage.objects.live()
        .public()
        .filter(path__startswith=prefix, depth__gt=depth)
        .annotate(branch=Substr("path", 1, depth * Page.steplen))
        .order_by()
        .values("branch")
        .annotate(total=Count("pk"))
    )
    totals = {row["branch"]: row["total"] for row in rows}
    return {parent.pk: totals.get(parent.path, 0) for parent in parents}


@register.inclusion_tag("heritage/includes/site_nav.html", takes_context=True)
def site_nav(context):
    """The main menu: the site's home and its sections, the current one marked."""
    request = _request(context)
    site = structured_data.request_site(request)
    if site is None:
        return {"sections": [], "home_url": "/"}
    key = f"heritage:nav:{site.pk}"
    sections = cache.get(key)
    if sections is None:
        sections = [
            Section(page=None, url=page.get_url(request), path=page.path, title=page.title)
            for page in section_pages(site.root_page)
        ]
        cache.set(key, sections, NAV_CACHE_SECONDS)
    page = _current_page(context)
    current_path = getattr(page, "path", "") or ""
    return {
        "sections": [(section, current_path.startswith(section.path)) for section in sections],
        "home_url": "/",
        "at_home": getattr(page, "pk", None) == site.root_page_id,
    }


@register.inclusion_tag("heritage/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """Where the page sits below the site root, as a trail of links."""
    request = _request(context)
    page = page or _current_page(context)
    if page is None:
        return {"trail": []}
    return {"trail": structured_data.page_trail(page, request), "page": page, "request": request}


@register.simple_tag
def index_sections(page):
    """The sections of a home page with their entry counts: two queries."""
    pages = list(section_pages(page))
    counts = count_entries_below(pages)
    return [Section(page=child, count=counts.get(child.pk, 0)) for child in pages]


@register.simple_tag
def commune_links(communes):
    """Commune home pages with the number of entries each holds: one query besides the list."""
    homes = list(communes)
    counts = count_entries_below(homes)
    # In alphabetical order as a reader looks for a name; tone marks decide only between equals.
    homes.sort(key=lambda home: (fold_diacritics(home.title), home.title))
    return [Section(page=home, count=counts.get(home.pk, 0)) for home in homes]


def _images_of(objects):
    images = []
    for obj in objects:
        if isinstance(obj, get_image_model()):
            images.append(obj)
        elif getattr(obj, "image_id", None):
            images.append(obj.image)
    return images


@register.simple_tag
def prefetch_renditions(objects, *specs):
    """Make ``{% image %}`` find the given renditions of many images without a query each.

    ``objects`` are images or pages with an ``image``. Renditions come from the cache where
    Wagtail keeps them, and the rest from one database query; missing ones are still created by
    ``{% image %}`` as usual. Renders nothing.
    """
    if objects is None:
        return ""
    if not isinstance(objects, list | tuple):
        objects = list(objects) if hasattr(objects, "__iter__") else [objects]
    pages = [obj for obj in objects if not isinstance(obj, get_image_model())]
    # Pages listed without select_related("image") get their images in one query, not one each.
    prefetch_related_objects([page for page in pages if getattr(page, "image_id", None)], "image")
    images = [image for image in _images_of(objects) if not hasattr(image, "prefetched_renditions")]
    if not images:
        return ""
    rendition_model = get_image_model().get_rendition_model()
    filters = [Filter(spec=spec) for spec in specs]
    wanted = {}  # cache key -> images (one image can be listed twice)
    for image in images:
        image.prefetched_renditions = []
        for image_filter in filters:
            key = rendition_model.construct_cache_key(image, image_filter.get_cache_key(image), image_filter.spec)
            wanted.setdefault(key, []).append(image)

    def attach(rendition, image):
        # Each rendition knows its image, or reading its alt text would cost a query.
        own = copy.copy(rendition)
        own.image = image
        image.prefetched_renditions.append(own)

    cached = rendition_model.cache_backend.get_many(list(wanted))
    for key, rendition in cached.items():
        for image in wanted[key]:
            attach(rendition, image)
    missing = {key: images_ for key, images_ in wanted.items() if key not in cached}
    if missing:
        by_id = {image.pk: image for images_ in missing.values() for image in images_}
        stored = {}
        for rendition in rendition_model.objects.filter(image_id__in=by_id, filter_spec__in=specs):
            rendition.image = by_id[rendition.image_id]
            key = rendition_model.construct_cache_key(rendition.image, rendition.focal_point_key, rendition.filter_spec)
            stored[key] = rendition
        for key, rendition in stored.items():
            for image in missing.get(key, ()):
                attach(rendition, image)
        # Fill Wagtail's rendition cache, so that the next request needs no query at all.
        rendition_model.cache_backend.set_many({key: stored[key] for key in missing if key in stored})
    return ""


# Relations each kind of entry shows besides names and tags (related names of the content apps).
ENTRY_RELATIONS = {
    "relic": ("recognition_decisions__scan", "phases", "relic_types"),
    "festival": ("stages",),
}
# Renditions of an entry's main image: the picture in two widths and the link-preview crop.
# The picture comes in WebP and in JPEG or PNG (media_tags.picture).
MAIN_IMAGE_RENDITIONS = (
    *(f"width-{width}|format-{kind}" for width in (480, 960) for kind in ("webp", "jpeg", "png")),
    structured_data.SHARE_RENDITION,
)


@register.simple_tag
def prefetch_entry(page, *lookups):
    """Fetch once what an entry page shows: names, tags, its kind's relations and main image renditions."""
    if not getattr(page, "_heritage_prefetched", False):
        relations = ENTRY_RELATIONS.get(getattr(page, "entry_type", ""), ())
        prefetch_related_objects([page], "other_names", "tags", "audio_guides__media", *relations, *lookups)
        prefetch_renditions([page], *MAIN_IMAGE_RENDITIONS)
        page._heritage_prefetched = True
    return ""


@register.filter
def fingerprint(page):
    """A hash of the page's own row: cached fragments showing the page change when the row does.

    Wagtail's ``cache_key`` changes on publish; the row also changes when content is imported or
    edited without a new revision, and keeps tests that reuse primary keys from sharing fragments.
    """
    cached = getattr(page, "_heritage_fingerprint", None)
    if cached is None:
        hasher = hashlib.md5(usedforsecurity=False)
        for field in page._meta.concrete_fields:
            hasher.update(force_bytes(f"{field.attname}={field.value_to_string(page)}\x00"))
        cached = page._heritage_fingerprint = hasher.hexdigest()
    return cached


@register.simple_tag
def content_generation():
    """The content generation (heritage.freshness), for keys of fragments that show several pages."""
    return freshness.generation()


@register.filter
def source_anchors(sources):
    """Pairs (entry source, anchor id): a source listed twice gets its ``source-<pk>`` anchor once."""
    seen = set()
    pairs = []
    for link in sources or ():
        anchor = "" if link.source_id in seen else f"source-{link.source_id}"
        seen.add(link.source_id)
        pairs.append((link, anchor))
    return pairs


@register.filter
def lines(text):
    """Non-empty lines of a text field, for lists such as a commune's former units."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def tel_uri(phone):
    """A ``tel:`` address from a phone number as people write it ("0225 3 123 456")."""
    digits = _PHONE_JUNK.sub("", phone or "")
    return f"tel:{digits}" if digits else ""


@register.filter
def image_alt(image):
    return structured_data.image_alt(image) if image else ""


@register.simple_tag(takes_context=True)
def share_meta(context, page=None):
    """Title, description, address and image a link preview shows (Open Graph, Twitter)."""
    page = page or _current_page(context)
    return structured_data.share_meta(page, _request(context))


@register.simple_tag(takes_context=True)
def json_ld(context, page=None):
    """The page's schema.org graph in a ``<script type="application/ld+json">`` element."""
    page = page or _current_page(context)
    entries = context.get("entries")
    data = structured_data.build_structured_data(
        page,
        _request(context),
        sources=context.get("sources") or (),
        entries=list(entries) if entries is not None else (),
    )
    return mark_safe(f'<script type="application/ld+json">{structured_data.to_json_ld(data)}</script>')


@register.simple_tag(takes_context=True)
def site_title(context):
    """The name of the site serving the request: the commune's, or the archive's."""
    return structured_data.site_name(_request(context))


@register.simple_tag
def page_query(query, number):
    """The query string of one page of a filtered list: the filters kept, ``page`` only past the first."""
    params = query.copy() if query is not None else QueryDict(mutable=True)
    params.pop("page", None)
    if number and int(number) > 1:
        params["page"] = number
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.simple_tag
def page_numbers(entries):
    """Page numbers to link, with ``None`` where a run of pages is left out."""
    paginator = entries.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(entries.number, on_each_side=1, on_ends=1)
    ]


@register.filter
def selected_filters(filters):
    """The filters a visitor has set, for the "clear filters" link and the page's robots tag."""
    return [active for active in filters or () if active.selected]


@register.simple_tag(takes_context=True)
def entry_url(context, page):
    """A link to a page on its own site: a path there, a full address from another site.

    Commune pages can also be reached through the city site, but there the menu is the city's;
    from the city home a visitor should land on the commune's own site. The site root paths
    (most specific first) are read from Wagtail's cache once per request, so a list of fifty
    links costs neither a query nor fifty cache reads.
    """
    request = _request(context)
    root_paths = getattr(request, "_heritage_site_root_paths", None) if request is not None else None
    if root_paths is None:
        root_paths = Site.get_site_root_paths()
        if request is not None:
            request._heritage_site_root_paths = root_paths
    for site_id, root_path, root_url, _language in root_paths:
        if page.url_path.startswith(root_path):
            path = reverse("wagtail_serve", args=(page.url_path[len(root_path) :],))
            current = structured_data.request_site(request)
            if current is not None and current.pk == site_id:
                return path
            return f"{root_url}{path}"
    return ""


@register.filter
def canonical_url(page):
    """The full address of a page on its own site, as printed and shared."""
    return structured_data.canonical_url(page) or ""
