"""When festivals happen: their date rules applied to years, with the editors' per-year changes.

A festival's *year* is the lunar year of its first day for a lunar festival (the year of the Tết
before it) and the solar year for a solar one. An occurrence keeps that year, so that a change of
dates (a storm, an epidemic) replaces the occurrence instead of adding one, and feeds keep the same
identifier for it.

Rules for dates a year does not have are those of ``festivals.lunar``; on the solar calendar 29
February falls on 28 February in common years. A range whose end comes before its start in the
year (30/12 – 2/1) ends in the next year. Stages follow the festival: a stage whose rule falls
before the festival's first day belongs to the next year, and when a year's dates are changed the
stages move by as many days as the festival did.
"""

import datetime
from dataclasses import dataclass, field

from .choices import CalendarKind, Frequency
from .lunar import LunarDate, LunarRangeError, resolve, to_lunar, year_can_chi


@dataclass
class Occurrence:
    """One year's festival, or one of its stages, as solar dates with their lunar equivalents."""

    festival: object  # FestivalPage
    year: int
    start: datetime.date
    end: datetime.date
    stage: object = None  # FestivalStage
    override: object = None  # FestivalOccurrenceOverride
    adjusted: bool = False  # a lunar date the year lacks was moved by the rules
    stages: list = field(default_factory=list)

    @property
    def lunar(self):
        return self.festival.calendar == CalendarKind.LUNAR

    @property
    def cancelled(self):
        return bool(self.override and self.override.cancelled)

    @property
    def changed(self):
        return self.override is not None

    @property
    def reason(self):
        return self.override.reason if self.override else ""

    @property
    def title(self):
        return f"{self.festival.title} – {self.stage.name}" if self.stage else self.festival.title

    @property
    def start_lunar(self):
        return _lunar_or_none(self.start)

    @property
    def end_lunar(self):
        return _lunar_or_none(self.end)

    @property
    def lunar_year(self):
        """The lunar year the festival belongs to (for solar festivals, that of the first day)."""
        if self.lunar:
            return self.year
        lunar = self.start_lunar
        return lunar.year if lunar else None

    @property
    def year_name(self):
        year = self.lunar_year
        return year_can_chi(year) if year else ""

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def uid(self):
        """Stable per festival (or stage) and year, whatever dates the year ends up having."""
        if self.stage:
            return f"festival-{self.festival.pk}-stage-{self.stage.pk}-{self.year}"
        return f"festival-{self.festival.pk}-{self.year}"

    def overlaps(self, first, last):
        return self.start <= last and self.end >= first


def _lunar_or_none(date):
    try:
        return to_lunar(date)
    except LunarRangeError:
        return None


def _key(month, leap, day):
    # A leap month comes right after the regular month of the same number.
    return (month, bool(leap), day)


def _solar_date(year, month, day):
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return datetime.date(year, 2, 28), True
    return datetime.date(year, month, day), False


def _resolve(calendar, year, month, day, leap):
    if calendar == CalendarKind.LUNAR:
        resolved = resolve(year, month, day, leap)
        return resolved.date, bool(resolved.adjusted)
    return _solar_date(year, month, day)


def rule_dates(rule, calendar, year):
    """First and last solar day of a date rule (festival or stage) in a year, and whether adjusted.

    Returns None when the year is outside the computed calendar.
    """
    try:
        start, adjusted = _resolve(calendar, year, rule.start_month, rule.start_day, rule.start_leap)
        if rule.end_month is None or rule.end_day is None:
            return start, start, adjusted
        end_year = year
        if _key(rule.end_month, rule.end_leap, rule.end_day) < _key(rule.start_month, rule.start_leap, rule.start_day):
            end_year += 1
        end, end_adjusted = _resolve(calendar, end_year, rule.end_month, rule.end_day, rule.end_leap)
    except (LunarRangeError, ValueError):
        return None
    return start, max(start, end), adjusted or end_adjusted


def held_by_rule(festival, year):
    """Whether the rule says the festival is held in a year (changed years aside)."""
    if festival.frequency == Frequency.ANNUAL:
        return True
    if festival.frequency == Frequency.EVERY_N_YEARS and festival.interval_years and festival.cycle_start_year:
        return (year - festival.cycle_start_year) % festival.interval_years == 0
    return False


def _relations(festival):
    """The festival's stages and changed years, read once per festival object (prefetched or not)."""
    cached = getattr(festival, "_occurrence_relations", None)
    if cached is None:
        cached = festival._occurrence_relations = (
            list(festival.stages.all()),
            list(festival.occurrence_overrides.all()),
        )
    return cached


def _stage_occurrences(festival, year, shift):
    stages = []
    for stage in _relations(festival)[0]:
        stage_year = year
        if _key(stage.start_month, stage.start_leap, stage.start_day) < _key(
            festival.start_month, festival.start_leap, festival.start_day
        ):
            stage_year += 1
        dates = rule_dates(stage, festival.calendar, stage_year)
        if dates is None:
            continue
        start, end, adjusted = dates
        stages.append(
            Occurrence(festival, year, start + shift, end + shift, stage=stage, adjusted=adjusted and not shift)
        )
    stages.sort(key=lambda occurrence: (occurrence.start, occurrence.end))
    return stages


def occurrence_in(festival, year):
    """The festival's occurrence in one of its years, or None when it is not held (or not known)."""
    override = next((item for item in _relations(festival)[1] if item.year == year), None)
    computed = rule_dates(festival, festival.calendar, year) if held_by_rule(festival, year) else None
    if override is None:
        if computed is None:
            return None
        start, end, adjusted = computed
        occurrence = Occurrence(festival, year, start, end, adjusted=adjusted)
        occurrence.stages = _stage_occurrences(festival, year, datetime.timedelta(0))
        return occurrence
    if override.cancelled:
        if computed is None:
            return None
        return Occurrence(festival, year, computed[0], computed[1], override=override)
    if override.start_date is None:
        return None
    end = max(override.start_date, override.end_date or override.start_date)
    if override.end_date is None and computed is not None:
        end = override.start_date + (computed[1] - computed[0])
    occurrence = Occurrence(festival, year, override.start_date, end, override=override)
    if computed is not None:
        occurrence.stages = _stage_occurrences(festival, year, override.start_date - computed[0])
    return occurrence


def _years_around(first, last):
    # A festival of year Y can start in solar year Y + 1 (lunar month 12) and end in Y + 2 at the
    # latest; one that ends in the window may have started a year before it.
    return range(first.year - 2, last.year + 1)


def occurrences_between(festivals, first, last, *, include_cancelled=False, with_stages=False):
    """Occurrences of the festivals that overlap the days ``first`` to ``last``, by start date.

    With ``with_stages``, stage occurrences in the window are listed too (each after its festival).
    Give festivals with ``stages`` and ``occurrence_overrides`` prefetched: nothing here queries.
    """
    found = []
    for festival in festivals:
        for year in _years_around(first, last):
            occurrence = occurrence_in(festival, year)
            if occurrence is None or (occurrence.cancelled and not include_cancelled):
                continue
            if occurrence.overlaps(first, last):
                found.append(occurrence)
            if with_stages and not occurrence.cancelled:
                found.extend(stage for stage in occurrence.stages if stage.overlaps(first, last))
    found.sort(key=lambda occurrence: (occurrence.start, occurrence.stage is not None, occurrence.title))
    return found


def next_occurrences(festival, today, count=3):
    """The festival's next ``count`` occurrences that have not ended by ``today`` (cancelled ones included)."""
    found = []
    for year in range(today.year - 2, today.year + 2 + count * (festival.interval_years or 1)):
        occurrence = occurrence_in(festival, year)
        if occurrence is None or occurrence.end < today:
            continue
        found.append(occurrence)
        if len(found) == count:
            break
    return found


def lunar_label(lunar):
    """Short lunar label for a day: "1/8", "15/6 nhuận"; "" outside the computed range."""
    return str(lunar) if isinstance(lunar, LunarDate) else ""
