"""A translator at work in Chromium, under production settings: the change form
in one language with the English beside it, reached through a published
service's draft copy, and a PO file exported, translated, checked and imported.
The admin pages visited pass the Nu HTML Checker and axe-core (tests/e2e/audit.py);
screenshots of the Arabic form, the lists and the import check are kept in
var/screenshots/.

Each test makes its own draft copy of a sample service and deletes it at the
end, so the published sample content other tests read stays as it was.
"""

import re
from urllib.parse import urlsplit

import polib
import pytest
from playwright.sync_api import expect

from tests.e2e import checks
from tests.e2e.audit import AdminAudit

LIBRARY_CARD = "/en/libraries/library-card/"
SNAP = "/en/food/snap-and-food-pantries/"


@pytest.fixture
def audit(browser):
    return AdminAudit(browser)


def change_page_of(tab, site, name):
    """The admin's change page of a service, found by its name in the list."""
    tab.goto(site.url("/admin/services/service/?q=" + name.replace(" ", "+")))
    tab.get_by_role("link", name=name, exact=True).first.click()
    expect(tab).to_have_url(re.compile(r"/admin/services/service/\d+/change/"))
    tab.wait_for_load_state("load")
    return tab.url.split("?")[0]


def draft_copy_of(tab, site, name):
    """The change page of a service's draft copy (the list shows the published
    record and its copy under the same name)."""
    tab.goto(site.url("/admin/services/service/?q=" + name.replace(" ", "+")))
    links = tab.get_by_role("link", name=name, exact=True)
    addresses = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for address in addresses:
        tab.goto(site.url(address))
        if "This is a draft copy." in tab.locator(".review-panel").inner_text():
            return tab.url.split("?")[0]
    raise AssertionError(f"{name} has no draft copy")


def start_draft_copy(tab, change_url):
    """Press "Edit a draft copy" on a published record; where the button's form
    is missing from the page, post what the button posts, from the page."""
    button = tab.get_by_role("button", name="Edit a draft copy")
    if button.count():
        button.click()
    else:
        tab.evaluate(
            """url => {
              const form = document.createElement('form');
              form.method = 'post';
              form.action = url;
              form.append(document.querySelector(
                '[name=csrfmiddlewaretoken]').cloneNode());
              document.body.append(form);
              form.submit();
            }""",
            change_url.replace("/change/", "/draft/"),
        )
    expect(tab.locator(".review-panel")).to_contain_text("This is a draft copy.")
    return tab.url.split("?")[0]


def delete_as_reviewer(desk, site, change_url):
    """Remove a draft copy made by a test: the published record stays."""
    tab = desk.sign_in(site, "reviewer")
    tab.goto(change_url.replace("/change/", "/delete/"))
    tab.get_by_role("button", name=re.compile("Yes, I.m sure")).click()
    expect(tab.locator(".messagelist")).to_contain_text("deleted successfully")


def test_a_translator_edits_only_spanish_through_a_draft_copy(
    site, desk, screenshots, audit
):
    tab = desk.sign_in(site, "translator")
    status, live_before = site.fetch(LIBRARY_CARD.replace("/en/", "/es/"))
    assert status == 200
    published = change_page_of(tab, site, "Boston Public Library card")
    expect(tab.locator(".review-panel")).to_contain_text("Published: residents see")
    draft = start_draft_copy(tab, published)
    try:
        # A translator of Spanish and Arabic lands on Spanish, the first.
        current = tab.locator(".language-bar a[aria-current=page]")
        expect(current).to_contain_text("Spanish")
        expect(tab.locator(".language-bar")).to_contain_text("Arabic")
        expect(tab.locator(".language-bar")).to_contain_text("machine-drafted")
        summary = tab.get_by_label("Summary (Spanish)")
        english = tab.locator("#id_summary_es_english")
        expect(english).to_contain_text("A free library card")
        expect(tab.locator("#id_summary_es_state")).to_have_text(
            "This translation: machine-drafted"
        )
        # Only Spanish can be typed in: no English, no other language.
        for name in ("summary_en", "summary_ar", "summary_fr", "slug"):
            assert tab.locator(f"[name={name}]").count() == 0, name
        audit.visit(tab, "the Spanish change form")

        # A phone number the English lacks is refused, naming it.
        typed = summary.input_value() + " Llame al 617-555-0199."
        summary.fill(typed)
        tab.get_by_role("button", name="Save and continue editing").click()
        expect(tab.locator(".errorlist")).to_contain_text(
            "The translation adds “617-555-0199”"
        )
        expect(summary).to_have_value(typed)

        new_text = "Una tarjeta gratuita de la biblioteca, revisada por una persona."
        summary.fill(new_text)
        tab.get_by_role("button", name="Save and continue editing").click()
        expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")
        expect(tab).to_have_url(re.compile(r"\?language=es$"))
        expect(tab.get_by_label("Summary (Spanish)")).to_have_value(new_text)
        expect(tab.locator("#id_summary_es_state")).to_have_text(
            "This translation: reviewed"
        )

        # Residents still read the published Spanish; the draft waits for review.
        assert site.fetch(LIBRARY_CARD.replace("/en/", "/es/"))[1] == live_before
        preview = draft.replace("/services/service/", "/preview/service/")
        preview = re.sub(r"/(\d+)/change/$", r"/\1/es/", preview)
        tab.goto(preview)
        expect(tab.locator("main")).to_contain_text(new_text)

        # The same form in Arabic, right to left, beside the English.
        tab.goto(draft + "?language=ar")
        expect(tab.get_by_label("Summary (Arabic)")).to_have_attribute("dir", "rtl")
        expect(tab.locator("#id_summary_ar_english")).to_have_attribute(
            "class", "translation-source"
        )
        tab.screenshot(path=screenshots / "admin-change-form-ar.png")
        tab.screenshot(
            path=screenshots / "admin-change-form-ar-full.png", full_page=True
        )
        audit.visit(tab, "the Arabic change form")

        # The translator says the copy is ready; a reviewer then finds it.
        tab.locator(".review-panel").get_by_role(
            "button", name="Send for review"
        ).click()
        expect(tab.locator(".messagelist")).to_contain_text("Sent for review")
        reviewer = desk.sign_in(site, "reviewer")
        reviewer.goto(site.url("/admin/attention/"))
        waiting = reviewer.locator(f'a[href="{urlsplit(draft).path}"]')
        expect(waiting.first).to_contain_text("Boston Public Library card")
        audit.assert_clean()
    finally:
        delete_as_reviewer(desk, site, draft)


def test_po_export_edit_check_and_import_in_the_browser(
    site, desk, screenshots, audit, tmp_path
):
    tab = desk.sign_in(site, "translator")
    _status, live_before = site.fetch(SNAP.replace("/en/", "/es/"))
    tab.goto(site.url("/admin/translations/"))
    expect(tab.locator(".translation-records")).to_contain_text("machine-drafted")
    audit.visit(tab, "the translations overview")
    cut = [
        problem for problem in tab.evaluate(checks.TEXT_CUT_OFF) if "tstate" in problem
    ]
    assert not cut, checks.problems_message("cut off", "translations", cut)
    tab.screenshot(path=screenshots / "admin-translations.png", full_page=True)
    with tab.expect_download() as download:
        tab.get_by_role("link", name="Download PO: Spanish").click()
    assert download.value.suggested_filename == "guide-es.po"
    po = polib.pofile(download.value.path().read_text(encoding="utf-8"))

    entry = next(
        entry
        for entry in po
        if entry.msgctxt.startswith("service:")
        and entry.msgctxt.endswith(":cost")
        and "SNAP food benefits and food pantries" in entry.comment
    )
    entry.msgstr = "Gratis, siempre (revisado por una persona)."
    entry.flags = []
    translated = tmp_path / "guide-es.po"
    po.save(str(translated))

    tab.goto(site.url("/admin/translations/"))
    expect(tab.get_by_label("Language of the file")).to_have_value("es")
    tab.get_by_label("Translated PO file").set_input_files(str(translated))
    with tab.expect_response(
        lambda response: response.url.endswith("/admin/translations/import/")
    ) as checked:
        tab.get_by_role("button", name="Check the file").click()
    audit.served(tab, checked.value, "the import check")
    table = tab.locator("table.import-changes")
    expect(table).to_contain_text("Gratis, siempre (revisado por una persona).")
    expect(table).to_contain_text("into its draft copy")
    expect(tab.locator(".import-facts")).to_contain_text("a person")
    tab.screenshot(path=screenshots / "admin-import-check.png")

    tab.get_by_role("button", name="Import these translations").click()
    expect(tab.locator(".messagelist")).to_contain_text(
        "1 of them went into draft copies of published records"
    )
    # The published page is as it was; the text waits in the draft copy.
    assert site.fetch(SNAP.replace("/en/", "/es/"))[1] == live_before
    draft = draft_copy_of(tab, site, "SNAP food benefits and food pantries")
    try:
        expect(tab.get_by_label("Cost (Spanish)")).to_have_value(
            "Gratis, siempre (revisado por una persona)."
        )
        tab.goto(site.url("/admin/services/service/"))
        audit.visit(tab, "the list of services")
        expect(tab.locator("#result_list")).to_contain_text(
            "Machine-drafted: all languages"
        )
        # The states read whole at a desk's 1280 px: nothing cut off or clipped.
        cut = [
            problem
            for problem in tab.evaluate(checks.TEXT_CUT_OFF)
            if "tstate" in problem or "translation-states" in problem
        ]
        tab.screenshot(path=screenshots / "admin-service-list.png")
        assert not cut, checks.problems_message("cut off", "service list", cut)
        audit.assert_clean()
    finally:
        delete_as_reviewer(desk, site, draft)


def test_staff_with_no_role_are_refused_the_translators_pages(site, desk):
    tab = desk.sign_in(site, "no-role")
    for path in ["/admin/translations/", "/admin/translations/es.po"]:
        assert tab.goto(site.url(path)).status == 403, path


def test_an_editor_lands_on_the_english_form_which_is_valid_and_accessible(
    site, desk, audit
):
    tab = desk.sign_in(site, "editor")
    draft = start_draft_copy(
        tab, change_page_of(tab, site, "Boston Public Library card")
    )
    try:
        current = tab.locator(".language-bar a[aria-current=page]")
        expect(current).to_contain_text("English")
        expect(tab.get_by_label("Summary (English)")).to_be_editable()
        expect(tab.get_by_label("Minor English edit")).to_be_visible()
        assert tab.locator("[name=summary_es]").count() == 0
        audit.visit(tab, "the English change form")
        audit.assert_clean()
    finally:
        delete_as_reviewer(desk, site, draft)
