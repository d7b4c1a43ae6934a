"""Counting scans without personal data: one counter per code and day, nothing about the visitor.

No IP address, cookie, session or user agent is stored: the request is only looked at to leave
out robots (HEAD requests, crawler user agents) and clicks on the short URL from the archive's
own pages (a Referer on the same host), which are not scans of a plaque.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Site

from ..models.plaques import PlaqueScanDay

# Crawlers, link-preview fetchers and command-line tools; browsers and camera apps never say these.
ROBOT_AGENTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|facebookcatalog|embedly|preview|"
    r"monitor|pingdom|uptime|curl/|wget/|python-requests|python-urllib|httpx|go-http-client|"
    r"java/|okhttp|scrapy|headlesschrome|lighthouse|zalo.*(link|crawler)",
    re.IGNORECASE,
)


def own_hosts(request):
    """Host names of the archive: the public one, the request's and every commune site's (cached by Wagtail)."""
    hosts = {request.get_host().split(":")[0].lower(), (urlsplit(settings.PUBLIC_BASE_URL).hostname or "").lower()}
    hosts.update(
        (urlsplit(root_url).hostname or "").lower() for _id, _path, root_url, _lang in Site.get_site_root_paths()
    )
    return hosts


def is_scan(request):
    """Whether a request for a short URL counts as a person scanning or typing the code."""
    if request.method != "GET":
        return False
    if ROBOT_AGENTS.search(request.headers.get("User-Agent", "")):
        return False
    referer = request.headers.get("Referer", "")
    if referer:
        host = (urlsplit(referer).hostname or "").lower()
        if host in own_hosts(request):
            return False
    return True


def count_scan(plaque, day=None):
    """Add one scan to the plaque's counter of the day; safe when many scans arrive at once.

    The increment is one UPDATE with an F() expression; the day's first scan creates the row,
    and when two first scans race, the loser's insert fails and it increments instead.
    """
    day = day or timezone.localdate()
    rows = PlaqueScanDay.objects.filter(plaque=plaque, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            PlaqueScanDay.objects.create(plaque=plaque, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)


def record_scan(request, plaque):
    if plaque is not None and is_scan(request):
        count_scan(plaque)
