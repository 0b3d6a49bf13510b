"""The printable handout of every service fits one sheet, Letter and A4, in every
language: Chromium prints it to PDF and the pages are counted. The handouts of a
few languages are kept in var/screenshots/ to look at."""

import re
from html.parser import HTMLParser

import pytest

from tests.e2e.conftest import LANGUAGE_CODES, PHONE, SCREENSHOT_LANGUAGES

PAPERS = ["Letter", "A4"]
SERVICE_PATH = re.compile(r"^/en/(?!policies/|guides/)[\w-]+/[\w-]+/$")
CATEGORY_PATH = re.compile(r"^/en/(?!policies/|guides/|search/|about/)[\w-]+/$")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def links(site, path):
    status, html = site.fetch(path)
    assert status == 200, f"{path} answered {status}"
    parser = Links()
    parser.feed(html)
    return parser.hrefs


@pytest.fixture(scope="module")
def services(site):
    """Every published service, found as a resident finds it: from the home page
    through each category."""
    categories = sorted(
        {href for href in links(site, "/en/") if CATEGORY_PATH.match(href)}
    )
    found = sorted(
        {
            href.removeprefix("/en")
            for category in categories
            for href in links(site, category)
            if SERVICE_PATH.match(href)
        }
    )
    assert len(found) >= 10, f"only {len(found)} services found: {found}"
    return found


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_every_handout_fits_one_page(lang, site, browser, services, screenshots):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    tab = context.new_page()
    too_long = []
    try:
        for service in services:
            path = f"/{lang}{service}print/"
            response = tab.goto(site.url(path))
            assert response.status == 200, f"{path} answered {response.status}"
            for paper in PAPERS:
                pdf = tab.pdf(format=paper)
                if page_count(pdf) != 1:
                    too_long.append(f"{path} on {paper}: {page_count(pdf)} pages")
                if lang in SCREENSHOT_LANGUAGES and service.endswith(
                    "/public-schools/"
                ):
                    (screenshots / f"handout-{lang}-{paper}.pdf").write_bytes(pdf)
    finally:
        context.close()
    assert not too_long, "handouts longer than one page:\n  " + "\n  ".join(too_long)


def test_a_printed_handout_says_what_a_machine_translated(site, browser):
    """On paper, where no screen notice reaches, the handout in Spanish still says
    that a machine translated parts of it; the English one says nothing of it."""
    context = browser.new_context(**PHONE, java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.emulate_media(media="print")
        tab.goto(site.url("/es/schools/public-schools/print/"))
        notice = tab.locator(".translation-notice")
        assert notice.is_visible()
        assert "máquina" in notice.inner_text()
        assert not tab.locator(".emergency").is_visible()  # the screen's own parts
        tab.goto(site.url("/en/schools/public-schools/print/"))
        assert tab.locator(".translation-notice").count() == 0
    finally:
        context.close()
