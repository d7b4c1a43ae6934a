"""Printable plaques (A5, A6): commune, title, rank, a one-line summary, the QR, the short URL.

The text is Vietnamese, so the PDF embeds a TrueType font that has every Vietnamese letter
(Noto Sans or DejaVu Sans from Debian's fonts-noto-core / fonts-dejavu-core, or the files named
by the ``PLAQUE_FONTS`` setting); reportlab embeds the subset of glyphs used, with the Unicode
map that lets ``pdftotext`` and screen readers read the text back.
"""

import glob
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from . import code_url, plaque_code
from .qr import QUIET_ZONE, dark_modules

PAPER_SIZES = {"a5": A5, "a6": A6}
FONT_NAME = "PlaqueSans"
BOLD_FONT_NAME = "PlaqueSans-Bold"
# Every Vietnamese letter with every tone, capitals included: a font missing one is not used.
VIETNAMESE_LETTERS = unicodedata.normalize(
    "NFC",
    "ĂÂĐÊÔƠƯăâđêôơư"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ…",
)
# File names tried under the system's font folders, best first: (regular, bold).
FONT_CANDIDATES = [
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
]
FONT_FOLDERS = ["/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts")]


class PlaqueFontError(ImproperlyConfigured):
    pass


def _covers_vietnamese(path):
    try:
        face = TTFont("probe", str(path)).face
    except Exception:  # noqa: BLE001 - any unreadable or non-TrueType file is simply skipped
        return False
    return all(ord(letter) in face.charToGlyph for letter in VIETNAMESE_LETTERS)


def _find(name):
    for folder in FONT_FOLDERS:
        found = sorted(glob.glob(f"{folder}/**/{name}", recursive=True))
        if found:
            return Path(found[0])
    return None


@cache
def font_files():
    """(regular, bold) font files with all Vietnamese letters: the ``PLAQUE_FONTS`` setting, or the system's."""
    configured = getattr(settings, "PLAQUE_FONTS", None)
    if configured:
        paths = (Path(configured["regular"]), Path(configured.get("bold") or configured["regular"]))
        for path in paths:
            if not path.is_file():
                raise PlaqueFontError(f"PLAQUE_FONTS names {path}, which does not exist.")
            if not _covers_vietnamese(path):
                raise PlaqueFontError(f"The font {path} lacks Vietnamese letters; choose another in PLAQUE_FONTS.")
        return paths
    for regular_name, bold_name in FONT_CANDIDATES:
        regular, bold = _find(regular_name), _find(bold_name)
        if regular and bold and _covers_vietnamese(regular) and _covers_vietnamese(bold):
            return regular, bold
    raise PlaqueFontError(
        "No font with Vietnamese letters found: install fonts-noto-core (apt-get install fonts-noto-core) "
        "or set PLAQUE_FONTS = {'regular': path, 'bold': path}."
    )


@cache
def register_fonts():
    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(regular)))
    pdfmetrics.registerFont(TTFont(BOLD_FONT_NAME, str(bold)))
    return FONT_NAME, BOLD_FONT_NAME


@dataclass
class PlaqueText:
    """What a plaque says."""

    code: str
    url: str
    title: str
    commune: str = ""
    rank: str = ""
    summary: str = ""


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def plaque_text(page):
    """The plaque of a published entry, or None when it has no code yet."""
    code = plaque_code(page)
    if code is None:
        return None
    specific = page.specific
    commune = specific.commune if hasattr(specific, "commune") else None
    rank = ""
    if getattr(specific, "rank", "") and hasattr(specific, "get_rank_display"):
        rank = str(specific.get_rank_display())
    summary = " ".join((getattr(specific, "summary", "") or "").split())
    summary = _SENTENCE_END.split(summary, maxsplit=1)[0] if summary else ""
    return PlaqueText(
        code=code,
        url=code_url(code),
        title=unicodedata.normalize("NFC", specific.title),
        commune=commune.name if commune else str(settings.WAGTAIL_SITE_NAME),
        rank=rank,
        summary=summary,
    )


def _fit_line(text, font, size, width):
    """The text cut to one line of ``width``, with an ellipsis when something was cut."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    words = text.split()
    while words and pdfmetrics.stringWidth(" ".join(words) + "…", font, size) > width:
        words.pop()
    return (" ".join(words) + "…") if words else ""


def _centre(canvas, text, font, size, y, width):
    canvas.setFont(font, size)
    canvas.drawCentredString(width / 2, y, text)


def draw_plaque(canvas, plaque, paper="a6"):
    """One plaque on the current page of ``canvas``."""
    regular, bold = register_fonts()
    width, height = PAPER_SIZES[paper]
    scale = width / A6[0]
    margin = 8 * mm * scale
    inner = width - 2 * margin
    y = height - margin

    # Commune, then the title on up to three lines, the rank and the summary's first sentence.
    size = 9 * scale
    y -= size
    _centre(canvas, _fit_line(plaque.commune, regular, size, inner), regular, size, y, width)
    size = 15 * scale
    lines = simpleSplit(plaque.title, bold, size, inner)
    if len(lines) > 3:
        lines = [*lines[:2], _fit_line(" ".join(lines[2:]), bold, size, inner)]
    y -= 4 * mm * scale
    for line in lines:
        y -= size * 1.15
        _centre(canvas, line, bold, size, y, width)
    if plaque.rank:
        size = 10 * scale
        y -= size * 1.6
        _centre(canvas, plaque.rank, regular, size, y, width)
    if plaque.summary:
        size = 8.5 * scale
        y -= size * 1.8
        _centre(canvas, _fit_line(plaque.summary, regular, size, inner), regular, size, y, width)

    # The footer lines, from the bottom up, then the QR in the space that is left.
    invite_size, url_size = 8.5 * scale, 10.5 * scale
    invite_y = margin
    url_y = invite_y + invite_size * 1.8
    _centre(canvas, _("Scan the code to listen to the audio guide"), regular, invite_size, invite_y, width)
    _centre(canvas, _fit_line(plaque.url, bold, url_size, inner), bold, url_size, url_y, width)

    cells, modules = dark_modules(plaque.code)
    top = y - 2 * mm * scale
    bottom = url_y + url_size + 2 * mm * scale
    side = min(inner, top - bottom)
    module = side / (modules + 2 * QUIET_ZONE)
    left = (width - side) / 2 + QUIET_ZONE * module
    base = bottom + (top - bottom - side) / 2 + QUIET_ZONE * module
    canvas.setFillColorRGB(0, 0, 0)
    # One rectangle per run of dark modules in a row: smaller files, no hairlines between modules.
    runs = {}
    for row, column in cells:
        runs.setdefault(row, []).append(column)
    for row, columns in runs.items():
        start = previous = columns[0]
        for column in [*columns[1:], None]:
            if column is not None and column == previous + 1:
                previous = column
                continue
            y_module = base + (modules - 1 - row) * module
            canvas.rect(left + start * module, y_module, (previous - start + 1) * module, module, stroke=0, fill=1)
            if column is not None:
                start = previous = column


def plaques_pdf(plaques, paper="a6"):
    """A PDF with one plaque per page, in Vietnamese (the language of the archive's content)."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"Unknown paper size {paper!r}; use one of {', '.join(PAPER_SIZES)}.")
    regular, _bold = register_fonts()
    buffer = io.BytesIO()
    # The initial font is ours, or reportlab would list Helvetica, not embedded, in every file.
    canvas = pdf_canvas.Canvas(buffer, pagesize=PAPER_SIZES[paper], initialFontName=regular)
    with translation.override(settings.LANGUAGE_CODE):
        canvas.setAuthor(str(settings.WAGTAIL_SITE_NAME))
        canvas.setCreator(str(settings.WAGTAIL_SITE_NAME))
        canvas.setTitle(plaques[0].title if len(plaques) == 1 else _("Plaques"))
        for plaque in plaques:
            draw_plaque(canvas, plaque, paper)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pages_pdf(pages, paper="a6"):
    """The plaques of the pages that have a code, and the pages left out (never published)."""
    plaques, skipped = [], []
    for page in pages:
        plaque = plaque_text(page)
        (plaques if plaque else skipped).append(plaque or page)
    return (plaques_pdf(plaques, paper) if plaques else None), skipped
