"""python manage.py restore ARCHIVE [--force]: put back what the backup command wrote."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from heritage.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the database and uploads from an archive made by the backup command. Checks every checksum "
        "first, refuses a database that already has content unless --force, and loads in one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="Replace a database that already has content.")
        parser.add_argument("--no-reindex", action="store_true", help="Leave the search indexes to be rebuilt later.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive, force, no_reindex, database, **options):
        if not Path(archive).is_file():
            raise CommandError(f"No archive at {archive}.")
        try:
            restore_backup(
                archive,
                force=force,
                database=database,
                reindex=not no_reindex,
                stdout=self.stdout if options["verbosity"] else None,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
