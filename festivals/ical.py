"""iCalendar (RFC 5545) feeds of festival occurrences that calendar apps can subscribe to.

Every occurrence is an all-day event (``DTSTART;VALUE=DATE``, ``DTEND`` the day after the last
day, as RFC 5545 counts it). The ``UID`` is stable per festival (or stage) and festival year, so a
year whose dates are changed replaces the event in subscribers' calendars (with a higher
``SEQUENCE``), and a year that is not held comes as ``STATUS:CANCELLED``. The icalendar library
writes the text escaping and the 75-octet line folding.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .lunar import year_can_chi

PRODID = "-//Heritage archive//Festival calendar//VI"
# Feeds cover the past year (so a just-finished festival stays) and the next three.
PAST_DAYS = 366
FUTURE_DAYS = 3 * 366


def feed_window(today):
    return today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)


def _description(occurrence):
    lines = []
    if occurrence.start_lunar:
        lunar = str(occurrence.start_lunar)
        if occurrence.end != occurrence.start and occurrence.end_lunar:
            lunar = f"{lunar} – {occurrence.end_lunar}"
        lines.append(
            _("Lunar calendar: %(dates)s, year %(name)s")
            % {"dates": lunar, "name": year_can_chi(occurrence.lunar_year)}
        )
    if occurrence.cancelled:
        lines.append(_("Not held this year"))
    elif occurrence.changed:
        lines.append(_("Dates changed this year"))
    if occurrence.reason:
        lines.append(occurrence.reason)
    if occurrence.stage and occurrence.stage.description:
        lines.append(occurrence.stage.description)
    elif not occurrence.stage and occurrence.festival.summary:
        lines.append(occurrence.festival.summary)
    return "\n".join(lines)


def build_feed(occurrences, *, name, host, url_for, place_for):
    """The feed as bytes.

    ``url_for(page)`` gives a page's absolute URL, ``place_for(page)`` the place to show when the
    festival names none (its commune); ``host`` qualifies UIDs.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", datetime.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for occurrence in occurrences:
        festival = occurrence.festival
        event = Event()
        event.add("uid", f"{occurrence.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", occurrence.start)
        event.add("dtend", occurrence.end + datetime.timedelta(days=1))
        event.add("summary", occurrence.title)
        event.add("description", _description(occurrence))
        location = festival.location or place_for(festival)
        if location:
            event.add("location", location)
        url = url_for(festival)
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        if occurrence.changed:
            event.add("sequence", 1)
        if occurrence.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
