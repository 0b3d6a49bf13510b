"""Search finds what residents type: across accents, case and script forms, by
the words of each category, and says in which language it finds what the
reader's own does not. Nothing about a search is stored (tests/test_no_trace.py)."""

import pytest

from services.models import Category, SearchEntry, Service
from services.search.folding import fold

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("المدارس", "مدارس"),  # the article
        ("مدرسة", "مدرسه"),  # taa marbuta, typed either way
        ("الخدمات", "خدمة"),  # a sound plural and its singular
        ("أمن", "امن"),  # alef with hamza
        ("إسعاف", "اسعاف"),
        ("學校", "学校"),  # traditional and simplified Chinese
        ("醫療", "医疗"),
        ("truong hoc", "Trường học"),  # Vietnamese tones
        ("ecole", "École"),
    ],
)
def test_what_a_resident_types_finds_what_the_guide_writes(typed, written):
    assert fold(typed) in fold(written) or fold(written) in fold(typed)


def results(client, language, query):
    page = client.get(f"/{language}/search/", {"q": query}).content.decode()
    return page


def test_a_category_name_finds_its_services_in_arabic(client):
    """ "المدارس", the schools category's own name, finds the schools."""
    schools = Service.objects.get(slug="public-schools")
    page = results(client, "ar", "المدارس")
    assert schools.get_absolute_url().replace("/en/", "/ar/") in page


@pytest.mark.parametrize(
    ("language", "word"),
    [("es", "escuela"), ("ht", "lekòl"), ("zh-hant", "學校"), ("so", "dugsi")],
)
def test_a_word_of_a_category_finds_its_services(client, language, word):
    page = results(client, language, word)
    assert f"/{language}/schools/public-schools/" in page


def test_a_search_that_finds_nothing_here_says_where_it_finds_something(client):
    """ "escuela" on an English page: nothing in English, and a link to the
    Spanish results, with the language named in its own script."""
    page = results(client, "en", "escuela")
    assert "Found in other languages" in page
    assert 'href="/es/search/?q=escuela" hreflang="es"' in page
    assert '<span lang="es">Español</span>' in page
    spanish = results(client, "es", "escuela")
    assert "/es/schools/public-schools/" in spanish


def test_a_search_that_finds_nothing_anywhere_says_so(client):
    page = results(client, "en", "zzqqxx")
    assert "Nothing matched your search" in page
    assert "Found in other languages" not in page


def test_changing_a_categorys_words_changes_what_finds_its_services(client):
    libraries = Category.objects.get(slug="libraries")
    assert "/en/libraries/library-card/" not in results(client, "en", "bookworm")
    libraries.search_words_en = "library, books, bookworm"
    libraries.save()
    assert "/en/libraries/library-card/" in results(client, "en", "bookworm")
    entry = SearchEntry.objects.get(service__slug="library-card", language="en")
    assert "bookworm" in entry.text


def test_every_page_has_a_search_box_at_the_top(client):
    for address in ("/en/", "/ar/schools/public-schools/", "/so/about/"):
        page = client.get(address).content.decode()
        header = page.split('<header class="masthead">', 1)[1].split("</header>")[0]
        assert 'role="search"' in header
        assert 'name="q"' in header
