"""Uncertain historical dates, as Vietnamese sources write them, turned into year intervals.

"1288", "khoảng 1230", "1418–1427", "thế kỷ XIII", "cuối thế kỷ XIX", "năm 40 TCN" all become a
``YearInterval`` (first and last possible year, astronomical sign: 40 BCE is -40) that can be
sorted and drawn, while the original wording stays what visitors read.
"""

import re
from dataclasses import dataclass

from .text import fold_diacritics

CIRCA_MARGIN = 5
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_BCE = re.compile(r"\b(tcn|truoc cong nguyen|bce|bc)\b\.?")
_CIRCA = re.compile(r"\b(khoang|chung|k\.|c\.|ca\.|circa|about)\s*")
_CENTURY = re.compile(r"\b(?:the ky|tk|century)\s*([ivxlc]+|\d{1,2})\b")
_CENTURY_PART = {"dau": (0, 33), "giua": (33, 66), "cuoi": (66, 99), "nua dau": (0, 49), "nua sau": (50, 99)}
_YEAR = re.compile(r"-?\d{1,4}")


class DateParseError(ValueError):
    """The wording is not a date this module understands."""


@dataclass(frozen=True)
class YearInterval:
    start: int
    end: int
    approximate: bool = False

    def __post_init__(self):
        if self.start > self.end:
            raise DateParseError(f"The interval starts after it ends: {self.start} > {self.end}.")

    @property
    def midpoint(self):
        return (self.start + self.end) / 2


def roman_to_int(numeral):
    total = 0
    values = [_ROMAN[char] for char in numeral.lower()]
    for index, value in enumerate(values):
        total += -value if index + 1 < len(values) and values[index + 1] > value else value
    return total


def parse_years(text):
    """Parse the wording of an uncertain date into a ``YearInterval``; raise ``DateParseError``."""
    folded = fold_diacritics(text).strip()
    if not folded:
        raise DateParseError("The date is empty.")
    bce = bool(_BCE.search(folded))
    folded = _BCE.sub(" ", folded)
    approximate = bool(_CIRCA.search(folded)) or "?" in folded
    folded = _CIRCA.sub(" ", folded).replace("?", " ").replace("nam ", " ").strip()
    sign = -1 if bce else 1

    century = _CENTURY.search(folded)
    if century:
        number = century.group(1)
        number = int(number) if number.isdigit() else roman_to_int(number)
        if not 1 <= number <= 30:
            raise DateParseError(f"No such century: {century.group(1)}.")
        first = (number - 1) * 100 + 1
        low, high = 0, 99
        for words, span in _CENTURY_PART.items():
            if folded.startswith(words):
                low, high = span
        if bce:
            # The 3rd century BCE runs from 300 BCE (-300) to 201 BCE (-201).
            return YearInterval(-(first + 99) + (99 - high), -(first + low), approximate)
        return YearInterval(first + low, first + high, approximate)

    years = [int(value) for value in _YEAR.findall(folded.replace("–", "-").replace("—", "-"))]
    range_text = re.fullmatch(r"\s*(\d{1,4})\s*[-–—]\s*(\d{1,4})\s*", folded)
    if range_text:
        start, end = sorted(sign * int(value) for value in range_text.groups())
        return YearInterval(start, end, approximate)
    if len(years) == 1:
        year = sign * abs(years[0]) if bce else years[0]
        if approximate:
            return YearInterval(year - CIRCA_MARGIN, year + CIRCA_MARGIN, True)
        return YearInterval(year, year)
    raise DateParseError(f"Cannot read a year in {text!r}.")
