"""The Nu HTML Checker and axe-core on the admin pages a browser test visits.

The public pages are checked by test_html_valid.py and test_axe.py, straight from
their addresses. Admin pages need a signed-in session, some come from a form's
post, and their Content-Security-Policy forbids the script axe is, so:

- `nu_errors(pages)` checks HTML as the server sent it (fetched with the tab's
  own session through `context.request`, or taken from a post's response), never
  the DOM after the admin's scripts changed it; one JVM for all the pages.
- `axe_violations(tab)` runs axe-core in a tab whose context bypasses the policy.
- `AdminAudit` does both for each page a test shows: `audit.visit(tab)` after a
  page was opened, `audit.served(tab, response)` for the answer to a post (the
  same bytes are served again at the same address, so its stylesheets load).
  `audit.assert_clean()` at the end of the test reports everything found.
"""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from tests.e2e.conftest import NODE_MODULES
from tests.e2e.staff import DESK

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
# `known` maps a rule to a CSS selector of the elements it may flag.
AXE_RUN = """
([tags, known]) => axe.run(document, {
  runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations'],
  elementRef: true,
}).then(results => results.violations.map(v => ({
  id: v.id,
  impact: v.impact,
  help: v.help,
  targets: v.nodes
    .filter(node => !(known[v.id] && node.element && node.element.matches(known[v.id])))
    .map(node => {
      const why = node.failureSummary.split('\\n').slice(1, 3).join(' ').trim();
      return `${node.target.join(' ')}: ${why}`;
    }),
})).filter(v => v.targets.length))
"""


def nu_errors(pages: dict[str, str], known=()) -> list[str]:
    """The Nu HTML Checker's errors in each page (name: HTML), as readable lines.

    `known` lists (message, a part of the markup it quotes) of errors in markup
    that a library draws, reported and not ours to fix here; the same message
    about any other markup is still an error.
    """
    java = shutil.which("java")
    assert java, "java is missing: `make e2e` installs default-jre-headless"
    assert VNU.exists(), f"{VNU} is missing: run `npm ci` in tests/e2e"
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for number, (name, html) in enumerate(pages.items()):
            file = Path(folder) / f"page-{number}.html"
            file.write_text(html, encoding="utf-8")
            files[file.name] = name
        result = subprocess.run(  # one JVM for every page
            [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    # vnu writes its JSON report to stderr; it exits 1 when it found errors.
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(
            f"vnu.jar did not answer in JSON:\n{result.stderr}{result.stdout}"
        ) from error
    errors = []
    for message in report["messages"]:
        if message.get("type") == "info":
            continue
        name = files.get(message.get("url", "").rsplit("/", 1)[-1], "?")
        where = f" line {message['lastLine']}" if "lastLine" in message else ""
        extract = message.get("extract", "").strip().replace("\n", " ")[:120]
        if any(
            message["message"] == text and part in message.get("extract", "")
            for text, part in known
        ):
            continue
        errors.append(f"{name}{where}: {message['message']} [{extract}]")
    return errors


def axe_violations(tab, known=None) -> list[str]:
    """axe-core's violations on the page a tab shows, as readable lines. The tab's
    context must be made with bypass_csp=True, or the policy refuses axe.

    `known` maps a rule to a CSS selector of the elements it may flag, for a
    defect of a library's widget that is reported and not ours to fix here; any
    other element that breaks that rule is still reported.
    """
    tab.add_script_tag(content=AXE.read_text())
    found = tab.evaluate(AXE_RUN, [AXE_TAGS, known or {}])
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    - {target}" for target in violation["targets"][:8]]
    return lines


class AdminAudit:
    """The admin pages one test showed, checked by both tools."""

    def __init__(self, browser, known_axe=None, known_html=()):
        self.browser = browser
        self.known_axe = known_axe
        self.known_html = known_html
        self.pages: dict[str, str] = {}
        self.violations: dict[str, list[str]] = {}

    def visit(self, tab, name=None):
        """Check the page the tab shows now, fetched again with its session."""
        response = tab.context.request.get(tab.url)
        self.check(tab, response.text(), name)

    def served(self, tab, response, name=None):
        """Check the answer to a post (a Playwright Response the tab received)."""
        self.check(tab, response.text(), name)

    def check(self, tab, html, name):
        url = tab.url
        name = name or urlsplit(url).path
        if name in self.pages:
            name = f"{name} ({len(self.pages)})"
        self.pages[name] = html
        context = self.browser.new_context(
            **DESK, bypass_csp=True, storage_state=tab.context.storage_state()
        )
        try:
            page = context.new_page()
            # The same bytes at the same address: its stylesheets and scripts load
            # as they did, and a post is not sent twice.
            page.route(
                lambda address: address == url,
                lambda route: route.fulfill(
                    status=200, content_type="text/html; charset=utf-8", body=html
                ),
            )
            page.goto(url)
            found = axe_violations(page, self.known_axe)
        finally:
            context.close()
        if found:
            self.violations[name] = found

    def assert_clean(self):
        problems = [
            f"{name}: axe-core found:\n  " + "\n  ".join(lines)
            for name, lines in self.violations.items()
        ]
        errors = nu_errors(self.pages, self.known_html) if self.pages else []
        if errors:
            problems.append("the Nu HTML Checker found:\n  " + "\n  ".join(errors))
        assert not problems, "\n".join(problems)
