"""Every page type in every language, on a 360x740 phone with JavaScript off:
nothing scrolls sideways, no text is cut off, the language control and the
emergency strip show without scrolling, tap targets are large enough (the
languages' too, once the control is open), and text at 200% still fits.
Screenshots of a few languages go to var/screenshots/."""

import pytest

from tests.e2e import checks
from tests.e2e.conftest import ALL_PAGES, PHONE, SCREENSHOT_LANGUAGES

MIN_TARGET = 44
LANGUAGE_SWITCH = "nav.languages summary"
LANGUAGE_LINKS = f"{LANGUAGE_SWITCH}, nav.languages a, .language-chooser a"
# Opens the language control (a <details>) as a tap on it does.
LANGUAGE_LISTS = "document.querySelectorAll('nav.languages details')"
OPEN_LANGUAGES = f"() => {LANGUAGE_LISTS}.forEach(list => {{ list.open = true; }})"
CLOSE_LANGUAGES = f"() => {LANGUAGE_LISTS}.forEach(list => {{ list.open = false; }})"
PHONE_LINKS = 'a[href^="tel:"]'


@pytest.fixture(scope="module", params=ALL_PAGES, ids=lambda page: page.id)
def shown(request, browser, site, screenshots):
    """The page as a phone without JavaScript shows it (loaded once per page)."""
    page = request.param
    context = browser.new_context(**PHONE, java_script_enabled=False)
    tab = context.new_page()
    response = tab.goto(site.url(page.path))
    assert response.status == page.status, f"{page.path} answered {response.status}"
    if page.lang in SCREENSHOT_LANGUAGES or page.lang is None:
        tab.screenshot(path=screenshots / f"{page.id}.png", full_page=True)
    yield page, tab
    context.close()


def test_no_horizontal_scrolling(shown):
    page, tab = shown
    size = tab.evaluate(checks.HORIZONTAL_SCROLL)
    assert size["scrollWidth"] <= size["clientWidth"], (
        f"{page.path} scrolls sideways: {size['scrollWidth']} px wide on a "
        f"{size['clientWidth']} px screen"
    )


def test_no_text_cut_off(shown):
    page, tab = shown
    problems = tab.evaluate(checks.TEXT_CUT_OFF)
    assert not problems, checks.problems_message("text cut off", page.path, problems)


def test_language_switch_and_emergency_strip_on_first_screen(shown):
    page, tab = shown
    switch = LANGUAGE_SWITCH if page.status == 200 else "nav.languages a"
    for selector, what in (
        (switch, "language switch"),
        (".emergency", "emergency strip"),
        (f".emergency {PHONE_LINKS}", "emergency number"),
    ):
        found = tab.evaluate(checks.ON_FIRST_SCREEN, selector)
        assert found["count"], f"{page.path} has no {what} ({selector})"
        assert not found["problems"], checks.problems_message(
            f"{what} needs scrolling", page.path, found["problems"]
        )


def test_tap_targets(shown):
    page, tab = shown
    problems = []
    tab.evaluate(OPEN_LANGUAGES)
    try:
        for selector in (LANGUAGE_LINKS, PHONE_LINKS, "a.quick-exit"):
            found = tab.evaluate(checks.SMALL_TARGETS, [selector, MIN_TARGET])
            problems += found["problems"]
    finally:
        tab.evaluate(CLOSE_LANGUAGES)
    assert not problems, checks.problems_message(
        f"tap targets under {MIN_TARGET}x{MIN_TARGET} px", page.path, problems
    )


def test_text_at_200_percent(shown, screenshots):
    """Text twice as large (the reader's font-size setting) still fits the width,
    the open list of languages included."""
    page, tab = shown
    tab.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    tab.evaluate(OPEN_LANGUAGES)
    try:
        size = tab.evaluate(checks.HORIZONTAL_SCROLL)
        problems = tab.evaluate(checks.TEXT_CUT_OFF)
        if page.kind == "service" and page.lang in SCREENSHOT_LANGUAGES:
            tab.screenshot(path=screenshots / f"{page.id}-text-200.png", full_page=True)
    finally:
        tab.evaluate(CLOSE_LANGUAGES)
        tab.evaluate("() => { document.documentElement.style.fontSize = ''; }")
    assert size["scrollWidth"] <= size["clientWidth"], (
        f"{page.path} at 200% text scrolls sideways: {size['scrollWidth']} px wide "
        f"on a {size['clientWidth']} px screen"
    )
    assert not problems, checks.problems_message(
        "text cut off at 200%", page.path, problems
    )
