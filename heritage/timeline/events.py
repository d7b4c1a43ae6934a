"""What an entry tells the timeline: small dated events, each with its wording as the source gives it."""

from dataclasses import dataclass, field

from django.utils.translation import pgettext_lazy

from ..dates import DateParseError, YearInterval, format_interval, parse_years

# Kinds of event; the keys are in URLs (``?kind=built``) so they do not change.
EVENT_KINDS = {
    "built": pgettext_lazy("timeline event", "Built"),
    "restored": pgettext_lazy("timeline event", "Restored or rebuilt"),
    "ranked": pgettext_lazy("timeline event", "Ranked"),
    "born": pgettext_lazy("timeline event", "Born"),
    "died": pgettext_lazy("timeline event", "Died"),
    "active": pgettext_lazy("timeline event", "Active"),
    "listed": pgettext_lazy("timeline event", "Listed as intangible heritage"),
    "event": pgettext_lazy("timeline event", "Event"),
}


@dataclass
class TimelineEvent:
    """One dated thing that happened to an entry: built, restored, ranked, born, died, listed..."""

    start: int
    end: int
    approximate: bool
    label: str
    kind: str
    page: object = field(repr=False, default=None)
    date_text: str = ""

    @classmethod
    def from_wording(cls, date_text, *, label, kind, page):
        """An event from a date as written, or None when the wording cannot be read."""
        try:
            interval = parse_years(date_text)
        except DateParseError:
            return None
        return cls.from_interval(interval, label=label, kind=kind, page=page, date_text=date_text)

    @classmethod
    def from_interval(cls, interval, *, label, kind, page, date_text=""):
        return cls(
            start=interval.start,
            end=interval.end,
            approximate=interval.approximate,
            label=str(label),
            kind=kind,
            page=page,
            date_text=date_text or format_interval(interval),
        )

    @classmethod
    def from_years(cls, start, end, *, label, kind, page, date_text=""):
        """An event from stored year fields (either may be None); None when both are."""
        if start is None and end is None:
            return None
        start = end if start is None else start
        end = start if end is None else end
        try:
            interval = YearInterval(start, end)
        except DateParseError:
            return None
        return cls.from_interval(interval, label=label, kind=kind, page=page, date_text=date_text)

    @property
    def interval(self):
        return YearInterval(self.start, self.end, self.approximate)

    @property
    def is_range(self):
        return self.interval.is_range

    @property
    def kind_label(self):
        return EVENT_KINDS.get(self.kind, self.kind)

    @property
    def years_display(self):
        """The interval in plain years ("1225 – 1235"), shown beside the wording of a range."""
        return format_interval(self.interval)

    @property
    def detail(self):
        """The label when it says more than the kind ("Born" needs no repeating)."""
        return "" if self.label == str(self.kind_label) else self.label

    @property
    def sort_key(self):
        return (self.start, self.end, str(getattr(self.page, "title", "")), self.label)
