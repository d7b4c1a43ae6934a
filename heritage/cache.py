"""Full-page cache of the public pages for anonymous visitors, purged by Wagtail on publish.

``FullPageCacheMiddleware`` keeps the anonymous GET response of every Wagtail page in the cache
(``FULL_PAGE_CACHE_ALIAS``), keyed by host, path and query string, for ``FULL_PAGE_CACHE_SECONDS``.
It never stores a response that sets a cookie, carries a CSRF token, is private, or answers a
visitor with a session or messages cookie, and never serves those visitors from the cache.

``PageCacheBackend`` is a Wagtail front-end cache backend (``WAGTAILFRONTENDCACHE``): Wagtail
calls it with a page's URLs when the page is published, unpublished or deleted, and it forgets
every cached variant of those paths. Moving a page and publishing an entry also purge the old
address and the parent index and home pages, whose listings change with it.
"""

import hashlib
import logging
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_response_headers
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import freshness
from .security import LazyNonce

logger = logging.getLogger(__name__)
HIT_HEADER = "X-Cache"


def _cache():
    return caches[getattr(settings, "FULL_PAGE_CACHE_ALIAS", "default")]


def _enabled():
    return getattr(settings, "FULL_PAGE_CACHE_ENABLED", False)


def normalize_host(netloc, scheme="http"):
    """Lower-case host with its port, dropping the scheme's default port."""
    host = netloc.lower()
    default = ":443" if scheme == "https" else ":80"
    return host[: -len(default)] if host.endswith(default) else host


def _path_key(host, path):
    digest = hashlib.sha256(f"{host}{path}".encode()).hexdigest()[:40]
    return f"fullpage:path:{digest}"


def _entry_key(host, path, query, version):
    digest = hashlib.sha256(f"{host}{path}?{query}".encode()).hexdigest()[:40]
    return f"fullpage:entry:{digest}:{version}"


def purge_path(host, path):
    """Forget every cached variant (query string) of one path on one host."""
    _cache().delete(_path_key(normalize_host(host), path))


def purge_url(url):
    parts = urlsplit(url)
    purge_path(normalize_host(parts.netloc, parts.scheme), parts.path or "/")


class PageCacheBackend(BaseBackend):
    """Wagtail front-end cache backend that purges the full-page cache of this application."""

    def purge(self, url):
        purge_url(url)


def _bypass(request):
    if request.method not in ("GET", "HEAD"):
        return True
    if request.path.startswith(tuple(getattr(settings, "FULL_PAGE_CACHE_EXCLUDE", ()))):
        return True
    cookies = getattr(settings, "FULL_PAGE_CACHE_BYPASS_COOKIES", [settings.SESSION_COOKIE_NAME, "messages"])
    return any(name in request.COOKIES for name in cookies)


def _cacheable(request, response):
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve" or request.method != "GET":
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page carries this visitor's CSRF token
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    # The visitors served from the cache have no session cookie, like the one this page was made for.
    return not vary - {"cookie", "accept-encoding"}


class FullPageCacheMiddleware:
    """Serves anonymous GET requests for Wagtail pages from the cache, and fills it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _enabled():
            return self.get_response(request)
        if _bypass(request):
            response = self.get_response(request)
            response.setdefault(HIT_HEADER, "BYPASS")
            return response
        host = normalize_host(request.get_host(), request.scheme)
        path, query = request.path, request.META.get("QUERY_STRING", "")
        cache = _cache()
        # Pages also show other pages (related entries, lists, maps): an entry belongs to the
        # content generation too, so any publish anywhere retires it (heritage.freshness).
        generation = freshness.generation()
        version = cache.get(_path_key(host, path))
        if version is not None:
            entry = cache.get(_entry_key(host, path, query, f"{version}.{generation}"))
            if entry is not None:
                return self._from_entry(request, entry)

        response = self.get_response(request)
        if _cacheable(request, response):
            seconds = settings.FULL_PAGE_CACHE_SECONDS
            if version is None:
                version = secrets.token_hex(6)
                # add() so that two workers filling the same path agree on one version.
                if not cache.add(_path_key(host, path), version, seconds):
                    version = cache.get(_path_key(host, path), version)
            # Browsers revalidate; the copy to keep is this one, which a purge can reach.
            patch_response_headers(response, getattr(settings, "FULL_PAGE_CACHE_BROWSER_SECONDS", 0))
            nonce = getattr(request, "csp_nonce", None)
            entry = {
                "status": response.status_code,
                "content": response.content,
                "headers": [
                    (name, value) for name, value in response.items() if name.lower() not in ("vary", "set-cookie")
                ],
                "nonce": str(nonce) if isinstance(nonce, LazyNonce) and nonce.used else None,
            }
            cache.set(_entry_key(host, path, query, f"{version}.{generation}"), entry, seconds)
            response[HIT_HEADER] = "MISS"
        else:
            response.setdefault(HIT_HEADER, "BYPASS")
        return response

    def _from_entry(self, request, entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["Vary"] = "Cookie"
        response[HIT_HEADER] = "HIT"
        if entry.get("nonce"):
            # Inline scripts of the stored page carry the nonce it was made with.
            request.csp_nonce = LazyNonce(entry["nonce"])
        return response


# --- Purges Wagtail does not make by itself --------------------------------------------------------


def _purge_page_and_listings(page):
    """Purge a page's parent and grandparent (index and home pages list their entries)."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    batch = PurgeBatch()
    for ancestor in page.get_ancestors().filter(depth__gte=2).specific().order_by("-depth")[:2]:
        batch.add_page(ancestor)
    batch.purge()


@receiver(page_published)
def _purge_listings_on_publish(sender, instance, **kwargs):
    _purge_page_and_listings(instance)


@receiver(page_unpublished)
def _purge_listings_on_unpublish(sender, instance, **kwargs):
    _purge_page_and_listings(instance)


@receiver(post_page_move)
def _purge_on_move(sender, instance, url_path_before, url_path_after, **kwargs):
    """Moving a page changes its address: forget the old address, its children and both listings."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Site

    if not getattr(settings, "WAGTAILFRONTENDCACHE", None) or url_path_before == url_path_after:
        return
    batch = PurgeBatch()
    sites = list(Site.objects.select_related("root_page"))
    for page in instance.get_descendants(inclusive=True).live().specific():
        batch.add_page(page)
        old_path = url_path_before + page.url_path[len(url_path_after) :]
        for site in sites:
            root_path = site.root_page.url_path
            if old_path.startswith(root_path):
                batch.add_url(site.root_url + "/" + old_path[len(root_path) :])
    batch.purge()
    _purge_page_and_listings(instance)
