"""Hostile or odd input gets a clear answer, never a 500, and writes nothing.

Each row is what someone might send and what they get back: the status, and
for pages the language the answer speaks, or JSON for the open data API. The
test client raises any error a view lets through, so a 500 fails the row.
Bad PO files are tried here through the upload page a translator uses (more in
test_translations.py); odd search queries in test_views.py; hostile content
files in test_content_files.py.
"""

import pytest
from django.test import Client

from services.models import AuditEvent, ContentVersion, SearchEntry, Service
from tests.conftest import count_h1
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

LONG = "a" * 3000

# (address, status): any method that reads.
ADDRESSES = [
    ("/en/referral/①/", 404),
    ("/en/referral/²/", 404),
    ("/ar/referral/١٢/", 404),
    ("/en/referral/1-2-3-4-5-6-7-8-9-10-11-12-13/", 404),
    ("/en/referral/99999999999999999999999/", 404),
    ("/en/referral/-/", 404),
    ("/en/referral/1--2/", 404),
    ("/en/schools/%ff%fe/", 404),
    ("/en/schools/public-schools/%00/", 404),
    ("/en/policies/" + LONG + "/", 404),
    ("/xx/", 404),
    ("/EN/", 404),
    ("/en//schools/", 404),
    ("/en/schools/public-schools/print/extra/", 404),
    ("/en/?utm_source=x&q=%00", 200),
    ("/en/schools/public-schools/?" + "x=y&" * 500, 200),
    ("/hsds/en/services/?page=①", 400),
    ("/hsds/en/services/?per_page=١٠", 400),
    ("/hsds/en/services/?page=" + "9" * 5000, 404),
    ("/hsds/en/services/?per_page=" + "9" * 5000, 400),
    ("/hsds/en/services/?page=0", 400),
    ("/hsds/en/services/?page=99999", 404),
    ("/hsds/xx/services/", 404),
    ("/hsds/en/services/not-a-uuid/", 404),
    ("/hsds/en/services/%00/", 404),
    ("/hsds/en/nothing/here/", 404),
]


@pytest.mark.parametrize(("address", "status"), ADDRESSES)
def test_odd_addresses_get_a_clear_answer(client, address, status):
    response = client.get(address, follow=True)
    assert response.status_code == status
    if address.startswith("/hsds/"):
        assert response["Content-Type"] == "application/json"
        assert response.json()["status"] == status
    elif status == 404:
        assert count_h1(response.content) == 1
    assert not response.cookies


# (method, address, the language the answer is in: None for JSON)
WRITES = [
    ("post", "/", "en"),
    ("post", "/es/", "es"),
    ("put", "/ar/schools/", "ar"),
    ("delete", "/so/schools/public-schools/", "so"),
    ("patch", "/ht/schools/public-schools/print/", "ht"),
    ("post", "/vi/search/?q=school", "vi"),
    ("post", "/zh-hans/about/", "zh-hans"),
    ("post", "/fr/policies/boston-trust-act/", "fr"),
    ("post", "/ru/guides/know-your-rights/", "ru"),
    ("options", "/en/", "en"),
    ("post", "/robots.txt", "en"),
    ("post", "/sitemap.xml", "en"),
    ("post", "/healthz", "en"),
    ("post", "/hsds/", None),
    ("put", "/hsds/en/services/", None),
    ("delete", "/hsds/en/organizations/", None),
]


@pytest.mark.parametrize(("method", "address", "language"), WRITES)
def test_sending_to_a_page_that_only_reads_gets_405_in_its_language(
    method, address, language
):
    """With the CSRF check on, as in a browser: the answer is the guide's own
    405 in the reader's language (or JSON), not Django's CSRF page."""
    client = Client(enforce_csrf_checks=True)
    before = (Service.objects.count(), AuditEvent.objects.count())
    response = getattr(client, method)(address, {"q": "x"})
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}
    if language is None:
        assert response.json()["status"] == 405
    else:
        assert f'<html lang="{language}"'.encode() in response.content
        assert count_h1(response.content) == 1
    assert (Service.objects.count(), AuditEvent.objects.count()) == before
    assert not response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ACCEPT_LANGUAGE": "x" * 5000},
        {"HTTP_ACCEPT_LANGUAGE": ";;;q=abc,*;q=-1,zh-Hant-TW-x-private"},
        {"HTTP_ACCEPT_ENCODING": "br;q=banana, gzip;;"},
        {"HTTP_IF_NONE_MATCH": '"' + "x" * 3000},
        {"HTTP_IF_MODIFIED_SINCE": "yesterday"},
        {"HTTP_COOKIE": "csrftoken=\x00; sessionid=" + "z" * 4000},
        {"HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_X_FORWARDED_PROTO": "gopher"},
        {"HTTP_RANGE": "bytes=9-1"},
    ],
    ids=lambda headers: next(iter(headers)),
)
@pytest.mark.parametrize("address", ["/", "/es/schools/public-schools/"])
def test_odd_headers_change_nothing_a_resident_sees(client, headers, address):
    response = client.get(address, **headers)
    assert response.status_code in (200, 302)
    assert b"evil.example" not in response.content


@pytest.mark.parametrize("address", ["/en/", "/en/schools/public-schools/", "/"])
def test_a_host_the_site_does_not_serve_gets_400_even_for_a_cached_page(
    client, address
):
    assert client.get(address).status_code in (200, 302)  # now cached
    response = client.get(address, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"evil.example" not in response.content


def test_a_cached_page_keeps_the_host_it_was_asked_for(client):
    """Each served host gets its own copy, with its own links."""
    address = "/en/schools/public-schools/"
    first = client.get(address, HTTP_HOST="localhost").content.decode()
    second = client.get(address, HTTP_HOST="127.0.0.1").content.decode()
    assert 'href="http://localhost/en/schools/public-schools/"' in first
    assert 'href="http://127.0.0.1/en/schools/public-schools/"' in second
    assert "localhost" not in second


def test_query_strings_do_not_make_new_cache_entries(client, django_assert_num_queries):
    """Pages read no query string, so `?utm_source=N` is the same cached page: a
    second address with another query is served from the cache (one query, for
    the content version), and the page's own links carry no query string."""
    client.get("/en/schools/?utm_source=1")
    with django_assert_num_queries(1):
        page = client.get("/en/schools/?utm_source=2")
    assert page.status_code == 200
    assert b"utm_source" not in page.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("review_interval_days", "3000000", "less than or equal to 3650"),
        ("review_interval_days", "²", "Enter a whole number"),
        ("sources_gathered_on", "9999-12-30", "less than or equal to 2999-12-31"),
        ("sources_gathered_on", "0001-01-01", "greater than or equal to 1800-01-01"),
        ("offers_en", "x" * 10_001, "at most 10000 characters"),
        ("name_en", "\x00", "Null characters are not allowed"),
    ],
    ids=["interval", "interval-not-a-number", "far-future", "far-past", "long", "nul"],
)
def test_a_service_form_refuses_what_no_page_could_show_with_a_message(
    staff_client, field, value, message
):
    """Not a 500: a date whose next check falls past any date, a text no phone
    could load, a character no database stores."""
    service = Service.objects.get(slug="public-schools")
    url = f"/admin/services/service/{service.pk}/change/"
    data = form_data(staff_client.get(url))
    data[field] = value
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Service.objects.get(pk=service.pk).updated_at == service.updated_at


def test_odd_input_writes_nothing(client):
    """Every row above, sent again: nothing in the database changes."""
    before = (
        ContentVersion.objects.values_list("changed_at", flat=True).first(),
        SearchEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    for address, _status in ADDRESSES:
        client.get(address)
    for method, address, _language in WRITES:
        getattr(Client(enforce_csrf_checks=True), method)(address)
    after = (
        ContentVersion.objects.values_list("changed_at", flat=True).first(),
        SearchEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: es\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
)


def po_entry(context, english, translation):
    return f'msgctxt "{context}"\nmsgid "{english}"\nmsgstr "{translation}"\n\n'


def summary_context():
    service = Service.objects.get(slug="boston-311")
    return f"service:{service.pk}:summary", service.summary_en


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda: b"", "The submitted file is empty"),
        (lambda: b"\xff\xfe\x00not text", "not UTF-8 text"),
        (lambda: b"\x00" * 100, "not a PO file"),
        (lambda: b"<html><body>not a catalogue</body></html>", "not a PO file"),
        (
            lambda: (PO_HEADER + po_entry("service:①:summary", "x", "y")).encode(),
            "no such record or field",
        ),
        (
            lambda: (
                PO_HEADER + po_entry("service:99999999999:summary", "x", "y")
            ).encode(),
            "no such record or field",
        ),
        (
            lambda: (PO_HEADER + po_entry("service:1:password", "x", "y")).encode(),
            "no such record or field",
        ),
        (
            lambda: (
                PO_HEADER.replace("Language: es", "Language: de")
                + po_entry(*summary_context(), "Texto")
            ).encode(),
            "This file is for the language",
        ),
        (
            lambda: (PO_HEADER + po_entry(*summary_context(), "a" * 5000)).encode(),
            "characters long",
        ),
        (
            lambda: (
                PO_HEADER + po_entry(*summary_context(), "Llame al 617-555-0199.")
            ).encode(),
            "617-555-0199",
        ),
        (
            lambda: (PO_HEADER + po_entry(*summary_context(), "Texto") * 2).encode(),
            "appears twice",
        ),
        (lambda: b"x" * (5 * 1024 * 1024 + 1), "larger than 5 MB"),
    ],
    ids=[
        "empty",
        "not-utf8",
        "nul-bytes",
        "html",
        "unicode-digit-id",
        "huge-id",
        "unknown-field",
        "other-language",
        "too-long",
        "added-phone",
        "duplicate",
        "too-large",
    ],
)
def test_a_hostile_po_file_gets_a_message_and_imports_nothing(
    staff_client, make_file, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Service.objects.get(slug="boston-311").summary_es
    upload = SimpleUploadedFile("es.po", make_file(), "text/x-gettext-translation")
    response = staff_client.post(
        "/admin/translations/import/",
        {"language": "es", "made_by": "reviewed", "file": upload},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Service.objects.get(slug="boston-311").summary_es == before
    assert not AuditEvent.objects.filter(action="import_translations").exists()
