"""Search in every script: accents, tones, Arabic letter variants, Chinese."""

import pytest

from services.models import Guide, SearchEntry, Service
from services.search.folding import fold

pytestmark = pytest.mark.django_db


def found(client, language, query):
    html = client.get(f"/{language}/search/", {"q": query}).content.decode()
    main = html.split("<main", 1)[1]
    return main


def test_ecole_finds_ecole(client):
    service = Service.objects.get(slug="public-schools")
    assert "école" in (service.name_fr + service.summary_fr).lower()
    assert "/fr/schools/public-schools/" in found(client, "fr", "ecole")
    assert "/fr/schools/public-schools/" in found(client, "fr", "ÉCOLE")


def test_escuela_finds_the_schools_in_spanish(client):
    assert "/es/schools/public-schools/" in found(client, "es", "escuela")


def test_an_arabic_service_name_is_found_with_or_without_hamza_and_diacritics(client):
    service = Service.objects.get(slug="library-card")
    name = service.name_ar
    assert "/ar/libraries/library-card/" in found(client, "ar", name)
    plain = name.replace("أ", "ا").replace("إ", "ا").replace("ة", "ه")
    assert "/ar/libraries/library-card/" in found(client, "ar", plain)


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_chinese_is_found_without_spaces_between_words(client, language):
    service = Service.objects.get(slug="public-schools")
    name = getattr(service, f"name_{language.replace('-', '_')}")
    part = name.replace(" ", "")[2:6]
    assert f"/{language}/schools/public-schools/" in found(client, language, part)


def test_vietnamese_is_found_with_or_without_tones(client):
    service = Service.objects.get(slug="library-card")
    assert "/vi/libraries/library-card/" in found(client, "vi", service.name_vi)
    toneless = fold(service.name_vi)
    assert toneless != service.name_vi.lower()
    assert "/vi/libraries/library-card/" in found(client, "vi", toneless)


def test_every_word_must_match(client):
    assert "Nothing matched" in found(client, "en", "library zebra")


def test_name_matches_come_first(client):
    main = found(client, "en", "shelter")
    assert main.index("/en/shelter/city-shelters/") < main.index(
        "/en/emergency/safelink/"
    )


def test_guides_are_found_by_their_sections(client):
    assert "/en/guides/know-your-rights/" in found(client, "en", "magistrate")


def test_the_index_follows_edits_and_forgets_deleted_records(client):
    service = Service.objects.get(slug="boston-311")
    service.summary_so = "Adeeg cusub oo gaar ah qorrax"
    service.save()
    assert "/so/city-services/boston-311/" in found(client, "so", "qorrax")
    pk = service.pk
    service.delete()
    assert not SearchEntry.objects.filter(service_id=pk).exists()


def test_draft_copies_are_not_searched():
    guide = Guide.objects.first()
    entries = SearchEntry.objects.filter(guide=guide).count()
    assert entries == 12


def test_the_rebuild_command_indexes_everything():
    from django.core.management import call_command

    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert SearchEntry.objects.count() == 12 * (
        Service.objects.count() + Guide.objects.count()
    )
