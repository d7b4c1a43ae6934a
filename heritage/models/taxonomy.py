"""Snippets that classify entries: communes, villages, periods, and the sources entries cite."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

# Plaque codes must survive being read aloud and retyped: no look-alike letters (I, O) in prefixes.
COMMUNE_CODE = re.compile(r"^[A-HJ-NP-Z]{2,4}$")


class Commune(index.Indexed, models.Model):
    """A commune (xã) or ward whose culture office curates a part of the archive."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        help_text=_("Two to four capital letters printed on plaques, for example KM. No I or O."),
    )
    former_units = models.TextField(
        _("former administrative units"),
        blank=True,
        help_text=_("Communes and district this commune was formed from, one per line."),
    )
    formed_on = models.DateField(_("formed on"), null=True, blank=True, help_text=_("Date the merger took effect."))
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        MultiFieldPanel([FieldPanel("former_units"), FieldPanel("formed_on")], heading=_("Administrative history")),
        FieldPanel("description"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name

    def clean(self):
        self.code = (self.code or "").upper()
        if not COMMUNE_CODE.match(self.code):
            raise ValidationError({"code": _("Use two to four capital letters other than I and O.")})


class Village(index.Indexed, models.Model):
    """A village (thôn, làng) of a commune, with the name it had before any renaming."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="villages", verbose_name=_("commune"))
    name = models.CharField(_("name"), max_length=100)
    former_names = models.CharField(_("former names"), max_length=255, blank=True)

    panels = [FieldPanel("commune"), FieldPanel("name"), FieldPanel("former_names")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("commune")]

    class Meta:
        ordering = ["commune__name", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="unique_village_per_commune")]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self):
        return f"{self.name} ({self.commune})"


class PeriodKind(models.TextChoices):
    DYNASTY = "dynasty", _("Dynasty")
    PERIOD = "period", _("Period")


class Period(index.Indexed, models.Model):
    """A dynasty or historical period, used to filter entries and to draw the timeline."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices, default=PeriodKind.DYNASTY)
    start_year = models.IntegerField(_("start year"), help_text=_("Use a negative number for years BCE."))
    end_year = models.IntegerField(_("end year"), null=True, blank=True, help_text=_("Empty if it continues today."))

    panels = [FieldPanel("name"), FieldPanel("kind"), FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")])]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["start_year", "name"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self):
        return self.name

    def clean(self):
        if self.end_year is not None and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("A period cannot end before it starts.")})


class SourceKind(models.TextChoices):
    BOOK = "book", _("Book")
    ARTICLE = "article", _("Article")
    DOCUMENT = "document", _("Official document")
    ARCHIVE = "archive", _("Archive record")
    WEBSITE = "website", _("Web page")
    INTERVIEW = "interview", _("Interview or oral account")
    INSCRIPTION = "inscription", _("Inscription or royal decree")


class Source(index.Indexed, models.Model):
    """A bibliographic record that entries and their paragraphs cite."""

    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.BOOK)
    authors = models.CharField(
        _("authors"), max_length=255, blank=True, help_text=_("Separate several authors with semicolons.")
    )
    title = models.CharField(_("title"), max_length=500)
    container_title = models.CharField(
        _("published in"), max_length=255, blank=True, help_text=_("Journal, book or collection it appears in.")
    )
    publisher = models.CharField(_("publisher"), max_length=255, blank=True)
    place = models.CharField(_("place of publication"), max_length=100, blank=True)
    year = models.IntegerField(_("year"), null=True, blank=True)
    identifier = models.CharField(
        _("identifier"), max_length=100, blank=True, help_text=_("ISBN, DOI or archive call number.")
    )
    url = models.URLField(_("web address"), blank=True)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("authors"),
        FieldPanel("title"),
        FieldPanel("container_title"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("place"), FieldPanel("year")]),
        FieldPanel("identifier"),
        FieldRowPanel([FieldPanel("url"), FieldPanel("accessed_on")]),
        FieldPanel("note"),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("authors"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["authors", "year", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.short_reference

    @property
    def author_list(self):
        return [name.strip() for name in self.authors.split(";") if name.strip()]

    @property
    def short_reference(self):
        """Author and year, as a paragraph cites it: "Trần Văn Giáp (1990)"."""
        who = self.author_list[0] if self.author_list else self.title
        if len(self.author_list) > 1:
            who = _("%(who)s et al.") % {"who": who}
        return f"{who} ({self.year})" if self.year else str(who)

    @property
    def full_reference(self):
        """The whole record in the Vietnamese order: authors (year), title, container, place: publisher."""
        parts = []
        if self.authors:
            parts.append(", ".join(self.author_list) + (f" ({self.year})" if self.year else ""))
        elif self.year:
            parts.append(f"({self.year})")
        parts.append(self.title)
        if self.container_title:
            parts.append(self.container_title)
        imprint = ": ".join(part for part in (self.place, self.publisher) if part)
        if imprint:
            parts.append(imprint)
        if self.identifier:
            parts.append(self.identifier)
        return ". ".join(parts) + "."
