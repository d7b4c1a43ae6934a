"""One number that changes whenever published content may have changed: the content generation.

Caches that show more than one page (remembered routes, a page's related entries and sources, the
lists on home and index pages) put the generation in their keys, so a single increment forgets them
all at once, in every process that shares the cache. It moves on when a page is saved, published,
unpublished, moved or deleted, and when a site, a view restriction, a snippet shown on pages
(sources, villages, periods, communes) or an image changes. Changes are rare (an editor's publish);
visits are many.
"""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "heritage:content-generation"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A fresh start number, so that entries written before a cache flush are never read again.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def content_changed(**kwargs):
    """Start a new generation."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def _model_changed(sender, **kwargs):
    if issubclass(sender, _watched_models()):
        content_changed()


def _watched_models():
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site

    from heritage.models import Commune, Period, Source, Village

    return (Page, Site, PageViewRestriction, Source, Village, Period, Commune, get_image_model())


def connect_signals():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"heritage-freshness-{id(signal)}")
    post_save.connect(_model_changed, dispatch_uid="heritage-freshness-save")
    post_delete.connect(_model_changed, dispatch_uid="heritage-freshness-delete")
