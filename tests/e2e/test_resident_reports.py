"""A resident reports a wrong phone number from a phone, in Haitian Creole, with
no JavaScript, and a reviewer sees it under "Needs attention": no cookie set on
the way, nothing about the resident in what is kept, and words that should not
be kept deleted by the reviewer."""

import uuid

from playwright.sync_api import expect

from tests.e2e.audit import AdminAudit

PAGE = "/ht/health/mayors-health-line/"


def test_a_wrong_number_reported_in_haitian_creole_reaches_a_reviewer(
    site, phone, desk, browser, screenshots
):
    words = f"Nimewo a pa mache {uuid.uuid4().hex[:6]}"
    phone.goto(site.url(PAGE))
    phone.locator("a.report-link").click()
    report = phone.locator("form.report")
    report.locator('input[name="problem"][value="phone"]').check()
    report.locator("textarea").fill(words)
    report.screenshot(path=screenshots / "phone-report-form-ht.png")
    report.locator('button[type="submit"]').click()
    expect(phone.locator("h1")).not_to_have_text("")
    assert "/ht/report/sent/" in phone.url
    phone.screenshot(path=screenshots / "phone-report-sent-ht.png", full_page=True)
    # Not one cookie in the whole flow.
    assert phone.context.cookies() == []

    reviewer = desk.sign_in(site, "reviewer")
    reviewer.goto(site.url("/admin/attention/"))
    reports = reviewer.locator("h2:has-text('Reports from residents') ~ ul.reports")
    expect(reports).to_contain_text(words)
    expect(reports).to_contain_text("Haitian Creole")
    expect(reports).to_contain_text("The phone number does not work")
    reviewer.screenshot(path=screenshots / "admin-attention-reports.png")

    audit = AdminAudit(browser)
    audit.visit(reviewer, "needs attention with a report")
    # Words a resident should not have left (here, say, a number): the reviewer
    # deletes them at once, and the report still counts.
    reports.locator("li li", has_text=words).get_by_role(
        "button", name="Delete this comment"
    ).click()
    expect(reviewer.locator("ul.messagelist")).to_contain_text(
        "The comment was deleted. The report still counts."
    )
    expect(reports).not_to_contain_text(words)
    expect(reports).to_contain_text("The phone number does not work")
    reviewer.goto(site.url("/admin/usage/"))
    expect(reviewer.locator("svg.chart").first).to_be_visible()
    reviewer.screenshot(path=screenshots / "admin-usage.png", full_page=True)
    audit.visit(reviewer, "how the guide is used")
    thanks = desk.new_page()
    thanks.goto(phone.url)
    audit.visit(thanks, "the thank-you page")
    audit.assert_clean()


def test_a_report_with_nothing_chosen_is_asked_again_without_losing_the_words(
    site, phone
):
    phone.goto(site.url("/en/health/emergency-rooms/"))
    phone.locator("a.report-link").click()
    report = phone.locator("form.report")
    # The browser itself asks for a choice first (the radio buttons are required).
    report.locator("textarea").fill("The address is wrong")
    report.locator('button[type="submit"]').click()
    assert "/report/sent/" not in phone.url
    expect(report.locator("textarea")).to_have_value("The address is wrong")
