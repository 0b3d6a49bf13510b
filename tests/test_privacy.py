"""A visit leaves no trace, loads nothing from elsewhere, and stays light."""

import gzip
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from services.models import Category, Service
from tests.conftest import LANGUAGE_CODES
from tests.servers import free_port
from tests.test_admin import MODELS as ADMIN_MODELS
from tests.test_admin import admin_url
from tests.test_views import all_sample_pages, public_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LOADED_URL = re.compile(
    r"""<(?:img|script|iframe|source|audio|video|embed)\b[^>]*\bsrc=["']([^"']+)"""
    r"""|<link\b[^>]*\bhref=["']([^"']+)["'][^>]*>"""
    r"""|url\(\s*["']?([^"')]+)"""
)


def loaded_urls(html):
    """Everything a page makes the browser fetch: src, link href, CSS url()."""
    found = []
    for match in LOADED_URL.finditer(html):
        url = match.group(1) or match.group(2) or match.group(3)
        tag = match.group(0)
        if match.group(2) and re.search(r'rel="(canonical|alternate)"', tag):
            continue  # links to our own pages, not loaded
        found.append(url)
    return found


def is_own(url):
    return (url.startswith("/") and not url.startswith("//")) or url.startswith("data:")


def every_public_url():
    urls = ["/"]
    for language in LANGUAGE_CODES:
        with translation.override(language):
            urls += all_sample_pages()
            urls.append(reverse("services:search") + "?q=school")
    return urls


def test_every_public_page_sets_no_cookie_and_loads_only_from_us(client):
    urls = every_public_url()
    assert len(urls) > 500
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
        html = response.content.decode()
        for loaded in loaded_urls(html):
            assert is_own(loaded), (url, loaded)


def test_every_public_page_sends_the_strict_headers(client):
    for url in [*public_urls().values(), "/en/no-such-page/"]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "script-src 'self';" in policy  # our one small file, never inline
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert "microphone=()" in response["Permissions-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client):
    for url in public_urls().values():
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script src="/static/js/guide.js" defer>'], scripts
        assert "<style" not in html
        assert " style=" not in html
        assert re.search(r"\son[a-z]+=", html) is None


def test_the_admin_loads_nothing_from_another_host(staff_client):
    urls = [reverse("admin:index"), reverse("admin:translations")]
    for model in ADMIN_MODELS:
        urls.append(admin_url(model, "changelist"))
        if model.objects.exists():  # alerts: the sample has none
            urls.append(admin_url(model, "change", model.objects.first().pk))
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        for loaded in loaded_urls(response.content.decode()):
            assert is_own(loaded), (url, loaded)
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "default-src 'self'" in policy


def test_the_stylesheet_loads_nothing_from_another_host():
    css = Path(finders.find("css/site.css")).read_text()
    assert "@import" not in css
    assert "@font-face" not in css
    for url in re.findall(r"url\(\s*[\"']?([^\"')]+)", css):
        assert is_own(url), url


# What a phone's browser asks for over HTTPS.
PHONE_ENCODINGS = "gzip, deflate, br, zstd"


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def test_a_service_page_stays_within_its_weight_budget(client, settings):
    """HTML at most 12 KB compressed; with everything it loads, at most 30 KB.
    Measured as compressed when sent once (no page cache), the largest: in gzip,
    and in the quick Brotli phones get."""
    settings.GUIDE_PAGE_CACHE = False
    stylesheet = Path(finders.find("css/site.css")).read_bytes()
    favicon = Path(finders.find("favicon.svg")).read_bytes()
    script = Path(finders.find("js/guide.js")).read_bytes()
    worker = Path(finders.find("js/sw.js")).read_bytes()
    for language in LANGUAGE_CODES:
        for service in Service.objects.all():
            with translation.override(language):
                url = service.get_absolute_url()
            for accepted, encoding in (("gzip", "gzip"), (PHONE_ENCODINGS, "br")):
                response = client.get(url, HTTP_ACCEPT_ENCODING=accepted)
                assert response["Content-Encoding"] == encoding
                html = len(response.content)
                assert html <= 12 * 1024, (url, encoding, html)
                total = html + sum(
                    gzipped_size(data) for data in (stylesheet, favicon, script, worker)
                )
                assert total <= 30 * 1024, (url, encoding, total)


def test_a_revisit_costs_a_304(client):
    url = public_urls()["service"]
    first = client.get(url)
    assert first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert not again.content


def test_a_content_change_shows_at_once_and_renews_the_etag(client):
    service = Service.objects.get(slug="boston-311")
    url = "/en/city-services/boston-311/"
    first = client.get(url)
    service.summary_en = "Changed just now."
    service.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Changed just now." in second.content.decode()
    assert second["ETag"] != first["ETag"]


def test_a_change_to_a_part_or_the_site_also_renews_cached_pages(client):
    url = "/es/"
    client.get(url)
    category = Category.objects.get(slug="food")
    category.name_es = "Comida y despensas"
    category.save()
    assert "Comida y despensas" in client.get(url).content.decode()


def test_cached_pages_are_served_without_rendering(
    client, django_assert_max_num_queries
):
    url = public_urls()["service"]
    client.get(url)
    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200


def test_signed_in_staff_always_get_a_fresh_page(staff_client, client):
    url = public_urls()["service"]
    client.get(url)
    response = staff_client.get(url)
    assert "ETag" not in response


def test_query_count_is_the_same_with_many_more_services(
    client, django_assert_num_queries
):
    """The number of queries of each page does not grow with the content."""
    urls = public_urls()
    counts = {}
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        result = {}
        for page, url in urls.items():
            from django.core.cache import cache

            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            result[page] = len(queries)
        return result

    counts = measure()
    category = Category.objects.get(slug="city-services")
    Service.objects.bulk_create(
        Service(
            category=category,
            slug=f"extra-{number}",
            name_en=f"Extra service {number}",
            summary_en="A service added to make the guide large.",
            status="published",
        )
        for number in range(300)
    )
    assert measure() == counts
    # A service page reads its alerts and the holidays near today: one each.
    assert max(counts.values()) <= 10


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="SQLite's plan; PostgreSQL plans by its own statistics",
)
def test_a_service_page_finds_its_service_by_address_however_large_its_category():
    """Not by reading every service of its category: with 10,000 services that
    made a service page three times slower."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from services.public import selectors

    with CaptureQueriesContext(connection) as queries:
        selectors.service_page(category_slug="schools", slug="public-schools")
    service_read = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + service_read)
        plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "SEARCH services_service USING INDEX service_slug_unique (slug=?)" in plan


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-the-test-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "guide.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_logs_keep_no_client_address_and_no_query_string(tmp_path):
    """Requests that need no database: the language redirect and a 404."""
    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}/en/no/such/page/?q=secretword"
                    )
                    urllib.request.urlopen(request, timeout=2).read()
                except urllib.error.HTTPError as error:
                    assert error.code == 404
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert '"GET /en/no/such/page/ HTTP/1.1" 404' in text
    assert "secretword" not in text
    assert "127.0.0.1 " not in text.replace(f"127.0.0.1:{port}", "")


def gzip_header_has_padding(body: bytes) -> bool:
    """Django pads against BREACH with a random file name in the gzip header."""
    return bool(body[3] & gzip.FNAME)


def test_a_residents_page_is_compressed_without_padding(client):
    """A page for a resident holds no secret: it needs no padding against BREACH."""
    url = public_urls()["service"]
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert not gzip_header_has_padding(response.content)
    plain = client.get(url)
    assert gzip.decompress(response.content) == plain.content


def test_a_caseworkers_page_keeps_its_padding_against_breach(staff_client):
    """Signed in, a public page may hold a CSRF token: Django's padding stays,
    even for a browser that takes Brotli, which has no such padding."""
    url = public_urls()["service"]
    for accepted in ("gzip", PHONE_ENCODINGS):
        response = staff_client.get(url, HTTP_ACCEPT_ENCODING=accepted)
        assert response["Content-Encoding"] == "gzip"
        assert gzip_header_has_padding(response.content)


def test_a_browser_that_takes_brotli_gets_the_page_in_brotli(client, settings):
    settings.GUIDE_PAGE_CACHE = False
    url = public_urls()["service"]
    response = client.get(url, HTTP_ACCEPT_ENCODING=PHONE_ENCODINGS)
    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    plain = client.get(url)
    assert brotli.decompress(response.content) == plain.content


def test_a_page_kept_in_the_cache_is_compressed_harder(client, settings):
    """Kept in the page cache, a page is compressed once and sent many times: it
    reaches the reader smaller than gzip would make it. Sent only once, it is
    compressed fast instead."""
    url = public_urls()["service"]
    settings.GUIDE_PAGE_CACHE = True
    kept = client.get(url, HTTP_ACCEPT_ENCODING=PHONE_ENCODINGS)
    again = client.get(url, HTTP_ACCEPT_ENCODING=PHONE_ENCODINGS)
    settings.GUIDE_PAGE_CACHE = False
    sent_once = client.get(url, HTTP_ACCEPT_ENCODING=PHONE_ENCODINGS)
    plain = client.get(url).content

    assert kept["Content-Encoding"] == again["Content-Encoding"] == "br"
    assert again.content == kept.content
    assert brotli.decompress(kept.content) == brotli.decompress(sent_once.content)
    assert brotli.decompress(kept.content) == plain
    assert len(kept.content) < gzipped_size(plain) < len(sent_once.content)
