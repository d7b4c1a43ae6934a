"""Reading interchange files: JSON Lines, CSV and XLSX, in Unicode or a legacy Vietnamese encoding.

Every reader gives the same thing: numbered records (mappings of field names to raw values) and
the problems found on the way, numbered by line (JSON Lines) or by row (CSV, XLSX: the header is
row 1, as the spreadsheet shows it). Checking the values is ``schema.parse_record``'s job.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from . import legacy
from .schema import FIELDS, FieldError, Problem, cell_value, check_header, is_header

FORMATS = ("jsonl", "csv", "xlsx")
ENCODINGS = ("auto", "utf-8", *legacy.LEGACY_ENCODINGS)
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
# When a nested object is given in one plain column, the value is this part of it.
PRIMARY_KEYS = {"image": "file", "period": "name", "listing": "level", "maker": "name"}


class ReadError(Exception):
    """The file as a whole cannot be read (missing, wrong format, undecodable)."""


@dataclass
class ReadResult:
    records: list = field(default_factory=list)  # (number, record) pairs
    problems: list = field(default_factory=list)
    unit: str = "line"
    legacy_encoding: str | None = None  # the legacy encoding text was converted from


def detect_format(path, format=None):
    if format:
        if format not in FORMATS:
            raise ReadError(
                _("Unknown format %(format)r; use one of %(formats)s.")
                % {"format": format, "formats": ", ".join(FORMATS)}
            )
        return format
    found = EXTENSIONS.get(Path(path).suffix.lower())
    if not found:
        raise ReadError(
            _("Cannot tell the format of %(path)s from its extension; use --format.") % {"path": Path(path).name}
        )
    return found


def read_file(path, *, format=None, encoding="auto"):
    """Read an interchange file into numbered records; see the module docstring."""
    path = Path(path)
    if encoding not in ENCODINGS:
        raise ReadError(
            _("Unknown encoding %(encoding)r; use one of %(encodings)s.")
            % {"encoding": encoding, "encodings": ", ".join(ENCODINGS)}
        )
    if not path.is_file():
        raise ReadError(_("No such file: %(path)s") % {"path": path})
    format = detect_format(path, format)
    if format == "xlsx":
        result = _read_xlsx(path)
        legacy_hint = None
    else:
        text, legacy_hint = _decode(path.read_bytes(), encoding)
        result = _read_jsonl(text) if format == "jsonl" else _read_csv(text)
    result.legacy_encoding = _convert_legacy(result.records, encoding, legacy_hint)
    return result


def _decode(data, encoding):
    """The file's text, and the legacy encoding it must be in if it is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            line = data[: error.start].count(b"\n") + 1
            raise ReadError(
                _(
                    "The file is not valid UTF-8 (line %(line)s); if it was typed with .VnTime or VNI fonts, "
                    "use --encoding tcvn3, vni or auto."
                )
                % {"line": line}
            ) from None
    text = legacy.decode_bytes(data)
    if encoding in legacy.LEGACY_ENCODINGS:
        return text, encoding
    found = legacy.detect_legacy_encoding(text)
    if found is None:
        raise ReadError(_("The file is not UTF-8 and does not look like TCVN3 or VNI text; use --encoding."))
    return text, found


def _read_jsonl(text):
    result = ReadResult(unit="line")
    if text.lstrip().startswith("["):
        # A whole JSON array instead of one object per line: number the items instead.
        result.unit = "item"
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ReadError(
                _("The file is not valid JSON: %(error)s (line %(line)s).") % {"error": error.msg, "line": error.lineno}
            ) from None
        lines = enumerate(items, start=1)
    else:
        lines = ((number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip())
    for number, line in lines:
        if isinstance(line, str):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                result.problems.append(
                    Problem(
                        number,
                        _("Not valid JSON: %(error)s (column %(column)s).")
                        % {"error": error.msg, "column": error.colno},
                        result.unit,
                    )
                )
                continue
        else:
            record = line
        if is_header(record):
            result.problems.extend(Problem(number, message, result.unit) for message in check_header(record))
            continue
        result.records.append((number, record))
    return result


def _sniff_delimiter(text):
    # Spreadsheets set to Vietnamese write ";" between cells, because "," is their decimal comma.
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _read_csv(text):
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    return _read_rows(enumerate(rows, start=1))


def _read_xlsx(path):
    from openpyxl import load_workbook  # only spreadsheet imports need openpyxl loaded

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ReadError(_("Cannot open the spreadsheet: %(error)s") % {"error": error}) from None
    try:
        sheet = workbook.worksheets[0]
        return _read_rows(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _read_rows(rows):
    """Records from a header row and data rows; dotted columns (``maker.phone``) nest."""
    result = ReadResult(unit="row")
    columns = None
    for number, row in rows:
        if columns is None:
            columns = _read_header(number, row, result)
            continue
        record = {}
        for position, value in enumerate(row):
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if position >= len(columns):
                result.problems.append(
                    Problem(number, _("More cells than columns; the extra cells are skipped."), "row", is_error=False)
                )
                break
            column = columns[position]
            if column is None:
                continue
            name, key = column
            try:
                value = cell_value(FIELDS[name], value) if isinstance(value, str) and not key else value
            except FieldError as error:
                result.problems.append(Problem(number, str(error), "row"))
                continue
            if key:
                nested = record.setdefault(name, {})
                if not isinstance(nested, dict):
                    nested = record[name] = {PRIMARY_KEYS[name]: nested}
                nested[key] = value
            elif isinstance(record.get(name), dict) and not isinstance(value, dict):
                record[name][PRIMARY_KEYS[name]] = value
            else:
                record[name] = value
        if record:
            result.records.append((number, record))
    if columns is None:
        result.problems.append(Problem(None, _("The file is empty: no header row.")))
    return result


def _read_header(number, row, result):
    columns = []
    seen = set()
    for cell in row:
        name = str(cell).strip() if cell is not None else ""
        if not name:
            columns.append(None)
            continue
        base, _dot, key = name.partition(".")
        spec = FIELDS.get(base)
        if spec is None or (key and key not in spec.keys):
            result.problems.append(
                Problem(number, _("Unknown column %(column)r skipped.") % {"column": name}, "row", is_error=False)
            )
            columns.append(None)
            continue
        if name in seen:
            result.problems.append(Problem(number, _("Column %(column)r appears twice.") % {"column": name}, "row"))
        seen.add(name)
        columns.append((base, key))
    return columns


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _convert(value, encoding, careful):
    if isinstance(value, str):
        return legacy.convert_value(value, encoding, careful=careful)
    if isinstance(value, dict):
        return {key: _convert(item, encoding, careful) for key, item in value.items()}
    if isinstance(value, list):
        return [_convert(item, encoding, careful) for item in value]
    return value


def _convert_legacy(records, encoding, legacy_hint):
    """Convert the text of every record from TCVN3 or VNI if asked or detected; return which."""
    if encoding == "utf-8":
        return None
    careful = encoding == "auto"
    found = encoding if encoding in legacy.LEGACY_ENCODINGS else legacy_hint
    if found is None:
        sample = "\n".join(text for _number, record in records for text in _strings(record))
        found = legacy.detect_legacy_encoding(sample)
    if found is None:
        return None
    for index, (number, record) in enumerate(records):
        records[index] = (number, _convert(record, found, careful))
    return found
