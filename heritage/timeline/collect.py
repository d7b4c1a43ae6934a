"""Gather the timeline events of live entries, with a fixed number of queries whatever their number.

One query per kind of entry (plus its ``timeline_prefetch`` relations), one for the communes'
home pages and one for the periods: nothing per entry. The kinds are found as the subclasses of
``HeritagePage``, so the core never imports a content app.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..dates import YearInterval, format_interval, format_year, int_to_roman
from ..models import HeritagePage, HomePage

MIN_BAR_PERCENT = 0.6


def entry_models():
    """Every concrete kind of entry, found from the page models themselves."""
    found = []
    pending = list(HeritagePage.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if not model._meta.abstract and not model._meta.proxy:
            found.append(model)
    return sorted(found, key=lambda model: model._meta.label)


def collect_events(root=None, *, period=None, kinds=None):
    """Events of the live, public entries below ``root`` (all entries when None), in time order.

    ``period`` keeps the events whose years overlap the period's; ``kinds`` keeps those kinds.
    """
    events = []
    for model in entry_models():
        pages = model.objects.live().public()
        if root is not None:
            pages = pages.descendant_of(root)
        pages = pages.select_related("period").prefetch_related(*model.timeline_prefetch)
        for page in pages:
            events.extend(page.timeline_events())
    if period is not None:
        events = [event for event in events if event.interval.overlaps(period.start_year, period.end_year)]
    if kinds:
        events = [event for event in events if event.kind in kinds]
    events.sort(key=lambda event: event.sort_key)
    return events


def commune_homes():
    """Live commune home pages with their communes, most specific path first: one query."""
    return list(HomePage.objects.live().select_related("commune").order_by("-depth", "path"))


def attach_communes(events, homes):
    """Set ``event.commune`` from the home page above each entry, by tree path: no query."""
    for event in events:
        event.commune = next((home.commune for home in homes if event.page.path.startswith(home.path)), None)
    return events


def century_of(year):
    """The century a year falls in, signed: 1288 → 13, 40 BCE → -1."""
    return (year - 1) // 100 + 1 if year > 0 else -((-year - 1) // 100 + 1)


def century_label(number):
    roman = int_to_roman(abs(number)).upper()
    if number < 0:
        return _("%(century)s century BCE") % {"century": roman}
    return _("%(century)s century") % {"century": roman}


@dataclass
class TimelineRow:
    """An event placed on the axis: where its bar starts and how wide it is, in percent."""

    event: object
    left: float
    width: float


@dataclass
class CenturyGroup:
    number: int
    label: str
    rows: list = field(default_factory=list)


@dataclass
class Axis:
    start: int
    end: int
    ticks: list = field(default_factory=list)  # (percent, label)

    @property
    def start_display(self):
        return format_year(self.start)

    @property
    def end_display(self):
        return format_year(self.end)

    @property
    def span(self):
        return max(self.end - self.start + 1, 1)

    def place(self, event):
        left = (event.start - self.start) / self.span * 100
        width = max((event.end - event.start + 1) / self.span * 100, MIN_BAR_PERCENT)
        return round(min(left, 100 - MIN_BAR_PERCENT), 2), round(min(width, 100 - left), 2)


def build_axis(events):
    if not events:
        return None
    start = min(event.start for event in events)
    end = max(event.end for event in events)
    axis = Axis(start, end)
    # Century boundaries inside the span, at most about eight labels.
    step = 100
    while (end - start) / step > 8:
        step *= 2
    year = (start // step + 1) * step
    while year < end:
        axis.ticks.append((round((year - start) / axis.span * 100, 2), format_interval(YearInterval(year, year))))
        year += step
    return axis


def group_by_century(events, axis):
    groups = []
    for event in events:
        number = century_of(event.start)
        if not groups or groups[-1].number != number:
            groups.append(CenturyGroup(number, century_label(number)))
        left, width = axis.place(event)
        groups[-1].rows.append(TimelineRow(event, left, width))
    return groups
