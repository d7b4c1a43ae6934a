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
from functools import lru_cache
from html import escape  # the standard library's: Django's lazy wrapper costs more than escaping

from heritage.text import fold_diacritics, unify_tone_placement

MAX_QUERY_LENGTH = 200
MAX_JOINED_RUN = 5
_WORD = re.compile(r"\w+", re.UNICODE)
_TELEX_TONE_KEYS = set("sfrxj")
_VOWELS = set("aeiouy")
# Ð (U+00D0, the Icelandic eth) looks like Đ and is what some keyboards, fonts and PDF copies give
# for it; Unicode does not fold it to "d". Read it (and its lower case ð) as Đ / đ everywhere.
_ETH = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def exact_terms(text):
    """Syllables in NFC, lower case, with a single tone placement."""
    return [
        word.lower()
        for word in _WORD.findall(unify_tone_placement(_without_eth(text or "")))
        if not word.isdigit() or len(word) < 12
    ]


def _without_eth(text):
    # Checking first is several times faster than translating: almost no text holds Ð.
    return text.translate(_ETH) if "\u00d0" in text or "\u00f0" in text else text


def folded_terms(text):
    return [fold_word(word) for word in exact_terms(text)]


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
    folded = [fold_word(term) for term in exact]
    telex = [telex_to_folded(term) if term.isascii() else None for term in exact]
    return AnalysedQuery(
        text=text,
        exact=exact,
        folded=folded,
        telex=telex,
        bigrams=bigrams(folded),
        prefix=folded[-1] if folded else "",
    )


# Typos: one edit (a letter dropped, added, changed, or two neighbours swapped) on folded words of
# at least this many letters. Shorter words have too many neighbours to guess from.
MIN_FUZZY_LENGTH = 4
MAX_FUZZY_LENGTH = 24  # a run of five syllables; longer "words" are pasted junk, not typos
_FUZZY_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def edits1(word):
    """Every word one edit away from ``word`` over a-z, for matching typos against the index vocabulary."""
    splits = [(word[:index], word[index:]) for index in range(len(word) + 1)]
    deletes = {head + tail[1:] for head, tail in splits if tail}
    swaps = {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    changes = {head + letter + tail[1:] for head, tail in splits if tail for letter in _FUZZY_ALPHABET}
    inserts = {head + letter + tail for head, tail in splits for letter in _FUZZY_ALPHABET}
    return (deletes | swaps | changes | inserts) - {word, ""}


def prefixes(word, *, shortest=1, longest=24):
    """The beginnings of ``word`` a visitor may have typed so far: "tran" → "t", "tr", "tra", "tran"."""
    return [word[:end] for end in range(shortest, min(len(word), longest) + 1)]


SNIPPET_LENGTH = 200
_MARKED_RUN = MAX_JOINED_RUN


@lru_cache(maxsize=262_144)
def fold_word(word):
    """``fold_diacritics`` for one word, with Ð read as Đ, remembered: texts repeat a few thousand syllables."""
    return fold_diacritics(_without_eth(word))


def _tokens(text):
    return [(match.start(), match.end(), fold_word(match.group())) for match in _WORD.finditer(text)]


def _marked(tokens, words):
    """Indexes of the tokens that match ``words``: a folded syllable, or a run written as one word."""
    marked = set()
    longest = max(map(len, words), default=0)
    for index, (_start, _end, folded) in enumerate(tokens):
        if folded in words:
            marked.add(index)
        joined = folded
        for end in range(index + 1, min(index + _MARKED_RUN, len(tokens))):
            joined += tokens[end][2]
            if len(joined) > longest:
                break
            if joined in words:
                marked.update(range(index, end + 1))
    return marked


class _Passage:
    def __init__(self, text, words):
        self.text = normalize_text_for_display(text)
        self.tokens = _tokens(self.text)
        self.marked = _marked(self.tokens, words)


def highlight(text, words, *, length=SNIPPET_LENGTH):
    """HTML for about ``length`` characters of ``text`` around the words a query matched.

    ``words`` are folded forms (syllables or runs typed as one word); they are marked in the
    accented text ("dong" marks "Động"), each word in its own ``<mark>``. Everything else is
    escaped. Text longer than ``length`` is cut at word boundaries around the first match, with
    "…" where it was cut.
    """
    return _render(_Passage(text, set(words)), length)


def _render(passage, length):
    text, tokens, marked = passage.text, passage.tokens, passage.marked
    start, end = 0, len(text)
    if len(text) > length:
        anchor = tokens[min(marked)][0] if marked else 0
        end = min(len(text), max(0, anchor - length // 4) + length)
        start = max(0, end - length)
        # Cut between words, never inside one.
        if start:
            start = next((token[0] for token in tokens if token[0] >= start), start)
        end = next((token[1] for token in reversed(tokens) if token[1] <= end), end)
    parts = ["…"] if start > 0 else []
    position = start
    for index in sorted(marked):
        token_start, token_end, _folded = tokens[index]
        if token_start < start or token_end > end:
            continue
        parts += [escape(text[position:token_start]), "<mark>", escape(text[token_start:token_end]), "</mark>"]
        position = token_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).strip()


def snippet(passages, words, *, length=SNIPPET_LENGTH):
    """The passage (summary first, then the text) matching most query words, highlighted."""
    words = set(words)
    best, best_count = None, -1
    for text in passages:
        if not text or not text.strip():
            continue
        count = _quick_count(text, words)
        if count > best_count:
            best, best_count = text, count
            if count >= len(words):
                break
    return highlight(best, words, length=length) if best is not None else ""


def _quick_count(text, words):
    """About how many of ``words`` a passage holds, from its folded text: to choose, not to mark."""
    folded = _fold_fast(text)
    found = words.intersection(_WORD.findall(folded))
    if len(found) < len(words):
        # Words typed as one ("tranhungdao") are runs of the passage's syllables.
        joined = "".join(folded.split())
        found.update(word for word in words - found if len(word) > 3 and word in joined)
    return len(found)


def _folding_table():
    table = dict.fromkeys(range(768, 880))
    for block in (range(0xC0, 0x250), range(0x1E00, 0x1F00)):
        for code in block:
            folded = fold_diacritics(chr(code))
            if len(folded) == 1:
                table[code] = folded
    table[0xD0] = table[0xF0] = "d"  # Ð, ð: read as Đ, đ
    return table


_FOLDING = _folding_table()


def _fold_fast(text):
    """``fold_diacritics`` for Latin text, a table lookup per character: good for a quick test only."""
    return text.translate(_FOLDING).lower()


def normalize_text_for_display(text):
    """NFC, single spaces: how stored text is shown in a snippet."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())
