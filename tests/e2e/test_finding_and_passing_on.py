"""On a phone, in a real browser: search finds across languages, an Arabic page
reads an address in order, a referral page is cards to tap, a service page can
be sent on by the phone itself, and Esc leaves only when nobody is typing."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LANGUAGE_CODES, PHONE
from tests.e2e.test_offline_and_exit import NEUTRAL

# The sample's services in the order they are loaded into a new database.
SCHOOLS, SAFELINK, BOSTON_311 = 7, 10, 14


@pytest.fixture
def tab(browser):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_a_word_from_another_language_finds_its_results_there(tab, site):
    """ "escuela" typed on an English page: the page says where it found it, and
    the link opens the Spanish results."""
    tab.goto(site.url("/en/libraries/"))
    tab.get_by_role("searchbox").fill("escuela")
    tab.get_by_role("searchbox").press("Enter")
    expect(tab.locator("h2", has_text="Found in other languages")).to_be_visible()
    link = tab.locator(".elsewhere a").first
    expect(link).to_contain_text("Español")
    link.click()
    expect(tab.locator("html")).to_have_attribute("lang", "es")
    expect(tab.locator("main")).to_contain_text("Boston Public Schools")


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_spanish_word_is_found_or_pointed_to_in_every_language(tab, site, lang):
    tab.goto(site.url(f"/{lang}/"))
    tab.get_by_role("searchbox").fill("escuela")
    tab.get_by_role("searchbox").press("Enter")
    found = tab.locator(f'main a[href="/{lang}/schools/public-schools/"]')
    pointed = tab.locator('.elsewhere a[hreflang="es"]')
    expect(found.or_(pointed).first).to_be_visible()


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_the_search_box_is_on_the_first_screen(tab, site, lang):
    tab.goto(site.url(f"/{lang}/schools/public-schools/"))
    box = tab.get_by_role("searchbox").bounding_box()
    assert box["y"] + box["height"] < 300


def test_an_address_reads_in_order_in_arabic(tab, site):
    """The house number comes before the street, left to right, inside the
    right-to-left page, on the page and on the handout."""
    for path in ("/ar/schools/public-schools/", "/ar/schools/public-schools/print/"):
        tab.goto(site.url(path))
        xs = tab.evaluate(
            """() => {
              const span = [...document.querySelectorAll(".address")]
                .find(node => node.textContent.includes("Washington"));
              const text = span.firstChild;
              const at = word => {
                const range = document.createRange();
                const start = text.data.indexOf(word);
                range.setStart(text, start);
                range.setEnd(text, start + word.length);
                return range.getBoundingClientRect().left;
              };
              return [at("2300"), at("Washington"), at("Roxbury")];
            }"""
        )
        assert xs == sorted(xs), f"{path}: {xs}"


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_referral_is_cards_with_numbers_to_tap_and_pages_to_open(tab, site, lang):
    numbers = f"{SCHOOLS}-{SAFELINK}-{BOSTON_311}"
    tab.goto(site.url(f"/{lang}/referral/{numbers}/"))
    cards = tab.locator(".referral-cards > li")
    expect(cards).to_have_count(3)
    height = tab.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, height
    expect(cards.nth(1).locator('a[href="tel:8777852020"]')).to_be_visible()
    expect(cards.nth(2).locator('a[href="tel:311"]')).to_be_visible()
    cards.nth(0).locator("a").first.click()
    expect(tab).to_have_url(re.compile(rf"/{lang}/schools/public-schools/$"))


@pytest.mark.parametrize("lang", LANGUAGE_CODES)
def test_a_service_page_is_sent_by_the_phone_itself(tab, site, lang):
    tab.goto(site.url(f"/{lang}/emergency/safelink/"))
    share = tab.locator(".share")
    address = site.url(f"/{lang}/emergency/safelink/")
    expect(share.locator('a[href^="sms:"]')).to_have_attribute(
        "href", re.compile(r"^sms:\?&body=http")
    )
    expect(share.locator('a[href^="mailto:"]')).to_have_attribute(
        "href", re.compile(r"^mailto:\?subject=.+&body=http")
    )
    expect(share.get_by_role("link", name="WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text=")
    )
    expect(share.locator("#page-address")).to_have_value(address)
    # Without JavaScript, no button that could not work is shown.
    expect(share.locator(".share-sheet")).to_be_hidden()
    expect(share.locator(".copy-button")).to_be_hidden()


def test_escape_leaves_only_when_nobody_is_typing(browser, site):
    context = browser.new_context(**PHONE)
    context.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(
            body="<!doctype html><title>Neutral</title>", content_type="text/html"
        ),
    )
    page = context.new_page()
    try:
        page.goto(site.url("/vi/schools/public-schools/"))
        box = page.get_by_role("searchbox")
        box.fill("truong")
        box.press("Escape")
        page.wait_for_timeout(500)
        assert page.url.endswith("/vi/schools/public-schools/")
        page.locator("h1").click()
        page.keyboard.press("Escape")
        page.wait_for_url(NEUTRAL + "**")
    finally:
        context.close()
