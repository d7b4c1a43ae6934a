"""Tests marked ``elasticsearch`` need a node; they fail, saying why, when there is none.

``scripts/test`` starts a node and exports ``ELASTICSEARCH_TEST_URL``; ``ELASTICSEARCH_URL``
names a node of your own. Running pytest by hand without either, leave these tests out with
``-m "not elasticsearch"``; CI (``CI=true``) refuses to leave them out.
"""

import os
import urllib.error
import urllib.request

import pytest

NODE_VARIABLES = ("ELASTICSEARCH_TEST_URL", "ELASTICSEARCH_URL")
_node_problem = {}
_COLLECTED = pytest.StashKey[int]()


def elasticsearch_test_url():
    return next((os.environ[name] for name in NODE_VARIABLES if os.environ.get(name)), "")


def _problem_with(url):
    """Why the node at ``url`` cannot serve the tests, or "" when it can (asked once per run)."""
    if url not in _node_problem:
        try:
            with urllib.request.urlopen(
                f"{url.rstrip('/')}/_cluster/health?wait_for_status=yellow&timeout=30s", timeout=40
            ):
                _node_problem[url] = ""
        except (OSError, urllib.error.URLError) as error:
            _node_problem[url] = f"Elasticsearch at {url} does not answer ({error})."
    return _node_problem[url]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.get_closest_marker("elasticsearch") is None:
        return
    url = elasticsearch_test_url()
    if not url:
        pytest.fail(
            "This test needs an Elasticsearch node and none is given: run ./scripts/test, which starts one, "
            'or set ELASTICSEARCH_URL to use a node of your own; leave these tests out with -m "not elasticsearch".',
            pytrace=False,
        )
    problem = _problem_with(url)
    if problem:
        pytest.fail(f"{problem} Set ELASTICSEARCH_URL to use a node of your own.", pytrace=False)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    config.stash[_COLLECTED] = sum(item.get_closest_marker("elasticsearch") is not None for item in items)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    # In CI the Elasticsearch tests run: deselecting them with -m would let a broken backend pass.
    collected = session.config.stash.get(_COLLECTED, 0)
    if os.environ.get("CI", "").lower() in ("1", "true", "yes") and collected and session.config.option.markexpr:
        kept = sum(item.get_closest_marker("elasticsearch") is not None for item in session.items)
        if not kept:
            raise pytest.UsageError('CI runs the Elasticsearch tests; remove -m "not elasticsearch".')
