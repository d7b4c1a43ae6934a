"""Exporting heritage entries in the interchange format: JSON Lines with a header line, or CSV.

What is written reads back with ``import_heritage`` into the same entries. The body is written as
plain text (its paragraphs and headings) plus its galleries; the other block types of the body
(quotations, inscriptions, timelines, audio, video) and a relic's artefacts are not part of
format version 1 and are left out.
"""

import csv
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from ..models import HeritagePage, HomePage
from .appliers import STORY_GALLERY
from .importer import default_relation
from .lookups import Lookups
from .schema import FIELDS, FORMAT_NAME, FORMAT_VERSION, INVENTORIED, DayDate, FieldError, fields_for

TEXT_BLOCKS = ("paragraph", "heading")


class ExportError(Exception):
    """The export cannot start, for example because the commune is unknown."""


@dataclass
class ExportResult:
    count: int = 0
    skipped_links: list = field(default_factory=list)  # (id, target id): target not exported
    files: int = 0


def export_entries(stream, *, format="jsonl", commune=None, files_dir=None, include_drafts=False):
    """Write every entry (or one commune's) to ``stream``; return an ``ExportResult``.

    Image files are referred to by their path in the media storage, or, with ``files_dir``,
    copied there and referred to relative to it (pass the same folder to ``--files-dir`` when
    importing).
    """
    if format not in ("jsonl", "csv"):
        raise ExportError(_("Unknown export format %(format)r; use jsonl or csv.") % {"format": format})
    pages = HeritagePage.objects.order_by("path")
    if not include_drafts:
        pages = pages.live()
    if commune:
        try:
            found = Lookups(".").commune(commune)
        except FieldError as error:
            raise ExportError(str(error)) from None
        home = HomePage.objects.filter(commune=found).first()
        pages = pages.descendant_of(home) if home else pages.none()
    pages = list(pages.specific())
    writer = EntryWriter({page.source_id for page in pages}, files_dir)
    records = [writer.record(page) for page in pages]
    if format == "jsonl":
        stream.write(json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION}) + "\n")
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_csv(stream, records)
    return ExportResult(count=len(records), skipped_links=writer.skipped_links, files=writer.files)


class EntryWriter:
    """Turns pages into records; links to entries left out of the export are noted, not written."""

    def __init__(self, exported_ids, files_dir=None):
        self.exported_ids = exported_ids
        self.files_dir = Path(files_dir) if files_dir else None
        self.skipped_links = []
        self.files = 0
        self.homes = [(home.path, home.commune.name) for home in HomePage.objects.select_related("commune")]

    def record(self, page):
        values = {"id": page.source_id, "type": page.entry_type, "commune": self.commune_name(page)}
        values.update(self.common(page))
        values.update(getattr(self, page.entry_type)(page))
        return {name: values[name] for name in fields_for(page.entry_type) if not _is_blank(values.get(name))}

    def commune_name(self, page):
        for path, name in self.homes:
            if page.path.startswith(path):
                return name
        return None

    def common(self, page):
        blocks = list(page.body) if page.body else []
        text = "\n\n".join(html_to_text(_block_text(block)) for block in blocks if block.block_type in TEXT_BLOCKS)
        gallery = [
            self.image(item["image"])
            for block in blocks
            if block.block_type == STORY_GALLERY
            for item in block.value["images"]
            if item["image"] is not None
        ]
        return {
            "title": page.title,
            "english_title": page.english_title,
            "summary": page.summary,
            "body": text,
            "other_names": [self.name(name) for name in page.other_names.all()],
            "tags": [item.tag.name for item in page.tagged_items.select_related("tag").order_by("pk")],
            "period": self.period(page.period) if page.period_id else None,
            "village": page.village.name if page.village_id else None,
            "sources": [self.source(link) for link in page.source_links.select_related("source")],
            "image": self.image(page.image) if page.image_id else None,
            "gallery": gallery,
            "related": self.related(page),
            "last_reviewed": _iso(page.last_reviewed),
            "sample": page.is_sample,
        }

    @staticmethod
    def name(name):
        if name.kind == "other" and not name.origin:
            return name.name
        return _compact({"name": name.name, "kind": name.kind, "origin": name.origin})

    @staticmethod
    def period(period):
        return _compact(
            {"name": period.name, "start_year": period.start_year, "end_year": period.end_year, "kind": period.kind}
        )

    @staticmethod
    def source(link):
        source = link.source
        return _compact(
            {
                "kind": source.kind,
                "authors": source.authors,
                "title": source.title,
                "container_title": source.container_title,
                "publisher": source.publisher,
                "place": source.place,
                "year": source.year,
                "identifier": source.identifier,
                "url": source.url,
                "accessed_on": _iso(source.accessed_on),
                "note": source.note,
                "locator": link.locator,
                "citation_note": link.note,
            }
        )

    def image(self, image):
        name = image.file.name
        if self.files_dir is not None:
            target = self.files_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with image.open_file() as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy)
            self.files += 1
        return _compact(
            {
                "file": name,
                "title": image.title,
                "caption": image.caption,
                "credit": image.credit,
                "licence": image.licence,
                "date_taken": _iso(image.date_taken),
            }
        )

    def related(self, page):
        items = []
        for link in page.links_out.select_related("target").order_by("sort_order", "pk"):
            target = link.target
            if target.source_id not in self.exported_ids:
                self.skipped_links.append((page.source_id, target.source_id))
                continue
            target_type = target.specific_class.entry_type if target.specific_class else ""
            if link.relation == default_relation(page.entry_type, target_type):
                items.append(target.source_id)
            else:
                items.append({"id": target.source_id, "relation": link.relation})
        return items

    # One method per kind of entry, named after its type -----------------------------------

    def relic(self, page):
        current = page.current_decision
        return {
            "official_name": page.official_name,
            "ranking": page.rank or (INVENTORIED if page.inventory_status == INVENTORIED else None),
            "recognition_decision": current.decision_number if current else None,
            "recognition_year": current.decision_year if current else None,
            "decisions": [
                _compact(
                    {
                        "level": decision.level,
                        "number": decision.decision_number,
                        "date": _iso(decision.decision_date),
                        "year": decision.decision_year,
                        "issuing_body": decision.issuing_body,
                        "signer": decision.signer,
                        "batch": decision.batch,
                        "certificate_date": _iso(decision.certificate_date),
                    }
                )
                for decision in page.recognition_decisions.all()
            ],
            "category": [relic_type.code for relic_type in page.relic_types.all()],
            "type_wording": page.type_wording,
            "inventory_status": page.inventory_status,
            "significance": html_to_text(page.significance),
            "phases": [
                _compact({"kind": phase.kind, "date": phase.date_text, "description": phase.description})
                for phase in page.phases.all()
            ],
            "address": page.address,
            "former_address": page.former_address,
            "address_changed_on": _iso(page.address_changed_on),
            "managing_body": page.managing_body,
            "representative": page.representative,
            "representative_phone": page.representative_phone,
            "opening_hours": page.opening_hours,
            "admission": page.admission,
            "access": page.access,
            **_coordinates(page),
        }

    def festival(self, page):
        return {
            "calendar": page.calendar,
            f"{page.calendar}_start": _day(page.start_month, page.start_day, page.start_leap),
            f"{page.calendar}_end": _day(page.end_month, page.end_day, page.end_leap),
            "frequency": page.frequency,
            "interval_years": page.interval_years,
            "cycle_start_year": page.cycle_start_year,
            "changed_years": [
                _compact(
                    {
                        "year": changed.year,
                        "cancelled": changed.cancelled,
                        "start": _iso(changed.start_date),
                        "end": _iso(changed.end_date),
                        "reason": changed.reason,
                    }
                )
                for changed in page.occurrence_overrides.all()
            ],
            "scale": page.scale,
            "location": page.location,
            "stages": [
                _compact(
                    {
                        "kind": stage.kind,
                        "name": stage.name,
                        "start": _day(stage.start_month, stage.start_day, stage.start_leap),
                        "end": _day(stage.end_month, stage.end_day, stage.end_leap),
                        "description": stage.description,
                    }
                )
                for stage in page.stages.all()
            ],
            "programme": [_compact(dict(item.value)) for item in page.programme],
            "listing": _compact(
                {
                    "level": page.listing,
                    "decision_number": page.listing_decision_number,
                    "date": _iso(page.listing_date),
                }
            )
            if page.listing
            else None,
        }

    def person(self, page):
        return {
            "birth": page.birth_text,
            "death": page.death_text,
            "birth_year": _exact_year(page.birth_year_start, page.birth_year_end),
            "death_year": _exact_year(page.death_year_start, page.death_year_end),
            "birthplace": page.birthplace,
            "roles": page.role_list,
        }

    def product(self, page):
        return {
            "product_kind": page.product_kind,
            "ocop_stars": page.ocop_stars,
            "maker": _compact(
                {
                    "name": page.maker_name,
                    "phone": page.maker_phone,
                    "address": page.maker_address,
                    "website": page.maker_website,
                }
            ),
            **_coordinates(page),
        }


def html_to_text(value):
    """Rich text as the plain text the format carries: paragraphs apart, line breaks kept."""
    text = re.sub(r"<br\s*/?>", "\n", value or "")
    text = re.sub(r"</(p|h[1-6]|li|blockquote)>", "\n\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return "\n\n".join(block.strip() for block in re.split(r"\n\s*\n", text) if block.strip())


def write_csv(stream, records):
    """One row per entry; nested objects in dotted columns, lists joined by ";" or as JSON."""
    columns = []
    for name, spec in FIELDS.items():
        if name == "version":
            continue
        if spec.keys:
            columns.extend(f"{name}.{key}" for key in spec.keys)
        else:
            columns.append(name)
    rows = [flatten(record) for record in records]
    used = {column for row in rows for column in row}
    columns = [
        column for column in columns if column in used or column in ("id", "type", "commune", "title", "summary")
    ]
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def flatten(record):
    row = {}
    for name, value in record.items():
        spec = FIELDS[name]
        if spec.keys and isinstance(value, dict):
            row.update({f"{name}.{key}": _cell(item) for key, item in value.items()})
        elif name.endswith(("_start", "_end")) and isinstance(value, dict):
            row[name] = DayDate(**value).as_text()
        else:
            row[name] = _cell(value)
    return row


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(item, str) and ";" not in item for item in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def _block_text(block):
    value = block.value
    return str(value.source) if hasattr(value, "source") else f"<p>{html.escape(str(value))}</p>"


def _coordinates(page):
    if not page.has_location:
        return {}
    return {"lat": float(page.latitude), "lon": float(page.longitude)}


def _day(month, day, leap):
    if month is None or day is None:
        return None
    return {"month": month, "day": day, "leap": leap}


def _exact_year(start, end):
    return start if start is not None and start == end else None


def _iso(value):
    return value.isoformat() if value else None


def _is_blank(value):
    return value is None or value == "" or value == [] or value == {} or value is False


def _compact(values):
    return {key: value for key, value in values.items() if not _is_blank(value)}
