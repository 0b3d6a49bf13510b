"""Lighthouse, as a phone sees it (its mobile settings), on a service page in
English and in Arabic: 100 in performance, accessibility, best practices and
SEO (performance: the median of three runs, as Lighthouse advises). The
reports are kept in var/screenshots/."""

import json
import os
import shutil
import statistics
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


# Lighthouse's own advice on variability: a single run's performance score moves
# with whatever else the machine is doing, so judge the median of several runs.
RUNS = 3


def one_run(url, report):
    for _attempt in range(3):
        result = lighthouse(url, report)
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
    return scores, failing


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_service_page_scores_100_in_every_category(lang, site, screenshots):
    url = site.url(SERVICE.format(lang=lang))
    runs = [
        one_run(url, screenshots / f"lighthouse-service-{lang}-{run}.json")
        for run in range(1, RUNS + 1)
    ]
    median = {
        name: statistics.median(scores[name] for scores, _failing in runs)
        for name in CATEGORIES
    }
    # Accessibility, best practices and SEO do not vary: every run must pass.
    for scores, failing in runs:
        assert not failing, failing
        for name in ("accessibility", "best-practices", "seo"):
            assert scores[name] == 100, (name, runs)
    assert median == dict.fromkeys(CATEGORIES, 100), runs
