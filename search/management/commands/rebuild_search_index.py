"""Rebuild the search index from every live, public heritage entry."""

import time

from django.core.management.base import BaseCommand, CommandError

from search.builtin import BuiltinBackend
from search.indexing import all_documents, count_documents, other_backend

PROGRESS_EVERY = 1000  # entries between progress lines at the default verbosity


class Command(BaseCommand):
    help = (
        "Rebuild the built-in search index, and the active backend's (Elasticsearch) when there is one, "
        "from every live, public entry. Safe to run at any time and more than once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--builtin-only", action="store_true", help="Leave the active backend (Elasticsearch) alone."
        )

    def handle(self, *args, builtin_only, verbosity, **options):
        backends = [BuiltinBackend()]
        other = None if builtin_only else other_backend()
        if other is not None:
            backends.append(other)
        total = count_documents()
        failed = []
        for backend in backends:
            if verbosity:
                self.stdout.write(f"Rebuilding the {backend.name} index: {total} entries.")
            started = time.monotonic()
            try:
                count = backend.rebuild(all_documents(), progress=self._progress(backend, total, verbosity))
            except Exception as error:  # noqa: BLE001 - one backend failing must not stop the other's rebuild
                self.stderr.write(self.style.ERROR(f"The {backend.name} index could not be rebuilt: {error}"))
                failed.append(backend.name)
                continue
            if verbosity:
                count = total if count is None else count
                seconds = time.monotonic() - started
                self.stdout.write(self.style.SUCCESS(f"{backend.name}: {count} entries indexed in {seconds:.1f} s."))
        if failed:
            raise CommandError(f"Not rebuilt: {', '.join(failed)}.")

    def _progress(self, backend, total, verbosity):
        shown = {"at": 0}

        def progress(done, *args):
            if verbosity >= 2 or (verbosity and done - shown["at"] >= PROGRESS_EVERY) or (verbosity and done == total):
                shown["at"] = done
                self.stdout.write(f"  {backend.name}: {done}/{total}")

        return progress
