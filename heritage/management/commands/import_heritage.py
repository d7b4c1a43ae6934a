"""Import heritage entries from an interchange file (JSON Lines, CSV or XLSX); re-running updates them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heritage.interchange import ENCODINGS, FORMATS, ImportFailed, ReadError, import_file
from heritage.interchange.progress import NullProgress, TextProgress

ENCODING_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI"}


class Command(BaseCommand):
    help = (
        "Import relics, festivals, historical figures and products from a JSON Lines, CSV or XLSX file in the "
        "interchange format (docs/interchange.md). Entries are matched by id, so running it again updates them. "
        "Every line is checked first; if any is broken, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to import.")
        parser.add_argument(
            "--format", choices=FORMATS, help="Read the file as this format (default: from its extension)."
        )
        parser.add_argument(
            "--encoding",
            choices=ENCODINGS,
            default="auto",
            help="Text encoding: utf-8, tcvn3 (ABC, .VnTime fonts), vni (VNI-Windows) or auto (default) to detect them.",
        )
        parser.add_argument(
            "--files-dir",
            type=Path,
            help="Folder that image paths in the file are relative to (default: the file's folder).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, but write nothing.")
        parser.add_argument("--draft", action="store_true", help="Save new revisions without publishing them.")

    def handle(self, *args, path, format, encoding, files_dir, dry_run, draft, verbosity, **options):
        progress = TextProgress(self.stderr) if verbosity >= 1 else NullProgress()
        try:
            result = import_file(
                path,
                format=format,
                encoding=encoding,
                files_dir=files_dir,
                dry_run=dry_run,
                draft=draft,
                progress=progress,
            )
        except ReadError as error:
            raise CommandError(str(error)) from None
        except ImportFailed as failure:
            self.warn(failure.warnings, verbosity)
            count = len(failure.errors)
            heading = ngettext(
                "%(count)s problem; nothing was imported:", "%(count)s problems; nothing was imported:", count
            ) % {"count": count}
            raise CommandError("\n  ".join([heading, *map(str, failure.errors)])) from None
        self.warn(result.warnings, verbosity)
        self.report(result, verbosity)

    def warn(self, warnings, verbosity):
        if verbosity >= 1:
            for warning in warnings:
                self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})

    def report(self, result, verbosity):
        if verbosity >= 1 and result.legacy_encoding:
            self.stdout.write(
                _("Text converted from %(encoding)s to Unicode.") % {"encoding": ENCODING_NAMES[result.legacy_encoding]}
            )
        if verbosity >= 2 or (result.dry_run and verbosity >= 1):
            if result.dry_run:
                labels = (_("Would create: %(entry)s"), _("Would update: %(entry)s"), _("Would move: %(entry)s"))
            else:
                labels = (_("Created: %(entry)s"), _("Updated: %(entry)s"), _("Moved: %(entry)s"))
            for label, changes in zip(labels, (result.created, result.updated, result.moved), strict=True):
                for change in changes:
                    self.stdout.write(label % {"entry": change.describe()})
        if verbosity < 1:
            return
        counts = {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
            "moved": len(result.moved),
            "links": result.links,
            "images": result.images,
        }
        summary = (
            _(
                "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(moved)s moved; "
                "%(links)s links, %(images)s new images."
            )
            % counts
        )
        if result.dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        elif result.draft:
            summary = _("%(summary)s New revisions are drafts, not published.") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
