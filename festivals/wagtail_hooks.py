"""The festivals' part of the home pages: what is coming in the next days."""

import datetime

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from heritage.home_sections import HOME_SECTIONS_HOOK

from .caching import generation
from .models import FestivalPage
from .occurrences import occurrences_between

UPCOMING_DAYS = 60
# Home pages are the busiest pages: the section is cached, like the menu, for one cache
# generation (see festivals.caching).
UPCOMING_CACHE_SECONDS = 600


@hooks.register(HOME_SECTIONS_HOOK)
def upcoming_festivals(request, page):
    """The festivals below a home page held in the next 60 days: cached; at most three queries."""
    today = timezone.localdate()
    key = f"festivals:upcoming:{generation()}:{page.pk}:{today.isoformat()}:{get_language()}:{request.get_host()}"
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
