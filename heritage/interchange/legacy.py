"""Vietnamese text typed in the pre-Unicode font encodings TCVN3 (ABC) and VNI, turned into Unicode.

Commune offices still keep registers written with the .VnTime fonts (TCVN3, also called ABC) or
the VNI-Windows fonts. Such text reaches us in two shapes: as the raw 8-bit bytes of an old file,
or already "converted" to Unicode by a program that did not know the font, so that every byte
became the Windows-1252 character with the same number ("Việt Nam" in TCVN3 reads "ViÖt Nam",
in VNI "Vieät Nam"). Both shapes are handled the same way: bytes are first read as Windows-1252,
then the characters are mapped through the tables below.

TCVN3 gives each lower-case Vietnamese letter one byte (0xA8–0xFE) and has only seven capitals
(Ă Â Ê Ô Ơ Ư Đ, 0xA1–0xA7); other capitals were typed with the companion capital fonts
(.VnTimeH), which reuse the lower-case byte values. VNI writes a letter as its base letter
followed by one byte for its marks ("ệ" is "e" + "ä"), except for đ, ơ, ư and the marked i and
ỵ, which have single bytes.
"""

import re
import unicodedata

TCVN3 = "tcvn3"
VNI = "vni"
LEGACY_ENCODINGS = (TCVN3, VNI)

# TCVN 5712:1993 VN3, the byte values of the ABC fonts (.VnTime). Bytes 0x80–0x9F and the few
# VN1-only positions for marked capitals are not part of VN3: Word still wrote its curly quotes
# and dashes there, so they are left as Windows-1252 punctuation.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

# VNI-Windows: the byte that follows a base letter and the marks it adds. Tone marks are the
# combining characters Unicode uses, so the letters are composed rather than listed by hand.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
# Letters that VNI writes with a single byte of their own.
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
    "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
    "î": "ỵ", "Î": "Ỵ",
}  # fmt: skip


def _vni_sequences():
    sequences = dict(_VNI_SINGLE)

    def add(base, marks, upper_too=True):
        for mark_byte, combining in marks.items():
            letter = unicodedata.normalize("NFC", base + combining)
            sequences[_vni_base(base) + mark_byte] = letter
            if upper_too:
                # Capitals take the capital form of the mark byte; text typed with a mixed
                # font sometimes keeps the small one, which can only mean the same letter.
                sequences[_vni_base(base).upper() + mark_byte.upper()] = letter.upper()
                sequences[_vni_base(base).upper() + mark_byte] = letter.upper()

    for vowel in "aeiouy":
        add(vowel, _VNI_TONES)
    for vowel in "aeo":
        add(vowel + _CIRCUMFLEX, _VNI_CIRCUMFLEX)
    add("a" + _BREVE, _VNI_BREVE)
    add("o" + _HORN, _VNI_TONES)
    add("u" + _HORN, _VNI_TONES)
    # The i row and ỵ have letters of their own; "i" + a tone byte is still read as the letter.
    return sequences


def _vni_base(base):
    """How VNI writes the unmarked part of a letter: a plain vowel, or ô/ö for ơ/ư."""
    return {"o" + _HORN: "ô", "u" + _HORN: "ö"}.get(base, base[0])


_VNI_TABLE = _vni_sequences()
_VNI_PATTERN = re.compile("|".join(re.escape(key) for key in sorted(_VNI_TABLE, key=len, reverse=True)))

# Windows-1252 puts printable characters in 0x80–0x9F where Latin-1 has control codes.
_CP1252_HIGH = {byte: bytes([byte]).decode("cp1252", errors="ignore") for byte in range(0x80, 0xA0)}
_CP1252_FIX = {byte: char for byte, char in _CP1252_HIGH.items() if char}
_BYTE_CHARACTERS = {chr(code) for code in range(0x100)} | set(_CP1252_FIX.values())

_TONE_MARKS = {_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT}
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"(?:iêu|oai|oay|oao|oeo|uây|uôi|uya|uyê|uyu|ươi|ươu|yêu|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    r"[aăâeêioôơuưy])"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[^\W\d_]+")


def decode_bytes(data):
    """Read 8-bit legacy bytes as Windows-1252, the way Windows programs showed them."""
    return data.decode("latin-1").translate(_CP1252_FIX)


def is_byte_text(value):
    """Whether ``value`` could be legacy text: every character stands for a single byte."""
    return all(char in _BYTE_CHARACTERS for char in value)


def decode_tcvn3(value):
    """Convert TCVN3 (ABC, .VnTime) text to Unicode: "ViÖt Nam" → "Việt Nam"."""
    converted = value.translate(_TCVN3_BYTES)
    if converted == value:
        return value
    return _restore_capitals(value, converted)


def _restore_capitals(original, converted):
    # Words typed with a capital font (.VnTimeH) come out as lower-case letters among ASCII
    # capitals ("§×NH" → "ĐìNH"); a word whose own ASCII letters are all capitals is a capital word.
    def letters(text):
        return [char for char in text if char.isascii() and char.isalpha()]

    ascii_letters = letters(original)
    if len(ascii_letters) >= 2 and all(char.isupper() for char in ascii_letters):
        return converted.upper()
    pieces = []
    position = 0
    for match in re.finditer(r"\S+", original):
        word = letters(match.group())
        piece = converted[match.start() : match.end()]
        if len(word) >= 2 and all(char.isupper() for char in word):
            piece = piece.upper()
        pieces.append(converted[position : match.start()] + piece)
        position = match.end()
    pieces.append(converted[position:])
    return "".join(pieces)


def decode_vni(value):
    """Convert VNI-Windows text to Unicode: "Vieät Nam" → "Việt Nam"."""
    return _VNI_PATTERN.sub(lambda match: _VNI_TABLE[match.group()], value)


DECODERS = {TCVN3: decode_tcvn3, VNI: decode_vni}


def plausibility(text):
    """How much ``text`` looks like Vietnamese: valid syllables, less characters no Vietnamese text uses."""
    score = 0
    for char in text:
        code = ord(char)
        if 0x80 <= code <= 0x9F or (0xA0 <= code <= 0xFF and char not in _VIETNAMESE_LATIN1):
            score -= 1
    for word in _WORD.findall(text):
        decomposed = unicodedata.normalize("NFD", word.lower())
        tones = sum(char in _TONE_MARKS for char in decomposed)
        bare = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONE_MARKS))
        if tones <= 1 and _SYLLABLE.fullmatch(bare):
            score += 1
    return score


def detect_legacy_encoding(text):
    """The legacy encoding ``text`` is written in (``"tcvn3"`` or ``"vni"``), or ``None`` if it reads as Unicode."""
    sample = text[:200_000]
    original = plausibility(sample)
    best, best_score = None, original
    for name, decoder in DECODERS.items():
        score = plausibility(decoder(sample))
        if score > best_score:
            best, best_score = name, score
    return best


def convert_value(value, encoding, *, careful=False):
    """Convert one piece of legacy text; Unicode text (letters no legacy font has) is left alone.

    ``careful`` is for guessed encodings: the text is converted only if that does not make it
    read worse, which protects the occasional cell typed in a Unicode font.
    """
    if not value or not is_byte_text(value):
        return value
    converted = DECODERS[encoding](value)
    if careful and plausibility(converted) < plausibility(value):
        return value
    return converted
