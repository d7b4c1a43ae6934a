"""Fault tests start the services they break; when one cannot start, the test fails saying why."""

import pytest

from .services import ElasticsearchCluster, PostgresServer, ServiceError


def started(start):
    """``start()``'s result; a ServiceError fails the test with its message (fault tests never skip)."""
    try:
        return start()
    except ServiceError as error:
        pytest.fail(f"Could not set up what this fault test needs: {error}", pytrace=False)


@pytest.fixture
def elasticsearch_node():
    """A single Elasticsearch node of the test's own, stopped afterwards."""
    cluster = ElasticsearchCluster(1, heap_mb=256)
    try:
        yield started(cluster.start).nodes[0]
    finally:
        cluster.stop()


@pytest.fixture
def elasticsearch_cluster():
    """Three Elasticsearch nodes forming one cluster, stopped afterwards."""
    cluster = ElasticsearchCluster(3, heap_mb=256)
    try:
        yield started(cluster.start)
    finally:
        cluster.stop()


@pytest.fixture
def postgres_server():
    """A PostgreSQL server of the test's own, with an empty database ``heritage``."""
    server = PostgresServer()
    try:
        yield started(server.start)
    finally:
        server.stop()
