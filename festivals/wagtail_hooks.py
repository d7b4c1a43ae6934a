"""The festivals' part of the home pages: what is coming in the next days."""

import datetime
import uuid

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from heritage.home_sections import HOME_SECTIONS_HOOK

from .models import FestivalPage
from .occurrences import occurrences_between

UPCOMING_DAYS = 60
# Home pages are the busiest pages: the section is cached, like the menu, and dropped from the
# cache whenever a festival is published, unpublished or deleted (changed years are published
# with their festival). The timeout only bounds what a move in the page tree leaves stale.
UPCOMING_CACHE_SECONDS = 600
GENERATION_KEY = "festivals:generation"


@receiver(page_published, sender=FestivalPage)
@receiver(page_unpublished, sender=FestivalPage)
@receiver(post_delete, sender=FestivalPage)
def forget_upcoming_festivals(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.set(GENERATION_KEY, generation, None)
    return generation


@hooks.register(HOME_SECTIONS_HOOK)
def upcoming_festivals(request, page):
    """The festivals below a home page held in the next 60 days: cached; at most three queries."""
    today = timezone.localdate()
    key = f"festivals:upcoming:{_generation()}:{page.pk}:{today.isoformat()}:{get_language()}:{request.get_host()}"
    html = cache.get(key)
    if html is None:
        last = today + datetime.timedelta(days=UPCOMING_DAYS - 1)
        # Like .public(), but in the same query: no festival at or below a restricted page.
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
        )
        festivals = (
            FestivalPage.objects.live()
            .descendant_of(page)
            .exclude(Exists(restricted))
            .defer("body", "programme")
            .prefetch_related("stages", "occurrence_overrides")
        )
        html = render_to_string(
            "festivals/includes/upcoming_festivals.html",
            {"occurrences": occurrences_between(festivals, today, last), "days": UPCOMING_DAYS},
            request=request,
        )
        cache.set(key, html, UPCOMING_CACHE_SECONDS)
    return html
