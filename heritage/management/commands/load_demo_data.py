"""Load the demo: the Hải Phòng city site and the communes Kiến Minh and An Khánh with sample entries."""

from django.core.management.base import BaseCommand, CommandError

from heritage.demo import DemoDataError, load_demo


class Command(BaseCommand):
    help = (
        "Create the city site, the demo communes and their sample relics, festivals, historical figures and "
        "products, importing them with import_heritage. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hostname-suffix",
            default="localhost",
            help="Commune sites get <commune>.<suffix>, for example kienminh.localhost.",
        )
        parser.add_argument("--port", type=int, default=8000, help="Port of every demo site.")
        parser.add_argument("--city-hostname", default="127.0.0.1", help="Hostname of the city (default) site.")

    def handle(self, *args, hostname_suffix, port, city_hostname, verbosity, **options):
        try:
            summary = load_demo(
                hostname_suffix=hostname_suffix,
                port=port,
                city_hostname=city_hostname,
                verbosity=max(verbosity - 1, 0),
                stdout=self.stdout,
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        if not verbosity:
            return
        self.stdout.write(f"City: {summary.city_url}")
        for commune in summary.communes:
            counts = ", ".join(f"{count} {kind}" for kind, count in commune.counts.items())
            self.stdout.write(f"{commune.name}: {commune.url} ({commune.total} live entries: {counts})")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {summary.new_pages} new entries, {summary.pages_after} in all; "
                f"{summary.images} pictures drawn for the importer."
            )
        )
