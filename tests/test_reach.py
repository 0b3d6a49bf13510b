"""Link previews, the sitemap, robots.txt, quick exit, offline copies and
confidential locations."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

# The public pages are Jinja2 templates: escaped by markupsafe (&#39;, not &#x27;).
from markupsafe import escape

from services.models import ContactPoint, Service
from tests.conftest import LANGUAGE_CODES

pytestmark = pytest.mark.django_db


def meta(html, name):
    match = re.search(rf'<meta property="{name}" content="([^"]*)">', html)
    return match.group(1) if match else None


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_a_shared_link_previews_in_its_own_language(client, language):
    service = Service.objects.get(slug="public-schools")
    html = client.get(f"/{language}/schools/public-schools/").content.decode()
    field = language.replace("-", "_")
    name = getattr(service, f"name_{field}")
    assert meta(html, "og:title") == escape(name)
    assert meta(html, "og:description")
    assert meta(html, "og:url") == (
        f"http://testserver/{language}/schools/public-schools/"
    )
    assert meta(html, "og:locale") == translation.to_locale(language)


def test_the_sitemap_lists_every_public_page_in_every_language(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert not response.cookies
    root = ET.fromstring(response.content)  # noqa: S314 (our own sitemap)
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    locations = {url.find("s:loc", namespaces).text for url in root}
    published = Service.objects.published().filter(draft_of=None)
    for service in published:
        for language in LANGUAGE_CODES:
            with translation.override(language):
                assert f"http://testserver{service.get_absolute_url()}" in locations
    first = root[0]
    alternates = {link.get("hreflang") for link in first.findall("x:link", namespaces)}
    assert alternates == {*LANGUAGE_CODES, "x-default"}


def test_drafts_are_not_in_the_sitemap(client):
    service = Service.objects.get(slug="wic")
    service.status = "draft"
    service.save()
    assert b"/food/wic/" not in client.get("/sitemap.xml").content


def test_robots_keeps_crawlers_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.parametrize("url", ["/so/", "/ar/food/wic/", "/en/no/such/page/"])
def test_every_page_has_a_quick_exit_that_works_without_javascript(client, url):
    html = client.get(url).content.decode()
    match = re.search(r'<a class="quick-exit" href="([^"]+)" rel="noreferrer">', html)
    assert match
    assert match.group(1).startswith("https://")
    assert "guide" not in match.group(1)


def test_the_offline_helper_is_served_from_the_root_and_stores_no_search(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    script = response.content.decode()
    assert "url.search" in script  # searches are never kept
    html = client.get("/es/").content.decode()
    assert '<p class="notice offline-note" hidden>' in html
    assert '<span class="offline-date"></span>' in html
    assert '<span class="offline-date"></span>' in script


def confidential_service():
    service = Service.objects.get(slug="city-shelters")
    service.confidential_location = True
    service.save()
    contact = ContactPoint.objects.get(service__slug="public-schools")
    contact.is_confidential = True
    contact.meeting_point_en = "Call first; staff will tell you where to meet."
    contact.save()
    return ["794 Massachusetts Ave", "112 Southampton St", "2300 Washington St"]


def test_confidential_addresses_appear_on_no_public_page(client):
    addresses = confidential_service()
    urls = ["/sitemap.xml", "/en/search/?q=shelter", "/en/search/?q=school"]
    for language in LANGUAGE_CODES:
        urls += [
            f"/{language}/shelter/",
            f"/{language}/shelter/city-shelters/",
            f"/{language}/shelter/city-shelters/print/",
            f"/{language}/schools/public-schools/",
            f"/{language}/schools/public-schools/print/",
            f"/{language}/policies/moia-ordinance/",
        ]
    for url in urls:
        html = client.get(url).content.decode()
        for address in addresses:
            assert address not in html, (url, address)
    page = client.get("/en/schools/public-schools/").content.decode()
    assert "Call first; staff will tell you where to meet." in page
    assert (
        "The address is kept private for safety"
        in client.get("/en/shelter/city-shelters/").content.decode()
    )


def test_a_caseworker_builds_a_three_service_referral_in_somali(staff_client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.test import Client
    from django.urls import reverse

    client = Client()  # the client reading the link is not signed in
    chosen = list(
        Service.objects.filter(slug__in=["wic", "public-schools", "library-card"])
    )
    url = reverse("admin:services_service_changelist")
    selected = {ACTION_CHECKBOX_NAME: [str(service.pk) for service in chosen]}
    page = staff_client.post(url, {"action": "make_referral", **selected})
    assert page.status_code == 200
    assert "No information about the client" in page.content.decode()
    result = staff_client.post(
        url, {"action": "make_referral", "language": "so", **selected}
    )
    link = result.context["link"]
    assert re.fullmatch(r"http://testserver/so/referral/\d+-\d+-\d+/", link)
    assert "<svg" in result.content.decode()
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert not response.cookies
    html = response.content.decode()
    for service in chosen:
        assert escape(service.name_so) in html
        assert escape(service.name_en) in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize(
    "services", ["abc", "1-x", "-".join(["1"] * 13), "999999", "1--2", "0"]
)
def test_bad_referral_links_are_not_found(client, services):
    assert client.get(f"/en/referral/{services}/").status_code == 404


def test_a_referral_never_shows_a_draft(client):
    service = Service.objects.get(slug="wic")
    service.status = "draft"
    service.save()
    assert client.get(f"/en/referral/{service.pk}/").status_code == 404
