"""Setting a page's fields from a checked entry, one function per kind of entry.

Only the fields an entry gives are set: a re-import that leaves a field out keeps what editors
wrote; a field given empty clears it. Related objects are looked up (or built unsaved) through
``Lookups``; the page models are reached by their labels, because ``heritage`` sits below the
content apps and does not import them.
"""

import re

from django.apps import apps
from django.utils.html import escape
from django.utils.translation import gettext as _

from ..models import EntryName, EntrySource, HeritagePageTag
from .schema import INVENTORIED, FieldError

STORY_PARAGRAPH = "paragraph"
STORY_GALLERY = "gallery"


def paragraphs(text):
    """Plain text as HTML paragraphs: a blank line starts a paragraph, a line break stays one."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    return ["<p>" + "<br/>".join(escape(line.strip()) for line in block.split("\n")) + "</p>" for block in blocks]


def year_text(year):
    """A year as sources write it: 1292, or "40 TCN" before the common era."""
    if year is None:
        return ""
    return f"{-year} TCN" if year < 0 else str(year)


def compose_body(page, change):
    """The body's blocks: paragraphs from ``body`` and a gallery from ``gallery``.

    A re-import that gives only one of the two keeps the other part of the body as it is.
    """
    existing = list(page.body.get_prep_value()) if page.body else []
    if change.body_text is None:
        story = [block for block in existing if block["type"] != STORY_GALLERY]
    else:
        story = [{"type": STORY_PARAGRAPH, "value": html} for html in paragraphs(change.body_text)]
    if change.gallery is None:
        gallery = [block for block in existing if block["type"] == STORY_GALLERY]
    elif change.gallery:
        images = [{"image": image.pk, "caption": ""} for image in change.gallery]
        gallery = [{"type": STORY_GALLERY, "value": {"title": "", "images": images}}]
    else:
        gallery = []
    return story + gallery


class Applier:
    """Sets one page's fields from one entry; errors are collected on the change, per field."""

    def __init__(self, change, lookups):
        self.change = change
        self.entry = change.entry
        self.page = change.page
        self.lookups = lookups

    def has(self, name):
        return name in self.entry

    def value(self, name):
        return self.entry.get(name)

    def copy(self, *names, attribute=None):
        for name in names:
            if self.has(name):
                setattr(self.page, attribute or name, self.value(name))

    def guarded(self, name, function):
        if not self.has(name):
            return
        try:
            function(self.value(name))
        except FieldError as error:
            message = str(error)
            self.change.errors.append(message if message.startswith(name) else f"{name}: {message}")

    def apply(self):
        self.apply_common()
        getattr(self, f"apply_{self.entry.type}")()

    # Every kind ---------------------------------------------------------------------------

    def apply_common(self):
        page, lookups = self.page, self.lookups
        self.copy("title", "english_title", "summary", "last_reviewed")
        self.copy("sample", attribute="is_sample")
        if self.has("body"):
            self.change.body_text = self.value("body")
        self.guarded("other_names", self.set_names)
        self.guarded("tags", self.set_tags)
        self.guarded(
            "period",
            lambda item: setattr(page, "period", lookups.period(item, self.change.warnings.append) if item else None),
        )
        self.guarded(
            "village",
            lambda name: setattr(page, "village", lookups.village(self.change.commune, name) if name else None),
        )
        if self.change.moves and page.village_id and not self.has("village"):
            self.leave_old_village()
        self.guarded("sources", self.set_sources)
        self.guarded("image", lambda item: setattr(page, "image", self.image(item) if item else None))
        self.guarded(
            "gallery", lambda items: setattr(self.change, "gallery", [self.image(item, "gallery") for item in items])
        )

    def leave_old_village(self):
        """A page moved to another commune cannot stay in a village of the old one."""
        commune = self.change.commune
        if commune is None or self.page.village.commune_id != commune.pk:
            self.change.warnings.append(
                _("village: %(village)s is in another commune; the entry no longer has a village.")
                % {"village": self.page.village.name}
            )
            self.page.village = None

    def image(self, item, field="image"):
        return self.lookups.image(item, commune=self.change.commune, default_title=self.page.title, field=field)

    def set_tags(self, names):
        # Through the tagged items rather than ``tags.set()``, which would save new tags right away.
        tags = [self.lookups.tag(name) for name in dict.fromkeys(names)]
        self.page.tagged_items = [HeritagePageTag(tag=tag) for tag in tags]

    def set_names(self, items):
        self.page.other_names = [EntryName(name=item.name, kind=item.kind, origin=item.origin) for item in items]

    def set_sources(self, items):
        self.page.source_links = [
            EntrySource(source=self.lookups.source(item), locator=item.locator, note=item.citation_note)
            for item in items
        ]

    def set_coordinates(self):
        self.copy("lat", attribute="latitude")
        self.copy("lon", attribute="longitude")

    # Relics -------------------------------------------------------------------------------

    def apply_relic(self):
        page = self.page
        self.copy("official_name", "type_wording", "address", "former_address", "address_changed_on", "managing_body")
        self.copy("representative", "representative_phone", "opening_hours", "admission", "access")
        self.set_coordinates()
        if self.has("significance"):
            page.significance = "".join(paragraphs(self.value("significance")))
        if self.has("inventory_status"):
            page.inventory_status = self.value("inventory_status") or INVENTORIED
        self.guarded(
            "category", lambda codes: setattr(page, "relic_types", [self.lookups.relic_type(code) for code in codes])
        )
        self.guarded("phases", self.set_phases)
        if self.has("decisions"):
            self.set_decisions()
        elif any(self.has(name) for name in ("ranking", "recognition_decision", "recognition_year")):
            self.set_ranking()

    def set_phases(self, items):
        RelicPhase = apps.get_model("sites.RelicPhase")
        self.page.phases = [
            RelicPhase(kind=item.kind, date_text=item.date, description=item.description) for item in items
        ]

    def set_decisions(self):
        RecognitionDecision = apps.get_model("sites.RecognitionDecision")
        self.page.recognition_decisions = [
            RecognitionDecision(
                level=item.level,
                decision_number=item.number,
                decision_date=item.date,
                decision_year=item.year,
                issuing_body=item.issuing_body,
                signer=item.signer,
                batch=item.batch,
                certificate_date=item.certificate_date,
            )
            for item in self.value("decisions")
        ]

    def set_ranking(self):
        """The simple form, one current decision: kept if the relic's latest decision already says it."""
        page = self.page
        current = page.current_decision
        ranking = self.value("ranking") or (current.level if current else None)
        number, year = self.value("recognition_decision"), self.value("recognition_year")
        if ranking is None:
            self.change.errors.append(_("ranking: give the ranking that the recognition decision gave."))
            return
        if ranking == INVENTORIED:
            if number or year:
                self.change.warnings.append(
                    _("recognition_decision and recognition_year are ignored for an inventoried relic.")
                )
            page.recognition_decisions = []
            if not self.has("inventory_status"):
                page.inventory_status = INVENTORIED
            return
        if (
            current is not None
            and current.level == ranking
            and (not self.has("recognition_decision") or current.decision_number == (number or ""))
            and (not self.has("recognition_year") or current.decision_year == year)
        ):
            return
        RecognitionDecision = apps.get_model("sites.RecognitionDecision")
        page.recognition_decisions = [
            RecognitionDecision(level=ranking, decision_number=number or "", decision_year=year)
        ]

    # Festivals ----------------------------------------------------------------------------

    def apply_festival(self):
        page = self.page
        self.copy("location", "interval_years", "cycle_start_year", "scale")
        if self.has("frequency"):
            page.frequency = self.value("frequency") or "annual"
        if self.has("calendar"):
            page.calendar = self.value("calendar") or "lunar"
        elif self.value("solar_start") and not self.value("lunar_start"):
            page.calendar = "solar"
        calendar = page.calendar
        other = "solar" if calendar == "lunar" else "lunar"
        for part in ("start", "end"):
            expected, given = f"{calendar}_{part}", f"{other}_{part}"
            names = {"field": given, "calendar": calendar, "expected": expected}
            if self.value(given) and self.has(expected):
                self.change.errors.append(
                    _("%(field)s: this festival follows the %(calendar)s calendar; give only %(expected)s.") % names
                )
            elif self.value(given):
                # The date was put in the other calendar's field; the calendar field says which it is.
                self.change.warnings.append(
                    _("%(field)s is read as %(expected)s, as the festival follows the %(calendar)s calendar.") % names
                )
                self.set_day(page, part, self.value(given))
            elif self.has(expected):
                self.set_day(page, part, self.value(expected))
        self.guarded("listing", self.set_listing)
        self.guarded("stages", self.set_stages)
        self.guarded("changed_years", self.set_changed_years)
        if self.has("programme"):
            page.programme = [
                {
                    "type": "item",
                    "value": {"day": item.day, "time": item.time, "title": item.title, "description": item.description},
                }
                for item in self.value("programme")
            ]

    @staticmethod
    def set_day(target, part, day):
        setattr(target, f"{part}_month", day.month if day else None)
        setattr(target, f"{part}_day", day.day if day else None)
        setattr(target, f"{part}_leap", day.leap if day else False)

    def set_listing(self, item):
        self.page.listing = item.level if item else ""
        self.page.listing_decision_number = item.decision_number if item else ""
        self.page.listing_date = item.date if item else None

    def set_stages(self, items):
        FestivalStage = apps.get_model("festivals.FestivalStage")
        stages = []
        for item in items:
            stage = FestivalStage(name=item.name, description=item.description)
            if item.kind:
                stage.kind = item.kind
            self.set_day(stage, "start", item.start)
            self.set_day(stage, "end", item.end)
            stages.append(stage)
        self.page.stages = stages

    def set_changed_years(self, items):
        FestivalOccurrenceOverride = apps.get_model("festivals.FestivalOccurrenceOverride")
        self.page.occurrence_overrides = [
            FestivalOccurrenceOverride(
                year=item.year, cancelled=item.cancelled, start_date=item.start, end_date=item.end, reason=item.reason
            )
            for item in items
        ]

    # Historical figures -------------------------------------------------------------------

    def apply_person(self):
        page = self.page
        self.copy("birthplace")
        for part in ("birth", "death"):
            if self.has(part):
                setattr(page, f"{part}_text", self.value(part))
            elif self.has(f"{part}_year"):
                setattr(page, f"{part}_text", year_text(self.value(f"{part}_year")))
        if self.has("roles"):
            page.roles = "; ".join(self.value("roles"))

    # Products -----------------------------------------------------------------------------

    def apply_product(self):
        page = self.page
        if self.has("product_kind"):
            page.product_kind = self.value("product_kind") or "craft"
        self.copy("ocop_stars")
        self.set_coordinates()
        if self.has("maker"):
            maker = self.value("maker")
            for key in ("name", "phone", "address", "website"):
                setattr(page, f"maker_{key}", getattr(maker, key) if maker else "")
