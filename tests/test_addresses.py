"""Page addresses in every language, worked out once (services/addresses.py)."""

import pytest
from django.urls import clear_url_caches, get_resolver
from django.urls import reverse as django_reverse
from django.utils import translation

from services import addresses
from services.models import Guide, Policy, Service
from tests.conftest import LANGUAGE_CODES

pytestmark = pytest.mark.django_db


def page_names():
    service = Service.objects.published().select_related("category").first()
    return [
        ("services:home", {}),
        ("services:about", {}),
        ("services:search", {}),
        ("services:category", {"slug": service.category.slug}),
        ("services:service", {"category": service.category.slug, "slug": service.slug}),
        (
            "services:service_print",
            {"category": service.category.slug, "slug": service.slug},
        ),
        ("services:policy", {"slug": Policy.objects.first().slug}),
        ("services:guide", {"slug": Guide.objects.first().slug}),
        ("hsds:dataset", {"language": "ar"}),
        ("django.contrib.sitemaps.views.sitemap", {}),
    ]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_address_is_the_one_django_gives_in_that_language(language):
    for name, kwargs in page_names():
        with translation.override(language):
            expected = django_reverse(name, kwargs=kwargs)
            assert addresses.reverse(name, kwargs=kwargs) == expected
        assert addresses.reverse(name, kwargs=kwargs, language=language) == expected


def test_pages_in_every_language_keep_one_copy_of_the_sites_addresses(client):
    """Django's resolver keeps every address of the site per language it
    reversed in; the public pages only ever ask in English."""
    clear_url_caches()
    addresses.forget()
    resolver = get_resolver()
    service = Service.objects.published().select_related("category").first()
    for language in LANGUAGE_CODES:
        with translation.override(language):
            for url in (
                addresses.reverse("services:home"),
                service.get_absolute_url(),
                service.category.get_absolute_url(),
                addresses.reverse("services:about"),
            ):
                assert client.get(url).status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert set(resolver._reverse_dict) <= {"en"}
