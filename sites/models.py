"""Ranked relics (di tích): their names, types, recognition decisions, history and visiting details."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from heritage.blocks import RICH_TEXT_FEATURES, InscriptionBlock
from heritage.dates import DateParseError, parse_years
from heritage.filters import EntryFilter, choice_options, common_filters
from heritage.models import GeoLocationMixin, HeritageIndexPage, HeritagePage

from .blocks import ArtefactBlock
from .choices import InventoryStatus, PhaseKind, RelicRank, RelicTypeCode


class RelicType(models.Model):
    """A relic type of the Law on Cultural Heritage; the rows come with the migrations."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=RelicTypeCode.choices)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("relic type")
        verbose_name_plural = _("relic types")

    def __str__(self):
        return str(self.get_code_display())


class RelicPage(GeoLocationMixin, HeritagePage):
    """A relic on the commune's inventory, ranked or not, with its recognition history and visiting details."""

    entry_type = "relic"

    official_name = models.CharField(
        _("official name"),
        max_length=255,
        blank=True,
        help_text=_("Exactly as written in the recognition decision. Empty if it is the title."),
    )
    relic_types = ParentalManyToManyField(RelicType, blank=True, related_name="relics", verbose_name=_("relic types"))
    type_wording = models.CharField(
        _("type as worded in the decision"),
        max_length=255,
        blank=True,
        help_text=_("For example 'Di tích lịch sử - văn hóa'."),
    )
    inventory_status = models.CharField(
        _("inventory status"), max_length=16, choices=InventoryStatus.choices, default=InventoryStatus.INVENTORIED
    )
    # Derived from the latest recognition decision on every save; stored so lists can filter on it.
    rank = models.CharField(_("rank"), max_length=32, choices=RelicRank.choices, blank=True, editable=False)
    managing_body = models.CharField(_("managing body"), max_length=255, blank=True)
    representative = models.CharField(
        _("representative"),
        max_length=255,
        blank=True,
        help_text=_("Person in charge on site, such as the keeper (thủ từ)."),
    )
    representative_phone = models.CharField(_("representative's phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True, help_text=_("Current administrative address."))
    former_address = models.CharField(
        _("address before the merger"),
        max_length=255,
        blank=True,
        help_text=_("The address under the old administrative units."),
    )
    address_changed_on = models.DateField(_("address changed on"), null=True, blank=True)
    significance = RichTextField(
        _("significance"), blank=True, features=RICH_TEXT_FEATURES, help_text=_("Why the relic is ranked: its values.")
    )
    artefacts = StreamField(
        [("artefact", ArtefactBlock()), ("inscription", InscriptionBlock())],
        blank=True,
        verbose_name=_("artefacts and inscriptions"),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    admission = models.CharField(_("admission"), max_length=255, blank=True, help_text=_("Fees, or 'Miễn phí'."))
    access = models.TextField(_("getting there"), blank=True)

    parent_page_types = ["sites.RelicIndexPage"]
    subpage_types = []

    content_panels = [
        *HeritagePage.intro_panels,
        MultiFieldPanel(
            [
                FieldPanel("official_name"),
                FieldPanel("relic_types"),
                FieldPanel("type_wording"),
                FieldPanel("inventory_status"),
            ],
            heading=_("Identity"),
        ),
        InlinePanel("recognition_decisions", heading=_("Recognition decisions"), label=_("Decision")),
        FieldPanel("significance"),
        FieldPanel("body"),
        InlinePanel("phases", heading=_("Construction and restoration"), label=_("Phase")),
        FieldPanel("artefacts"),
        *HeritagePage.names_panels,
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("former_address"), FieldPanel("address_changed_on")]),
                FieldPanel("managing_body"),
                FieldRowPanel([FieldPanel("representative"), FieldPanel("representative_phone")]),
            ],
            heading=_("Address and management"),
        ),
        *GeoLocationMixin.location_panels,
        MultiFieldPanel(
            [FieldPanel("opening_hours"), FieldPanel("admission"), FieldPanel("access")],
            heading=_("Visiting"),
        ),
        *HeritagePage.classification_panels,
        *HeritagePage.reference_panels,
    ]
    search_fields = HeritagePage.search_fields + [
        index.SearchField("official_name"),
        index.SearchField("significance"),
        index.SearchField("address"),
        index.SearchField("artefacts"),
        index.FilterField("rank"),
        index.FilterField("inventory_status"),
    ]

    class Meta:
        verbose_name = _("relic")
        verbose_name_plural = _("relics")

    @property
    def current_decision(self):
        """The latest recognition decision, which sets the current rank."""
        decisions = [decision for decision in self.recognition_decisions.all() if decision.level]
        if not decisions:
            return None
        # Latest by year, then by date; between undated decisions, the one listed last.
        return max(
            enumerate(decisions),
            key=lambda item: (
                item[1].decision_year or 0,
                item[1].decision_date.toordinal() if item[1].decision_date else 0,
                item[0],
            ),
        )[1]

    def update_rank(self):
        decision = self.current_decision
        if self.inventory_status == InventoryStatus.REVOKED:
            self.rank = ""
        elif decision:
            self.rank = decision.level
            self.inventory_status = InventoryStatus.RANKED
        else:
            self.rank = ""
            if self.inventory_status == InventoryStatus.RANKED:
                self.inventory_status = InventoryStatus.INVENTORIED

    def save(self, *args, **kwargs):
        self.update_rank()
        super().save(*args, **kwargs)

    def search_document(self):
        document = super().search_document()
        if self.official_name and self.official_name != self.title:
            document["names"].append(self.official_name)
        document["text"] += [self.address, self.former_address, *self.searchable_text("significance")]
        document["text"] += self.searchable_text("artefacts")
        document["facets"]["rank"] = [(self.rank, str(self.get_rank_display()))] if self.rank else []
        document["facets"]["relic_type"] = [(relic_type.code, str(relic_type)) for relic_type in self.relic_types.all()]
        document["location"] = self.location_for_search
        return document

    @classmethod
    def search_prefetch(cls):
        return [*super().search_prefetch(), "relic_types"]

    timeline_prefetch = ("phases", "recognition_decisions")

    def timeline_events(self):
        """The body's dated events, the construction and restoration phases, and each ranking."""
        events = super().timeline_events()
        for phase in self.phases.all():
            label = phase.get_kind_display()
            if phase.description:
                label = f"{label}: {phase.description}"
            kind = PHASE_EVENT_KINDS.get(phase.kind, "event")
            years = (phase.year_start, phase.year_end)
            events.append(self.timeline_event(label, kind, date_text=phase.date_text, years=years))
        for decision in self.recognition_decisions.all():
            year = decision.decision_date.year if decision.decision_date else decision.decision_year
            if year is None:
                continue
            label = _("Ranked: %(rank)s") % {"rank": decision.get_level_display()}
            if decision.decision_number:
                label = f"{label} ({decision.decision_number})"
            date_text = decision.decision_date.strftime("%d/%m/%Y") if decision.decision_date else str(year)
            events.append(self.timeline_event(label, "ranked", date_text=date_text, years=(year, year)))
        return [event for event in events if event]


# Phases as the timeline groups them: a rebuilt or extended relic shows as restored.
PHASE_EVENT_KINDS = {
    PhaseKind.BUILT: "built",
    PhaseKind.REBUILT: "restored",
    PhaseKind.RESTORED: "restored",
    PhaseKind.EXTENDED: "restored",
}


class RecognitionDecision(Orderable):
    """A decision that ranked (or re-ranked) the relic, as printed on the certificate."""

    page = ParentalKey(RelicPage, on_delete=models.CASCADE, related_name="recognition_decisions")
    level = models.CharField(_("level"), max_length=32, choices=RelicRank.choices)
    decision_number = models.CharField(
        _("decision number"), max_length=64, blank=True, help_text=_("As printed, for example 548/QĐ-TTg.")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_year = models.IntegerField(
        _("year"), null=True, blank=True, help_text=_("Filled from the date when it is known.")
    )
    issuing_body = models.CharField(_("issued by"), max_length=255, blank=True)
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    batch = models.CharField(
        _("batch"), max_length=100, blank=True, help_text=_("Ranking round, if the decision names one.")
    )
    certificate_date = models.DateField(_("certificate date"), null=True, blank=True)
    scan = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scanned decision"),
    )

    panels = [
        FieldRowPanel([FieldPanel("level"), FieldPanel("decision_number")]),
        FieldRowPanel([FieldPanel("decision_date"), FieldPanel("decision_year"), FieldPanel("certificate_date")]),
        FieldRowPanel([FieldPanel("issuing_body"), FieldPanel("signer")]),
        FieldPanel("batch"),
        FieldPanel("scan"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")

    def __str__(self):
        return f"{self.decision_number or self.get_level_display()} ({self.decision_year or '?'})"

    def clean(self):
        if self.decision_date:
            if self.decision_year and self.decision_year != self.decision_date.year:
                raise ValidationError({"decision_year": _("The year does not match the decision date.")})
            self.decision_year = self.decision_date.year
        if self.certificate_date and self.decision_date and self.certificate_date < self.decision_date:
            raise ValidationError({"certificate_date": _("The certificate cannot predate the decision.")})

    def save(self, *args, **kwargs):
        if self.decision_date:
            self.decision_year = self.decision_date.year
        super().save(*args, **kwargs)


class RelicPhase(Orderable):
    """A phase in the relic's life: when it was built, restored, moved or damaged."""

    page = ParentalKey(RelicPage, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=16, choices=PhaseKind.choices, default=PhaseKind.BUILT)
    date_text = models.CharField(
        _("date"), max_length=100, help_text=_("As the source writes it: '1288', 'khoảng 1230', 'thế kỷ XVII'.")
    )
    year_start = models.IntegerField(_("from year"), null=True, blank=True, editable=False)
    year_end = models.IntegerField(_("to year"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("date_text")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def clean(self):
        try:
            interval = parse_years(self.date_text)
        except DateParseError as error:
            raise ValidationError({"date_text": str(error)}) from error
        self.year_start, self.year_end = interval.start, interval.end

    def save(self, *args, **kwargs):
        try:
            interval = parse_years(self.date_text)
            self.year_start, self.year_end = interval.start, interval.end
        except DateParseError:
            self.year_start = self.year_end = None
        super().save(*args, **kwargs)


def relic_type_options(entries):
    return [(relic_type.code, str(relic_type)) for relic_type in RelicType.objects.all()]


class RelicIndexPage(HeritageIndexPage):
    """The list of a commune's relics, filtered by rank, type, village and period."""

    default_title = _("Relics")
    home_order = 10
    entry_model = "sites.RelicPage"
    subpage_types = ["sites.RelicPage"]

    class Meta:
        verbose_name = _("relic index")

    def get_filters(self):
        return [
            EntryFilter("rank", _("Rank"), "rank", choice_options(RelicRank.choices)),
            EntryFilter("type", _("Type"), "relic_types__code", relic_type_options, distinct=True),
            *common_filters(),
        ]
