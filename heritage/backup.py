"""Back up and restore the whole archive: the database and the uploads in one .tar.gz.

The archive holds ``manifest.json`` (format version, date, Django and Wagtail versions, row counts
and the SHA-256 of every other member), ``data/db.json`` (``dumpdata`` with natural foreign keys,
so it loads into SQLite or PostgreSQL alike) and ``media/<name>`` for every upload. Caches, sessions,
search indexes and image renditions are left out: they are rebuilt after a restore.

A restore checks every checksum before it touches anything, then empties and reloads the
database in one transaction; files are written only after the data loaded, and a failure rolls
the database back.
"""

import datetime
import hashlib
import io
import json
import logging
import platform
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.cache import caches
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers import json as json_serializer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMAT = "heritage-archive-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data/db.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

# Rebuilt rather than kept: sessions, caches and indexes; image renditions are made again on demand.
EXCLUDED_MODELS = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "wagtailsearch",
    "wagtailcore.referenceindex",
    "wagtailimages.rendition",
    "media.heritagerendition",
    "wagtailadmin.editingsession",
    "search",
]
# Kept across a restore because the dump refers to them by natural key.
KEPT_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
EXCLUDED_MEDIA_PREFIXES = ("images/",)  # renditions


SERIALIZATION_FORMAT = "heritage-json"


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps them to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()


Deserializer = json_serializer.Deserializer


def _register_format():
    if SERIALIZATION_FORMAT not in serializers.get_serializer_formats():
        serializers.register_serializer(SERIALIZATION_FORMAT, __name__)


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why."""


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_storage(name, storage):
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def media_files(storage=None):
    """Every upload in the storage (renditions excepted), as storage names, sorted."""
    storage = storage or default_storage
    found = []

    def walk(folder):
        try:
            directories, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in files:
            path = f"{folder}/{name}" if folder else name
            if not path.startswith(EXCLUDED_MEDIA_PREFIXES):
                found.append(path)
        for directory in directories:
            path = f"{folder}/{directory}" if folder else directory
            if not (path + "/").startswith(EXCLUDED_MEDIA_PREFIXES):
                walk(path)

    walk("")
    return sorted(found)


def _excluded_labels():
    """The exclusions that name an installed app or model (dumpdata refuses unknown ones)."""
    labels = []
    for label in EXCLUDED_MODELS:
        app_label, _dot, model = label.partition(".")
        try:
            app = apps.get_app_config(app_label)
            if model:
                app.get_model(model)
        except LookupError:
            continue
        labels.append(label)
    return labels


def _counts(path):
    with open(path, encoding="utf-8") as handle:
        rows = json.load(handle)
    counts = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return dict(sorted(counts.items()))


def create_backup(output, *, database=DEFAULT_DB_ALIAS, storage=None, stdout=None):
    """Write the archive to ``output`` (a path); return its manifest."""
    storage = storage or default_storage
    output = Path(output)
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / "db.json"
        # One transaction, so the dump is a consistent snapshot while editors keep working.
        _register_format()
        with transaction.atomic(using=database):
            call_command(
                "dumpdata",
                format=SERIALIZATION_FORMAT,
                exclude=_excluded_labels(),
                # Content types and permissions by natural key (their ids differ between databases);
                # every other row keeps its id, so admin addresses and plaque links stay the same.
                # (natural_primary would not do: Wagtail's Collection cannot name an unsaved node.)
                natural_foreign=True,
                use_base_manager=True,
                database=database,
                output=str(dump),
                verbosity=0,
            )
        files = {DATA: {"sha256": _sha256_file(dump), "size": dump.stat().st_size}}
        names = media_files(storage)
        for name in names:
            digest, size = _sha256_storage(name, storage)
            files[MEDIA_PREFIX + name] = {"sha256": digest, "size": size}
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "django": django.get_version(),
            "wagtail": wagtail.__version__,
            "python": platform.python_version(),
            "database": connections[database].vendor,
            "counts": _counts(dump),
            "files": files,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            archive.add(dump, arcname=DATA)
            for name in names:
                with storage.open(name, "rb") as handle:
                    info = tarfile.TarInfo(MEDIA_PREFIX + name)
                    info.size = files[MEDIA_PREFIX + name]["size"]
                    info.mtime = int(datetime.datetime.now().timestamp())
                    archive.addfile(info, handle)
        partial.replace(output)  # never leave a half-written archive under the final name
    if stdout:
        stdout.write(f"Wrote {output}: {sum(manifest['counts'].values())} rows, {len(names)} files.")
    return manifest


def read_manifest(archive):
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, tarfile.TarError) as error:
        raise BackupError(f"This is not an archive made by the backup command ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not an archive made by the backup command.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"Archive format version {manifest.get('version')} is not supported (this version reads {FORMAT_VERSION})."
        )
    return manifest


def _safe_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def _extract_and_verify(source, workdir):
    """Unpack into ``workdir`` and check every member against the manifest; return the manifest."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest = read_manifest(archive)
            expected = manifest.get("files", {})
            seen = set()
            for member in archive.getmembers():
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_name(member.name) or member.name not in expected:
                    raise BackupError(f"The archive holds an unexpected entry: {member.name}")
                archive.extract(member, workdir, filter="data")
                digest = _sha256_file(Path(workdir) / member.name)
                if digest != expected[member.name]["sha256"]:
                    raise BackupError(f"Checksum mismatch for {member.name}: the archive is damaged.")
                seen.add(member.name)
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(f"The archive cannot be read: {error}") from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} files listed in its manifest, first {missing[0]}.")
    if DATA not in seen:
        raise BackupError("The archive has no database dump.")
    return manifest


def database_is_empty(database=DEFAULT_DB_ALIAS):
    """No user and no page below the site roots: a freshly migrated database."""
    from wagtail.models import Page

    return (
        not get_user_model().objects.using(database).exists()
        and not Page.objects.using(database).filter(depth__gt=2).exists()
    )


def _wipe(database):
    connection = connections[database]
    tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with connection.cursor() as cursor:
        # Foreign keys are checked when the transaction ends, so the order does not matter.
        for table in sorted(tables - KEPT_TABLES):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def restore_backup(source, *, force=False, database=DEFAULT_DB_ALIAS, storage=None, reindex=True, stdout=None):
    """Replace the database and uploads with the archive's; return its manifest."""
    storage = storage or default_storage
    with tempfile.TemporaryDirectory() as workdir:
        manifest = _extract_and_verify(source, workdir)
        if not force and not database_is_empty(database):
            raise BackupError(
                "The database is not empty. Restore into a fresh database, or pass --force to replace it."
            )
        with transaction.atomic(using=database):
            _wipe(database)
            _register_format()
            fixture = Path(workdir) / DATA
            fixture = fixture.rename(fixture.with_suffix("." + SERIALIZATION_FORMAT))
            call_command("loaddata", str(fixture), database=database, verbosity=0)
            for member in manifest["files"]:
                if not member.startswith(MEDIA_PREFIX):
                    continue
                name = member[len(MEDIA_PREFIX) :]
                if storage.exists(name):
                    storage.delete(name)
                with open(Path(workdir) / member, "rb") as handle:
                    saved = storage.save(name, File(handle))
                if saved != name:
                    raise BackupError(f"The storage saved {name} as {saved}.")
    caches[getattr(settings, "FULL_PAGE_CACHE_ALIAS", "default")].clear()
    if reindex:
        _reindex(database, stdout)
    if stdout:
        stdout.write(f"Restored {sum(manifest['counts'].values())} rows and {len(manifest['files']) - 1} files.")
    return manifest


def _reindex(database, stdout):
    from django.core.management import get_commands

    commands = get_commands()
    for name in ("rebuild_references_index", "update_index", "rebuild_search_index"):
        if name in commands:
            call_command(name, verbosity=0)
            if stdout:
                stdout.write(f"Ran {name}.")
