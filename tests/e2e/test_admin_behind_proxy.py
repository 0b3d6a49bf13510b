"""The admin over HTTPS behind nginx, as config/nginx.conf deploys it: signing in,
saving and signing out work in Chromium, with secure cookies."""

import pytest
from playwright.sync_api import expect

from tests.e2e import staff
from tests.servers import HOST, Gunicorn, Nginx, manage, production_env


@pytest.fixture(scope="module")
def site_behind_proxy(tmp_path_factory):
    directory = tmp_path_factory.mktemp("proxied")
    env = production_env(
        directory / "guide.sqlite3",
        DJANGO_BEHIND_PROXY="true",
        GUNICORN_FORWARDED_ALLOW_IPS=HOST,
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    manage(env, "shell", "-c", staff.CREATE_ACCOUNTS)
    manage(env, "collectstatic", "--noinput")
    host = Gunicorn(env, directory / "gunicorn.log", workers=2)
    host.start(ready_path="/healthz")
    proxy = Nginx(directory, host.port).start()

    class Proxied:
        def url(self, path):
            return proxy.url + path

    yield Proxied()
    proxy.stop()
    host.stop()


def test_a_reviewer_signs_in_saves_and_signs_out_over_https(site_behind_proxy, desk):
    tab = desk.sign_in(site_behind_proxy, "reviewer", ignore_https_errors=True)
    cookies = {cookie["name"]: cookie for cookie in tab.context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
    assert cookies["csrftoken"]["secure"]

    tab.goto(site_behind_proxy.url("/admin/services/hotline/"))
    tab.locator("#result_list tbody th a").first.click()
    tab.get_by_role("button", name="Save", exact=True).click()
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    tab.get_by_role("button", name="Log out").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Logged out")
