import logging
import multiprocessing
import socket
import time
import uuid
from unittest import mock

import pytest
from django.test import SimpleTestCase, TestCase, override_settings
from elasticsearch.exceptions import TransportError

from search import elastic
from search.backends import SearchBackend, SearchRequest, SearchResults
from search.builtin import BuiltinBackend
from search.elastic import ElasticsearchBackend, Unavailable

from .conftest import elasticsearch_test_url
from .contract import BackendContract

# The test node shares two cores with the test run: give it time, so a slow answer is not
# mistaken for a dead node (the fallback tests set their own short timeouts).
TEST_TIMEOUT = 30


def unique_prefix():
    """Index names of their own for each test class of each run: runs may share a node."""
    return f"test-{uuid.uuid4().hex[:10]}"


def entry(pk, title, *, text=(), names=(), summary="", tags=(), path="000100010001", facets=None):
    return {
        "id": pk,
        "source_id": f"test-{pk}",
        "type": "relic",
        "title": title,
        "names": list(names),
        "summary": summary,
        "text": list(text),
        "tags": list(tags),
        "facets": facets or {"type": [("relic", "di tích")]},
        "path": path,
        "url_path": f"/entry-{pk}/",
        "image_id": None,
        "location": None,
        "published_at": None,
    }


class QuietBackend(SearchBackend):
    """Stands in for the built-in backend where a test looks at Elasticsearch alone."""

    name = "quiet"

    def index_documents(self, documents):
        pass

    def delete_documents(self, ids):
        pass

    def rebuild(self, documents, *, progress=None):
        pass

    def search(self, request):
        return SearchResults(backend=self.name)

    def suggest(self, query, *, scope_path="", limit=8):
        return []


@pytest.mark.elasticsearch
class ElasticsearchTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prefix = unique_prefix()
        cls.backend = cls.make_elasticsearch(cls.prefix)

    @classmethod
    def tearDownClass(cls):
        cls.backend.drop()
        super().tearDownClass()

    @classmethod
    def make_elasticsearch(cls, prefix, **options):
        options = {"fallback": QuietBackend(), "timeout": TEST_TIMEOUT, **options}
        return ElasticsearchBackend(url=elasticsearch_test_url(), index_prefix=prefix, **options)

    def indices(self, backend=None):
        backend = backend or self.backend
        return set(backend.client.indices.get(index=f"{backend.alias}-*", expand_wildcards="all"))

    def live_index(self, backend=None):
        backend = backend or self.backend
        return set(backend.client.indices.get_alias(name=backend.alias))

    def titles(self, query, backend=None, **request):
        results = (backend or self.backend).search(SearchRequest(query=query, **request))
        self.assertEqual(results.backend, "elasticsearch")
        return [hit.title for hit in results.hits]


@pytest.mark.elasticsearch
class ElasticsearchBackendTests(BackendContract, TestCase):
    """The contract every backend keeps, on a node of the test run, with indices of its own."""

    @classmethod
    def make_backend(cls):
        return ElasticsearchBackend(url=elasticsearch_test_url(), index_prefix=unique_prefix(), timeout=TEST_TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.backend.drop()
        super().tearDownClass()

    def search(self, query="", **kwargs):
        results = super().search(query, **kwargs)
        self.assertEqual(results.backend, "elasticsearch", "the built-in backend answered instead")
        return results


class RebuildTests(ElasticsearchTestCase):
    def setUp(self):
        self.backend.rebuild([entry(1, "Đình Kiến Minh"), entry(2, "Chùa Vẽ")])

    def test_rebuild_switches_the_alias_to_a_new_index_and_drops_the_old_one(self):
        before = self.live_index()
        count = self.backend.rebuild([entry(3, "Đền Tân Viên")])
        after = self.live_index()
        self.assertEqual(count, 1)
        self.assertEqual(len(after), 1)
        self.assertNotEqual(after, before)
        self.assertEqual(self.indices(), after)
        self.assertEqual(self.titles("den"), ["Đền Tân Viên"])
        self.assertEqual(self.titles("dinh"), [])

    def test_searches_keep_answering_from_the_old_index_during_a_rebuild(self):
        seen = []

        def documents():
            for pk in range(10, 30):
                seen.append(self.titles("dinh kien minh"))
                yield entry(pk, f"Miếu số {pk}")

        self.backend.rebuild(documents())
        self.assertEqual(seen, [["Đình Kiến Minh"]] * 20)
        self.assertEqual(len(self.titles("mieu", limit=50)), 20)

    def test_entries_published_during_a_rebuild_are_in_the_new_index(self):
        def documents():
            yield entry(10, "Miếu Bà")
            self.backend.index_documents([entry(11, "Miếu Ông")])
            yield entry(12, "Miếu Cô")

        self.backend.rebuild(documents())
        self.assertEqual(sorted(self.titles("mieu")), ["Miếu Bà", "Miếu Cô", "Miếu Ông"])

    def test_a_failed_rebuild_leaves_the_live_index_alone(self):
        before = self.live_index()

        def documents():
            yield entry(10, "Miếu Bà")
            raise RuntimeError("the database went away")

        with self.assertRaises(RuntimeError):
            self.backend.rebuild(documents())
        self.assertEqual(self.live_index(), before)
        self.assertEqual(self.indices(), before)
        self.assertEqual(self.titles("chua ve"), ["Chùa Vẽ"])

    def test_a_rebuilt_index_is_searched_as_one_segment(self):
        self.backend.rebuild(entry(pk, f"Miếu số {pk}", text=[f"Miếu thờ của xóm {pk}."]) for pk in range(1, 3001))
        (name,) = self.live_index()
        shards = self.backend.client.indices.segments(index=name)["indices"][name]["shards"]
        segments = [segment for copies in shards.values() for copy in copies for segment in copy["segments"]]
        self.assertEqual(len(segments), 1)
        self.assertEqual(self.titles("mieu so 2999")[0], "Miếu số 2999")

    def test_rebuilding_with_no_entries_gives_an_empty_index(self):
        self.assertEqual(self.backend.rebuild([]), 0)
        self.assertEqual(self.titles("dinh"), [])


class WriteTests(ElasticsearchTestCase):
    def setUp(self):
        self.backend.drop()

    def test_the_first_write_creates_the_index_behind_the_alias(self):
        self.backend.index_documents([entry(1, "Đình Kiến Minh")])
        self.assertEqual(len(self.live_index()), 1)
        self.assertEqual(self.titles("kien minh"), ["Đình Kiến Minh"])

    def test_before_the_first_write_the_built_in_backend_answers_and_the_node_stays_in_use(self):
        with self.assertLogs("search.elastic", logging.WARNING):
            self.assertEqual(self.backend.search(SearchRequest(query="kien minh")).backend, "quiet")
        self.backend.index_documents([entry(1, "Đình Kiến Minh")])
        self.assertEqual(self.titles("kien minh"), ["Đình Kiến Minh"])

    def test_deleting_an_entry_that_was_never_indexed_is_not_an_error(self):
        self.backend.index_documents([entry(1, "Đình Kiến Minh")])
        self.backend.delete_documents([1, 999])
        self.assertEqual(self.titles("kien minh"), [])


class IndexPrefixTests(ElasticsearchTestCase):
    def test_backends_with_different_prefixes_do_not_see_each_other(self):
        other = self.make_elasticsearch(unique_prefix())
        try:
            self.backend.rebuild([entry(1, "Đình Kiến Minh")])
            other.rebuild([entry(2, "Chùa Vẽ")])
            other.rebuild([entry(3, "Chùa Vẽ mới")])
            self.assertEqual(self.titles("dinh"), ["Đình Kiến Minh"])
            self.assertEqual(self.titles("dinh", backend=other), [])
            self.assertEqual(len(self.live_index()), 1)
        finally:
            other.drop()

    def test_index_names_come_from_the_setting(self):
        with override_settings(ELASTICSEARCH_URL=elasticsearch_test_url(), ELASTICSEARCH_INDEX_PREFIX="Heritage-Dev"):
            backend = ElasticsearchBackend(fallback=QuietBackend())
        self.assertEqual(backend.alias, "heritage-dev-entries")


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FallbackTests(SimpleTestCase):
    """When the node is unreachable or slow, the built-in backend answers."""

    class Builtin(QuietBackend):
        name = "builtin"

        def search(self, request):
            return SearchResults(count=1, backend=self.name)

        def suggest(self, query, *, scope_path="", limit=8):
            return ["from the built-in backend"]

    def backend(self, url, timeout=1):
        return ElasticsearchBackend(
            url=url, index_prefix=unique_prefix(), timeout=timeout, fallback=self.Builtin(), retry_after=0
        )

    def test_search_falls_back_when_the_node_is_unreachable(self):
        backend = self.backend(f"http://127.0.0.1:{closed_port()}")
        with self.assertLogs("search.elastic", logging.WARNING) as logs:
            results = backend.search(SearchRequest(query="đình"))
        self.assertEqual((results.count, results.backend), (1, "builtin"))
        self.assertIn("built-in backend answers", logs.output[0])

    def test_the_warning_does_not_show_a_password_given_in_the_url(self):
        backend = self.backend(f"http://archive:s3cret@127.0.0.1:{closed_port()}")
        with self.assertLogs("search.elastic", logging.WARNING) as logs:
            backend.search(SearchRequest(query="đình"))
        self.assertNotIn("s3cret", "".join(logs.output))

    def test_suggest_falls_back_when_the_node_is_unreachable(self):
        backend = self.backend(f"http://127.0.0.1:{closed_port()}")
        with self.assertLogs("search.elastic", logging.WARNING):
            self.assertEqual(backend.suggest("đình"), ["from the built-in backend"])

    def test_search_falls_back_when_the_node_is_too_slow(self):
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()  # accepts connections and never answers
            backend = self.backend(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.5)
            with self.assertLogs("search.elastic", logging.WARNING) as logs:
                results = backend.search(SearchRequest(query="đình"))
        self.assertEqual(results.backend, "builtin")
        self.assertIn("ConnectionTimeout", logs.output[0])

    def test_writes_raise_when_the_node_is_down_and_then_fail_at_once(self):
        backend = self.backend(f"http://127.0.0.1:{closed_port()}")
        backend.retry_after = 60
        with self.assertRaises(TransportError):
            backend.index_documents([entry(1, "Đình Kiến Minh")])
        started = time.monotonic()
        with self.assertRaises(Unavailable):  # a publish does not wait on a node that just failed
            backend.delete_documents([1])
        self.assertLess(time.monotonic() - started, 0.5)

    def test_after_a_failure_searches_skip_the_node_for_a_while(self):
        backend = self.backend(f"http://127.0.0.1:{closed_port()}")
        backend.retry_after = 60
        with self.assertLogs("search.elastic", logging.WARNING) as logs:
            backend.search(SearchRequest(query="đình"))
            results = backend.search(SearchRequest(query="chùa"))
        self.assertEqual(results.backend, "builtin")
        self.assertEqual(len(logs.output), 1)


class SearchTests(ElasticsearchTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend.rebuild(
            [
                entry(1, "Đình Đông Khê", text=["Đình thờ Thành hoàng làng."]),
                entry(2, "Đình Động Khê", text=["Một ngôi đình <cổ> & đẹp."]),
                entry(3, "Đền thờ Trần Hưng Đạo", names=["Đền Kiếp Bạc"], text=["Nơi thờ Hưng Đạo Đại Vương."]),
                entry(4, "Chùa Vẽ", path="000100020001", text=["Chùa gần đình làng."]),
            ]
        )

    def test_snippets_show_the_accented_text_with_marks_and_escape_the_rest(self):
        results = self.backend.search(SearchRequest(query="dinh co"))
        self.assertEqual(results.hits[0].snippet, "Một ngôi <mark>đình</mark> &lt;<mark>cổ</mark>&gt; &amp; đẹp.")

    def test_hostile_requests_get_an_answer_not_an_error(self):
        requests = [
            SearchRequest(query="\x00\x1b" + "a" * 10_000),
            SearchRequest(query='title:( "* OR ] \\'),
            SearchRequest(query="đình", limit=-5, offset=10**9),
            SearchRequest(
                query="đình", filters={"rank": None, "type": "relic", "nonsense": ["x"], "period": [None, ""]}
            ),
            SearchRequest(query="đình", scope_path="*"),
        ]
        for request in requests:
            with self.subTest(request=request):
                self.assertEqual(self.backend.search(request).backend, "elasticsearch")

    def test_scope_limits_results_to_a_part_of_the_tree(self):
        self.assertEqual(self.titles("dinh", scope_path="00010002"), ["Chùa Vẽ"])

    def test_a_list_of_nodes_goes_on_through_the_next_when_the_first_is_down(self):
        with socket.socket() as closed:  # a port nothing listens on once the socket is closed
            closed.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
        nodes = f"{dead}, {elasticsearch_test_url()}"
        backend = ElasticsearchBackend(
            url=nodes, index_prefix=self.prefix, timeout=TEST_TIMEOUT, fallback=QuietBackend()
        )
        for _ in range(3):
            self.assertEqual(self.titles("den tran hung dao", backend=backend)[0], "Đền thờ Trần Hưng Đạo")


class RankingTests(ElasticsearchTestCase):
    """Entries holding more of the query words first, and of three words or more, most of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend.rebuild(
            [
                # Two of "đình làng cổ", in the title: scores high, holds too few to rank first.
                entry(1, "Đình làng", names=["Đình làng Đình làng"], text=["Đình làng, đình làng."]),
                # All three, in the body text only.
                entry(2, "Nhà văn hóa", text=["Bên cạnh có ngôi đình cổ của làng."]),
                # All three in the title: what the query names.
                entry(3, "Đình làng cổ", text=["Ngôi đình."]),
                # One of the three, however often: not found.
                entry(4, "Đình Đình", names=["Đình"], text=["Đình đình đình đình."]),
                *(entry(10 + number, f"Đình làng số {number}", text=["Đình cổ."]) for number in range(6)),
            ]
        )

    def search(self, query, **request):
        results = self.backend.search(SearchRequest(query=query, **request))
        self.assertEqual(results.backend, "elasticsearch")
        return results

    def test_entries_holding_every_word_come_before_those_holding_fewer(self):
        results = self.search("đình làng cổ", limit=20)
        titles = [hit.title for hit in results.hits]
        self.assertEqual(titles[0], "Đình làng cổ")
        self.assertLess(titles.index("Nhà văn hóa"), titles.index("Đình làng"))
        self.assertNotIn("Đình Đình", titles)
        self.assertEqual(results.count, len(titles))
        self.assertEqual(len(titles), 9)

    def test_pages_hold_each_entry_found_once(self):
        whole = [hit.id for hit in self.search("dinh lang co", limit=20).hits]
        pages = []
        for offset in range(0, 12, 2):
            pages += [hit.id for hit in self.search("dinh lang co", limit=2, offset=offset).hits]
        self.assertEqual(pages, whole)

    def test_hits_holding_too_few_words_are_left_out_even_when_they_score_above_the_rest(self):
        # With tiers smaller than the words' own scores, entries holding one word mix with the rest.
        with mock.patch("search.elastic.TIER", 0.001), self.assertLogs("search.elastic", "WARNING") as logs:
            results = self.search("đình làng cổ", limit=20)
        self.assertNotIn("Đình Đình", [hit.title for hit in results.hits])
        self.assertEqual(len(results.hits), results.count)
        self.assertIn("tiers mixed", logs.output[0])


def _search_in_child(backend, query, answers):
    answers.put([hit.title for hit in backend.search(SearchRequest(query=query)).hits])


class QueryPlanTests(ElasticsearchTestCase):
    """How a search is sent (with its probe or beside it) never changes what it finds."""

    def setUp(self):
        self.backend.rebuild(
            [
                entry(1, "Chùa Vẽ", text=["Chùa bên sông."]),
                entry(2, "Chùa Long Khánh", text=["Chùa làng."]),
                # "tranh" and "trang" are one edit from "trann": "tranh" is commoner, "trang" more
                # often beside "cầu".
                entry(3, "Tranh làng", text=["Tranh tranh tranh."]),
                entry(4, "Tranh Đông Hồ", text=["Tranh dân gian."]),
                entry(5, "Cầu Trang", text=["Cầu đá ở làng Trang."]),
                entry(6, "Cầu Tranh", text=["Cầu có tranh."]),
                entry(7, "Đình Trang", text=["Cầu làng Trang."]),
            ]
        )
        # What earlier tests' probes made of their queries (the alias is the same) is forgotten.
        elastic._settled.clear()
        elastic._remembered.clear()

    def search(self, query):
        results = self.backend.search(SearchRequest(query=query, limit=20))
        self.assertEqual(results.backend, "elasticsearch")
        return results

    def test_words_remembered_as_known_are_probed_again(self):
        self.assertEqual([hit.title for hit in self.search("chua ve").hits], ["Chùa Vẽ"])
        self.assertIn((self.backend.alias, "ve"), elastic._settled)
        self.backend.delete_documents([1])  # now no entry holds "ve"
        results = self.search("chua ve")
        self.assertEqual(results.count, 1)
        self.assertEqual([hit.title for hit in results.hits], ["Chùa Long Khánh"])

    def requests_made(self, query):
        """``(results, requests sent to the node)`` for one search; an msearch is one request."""
        client = self.backend.client
        with (
            mock.patch.object(client, "msearch", wraps=client.msearch) as msearch,
            mock.patch.object(client, "search", wraps=client.search) as search,
        ):
            results = self.search(query)
        return results, msearch.call_count + search.call_count

    def test_a_query_whose_words_the_probe_changed_goes_in_one_request_next_time(self):
        for query in ("chua khanhh", "chua lo", "chualongkhanh", "cau trann", "tranh chuaa"):
            with self.subTest(query=query):
                first, first_requests = self.requests_made(query)
                again, requests = self.requests_made(query)
                self.assertGreater(first_requests, 1)
                self.assertEqual(requests, 1)
                self.assertEqual(
                    [(hit.id, hit.score, hit.snippet) for hit in again.hits],
                    [(hit.id, hit.score, hit.snippet) for hit in first.hits],
                )
                self.assertEqual(
                    (again.count, again.suggestion, again.facets), (first.count, first.suggestion, first.facets)
                )

    def test_a_remembered_correction_is_dropped_once_the_word_is_known(self):
        self.assertEqual(self.search("chua khanhh").suggestion, "chua khanh")
        self.backend.index_documents([entry(8, "Chùa Khanhh", text=["Tên viết sai của chùa."])])
        results, requests = self.requests_made("chua khanhh")
        self.assertEqual(results.suggestion, "")
        self.assertEqual([hit.title for hit in results.hits], ["Chùa Khanhh"])
        self.assertEqual(requests, 2)  # the remembered search, then the one for the words as typed
        _results, requests = self.requests_made("chua khanhh")
        self.assertEqual(requests, 1)

    def test_a_correction_remembered_is_replaced_when_a_better_one_appears(self):
        self.assertEqual(self.search("cau trann").suggestion, "cau trang")
        # Now "tranh" is beside "cầu" in more entries than "trang".
        self.backend.index_documents([entry(pk, f"Cầu Tranh {pk}", text=["Cầu vẽ tranh."]) for pk in range(10, 14)])
        results = self.search("cau trann")
        self.assertEqual(results.suggestion, "cau tranh")
        self.assertEqual(results.hits[0].title.split()[:2], ["Cầu", "Tranh"])

    def test_a_forked_process_searches_with_a_pool_of_its_own(self):
        self.search("chua ve")  # the pool has started its threads in this process
        elastic._settled.clear()  # so the child sends its search beside the probe
        context = multiprocessing.get_context("fork")
        answers = context.Queue()
        child = context.Process(target=_search_in_child, args=(self.backend, "chua long khanh", answers))
        child.start()
        child.join(30)
        if child.is_alive():
            child.kill()
            self.fail("The search in the forked process never finished.")
        self.assertEqual(answers.get(timeout=5), ["Chùa Long Khánh"])

    def test_a_correction_found_beside_the_known_words_is_chosen_though_rarer(self):
        results = self.search("cau trann")
        self.assertEqual(results.suggestion, "cau trang")
        # The query read as the name "Cầu Trang" (its best correction) ranks that entry first.
        self.assertEqual([hit.title for hit in results.hits][0], "Cầu Trang")
        self.assertEqual(sorted(hit.title for hit in results.hits), ["Cầu Trang", "Cầu Tranh", "Đình Trang"])


@pytest.mark.elasticsearch
class ParityTests(TestCase):
    """Both backends find the same entries, correct the same words and mark the same snippets."""

    documents = [
        entry(1, "Đình Đại Trà", summary="Ngôi đình của làng Đại Trà, thờ thành hoàng Chu Xích.", tags=["đình làng"]),
        entry(2, "Chùa Đại Trà", names=["Đại Linh tự"], summary="Ngôi chùa cổ của làng Đại Trà."),
        entry(3, "Đình Đông Khê", text=["Đình thờ Thành hoàng làng, xây năm 1800.", "Hội làng tháng Giêng."]),
        entry(4, "Đình Động Khê", text=["Một ngôi đình <cổ> & đẹp bên sông."]),
        entry(
            5,
            "Trần Hưng Đạo",
            names=["Hưng Đạo Đại Vương", "Prince Hung Dao"],
            summary="Danh tướng nhà Trần, đánh thắng quân Nguyên trên sông Bạch Đằng.",
            facets={"type": [("person", "nhân vật")]},
        ),
        entry(
            6,
            "Lễ giỗ Đức Thánh Trần",
            summary="Lễ giỗ Hưng Đạo Đại Vương ngày 20 tháng Tám âm lịch.",
            facets={"type": [("festival", "lễ hội")]},
            path="000100020001",
        ),
        entry(
            7, "Bánh đa cua", summary="Bát bánh đa đỏ chan nước riêu cua đồng.", tags=["món ăn"], path="000100020002"
        ),
        entry(8, "Nghề tráng bánh đa đỏ", summary="Nguyên liệu của món bánh đa cua.", path="000100020003"),
    ]
    queries = [
        "Đình Đại Trà",
        "dinh dai tra",
        "Đình Đông",
        "ddinhf ddaij traf",
        "tranhungdao",
        "hungdaodaivuong",
        "giotran",
        "\u00d0ình \u00d0ại Trà",
        "nhân vật",
        "trần lễ hội",
        "hung dao dai vuong",
        "tran hung dap",
        "tran huong dao",
        "banh da cuaa",
        "Bánh đa c",
        "dinh xyzzy",
        "song bach dang",
        "prince",
        "lễ giỗ",
        "dinh dinhdaitradinhdaitradinhdai",
        "?!",
    ]

    @classmethod
    def setUpClass(cls):
        # Made here, not in setUpTestData, which would deep-copy them for every test.
        cls.builtin = BuiltinBackend()
        cls.elasticsearch = ElasticsearchBackend(
            url=elasticsearch_test_url(), index_prefix=unique_prefix(), timeout=TEST_TIMEOUT, fallback=cls.builtin
        )
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.builtin.rebuild(cls.documents)
        cls.elasticsearch.rebuild(cls.documents)

    @classmethod
    def tearDownClass(cls):
        cls.elasticsearch.drop()
        super().tearDownClass()

    def test_searches_find_the_same_entries_with_the_same_snippets_and_suggestions(self):
        for query in self.queries:
            for scope in ("", "00010002"):
                with self.subTest(query=query, scope=scope):
                    request = SearchRequest(query=query, scope_path=scope, limit=20)
                    expected, found = self.builtin.search(request), self.elasticsearch.search(request)
                    self.assertEqual(found.backend, "elasticsearch")
                    self.assertEqual(found.count, expected.count)
                    self.assertEqual(found.suggestion, expected.suggestion)
                    self.assertEqual(
                        {hit.id: hit.snippet for hit in found.hits}, {hit.id: hit.snippet for hit in expected.hits}
                    )
                    self.assertEqual(found.facets, expected.facets)

    def test_filters_and_facet_counts_agree(self):
        for filters in [{"type": ["relic"]}, {"type": ["relic", "person"]}, {"type": ["nothing"]}, {"rank": ["x"]}]:
            with self.subTest(filters=filters):
                request = SearchRequest(query="dai", filters=filters, limit=20)
                expected, found = self.builtin.search(request), self.elasticsearch.search(request)
                self.assertEqual(sorted(hit.id for hit in found.hits), sorted(hit.id for hit in expected.hits))
                self.assertEqual(found.facets, expected.facets)

    def test_suggestions_as_you_type_agree(self):
        for typed in [
            "Đình",
            "dinh d",
            "hung dao d",
            "tranh",
            "banh",
            "B",
            "prince h",
            "dai l",
            "dinh dinhdaitradinhdaitradinhdai",
        ]:
            with self.subTest(typed=typed):
                expected = self.builtin.suggest(typed, limit=8)
                found = self.elasticsearch.suggest(typed, limit=8)
                self.assertEqual({hit.id: hit.snippet for hit in found}, {hit.id: hit.snippet for hit in expected})

    def test_browsing_without_words_lists_the_same_entries_in_the_same_order(self):
        request = SearchRequest(query="", limit=20)
        expected, found = self.builtin.search(request), self.elasticsearch.search(request)
        self.assertEqual([hit.id for hit in found.hits], [hit.id for hit in expected.hits])
