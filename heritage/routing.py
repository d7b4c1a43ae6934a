"""Page routing with a remembered route table.

Wagtail finds the page for a URL one path segment at a time: for a detail page that is the site,
the site's root, then for each segment the child and its specific row, five to seven queries before
the page renders. The archive's URLs change only when an editor publishes, moves, unpublishes or
deletes a page, so the answer is remembered in the cache: URL → (site, page id, content type,
whether view restrictions apply). A hit costs one query, the page itself.

Every remembered route belongs to a content generation (heritage.freshness); any change that can
alter a route (a page saved, published, unpublished, moved or deleted; a site or a view restriction
changed) starts a new generation, and old entries are never read again. A hit is also checked against the page it loads
(still live, still at that URL), so an entry that outlives its generation in a process-local cache
cannot send a visitor to the wrong page. With several application processes the cache must be
shared (Redis or the database cache, as the production settings use), so that all of them see a
new view restriction at once.

Only plain page routes are remembered: a page that answers sub-paths itself (a routable page) goes
through Wagtail's own routing every time.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from wagtail.models import Page
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from heritage.freshness import generation

SAFE_METHODS = {"GET", "HEAD"}


def route_timeout():
    return getattr(settings, "HERITAGE_ROUTE_CACHE_SECONDS", 300)


def route_key(request, path):
    digest = hashlib.blake2b(f"{request._get_raw_host()}|{path}".encode(), digest_size=16).hexdigest()
    return f"heritage:route:{generation()}:{digest}"


def expected_url_path(site, path):
    components = [component for component in path.split("/") if component]
    return site.root_page_url_path + "".join(f"{component}/" for component in components)


def remembered_route(request, key):
    entry = cache.get(key)
    if entry is None:
        return None
    site, page_id, content_type_id, url_path, unrestricted, trail = entry
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=page_id).first() if model else None
    if page is None or not page.live or page.url_path != url_path:
        cache.delete(key)
        return None
    page._heritage_unrestricted = unrestricted
    page._heritage_trail = trail
    request._wagtail_site = site
    request._wagtail_route_for_request = RouteResult(page)
    return page


def remember_route(request, path, key):
    result = Page.route_for_request(request, path)
    site = getattr(request, "_wagtail_site", None)
    if result is None or site is None or result.args or result.kwargs:
        return
    page = result.page
    site.root_page_url_path = site.root_page.url_path
    if page.url_path != expected_url_path(site, path):
        return
    unrestricted = not page.get_view_restrictions().exists()
    # The breadcrumb trail, as plain pages: routing left the specific parents on the page, which
    # are heavier to keep.
    trail = list(Page.objects.ancestor_of(page).filter(depth__gte=site.root_page.depth).order_by("depth"))
    entry = (site, page.pk, page.content_type_id, page.url_path, unrestricted, trail)
    cache.set(key, entry, route_timeout())


def serve(request, path):
    """Wagtail's page view, with the route taken from the table when it is known."""
    if request.method in SAFE_METHODS:
        key = route_key(request, path)
        if remembered_route(request, key) is None:
            remember_route(request, path, key)
    return wagtail_serve(request, path)
