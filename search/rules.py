"""The matching rules both search backends keep, defined once.

``search.builtin`` (the inverted index in the database) and ``search.elastic`` (Elasticsearch)
implement these rules each in their own engine, so that both find the same entries for the same
query and a fallback from one to the other changes at most the order of the results. The text
analysis itself (syllables, folding, bigrams, runs) is in ``search.text``.
"""

import math

from .text import exact_terms, fold_word, highlight

# The fields of a search document that are searched, with how much a match in each weighs: the
# title ten times the body text. Facet labels ("lễ hội", "Nhà Mạc", the village) are searchable
# too, below the tags: "chùa nhà Mạc".
FIELD_WEIGHTS = {"title": 10.0, "names": 7.0, "tags": 4.0, "labels": 3.0, "summary": 2.0, "text": 1.0}
# Fields whose runs of syllables written together are indexed ("tranhungdao"), and fields whose
# whole value is ("=tranhungdao": exact-name bonus, "starts with" suggestions).
JOINED_FIELDS = ("title", "names", "tags")
WHOLE_FIELDS = ("title", "names")

# How much a query word's form counts, relative to the form typed.
ACCENTED = 1.0  # the accents typed match: "Động" in "Đình Động"
ACCENT_MISMATCH = 0.35  # accents typed but the entry has others: "Động" in "Đình Đông"
TELEX = 0.9
TYPO = 0.5
PARTIAL = 0.5  # a last word that is only the beginning of a word: the visitor pressed enter early
PHRASE = 0.6  # bigram weight, per the rarity of its words
WHOLE_NAME = 1.5  # query equal to a title or other name, per the rarity of its words
COVERAGE = 3  # power of the share of query words an entry matches, on its score
# Every word of a query of two words or more found in the title, other names, tags or facet
# labels: the entry is what the query names ("chùa nhà Mạc": a pagoda of the Mạc period), rather
# than an entry that mentions it (Mạc Đăng Dung, whose text names pagodas).
ABOUT_ALL = 1.5
SPLIT = 0.6  # a word typed without spaces, found as bigrams of its syllables in the text
MIN_SPLIT_LENGTH = 6
MAX_SYLLABLE_LENGTH = 7  # "nghieng"
STARTS_WITH = 20.0  # suggestions whose title or name starts with what is typed

MAX_WORDS = 8  # query words searched; the rest are ignored
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_TYPO_FORMS = 3  # corrections kept for an unknown word
PREFIX_LENGTH = 24  # beginnings of names matched, in letters


def required(count):
    """How many of ``count`` query words an entry must match: all of one or two, two of three..."""
    return count if count <= 2 else math.ceil(count * 2 / 3)


def facet_labels(facets):
    """The labels of a document's facet values, each once: searched as the ``labels`` field."""
    labels = []
    for values in (facets or {}).values():
        for item in values or ():
            label = item[1] if isinstance(item, list | tuple) and len(item) > 1 else None
            if label and str(label) not in labels:
                labels.append(str(label))
    return labels


def query_words(query):
    """The words of an analysed query that are searched, the first ``MAX_WORDS`` different ones,
    as ``(position, typed, folded, forms)``: ``forms`` maps what each word may stand for to how
    much a match counts: the word as typed, its folded form (a lesser match when accents were
    typed), and its reading as Telex typed without an input method ("ddinhf": đình)."""
    words, seen = [], set()
    for position, (typed, folded, telex) in enumerate(zip(query.exact, query.folded, query.telex, strict=True)):
        if folded in seen or len(words) >= MAX_WORDS:
            continue
        seen.add(folded)
        forms = {typed: ACCENTED, folded: ACCENT_MISMATCH} if typed != folded else {folded: 1.0}
        if telex and telex != folded:
            forms[telex] = TELEX
        words.append((position, typed, folded, forms))
    return words


def may_split(folded):
    """Whether a query word may be syllables typed without spaces ("tranhungdao")."""
    return len(folded) >= MIN_SPLIT_LENGTH and folded.isascii()


def split_pieces(folded):
    """Every piece of ``folded`` that may be a syllable: ask the index which ones it knows."""
    return {
        folded[start:end]
        for start in range(len(folded))
        for end in range(start + 2, min(start + MAX_SYLLABLE_LENGTH, len(folded)) + 1)
    }


def splits(word, syllables, *, limit=3):
    """The ways to cut ``word`` into ``syllables``, fewest pieces first (at most ``limit``)."""
    ways = {0: [[]]}
    for end in range(2, len(word) + 1):
        found = []
        for start in range(max(0, end - MAX_SYLLABLE_LENGTH), end - 1):
            if start in ways and word[start:end] in syllables:
                found += [[*way, word[start:end]] for way in ways[start]]
        if found:
            ways[end] = sorted(found, key=len)[:limit]
    return [way for way in ways.get(len(word), []) if len(way) > 1]


def suggestion(query, words):
    """The "did you mean" text: the query as typed with each corrected word replaced."""
    corrections = {word.position: word.correction for word in words if word.correction}
    if not corrections:
        return ""
    return " ".join(corrections.get(position, typed) for position, typed in enumerate(query.exact))


def matching_name(title, names, complete, last, last_telex):
    """The title or other name the typed words begin, highlighted: how a suggestion was found."""
    for name in [title, *names]:
        folded = [fold_word(term) for term in exact_terms(name)]
        if not all(word in folded for word in complete):
            continue
        started = [term for term in folded if term.startswith(last) or (last_telex and term.startswith(last_telex))]
        if started or "".join(folded).startswith(last):
            return highlight(name, [*complete, *started])
    return highlight(title, complete)
