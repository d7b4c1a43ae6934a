""" "Cite this page": how to cite an entry, in Vietnamese style, APA 7 and Chicago, and as files.

``build_citation`` gathers what every style needs from an entry: the corporate author (the name
of the site the entry belongs to, which each commune sets to its culture office), the title, the
archive's name, the dates of publication and last review, the access date (today in Vietnam) and
the permanent URL. The styles and the BibTeX, RIS and CSL-JSON files are plain functions of it.
"""

import datetime
import json
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from .models import HomePage
from .plaques import short_url
from .text import slugify_vi

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Characters BibTeX reads as commands; URLs go in fields read verbatim and are left alone.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def permanent_url(page, request=None):
    """The address to cite: the plaque short URL when there is one, else the page's full URL.

    Short URLs never break when a page is renamed or moved, so they are what a citation should
    carry; an entry gets its code when first published, so a draft has none yet.
    """
    url = short_url(page)
    if url:
        return url
    # Without the request, Wagtail gives the address on the entry's own (most specific) site: a
    # commune's entry cited from the city site still carries the commune's address.
    return page.get_full_url() or ""


def today_in_vietnam():
    return timezone.localdate(timezone=VIETNAM)


def _local_date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, VIETNAM).date() if timezone.is_aware(value) else value.date()
    return value


def corporate_author(page, request=None):
    """Who authors an entry: the name of its commune's site (set to the culture office's name),
    else the commune home's title; entries outside any commune are the archive's own.

    The page's own site comes from Wagtail's cached site roots; when it is the site serving the
    request (the usual case) it costs no query, otherwise one.
    """
    parts = page.get_url_parts()  # without the request: the page's own, most specific site
    if not parts:
        return settings.WAGTAIL_SITE_NAME
    site = Site.find_for_request(request) if request is not None else None
    if site is None or site.pk != parts[0]:
        site = Site.objects.select_related("root_page").filter(pk=parts[0]).first()
    root = site.root_page if site else None
    if root is None or not issubclass(root.specific_class or type(root), HomePage):
        return settings.WAGTAIL_SITE_NAME
    return site.site_name or root.title


@dataclass
class Citation:
    """Everything a reference to one entry needs, styles aside."""

    author: str
    title: str
    site_name: str
    url: str
    accessed: datetime.date
    published: datetime.date | None = None
    reviewed: datetime.date | None = None
    kind: str = ""
    key: str = ""
    language: str = "vi"

    @property
    def issued(self):
        """The date a reader cites: the last review when staff record one, else the last publication."""
        return self.reviewed or self.published

    @property
    def year(self):
        return self.issued.year if self.issued else None

    # Vietnamese style: Tác giả (năm), *Tên bài*, Tên trang, truy cập ngày dd/mm/yyyy, URL.
    def _vietnamese(self, title):
        year = self.year if self.year else "không rõ năm"
        return f"{self.author} ({year}), {title}, {self.site_name}, truy cập ngày {self.accessed:%d/%m/%Y}, {self.url}"

    @property
    def vietnamese(self):
        return self._vietnamese(self.title)

    @property
    def vietnamese_html(self):
        return _html(self._vietnamese, self)

    # APA 7, web page with a group author: the site name is left out when it is the author.
    def _apa(self, title):
        date = f"{self.issued.year}, {MONTHS[self.issued.month - 1]} {self.issued.day}" if self.issued else "n.d."
        site = f" {self.site_name}." if self.site_name != self.author else ""
        return f"{self.author}. ({date}). {title}.{site} Retrieved {english_date(self.accessed)}, from {self.url}"

    @property
    def apa(self):
        return self._apa(self.title)

    @property
    def apa_html(self):
        return _html(self._apa, self)

    # Chicago notes and bibliography, web page: the bibliography entry and the first note.
    def _chicago(self, title):
        parts = [f"{self.author}.", f"“{title}.”", f"{self.site_name}."]
        if self.issued:
            parts.append(f"Last modified {english_date(self.issued)}.")
        parts.append(f"Accessed {english_date(self.accessed)}.")
        parts.append(f"{self.url}.")
        return " ".join(parts)

    @property
    def chicago(self):
        return self._chicago(self.title)

    @property
    def chicago_note(self):
        parts = [self.site_name]
        if self.issued:
            parts.append(f"last modified {english_date(self.issued)}")
        parts.append(f"accessed {english_date(self.accessed)}")
        parts.append(self.url)
        return f"{self.author}, “{self.title},” " + ", ".join(parts) + "."

    def styles(self):
        """(name, plain text, HTML) of each style, in the order the page lists them."""
        return [
            ("vi", _("Vietnamese style"), self.vietnamese, self.vietnamese_html),
            ("apa", "APA 7", self.apa, self.apa_html),
            ("chicago", "Chicago", self.chicago, escape(self.chicago)),
        ]


def _html(render, citation):
    """A style with the title in italics and everything else escaped."""
    marker = "\x00TITLE\x00"
    text = escape(render(marker))
    return mark_safe(text.replace(escape(marker), f"<i>{escape(citation.title)}</i>"))


def english_date(value):
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def citation_key(page, issued):
    base = slugify_vi(page.title).replace("-", "_")[:40] or "entry"
    return f"{base}_{issued.year}" if issued else base


def build_citation(page, request=None, *, today=None):
    """The citation of an entry as a reader sees it today (in Vietnam's time zone)."""
    published = _local_date(page.last_published_at or page.first_published_at)
    citation = Citation(
        author=corporate_author(page, request),
        title=page.title,
        site_name=settings.WAGTAIL_SITE_NAME,
        url=permanent_url(page, request),
        accessed=today or today_in_vietnam(),
        published=published,
        reviewed=getattr(page, "last_reviewed", None),
        kind=str(page.specific_class._meta.verbose_name) if page.specific_class else "",
    )
    citation.key = citation_key(page, citation.issued)
    return citation


def bibtex_escape(value):
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in value)


def to_bibtex(citation):
    """A biblatex ``@online`` entry (UTF-8); braces keep the title's and author's capitals."""
    fields = [
        ("author", "{" + bibtex_escape(citation.author) + "}"),
        ("title", "{" + bibtex_escape(citation.title) + "}"),
        ("organization", bibtex_escape(citation.site_name)),
    ]
    if citation.issued:
        fields += [("date", citation.issued.isoformat()), ("year", str(citation.issued.year))]
    fields += [
        ("url", citation.url.replace("{", "%7B").replace("}", "%7D")),
        ("urldate", citation.accessed.isoformat()),
        ("langid", "vietnamese"),
        ("note", bibtex_escape(f"Truy cập ngày {citation.accessed:%d/%m/%Y}")),
    ]
    if citation.kind:
        fields.append(("type", bibtex_escape(citation.kind)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{citation.key},\n{body}\n}}\n"


def to_ris(citation):
    """An RIS record of an electronic source, lines ending in CR LF as the format asks."""
    lines = [
        ("TY", "ELEC"),
        ("AU", citation.author),
        ("TI", citation.title),
        ("T2", citation.site_name),
    ]
    if citation.issued:
        lines += [("PY", str(citation.issued.year)), ("DA", citation.issued.strftime("%Y/%m/%d"))]
    lines += [
        ("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ("UR", citation.url),
        ("LA", citation.language),
        ("ID", citation.key),
    ]
    if citation.kind:
        lines.append(("M3", citation.kind))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


def _one_line(value):
    return re.sub(r"\s+", " ", value).strip() if value else ""


def _date_parts(value):
    return {"date-parts": [[value.year, value.month, value.day]]}


def to_csl_data(citation):
    item = {
        "id": citation.key,
        "type": "webpage",
        "title": citation.title,
        "author": [{"literal": citation.author}],
        "container-title": citation.site_name,
        "URL": citation.url,
        "accessed": _date_parts(citation.accessed),
        "language": citation.language,
    }
    if citation.issued:
        item["issued"] = _date_parts(citation.issued)
    if citation.kind:
        item["genre"] = citation.kind
    return [item]


def to_csl_json(citation):
    return json.dumps(to_csl_data(citation), ensure_ascii=False, indent=2) + "\n"


# Downloads: file extension → (builder, content type).
FORMATS = {
    "bib": (to_bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (to_ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (to_csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}
