"""Vietnamese text analysis shared by both search backends.

Both backends index and query the output of these functions, so they match the same things:
Elasticsearch receives pre-analysed fields (its test distribution ships without the
analysis-common module, so no asciifolding or n-gram filters), and the built-in backend stores
the same terms in its own table.

- ``exact_terms``: lower-cased syllables in NFC with one tone placement ("hoà" = "hòa"), used to
  rank accented matches above folded ones ("Đình Động" above "Đình Đông").
- ``folded_terms``: the same syllables without marks, "đ" as "d": what accent-free typing matches.
- ``bigrams``: adjacent folded syllables joined by "_", so phrases rank above scattered words.
- ``joined_terms``: runs of adjacent folded syllables written together ("tranhungdao"), for people
  who type without spaces.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from heritage.text import fold_diacritics, unify_tone_placement

MAX_QUERY_LENGTH = 200
MAX_JOINED_RUN = 5
_WORD = re.compile(r"\w+", re.UNICODE)
_TELEX_TONE_KEYS = set("sfrxj")
_VOWELS = set("aeiouy")


def exact_terms(text):
    """Syllables in NFC, lower case, with a single tone placement."""
    return [
        word.lower() for word in _WORD.findall(unify_tone_placement(text or "")) if not word.isdigit() or len(word) < 12
    ]


def folded_terms(text):
    return [fold_diacritics(word) for word in exact_terms(text)]


def bigrams(terms):
    return [f"{first}_{second}" for first, second in zip(terms, terms[1:], strict=False)]


def joined_terms(terms, max_run=MAX_JOINED_RUN):
    """Every run of two to ``max_run`` adjacent syllables written as one word."""
    joined = []
    for start in range(len(terms)):
        for end in range(start + 2, min(start + max_run, len(terms)) + 1):
            joined.append("".join(terms[start:end]))
    return joined


def telex_to_folded(word):
    """Read a word typed in Telex without an input method, without marks: "ddinhf" → "dinh".

    Vietnamese syllables never end in, nor carry after their vowel, the letters s, f, r, x or j,
    and never contain w or z, so those are the Telex keys for marks; doubled vowels and "dd"
    stand for â, ê, ô and đ. Returns None when the word shows no Telex keys.
    """
    word = word.lower()
    if not word.isascii() or not word.isalpha():
        return None
    decoded = word.replace("dd", "d").replace("aa", "a").replace("ee", "e").replace("oo", "o")
    decoded = decoded.replace("w", "" if re.search(r"[aou]w", decoded) else "u").replace("z", "")
    first_vowel = next((index for index, char in enumerate(decoded) if char in _VOWELS), None)
    if first_vowel is not None:
        head, tail = decoded[: first_vowel + 1], decoded[first_vowel + 1 :]
        decoded = head + "".join(char for char in tail if char not in _TELEX_TONE_KEYS)
    if not decoded or decoded == word:
        return None
    return decoded


def clean_query(query):
    """The query as a search can use it: NFC, no control characters, bounded length."""
    query = unicodedata.normalize("NFC", query or "")
    query = "".join(char for char in query if unicodedata.category(char)[0] != "C" or char in " \t")
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


@dataclass
class AnalysedQuery:
    """A visitor's query, analysed the way documents are."""

    text: str
    exact: list = field(default_factory=list)
    folded: list = field(default_factory=list)
    telex: list = field(default_factory=list)  # folded readings of words typed in Telex
    bigrams: list = field(default_factory=list)
    prefix: str = ""  # the last word, folded, for as-you-type matching

    @property
    def is_empty(self):
        return not self.folded

    @property
    def alternatives(self):
        """For each query word, the folded forms it may stand for."""
        return [
            sorted({folded, *([telex] if telex else [])}) for folded, telex in zip(self.folded, self.telex, strict=True)
        ]


def analyse_query(query):
    text = clean_query(query)
    exact = exact_terms(text)
    folded = [fold_diacritics(term) for term in exact]
    telex = [telex_to_folded(term) if term.isascii() else None for term in exact]
    return AnalysedQuery(
        text=text,
        exact=exact,
        folded=folded,
        telex=telex,
        bigrams=bigrams(folded),
        prefix=folded[-1] if folded else "",
    )
