"""Importing heritage entries: check the whole file, then write all of it in one transaction, or nothing.

1. Every record is read and checked (``schema.parse_record``).
2. Every entry is applied to its page in memory (a new page, or the latest revision of the page
   with the same ``source_id``) and validated with the models' own rules, including the related
   ids, the image files and the periods, villages and sources it would create.
3. Only if no record is broken: the new snippets and images are saved, new pages are created,
   pages whose commune changed are moved, and every changed entry gets a revision, published
   unless ``draft``. A failure rolls the transaction back and deletes the image files written.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from ..models import EntryLink, HeritagePage
from .appliers import Applier, compose_body
from .lookups import Lookups, validation_messages
from .progress import NullProgress
from .readers import read_file
from .schema import FieldError, Problem, parse_record

# How a link reads when the file does not say: a festival is held at a relic and honours a person.
DEFAULT_RELATIONS = {
    ("festival", "relic"): "held_at",
    ("festival", "person"): "honours",
    ("person", "relic"): "worshipped_at",
}
RELATED = "related"

# Model fields named differently in the format, for error messages.
FIELD_NAMES = {
    "source_id": "id",
    "slug": "title",
    "is_sample": "sample",
    "latitude": "lat",
    "longitude": "lon",
    "birth_text": "birth",
    "death_text": "death",
    "maker_name": "maker.name",
    "maker_phone": "maker.phone",
    "maker_address": "maker.address",
    "maker_website": "maker.website",
    "listing_decision_number": "listing.decision_number",
    "listing_date": "listing.date",
    "relic_types": "category",
}
# Inline objects that are checked like the admin's inline forms: (relation, format field, renames).
CHILD_RELATIONS = [
    ("other_names", "other_names", {}),
    ("source_links", "sources", {"note": "citation_note"}),
    (
        "recognition_decisions",
        "decisions",
        {"decision_number": "number", "decision_date": "date", "decision_year": "year"},
    ),
    ("phases", "phases", {"date_text": "date"}),
    ("stages", "stages", {f"{part}_{unit}": part for part in ("start", "end") for unit in ("month", "day", "leap")}),
    ("occurrence_overrides", "changed_years", {"start_date": "start", "end_date": "end"}),
]
VOLATILE_KEYS = {"pk", "id", "sort_order"}


def default_relation(source_type, target_type):
    return DEFAULT_RELATIONS.get((source_type, target_type), RELATED)


@dataclass
class EntryChange:
    """One entry of the file on its way into the archive."""

    entry: object
    page: object = None
    index: object = None
    commune: object = None
    is_new: bool = True
    moves: bool = False
    action: str = ""  # "create", "update" or "unchanged"
    body_text: str | None = None  # None: keep the paragraphs the page has
    gallery: list | None = None  # None: keep the page's gallery
    links: list | None = None  # (target id, relation) pairs; None: keep the page's links
    links_changed: bool = False
    fingerprint: str = ""
    needs_publishing: bool = False
    had_draft: bool = False
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def source_id(self):
        return self.entry.source_id

    def describe(self):
        return f"{self.entry.source_id} ({self.entry.type}) {self.page.title}"


@dataclass
class ImportResult:
    """What an import did, or with ``dry_run`` would do."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    links: int = 0
    images: int = 0
    warnings: list = field(default_factory=list)
    unit: str = "line"
    legacy_encoding: str | None = None
    dry_run: bool = False
    draft: bool = False


class ImportFailed(Exception):
    """The file has broken records; nothing was written. ``errors`` lists them by line or row."""

    def __init__(self, errors, warnings=()):
        self.errors = list(errors)
        self.warnings = list(warnings)
        super().__init__("\n".join(str(problem) for problem in self.errors))


def import_file(path, *, format=None, encoding="auto", files_dir=None, dry_run=False, draft=False, progress=None):
    """Import a JSON Lines, CSV or XLSX file; image paths are relative to ``files_dir`` (default: the file's folder).

    Raises ``readers.ReadError`` for a file that cannot be read at all and ``ImportFailed`` for
    broken records; returns an ``ImportResult``.
    """
    read = read_file(path, format=format, encoding=encoding)
    return import_records(
        read.records,
        unit=read.unit,
        problems=read.problems,
        files_dir=files_dir if files_dir is not None else Path(path).parent,
        dry_run=dry_run,
        draft=draft,
        progress=progress,
        legacy_encoding=read.legacy_encoding,
    )


def import_records(
    records, *, files_dir=".", unit="line", problems=(), dry_run=False, draft=False, progress=None, legacy_encoding=None
):
    """Import records already read: ``(number, mapping)`` pairs in the interchange format."""
    importer = Importer(files_dir=files_dir, draft=draft, progress=progress)
    return importer.run(records, unit=unit, problems=problems, dry_run=dry_run, legacy_encoding=legacy_encoding)


class Importer:
    def __init__(self, *, files_dir, draft=False, progress=None):
        self.lookups = Lookups(files_dir)
        self.draft = draft
        self.progress = progress or NullProgress()

    def run(self, records, *, unit="line", problems=(), dry_run=False, legacy_encoding=None):
        self.unit = unit
        self.problems = list(problems)
        result = ImportResult(unit=unit, legacy_encoding=legacy_encoding, dry_run=dry_run, draft=self.draft)
        entries, file_ids = self.parse(records)
        # One transaction from the first look-up: what is checked is what gets written.
        with transaction.atomic():
            changes = self.prepare(entries)
            self.plan_links(changes, file_ids)
            self.decide(changes)
            errors = [problem for problem in self.problems if problem.is_error]
            warnings = [problem for problem in self.problems if not problem.is_error]
            result.warnings = warnings
            if errors:
                raise ImportFailed(sorted(errors, key=_order), sorted(warnings, key=_order))
            self.summarize(changes, result)
            if dry_run:
                transaction.set_rollback(True)
                return result
            self.write(changes, result)
        return result

    # Checking -----------------------------------------------------------------------------

    def parse(self, records):
        entries, seen, file_ids = [], {}, set()
        for number, record in records:
            entry, problems = parse_record(record, number, self.unit)
            self.problems.extend(problems)
            if isinstance(record, dict) and isinstance(record.get("id"), str | int):
                file_ids.add(str(record["id"]).strip())
            if entry is None:
                continue
            if entry.source_id in seen:
                self.error(
                    entry,
                    _("id %(id)s is already used on %(unit)s %(number)s.")
                    % {"id": entry.source_id, "unit": self.unit, "number": seen[entry.source_id]},
                )
                continue
            seen[entry.source_id] = number
            entries.append(entry)
        return entries, file_ids

    def prepare(self, entries):
        wanted = {entry.source_id for entry in entries}
        wanted |= {item.id for entry in entries for item in entry.get("related") or []}
        self.pages = {page.source_id: page for page in HeritagePage.objects.filter(source_id__in=wanted).specific()}
        changes = []
        self.progress.start(len(entries), _("Checking"))
        for entry in entries:
            change = self.prepare_entry(entry)
            if change is not None:
                changes.append(change)
            self.progress.advance()
        self.progress.finish()
        return changes

    def prepare_entry(self, entry):
        change = EntryChange(entry=entry)
        lookups = self.lookups
        existing = self.pages.get(entry.source_id)
        if existing is not None and existing.entry_type != entry.type:
            self.error(
                entry,
                _("id %(id)s belongs to a %(kind)s (%(title)s); an entry cannot change its type.")
                % {"id": entry.source_id, "kind": existing.entry_type, "title": existing.title},
            )
            return None
        try:
            if entry.get("commune"):
                change.commune = lookups.commune(entry.get("commune"))
                home = lookups.home(change.commune)
            else:
                home = lookups.home(None)
                change.commune = lookups.default_commune()
            change.index = lookups.index(home, entry.type)
        except FieldError as error:
            self.error(entry, str(error))
            return None
        if existing is None:
            change.page = lookups.entry_models[entry.type](source_id=entry.source_id)
        else:
            change.is_new = False
            change.page = existing.get_latest_revision_as_object()
            change.moves = existing.path[: -existing.steplen] != change.index.path
            change.fingerprint = fingerprint(change.page)
            # Never published (imported as a draft before): publish it now, changed or not.
            change.needs_publishing = not self.draft and not existing.live
            change.had_draft = existing.has_unpublished_changes
        Applier(change, lookups).apply()
        change.page.body = compose_body(change.page, change)
        self.validate(change)
        # Several model fields can stand for one format field (a date's month and day): say it once.
        for message in dict.fromkeys(change.errors):
            self.error(entry, message)
        for message in dict.fromkeys(change.warnings):
            self.problems.append(Problem(entry.number, message, self.unit, is_error=False))
        return None if change.errors else change

    def validate(self, change):
        """The model's own checks, on the page and on the inline objects the entry sets."""
        page, entry = change.page, change.entry
        explicit_status = entry.get("inventory_status")
        if hasattr(page, "update_rank"):
            page.update_rank()
            if explicit_status and page.inventory_status != explicit_status:
                change.warnings.append(
                    _("inventory_status: %(given)s becomes %(status)s, as the relic's decisions say.")
                    % {"given": explicit_status, "status": page.inventory_status}
                )
        names = dict(FIELD_NAMES)
        if entry.type == "festival":
            for part in ("start", "end"):
                for unit in ("month", "day", "leap"):
                    names[f"{part}_{unit}"] = f"{page.calendar}_{part}"
        # Foreign keys hold objects the import looked up once for the whole file, or ones Wagtail
        # set (locale, content type): checking that each still exists would cost a query per line.
        # The ids were checked the same way: no page in the archive has one of the new ones.
        exclude = [*_foreign_keys(page), "source_id", "translation_key"]
        if change.is_new:
            exclude += ["path", "depth", "numchild", "url_path"]
            page._cached_parent_obj = change.index  # lets the slug be made from the title
            page.locale = change.index.locale  # as Wagtail would, from the parent, without a query per page
        try:
            page.full_clean(exclude=exclude)
        except ValidationError as error:
            change.errors.extend(_renamed(validation_messages(error), names))
        for relation, name, renames in CHILD_RELATIONS:
            given = name in entry or (name == "decisions" and "ranking" in entry)
            if not given or not hasattr(page, relation):
                continue
            for position, child in enumerate(getattr(page, relation).all(), start=1):
                try:
                    child.full_clean(exclude=_foreign_keys(child))
                except ValidationError as error:
                    change.errors.extend(
                        f"{name}[{position}] {message}" for message in _renamed(validation_messages(error), renames)
                    )
        # Text fields' max_length is a form rule Django does not check on models; the admin does.
        for model_field in page._meta.concrete_fields:
            value = getattr(page, model_field.attname)
            if (
                isinstance(model_field, models.TextField)
                and model_field.max_length
                and len(value or "") > model_field.max_length
            ):
                change.errors.append(
                    _("%(field)s: at most %(max)s characters (it has %(count)s).")
                    % {
                        "field": names.get(model_field.name, model_field.name),
                        "max": model_field.max_length,
                        "count": len(value),
                    }
                )
        if "programme" in entry:
            try:
                page.programme.stream_block.clean(page.programme)
            except ValidationError as error:
                change.errors.append(f"programme: {' '.join(error.messages)}")

    def plan_links(self, changes, file_ids):
        """Resolve ``related`` in a second pass: ids anywhere in the file or the archive, one link per pair."""
        by_id = {change.source_id: change for change in changes}
        listed = {
            change.source_id: {item.id: item.relation for item in change.entry.get("related")}
            for change in changes
            if "related" in change.entry
        }
        ids = set(by_id) | {target for targets in listed.values() for target in targets}
        stored = set(
            EntryLink.objects.filter(Q(source__source_id__in=ids) | Q(target__source_id__in=ids)).values_list(
                "source__source_id", "target__source_id"
            )
        )
        decided = {}
        for change in changes:
            source_id = change.source_id
            if source_id not in listed:
                continue
            links = []
            for target_id, relation in listed[source_id].items():
                target_type = self.entry_type_of(target_id, by_id)
                if target_id == source_id:
                    change.errors.append(_("related: an entry cannot be linked to itself."))
                    continue
                if target_type is None:
                    if target_id not in file_ids:  # a broken line of the file has its own error
                        change.errors.append(
                            _("related: unknown id %(id)s, neither in the file nor in the archive.") % {"id": target_id}
                        )
                    continue
                relation = relation or default_relation(change.entry.type, target_type)
                if self.link_is_stored_the_other_way(source_id, target_id, relation, listed, decided, stored, by_id):
                    continue
                links.append((target_id, relation))
            decided[source_id] = {target for target, _relation in links}
            change.links = links
            if not change.is_new:
                current = [(link.target_id, link.relation) for link in change.page.links_out.all()]
                planned = [(self.page_of(target, by_id).pk, relation) for target, relation in links]
                change.links_changed = current != planned
        for change in changes:
            for message in change.errors:
                self.error(change.entry, message)
            change.errors = []

    def link_is_stored_the_other_way(self, source_id, target_id, relation, listed, decided, stored, by_id):
        """Whether the target already links (or will link) back, so this link would be a duplicate."""
        if target_id in decided:
            return source_id in decided[target_id]
        if target_id not in listed or source_id not in listed[target_id]:
            # The target keeps its links as they are.
            return (target_id, source_id) in stored and (source_id, target_id) not in stored
        # Both entries list each other and the target comes later: keep the link already stored,
        # else the one that says more than "related".
        if (source_id, target_id) in stored:
            return False
        if (target_id, source_id) in stored:
            return True
        target_type = self.entry_type_of(target_id, by_id)
        back = listed[target_id][source_id] or default_relation(target_type, by_id[source_id].entry.type)
        return relation == RELATED and back != RELATED

    def entry_type_of(self, source_id, by_id):
        if source_id in by_id:
            return by_id[source_id].entry.type
        page = self.pages.get(source_id)
        return page.entry_type if page is not None else None

    def page_of(self, source_id, by_id):
        return by_id[source_id].page if source_id in by_id else self.pages[source_id]

    def decide(self, changes):
        for change in changes:
            if change.is_new:
                change.action = "create"
            elif (
                change.moves
                or change.links_changed
                or change.needs_publishing
                or fingerprint(change.page) != change.fingerprint
            ):
                change.action = "update"
                if change.had_draft and not self.draft:
                    # The import starts from the latest revision, as an editor would in the admin.
                    self.problems.append(
                        Problem(
                            change.entry.number,
                            _("The page had unpublished changes; they are published with this import."),
                            self.unit,
                            is_error=False,
                        )
                    )
            else:
                change.action = "unchanged"

    def summarize(self, changes, result):
        for change in changes:
            {"create": result.created, "update": result.updated, "unchanged": result.unchanged}[change.action].append(
                change
            )
            if change.moves:
                result.moved.append(change)
        result.images = sum(
            1 for instance in self.lookups.pending if getattr(instance, "_import_path", None) and not instance.pk
        )
        result.links = sum(len(change.links) for change in changes if change.links and change.action != "unchanged")

    def error(self, entry, message):
        self.problems.append(Problem(entry.number, message, self.unit))

    # Writing ------------------------------------------------------------------------------

    def write(self, changes, result):
        created_files = []
        by_id = {change.source_id: change for change in changes}
        try:
            # Every save would refresh the reference index (pages are saved three times each, and
            # their inline objects with them); refresh it once per object at the end instead.
            with disable_reference_index_auto_update():
                self.lookups.save_pending(created_files)
                for change in changes:
                    _refresh_foreign_keys(change.page)
                self.progress.start(len(changes) * 2, _("Writing"))
                for change in changes:
                    if change.is_new:
                        self.create(change)
                    elif change.moves:
                        self.move(change)
                    self.progress.advance()
                for change in changes:
                    self.publish(change, by_id)
                    self.progress.advance()
                self.progress.finish()
            written = [*self.lookups.pending, *(change.page for change in changes if change.action != "unchanged")]
            for instance in written:
                if ReferenceIndex.is_indexed(type(instance)):
                    update_reference_index_task.enqueue(
                        instance._meta.app_label, instance._meta.model_name, str(instance.pk)
                    )
        except BaseException:
            # The transaction rolls back the rows; the files it wrote must go too.
            for name in created_files:
                default_storage.delete(name)
            raise

    def create(self, change):
        page = change.page
        page.body = compose_body(page, change)  # the gallery's new images have ids now
        page.slug = ""  # made again from the title, now that the siblings can be checked
        page.live = False
        change.index.add_child(instance=page)

    def move(self, change):
        page = change.page
        stored = Page.objects.get(pk=page.pk)
        slug = stored.slug
        suffix = 1
        while not Page._slug_is_available(slug, change.index, stored):
            suffix += 1
            slug = f"{stored.slug}-{suffix}"
        if slug != stored.slug:
            Page.objects.filter(pk=stored.pk).update(slug=slug)
            stored.slug = page.slug = slug
        stored.move(change.index, pos="last-child")
        moved = Page.objects.get(pk=page.pk)
        page.path, page.depth, page.url_path = moved.path, moved.depth, moved.url_path
        page.__dict__.pop("_cached_parent_obj", None)

    def publish(self, change, by_id):
        page = change.page
        if change.links is not None and change.action != "unchanged":
            page.links_out = [
                EntryLink(target=self.page_of(target_id, by_id), relation=relation)
                for target_id, relation in change.links
            ]
        if change.action == "unchanged":
            return
        if not change.is_new and change.gallery is not None:
            page.body = compose_body(page, change)
        revision = page.save_revision(log_action="wagtail.create" if change.is_new else True)
        if not self.draft:
            revision.publish()


def fingerprint(page):
    """The page's content without ids and ordering numbers, to tell whether an import changes it."""
    return json.dumps(_stable(page.serializable_data()), sort_keys=True, cls=DjangoJSONEncoder)


def _stable(value):
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items() if key not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    if isinstance(value, str) and value.startswith("[{"):
        try:
            return _stable(json.loads(value))  # a StreamField, serialized as JSON text
        except json.JSONDecodeError:
            return value
    return value


def _renamed(messages, names):
    renamed = []
    for message in messages:
        name, separator, text = message.partition(": ")
        renamed.append(f"{names.get(name, name)}: {text}" if separator and name in names else message)
    return renamed


def _refresh_foreign_keys(page):
    """Point the page's and its inline objects' foreign keys at the objects just saved.

    Django fills a foreign key's id from an object saved after it was assigned only when the
    instance itself is saved; a revision is serialized from the ids without saving the inline objects.
    """
    instances = [page]
    for relation in get_all_child_relations(page):
        instances.extend(getattr(page, relation.get_accessor_name()).all())
    for instance in instances:
        for model_field in instance._meta.concrete_fields:
            if not model_field.many_to_one:
                continue
            related = model_field.get_cached_value(instance, None)
            if related is not None and related.pk is not None and getattr(instance, model_field.attname) != related.pk:
                setattr(instance, model_field.attname, related.pk)


def _foreign_keys(instance):
    """The foreign keys of a page or inline object: set from looked-up objects, so not checked again."""
    return [model_field.name for model_field in instance._meta.concrete_fields if model_field.many_to_one]


def _order(problem):
    return (problem.number or 0, not problem.is_error)
