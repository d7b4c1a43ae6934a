"""python manage.py backup [--output FILE]: the database and the uploads in one .tar.gz."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from heritage.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and every upload to one .tar.gz archive with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Archive to write (default: heritage-backup-<date>.tar.gz here).")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output, database, **options):
        output = Path(output or f"heritage-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        if output.is_dir():
            raise CommandError(f"{output} is a folder; give the archive's file name.")
        if not output.parent.exists():
            raise CommandError(f"The folder {output.parent} does not exist.")
        try:
            create_backup(output, database=database, stdout=self.stdout if options["verbosity"] else None)
        except BackupError as error:
            raise CommandError(str(error)) from error
