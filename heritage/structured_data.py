"""schema.org JSON-LD and Open Graph data for the public pages, built from what a page already holds.

Search engines read the JSON-LD; Zalo and Facebook read the Open Graph tags to draw link previews.
Nothing here imports the content apps: entries are told apart by their ``entry_type`` and read
through the attributes they share, so relics, festivals, people and products stay independent.
"""

import datetime
import json
from urllib.parse import urljoin

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, Site

from .models import CityHomePage, HeritageIndexPage, HeritagePage, HomePage

SCHEMA_CONTEXT = "https://schema.org"
LANGUAGE = "vi"
OG_LOCALE = "vi_VN"
# Facebook and Zalo draw previews at 1.91:1; 1200 × 630 is the size both recommend.
SHARE_RENDITION = "fill-1200x630"
DESCRIPTION_LENGTH = 200

ENTRY_TYPES = {
    "relic": ["LandmarksOrHistoricalBuildings", "TouristAttraction"],
    "festival": "Event",
    "person": "Person",
    "product": "Product",
}
SOURCE_TYPES = {"book": "Book", "article": "Article", "website": "WebPage"}

# Inside a <script> element only "</script", "<!--" and "<script" are dangerous; escaping every
# <, > and & (as Django's json_script does) is simpler and still valid JSON.
_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def to_json_ld(data):
    """``data`` as JSON that is safe to put between ``<script>`` tags, whatever the content says."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))


def compact(node):
    """Drop empty values, so the JSON-LD holds only what the archive knows."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


# Pages and sites ------------------------------------------------------------------------------


def request_site(request):
    return Site.find_for_request(request) if request is not None else None


def canonical_url(page):
    """The page's address on its own site: a commune's entry lives on the commune's host.

    A commune's pages can also be reached through the city site (``/kien-minh/...``); without a
    request Wagtail picks the most specific site, so every copy names the same canonical address.
    The site root paths come from Wagtail's cache, not from a query.
    """
    return page.get_full_url()


def site_root_url(page, request=None):
    """The address of the site a page belongs to (its own commune's, not necessarily the request's)."""
    parts = page.get_url_parts()
    if parts and parts[1]:
        return parts[1]
    return settings.PUBLIC_BASE_URL


def site_name(request):
    site = request_site(request)
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def page_trail(page, request):
    """The pages from the site root down to ``page``'s parent, for breadcrumbs.

    Routing a request walks the tree from the site root and leaves each parent on its child, so a
    served page finds its ancestors without a query; otherwise (previews, shell) one query.
    """
    cached = getattr(page, "_heritage_trail", None)
    if cached is not None:
        return cached
    site = request_site(request)
    root = site.root_page if site else None
    if root is None or not page.path.startswith(root.path):
        root_depth = 2
        root_path = page.path[: Page.steplen * root_depth]
    else:
        root_depth, root_path = root.depth, root.path

    trail = []
    node = page
    while node.depth > root_depth and "_cached_parent_obj" in node.__dict__:
        node = node._cached_parent_obj
        trail.append(node)
    if trail and trail[-1].depth == root_depth:
        trail.reverse()
    elif page.depth > root_depth:
        trail = list(
            Page.objects.ancestor_of(page).filter(depth__gte=root_depth, path__startswith=root_path).order_by("depth")
        )
    page._heritage_trail = trail
    return trail


def commune_home(page, request):
    """The commune home page above ``page`` (from the breadcrumb trail: no query), or None."""
    for ancestor in page_trail(page, request):
        if ancestor.specific_class is HomePage:
            return ancestor
    return None


def page_description(page):
    description = getattr(page, "search_description", "") or getattr(page, "summary", "")
    if not description and getattr(page, "intro", ""):
        description = strip_tags(page.intro)
    return Truncator(" ".join(description.split())).chars(DESCRIPTION_LENGTH)


def share_image(page, request):
    """The page's main image as an absolute-URL rendition for link previews, or None."""
    image = getattr(page, "image", None)
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SHARE_RENDITION)
    except OSError:  # the original file is missing (SourceImageIOError)
        return None
    return {
        "url": urljoin(site_root_url(page, request) + "/", rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image_alt(image),
    }


def image_alt(image):
    """Alternative text for an image: its caption, else its title."""
    return getattr(image, "caption", "") or image.title


def share_meta(page, request):
    """What Open Graph and Twitter tags say about a page."""
    return {
        "title": page.seo_title or page.title,
        "description": page_description(page),
        "url": canonical_url(page),
        "type": "article" if isinstance(page, HeritagePage) else "website",
        "locale": OG_LOCALE,
        "site_name": site_name(request),
        "image": share_image(page, request),
    }


# JSON-LD nodes --------------------------------------------------------------------------------


def website_node(page, request):
    root_url = site_root_url(page, request)
    return compact(
        {
            "@type": "WebSite",
            "@id": f"{root_url}/#website",
            "name": site_name(request),
            "url": f"{root_url}/",
            "inLanguage": LANGUAGE,
            "publisher": {"@id": f"{root_url}/#organization"},
        }
    )


def organization_node(page, request):
    root_url = site_root_url(page, request)
    return {
        "@type": "Organization",
        "@id": f"{root_url}/#organization",
        "name": site_name(request) if isinstance(page, HomePage) else settings.WAGTAIL_SITE_NAME,
        "url": f"{root_url}/",
    }


def breadcrumb_node(page, request, url):
    items = []
    for position, crumb in enumerate([*page_trail(page, request), page], start=1):
        items.append(
            compact({"@type": "ListItem", "position": position, "name": crumb.title, "item": canonical_url(crumb)})
        )
    return {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": items}


def source_node(entry_source):
    source = entry_source.source
    description = source.full_reference
    if entry_source.locator:
        description = f"{description} {entry_source.locator}"
    return compact(
        {
            "@type": SOURCE_TYPES.get(source.kind, "CreativeWork"),
            "name": source.title,
            "author": [{"@type": "Person", "name": name} for name in source.author_list],
            "datePublished": str(source.year) if source.year else None,
            "publisher": {"@type": "Organization", "name": source.publisher} if source.publisher else None,
            "isPartOf": {"@type": "CreativeWork", "name": source.container_title} if source.container_title else None,
            "identifier": source.identifier,
            "url": source.url,
            "description": description,
        }
    )


def web_page_node(page, request, url, page_type="WebPage", **extra):
    root_url = site_root_url(page, request)
    return compact(
        {
            "@type": page_type,
            "@id": url,
            "url": url,
            "name": page.seo_title or page.title,
            "description": page_description(page),
            "inLanguage": LANGUAGE,
            "isPartOf": {"@id": f"{root_url}/#website"},
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "dateModified": page.last_published_at,
            **extra,
        }
    )


def names_of(page):
    return [name.name for name in page.other_names.all() if name.name]


def exact_year(start, end):
    """An ISO 8601 year for schema.org when the sources give one exact year (CE only), else None."""
    if start is not None and start == end and start > 0:
        return f"{start:04d}"
    return None


def entry_node(page, request, url, image):
    """The thing an entry describes: a relic, a festival, a person or a product."""
    node = {
        "@type": ENTRY_TYPES.get(page.entry_type, "Thing"),
        "@id": f"{url}#entry",
        "name": page.title,
        "alternateName": names_of(page),
        "description": page.summary,
        "url": url,
        "mainEntityOfPage": {"@id": url},
        "image": image["url"] if image else None,
        "identifier": [{"@type": "PropertyValue", "propertyID": "source_id", "value": page.source_id}],
        "keywords": ", ".join(tag.name for tag in page.tags.all()),
    }
    builder = ENTRY_BUILDERS.get(page.entry_type)
    if builder:
        builder(page, request, node)
    return compact(node)


def geo(page):
    if not getattr(page, "has_location", False):
        return None
    return {"@type": "GeoCoordinates", "latitude": float(page.latitude), "longitude": float(page.longitude)}


def commune_name(page, request):
    home = commune_home(page, request)
    return home.title if home else None


def _relic(page, request, node):
    if page.official_name and page.official_name != page.title:
        node["alternateName"] = [page.official_name, *node["alternateName"]]
    node["geo"] = geo(page)
    node["address"] = compact(
        {
            "@type": "PostalAddress",
            "streetAddress": page.address,
            "addressLocality": commune_name(page, request),
            "addressCountry": "VN",
        }
    )
    node["identifier"] += [
        {"@type": "PropertyValue", "propertyID": "recognition_decision", "value": decision.decision_number}
        for decision in page.recognition_decisions.all()
        if decision.decision_number
    ]
    properties = []
    if page.rank:
        properties.append({"@type": "PropertyValue", "name": "rank", "value": str(page.get_rank_display())})
    properties += [
        {"@type": "PropertyValue", "name": "relic_type", "value": str(relic_type)}
        for relic_type in page.relic_types.all()
    ]
    node["additionalProperty"] = properties
    node["publicAccess"] = True if page.opening_hours or page.admission else None


def _schedule(rule, frequency, interval_years):
    schedule = {"@type": "Schedule", "description": rule.date_rule_display()}
    if frequency == "annual":
        schedule["repeatFrequency"] = "P1Y"
    elif frequency == "every_n_years" and interval_years:
        schedule["repeatFrequency"] = f"P{interval_years}Y"
    if rule.get_calendar() == "solar":
        schedule["byMonth"] = rule.start_month
        schedule["byMonthDay"] = rule.start_day
    return schedule


def next_solar_dates(rule, today=None):
    """The next start and end dates of a yearly solar-calendar rule, or (None, None).

    Lunar rules are left alone: turning them into solar dates belongs to the lunar calendar code.
    """
    if rule.get_calendar() != "solar":
        return None, None
    today = today or timezone.localdate()
    for year in (today.year, today.year + 1):
        try:
            start = datetime.date(year, rule.start_month, rule.start_day)
            end = start
            if rule.end_month and rule.end_day:
                end = datetime.date(year, rule.end_month, rule.end_day)
                if end < start:  # crosses the new year
                    end = end.replace(year=year + 1)
        except ValueError:  # 29 February outside a leap year
            continue
        if end >= today:
            return start, end
    return None, None


def _festival(page, request, node):
    location = page.location or commune_name(page, request)
    node["location"] = compact(
        {
            "@type": "Place",
            "name": location,
            "address": compact(
                {"@type": "PostalAddress", "addressLocality": commune_name(page, request), "addressCountry": "VN"}
            ),
        }
    )
    node["inLanguage"] = LANGUAGE
    node["eventAttendanceMode"] = "https://schema.org/OfflineEventAttendanceMode"
    if page.frequency != "discontinued":
        node["eventSchedule"] = _schedule(page, page.frequency, page.interval_years)
        if page.frequency == "annual":
            start, end = next_solar_dates(page)
            node["startDate"] = start.isoformat() if start else None
            node["endDate"] = end.isoformat() if end and end != start else None
    node["subEvent"] = [
        compact(
            {
                "@type": "Event",
                "name": stage.name,
                "description": stage.description,
                "eventSchedule": {"@type": "Schedule", "description": stage.date_rule_display()},
                "location": {"@type": "Place", "name": location} if location else None,
            }
        )
        for stage in page.stages.all()
    ]
    if page.listing:
        node["award"] = str(page.get_listing_display())


def _person(page, request, node):
    node["birthDate"] = exact_year(page.birth_year_start, page.birth_year_end)
    node["deathDate"] = exact_year(page.death_year_start, page.death_year_end)
    node["birthPlace"] = {"@type": "Place", "name": page.birthplace} if page.birthplace else None
    node["jobTitle"] = page.role_list


def _product(page, request, node):
    node["category"] = str(page.get_product_kind_display())
    if page.ocop_stars:
        node["award"] = f"OCOP {page.ocop_stars}★"
    if page.maker_name:
        node["manufacturer"] = compact(
            {
                "@type": "Organization",
                "name": page.maker_name,
                "telephone": page.maker_phone,
                "address": page.maker_address,
                "url": page.maker_website,
            }
        )
    node["countryOfOrigin"] = {"@type": "Country", "name": "Việt Nam"}


ENTRY_BUILDERS = {"relic": _relic, "festival": _festival, "person": _person, "product": _product}


def build_structured_data(page, request, *, sources=(), entries=()):
    """The JSON-LD graph of a page: the page, what it describes, its breadcrumbs and its site."""
    url = canonical_url(page)
    image = share_image(page, request)
    graph = []
    if isinstance(page, HeritagePage):
        graph.append(
            web_page_node(
                page,
                request,
                url,
                "ItemPage",
                mainEntity={"@id": f"{url}#entry"},
                citation=[source_node(link) for link in sources],
                lastReviewed=page.last_reviewed,
            )
        )
        graph.append(entry_node(page, request, url, image))
    elif isinstance(page, HeritageIndexPage):
        items = [
            {"@type": "ListItem", "position": position, "url": canonical_url(entry), "name": entry.title}
            for position, entry in enumerate(entries, start=1)
        ]
        graph.append(
            web_page_node(
                page,
                request,
                url,
                "CollectionPage",
                mainEntity={"@type": "ItemList", "itemListElement": items},
            )
        )
    elif isinstance(page, HomePage | CityHomePage):
        graph.append(web_page_node(page, request, url, primaryImageOfPage=image["url"] if image else None))
        graph.append(organization_node(page, request))
    else:
        graph.append(web_page_node(page, request, url))
    graph.append(breadcrumb_node(page, request, url))
    graph.append(website_node(page, request))
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}
