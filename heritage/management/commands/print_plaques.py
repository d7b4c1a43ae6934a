"""Print the QR plaques of many entries into one PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from heritage.models import Commune, HeritagePage
from heritage.plaques.codes import assign_missing_codes, candidate_codes
from heritage.plaques.pdf import PAPER_SIZES, PlaqueFontError, pages_pdf


class Command(BaseCommand):
    help = "Write the plaques (A5 or A6, one per sheet) of a commune's entries or of the given codes into one PDF."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Plaque codes, for example KM-0012 KM-0013.")
        parser.add_argument("--commune", help="Commune code (KM): every live entry of the commune.")
        parser.add_argument("--all", action="store_true", help="Every live entry of the archive.")
        parser.add_argument("--paper", choices=sorted(PAPER_SIZES), default="a6")
        parser.add_argument("--output", "-o", type=Path, required=True, help="PDF file to write.")
        parser.add_argument(
            "--assign-missing",
            action="store_true",
            help="First give codes to live entries published before plaque codes existed.",
        )

    def handle(self, *args, codes, commune, all, paper, output, assign_missing, verbosity, **options):
        if not (codes or commune or all):
            raise CommandError("Name plaque codes, a commune (--commune KM) or --all.")
        if assign_missing:
            given = assign_missing_codes()
            if verbosity:
                self.stdout.write(f"{len(given)} entries got a code.")
        pages = HeritagePage.objects.live()
        selection = Q()
        if codes:
            wanted = [code for text in codes for code in candidate_codes(text)]
            unknown = [text for text in codes if not candidate_codes(text)]
            if unknown:
                raise CommandError(f"Not a plaque code: {', '.join(unknown)}")
            selection |= Q(plaque_code__code__in=wanted)
        if commune:
            found = Commune.objects.filter(code=commune.strip().upper()).first()
            if found is None:
                raise CommandError(f"No commune has the code {commune!r}.")
            selection |= Q(plaque_code__commune=found)
        if not all:
            pages = pages.filter(selection)
        pages = list(pages.filter(plaque_code__isnull=False).order_by("plaque_code__prefix", "plaque_code__number"))
        if not pages:
            raise CommandError("No live entry with a plaque code matches.")
        try:
            data, skipped = pages_pdf(pages, paper)
        except PlaqueFontError as error:
            raise CommandError(str(error)) from error
        if not output.parent.exists():
            raise CommandError(f"No such folder: {output.parent}")
        output.write_bytes(data)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{len(pages) - len(skipped)} plaques written to {output}."))
