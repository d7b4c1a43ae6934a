from unittest import mock

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from search.backends import SearchRequest
from search.builtin import LABELS, NAMES, SUMMARY, TAGS, TEXT, TITLE, BuiltinBackend, IndexCache, document_terms
from search.models import SearchEntry, SearchTerm

from .contract import BackendContract


class BuiltinBackendTests(BackendContract, TestCase):
    @classmethod
    def make_backend(cls):
        return BuiltinBackend()


def document(pk=1, title="", *, names=(), tags=(), summary="", text=(), path="00010001", facets=None):
    return {
        "id": pk,
        "source_id": f"test-{pk}",
        "type": "relic",
        "title": title,
        "names": list(names),
        "summary": summary,
        "text": list(text),
        "tags": list(tags),
        "facets": facets or {},
        "path": path,
        "url_path": f"/entry-{pk}/",
        "published_at": None,
    }


class DocumentTermsTests(SimpleTestCase):
    def weight(self, terms, term):
        return terms[term][0]

    def test_a_word_weighs_most_in_the_title_then_names_tags_summary_and_text(self):
        weights = [
            self.weight(document_terms(document(**{field: value})), "trau")
            for field, value in [
                ("title", "Chọi trâu"),
                ("names", ["Chọi trâu"]),
                ("tags", ["chọi trâu"]),
                ("summary", "Chọi trâu"),
                ("text", ["Chọi trâu"]),
            ]
        ]
        self.assertEqual(weights, sorted(weights, reverse=True))
        self.assertGreater(weights[0], 5 * weights[-1])

    def test_each_term_records_the_fields_it_occurs_in(self):
        terms = document_terms(document(title="Đình Đông", summary="Đình làng", text=["Ngôi đình"]))
        self.assertEqual(terms["dinh"][1], TITLE | SUMMARY | TEXT)
        self.assertEqual(document_terms(document(names=["Đình cả"], tags=["đình"]))["dinh"][1], NAMES | TAGS)

    def test_accented_forms_are_kept_only_where_they_differ_from_the_folded_ones(self):
        self.assertEqual(set(document_terms(document(summary="Đình An"))), {"đình", "dinh", "an", "dinh_an"})

    def test_phrases_are_bigrams_that_do_not_cross_from_one_text_to_the_next(self):
        terms = document_terms(document(text=["lễ hội", "chọi trâu"]))
        self.assertIn("le_hoi", terms)
        self.assertIn("choi_trau", terms)
        self.assertNotIn("hoi_choi", terms)

    def test_only_titles_and_names_get_whole_names_and_beginnings(self):
        terms = document_terms(document(title="Trần Hưng Đạo", names=["Đức Thánh Trần"], text=["Trạng Trình"]))
        for term in ["=tranhungdao", "=ducthanhtran", ">tr", ">hu", "^tranhu", "^ducth", "tranhungdao"]:
            with self.subTest(term=term):
                self.assertIn(term, terms)
        for term in ["=trangtrinh", "^trangtr", "trangtrinh"]:
            with self.subTest(term=term):
                self.assertNotIn(term, terms)

    def test_facet_labels_are_searchable_below_the_tags(self):
        terms = document_terms(document(tags=["nhà Mạc"], facets={"period": [("3", "Nhà Mạc")]}))
        self.assertEqual(terms["nha_mac"][1], TAGS | LABELS)
        labels_only = document_terms(document(facets={"period": [("3", "Nhà Mạc")]}))
        self.assertLess(labels_only["mac"][0], document_terms(document(tags=["nhà Mạc"]))["mac"][0])

    def test_empty_and_missing_fields_give_no_terms(self):
        self.assertEqual(document_terms(document(text=["", None, "   "])), {})


class IndexTests(TestCase):
    def test_rebuild_replaces_the_whole_index_and_reports_progress(self):
        backend = BuiltinBackend()
        backend.index_documents([document(1, "Đình cũ")])
        progress = []
        count = backend.rebuild((document(pk, f"Đình số {pk}") for pk in range(2, 503)), progress=progress.append)
        self.assertEqual(count, 501)
        self.assertEqual(progress, [200, 400, 501])
        self.assertFalse(SearchEntry.objects.filter(pk=1).exists())
        self.assertFalse(SearchTerm.objects.filter(entry_id=1).exists())

    def test_a_search_sees_writes_made_after_the_last_search(self):
        backend = BuiltinBackend()
        backend.index_documents([document(1, "Đình Đông")])
        self.assertEqual(backend.search(SearchRequest(query="dinh")).count, 1)
        backend.index_documents([document(2, "Đình Đoài")])
        self.assertEqual(backend.search(SearchRequest(query="dinh")).count, 2)
        backend.delete_documents([1])
        self.assertEqual([hit.id for hit in backend.search(SearchRequest(query="dinh")).hits], [2])
        backend.move_documents({2: ("00020002", "/moved/")})
        self.assertEqual(backend.search(SearchRequest(query="dinh", scope_path="0002")).hits[0].url_path, "/moved/")

    def test_a_repeated_search_costs_the_same_few_queries_however_many_entries_match(self):
        backend = BuiltinBackend()
        backend.index_documents([document(pk, f"Đình làng số {pk}", text=["Đình làng"]) for pk in range(1, 301)])
        request = SearchRequest(query="dinh lang", limit=20)
        backend.search(request)
        with CaptureQueriesContext(connection) as queries:
            results = backend.search(request)
        self.assertEqual(results.count, 300)
        # The index token, the terms that are not in the index (the query as a whole name), the texts.
        self.assertLessEqual(len(queries), 3)

    def test_an_error_inside_a_search_is_logged_and_answered_with_no_results(self):
        backend = BuiltinBackend()
        with (
            mock.patch.object(IndexCache, "get", side_effect=ZeroDivisionError),
            mock.patch.object(connection, "cursor", side_effect=ZeroDivisionError),
            self.assertLogs("search.builtin", "ERROR") as logs,
        ):
            results = backend.search(SearchRequest(query="dinh"))
            suggestions = backend.suggest("dinh")
        self.assertEqual((results.count, results.hits, suggestions), (0, [], []))
        self.assertEqual(len(logs.output), 2)


class JoinedWordsTests(TestCase):
    def test_a_word_typed_without_spaces_also_finds_text_that_mentions_it(self):
        backend = BuiltinBackend()
        backend.index_documents(
            [
                document(1, "Trần Hưng Đạo"),
                document(2, "Lễ rước nước", summary="Dân làng tưởng nhớ Trần Hưng Đạo."),
                document(3, "Chùa làng", summary="Ngôi chùa làng Trần."),
            ]
        )
        results = backend.search(SearchRequest(query="tranhungdao"))
        self.assertEqual([hit.id for hit in results.hits], [1, 2])
        self.assertIn("<mark>Trần</mark> <mark>Hưng</mark> <mark>Đạo</mark>", results.hits[1].snippet)

    def test_facet_labels_are_searched_on_their_own_and_with_other_words(self):
        backend = BuiltinBackend()
        backend.index_documents(
            [
                document(1, "Chùa Đại Trà", tags=["chùa"], facets={"period": [("3", "Nhà Mạc")]}),
                document(2, "Chùa Lạng Côn", tags=["chùa"], facets={"period": [("5", "Nhà Nguyễn")]}),
                document(3, "Mạc Đăng Dung", summary="Vua khai sáng nhà Mạc."),
            ]
        )
        results = backend.search(SearchRequest(query="chùa nhà Mạc"))
        self.assertEqual(results.hits[0].id, 1)
        self.assertEqual({hit.id for hit in backend.search(SearchRequest(query="nha nguyen")).hits}, {2})
