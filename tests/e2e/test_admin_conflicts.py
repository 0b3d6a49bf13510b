"""Two caseworkers in two browsers save the same service: nobody's edit is lost.

A reviewer and an editor open the same draft. Changes to different fields are
merged; when both change the same text, the second save is refused with the
colleague's text on the page, and saving again keeps both people's other changes.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.audit import AdminAudit

NAME = "Saved by two people"


@pytest.fixture
def audit(browser):
    return AdminAudit(browser)


def save(tab):
    tab.locator('input[name="_save"]').click()


def create_draft(tab, site):
    """A draft service of this test's own, so no other test's page changes."""
    tab.goto(site.url("/admin/services/service/add/"))
    tab.locator("#id_name_en").fill(NAME)
    tab.locator("#id_summary_en").fill("The summary both people start from.")
    tab.locator("#id_category").select_option(label="City and state services")
    tab.locator("#id_slug").fill("saved-by-two-people")
    save(tab)
    expect(tab.locator(".messagelist")).to_contain_text("was added successfully")
    tab.get_by_role("link", name=NAME).first.click()
    expect(tab.locator("#id_name_en")).to_have_value(NAME)
    return tab.url


def test_two_people_saving_the_same_service_keep_both_edits(
    site, desk, screenshots, audit
):
    reviewer = desk.sign_in(site, "reviewer")
    editor = desk.sign_in(site, "editor")
    url = create_draft(reviewer, site)

    # Both open it; the editor saves first, the reviewer then saves another field.
    reviewer.goto(url)
    editor.goto(url)
    editor.locator("#id_website").fill("https://www.boston.gov/editor")
    save(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    reviewer.locator("#id_verification_note").fill("Checked the phone line.")
    save(reviewer)
    audit.visit(reviewer)
    messages = reviewer.locator(".messagelist")
    expect(messages).to_contain_text("was changed successfully")
    expect(messages).to_contain_text("Editor also saved this service")
    expect(messages).to_contain_text("Their changes are kept alongside yours: Website")
    reviewer.goto(url)
    expect(reviewer.locator("#id_website")).to_have_value(
        "https://www.boston.gov/editor"
    )
    expect(reviewer.locator("#id_verification_note")).to_have_value(
        "Checked the phone line."
    )
    audit.visit(reviewer)

    # Both change the summary (and one other field each): the second is refused.
    editor.goto(url)
    editor.locator("#id_summary_en").fill("The editor's summary.")
    editor.locator("#id_cost_en").fill("Free, says the editor.")
    reviewer.locator("#id_summary_en").fill("The reviewer's summary.")
    reviewer.locator("#id_sort_order").fill("7")
    save(editor)
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    with reviewer.expect_response(lambda r: r.request.method == "POST") as posted:
        save(reviewer)
    audit.served(reviewer, posted.value, "the refused save")

    refusal = reviewer.locator(".messagelist .error")
    expect(refusal).to_contain_text("Your changes are not saved yet: editor saved this")
    expect(refusal).to_contain_text("you both changed Summary (English).")
    expect(refusal).to_contain_text("Cost (English)")  # kept, and said so
    expect(reviewer.locator(".field-summary_en")).to_contain_text(
        "Saved by editor: “The editor's summary.”"
    )
    expect(reviewer.locator("#id_summary_en")).to_have_value("The reviewer's summary.")
    expect(reviewer.locator("#id_sort_order")).to_have_value("7")
    expect(reviewer.locator("#id_cost_en")).to_have_value("Free, says the editor.")
    reviewer.screenshot(path=screenshots / "admin-save-refused.png")

    # Having read it, the reviewer keeps their summary; nothing else is lost.
    save(reviewer)
    expect(reviewer.locator(".messagelist")).to_contain_text("was changed successfully")
    reviewer.goto(url)
    expect(reviewer.locator("#id_summary_en")).to_have_value("The reviewer's summary.")
    expect(reviewer.locator("#id_sort_order")).to_have_value("7")
    expect(reviewer.locator("#id_cost_en")).to_have_value("Free, says the editor.")
    expect(reviewer.locator("#id_website")).to_have_value(
        "https://www.boston.gov/editor"
    )
    expect(reviewer.locator("#id_verification_note")).to_have_value(
        "Checked the phone line."
    )
    audit.visit(reviewer)
    audit.assert_clean()
