"""Arabic is laid out right to left: the page, the language switch, breadcrumbs and
lists start at the right, while phone numbers still read left to right. English,
checked the same way, starts at the left (the mirror image)."""

import re

import pytest

from tests.e2e import checks
from tests.e2e.conftest import PHONE, SERVICE

# Lists whose items must start on the reading side.
LISTS = [
    "nav.languages ul",
    "nav.breadcrumbs ol",
    ".safety ul",
    "ol.steps",
    "ul.documents",
]
PHONE_NUMBER = re.compile(r"^[0-9()+\-. ]+$")
EDGE = 2  # px


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context
    context.close()


def starts_at(edges, side):
    """Whether a box's first line of text starts at its `side` edge."""
    box, text = edges["box"], edges["text"]
    return abs(box[side] - text[side]) <= EDGE


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_page_direction_and_lists(lang, direction, site, context):
    side = "right" if direction == "rtl" else "left"
    other = "left" if side == "right" else "right"
    tab = context.new_page()
    tab.goto(site.url(SERVICE.format(lang=lang)))
    assert tab.get_attribute("html", "dir") == direction
    assert tab.evaluate("getComputedStyle(document.body).direction") == direction
    # The list of languages opens under the language control.
    tab.locator("nav.languages summary").click()

    for selector in LISTS:
        items = tab.locator(f"{selector} > li")
        assert items.count(), f"/{lang}/: no {selector} on the service page"
        first = items.first.bounding_box()
        container = tab.locator(selector).first.bounding_box()
        # The first item sits at the reading side of its list ...
        if side == "right":
            gap = container["x"] + container["width"] - (first["x"] + first["width"])
        else:
            gap = first["x"] - container["x"]
        # ... (block items fill the list, less its padding on the start side) ...
        padding = tab.locator(selector).first.evaluate(
            f"el => [parseFloat(getComputedStyle(el).padding{side.title()}),"
            f" parseFloat(getComputedStyle(el).padding{other.title()})]"
        )
        assert gap <= padding[0] + EDGE, (
            f"/{lang}/ {selector}: the first item does not start at the {side} "
            f"({gap:.0f} px from it)"
        )
        assert padding[0] >= padding[1], (
            f"/{lang}/ {selector}: the list's indent is on the {other} ({padding})"
        )
        # ... and its text begins at that side.
        edges = items.first.evaluate(checks.TEXT_EDGES)
        if (
            tab.locator(selector).first.evaluate("el => getComputedStyle(el).display")
            != "flex"
        ):
            assert starts_at(edges, side), (
                f"/{lang}/ {selector}: the first item's text does not start at the "
                f"{side}: {edges}"
            )

    # The list of languages: its first language at the reading side, the next
    # beside it towards the other side.
    links = tab.locator("nav.languages a")
    one, two = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    if side == "right":
        assert two["x"] + two["width"] <= one["x"] + EDGE, "switch not mirrored"
    else:
        assert one["x"] + one["width"] <= two["x"] + EDGE, "switch in the wrong order"
    tab.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", ["/{lang}/", "/{lang}/health/mayors-health-line/"])
def test_phone_numbers_read_left_to_right(lang, path, site, context):
    """The emergency strip, the help lines and a service's contacts."""
    path = path.format(lang=lang)
    tab = context.new_page()
    tab.goto(site.url(path))
    phones = tab.locator(".phone")
    assert phones.count(), f"{path}: no phone number"
    numbers = 0
    for i in range(phones.count()):
        phone = phones.nth(i)
        text = phone.inner_text().strip()
        assert phone.evaluate("el => getComputedStyle(el).direction") == "ltr", text
        # Read from left to right on the screen, the digits are those dialled.
        shown = phone.evaluate(checks.CHARACTER_POSITIONS)
        on_screen = "".join(p["character"] for p in sorted(shown, key=lambda p: p["x"]))
        dialled = re.sub(r"\D", "", text)
        assert re.sub(r"\D", "", on_screen) == dialled, (
            f"{path}: {text!r} shows its digits as {on_screen!r}"
        )
        numbers += bool(PHONE_NUMBER.match(text))
    assert numbers, f"{path}: no phone number made only of digits to check"
    tab.close()
