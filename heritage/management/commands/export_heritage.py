"""Export heritage entries in the interchange format, to standard output or a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from heritage.interchange import ExportError, export_entries


class Command(BaseCommand):
    help = (
        "Write every published entry (or one commune's) as JSON Lines with a header line, or as CSV with the same "
        "columns. The output imports back with import_heritage."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=("jsonl", "csv"), default="jsonl", help="Output format (default: jsonl)."
        )
        parser.add_argument("--output", type=Path, help="Write to this file instead of standard output.")
        parser.add_argument("--commune", help="Only the entries of this commune (name or code).")
        parser.add_argument(
            "--files-dir",
            type=Path,
            help="Copy image files into this folder and refer to them relative to it (default: paths in the media storage).",
        )
        parser.add_argument("--include-drafts", action="store_true", help="Also export entries that are not published.")

    def handle(self, *args, format, output, commune, files_dir, include_drafts, verbosity, **options):
        arguments = {"format": format, "commune": commune, "files_dir": files_dir, "include_drafts": include_drafts}
        try:
            if output is None:
                result = export_entries(self.stdout, **arguments)
            else:
                # A byte-order mark lets spreadsheet programs open the CSV as UTF-8.
                encoding = "utf-8-sig" if format == "csv" else "utf-8"
                with output.open("w", encoding=encoding, newline="") as handle:
                    result = export_entries(handle, **arguments)
        except ExportError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s.") % {"file": error.filename, "reason": error.strerror}
            ) from None
        if verbosity >= 1:
            for source_id, target_id in result.skipped_links:
                self.stderr.write(
                    _("Warning: the link from %(source)s to %(target)s is left out; %(target)s is not exported.")
                    % {"source": source_id, "target": target_id}
                )
            if output is not None:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("%(count)s entries written to %(file)s.") % {"count": result.count, "file": output}
                    )
                )
