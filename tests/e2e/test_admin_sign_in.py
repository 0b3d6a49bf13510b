"""Signing in and out of the admin in Chromium, with the production settings."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import staff


@pytest.mark.parametrize("username", ["reviewer", "editor", "translator"])
def test_each_role_signs_in_and_out_through_the_form(username, site, desk):
    tab = desk.sign_in(site, username)
    expect(tab.locator("#user-tools")).to_contain_text(username)
    tab.get_by_role("button", name="Log out").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Logged out")


def test_a_wrong_password_is_refused_with_a_message(site, desk):
    tab = desk.new_page()
    tab.goto(site.url("/admin/"))
    tab.get_by_label("Username").fill("reviewer")
    tab.get_by_label("Password").fill("not the password")
    tab.get_by_role("button", name="Log in").click()
    expect(tab.locator(".errornote")).to_contain_text("correct username and password")
    expect(tab).to_have_url(re.compile(r"/admin/login/"))


def test_a_staff_account_with_no_role_is_shown_nothing_to_change(site, desk):
    tab = desk.sign_in(site, "no-role")
    expect(tab.locator("#content-main")).not_to_contain_text("Services")
    assert tab.goto(site.url("/admin/services/service/")).status == 403
    assert staff.ACCOUNTS["no-role"] == []
