"""Search in every script: accents, tones, Arabic letter variants, Chinese."""

import pytest
from django.core.management import call_command
from django.utils import translation

from services.models import Guide, SearchEntry, Service
from services.search.folding import fold

pytestmark = pytest.mark.django_db


def found(client, language, query):
    html = client.get(f"/{language}/search/", {"q": query}).content.decode()
    return html.split("<main", 1)[1]


def address_in(service, language):
    with translation.override(language):
        return service.get_absolute_url()


def test_ecole_finds_ecole(client, make_service):
    service = make_service(name_fr="École du quartier")
    address = address_in(service, "fr")
    assert address in found(client, "fr", "ecole")
    assert address in found(client, "fr", "ÉCOLE")


def test_a_word_in_the_readers_language_finds_the_service(client, make_service):
    service = make_service(name_es="Escuela pública del barrio")
    assert address_in(service, "es") in found(client, "es", "escuela")


def test_an_arabic_name_is_found_with_or_without_hamza_and_taa_marbuta(
    client, make_service
):
    service = make_service(name_ar="بطاقة المكتبة العامة لأطفال المدينة")
    address = address_in(service, "ar")
    assert address in found(client, "ar", "بطاقة المكتبة")
    # Taa marbuta typed as haa; alef with hamza typed plain; a diacritic.
    assert address in found(client, "ar", "بطاقه المكتبه")
    assert address in found(client, "ar", "لاطفال")
    assert address in found(client, "ar", "بِطاقة")


@pytest.mark.parametrize(
    ("language", "name"), [("zh-hans", "公立学校注册"), ("zh-hant", "公立學校註冊")]
)
def test_chinese_is_found_without_spaces_between_words(
    client, make_service, language, name
):
    service = make_service(**{f"name_{language.replace('-', '_')}": name})
    assert address_in(service, language) in found(client, language, name[2:4])


def test_vietnamese_is_found_with_or_without_tones(client, make_service):
    name = "Thẻ thư viện công cộng"
    service = make_service(name_vi=name)
    address = address_in(service, "vi")
    assert address in found(client, "vi", name)
    assert fold(name) != name.lower()
    assert address in found(client, "vi", fold(name))


def test_every_word_must_match(client, make_service):
    make_service(name_en="Quillfeather Clinic")
    assert "Nothing matched" in found(client, "en", "quillfeather zebra")


def test_guides_are_found_by_their_sections(client, django_capture_on_commit_callbacks):
    guide = Guide.objects.published().prefetch_related("sections").first()
    section = guide.sections.first()
    section.body_en += " Ask for the quillfeather form."
    with django_capture_on_commit_callbacks(execute=True):
        section.save()
    assert guide.get_absolute_url() in found(client, "en", "quillfeather")


def test_the_index_follows_edits_and_forgets_deleted_records(client, make_service):
    service = make_service()
    service.summary_so = "Adeeg cusub oo gaar ah qorrax"
    service.save()
    assert address_in(service, "so") in found(client, "so", "qorrax")
    pk = service.pk
    service.delete()
    assert not SearchEntry.objects.filter(service_id=pk).exists()


def test_each_service_and_guide_has_one_entry_per_language():
    guide = Guide.objects.first()
    assert SearchEntry.objects.filter(guide=guide).count() == 12


def test_the_rebuild_command_indexes_everything():
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", verbosity=0)
    assert SearchEntry.objects.count() == 12 * (
        Service.objects.filter(draft_of=None).count()
        + Guide.objects.filter(draft_of=None).count()
    )
