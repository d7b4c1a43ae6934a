"""The public festival calendar and its iCal feeds, resolved per site.

On a commune's site they show that commune's festivals; on the city's site, every festival.
"""

import datetime

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Site

from heritage.models import HomePage

from . import ical
from .caching import generation
from .lunar import (
    FIRST_YEAR,
    LAST_YEAR,
    LunarRangeError,
    NonexistentLunarDate,
    month_length,
    month_name,
    month_start,
    to_lunar,
    year_can_chi,
)
from .models import FestivalPage
from .occurrences import occurrences_between

FEED_CACHE_SECONDS = 3600


class CalendarScope:
    """The festivals a site shows: a commune's below its home page, all of them below the city's."""

    def __init__(self, request):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site answers here.")
        self.request = request
        self.site = site
        self.root = site.root_page
        self.homes = list(
            HomePage.objects.live().descendant_of(self.root, inclusive=True).select_related("commune").order_by("path")
        )
        own = next((home for home in self.homes if home.pk == self.root.pk), None)
        self.commune = own.commune if own else None

    @property
    def name(self):
        if self.commune:
            return _("Festivals of %(commune)s") % {"commune": self.commune.name}
        return _("Festivals of %(city)s") % {"city": self.root.title}

    def festivals(self):
        return (
            FestivalPage.objects.live()
            .public()
            .descendant_of(self.root)
            .defer("body", "programme")
            .prefetch_related("stages", "occurrence_overrides")
        )

    def place_for(self, festival):
        homes = [home for home in self.homes if festival.path.startswith(home.path)]
        return homes[-1].commune.name if homes else ""

    def url_for(self, festival):
        return festival.get_full_url(self.request)


def _days(first, last, occurrences, today):
    days = []
    date = first
    while date <= last:
        try:
            lunar = to_lunar(date)
        except LunarRangeError:
            lunar = None
        events = [occurrence for occurrence in occurrences if occurrence.start <= date <= occurrence.end]
        days.append(
            {
                "date": date,
                "lunar": lunar,
                "lunar_month_starts": bool(lunar and lunar.day == 1),
                "full_moon": bool(lunar and lunar.day == 15),
                "today": date == today,
                "events": [
                    {"occurrence": item, "day_number": (date - item.start).days + 1, "first": date == item.start}
                    for item in events
                ],
            }
        )
        date += datetime.timedelta(days=1)
    return days


def _lunar_month_url(lunar):
    suffix = "-nhuan" if lunar.leap else ""
    return reverse("festival_calendar_lunar", args=[lunar.year, f"{lunar.month}{suffix}"])


def _render_month(request, scope, first, last, *, heading, previous, following, other_calendar):
    today = timezone.localdate()
    occurrences = occurrences_between(scope.festivals(), first, last, with_stages=True)
    festival_count = len({item.festival.pk for item in occurrences})
    lunar_months = []
    for lunar in (to_lunar(first), to_lunar(last)):
        label = f"{month_name(lunar.month, lunar.leap)} năm {year_can_chi(lunar.year)}"
        if label not in [item["label"] for item in lunar_months]:
            lunar_months.append({"label": label, "url": _lunar_month_url(lunar)})
    context = {
        "scope": scope,
        "heading": heading,
        "first": first,
        "last": last,
        "days": _days(first, last, occurrences, today),
        "festival_count": festival_count,
        "previous": previous,
        "following": following,
        "other_calendar": other_calendar,
        "lunar_months": lunar_months,
        "feed_url": reverse("festival_calendar_feed"),
        "today_url": reverse("festival_calendar"),
    }
    return render(request, "festivals/calendar_month.html", context)


def calendar_month(request, year=None, month=None):
    """One solar month of the site's festivals, every day with its lunar date."""
    scope = CalendarScope(request)
    if year is None:
        today = timezone.localdate()
        year, month = today.year, today.month
    if not (FIRST_YEAR + 1 <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404(
            _("The calendar covers the years %(first)s to %(last)s.") % {"first": FIRST_YEAR + 1, "last": LAST_YEAR}
        )
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    return _render_month(
        request,
        scope,
        first,
        last,
        heading=_("Month %(month)s/%(year)s") % {"month": month, "year": year},
        previous=reverse("festival_calendar_month", args=[previous.year, previous.month])
        if previous.year > FIRST_YEAR
        else "",
        following=reverse("festival_calendar_month", args=[following.year, following.month])
        if following.year <= LAST_YEAR
        else "",
        other_calendar=None,
    )


def calendar_lunar_month(request, year, month):
    """One lunar month ("8" or "6-nhuan" for the leap month) of the site's festivals."""
    scope = CalendarScope(request)
    leap = month.endswith("-nhuan")
    number = month.removesuffix("-nhuan")
    if not number.isdigit():
        raise Http404(_("No such lunar month."))
    try:
        first = month_start(year, int(number), leap)
        last = first + datetime.timedelta(days=month_length(year, int(number), leap) - 1)
        previous = to_lunar(first - datetime.timedelta(days=1))
        following = to_lunar(last + datetime.timedelta(days=1))
    except (LunarRangeError, NonexistentLunarDate) as error:
        raise Http404(str(error)) from error
    in_range = previous.year >= FIRST_YEAR and following.year <= LAST_YEAR
    heading = _("Lunar %(month)s, year %(name)s (%(year)s)") % {
        "month": month_name(int(number), leap),
        "name": year_can_chi(year),
        "year": year,
    }
    return _render_month(
        request,
        scope,
        first,
        last,
        heading=heading,
        previous=_lunar_month_url(previous) if in_range else "",
        following=_lunar_month_url(following) if in_range else "",
        other_calendar=reverse("festival_calendar_month", args=[first.year, first.month]),
    )


def _feed_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={FEED_CACHE_SECONDS}"
    return response


def _cached_feed(scope, key, build):
    key = f"festivals:feed:{generation()}:{scope.site.pk}:{timezone.localdate()}:{get_language()}:{key}"
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, FEED_CACHE_SECONDS)
    return content


def site_feed(request):
    """Every festival of the site (the commune's, or the whole city's) as an iCal feed."""
    scope = CalendarScope(request)

    def build():
        first, last = ical.feed_window(timezone.localdate())
        occurrences = occurrences_between(scope.festivals(), first, last, include_cancelled=True, with_stages=True)
        return ical.build_feed(
            occurrences, name=scope.name, host=scope.site.hostname, url_for=scope.url_for, place_for=scope.place_for
        )

    return _feed_response(_cached_feed(scope, "all", build), "lich-le-hoi.ics")


def festival_feed(request, page_id):
    """One festival (and its stages) as an iCal feed; the festival must belong to the site."""
    scope = CalendarScope(request)
    festival = get_object_or_404(scope.festivals(), pk=page_id)

    def build():
        first, last = ical.feed_window(timezone.localdate())
        occurrences = occurrences_between([festival], first, last, include_cancelled=True, with_stages=True)
        return ical.build_feed(
            occurrences,
            name=festival.title,
            host=scope.site.hostname,
            url_for=scope.url_for,
            place_for=scope.place_for,
        )

    return _feed_response(_cached_feed(scope, festival.pk, build), f"le-hoi-{festival.pk}.ics")
