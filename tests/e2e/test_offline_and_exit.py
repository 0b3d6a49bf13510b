"""Offline copies of visited pages, and the quick exit, in a real browser."""

import pytest

from tests.e2e.conftest import PHONE

NEUTRAL = "https://www.google.com/"


@pytest.fixture
def with_javascript(browser):
    context = browser.new_context(**PHONE)
    # No network beyond this machine: answer for the neutral page ourselves.
    context.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(
            body="<!doctype html><title>Neutral</title><p>Neutral page</p>",
            content_type="text/html",
        ),
    )
    yield context
    context.close()


def wait_for_service_worker(page):
    page.wait_for_function(
        "navigator.serviceWorker.ready"
        ".then(() => !!navigator.serviceWorker.controller)",
        timeout=15000,
    )


def test_a_visited_page_reads_offline_with_the_day_it_was_saved(with_javascript, site):
    page = with_javascript.new_page()
    page.goto(site.url("/so/"))
    wait_for_service_worker(page)
    page.goto(site.url("/so/schools/public-schools/"))
    assert page.locator(".offline-note").is_hidden()
    with_javascript.set_offline(True)
    page.goto(site.url("/so/schools/public-schools/"))
    note = page.locator(".offline-note")
    assert note.is_visible()
    assert "UTC" in note.inner_text()
    assert page.locator("html").get_attribute("lang") == "so"
    assert page.locator("h1").inner_text()
    # A page never visited: the language's home with the emergency number and the
    # help lines, saved on the first visit.
    page.goto(site.url("/so/food/wic/"))
    assert page.locator(".offline-note").is_visible()
    assert page.locator('a[href="tel:911"]').first.is_visible()
    assert page.locator(".hotlines").is_visible()


def test_searches_are_never_kept_offline(with_javascript, site):
    page = with_javascript.new_page()
    page.goto(site.url("/es/"))
    wait_for_service_worker(page)
    page.goto(site.url("/es/search/?q=escuela"))
    keys = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(name => "
        "caches.open(name).then(cache => cache.keys()))))"
        ".then(lists => lists.flat().map(request => request.url))"
    )
    assert keys
    assert not any("search" in key for key in keys)


def test_quick_exit_without_javascript_is_a_plain_link(browser, site):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(body="Neutral page", content_type="text/html"),
    )
    page = context.new_page()
    page.goto(site.url("/ar/emergency/safelink/"))
    exit_link = page.locator("a.quick-exit")
    box = exit_link.bounding_box()
    assert box["y"] < 100 and box["height"] >= 44
    exit_link.click()
    page.wait_for_url(NEUTRAL + "**")
    context.close()


def test_quick_exit_with_javascript_replaces_the_page_and_forgets_copies(
    with_javascript, site
):
    page = with_javascript.new_page()
    page.goto(site.url("/ht/"))
    wait_for_service_worker(page)
    page.goto(site.url("/ht/emergency/safelink/"))
    page.locator("a.quick-exit").click()
    page.wait_for_url(NEUTRAL + "**")
    # The exited page is gone from the back button (it was replaced).
    page.go_back()
    assert not page.url.endswith("/ht/emergency/safelink/")
    page.goto(site.url("/ht/about/"))
    kept = page.evaluate(
        "caches.keys().then(names => Promise.all(names.map(name => "
        "caches.open(name).then(cache => cache.keys()))))"
        ".then(lists => lists.flat().map(request => request.url))"
    )
    assert not any("safelink" in key for key in kept)


def test_the_escape_key_leaves_the_site(with_javascript, site):
    page = with_javascript.new_page()
    page.goto(site.url("/vi/"))
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL + "**")
