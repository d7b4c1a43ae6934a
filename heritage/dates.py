"""Uncertain historical dates, as Vietnamese sources write them, turned into year intervals.

"1288", "khoảng 1230", "1418–1427", "1230–50", "thế kỷ XIII", "cuối thế kỷ XIX", "thế kỷ XIII–XIV",
"thập niên 1890", "1890s", "những năm 90 của thế kỷ XIX", "năm 40 TCN", "208–179 TCN" and
"111 TCN – 40" all become a ``YearInterval`` (first and last possible year; years BCE are negative:
40 BCE is -40, and there is no year 0) that can be sorted and drawn, while the original wording
stays what visitors read.
"""

import re
from dataclasses import dataclass

from .text import fold_diacritics

CIRCA_MARGIN = 5
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ROMAN_NUMERAL = re.compile(r"[ivxlc]+")
_BCE = re.compile(r"\b(tcn|truoc cong nguyen|bce|bc)\b\.?")
_CE = re.compile(r"\b(scn|sau cong nguyen|ce|ad)\b\.?")
_CIRCA = re.compile(r"(?:\b(?:khoang|chung|vao khoang|circa|about|around)\b|\b(?:k|c|ca)\.)\s*")
_CENTURY = re.compile(r"\b(?:the ky|the ki|tk|century)\s*(?:thu\s+)?([ivxlc]+|\d{1,2})\b")
_CENTURY_SUFFIX = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+century\b")
# Parts of a century, as offsets from its first year ("đầu thế kỷ XX" is 1901–1934).
_CENTURY_PART = [
    ("nua dau", (0, 49)),
    ("nua sau", (50, 99)),
    ("dau", (0, 33)),
    ("giua", (33, 66)),
    ("cuoi", (66, 99)),
    ("early", (0, 33)),
    ("mid", (33, 66)),
    ("late", (66, 99)),
]
# "năm" is dropped before this is read, so "những năm 1890" arrives as "nhung 1890".
_DECADE = re.compile(r"\b(?:thap nien|thap ky|thap ki|nhung)\s+(\d{2,4})\b|\b(\d{3,4})s\b")
_YEAR = re.compile(r"\d{1,4}")
# A range: an en or em dash anywhere, a hyphen between two words or numbers, or "đến"/"tới".
_RANGE = re.compile(r"\s*[–—]\s*|(?<=\w)\s*-\s*(?=\w)|\s+(?:den|toi|to|until)\s+")


class DateParseError(ValueError):
    """The wording is not a date this module understands."""


class _Unreadable(DateParseError):
    """No year at all could be read; the message names the whole wording."""


@dataclass(frozen=True, order=True)
class YearInterval:
    """First and last possible year of something dated; ordered by start, then end."""

    start: int
    end: int
    approximate: bool = False

    def __post_init__(self):
        if self.start > self.end:
            raise DateParseError(f"The interval starts after it ends: {self.start} > {self.end}.")

    @property
    def midpoint(self):
        return (self.start + self.end) / 2

    @property
    def is_range(self):
        """Whether the date is uncertain or spans years, so a timeline draws it as a bar."""
        return self.start != self.end or self.approximate

    @property
    def sort_key(self):
        return (self.start, self.end, self.approximate)

    def overlaps(self, start, end=None):
        """Whether the interval shares a year with ``start``–``end`` (``end`` None: no end)."""
        return self.end >= start and (end is None or self.start <= end)


def roman_to_int(numeral):
    total = 0
    values = [_ROMAN[char] for char in numeral.lower()]
    for index, value in enumerate(values):
        total += -value if index + 1 < len(values) and values[index + 1] > value else value
    return total


def format_year(year):
    """A year as Vietnamese readers write it: 1288, or "40 TCN" for 40 BCE."""
    return f"{-year} TCN" if year < 0 else str(year)


def format_interval(interval):
    """An interval in plain words: "1288", "1225–1235", "300 TCN – 201 TCN"."""
    if interval.start == interval.end:
        return format_year(interval.start)
    if interval.start < 0 and interval.end < 0:
        return f"{-interval.start}–{-interval.end} TCN"
    return f"{format_year(interval.start)} – {format_year(interval.end)}"


def _century_number(token):
    number = int(token) if token.isdigit() else roman_to_int(token)
    if not 1 <= number <= 30 or (not token.isdigit() and int_to_roman(number) != token.lower()):
        raise DateParseError(f"No such century: {token}.")
    return number


def int_to_roman(number):
    numerals = [(100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out += numeral
            number -= value
    return out


def _century_interval(number, part, bce):
    """Years of a century or part of it; the 3rd century BCE runs from 300 BCE (-300) to 201 BCE."""
    low, high = part
    if bce:
        first = -(number * 100)
        return first + low, first + high
    first = (number - 1) * 100 + 1
    return first + low, first + high


def _part_of_century(folded, at):
    before = folded[:at].strip()
    for words, span in _CENTURY_PART:
        if before.endswith(words):
            return span
    return (0, 99)


@dataclass
class _Piece:
    """One side of a range before the sides are reconciled."""

    text: str
    bce: bool
    ce: bool
    approximate: bool


def _clean(folded):
    bce = bool(_BCE.search(folded))
    ce = bool(_CE.search(folded))
    folded = _CE.sub(" ", _BCE.sub(" ", folded))
    approximate = bool(_CIRCA.search(folded)) or "?" in folded
    folded = _CIRCA.sub(" ", folded).replace("?", " ")
    folded = re.sub(r"\b(?:nam|year|tu|from)\b", " ", folded)
    folded = re.sub(r"[.,;:()]", " ", folded)
    return _Piece(re.sub(r"\s+", " ", folded).strip(), bce, ce, approximate)


def _parse_piece(piece, *, bce, century_context=None, year_context=None):
    """The interval of one side; ``*_context`` lets a bare "XIV" or "50" borrow from the left side."""
    text = piece.text
    if not text:
        raise DateParseError("The date is empty.")
    sign = -1 if bce else 1

    decade = _DECADE.search(text)
    if decade:
        digits = decade.group(1) or decade.group(2)
        century = _CENTURY.search(text, decade.end())
        if len(digits) == 2 and century:
            # "những năm 90 của thế kỷ XIX": the 1890s.
            number = _century_number(century.group(1))
            start = (number - 1) * 100 + int(digits)
        elif len(digits) == 2:
            raise DateParseError(f"Say which century the decade {digits} is in.")
        else:
            start = int(digits)
            if start % 10:
                raise DateParseError(f"A decade starts with a year ending in 0, not {digits}.")
        if bce:
            return -start - 9, -start
        return start, start + 9

    century = _CENTURY.search(text) or _CENTURY_SUFFIX.search(text)
    if century:
        return _century_interval(_century_number(century.group(1)), _part_of_century(text, century.start()), bce)

    if century_context is not None and (_ROMAN_NUMERAL.fullmatch(text) or text.isdigit() and int(text) <= 30):
        # "thế kỷ XIII–XIV": the right side names only the number.
        return _century_interval(_century_number(text), (0, 99), bce)

    years = _YEAR.findall(text)
    if len(years) != 1 or not re.fullmatch(r"\d{1,4}", text):
        raise _Unreadable()
    year = int(years[0])
    if year == 0:
        raise DateParseError("There is no year 0.")
    if year_context is not None and year_context > 0 and not bce and len(years[0]) < len(str(year_context)):
        # "1230–50" and "1890–95": the right side keeps the left side's leading digits.
        scale = 10 ** len(years[0])
        year = year_context - year_context % scale + year
        if year < year_context:
            year += scale
    return sign * year, sign * year


def parse_years(text):
    """Parse the wording of an uncertain date into a ``YearInterval``; raise ``DateParseError``.

    The error names the wording as the editor typed it, with the reason.
    """
    try:
        return _parse_years(text)
    except _Unreadable:
        raise DateParseError(f"Cannot read a year in {text!r}.") from None
    except DateParseError as error:
        if text and text.strip() and repr(text) not in str(error):
            raise DateParseError(f"{text!r}: {error}") from None
        raise


def _parse_years(text):
    folded = fold_diacritics(text or "").strip()
    if not folded:
        raise DateParseError("The date is empty.")
    negative = re.fullmatch(r"-\s*(\d{1,4})", folded)
    if negative:
        # A bare negative number is a year BCE, as editors type it in the year fields.
        year = -int(negative.group(1))
        return YearInterval(year, year)

    sides = _RANGE.split(folded, maxsplit=1)
    pieces = [_clean(side) for side in sides]
    approximate = any(piece.approximate for piece in pieces)
    if len(pieces) == 1:
        piece = pieces[0]
        start, end = _parse_piece(piece, bce=piece.bce)
        if approximate and start == end:
            return YearInterval(start - CIRCA_MARGIN, end + CIRCA_MARGIN, True)
        return YearInterval(start, end, approximate)

    left, right = pieces
    if not left.text or not right.text:
        raise DateParseError("A range needs a start and an end.")
    # "208–179 TCN": a marker on the right covers both sides unless the left says otherwise.
    left_bce = left.bce or (right.bce and not left.ce)
    # "111 TCN – 40": a marker on the left alone leaves the right side in the common era.
    right_bce = right.bce
    left_start, left_end = _parse_piece(left, bce=left_bce)
    is_century = bool(_CENTURY.search(left.text) or _CENTURY_SUFFIX.search(left.text))
    right_start, right_end = _parse_piece(
        right,
        bce=right_bce,
        century_context=left_start if is_century else None,
        year_context=left_start if not is_century and not left_bce else None,
    )
    if right_end < left_start:
        raise DateParseError("The range ends before it starts.")
    return YearInterval(min(left_start, right_start), max(left_end, right_end), approximate)


def sort_key(text):
    """Key to sort wordings chronologically; unreadable ones go last."""
    try:
        return (0, *parse_years(text).sort_key)
    except DateParseError:
        return (1, 0, 0, False)
