from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from festivals.models import FestivalIndexPage
from heritage.models import EntryLink, HeritagePage, LinkRelation
from people.models import PersonIndexPage
from search.backends import SearchBackend, SearchRequest, SearchResults
from search.builtin import BuiltinBackend
from search.indexing import all_documents
from search.models import SearchEntry
from sites.models import RelicIndexPage
from tests.festivals.factories import FestivalPageFactory
from tests.heritage.factories import build_commune, index_of, publish
from tests.people.factories import PersonPageFactory
from tests.sites.factories import RelicPageFactory


class RecordingBackend(SearchBackend):
    """Stands in for Elasticsearch: remembers what it was asked to write."""

    name = "recording"
    written = []
    deleted = []
    rebuilt = []

    def index_documents(self, documents):
        self.written.extend(document["id"] for document in documents)

    def delete_documents(self, ids):
        self.deleted.extend(ids)

    def rebuild(self, documents, *, progress=None):
        self.rebuilt[:] = [document["id"] for document in documents]
        if progress:
            progress(len(self.rebuilt))
        return len(self.rebuilt)

    def search(self, request):
        return SearchResults(backend=self.name)


class BrokenBackend(RecordingBackend):
    name = "broken"

    def index_documents(self, documents):
        raise ConnectionError("search engine down")

    delete_documents = index_documents


class IndexingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kien_minh = build_commune()
        cls.an_khanh = build_commune("An Khánh", "AK", "ankhanh.localhost")
        cls.relics = index_of(cls.kien_minh, RelicIndexPage)

    def setUp(self):
        RecordingBackend.written, RecordingBackend.deleted, RecordingBackend.rebuilt = [], [], []

    def draft(self, title="Đình Đông Khê", parent=None, **kwargs):
        return RelicPageFactory(parent=parent or self.relics, title=title, live=False, **kwargs)

    def found(self, query, **kwargs):
        return [hit.id for hit in BuiltinBackend().search(SearchRequest(query=query, **kwargs)).hits]

    def entry(self, page):
        return SearchEntry.objects.filter(pk=page.pk).first()


class PublishingTests(IndexingTestCase):
    def test_publishing_an_entry_indexes_it(self):
        page = publish(self.draft())
        self.assertEqual(self.found("dinh dong khe"), [page.pk])
        self.assertEqual(self.entry(page).url_path, page.url_path)

    def test_drafts_are_not_indexed(self):
        page = self.draft()
        page.save_revision()
        self.assertEqual(self.found("dinh dong khe"), [])

    def test_publishing_a_new_revision_replaces_the_entry(self):
        page = publish(self.draft())
        page.title = "Đình Vạn Hoa"
        publish(page)
        self.assertEqual(self.found("dinh van hoa"), [page.pk])
        self.assertEqual(self.found("dong khe"), [])

    def test_the_entry_uses_the_published_revision_with_its_other_names(self):
        page = self.draft()
        page.other_names.create(name="Đình Cả", kind="folk")
        publish(page)
        self.assertEqual(self.found("dinh ca"), [page.pk])

    def test_pages_that_are_not_entries_are_not_indexed(self):
        publish(self.relics)
        self.assertFalse(SearchEntry.objects.filter(pk=self.relics.pk).exists())

    def test_unpublishing_removes_the_entry(self):
        page = publish(self.draft())
        page.unpublish()
        self.assertEqual(self.found("dinh dong khe"), [])

    def test_deleting_removes_the_entry(self):
        page = publish(self.draft())
        Page.objects.get(pk=page.pk).delete()
        self.assertEqual(self.found("dinh dong khe"), [])
        self.assertIsNone(self.entry(page))

    def test_deleting_a_section_removes_the_entries_below_it(self):
        first, second = publish(self.draft()), publish(self.draft("Đình Đông Am"))
        Page.objects.get(pk=self.relics.pk).delete()
        self.assertFalse(SearchEntry.objects.filter(pk__in=[first.pk, second.pk]).exists())


class DedicationTests(IndexingTestCase):
    """A relic's entry carries the names of the people worshipped there, a festival's those it honours."""

    def setUp(self):
        super().setUp()
        self.person = publish(PersonPageFactory(parent=index_of(self.kien_minh, PersonIndexPage), title="Lê Ích Mộc"))
        self.shrine = publish(self.draft("Miếu Cả"))
        EntryLink.objects.create(source=self.person, target=self.shrine, relation=LinkRelation.WORSHIPPED_AT)
        publish(self.shrine)

    def test_the_shrine_is_found_by_the_name_of_the_person_worshipped_there(self):
        self.assertIn(self.shrine.pk, self.found("mieu le ich moc"))

    def test_renaming_the_person_rewrites_the_shrine(self):
        self.person.title = "Lê Văn Thịnh"
        publish(self.person)
        self.assertIn(self.shrine.pk, self.found("mieu le van thinh"))
        self.assertEqual(self.found("ich moc"), [])

    def test_unpublishing_the_person_takes_the_name_off_the_shrine(self):
        self.person.unpublish()
        self.assertEqual(self.found("le ich moc"), [])
        self.assertEqual(self.found("mieu ca"), [self.shrine.pk])

    def test_a_festival_is_found_by_the_person_it_honours(self):
        festival = publish(FestivalPageFactory(parent=index_of(self.kien_minh, FestivalIndexPage), title="Hội làng"))
        EntryLink.objects.create(source=festival, target=self.person, relation=LinkRelation.HONOURS)
        publish(festival)
        self.assertIn(festival.pk, self.found("hoi le ich moc"))


class RebuildDocumentsTests(TestCase):
    """A rebuild reads every entry's document with its relations prefetched per kind: the same
    documents as one entry at a time, in a number of queries that more entries do not raise (save
    one for each story holding images, which Wagtail reads with the story)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_data", verbosity=0, stdout=StringIO())

    def one_at_a_time(self):
        return [page.specific.search_document() for page in HeritagePage.objects.live().public().order_by("path")]

    def test_the_documents_are_those_of_each_entry_on_its_own(self):
        documents = list(all_documents())
        # The demo exercises every prefetched relation, so a wrong prefetch shows as a difference.
        relics = [document for document in documents if document["type"] == "relic"]
        self.assertTrue(any(document["facets"]["figure"] for document in documents))
        self.assertTrue(any(document["facets"]["relic_type"] for document in relics))
        self.assertTrue(all(document["tags"] for document in relics))
        self.assertTrue(any(len(document["names"]) > 1 for document in documents))
        self.assertEqual(documents, self.one_at_a_time())

    def test_more_entries_cost_no_more_queries(self):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                count = len(list(all_documents()))
            return count, len(captured)

        before, spent = queries()
        person = PersonPageFactory(parent=PersonIndexPage.objects.first(), title="Lê Ích Mộc")
        for number in range(5):
            relic = RelicPageFactory(parent=RelicIndexPage.objects.first(), title=f"Miếu số {number}")
            relic.other_names.create(name=f"Miếu Cả {number}")
            relic.tags.add("miếu")
            relic.save()
            EntryLink.objects.create(source=person, target=relic, relation=LinkRelation.WORSHIPPED_AT)
        after, spent_after = queries()
        self.assertEqual(after, before + 6)
        self.assertEqual(spent_after, spent)


class PrivacyTests(IndexingTestCase):
    def restrict(self, page):
        return PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.PASSWORD, password="bi-mat"
        )

    def test_entries_in_a_private_section_are_not_indexed(self):
        self.restrict(self.relics)
        publish(self.draft())
        self.assertEqual(self.found("dinh dong khe"), [])

    def test_restricting_a_published_entry_removes_it_and_lifting_the_restriction_restores_it(self):
        page = publish(self.draft())
        restriction = self.restrict(page)
        self.assertEqual(self.found("dinh dong khe"), [])
        restriction.delete()
        self.assertEqual(self.found("dinh dong khe"), [page.pk])

    def test_restricting_a_section_removes_the_entries_below_it(self):
        page = publish(self.draft())
        self.restrict(self.relics)
        self.assertIsNone(self.entry(page))


class MovingTests(IndexingTestCase):
    def test_moving_an_entry_to_another_commune_changes_its_scope_and_url(self):
        page = publish(self.draft())
        target = index_of(self.an_khanh, RelicIndexPage)
        page.move(target, pos="last-child")
        page = Page.objects.get(pk=page.pk)
        self.assertEqual(self.found("dinh dong khe", scope_path=self.an_khanh.home.path), [page.pk])
        self.assertEqual(self.found("dinh dong khe", scope_path=self.kien_minh.home.path), [])
        self.assertEqual(self.entry(page).url_path, page.url_path)

    def test_moving_a_section_moves_the_entries_below_it(self):
        festivals = index_of(self.kien_minh, FestivalIndexPage)
        festival = publish(FestivalPageFactory(parent=festivals, title="Lễ hội chọi trâu", live=False))
        section = Page.objects.get(pk=festivals.pk)
        section.slug = "le-hoi-kien-minh"  # the other commune has a "le-hoi" already
        section.save()
        Page.objects.get(pk=festivals.pk).move(self.an_khanh.home, pos="last-child")
        festival = Page.objects.get(pk=festival.pk)
        self.assertEqual(self.found("choi trau", scope_path=self.an_khanh.home.path), [festival.pk])
        self.assertEqual(self.entry(festival).url_path, festival.url_path)
        self.assertEqual(self.entry(festival).path, festival.path)

    def test_reordering_siblings_keeps_every_entry_in_its_commune(self):
        pages = [publish(self.draft(f"Đình số {number}")) for number in range(3)]
        Page.objects.get(pk=pages[2].pk).move(Page.objects.get(pk=pages[0].pk), pos="left")
        for page in pages:
            page = Page.objects.get(pk=page.pk)
            self.assertEqual(self.entry(page).path, page.path)
        self.assertEqual(len(self.found("dinh so", scope_path=self.kien_minh.home.path)), 3)

    def test_moving_an_entry_into_a_private_section_removes_it(self):
        page = publish(self.draft())
        target = index_of(self.an_khanh, RelicIndexPage)
        PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.LOGIN)
        page.move(target, pos="last-child")
        self.assertIsNone(self.entry(page))

    def test_renaming_a_section_updates_the_urls_of_its_entries(self):
        page = publish(self.draft())
        relics = Page.objects.get(pk=self.relics.pk).specific
        relics.slug = "di-tich-lich-su"
        publish(relics)
        self.assertEqual(self.entry(page).url_path, Page.objects.get(pk=page.pk).url_path)
        self.assertIn("/di-tich-lich-su/", self.entry(page).url_path)


class FailureTests(IndexingTestCase):
    def test_a_failing_built_in_index_does_not_stop_publishing(self):
        with (
            mock.patch.object(BuiltinBackend, "index_documents", side_effect=RuntimeError("disk full")),
            self.assertLogs("search.indexing", "ERROR"),
        ):
            page = publish(self.draft())
        self.assertTrue(page.live)
        self.assertEqual(self.found("dinh dong khe"), [])

    @override_settings(SEARCH_BACKEND="tests.search.test_indexing.BrokenBackend")
    def test_a_failing_search_engine_does_not_stop_publishing_and_the_built_in_index_is_written(self):
        with self.assertLogs("search.indexing", "ERROR") as logs, self.captureOnCommitCallbacks(execute=True):
            page = publish(self.draft())
            page.unpublish()
        self.assertFalse(Page.objects.get(pk=page.pk).live)
        self.assertIn("could not be updated", logs.output[0])

    @override_settings(SEARCH_BACKEND="tests.search.test_indexing.NoSuchBackend")
    def test_a_backend_that_cannot_be_loaded_does_not_stop_publishing(self):
        with self.assertLogs("search.indexing", "ERROR"), self.captureOnCommitCallbacks(execute=True):
            page = publish(self.draft())
        self.assertEqual(self.found("dinh dong khe"), [page.pk])

    @override_settings(SEARCH_BACKEND="tests.search.test_indexing.RecordingBackend")
    def test_the_active_backend_is_written_once_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            page = publish(self.draft())
        self.assertEqual(RecordingBackend.written, [])
        self.assertEqual(self.found("dinh dong khe"), [page.pk])
        for callback in callbacks:
            callback()
        self.assertEqual(RecordingBackend.written, [page.pk])
        with self.captureOnCommitCallbacks(execute=True):
            page.unpublish()
        self.assertEqual(RecordingBackend.deleted, [page.pk])


class RebuildCommandTests(IndexingTestCase):
    def rebuild(self, *args):
        output = StringIO()
        call_command("rebuild_search_index", *args, stdout=output, stderr=StringIO())
        return output.getvalue()

    def test_the_index_is_rebuilt_from_live_public_entries(self):
        live = RelicPageFactory(parent=self.relics, title="Đình Đông Khê")
        RelicPageFactory(parent=self.relics, title="Đình Bỏ Hoang", live=False)
        SearchEntry.objects.create(id=10**9, title="Stale", path="0001", url_path="/stale/", facets="")
        output = self.rebuild()
        self.assertEqual(set(SearchEntry.objects.values_list("pk", flat=True)), {live.pk})
        self.assertIn("builtin: 1/1", output)
        self.assertIn("1 entries indexed", output)

    def test_rebuilding_twice_gives_the_same_index(self):
        RelicPageFactory(parent=self.relics, title="Đình Đông Khê")
        self.rebuild()
        first = list(SearchEntry.objects.values_list("pk", "title", "path", "url_path", "facets"))
        self.rebuild()
        self.assertEqual(list(SearchEntry.objects.values_list("pk", "title", "path", "url_path", "facets")), first)

    def test_verbosity_zero_prints_nothing(self):
        RelicPageFactory(parent=self.relics, title="Đình Đông Khê")
        self.assertEqual(self.rebuild("-v", "0"), "")

    @override_settings(SEARCH_BACKEND="tests.search.test_indexing.RecordingBackend")
    def test_the_active_backend_is_rebuilt_too(self):
        page = RelicPageFactory(parent=self.relics, title="Đình Đông Khê")
        output = self.rebuild()
        self.assertEqual(RecordingBackend.rebuilt, [page.pk])
        self.assertIn("recording: 1 entries indexed", output)
        self.assertEqual(self.found("dinh dong khe"), [page.pk])

    @override_settings(SEARCH_BACKEND="tests.search.test_indexing.RecordingBackend")
    def test_builtin_only_leaves_the_active_backend_alone(self):
        RelicPageFactory(parent=self.relics, title="Đình Đông Khê")
        self.rebuild("--builtin-only")
        self.assertEqual(RecordingBackend.rebuilt, [])
