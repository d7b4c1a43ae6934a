"""Traditional festivals (lễ hội): when they are held, where, whom they honour and their programme."""

import calendar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from heritage.filters import EntryFilter, choice_options, common_filters
from heritage.models import HeritageIndexPage, HeritagePage

from .blocks import ProgrammeItemBlock
from .choices import CalendarKind, FestivalScale, Frequency, IntangibleListing, StageKind
from .occurrences import next_occurrences

NEXT_OCCURRENCES_SHOWN = 3

MONTH_CHOICES = [(month, str(month)) for month in range(1, 13)]


class DateRuleMixin(models.Model):
    """A yearly date rule: start and end month and day, on the lunar or the solar calendar."""

    start_month = models.PositiveSmallIntegerField(_("start month"), choices=MONTH_CHOICES)
    start_day = models.PositiveSmallIntegerField(_("start day"))
    start_leap = models.BooleanField(
        _("leap month"), default=False, help_text=_("Lunar calendar only: the leap (nhuận) month.")
    )
    end_month = models.PositiveSmallIntegerField(_("end month"), choices=MONTH_CHOICES, null=True, blank=True)
    end_day = models.PositiveSmallIntegerField(_("end day"), null=True, blank=True)
    end_leap = models.BooleanField(_("end in leap month"), default=False)

    class Meta:
        abstract = True

    def get_calendar(self):
        return self.calendar

    def clean_date_rule(self):
        errors = {}
        lunar = self.get_calendar() == CalendarKind.LUNAR
        for prefix in ("start", "end"):
            month, day = getattr(self, f"{prefix}_month"), getattr(self, f"{prefix}_day")
            if (month is None) != (day is None):
                errors[f"{prefix}_day"] = _("Give both the month and the day.")
                continue
            if month is None:
                continue
            # Lunar months have 29 or 30 days; solar ones are checked on a leap year so 29/2 is allowed.
            last_day = 30 if lunar else calendar.monthrange(2024, month)[1]
            if not 1 <= day <= last_day:
                errors[f"{prefix}_day"] = _("This month has no day %(day)s.") % {"day": day}
            if getattr(self, f"{prefix}_leap") and not lunar:
                errors[f"{prefix}_leap"] = _("Only lunar months can be leap months.")
        # An end in an earlier month crosses the new year (30/12 – 2/1); within one month it is a typo.
        same_month = (self.end_month, self.end_leap) == (self.start_month, self.start_leap)
        if not errors and same_month and self.end_day is not None and self.end_day < self.start_day:
            errors["end_day"] = _("The festival cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    def date_rule_display(self):
        """The rule as people say it: "ngày 10 tháng 8 âm lịch" or "10/8 – 12/8 (âm lịch)"."""
        start = f"{self.start_day}/{self.start_month}{' ' + str(_('leap')) if self.start_leap else ''}"
        if self.end_month is not None and (self.end_month, self.end_day) != (self.start_month, self.start_day):
            end = f"{self.end_day}/{self.end_month}{' ' + str(_('leap')) if self.end_leap else ''}"
            start = f"{start} – {end}"
        return f"{start} ({CalendarKind(self.get_calendar()).label})"


class FestivalPage(DateRuleMixin, HeritagePage):  # noqa: DJ008 - Page provides __str__
    """A traditional festival: its date rule, how often it is held, where and in whose honour."""

    entry_type = "festival"

    calendar = models.CharField(_("calendar"), max_length=8, choices=CalendarKind.choices, default=CalendarKind.LUNAR)
    frequency = models.CharField(_("how often"), max_length=16, choices=Frequency.choices, default=Frequency.ANNUAL)
    interval_years = models.PositiveSmallIntegerField(
        _("every how many years"), null=True, blank=True, help_text=_("Only for festivals held every few years.")
    )
    cycle_start_year = models.PositiveSmallIntegerField(
        _("a year it was held"),
        null=True,
        blank=True,
        help_text=_("For festivals held every few years: one year it was held, to count the cycle from."),
    )
    scale = models.CharField(_("scale"), max_length=16, choices=FestivalScale.choices, blank=True)
    location = models.CharField(
        _("where it is held"),
        max_length=255,
        blank=True,
        help_text=_("In words; link the relics under Related entries."),
    )
    listing = models.CharField(
        _("intangible heritage listing"), max_length=16, choices=IntangibleListing.choices, blank=True
    )
    listing_decision_number = models.CharField(_("listing decision number"), max_length=64, blank=True)
    listing_date = models.DateField(_("listing date"), null=True, blank=True)
    programme = StreamField([("item", ProgrammeItemBlock())], blank=True, verbose_name=_("programme"))

    parent_page_types = ["festivals.FestivalIndexPage"]
    subpage_types = []

    content_panels = [
        *HeritagePage.intro_panels,
        MultiFieldPanel(
            [
                FieldPanel("calendar"),
                FieldRowPanel([FieldPanel("start_month"), FieldPanel("start_day"), FieldPanel("start_leap")]),
                FieldRowPanel([FieldPanel("end_month"), FieldPanel("end_day"), FieldPanel("end_leap")]),
                FieldRowPanel([FieldPanel("frequency"), FieldPanel("interval_years"), FieldPanel("cycle_start_year")]),
            ],
            heading=_("When"),
        ),
        InlinePanel(
            "occurrence_overrides",
            heading=_("Dates changed for one year"),
            label=_("Changed year"),
            help_text=_("When a festival is moved or not held one year (a storm, an epidemic), give the actual dates."),
        ),
        FieldRowPanel([FieldPanel("location"), FieldPanel("scale")]),
        InlinePanel("stages", heading=_("Stages"), label=_("Stage")),
        FieldPanel("programme"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("listing"), FieldRowPanel([FieldPanel("listing_decision_number"), FieldPanel("listing_date")])],
            heading=_("Intangible heritage listing"),
        ),
        *HeritagePage.names_panels,
        *HeritagePage.classification_panels,
        *HeritagePage.reference_panels,
    ]
    search_fields = HeritagePage.search_fields + [
        index.SearchField("location"),
        index.SearchField("programme"),
        index.FilterField("calendar"),
        index.FilterField("start_month"),
    ]

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")

    @classmethod
    def search_prefetch(cls):
        return [*super().search_prefetch(), "stages"]

    def search_document(self):
        document = super().search_document()
        document["text"] += [self.location, *self.searchable_text("programme")]
        document["text"] += [f"{stage.name} {stage.description}" for stage in self.stages.all()]
        return document

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["next_occurrences"] = next_occurrences(self, timezone.localdate(), NEXT_OCCURRENCES_SHOWN)
        return context

    def clean(self):
        super().clean()
        self.clean_date_rule()
        if self.frequency == Frequency.EVERY_N_YEARS and not self.interval_years:
            raise ValidationError({"interval_years": _("Say every how many years the festival is held.")})
        if self.listing and not (self.listing_decision_number or self.listing_date):
            raise ValidationError(
                {"listing_decision_number": _("Give the number or the date of the listing decision.")}
            )

    def timeline_events(self):
        """The body's dated events and the intangible heritage listing, when its date is known."""
        events = super().timeline_events()
        if self.listing and self.listing_date:
            label = _("Listed: %(listing)s") % {"listing": self.get_listing_display()}
            if self.listing_decision_number:
                label = f"{label} ({self.listing_decision_number})"
            year = self.listing_date.year
            date_text = self.listing_date.strftime("%d/%m/%Y")
            events.append(self.timeline_event(label, "listed", date_text=date_text, years=(year, year)))
        return [event for event in events if event]


class FestivalStage(DateRuleMixin, Orderable):
    """A stage of the festival, such as the procession or the games, with its own dates."""

    page = ParentalKey(FestivalPage, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("kind"), max_length=16, choices=StageKind.choices, default=StageKind.RITES)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("start_month"), FieldPanel("start_day"), FieldPanel("start_leap")]),
        FieldRowPanel([FieldPanel("end_month"), FieldPanel("end_day"), FieldPanel("end_leap")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.name

    def get_calendar(self):
        try:
            return self.page.calendar
        except FestivalPage.DoesNotExist:
            return CalendarKind.LUNAR

    def clean(self):
        self.clean_date_rule()


class FestivalOccurrenceOverride(Orderable):
    """The actual dates of one year's festival when they differ from the rule, or that it was not held."""

    page = ParentalKey(FestivalPage, on_delete=models.CASCADE, related_name="occurrence_overrides")
    year = models.PositiveSmallIntegerField(
        _("year"),
        help_text=_(
            "The year of the festival that changed: the lunar year for a lunar festival (the year of its Tết)."
        ),
    )
    cancelled = models.BooleanField(_("not held that year"), default=False)
    start_date = models.DateField(_("actual first day"), null=True, blank=True)
    end_date = models.DateField(_("actual last day"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True, help_text=_("For example: 'Hoãn vì bão số 3'."))

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("cancelled")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("changed year")
        verbose_name_plural = _("changed years")
        constraints = [
            models.UniqueConstraint(fields=["page", "year"], name="festivals_one_override_per_year"),
        ]

    def __str__(self):
        return str(self.year)

    def clean(self):
        errors = {}
        if not 1900 <= (self.year or 0) <= 2099:
            errors["year"] = _("Give a year between 1900 and 2099.")
        if not self.cancelled and not self.start_date:
            errors["start_date"] = _("Give the actual first day, or tick 'not held that year'.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The festival cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


def month_options(entries):
    return [(str(month), _("Month %(month)s") % {"month": month}) for month in range(1, 13)]


class FestivalIndexPage(HeritageIndexPage):
    """The list of a commune's festivals, filtered by month, village and period."""

    default_title = _("Festivals")
    home_order = 20
    entry_model = "festivals.FestivalPage"
    subpage_types = ["festivals.FestivalPage"]

    class Meta:
        verbose_name = _("festival index")

    def get_filters(self):
        return [
            EntryFilter("calendar", _("Calendar"), "calendar", choice_options(CalendarKind.choices)),
            EntryFilter("month", _("Month"), "start_month", month_options),
            *common_filters(),
        ]
