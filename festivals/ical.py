"""iCalendar (RFC 5545) feeds of festival occurrences that calendar apps can subscribe to.

Every occurrence is an all-day event (``DTSTART;VALUE=DATE``, ``DTEND`` the day after the last
day, as RFC 5545 counts it). The ``UID`` is stable per festival (or stage) and festival year, so a
year whose dates are changed replaces the event in subscribers' calendars (with a higher
``SEQUENCE``), and a year that is not held comes as ``STATUS:CANCELLED``.

The feed is written here rather than with the icalendar library, which took seconds for a city's
few thousand events; the tests parse every feed back with icalendar.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .lunar import year_can_chi

PRODID = "-//Heritage archive//Festival calendar//VI"
# Feeds cover the past year (so a just-finished festival stays) and the next three.
PAST_DAYS = 366
FUTURE_DAYS = 3 * 366
MAX_LINE_OCTETS = 75


def feed_window(today):
    return today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=FUTURE_DAYS)


def escape_text(value):
    """A TEXT value as RFC 5545 §3.3.11 writes it: backslash, semicolon, comma and newline escaped."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= MAX_LINE_OCTETS:
        return line
    parts, current, size = [], [], 0
    limit = MAX_LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            # Continuation lines start with a space, which counts towards their 75 octets.
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(character)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(value):
    return value.strftime("%Y%m%d")


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
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    urls, places = {}, {}
    for occurrence in occurrences:
        festival = occurrence.festival
        if festival.pk not in urls:
            urls[festival.pk] = url_for(festival)
            places[festival.pk] = festival.location or place_for(festival)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(occurrence.uid)}@{escape_text(host)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(occurrence.start)}",
            f"DTEND;VALUE=DATE:{_date(occurrence.end + datetime.timedelta(days=1))}",
            f"SUMMARY:{escape_text(occurrence.title)}",
            f"DESCRIPTION:{escape_text(_description(occurrence))}",
        ]
        if places[festival.pk]:
            lines.append(f"LOCATION:{escape_text(places[festival.pk])}")
        if urls[festival.pk]:
            lines.append(f"URL:{urls[festival.pk]}")
        lines.append("TRANSP:TRANSPARENT")
        if occurrence.changed:
            lines.append("SEQUENCE:1")
        if occurrence.cancelled:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
