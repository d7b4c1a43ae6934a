"""Historical figures (nhân vật lịch sử): names and titles, uncertain life dates, roles and biography."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from heritage.dates import DateParseError, parse_years
from heritage.models import HeritageIndexPage, HeritagePage
from heritage.timeline.events import EVENT_KINDS


class PersonPage(HeritagePage):
    """A historical figure of the commune or worshipped in it, with dates as the sources give them."""

    entry_type = "person"

    birth_text = models.CharField(
        _("born"),
        max_length=100,
        blank=True,
        help_text=_("As the sources write it: '1292', 'khoảng 1230', 'thế kỷ XIII', '40 TCN'."),
    )
    birth_year_start = models.IntegerField(_("born at the earliest"), null=True, blank=True, editable=False)
    birth_year_end = models.IntegerField(_("born at the latest"), null=True, blank=True, editable=False)
    death_text = models.CharField(_("died"), max_length=100, blank=True, help_text=_("As the sources write it."))
    death_year_start = models.IntegerField(_("died at the earliest"), null=True, blank=True, editable=False)
    death_year_end = models.IntegerField(_("died at the latest"), null=True, blank=True, editable=False)
    birthplace = models.CharField(_("place of birth"), max_length=255, blank=True)
    roles = models.CharField(
        _("roles"), max_length=255, blank=True, help_text=_("What they are remembered as, separated by semicolons.")
    )

    parent_page_types = ["people.PersonIndexPage"]
    subpage_types = []

    content_panels = [
        *HeritagePage.intro_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("birth_text"), FieldPanel("death_text")]),
                FieldPanel("birthplace"),
                FieldPanel("roles"),
            ],
            heading=_("Life"),
        ),
        *HeritagePage.names_panels,
        FieldPanel("body", heading=_("Biography")),
        *HeritagePage.classification_panels,
        *HeritagePage.reference_panels,
    ]
    search_fields = HeritagePage.search_fields + [
        index.SearchField("roles"),
        index.SearchField("birthplace"),
        index.FilterField("birth_year_start"),
    ]

    class Meta:
        verbose_name = _("historical figure")
        verbose_name_plural = _("historical figures")

    @property
    def role_list(self):
        return [role.strip() for role in self.roles.split(";") if role.strip()]

    @property
    def life_display(self):
        if not (self.birth_text or self.death_text):
            return ""
        return f"{self.birth_text or '?'} – {self.death_text or '?'}"

    def search_document(self):
        document = super().search_document()
        document["text"] += [self.birthplace, *self.role_list]
        return document

    def timeline_events(self):
        """Birth and death as the sources word them; with neither, the period the person lived in."""
        events = super().timeline_events()
        for prefix, kind in (("birth", "born"), ("death", "died")):
            label = EVENT_KINDS[kind]
            text = getattr(self, f"{prefix}_text")
            years = (getattr(self, f"{prefix}_year_start"), getattr(self, f"{prefix}_year_end"))
            if text:
                events.append(self.timeline_event(label, kind, date_text=text, years=years))
        if not (self.birth_text or self.death_text) and self.period_id:
            period = self.period
            end = period.end_year if period.end_year is not None else period.start_year
            label = _("Active in the %(period)s period") % {"period": period.name}
            event = self.timeline_event(label, "active", years=(period.start_year, end))
            if event:
                event.approximate = True
                events.append(event)
        return [event for event in events if event]

    def clean(self):
        super().clean()
        errors = {}
        for prefix in ("birth", "death"):
            try:
                self._set_interval(prefix)
            except DateParseError as error:
                errors[f"{prefix}_text"] = str(error)
        if errors:
            raise ValidationError(errors)
        if (
            self.birth_year_start is not None
            and self.death_year_end is not None
            and self.death_year_end < self.birth_year_start
        ):
            raise ValidationError({"death_text": _("The death date is before the birth date.")})

    def _set_interval(self, prefix):
        text = getattr(self, f"{prefix}_text").strip()
        interval = parse_years(text) if text else None
        setattr(self, f"{prefix}_year_start", interval.start if interval else None)
        setattr(self, f"{prefix}_year_end", interval.end if interval else None)

    def save(self, *args, **kwargs):
        for prefix in ("birth", "death"):
            try:
                self._set_interval(prefix)
            except DateParseError:
                setattr(self, f"{prefix}_year_start", None)
                setattr(self, f"{prefix}_year_end", None)
        super().save(*args, **kwargs)


class PersonIndexPage(HeritageIndexPage):
    """The list of historical figures of a commune, filtered by period and village."""

    default_title = _("Historical figures")
    home_order = 30
    entry_model = "people.PersonPage"
    subpage_types = ["people.PersonPage"]

    class Meta:
        verbose_name = _("historical figure index")
