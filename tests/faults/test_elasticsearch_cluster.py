"""One node of a three-node Elasticsearch cluster is killed: searches keep answering from the replicas."""

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
        "title": f"{word.capitalize()} làng số {pk}",
        "names": [],
        "summary": f"Một {word} cổ của xã.",
        "text": [f"{word} được dựng lại nhiều lần."],
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
    writer.rebuild(documents)
    # One primary, a replica on each of the two other nodes.
    http_json(
        f"{nodes[0].url}/{writer.alias}/_settings",
        method="PUT",
        body={"index": {"auto_expand_replicas": "false", "number_of_replicas": 2}},
    )
    health = http_json(f"{nodes[0].url}/_cluster/health/{writer.alias}?wait_for_status=green&timeout=120s", timeout=130)
    assert health["status"] == "green", health
    shards = http_json(f"{nodes[0].url}/_cat/shards/{writer.alias}?format=json")
    assert len(shards) == 3 and {shard["state"] for shard in shards} == {"STARTED"}, shards
    primary_node = next(shard["node"] for shard in shards if shard["prirep"] == "p")

    # The node holding the primary dies; searches go through another node.
    victim = next(node for node in nodes if node.name == primary_node)
    survivor = next(node for node in nodes if node is not victim)
    fallback = RefusingFallback()
    reader = ElasticsearchBackend(url=survivor.url, index_prefix=prefix, timeout=60, fallback=fallback)
    expected = {word: reader.search(SearchRequest(query=word, limit=50)).count for word in WORDS}
    assert all(expected.values()) and fallback.calls == 0, expected
    victim.kill()
    wait_until(lambda: not victim.is_running(), timeout=30, what="the killed node's exit")

    for _round in range(4):
        for word in WORDS:
            results = reader.search(SearchRequest(query=word, limit=50))
            assert results.backend == "elasticsearch"
            assert results.count == expected[word], (word, results.count, expected[word])
            assert {hit.source_id for hit in results.hits} == {
                f"fault-{entry['id']}" for entry in documents if entry["title"].lower().startswith(word)
            }
    assert fallback.calls == 0, "a search fell back to the built-in backend while two nodes were up"
    # The cluster itself knows it lost a node and keeps the index readable (yellow: a copy is missing).
    health = http_json(f"{survivor.url}/_cluster/health/{reader.alias}?wait_for_nodes=2&timeout=60s", timeout=70)
    assert health["number_of_nodes"] == 2 and health["status"] in {"yellow", "green"}, health
