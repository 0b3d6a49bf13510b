"""axe-core, with the WCAG 2.2 A/AA and best-practice rules: no violations on any
page type in any language."""

import pytest

from tests.e2e.conftest import ALL_PAGES, NODE_MODULES, PHONE

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = """
tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations'],
}).then(results => results.violations.map(v => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  targets: v.nodes.map(node => {
    const why = node.failureSummary.split('\\n').slice(1, 3).join(' ').trim();
    return `${node.target.join(' ')}: ${why}`;
  }),
})))
"""


@pytest.fixture(scope="module")
def axe_context(browser):
    """A phone whose pages may run axe: the site's policy forbids any script, so
    this context (and only this one) bypasses the Content-Security-Policy."""
    context = browser.new_context(**PHONE, bypass_csp=True, service_workers="block")
    yield context
    context.close()


@pytest.fixture(scope="module")
def axe_source():
    return (NODE_MODULES / "axe-core" / "axe.min.js").read_text()


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda page: page.id)
def test_no_axe_violations(page, site, axe_context, axe_source):
    tab = axe_context.new_page()
    try:
        response = tab.goto(site.url(page.path))
        assert response.status == page.status
        tab.add_script_tag(content=axe_source)
        violations = tab.evaluate(AXE_RUN, AXE_TAGS)
    finally:
        tab.close()
    report = "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    - {target}" for target in v["targets"][:8])
        + (
            f"\n    ... and {len(v['targets']) - 8} more"
            if len(v["targets"]) > 8
            else ""
        )
        for v in violations
    )
    assert not violations, f"{page.path}: axe found violations:\n{report}"
