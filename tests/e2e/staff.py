"""Caseworkers in the browser tests: their accounts, and signing in as a person
does, through the admin's own sign-in form."""

import re

PASSWORD = "a long e2e password nobody guesses"
# username: the groups it is in (services/workflow/roles.py), "" for none.
ACCOUNTS = {
    "reviewer": ["Reviewer"],
    "editor": ["Editor"],
    "translator": ["Translator", "Translator: Spanish", "Translator: Arabic"],
    "no-role": [],
}

CREATE_ACCOUNTS = f"""
from django.contrib.auth.models import Group, User
for username, groups in {ACCOUNTS!r}.items():
    user = User.objects.create_user(username, password={PASSWORD!r}, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
"""

# A caseworker's screen.
DESK = {"viewport": {"width": 1280, "height": 800}}


def sign_in(tab, site, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person does, and land on the admin's index.

    (Playwright is imported here: this module's accounts are read by conftest.py
    even when the browser tests are not collected, and Playwright is installed
    by `make e2e` only.)"""
    from playwright.sync_api import expect

    tab.goto(site.url("/admin/"))
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Log in").click()
    expect(tab.get_by_role("button", name="Log out")).to_be_visible()
    expect(tab).to_have_url(re.compile(r"/admin/$"))
