"""Browser tests: the site as a resident's phone shows it. Run them with `make e2e`.

They drive Debian's chromium through Playwright against the site served by
gunicorn with production settings (a throwaway SQLite database holding the Boston
sample content), at a 360x740 phone viewport. `make test` does not collect them:
they need a browser, Java and the npm tools of this folder, and take minutes, so
they run only when `make e2e` sets GUIDE_E2E=1.
"""

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config.languages import LANGUAGES
from tests.e2e import staff
from tests.servers import HOST, free_port, production_env

if os.environ.get("GUIDE_E2E") != "1":
    collect_ignore_glob = ["test_*.py"]

ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
NODE_MODULES = E2E_DIR / "node_modules"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("GUIDE_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

LANGUAGE_CODES = [code for code, _name in LANGUAGES]
# Screenshots of every page type in these languages (one per script and direction).
SCREENSHOT_LANGUAGES = {"en", "ar", "zh-hant", "vi"}

# An Accept-Language that matches none of the guide's languages: `/` then shows
# the language chooser instead of redirecting.
NO_MATCHING_LANGUAGE = "tlh"

# A phone: 360x740 CSS pixels, touch, the mobile viewport rules.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "extra_http_headers": {"Accept-Language": NO_MATCHING_LANGUAGE},
}

SERVICE = "/{lang}/schools/public-schools/"
# Every page type, by name: its address and the status it answers with.
PAGE_TYPES = {
    "home": ("/{lang}/", 200),
    "category": ("/{lang}/schools/", 200),
    "service": (SERVICE, 200),
    "policy": ("/{lang}/policies/boston-trust-act/", 200),
    "guide": ("/{lang}/guides/know-your-rights/", 200),
    "search": ("/{lang}/search/?q=school", 200),
    "about": ("/{lang}/about/", 200),
    "print": (SERVICE + "print/", 200),
    # The sample's schools, SafeLink and 311, as a caseworker's referral link.
    "referral": ("/{lang}/referral/7-10-14/", 200),
    "not-found": ("/{lang}/no/such/page/", 404),
}


class Page:
    """One page of the site to check: its type, language, path and status."""

    def __init__(self, kind, lang, path, status):
        self.kind, self.lang, self.path, self.status = kind, lang, path, status

    @property
    def id(self):
        return f"{self.kind}-{self.lang}" if self.lang else self.kind


def all_pages():
    """Every page type in every language, and the language chooser at `/`."""
    pages = [Page("choose-language", None, "/", 200)]
    for kind, (path, status) in PAGE_TYPES.items():
        pages += [
            Page(kind, lang, path.format(lang=lang), status) for lang in LANGUAGE_CODES
        ]
    return pages


ALL_PAGES = all_pages()


def e2e_env(database_path, port):
    return production_env(
        database_path, GUNICORN_BIND=f"{HOST}:{port}", GUNICORN_WORKERS="3"
    )


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.exit(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}",
            returncode=1,
        )


class Site:
    def __init__(self, base_url):
        self.base_url = base_url

    def url(self, path):
        return self.base_url + path

    def fetch(self, path, accept_language=NO_MATCHING_LANGUAGE):
        """(status, body) of a page, as a browser without JavaScript gets it."""
        request = urllib.request.Request(
            self.url(path), headers={"Accept-Language": accept_language}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, served by gunicorn with production settings, for the whole run."""
    workdir = tmp_path_factory.mktemp("site")
    port = free_port()
    env = e2e_env(workdir / "e2e.sqlite3", port)
    manage(env, "migrate", "--noinput")
    manage(env, "load_sample_content")
    manage(env, "shell", "-c", staff.CREATE_ACCOUNTS)
    manage(env, "collectstatic", "--noinput")
    log_path = workdir / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    served = Site(f"http://{HOST}:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.exit(f"gunicorn stopped:\n{log_path.read_text()}", returncode=1)
            try:
                if served.fetch("/en/about/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.exit(f"gunicorn did not answer:\n{log_path.read_text()}", 1)
            time.sleep(0.2)
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium.", 1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def screenshots():
    """var/screenshots/, emptied at the start of each run."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture
def phone(browser):
    """A new page on a phone without JavaScript (the site uses none)."""
    context = browser.new_context(**PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser):
    """A caseworker's browser at a desk: 1280x800, JavaScript on, as the admin
    is used. `desk.sign_in(site, "reviewer")` opens a page signed in through
    the sign-in form."""
    contexts = []

    class Desk:
        def new_page(self, **options):
            context = browser.new_context(**staff.DESK, **options)
            contexts.append(context)
            return context.new_page()

        def sign_in(self, site, username, **options):
            tab = self.new_page(**options)
            staff.sign_in(tab, site, username)
            return tab

    yield Desk()
    for context in contexts:
        context.close()
