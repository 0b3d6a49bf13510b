"""Every page type in every language passes the Nu HTML Checker (vnu.jar from
npm, run once with the machine's Java over all the pages) with no errors."""

import json
import shutil
import subprocess
from collections import defaultdict

import pytest

from tests.e2e.conftest import ALL_PAGES, NODE_MODULES

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_every_page_is_valid_html(site, tmp_path):
    java = shutil.which("java")
    assert java, "java is missing: `make e2e` installs default-jre-headless"
    assert VNU.exists(), f"{VNU} is missing: run `npm ci` in tests/e2e"
    files = {}
    for page in ALL_PAGES:
        # Named after the page; vnu reports each message with its file's address.
        status, html = site.fetch(page.path)
        assert status == page.status, f"{page.path} answered {status}"
        file = tmp_path / f"{page.id}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = page.path
    result = subprocess.run(  # one JVM for every page
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr; it exits 1 when it found errors.
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar did not answer in JSON:\n{result.stderr}{result.stdout}")
    errors = defaultdict(list)
    for message in report["messages"]:
        if message.get("type") == "info":
            continue
        url = message.get("url", "")
        path = files.get(url.rsplit("/", 1)[-1], url)
        where = f"line {message['lastLine']}" if "lastLine" in message else ""
        extract = message.get("extract", "").strip().replace("\n", " ")[:120]
        errors[message["message"]].append(f"{path} {where}: {extract}")
    listed = "\n".join(
        f"- {text} ({len(places)} times)\n    " + "\n    ".join(places[:5])
        for text, places in errors.items()
    )
    assert not errors, f"the Nu HTML Checker found errors:\n{listed}"
