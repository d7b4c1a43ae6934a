"""Vietnamese text helpers: Unicode normalization, diacritic folding and ASCII slugs.

Vietnamese is written with precomposed letters (NFC) by most keyboards, but text pasted from
PDFs, macOS or old databases often arrives decomposed (NFD), and the same syllable can carry its
tone mark on either vowel ("hoà"/"hòa"). Everything we store goes through ``normalize_text``.
"""

import re
import unicodedata

from django.utils.text import slugify

# Unicode decomposition does not split đ/Đ into d + a mark: the stroke is part of the letter.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Old-style tone placement ("hoà", "thuý", "khoẻ") and the placement most keyboards use today
# ("hòa", "thúy", "khỏe") are both correct; search treats them as the same word.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_OPEN_PAIR = re.compile(r"([oOuU])(\w)\b")
_PAIRS = {"o": {"a", "e"}, "u": {"y"}}


def normalize_text(value):
    """Return ``value`` in NFC and without control characters: the form in which text is stored."""
    if not value:
        return value or ""
    return _CONTROL_CHARACTERS.sub("", unicodedata.normalize("NFC", value))


def unify_tone_placement(value):
    """Put the tone mark of a final "oa", "oe" or "uy" on the first vowel: "hoà" → "hòa"."""
    return _OPEN_PAIR.sub(_move_tone_to_first_vowel, normalize_text(value))


def _move_tone_to_first_vowel(match):
    first, second = match.group(1), match.group(2)
    decomposed = unicodedata.normalize("NFD", second)
    marks = [char for char in decomposed if char in _TONE_MARKS]
    bare_second = "".join(char for char in decomposed if char not in _TONE_MARKS)
    preceding = match.string[match.start() - 1 : match.start()].lower() if match.start() else ""
    # In "qu" the u is part of the consonant: "quý" keeps its mark on the y.
    if not marks or bare_second.lower() not in _PAIRS[first.lower()] or preceding == "q":
        return match.group(0)
    return unicodedata.normalize("NFC", first + marks[0]) + bare_second


def fold_diacritics(value):
    """Lower-case ``value`` and strip every Vietnamese mark: "Đình Động" → "dinh dong"."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_D_STROKE))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped).lower()


def slugify_vi(value):
    """An ASCII slug for a Vietnamese title: "Đình Đông Khê" → "dinh-dong-khe"."""
    return slugify(fold_diacritics(value))
