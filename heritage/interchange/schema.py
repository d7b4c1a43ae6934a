"""The interchange format, version 1: which fields an entry has and how their values are read.

One record is a flat mapping of field names to values, whatever the file it came from: a line of
JSON Lines, a row of a CSV file or of a spreadsheet. ``parse_record`` checks one record and turns
its values into Python values (text in NFC, numbers, dates, small dataclasses for the nested
objects); it does not touch the database beyond reading the models' choices. Problems are
collected with the record's line or row number, never raised one at a time, so that a file's
every mistake is reported at once.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from django.apps import apps
from django.utils.translation import gettext as _

from ..text import fold_diacritics, normalize_text

FORMAT_NAME = "heritage-archive"
FORMAT_VERSION = 1
ENTRY_TYPES = ("relic", "festival", "person", "product")
ALL_TYPES = frozenset(ENTRY_TYPES)
INVENTORIED = "inventoried"
COORDINATE_STEP = Decimal("0.000001")


@dataclass(frozen=True)
class Problem:
    """Something wrong with one record (or the whole file, when ``number`` is ``None``)."""

    number: int | None
    message: str
    unit: str = "line"
    is_error: bool = True

    def __str__(self):
        if self.number is None:
            return self.message
        return f"{self.unit.capitalize()} {self.number}: {self.message}"


class FieldError(ValueError):
    """A value that cannot be read; the message says why, in terms an editor understands."""


# Nested values ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayDate:
    """A day of the year on the lunar or solar calendar: "10/8", "10/8 nhuận"."""

    month: int
    day: int
    leap: bool = False

    def as_text(self):
        return f"{self.day}/{self.month}" + (" nhuận" if self.leap else "")


@dataclass(frozen=True)
class RelatedItem:
    id: str
    relation: str = ""


@dataclass(frozen=True)
class NameItem:
    name: str
    kind: str = "other"
    origin: str = ""


@dataclass(frozen=True)
class PeriodItem:
    name: str
    start_year: int | None = None
    end_year: int | None = None
    kind: str = ""
    is_reference: bool = True  # only a name: the period must exist already


@dataclass(frozen=True)
class SourceItem:
    title: str
    kind: str = ""
    authors: str = ""
    container_title: str = ""
    publisher: str = ""
    place: str = ""
    year: int | None = None
    identifier: str = ""
    url: str = ""
    accessed_on: datetime.date | None = None
    note: str = ""
    locator: str = ""
    citation_note: str = ""


@dataclass(frozen=True)
class ImageItem:
    file: str
    title: str = ""
    caption: str = ""
    credit: str = ""
    licence: str = ""
    date_taken: datetime.date | None = None


@dataclass(frozen=True)
class DecisionItem:
    level: str
    number: str = ""
    date: datetime.date | None = None
    year: int | None = None
    issuing_body: str = ""
    signer: str = ""
    batch: str = ""
    certificate_date: datetime.date | None = None


@dataclass(frozen=True)
class PhaseItem:
    kind: str
    date: str
    description: str = ""


@dataclass(frozen=True)
class StageItem:
    name: str
    kind: str = ""
    start: DayDate | None = None
    end: DayDate | None = None
    description: str = ""


@dataclass(frozen=True)
class ChangedYearItem:
    """One year whose festival was moved or not held: its actual (solar) dates, or that it was cancelled."""

    year: int
    cancelled: bool = False
    start: datetime.date | None = None
    end: datetime.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class ProgrammeItem:
    day: str
    title: str
    time: str = ""
    description: str = ""


@dataclass(frozen=True)
class ListingItem:
    level: str
    decision_number: str = ""
    date: datetime.date | None = None


@dataclass(frozen=True)
class MakerItem:
    name: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""


# Scalar readers -----------------------------------------------------------------------------


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip()) or value in ([], {})


def read_text(value, warn=None, *, multiline=False):
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise FieldError(_("Expected text."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = normalize_text(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def read_multiline(value, warn=None):
    return read_text(value, warn, multiline=True)


def read_int(value, warn=None):
    if isinstance(value, bool):
        raise FieldError(_("Expected a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise FieldError(_("Expected a whole number, not %(value)r.") % {"value": value})


def read_coordinate(value, warn=None):
    """A latitude or longitude in decimal degrees, rounded to the six decimals the archive keeps."""
    if isinstance(value, bool):
        raise FieldError(_("Expected a number of degrees."))
    text = str(value).strip()
    if isinstance(value, str) and "," in text and "." not in text:
        text = text.replace(",", ".")  # Vietnamese spreadsheets write 20,85 for 20.85
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FieldError(_("Expected a number of degrees, not %(value)r.") % {"value": value}) from None
    if not number.is_finite():
        raise FieldError(_("Expected a number of degrees, not %(value)r.") % {"value": value})
    return number.quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP)


_TRUE = {"true", "yes", "y", "1", "x", "co", "dung"}
_FALSE = {"false", "no", "n", "0", "khong", "sai"}


def read_bool(value, warn=None):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = fold_diacritics(value).strip()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise FieldError(_("Expected true or false, not %(value)r.") % {"value": value})


def read_date(value, warn=None):
    """An ISO date (2012-03-15); spreadsheets may also give a date cell or 15/03/2012."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
    raise FieldError(_("Expected a date such as 2012-03-15, not %(value)r.") % {"value": value})


_DAY_MONTH = re.compile(r"(?:ngay\s+)?(?:mung\s*)?(\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(\d{1,2})\s*(.*)")
_LEAP_WORDS = {"nhuan", "(nhuan)", "leap", "(leap)", "n"}


def read_day_date(value, warn=None):
    """A yearly date: ``{"month": 8, "day": 10, "leap": false}`` or the text "10/8" / "10/8 nhuận"."""
    if isinstance(value, datetime.date):
        # A spreadsheet turned "10/8" into a date; Vietnamese spreadsheets read it day first.
        if warn:
            warn(
                _("a date cell was read as day %(day)s, month %(month)s; format the cell as text to be sure.")
                % {"day": value.day, "month": value.month}
            )
        return DayDate(month=value.month, day=value.day)
    if isinstance(value, dict):
        values = read_object(value, {"month", "day", "leap"}, warn)
        if "month" not in values or "day" not in values:
            raise FieldError(_("Give both the month and the day."))
        month, day = read_int(values["month"]), read_int(values["day"])
        leap = read_bool(values["leap"]) if not is_empty(values.get("leap")) else False
    elif isinstance(value, str):
        match = _DAY_MONTH.fullmatch(fold_diacritics(value).strip())
        rest = match.group(3).strip() if match else ""
        if not match or (rest and rest not in _LEAP_WORDS):
            raise FieldError(_("Expected day/month such as 10/8 or 10/8 nhuận, not %(value)r.") % {"value": value})
        day, month, leap = int(match.group(1)), int(match.group(2)), bool(rest)
    else:
        raise FieldError(_("Expected day/month such as 10/8, or an object with month and day."))
    if not 1 <= month <= 12:
        raise FieldError(_("There is no month %(month)s.") % {"month": month})
    if not 1 <= day <= 31:
        raise FieldError(_("There is no day %(day)s.") % {"day": day})
    return DayDate(month=month, day=day, leap=leap)


def read_text_list(value, warn=None):
    """A list of texts, or one text with the items separated by semicolons."""
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, list):
        raise FieldError(_("Expected a list, or texts separated by semicolons."))
    return [text for text in (read_text(item) for item in value if not is_empty(item)) if text]


def read_object(value, keys, warn=None):
    """The known keys of a nested object; unknown ones are reported and skipped."""
    if not isinstance(value, dict):
        raise FieldError(_("Expected an object with the keys %(keys)s.") % {"keys": ", ".join(sorted(keys))})
    for key in value:
        if key not in keys and warn:
            warn(_("unknown field %(field)r skipped.") % {"field": key})
    return {key: item for key, item in value.items() if key in keys and not is_empty(item)}


def read_list(value, read_item, warn=None, *, split=False):
    """A list of nested objects; with ``split``, a text of items separated by semicolons too."""
    if isinstance(value, str) and split:
        value = [item for item in value.split(";") if item.strip()]
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise FieldError(_("Expected a list."))
    items = []
    for position, item in enumerate(value, start=1):

        def item_warn(message, position=position):
            if warn:
                warn(f"[{position}] {message}")

        try:
            items.append(read_item(item, item_warn))
        except FieldError as error:
            raise FieldError(f"[{position}] {error}") from None
    return items


@cache
def model_choices(label, field_name):
    """The values allowed by a model field's choices, such as ``("sites.RelicPage", "inventory_status")``."""
    model = apps.get_model(label)
    return tuple(str(value) for value, _label in model._meta.get_field(field_name).choices)


def choice(label, field_name, *, extra=()):
    def read(value, warn=None):
        text = read_text(value).lower()
        allowed = (*model_choices(label, field_name), *extra)
        if text not in allowed:
            raise FieldError(
                _("%(value)r is not one of: %(allowed)s.") % {"value": value, "allowed": ", ".join(allowed)}
            )
        return text

    return read


def required(values, key):
    if is_empty(values.get(key)):
        raise FieldError(_("%(field)s is required.") % {"field": key})
    return values[key]


def read_key(values, key, read, default=None):
    """``read(values[key])`` of a nested object, ``default`` when the key is absent. An error
    names the key: ``decisions[1] date: Expected a date…``."""
    if key not in values:
        return default
    try:
        return read(values[key])
    except FieldError as error:
        raise FieldError(f"{key}: {error}") from None


# Nested readers -----------------------------------------------------------------------------


def read_related(value, warn=None):
    def item(raw, warn):
        if isinstance(raw, str | int):
            return RelatedItem(id=read_text(raw))
        values = read_object(raw, {"id", "relation"}, warn)
        relation = read_key(values, "relation", choice("heritage.EntryLink", "relation"), "")
        return RelatedItem(id=read_text(required(values, "id")), relation=relation)

    return read_list(value, item, warn, split=True)


def read_names(value, warn=None):
    def item(raw, warn):
        if isinstance(raw, str):
            return NameItem(name=read_text(raw))
        values = read_object(raw, {"name", "kind", "origin"}, warn)
        kind = read_key(values, "kind", choice("heritage.EntryName", "kind"), "other")
        return NameItem(name=read_text(required(values, "name")), kind=kind, origin=read_text(values.get("origin", "")))

    return read_list(value, item, warn, split=True)


PERIOD_KEYS = ("name", "start_year", "end_year", "kind")


def read_period(value, warn=None):
    if isinstance(value, str):
        return PeriodItem(name=read_text(value))
    values = read_object(value, set(PERIOD_KEYS), warn)
    has_years = "start_year" in values or "end_year" in values or "kind" in values
    return PeriodItem(
        name=read_text(required(values, "name")),
        start_year=read_key(values, "start_year", read_int),
        end_year=read_key(values, "end_year", read_int),
        kind=read_key(values, "kind", choice("heritage.Period", "kind"), ""),
        is_reference=not has_years,
    )


SOURCE_TEXT_KEYS = ("authors", "container_title", "publisher", "place", "identifier", "url", "note", "locator")
SOURCE_KEYS = (
    "kind",
    "authors",
    "title",
    "container_title",
    "publisher",
    "place",
    "year",
    "identifier",
    "url",
    "accessed_on",
    "note",
    "locator",
    "citation_note",
)


def read_sources(value, warn=None):
    def item(raw, warn):
        if isinstance(raw, str):
            return SourceItem(title=read_text(raw))
        values = read_object(raw, set(SOURCE_KEYS), warn)
        return SourceItem(
            title=read_text(required(values, "title")),
            kind=read_key(values, "kind", choice("heritage.Source", "kind"), ""),
            year=read_key(values, "year", read_int),
            accessed_on=read_key(values, "accessed_on", read_date),
            citation_note=read_text(values.get("citation_note", "")),
            **{key: read_text(values.get(key, ""), multiline=key == "note") for key in SOURCE_TEXT_KEYS},
        )

    return read_list(value, item, warn)


IMAGE_KEYS = ("file", "title", "caption", "credit", "licence", "date_taken")


def read_image(value, warn=None):
    if isinstance(value, str):
        return ImageItem(file=value.strip())
    values = read_object(value, set(IMAGE_KEYS), warn)
    return ImageItem(
        file=read_text(required(values, "file")),
        date_taken=read_key(values, "date_taken", read_date),
        **{key: read_text(values.get(key, "")) for key in ("title", "caption", "credit", "licence")},
    )


def read_gallery(value, warn=None):
    return read_list(value, read_image, warn, split=True)


DECISION_KEYS = ("level", "number", "date", "year", "issuing_body", "signer", "batch", "certificate_date")


def read_decisions(value, warn=None):
    def item(raw, warn):
        values = read_object(raw, set(DECISION_KEYS), warn)
        return DecisionItem(
            level=choice("sites.RecognitionDecision", "level")(required(values, "level")),
            date=read_key(values, "date", read_date),
            year=read_key(values, "year", read_int),
            certificate_date=read_key(values, "certificate_date", read_date),
            **{key: read_text(values.get(key, "")) for key in ("number", "issuing_body", "signer", "batch")},
        )

    return read_list(value, item, warn)


def read_phases(value, warn=None):
    def item(raw, warn):
        values = read_object(raw, {"kind", "date", "description"}, warn)
        return PhaseItem(
            kind=read_key(values, "kind", choice("sites.RelicPhase", "kind"), "built"),
            date=read_text(required(values, "date")),
            description=read_multiline(values.get("description", "")),
        )

    return read_list(value, item, warn)


def read_stages(value, warn=None):
    def item(raw, warn):
        values = read_object(raw, {"kind", "name", "start", "end", "description"}, warn)
        return StageItem(
            name=read_text(required(values, "name")),
            kind=read_key(values, "kind", choice("festivals.FestivalStage", "kind"), ""),
            start=read_key(values, "start", lambda value: read_day_date(value, warn)),
            end=read_key(values, "end", lambda value: read_day_date(value, warn)),
            description=read_multiline(values.get("description", "")),
        )

    return read_list(value, item, warn)


CHANGED_YEAR_KEYS = ("year", "cancelled", "start", "end", "reason")


def read_changed_years(value, warn=None):
    """The years a festival was moved or not held; the rules of one year are the model's, checked on import."""

    def item(raw, warn):
        values = read_object(raw, set(CHANGED_YEAR_KEYS), warn)
        required(values, "year")
        return ChangedYearItem(
            year=read_key(values, "year", read_int),
            cancelled=read_key(values, "cancelled", read_bool, False),
            start=read_key(values, "start", read_date),
            end=read_key(values, "end", read_date),
            reason=read_key(values, "reason", read_text, ""),
        )

    items = read_list(value, item, warn)
    # A festival has one change per year (a unique constraint); the list replaces them all.
    first = {}
    for position, changed in enumerate(items, start=1):
        if changed.year in first:
            raise FieldError(
                f"[{position}] year: "
                + _("%(year)s is already given in item %(first)s; give each year once.")
                % {"year": changed.year, "first": first[changed.year]}
            )
        first[changed.year] = position
    return items


def read_programme(value, warn=None):
    def item(raw, warn):
        values = read_object(raw, {"day", "time", "title", "description"}, warn)
        return ProgrammeItem(
            day=read_text(required(values, "day")),
            title=read_text(required(values, "title")),
            time=read_text(values.get("time", "")),
            description=read_multiline(values.get("description", "")),
        )

    return read_list(value, item, warn)


LISTING_KEYS = ("level", "decision_number", "date")


def read_listing(value, warn=None):
    values = read_object(value, set(LISTING_KEYS), warn)
    return ListingItem(
        level=choice("festivals.FestivalPage", "listing")(required(values, "level")),
        decision_number=read_text(values.get("decision_number", "")),
        date=read_key(values, "date", read_date),
    )


MAKER_KEYS = ("name", "phone", "address", "website")


def read_maker(value, warn=None):
    values = read_object(value, set(MAKER_KEYS), warn)
    return MakerItem(**{key: read_text(values.get(key, "")) for key in MAKER_KEYS})


def read_categories(value, warn=None):
    read = choice("sites.RelicType", "code")
    return [read(item) for item in read_text_list(value if isinstance(value, list | str) else str(value))]


# The fields ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One field of the format: the kinds of entry that have it and how its value is read.

    ``keys`` names the parts of a nested object, which CSV and spreadsheet files may give in
    columns of their own (``maker.phone``); ``structured`` fields may be given as JSON in a cell.
    """

    name: str
    types: frozenset
    read: object
    empty: object = None
    keys: tuple = ()
    structured: bool = False


RELIC, FESTIVAL, PERSON, PRODUCT = (frozenset({kind}) for kind in ENTRY_TYPES)


def _fields():
    text, multiline = read_text, read_multiline
    specs = [
        FieldSpec("id", ALL_TYPES, text, ""),
        FieldSpec("type", ALL_TYPES, text, ""),
        FieldSpec("version", ALL_TYPES, read_int),
        FieldSpec("commune", ALL_TYPES, text, ""),
        FieldSpec("title", ALL_TYPES, text, ""),
        FieldSpec("english_title", ALL_TYPES, text, ""),
        FieldSpec("summary", ALL_TYPES, multiline, ""),
        FieldSpec("body", ALL_TYPES, multiline, ""),
        FieldSpec("other_names", ALL_TYPES, read_names, [], structured=True),
        FieldSpec("tags", ALL_TYPES, read_text_list, [], structured=True),
        FieldSpec("period", ALL_TYPES, read_period, keys=PERIOD_KEYS, structured=True),
        FieldSpec("village", ALL_TYPES, text, ""),
        FieldSpec("sources", ALL_TYPES, read_sources, [], structured=True),
        FieldSpec("image", ALL_TYPES, read_image, keys=IMAGE_KEYS, structured=True),
        FieldSpec("gallery", ALL_TYPES, read_gallery, [], structured=True),
        FieldSpec("related", ALL_TYPES, read_related, [], structured=True),
        FieldSpec("last_reviewed", ALL_TYPES, read_date),
        FieldSpec("sample", ALL_TYPES, read_bool, False),
        # Relics
        FieldSpec("official_name", RELIC, text, ""),
        FieldSpec("ranking", RELIC, choice("sites.RecognitionDecision", "level", extra=(INVENTORIED,))),
        FieldSpec("recognition_decision", RELIC, text, ""),
        FieldSpec("recognition_year", RELIC, read_int),
        FieldSpec("decisions", RELIC, read_decisions, [], structured=True),
        FieldSpec("category", RELIC, read_categories, [], structured=True),
        FieldSpec("type_wording", RELIC, text, ""),
        FieldSpec("inventory_status", RELIC, choice("sites.RelicPage", "inventory_status")),
        FieldSpec("significance", RELIC, multiline, ""),
        FieldSpec("phases", RELIC, read_phases, [], structured=True),
        FieldSpec("address", RELIC, text, ""),
        FieldSpec("former_address", RELIC, text, ""),
        FieldSpec("address_changed_on", RELIC, read_date),
        FieldSpec("managing_body", RELIC, text, ""),
        FieldSpec("representative", RELIC, text, ""),
        FieldSpec("representative_phone", RELIC, text, ""),
        FieldSpec("opening_hours", RELIC, text, ""),
        FieldSpec("admission", RELIC, text, ""),
        FieldSpec("access", RELIC, multiline, ""),
        FieldSpec("lat", RELIC | PRODUCT, read_coordinate),
        FieldSpec("lon", RELIC | PRODUCT, read_coordinate),
        # Festivals
        FieldSpec("calendar", FESTIVAL, choice("festivals.FestivalPage", "calendar")),
        FieldSpec("lunar_start", FESTIVAL, read_day_date, structured=True),
        FieldSpec("lunar_end", FESTIVAL, read_day_date, structured=True),
        FieldSpec("solar_start", FESTIVAL, read_day_date, structured=True),
        FieldSpec("solar_end", FESTIVAL, read_day_date, structured=True),
        FieldSpec("frequency", FESTIVAL, choice("festivals.FestivalPage", "frequency")),
        FieldSpec("interval_years", FESTIVAL, read_int),
        FieldSpec("cycle_start_year", FESTIVAL, read_int),
        FieldSpec("changed_years", FESTIVAL, read_changed_years, [], structured=True),
        FieldSpec("scale", FESTIVAL, choice("festivals.FestivalPage", "scale"), ""),
        FieldSpec("location", FESTIVAL, text, ""),
        FieldSpec("stages", FESTIVAL, read_stages, [], structured=True),
        FieldSpec("programme", FESTIVAL, read_programme, [], structured=True),
        FieldSpec("listing", FESTIVAL, read_listing, keys=LISTING_KEYS, structured=True),
        # Historical figures
        FieldSpec("birth", PERSON, text, ""),
        FieldSpec("death", PERSON, text, ""),
        FieldSpec("birth_year", PERSON, read_int),
        FieldSpec("death_year", PERSON, read_int),
        FieldSpec("birthplace", PERSON, text, ""),
        FieldSpec("roles", PERSON, read_text_list, [], structured=True),
        # Products
        FieldSpec("product_kind", PRODUCT, choice("heritage.ProductPage", "product_kind")),
        FieldSpec("ocop_stars", PRODUCT, read_int),
        FieldSpec("maker", PRODUCT, read_maker, keys=MAKER_KEYS, structured=True),
    ]
    return {spec.name: spec for spec in specs}


FIELDS = _fields()


def fields_for(entry_type):
    """The field names an entry of this type may have, in the order exports write them."""
    return [name for name, spec in FIELDS.items() if entry_type in spec.types]


# Records ------------------------------------------------------------------------------------


@dataclass
class Entry:
    """One checked record: its id, type and the values of the fields it gives."""

    number: int
    source_id: str
    type: str
    values: dict = field(default_factory=dict)

    def __contains__(self, name):
        return name in self.values

    def get(self, name, default=None):
        return self.values.get(name, default)


def is_header(record):
    return isinstance(record, dict) and "format" in record and "type" not in record


def check_header(record):
    """Problems with a header line ``{"format": "heritage-archive", "version": 1}``, as messages."""
    messages = []
    if record.get("format") != FORMAT_NAME:
        messages.append(
            _("This is not a heritage archive file (format %(format)r).") % {"format": record.get("format")}
        )
    messages.extend(check_version(record.get("version", FORMAT_VERSION)))
    return messages


def check_version(version):
    try:
        version = read_int(version)
    except FieldError:
        return [_("The format version must be a whole number, not %(value)r.") % {"value": version}]
    if version > FORMAT_VERSION:
        return [
            _("Format version %(version)s is newer than this archive reads (up to %(supported)s); update the archive.")
            % {"version": version, "supported": FORMAT_VERSION}
        ]
    if version < 1:
        return [_("There is no format version %(version)s.") % {"version": version}]
    return []


def parse_record(record, number, unit="line"):
    """Check one record; return the ``Entry`` (``None`` if it is unusable) and its problems."""
    problems = []

    def error(message):
        problems.append(Problem(number, message, unit))

    def warning(message):
        problems.append(Problem(number, message, unit, is_error=False))

    if not isinstance(record, dict):
        error(_("Expected an object with the fields of one entry."))
        return None, problems
    if "version" in record:
        for message in check_version(record["version"]):
            error(message)

    entry_type = record.get("type")
    if isinstance(entry_type, str):
        entry_type = entry_type.strip().lower()
    if entry_type not in ENTRY_TYPES:
        error(
            _("type must be one of %(types)s, not %(value)r.") % {"types": ", ".join(ENTRY_TYPES), "value": entry_type}
        )
    source_id = record.get("id")
    if is_empty(source_id) or isinstance(source_id, bool) or not isinstance(source_id, str | int):
        error(_("id is required: the stable identifier of the entry."))
        source_id = ""
    else:
        source_id = read_text(source_id)
        if len(source_id) > 64:
            error(_("id is longer than 64 characters."))

    values = {}
    for name, raw in record.items():
        spec = FIELDS.get(name)
        if spec is None:
            warning(_("Unknown field %(field)r skipped.") % {"field": name})
            continue
        if name in ("id", "type", "version"):
            continue
        if entry_type in ENTRY_TYPES and entry_type not in spec.types:
            if not is_empty(raw):
                warning(
                    _("Field %(field)r does not apply to a %(type)s; skipped.") % {"field": name, "type": entry_type}
                )
            continue
        if is_empty(raw):
            values[name] = spec.empty
            continue

        def nested_warning(message, name=name):
            warning(f"{name}{'' if message.startswith('[') else ': '}{message}")

        try:
            values[name] = spec.read(raw, nested_warning)
        except FieldError as exc:
            error(f"{name}{'' if str(exc).startswith('[') else ': '}{exc}")

    if any(problem.is_error for problem in problems):
        return None, problems
    return Entry(number=number, source_id=source_id, type=entry_type, values=values), problems


def cell_value(spec, text):
    """A CSV or spreadsheet cell of a structured field: JSON when it looks like JSON, else the text."""
    stripped = text.strip()
    if spec.structured and stripped[:1] in ("[", "{"):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError as error:
            raise FieldError(
                _("%(field)s: the cell is not valid JSON (%(error)s).") % {"field": spec.name, "error": error.msg}
            ) from None
    return text
