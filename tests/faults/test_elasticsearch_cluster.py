"""One node of a three-node Elasticsearch cluster is killed: searches keep answering from the replicas.

The index has the archive's own settings (one shard, ``auto_expand_replicas: 0-1``: one replica on
a cluster of three). The node holding the primary is killed with SIGKILL; searches sent through a
surviving node are still answered by Elasticsearch (never by the built-in fallback) with the same
entries, and the cluster reports the index yellow: readable, one copy missing.
"""

import signal
import uuid

import pytest

from search.backends import SearchBackend, SearchRequest, SearchResults
from search.elastic import ElasticsearchBackend

from .services import http_json, wait_until

pytestmark = pytest.mark.faults

WORDS = ["đình", "chùa", "miếu", "đền", "lăng"]


class RefusingFallback(SearchBackend):
    """Stands where the built-in backend would: any search reaching it means Elasticsearch failed."""

    name = "fallback"

    def __init__(self):
        self.calls = 0

    def search(self, request):
        self.calls += 1
        return SearchResults(backend=self.name)

    def suggest(self, query, *, scope_path="", limit=8):
        self.calls += 1
        return []


def document(pk, word):
    return {
        "id": pk,
        "source_id": f"fault-{pk}",
        "type": "relic",
        "title": f"{word.capitalize()} số {pk}",
        "names": [],
        "summary": f"Một {word} cổ của xã.",
        "text": [f"{word.capitalize()} được dựng lại nhiều lần."],
        "tags": [],
        "facets": {"type": [("relic", "di tích")]},
        "path": "000100010001",
        "url_path": f"/entry-{pk}/",
        "image_id": None,
        "location": None,
        "published_at": None,
    }


def test_searches_answer_from_replicas_after_a_node_is_killed(elasticsearch_cluster):
    nodes = elasticsearch_cluster.nodes
    prefix = f"faults-{uuid.uuid4().hex[:8]}"
    writer = ElasticsearchBackend(url=nodes[0].url, index_prefix=prefix, timeout=60, fallback=RefusingFallback())
    documents = [document(pk, WORDS[pk % len(WORDS)]) for pk in range(1, 41)]
    assert writer.rebuild(documents) == len(documents)
    health = http_json(f"{nodes[0].url}/_cluster/health/{writer.alias}?wait_for_status=green&timeout=120s", timeout=130)
    assert health["status"] == "green", health
    shards = http_json(f"{nodes[0].url}/_cat/shards/{writer.alias}?format=json")
    assert sorted(shard["prirep"] for shard in shards) == ["p", "r"], shards  # a primary and its replica
    assert {shard["state"] for shard in shards} == {"STARTED"}, shards
    # The lost copy would be rebuilt on the third node after a minute; the test looks before that.
    http_json(
        f"{nodes[0].url}/{writer.alias}/_settings",
        method="PUT",
        body={"index": {"unassigned": {"node_left": {"delayed_timeout": "10m"}}}},
    )

    primary_node = next(shard["node"] for shard in shards if shard["prirep"] == "p")
    victim = next(node for node in nodes if node.name == primary_node)
    survivor = next(node for node in nodes if node is not victim)
    fallback = RefusingFallback()
    reader = ElasticsearchBackend(url=survivor.url, index_prefix=prefix, timeout=60, fallback=fallback)
    expected = {}
    for word in WORDS:
        results = reader.search(SearchRequest(query=word, limit=50))
        assert results.backend == "elasticsearch" and results.count == 8, (word, results.backend, results.count)
        expected[word] = {hit.source_id for hit in results.hits}

    victim.kill(signal.SIGKILL)
    wait_until(lambda: not victim.is_running(), timeout=30, what="the killed node's exit")
    for _round in range(4):
        for word in WORDS:
            results = reader.search(SearchRequest(query=word, limit=50))
            assert results.backend == "elasticsearch", (word, results.backend)
            assert {hit.source_id for hit in results.hits} == expected[word], word
    assert fallback.calls == 0, "a search fell back to the built-in backend while two nodes were up"

    health = http_json(
        f"{survivor.url}/_cluster/health/{reader.alias}?wait_for_nodes=2&wait_for_status=yellow&timeout=60s", timeout=70
    )
    assert (health["number_of_nodes"], health["status"]) == (2, "yellow"), health
    assert health["active_primary_shards"] == 1 and health["unassigned_shards"] == 1, health
    # And the searches still answer once the cluster has settled without the node.
    results = reader.search(SearchRequest(query=WORDS[0], limit=50))
    assert results.backend == "elasticsearch" and {hit.source_id for hit in results.hits} == expected[WORDS[0]]
