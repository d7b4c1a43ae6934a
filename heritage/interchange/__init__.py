"""Import and export of heritage entries in the archive's interchange format (see docs/interchange.md).

The management commands ``import_heritage`` and ``export_heritage`` are thin wrappers around
these functions, which tests and other code call directly.
"""

from .exporter import ExportError, ExportResult, export_entries
from .importer import ImportFailed, ImportResult, import_file, import_records
from .legacy import decode_tcvn3, decode_vni, detect_legacy_encoding
from .readers import ENCODINGS, FORMATS, ReadError, read_file
from .schema import FORMAT_NAME, FORMAT_VERSION, Problem, parse_record

__all__ = [
    "ENCODINGS",
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "ExportError",
    "ExportResult",
    "ImportFailed",
    "ImportResult",
    "Problem",
    "ReadError",
    "decode_tcvn3",
    "decode_vni",
    "detect_legacy_encoding",
    "export_entries",
    "import_file",
    "import_records",
    "parse_record",
    "read_file",
]
