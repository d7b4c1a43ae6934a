"""Accessibility checks with axe-core inside the browser tests.

Usage, in any test that has a Playwright page (the ``browser_page`` fixture)::

    from tests.axe import assert_accessible

    browser_page.goto(url)
    assert_accessible(browser_page)  # fails on any serious or critical WCAG 2.1 A/AA violation

``violations(page)`` returns the raw axe results instead, for tests that want to look at them.

axe-core comes from npm (pinned in package.json; ``npm ci`` puts it in node_modules, and scripts/test
runs that when it is missing), never from a CDN. It is evaluated through the DevTools protocol, which
the pages' strict Content-Security-Policy does not apply to, so no nonce or ``bypass_csp`` is needed
and the page is checked under its real policy.
"""

from functools import cache
from pathlib import Path

import pytest

AXE_PATH = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
FAILING_IMPACTS = ("serious", "critical")


@cache
def axe_source():
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} is missing: run `npm ci` in the project folder (scripts/test does).")
    return AXE_PATH.read_text(encoding="utf-8")


def violations(page, tags=TAGS, impacts=FAILING_IMPACTS):
    """The axe violations on the page as it is now whose impact is one of ``impacts``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((rule) => ({
                id: rule.id,
                impact: rule.impact,
                help: rule.help,
                nodes: rule.nodes.map((node) => ({
                    impact: node.impact,
                    target: node.target.flat().join(" "),
                    summary: node.failureSummary,
                })),
            }));
        }""",
        list(tags),
    )
    found = []
    for rule in results:
        nodes = [node for node in rule["nodes"] if (node["impact"] or rule["impact"]) in impacts]
        if nodes:
            found.append({**rule, "nodes": nodes})
    return found


def describe(found, url=""):
    """A readable list: one line per rule (id, impact, help) and one per element (its selector)."""
    lines = []
    for rule in found:
        lines.append(f"{url} {rule['id']} ({rule['impact']}): {rule['help']}".strip())
        for node in rule["nodes"][:10]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  -- {summary[:300]}")
        if len(rule["nodes"]) > 10:
            lines.append(f"    ... and {len(rule['nodes']) - 10} more")
    return "\n".join(lines)


def assert_accessible(page, tags=TAGS, impacts=FAILING_IMPACTS):
    """Fail when axe finds a violation of impact serious or critical on the page as it is now."""
    found = violations(page, tags=tags, impacts=impacts)
    assert not found, "axe-core found accessibility violations:\n" + describe(found, page.url)
