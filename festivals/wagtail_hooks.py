"""The festivals' part of the home pages: what is coming in the next days."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks

from heritage.home_sections import HOME_SECTIONS_HOOK

from .models import FestivalPage
from .occurrences import occurrences_between

UPCOMING_DAYS = 60


@hooks.register(HOME_SECTIONS_HOOK)
def upcoming_festivals(request, page):
    """The festivals below a home page held in the next 60 days: three queries, however many."""
    today = timezone.localdate()
    last = today + datetime.timedelta(days=UPCOMING_DAYS - 1)
    festivals = (
        FestivalPage.objects.live()
        .public()
        .descendant_of(page)
        .defer("body", "programme")
        .prefetch_related("stages", "occurrence_overrides")
    )
    occurrences = occurrences_between(festivals, today, last)
    return render_to_string(
        "festivals/includes/upcoming_festivals.html",
        {"occurrences": occurrences, "days": UPCOMING_DAYS, "today": today, "request": request},
        request=request,
    )
