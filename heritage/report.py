"""A printable report of one entry as a PDF: readable prose, not a data dump.

Title, kind and rank, summary, the facts of its kind, the body text, sources, how to cite it and
its permanent address, set in a TrueType font embedded in the file (Noto Sans, or DejaVu Sans)
so Vietnamese prints, copies and searches correctly. Built with ReportLab's Platypus.
"""

import html
import io
from html.parser import HTMLParser
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Debian's fonts-noto-core and fonts-dejavu-core; the first family found is used.
FONT_FAMILIES = [
    (
        "/usr/share/fonts/truetype/noto",
        {
            "": "NotoSans-Regular.ttf",
            "-Bold": "NotoSans-Bold.ttf",
            "-Italic": "NotoSans-Italic.ttf",
            "-BoldItalic": "NotoSans-BoldItalic.ttf",
        },
    ),
    (
        "/usr/share/fonts/truetype/dejavu",
        {
            "": "DejaVuSans.ttf",
            "-Bold": "DejaVuSans-Bold.ttf",
            "-Italic": "DejaVuSans-Oblique.ttf",
            "-BoldItalic": "DejaVuSans-BoldOblique.ttf",
        },
    ),
]
FONT = "HeritageSans"
ACCENT = colors.HexColor("#8a1c1c")
MUTED = colors.HexColor("#555555")


def register_fonts():
    """Register the report's font family once; fail with a clear message when no font is installed."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    for folder, files in FONT_FAMILIES:
        paths = {suffix: Path(folder) / name for suffix, name in files.items()}
        if all(path.exists() for path in paths.values()):
            for suffix, path in paths.items():
                pdfmetrics.registerFont(TTFont(f"{FONT}{suffix}", str(path)))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic", boldItalic=f"{FONT}-BoldItalic"
            )
            return FONT
    raise ImproperlyConfigured("Install fonts-noto-core or fonts-dejavu-core: reports need a Vietnamese TrueType font.")


def styles():
    base = {"fontName": FONT, "bulletFontName": FONT, "fontSize": 10.5, "leading": 15, "alignment": TA_LEFT}
    return {
        "title": ParagraphStyle("title", **{**base, "fontName": f"{FONT}-Bold", "fontSize": 20, "leading": 25}),
        "kind": ParagraphStyle("kind", **{**base, "textColor": ACCENT, "spaceAfter": 6}),
        "summary": ParagraphStyle("summary", **{**base, "fontName": f"{FONT}-Italic", "fontSize": 11.5, "leading": 17}),
        "h2": ParagraphStyle(
            "h2",
            **{**base, "fontName": f"{FONT}-Bold", "fontSize": 14, "leading": 19, "spaceBefore": 12, "spaceAfter": 4},
        ),
        "h3": ParagraphStyle(
            "h3", **{**base, "fontName": f"{FONT}-Bold", "fontSize": 11.5, "leading": 16, "spaceBefore": 8}
        ),
        "body": ParagraphStyle("body", **{**base, "spaceAfter": 6}),
        "quote": ParagraphStyle("quote", **{**base, "leftIndent": 12 * mm, "fontName": f"{FONT}-Italic"}),
        "fact": ParagraphStyle("fact", **base),
        "small": ParagraphStyle("small", **{**base, "fontSize": 9, "leading": 12, "textColor": MUTED}),
        "list": ParagraphStyle("list", **{**base, "leftIndent": 6 * mm, "bulletIndent": 1 * mm, "spaceAfter": 3}),
    }


class _RichTextToParagraphs(HTMLParser):
    """Wagtail rich text as (style, ReportLab markup) pairs: block tags start paragraphs, bold and
    italics are kept, links keep their text, everything else is escaped."""

    BLOCKS = {"p": "body", "h2": "h3", "h3": "h3", "h4": "h3", "li": "list", "blockquote": "quote"}
    INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.style = "body"
        self.buffer = []

    def flush(self):
        text = "".join(self.buffer).strip()
        if text:
            self.paragraphs.append((self.style, text))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.flush()
            self.style = self.BLOCKS[tag]
        elif tag in self.INLINE:
            self.buffer.append(f"<{self.INLINE[tag]}>")
        elif tag == "br":
            self.buffer.append("<br/>")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.flush()
            self.style = "body"
        elif tag in self.INLINE:
            self.buffer.append(f"</{self.INLINE[tag]}>")

    def handle_data(self, data):
        self.buffer.append(escape(data))

    def close(self):
        super().close()
        self.flush()


def rich_text_paragraphs(source):
    parser = _RichTextToParagraphs()
    parser.feed(source or "")
    parser.close()
    return parser.paragraphs


def _source(value):
    return getattr(value, "source", None) or str(value or "")


def body_flowables(page, style):
    """The body's text blocks in order; pictures, audio and video are left to the web page."""
    flowables = []
    for block in page.body or ():
        kind, value = block.block_type, block.value
        if kind == "heading":
            flowables.append(Paragraph(escape(str(value)), style["h2"]))
        elif kind == "paragraph":
            flowables += [Paragraph(markup, style[name]) for name, markup in rich_text_paragraphs(_source(value))]
        elif kind == "quote":
            text = value.get("text") if hasattr(value, "get") else value
            flowables += [Paragraph(markup, style["quote"]) for _name, markup in rich_text_paragraphs(_source(text))]
        elif kind == "timeline_entry":
            text = " ".join(markup for _name, markup in rich_text_paragraphs(_source(value["text"])))
            flowables.append(Paragraph(f"<b>{escape(value['date_text'])}</b>: {text}", style["body"]))
        elif kind == "inscription":
            # The original Hán or Nôm script needs a CJK font; the reading and meaning are printed.
            flowables.append(Paragraph(escape(value.get("title") or ""), style["h3"]))
            for name in ("transliteration", "translation"):
                if value.get(name):
                    flowables.append(Paragraph(escape(value[name]), style["quote"]))
    return flowables


def entry_facts(page):
    """(label, text) rows of what the entry's kind records, for the facts table."""
    facts = [(_("Kind"), capfirst(page.specific_class._meta.verbose_name))]
    for label, value in (
        (_("Official name"), getattr(page, "official_name", "")),
        (_("Rank"), page.get_rank_display() if getattr(page, "rank", "") else ""),
        (_("Type"), getattr(page, "type_wording", "")),
        (_("Life"), getattr(page, "life_display", "")),
        (_("Place of birth"), getattr(page, "birthplace", "")),
        (_("Roles"), getattr(page, "roles", "")),
        (_("When"), page.date_rule_display() if hasattr(page, "date_rule_display") else ""),
        (
            _("Where it is held"),
            getattr(page, "location", "") if isinstance(getattr(page, "location", ""), str) else "",
        ),
        (_("Address"), getattr(page, "address", "")),
        (_("Village"), page.village.name if page.village_id else ""),
        (_("Period"), page.period.name if page.period_id else ""),
        (_("Other names"), ", ".join(name.name for name in page.other_names.all())),
    ):
        if value:
            facts.append((str(label), str(value)))
    # Dated events in time order; the body's own timeline entries are printed with the body.
    for event in sorted(page.timeline_events(), key=lambda event: event.sort_key):
        if event.kind != "event":
            facts.append((event.date_text, event.label))
    return facts


def _facts_table(facts, style):
    rows = [
        [Paragraph(f"<b>{escape(label)}</b>", style["fact"]), Paragraph(escape(text), style["fact"])]
        for label, text in facts
    ]
    table = Table(rows, colWidths=[45 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),  # the table's own default is Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def render_report(page, citation, request=None):
    """The PDF of one entry as bytes."""
    register_fonts()
    style = styles()
    story = [
        Paragraph(escape(page.title), style["title"]),
        Paragraph(escape(" · ".join(part for part in (citation.kind, citation.author) if part)), style["kind"]),
    ]
    if page.summary:
        story.append(Paragraph(escape(page.summary), style["summary"]))
    story += [Spacer(1, 4 * mm), Paragraph(escape(_("Facts")), style["h2"]), _facts_table(entry_facts(page), style)]
    body = body_flowables(page, style)
    if body:
        story += [Paragraph(escape(_("About")), style["h2"]), *body]
    sources = page.cited_sources()
    if sources:
        story.append(Paragraph(escape(_("Sources")), style["h2"]))
        for link in sources:
            text = link.source.full_reference + (f" {link.locator}." if link.locator else "")
            story.append(Paragraph(escape(text), style["list"], bulletText="•"))
    story.append(
        KeepTogether(
            [
                Paragraph(escape(_("How to cite this page")), style["h2"]),
                Paragraph(escape(citation.vietnamese), style["body"]),
                Paragraph(escape(citation.apa), style["body"]),
                Paragraph(escape(_("Permanent address: %(url)s") % {"url": citation.url}), style["small"]),
            ]
        )
    )
    printed = citation.accessed
    footer = _("%(site)s · printed on %(date)s · page %%(page)s") % {
        "site": citation.site_name,
        "date": printed.strftime("%d/%m/%Y"),
    }

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(document.leftMargin, 10 * mm, footer % {"page": document.page})
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=page.title,
        author=citation.author,
        subject=html.unescape(page.summary or ""),
        lang="vi",
        # Otherwise every page declares Helvetica, a font without Vietnamese, that is not embedded.
        initialFontName=FONT,
        initialFontSize=10.5,
    )
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()
