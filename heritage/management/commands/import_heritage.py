"""Import heritage entries from an interchange file (JSON Lines, CSV or XLSX); re-running updates them."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
            for warning in failure.warnings:
                self.stderr.write(f"Warning: {warning}")
            lines = "\n".join(f"  {problem}" for problem in failure.errors)
            raise CommandError(f"{len(failure.errors)} problem(s); nothing was imported:\n{lines}") from None
        self.report(result, verbosity)

    def report(self, result, verbosity):
        if verbosity >= 1:
            for warning in result.warnings:
                self.stderr.write(f"Warning: {warning}")
            if result.legacy_encoding:
                self.stdout.write(f"Text converted from {ENCODING_NAMES[result.legacy_encoding]} to Unicode.")
        verb = "would be" if result.dry_run else "were"
        if verbosity >= 2 or result.dry_run and verbosity >= 1:
            for label, changes in (("create", result.created), ("update", result.updated), ("move", result.moved)):
                for change in changes:
                    prefix = f"Would {label}" if result.dry_run else f"{label.capitalize()}d"
                    self.stdout.write(f"{prefix}: {change.describe()}")
        if verbosity >= 1:
            summary = (
                f"{len(result.created)} created, {len(result.updated)} updated, {len(result.unchanged)} unchanged"
                f"{f', {len(result.moved)} moved' if result.moved else ''}; {result.links} links and {result.images} new images "
                f"{verb} written{' as drafts' if result.draft and not result.dry_run else ''}."
            )
            if result.dry_run:
                summary = f"Dry run, nothing written: {summary}"
            self.stdout.write(self.style.SUCCESS(summary))
