"""One cache generation for everything festival dates feed (home sections, iCal feeds).

Publishing, unpublishing or deleting a festival starts a new generation, so cached sections
and feeds are never older than the last publish (changed years are published with their
festival); their timeouts only bound what a move in the page tree leaves stale.
"""

import uuid

from django.core.cache import cache

GENERATION_KEY = "festivals:generation"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.set(GENERATION_KEY, value, None)
    return value


def forget_festival_dates(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def connect_signals():
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished

    from .models import FestivalPage

    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(forget_festival_dates, sender=FestivalPage, dispatch_uid=f"festivals-forget-{id(signal)}")
