"""The review workflow in Chromium, as caseworkers use it, under production
settings: each task from its buttons, each role seeing only what it may do, and
the Nu HTML Checker and axe-core on every admin page visited.

Records are created by the tests and deleted at their end: the other browser
tests read the Boston sample content as loaded."""

import datetime
import re
import uuid
from base64 import b32decode
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e import staff
from tests.e2e.audit import AdminAudit


@pytest.fixture
def audit(browser):
    return AdminAudit(browser)


def site_today():
    """Today where the site is (TIME_ZONE in config/settings.py), as a form has it."""
    return datetime.datetime.now(ZoneInfo("America/New_York")).date().isoformat()


# Django's English DATE_FORMAT ("N j, Y"): "Dec. 7, 2026", "March 3, 2026".
MONTHS = "Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec.".split()


def admin_date(iso_day):
    day = datetime.date.fromisoformat(iso_day)
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def unique(name):
    """A record name no other test or run uses."""
    return f"{name} {uuid.uuid4().hex[:6]}"


def slug_of(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def message(tab):
    return tab.locator("ul.messagelist")


def save_and_continue(tab):
    tab.get_by_role("button", name="Save and continue editing").click()


def fill_service(tab, name, *, category="Libraries and learning", status=None):
    """The fields a service needs, in the English tab of an add form."""
    tab.locator("#id_name_en").fill(name)
    tab.locator("#id_summary_en").fill(f"{name}: a place to test the guide.")
    tab.locator("#id_category").select_option(label=category)
    tab.locator("#id_slug").fill(slug_of(name))
    if status:
        tab.locator("#id_status").select_option(label=status)


def add_assurance(tab, *, rule, statement):
    """One "Your safety" statement citing a rule, chosen in the list of rules."""
    tab.get_by_role("button", name="Add another Assurance").click()
    form = tab.locator("#assurances-0")
    form.locator("#id_assurances-0-kind").select_option(index=1)
    form.locator("#id_assurances-0-statement_en").fill(statement)
    form.locator("#id_assurances-0-policy").select_option(label=rule)
    form.locator("#id_assurances-0-source_url").fill(
        "https://www.boston.gov/departments/immigrant-advancement"
    )


def service_create(tab, site, name, *, status="Published", **fields):
    """A reviewer's new service, through the add form; its change form's address."""
    tab.goto(site.url("/admin/services/service/add/"))
    fill_service(tab, name, status=status, **fields)
    save_and_continue(tab)
    expect(message(tab)).to_contain_text("was added successfully")
    return tab.url


def delete(tab, change_url):
    """Delete a record through its delete page, as a reviewer does."""
    tab.goto(change_url.replace("/change/", "/delete/"))
    tab.get_by_role("button", name=re.compile("Yes, I’m sure")).click()
    expect(message(tab)).to_contain_text("was deleted successfully")


@contextmanager
def deleted_afterwards(tab, urls):
    """Delete the records whose change forms are in `urls`, whatever happens; a
    failure of the test itself is the one reported."""
    try:
        yield urls
    except BaseException:
        for url in reversed(urls):
            try:
                if tab.goto(url).status == 200:
                    delete(tab, url)
            except Exception:  # noqa: S112 (the test's own failure matters more)
                continue
        raise
    for url in reversed(urls):
        if tab.goto(url).status == 200:
            delete(tab, url)


def test_a_staff_account_with_no_role_is_refused(site, desk, audit):
    tab = desk.sign_in(site, "no-role")
    expect(tab.locator("#work-to-do")).to_contain_text("Your account has no role yet")
    expect(tab.locator("#content-main")).not_to_contain_text("Services")
    audit.visit(tab)
    for path in (
        "/admin/services/service/",
        "/admin/services/service/1/change/",
        "/admin/attention/",
        "/admin/translations/",
        "/admin/translations/es.po",
        "/admin/preview/service/1/ar/",
    ):
        assert tab.goto(site.url(path)).status == 403, path
    audit.assert_clean()


def test_an_editor_writes_a_service_and_a_reviewer_publishes_it(
    site, desk, audit, screenshots
):
    name = unique("E2E reading room")
    reviewer = desk.sign_in(site, "reviewer")
    editor = desk.sign_in(site, "editor")
    audit.visit(editor)
    with deleted_afterwards(reviewer, []) as created:
        # The first page says how: a link to write a new service.
        editor.get_by_role("link", name="Write a new service").click()
        audit.visit(editor)
        fill_service(editor, name)
        add_assurance(
            editor,
            rule="Boston Trust Act",
            statement="Library staff do not ask about immigration status.",
        )
        save_and_continue(editor)
        expect(message(editor)).to_contain_text("was added successfully")
        created.append(editor.url)
        panel = editor.locator(".review-panel")
        expect(panel).to_contain_text("Not public.")
        expect(panel.get_by_role("button")).to_have_text(["Send for review"])
        audit.visit(editor)
        # Preview in Arabic, as residents would see it.
        panel.get_by_role("link", name="Arabic").click()
        expect(editor.locator("html")).to_have_attribute("dir", "rtl")
        expect(editor.locator("h1")).to_contain_text(name)
        expect(editor.locator("body")).to_contain_text(
            "Library staff do not ask about immigration status."
        )
        audit.visit(editor)
        editor.go_back()
        # Send it to review, from its button.
        panel.get_by_role("button", name="Send for review").click()
        expect(message(editor)).to_contain_text("Sent for review")
        expect(panel).to_contain_text("In review: not public yet.")
        editor.screenshot(path=screenshots / "admin-review-editor-draft.png")
        assert site.fetch(f"/en/libraries/{slug_of(name)}/")[0] == 404

        # The reviewer finds it waiting, and publishes it from the button.
        reviewer.goto(site.url("/admin/"))
        reviewer.get_by_role("link", name="Needs attention").click()
        audit.visit(reviewer)
        reviewer.get_by_role("link", name=name).first.click()
        expect(reviewer.locator(".review-panel")).to_contain_text(
            "In review: not public yet."
        )
        reviewer.screenshot(path=screenshots / "admin-review-reviewer-in-review.png")
        audit.visit(reviewer)
        reviewer.get_by_role("button", name="Publish", exact=True).click()
        expect(message(reviewer)).to_contain_text("Published. Residents see it now.")
        expect(reviewer.locator(".review-panel")).to_contain_text(
            "Published: residents see this."
        )
        audit.visit(reviewer)
        status, page = site.fetch(f"/en/libraries/{slug_of(name)}/")
        assert status == 200
        assert "Library staff do not ask about immigration status." in page

        # Unpublish takes it off the site again, and keeps it as a draft.
        reviewer.get_by_role("button", name="Unpublish").click()
        expect(message(reviewer)).to_contain_text(
            "Unpublished: residents no longer see it."
        )
        expect(reviewer.locator("#id_status")).to_have_value("draft")
        audit.visit(reviewer)
        assert site.fetch(f"/en/libraries/{slug_of(name)}/")[0] == 404
    audit.assert_clean()


def test_an_editor_changes_a_published_service_through_its_draft_copy(
    site, desk, audit, screenshots
):
    name = unique("E2E bookmobile")
    reviewer = desk.sign_in(site, "reviewer")
    editor = desk.sign_in(site, "editor")
    with deleted_afterwards(reviewer, []) as created:
        created.append(service_create(reviewer, site, name))
        public = f"/en/libraries/{slug_of(name)}/"
        assert site.fetch(public)[0] == 200

        # The editor may not change the published record, only a copy of it.
        editor.goto(created[0])
        panel = editor.locator(".review-panel")
        expect(panel).to_contain_text("Published: residents see this.")
        expect(panel.get_by_role("button")).to_have_text(["Edit a draft copy"])
        expect(editor.locator("#id_summary_en")).to_have_count(0)
        editor.screenshot(path=screenshots / "admin-review-editor-published.png")
        audit.visit(editor)
        panel.get_by_role("button", name="Edit a draft copy").click()
        expect(message(editor)).to_contain_text("This is the draft copy you asked for")
        expect(editor.locator(".review-panel")).to_contain_text("This is a draft copy.")
        audit.visit(editor)
        editor.locator("#id_summary_en").fill("Now also on Saturdays.")
        save_and_continue(editor)
        expect(message(editor)).to_contain_text("was changed successfully")
        editor.locator(".review-panel").get_by_role(
            "button", name="Send for review"
        ).click()
        expect(message(editor)).to_contain_text("Sent for review")
        # Residents still read the published version.
        assert "Now also on Saturdays." not in site.fetch(public)[1]

        # The reviewer publishes the copy over the original, at the same address.
        reviewer.goto(site.url("/admin/attention/"))
        waiting = reviewer.locator("h2:has-text('Waiting for a reviewer') + ul")
        waiting.get_by_role("link", name=name).click()
        expect(reviewer.locator(".review-panel")).to_contain_text(
            "This is a draft copy."
        )
        reviewer.screenshot(path=screenshots / "admin-review-reviewer-draft-copy.png")
        audit.visit(reviewer)
        reviewer.get_by_role("button", name="Publish this copy").click()
        expect(message(reviewer)).to_contain_text(
            "this copy replaced the public version"
        )
        assert reviewer.url == created[0]
        audit.visit(reviewer)
        assert "Now also on Saturdays." in site.fetch(public)[1]
    audit.assert_clean()


def test_a_rule_change_is_listed_under_needs_attention_until_checked(site, desk, audit):
    rule = unique("E2E library privacy rule")
    name = unique("E2E study hall")
    reviewer = desk.sign_in(site, "reviewer")
    with deleted_afterwards(reviewer, []) as created:
        reviewer.goto(site.url("/admin/services/policy/add/"))
        reviewer.locator("#id_name_en").fill(rule)
        reviewer.locator("#id_slug").fill(slug_of(rule))
        reviewer.locator("#id_summary_en").fill("Library records stay private.")
        reviewer.locator("#id_official_url").fill("https://malegislature.gov/")
        reviewer.locator("#id_status").select_option(label="Published")
        save_and_continue(reviewer)
        expect(message(reviewer)).to_contain_text("was added successfully")
        created.append(reviewer.url)
        reviewer.goto(site.url("/admin/services/service/add/"))
        fill_service(reviewer, name, status="Published")
        add_assurance(
            reviewer, rule=rule, statement="Staff do not record immigration status."
        )
        save_and_continue(reviewer)
        expect(message(reviewer)).to_contain_text("was added successfully")
        created.append(reviewer.url)

        # The rule changes: the service citing it needs a check.
        reviewer.goto(created[0])
        reviewer.locator("#id_summary_en").fill("Library records stay private, mostly.")
        save_and_continue(reviewer)
        expect(message(reviewer)).to_contain_text("The rule changed: 1 services")
        reviewer.goto(site.url("/admin/"))
        reviewer.get_by_role("link", name="Needs attention").click()
        changed = reviewer.locator("h2:has-text('A rule they rely on changed') + ul")
        row = changed.locator("li", has_text=name)
        expect(row).to_contain_text(f"The rule “{rule}” changed")
        audit.visit(reviewer)

        # Still correct, from the list: recorded, and off the list.
        row.get_by_role("button", name=re.compile("Still correct")).click()
        expect(message(reviewer)).to_contain_text(
            f"Recorded for “{name}”: checked today and still correct."
        )
        expect(reviewer).to_have_url(re.compile(r"/admin/attention/$"))
        expect(changed).not_to_contain_text(name)

        # Still correct, from the rule's own form.
        reviewer.goto(created[0])
        reviewer.get_by_role("button", name="Still correct (checked today)").click()
        expect(message(reviewer)).to_contain_text("checked today and still correct")
        # The date of a check is shown, never typed: there is no field for it.
        checked = reviewer.locator(".field-last_verified_on .readonly")
        expect(checked).to_have_text(admin_date(site_today()))
        expect(reviewer.locator(".field-verified_by .readonly")).to_have_text(
            "reviewer"
        )
        expect(reviewer.locator("#id_last_verified_on")).to_have_count(0)
        audit.visit(reviewer)
    audit.assert_clean()


def test_a_reviewer_restores_a_version_and_recovers_a_deleted_service(
    site, desk, audit
):
    name = unique("E2E archive")
    reviewer = desk.sign_in(site, "reviewer")
    with deleted_afterwards(reviewer, []) as created:
        url = service_create(reviewer, site, name)
        created.append(url)
        first_summary = reviewer.locator("#id_summary_en").input_value()
        reviewer.locator("#id_summary_en").fill("A second summary, to be undone.")
        save_and_continue(reviewer)
        expect(message(reviewer)).to_contain_text("was changed successfully")

        # History: the first version, back in one save.
        reviewer.get_by_role("link", name="History").click()
        audit.visit(reviewer)
        # The oldest version comes first.
        reviewer.locator("#change-history tbody tr").first.locator("a").click()
        expect(reviewer.locator("#id_summary_en")).to_have_value(first_summary)
        audit.visit(reviewer)
        reviewer.get_by_role("button", name="Save", exact=True).click()
        expect(message(reviewer)).to_contain_text("was changed successfully")
        reviewer.goto(url)
        expect(reviewer.locator("#id_summary_en")).to_have_value(first_summary)

        # Deleted, then recovered from the list's "Recover deleted services".
        delete(reviewer, url)
        assert site.fetch(f"/en/libraries/{slug_of(name)}/")[0] == 404
        reviewer.get_by_role(
            "link", name=re.compile("Recover deleted services")
        ).click()
        audit.visit(reviewer)
        # A row per deleted record: its last saved version's date, and its name.
        deleted = reviewer.locator("#change-history tbody tr", has_text=name)
        deleted.get_by_role("link").click()
        audit.visit(reviewer)
        reviewer.get_by_role("button", name="Save", exact=True).click()
        expect(message(reviewer)).to_contain_text(name)
        # Back at its own address, with the text it had.
        reviewer.goto(url)
        expect(reviewer.locator("#id_summary_en")).to_have_value(first_summary)
        assert site.fetch(f"/en/libraries/{slug_of(name)}/")[0] == 200
    audit.assert_clean()


def test_an_editor_makes_a_referral_link_in_somali(site, desk, audit):
    editor = desk.sign_in(site, "editor")
    editor.goto(site.url("/admin/services/service/"))
    audit.visit(editor)
    for name in ("Boston 311", "WIC nutrition program"):
        row = editor.locator("#result_list tr", has_text=name)
        row.locator("input.action-select").check()
    editor.locator("select[name=action]").select_option(
        label="Make a referral link for a client"
    )
    with editor.expect_response(lambda r: r.request.method == "POST") as posted:
        editor.get_by_role("button", name="Go").click()
    audit.served(editor, posted.value, "referral: choose the language")
    editor.get_by_label("Language").select_option(label="Somali")
    with editor.expect_response(lambda r: r.request.method == "POST") as posted:
        editor.get_by_role("button", name="Make the link").click()
    audit.served(editor, posted.value, "referral: the link")
    link = editor.locator("#content-main a[dir=ltr]")
    expect(link).to_have_text(re.compile(r"/so/referral/[\d-]+/$"))
    expect(editor.locator(".qr svg")).to_be_visible()
    editor.get_by_role("link", name="Open the printable page").click()
    expect(editor.locator("html")).to_have_attribute("lang", "so")
    expect(editor.locator("body")).to_contain_text("Boston 311")
    audit.assert_clean()


def test_sign_in_with_two_factor_turned_on(site, desk, audit):
    from django_otp.oath import TOTP

    tab = desk.sign_in(site, "translator")
    tab.get_by_role("link", name="Two-factor sign-in for your account").click()
    audit.visit(tab)
    secret = tab.locator("code").inner_text()
    totp = TOTP(b32decode(secret))
    try:
        tab.get_by_label("Code").fill(f"{totp.token():06d}")
        tab.get_by_role("button", name="Turn two-factor sign-in on").click()
        expect(message(tab)).to_contain_text("Two-factor sign-in is on.")
        audit.visit(tab)

        # Signing in now asks for the code; the password alone is refused.
        other = desk.new_page()
        other.goto(site.url("/admin/"))
        other.get_by_label("Username").fill("translator")
        other.get_by_label("Password").fill(staff.PASSWORD)
        other.get_by_role("button", name="Log in").click()
        expect(other.locator(".errornote")).to_be_visible()
        # The code of the next 30 seconds: the one just used is not taken twice.
        totp.drift = 1
        other.get_by_label("Password").fill(staff.PASSWORD)
        other.get_by_label(re.compile("Code from your authenticator app")).fill(
            f"{totp.token():06d}"
        )
        other.get_by_role("button", name="Log in").click()
        expect(other).to_have_url(re.compile(r"/admin/$"))
        expect(other.locator("#work-to-do")).to_contain_text("Two-factor sign-in")
        expect(other.locator("#work-to-do")).to_contain_text(": on")
    finally:
        # The other browser tests sign in as the translator with a password only.
        tab.goto(site.url("/admin/two-factor/"))
        off = tab.get_by_role("button", name="Turn two-factor sign-in off")
        if off.count():
            off.click()
            expect(message(tab)).to_contain_text("Two-factor sign-in is off.")
    audit.assert_clean()


def test_too_many_wrong_passwords_pause_only_that_account_from_here(site, desk, audit):
    # An account nobody uses, so that no other test is locked out.
    tab = desk.new_page()
    tab.goto(site.url("/admin/"))
    for _attempt in range(4):
        tab.get_by_label("Username").fill("someone-who-left")
        tab.get_by_label("Password").fill("an old password")
        tab.get_by_role("button", name="Log in").click()
        expect(tab.locator(".errornote")).to_be_visible()
    # The fifth wrong password pauses the account from here.
    with tab.expect_response(lambda r: r.request.method == "POST") as posted:
        tab.get_by_label("Username").fill("someone-who-left")
        tab.get_by_label("Password").fill("an old password")
        tab.get_by_role("button", name="Log in").click()
    assert posted.value.status == 429
    expect(tab.locator("h1")).to_have_text("Sign-in paused")
    expect(tab.locator("#content-main")).to_contain_text(
        "Signing in to it from here is paused for 15 minutes"
    )
    expect(tab.locator("#content-main")).to_contain_text(
        "The account itself is not locked"
    )
    audit.served(tab, posted.value, "locked out")
    # Other accounts still sign in from the same place.
    desk.sign_in(site, "reviewer")
    audit.assert_clean()


def test_a_reviewer_publishes_with_a_check_and_residents_see_who_checked_when(
    site, desk, audit, screenshots
):
    """A date means a person checked: a new service says nobody has, until a
    reviewer ticks the box beside Publish."""
    name = unique("E2E checked desk")
    reviewer = desk.sign_in(site, "reviewer")
    with deleted_afterwards(reviewer, []) as created:
        reviewer.goto(site.url("/admin/services/service/add/"))
        fill_service(reviewer, name)
        add_assurance(
            reviewer,
            rule="Boston Trust Act",
            statement="Desk staff do not ask about immigration status.",
        )
        save_and_continue(reviewer)
        expect(message(reviewer)).to_contain_text("was added successfully")
        created.append(reviewer.url)

        # Needs attention lists residents' reports first (those about status
        # questions, for reviewers, before the others), then what nobody checked,
        # with the note of each.
        reviewer.goto(site.url("/admin/attention/"))
        headings = reviewer.locator("#content-main h2")
        expect(headings.nth(0)).to_have_text(
            "Residents say staff asked about their immigration status"
        )
        expect(headings.nth(1)).to_have_text("Reports from residents")
        expect(headings.nth(2)).to_have_text("Never checked by a person")
        never = reviewer.locator("h2:has-text('Never checked by a person') ~ ul").first
        expect(never).to_contain_text(name)
        expect(
            never.locator("li", has_text="Massachusetts WIC eligibility")
        ).to_contain_text("Note for reviewers: Link the mass.gov page")
        audit.visit(reviewer)
        reviewer.screenshot(path=screenshots / "admin-attention-never-checked.png")

        # Publish, ticking the box: the check is recorded with the publishing.
        reviewer.goto(created[0])
        panel = reviewer.locator(".review-panel")
        panel.get_by_label("I checked each statement against its source today").check()
        panel.get_by_role("button", name="Publish").click()
        expect(message(reviewer)).to_contain_text(
            "Published. Residents see it now. Recorded as checked against its "
            "sources today."
        )
        # The service's own date comes before its statements' dates.
        dates = reviewer.locator(".field-last_verified_on .readonly")
        expect(dates.first).to_have_text(admin_date(site_today()))
        expect(
            reviewer.locator("#assurances-0 .fieldBox.field-last_verified_on")
        ).to_contain_text(admin_date(site_today()))
        audit.visit(reviewer)

        page = desk.new_page()
        page.goto(site.url(f"/en/libraries/{slug_of(name)}/"))
        expect(page.locator(".page-verified")).to_have_text(
            "A person last checked this page against its sources on "
            f"{admin_date(site_today())}."
        )
        expect(page.locator(".safety .verified")).to_have_text(
            f"Last checked {admin_date(site_today())}"
        )
        page.close()
    audit.assert_clean()
