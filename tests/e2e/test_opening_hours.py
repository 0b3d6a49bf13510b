"""Opening hours as people meet them: a caseworker fills in the week in the
admin's grid, and a resident's phone says open, then closed once closing time
passes, without anyone touching the page (the cached copy ends at closing)."""

import datetime
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.audit import AdminAudit

SERVICE = "/admin/services/service/?q=mayors-health-line"
PAGE = "/en/health/mayors-health-line/"
GRID = "contacts-0-opening_hours"
OTHER_DAYS = ("tue", "wed", "thu", "fri", "sat", "sun")


def open_form(tab, site):
    tab.goto(site.url(SERVICE))
    tab.get_by_role("link", name="Mayor's Health Line").first.click()


def save(tab):
    tab.get_by_role("button", name="Save and continue editing").click()
    expect(tab.locator("ul.messagelist")).to_contain_text("was changed successfully")


def test_a_caseworker_fills_the_week_and_a_phone_says_open_then_closed(
    site, desk, phone, browser, screenshots
):
    reviewer = desk.sign_in(site, "reviewer")
    now = datetime.datetime.now(ZoneInfo("America/New_York"))
    # Closing time: the next minute at least 30 seconds away.
    closing = (now + datetime.timedelta(seconds=90)).replace(second=0, microsecond=0)
    open_form(reviewer, site)
    try:
        reviewer.fill(f'input[name="{GRID}_mon_times"]', f"0:01-{closing:%H:%M}")
        for day in OTHER_DAYS:
            reviewer.select_option(f'select[name="{GRID}_{day}_kind"]', "same")
        reviewer.locator(".opening-hours-grid").first.screenshot(
            path=screenshots / "admin-hours-grid.png"
        )
        save(reviewer)
        # Saved as the week, shown back as the caseworker wrote it.
        expect(reviewer.locator(f'input[name="{GRID}_sun_times"]')).to_have_value(
            f"00:01-{closing:%H:%M}"
        )
        audit = AdminAudit(browser)
        audit.visit(reviewer, "the service form with its week")

        resident = phone
        resident.goto(site.url(PAGE))
        closes = f"{closing:%-I:%M %p}"
        expect(resident.locator(".open-state").first).to_have_text(
            f"Open now · closes at {closes}"
        )
        resident.locator(".contacts").screenshot(
            path=screenshots / "phone-open-now.png"
        )
        wait = (
            closing - datetime.datetime.now(ZoneInfo("America/New_York"))
        ).total_seconds()
        resident.wait_for_timeout(max(0, wait) * 1000 + 1500)
        resident.reload()
        expect(resident.locator(".open-state").first).to_have_text(
            re.compile(r"Closed now · opens (tomorrow )?at 12:01 AM")
        )
        resident.locator(".contacts").screenshot(
            path=screenshots / "phone-closed-now.png"
        )
    finally:
        # Back as it was: no hours known.
        open_form(reviewer, site)
        reviewer.fill(f'input[name="{GRID}_mon_times"]', "")
        for day in ("mon", *OTHER_DAYS):
            reviewer.select_option(f'select[name="{GRID}_{day}_kind"]', "")
        save(reviewer)
