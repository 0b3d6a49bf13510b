"""The site works with JavaScript off: the language switch moves to the same page
in another language, and a search is sent by pressing Enter. (Every page type
loading without JavaScript is checked by test_phone_layout.py, whose phone has
JavaScript off too.)"""

import pytest

from tests.e2e.conftest import LANGUAGE_CODES, PHONE, SERVICE


@pytest.fixture
def tab(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_language_switch(lang, site, tab):
    """From the service page in `lang`, the switch leads to the next language."""
    target = LANGUAGE_CODES[(LANGUAGE_CODES.index(lang) + 1) % len(LANGUAGE_CODES)]
    tab.goto(site.url(SERVICE.format(lang=lang)))
    current = tab.locator("nav.languages a[aria-current='page']")
    assert current.get_attribute("hreflang") == lang
    # The control opens the list without JavaScript (a <details> element).
    tab.locator("nav.languages summary").click()
    with tab.expect_navigation():
        tab.locator(f"nav.languages a[hreflang='{target}']").click()
    assert tab.url == site.url(SERVICE.format(lang=target))
    assert tab.get_attribute("html", "lang") == target


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_search_by_pressing_enter(lang, site, tab):
    tab.goto(site.url(f"/{lang}/"))
    field = tab.locator("form[role=search] input[name=q]")
    field.fill("311")
    with tab.expect_navigation():
        field.press("Enter")
    assert tab.url == site.url(f"/{lang}/search/?q=311")
    assert tab.get_attribute("html", "lang") == lang
    assert tab.locator("main .cards a[href$='/boston-311/']").count() == 1
