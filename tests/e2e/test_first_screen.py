"""On a 360x740 phone, in every language, a service page answers on its first
screen: its name, one line of what it is, and the first statement of "Your
safety" with its rule, before any scrolling. The positions are written to
var/screenshots/first-screen.json, with a screenshot of the first screen of the
schools page, and of the page whose statement ends lowest, in each language."""

import json

import pytest

from tests.e2e.conftest import LANGUAGE_CODES, PHONE
from tests.e2e.test_print import links

SCREEN_HEIGHT = PHONE["viewport"]["height"]
POSITIONS = {}


@pytest.fixture(scope="module")
def service_paths(site):
    """Every published service's address without its language, as the home page
    and the categories link them."""
    from tests.e2e.test_print import CATEGORY_PATH, SERVICE_PATH

    categories = {href for href in links(site, "/en/") if CATEGORY_PATH.match(href)}
    found = {
        href.removeprefix("/en")
        for category in categories
        for href in links(site, category)
        if SERVICE_PATH.match(href)
    }
    assert len(found) >= 15
    return sorted(found)


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_first_statement_and_its_rule_are_on_the_first_screen(
    lang, site, browser, service_paths, screenshots
):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    tab = context.new_page()
    below = []
    positions = {}
    try:
        for path in service_paths:
            tab.goto(site.url(f"/{lang}{path}"))
            first = tab.locator(".safety li").first
            basis = first.locator(".basis")
            box = basis.bounding_box()
            bottom = round(box["y"] + box["height"])
            positions[path] = {
                "statement_top": round(first.bounding_box()["y"]),
                "rule_bottom": bottom,
            }
            if bottom > SCREEN_HEIGHT:
                below.append(f"{path}: the rule ends at {bottom} px")
            if path.endswith("/public-schools/"):
                tab.screenshot(path=screenshots / f"first-screen-service-{lang}.png")
        # The page whose first statement ends lowest, to look at.
        lowest = max(positions, key=lambda path: positions[path]["rule_bottom"])
        tab.goto(site.url(f"/{lang}{lowest}"))
        tab.screenshot(path=screenshots / f"first-screen-lowest-{lang}.png")
    finally:
        context.close()
    POSITIONS[lang] = positions
    record = screenshots / "first-screen.json"
    saved = json.loads(record.read_text()) if record.exists() else {}
    saved[lang] = positions
    record.write_text(json.dumps(saved, indent=1, sort_keys=True))
    assert not below, f"below the first screen in {lang}:\n  " + "\n  ".join(below)
