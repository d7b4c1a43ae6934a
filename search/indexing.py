"""Keep the search index in step with the page tree.

Wagtail's signals drive it: publishing writes the entry from ``page.specific.search_document()``,
unpublishing and deleting remove it, moving updates the tree and URL paths of the page and of
everything below it, adding or removing a view restriction adds or removes the entries it
covers, and editing a recording rewrites the entries that use it as their audio guide (its
transcript is searchable). Publishing or unpublishing a person rewrites the relics where the person
is worshipped and the festivals that honour them: their documents carry the person's name. Only
live, public heritage entries are indexed.

The built-in index is always written, in a savepoint of the publishing transaction: it commits or
rolls back with the page, and it is what searches fall back on when Elasticsearch is down. When
``settings.SEARCH_BACKEND`` names another backend, that backend is written too, once the
transaction has committed. Errors are logged and never raised: an index that cannot be written
must not stop an editor from publishing. ``rebuild_search_index`` repairs whatever was missed.
"""

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtailmedia.models import get_media_model

from heritage.models import EntryLink, HeritagePage, LinkRelation

from .backends import get_backend
from .builtin import BuiltinBackend
from .models import SearchEntry

logger = logging.getLogger(__name__)

CHUNK = 200


def indexable(pages):
    """The heritage entries among ``pages`` (a queryset of pages) that belong in the index."""
    return HeritagePage.objects.filter(pk__in=pages.values("pk")).live().public()


def documents_for(pages):
    """Search documents of those of ``pages`` that are live, public heritage entries."""
    pages = list(pages)
    keep = set(indexable(Page.objects.filter(pk__in=[page.pk for page in pages])).values_list("pk", flat=True))
    return [page.specific.search_document() for page in pages if page.pk in keep]


def all_documents(*, chunk=CHUNK):
    """Documents of every live, public entry in tree order, read in chunks so that memory stays
    flat. Each chunk costs a query per kind and per relation the kind's documents read
    (``search_prefetch``), not per entry."""
    rows = list(HeritagePage.objects.live().public().order_by("path").values_list("pk", "content_type_id"))
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        by_kind = defaultdict(list)
        for pk, content_type_id in part:
            by_kind[content_type_id].append(pk)
        pages = {}
        for content_type_id, pks in by_kind.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:  # a kind whose code is gone
                continue
            found = model.objects.filter(pk__in=pks).select_related("village", "period")
            pages.update((page.pk, page) for page in found.prefetch_related(*model.search_prefetch()))
        for pk, _content_type_id in part:
            if pk in pages:
                yield pages[pk].search_document()


def count_documents():
    return HeritagePage.objects.live().public().count()


def other_backend():
    """The active backend when it is not the built-in one (Elasticsearch), else None."""
    if settings.SEARCH_BACKEND.rsplit(".", 1)[-1] == BuiltinBackend.__name__:
        return None
    try:
        backend = get_backend()
    except Exception:
        logger.exception(
            "Search backend %s cannot be loaded; only the built-in index is updated", settings.SEARCH_BACKEND
        )
        return None
    return None if isinstance(backend, BuiltinBackend) else backend


def write(documents=(), deleted=(), *, locations=None):
    """Apply changes to the built-in index now and to the other backend after the commit; never raise.

    ``locations`` (``{id: (path, url_path)}``) moves entries in the built-in index without
    re-reading their documents; the other backend gets their whole documents in ``documents``.
    """
    documents, deleted = list(documents), list(deleted)
    builtin_documents = [document for document in documents if document["id"] not in (locations or {})]
    try:
        with transaction.atomic():
            builtin = BuiltinBackend()
            if builtin_documents:
                builtin.index_documents(builtin_documents)
            if deleted:
                builtin.delete_documents(deleted)
            if locations:
                builtin.move_documents(locations)
    except Exception:
        logger.exception("The built-in search index could not be updated (%d entries)", len(documents) + len(deleted))
    if (documents or deleted) and (backend := other_backend()) is not None:
        transaction.on_commit(lambda: _write_other(backend, documents, deleted))


def _write_other(backend, documents, deleted):
    try:
        if documents:
            backend.index_documents(documents)
        if deleted:
            backend.delete_documents(deleted)
    except Exception:
        logger.exception("The %s search index could not be updated; rebuild_search_index will repair it", backend.name)


def sync_subtree(root):
    """Bring the entries of ``root`` and every page below it in line with the tree.

    Adds entries that became public or live, removes those that did not, and updates the tree
    and URL paths of those that moved. Cheap when nothing changed: two queries.
    """
    subtree = Page.objects.descendant_of(root, inclusive=True)
    wanted = set(indexable(subtree).values_list("pk", flat=True))
    pages = {pk: (path, url_path) for pk, path, url_path in subtree.values_list("pk", "path", "url_path")}
    present = {
        pk: (path, url_path)
        for pk, path, url_path in SearchEntry.objects.filter(id__in=list(pages)).values_list("id", "path", "url_path")
    }
    removed = [pk for pk in present if pk not in wanted]
    added = [pk for pk in wanted if pk not in present]
    moved = {pk: pages[pk] for pk in present if pk in wanted and present[pk] != pages[pk]}
    if not (removed or added or moved):
        return
    changed = added + (list(moved) if other_backend() is not None else [])
    documents = []
    for start in range(0, len(changed), CHUNK):
        for page in HeritagePage.objects.filter(pk__in=changed[start : start + CHUNK]).specific():
            documents.append(page.search_document())
    write(documents, removed, locations=moved)


def _safely(handler):
    """Run a signal handler, logging instead of raising: publishing must go on whatever happens."""

    def run(**kwargs):
        try:
            handler(**kwargs)
        except Exception:
            logger.exception("Search indexing failed in %s", handler.__name__)

    run.__name__ = handler.__name__
    return run


def dedicated_to(page):
    """Entries whose documents name ``page`` as a figure they are dedicated to (``HeritagePage.figures``)."""
    links = EntryLink.objects.filter(
        Q(source=page, relation=LinkRelation.WORSHIPPED_AT) | Q(target=page, relation=LinkRelation.HONOURS)
    )
    ids = {pk for pair in links.values_list("source_id", "target_id") for pk in pair} - {page.pk}
    return HeritagePage.objects.filter(pk__in=ids).specific()


@_safely
def on_publish(instance, **kwargs):
    if isinstance(instance, HeritagePage):
        documents = documents_for([instance])
        write(documents + documents_for(dedicated_to(instance)), [] if documents else [instance.pk])
    if instance.numchild:
        # A new slug changes the URLs below; republishing also repairs entries a failure missed.
        sync_subtree(instance)


@_safely
def on_unpublish(instance, **kwargs):
    write(documents_for(dedicated_to(instance)), [instance.pk])


@_safely
def on_delete(instance, **kwargs):
    # Sent for each page of a deleted subtree, with the page as a plain Page whatever its kind.
    write(deleted=[instance.pk])


@_safely
def on_move(instance, parent_page_after, **kwargs):
    # A move may shift the tree paths of the new siblings too, so the new parent's subtree is synced.
    sync_subtree(parent_page_after)


@_safely
def on_restriction_change(instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # None while the page itself is being deleted
        sync_subtree(page)


@_safely
def on_recording_change(instance, **kwargs):
    # A transcript is searchable text of every entry that uses the recording as its audio guide.
    pages = HeritagePage.objects.filter(audio_guides__media=instance).distinct().specific()
    documents = documents_for(pages)
    if documents:
        write(documents)


def connect():
    page_published.connect(on_publish, dispatch_uid="search.on_publish")
    page_unpublished.connect(on_unpublish, dispatch_uid="search.on_unpublish")
    # Only for pages: a receiver for every model would stop Django deleting rows in bulk.
    post_delete.connect(on_delete, sender=Page, dispatch_uid="search.on_delete")
    post_page_move.connect(on_move, dispatch_uid="search.on_move")
    post_save.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search.on_restriction_save")
    post_delete.connect(on_restriction_change, sender=PageViewRestriction, dispatch_uid="search.on_restriction_delete")
    post_save.connect(on_recording_change, sender=get_media_model(), dispatch_uid="search.on_recording_save")
