"""The Vietnamese lunar calendar (âm lịch), computed for UTC+7, wrapped in one place.

The astronomy is lunar-vn's (Hồ Ngọc Đức's algorithm); this module adds what the archive needs
around it: leap months of a year, month lengths, Can Chi names, and the rules for a lunar date
that a given year does not have:

* Day 30 of a month that has only 29 days that year is held on the last day of the month (29):
  the festival stays in its month, as villages do for a giỗ on the 30th.
* A leap month (tháng nhuận) that the year does not have falls back to the regular month of
  the same number. A regular-month date in a year that also has that month as a leap month
  is held in the regular (first) month, once.

Strict conversions (``to_solar``) raise ``NonexistentLunarDate`` instead; ``resolve`` applies the
rules and says whether it had to. lunar-vn covers solar years 1900–2100; outside that range
every function raises ``LunarRangeError``.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from lunar_vn import SUPPORTED_YEAR_RANGE, can_chi, convert_lunar_to_solar, convert_solar_to_lunar, jd_from_date

VIETNAM_UTC_OFFSET = 7.0
# Lunar year N starts in solar year N, and its last months run into N + 1.
FIRST_YEAR = SUPPORTED_YEAR_RANGE[0]
LAST_YEAR = SUPPORTED_YEAR_RANGE[1] - 1

MONTH_NAMES = {1: "Giêng", 11: "Một", 12: "Chạp"}


class LunarRangeError(ValueError):
    """The date is outside the years the calendar is computed for."""


class NonexistentLunarDate(ValueError):
    """The lunar date does not exist in that year (day 30 of a short month, an absent leap month)."""


@dataclass(frozen=True, order=True)
class LunarDate:
    """A day of the Vietnamese lunar calendar; ``year`` is the lunar year (Tết to Tết)."""

    year: int
    month: int
    day: int
    leap: bool = False

    def __str__(self):
        return f"{self.day}/{self.month}{' nhuận' if self.leap else ''}"

    @property
    def year_name(self):
        return year_can_chi(self.year)

    def display(self):
        """As people write it: "10/8 năm Bính Ngọ", "5/6 nhuận năm Ất Tỵ"."""
        return f"{self} năm {self.year_name}"


def _check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise LunarRangeError(f"The lunar calendar is computed for the years {FIRST_YEAR}–{LAST_YEAR}, not {year}.")


def to_lunar(date):
    """The lunar date of a solar (Gregorian) date."""
    if not FIRST_YEAR <= date.year <= SUPPORTED_YEAR_RANGE[1]:
        raise LunarRangeError(
            f"The lunar calendar is computed for the years {FIRST_YEAR}–{LAST_YEAR}, not {date.year}."
        )
    return _to_lunar(date.toordinal())


@lru_cache(maxsize=4096)
def _to_lunar(ordinal):
    date = datetime.date.fromordinal(ordinal)
    result = convert_solar_to_lunar(date.day, date.month, date.year, VIETNAM_UTC_OFFSET)
    return LunarDate(result.year, result.month, result.day, result.leap)


@lru_cache(maxsize=512)
def leap_month(year):
    """The leap month of a lunar year (1–12), or None when the year has twelve months."""
    _check_year(year)
    for month in range(1, 13):
        try:
            start = convert_lunar_to_solar(1, month, year, 1, VIETNAM_UTC_OFFSET)
        except ValueError:  # lunar-vn refuses a leap flag on the wrong month of a leap year
            continue
        # In a year without a leap month lunar-vn ignores the flag; the round trip tells.
        if to_lunar(start) == LunarDate(year, month, 1, True):
            return month
    return None


@lru_cache(maxsize=4096)
def month_start(year, month, leap=False):
    """The solar date of the first day of a lunar month; raises if the year has no such month."""
    _check_year(year)
    if not 1 <= month <= 12:
        raise NonexistentLunarDate(f"There is no lunar month {month}.")
    if leap and leap_month(year) != month:
        raise NonexistentLunarDate(f"The lunar year {year} has no leap month {month}.")
    return convert_lunar_to_solar(1, month, year, 1 if leap else 0, VIETNAM_UTC_OFFSET)


@lru_cache(maxsize=4096)
def month_length(year, month, leap=False):
    """29 or 30: the number of days of a lunar month in a given year."""
    start = month_start(year, month, leap)
    return 29 if to_lunar(start + datetime.timedelta(days=29)).day == 1 else 30


def to_solar(year, month, day, leap=False):
    """The solar date of a lunar date; raises ``NonexistentLunarDate`` if the year lacks it."""
    if not 1 <= day <= 30:
        raise NonexistentLunarDate(f"There is no lunar day {day}.")
    if day > month_length(year, month, leap):
        raise NonexistentLunarDate(f"Lunar month {month} of {year} has 29 days, not 30.")
    return month_start(year, month, leap) + datetime.timedelta(days=day - 1)


@dataclass(frozen=True)
class Resolved:
    """A lunar rule applied to one year: the solar date, the lunar date used, and any adjustment."""

    date: datetime.date
    lunar: LunarDate
    adjusted: str = ""  # "" or "last_day" or "no_leap_month"


@lru_cache(maxsize=16384)
def resolve(year, month, day, leap=False):
    """Apply a yearly lunar rule to one lunar year, following the module's rules for absent dates."""
    adjusted = ""
    if leap and leap_month(year) != month:
        leap, adjusted = False, "no_leap_month"
    length = month_length(year, month, leap)
    if day > length:
        day, adjusted = length, adjusted or "last_day"
    lunar = LunarDate(year, month, day, leap)
    return Resolved(to_solar(year, month, day, leap), lunar, adjusted)


def year_can_chi(year):
    """The sexagenary (Can Chi) name of a lunar year: 2026 is Bính Ngọ."""
    return can_chi.get_year_can_chi(year)


def day_can_chi(date):
    """The Can Chi name of a solar day."""
    return can_chi.get_day_can_chi(jd_from_date(date.day, date.month, date.year))


def month_name(month, leap=False):
    """ "tháng Giêng", "tháng 8", "tháng Chạp", "tháng 6 nhuận"."""
    return f"tháng {MONTH_NAMES.get(month, month)}{' nhuận' if leap else ''}"
