"""Lighthouse, as a phone sees it (its mobile settings), on a service page in
English and in Arabic: 100 in performance, accessibility, best practices and
SEO. The reports are kept in var/screenshots/."""

import json
import os
import shutil
import subprocess

import pytest

from tests.e2e.conftest import CHROMIUM, E2E_DIR, NODE_MODULES, SERVICE

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse's own advice for a trace it failed to record: run it again.
RETRY_ON = "NO_NAVSTART"


def lighthouse(url, report):
    node = shutil.which("node")
    assert node, "Lighthouse runs with Node.js, which `make e2e` installs"
    return subprocess.run(
        [
            node,
            str(NODE_MODULES / "lighthouse" / "cli" / "index.js"),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        cwd=E2E_DIR,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_service_page_scores_100_in_every_category(lang, site, screenshots):
    report = screenshots / f"lighthouse-service-{lang}.json"
    for _attempt in range(3):
        result = lighthouse(site.url(SERVICE.format(lang=lang)), report)
        if RETRY_ON not in result.stderr:
            break
    assert result.returncode == 0, result.stderr[-2000:]
    audits = json.loads(report.read_text())
    scores = {
        name: round(audits["categories"][name]["score"] * 100) for name in CATEGORIES
    }
    failing = {
        audit["id"]: audit["title"]
        for audit in audits["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") == "binary"
    }
    assert scores == dict.fromkeys(CATEGORIES, 100), (scores, failing)
