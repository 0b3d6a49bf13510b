import pytest
from django.conf import settings
from django.utils import translation

from config.languages import EXTRA_LANG_INFO, NAMES_LOCAL
from tests.conftest import LANGUAGE_CODES

OTHER_LANGUAGES = [code for code in LANGUAGE_CODES if code != "en"]


def test_the_twelve_languages_of_the_city():
    assert LANGUAGE_CODES == [
        "en", "es", "ht", "kea", "pt-br", "zh-hans", "zh-hant", "vi", "ar", "ru",
        "so", "fr",
    ]  # fmt: skip
    assert set(NAMES_LOCAL) == set(LANGUAGE_CODES)


@pytest.mark.parametrize("code", sorted(EXTRA_LANG_INFO))
def test_django_knows_the_languages_it_has_no_locale_data_for(code):
    info = translation.get_language_info(code)
    assert info["name_local"] == NAMES_LOCAL[code]
    assert info["bidi"] is False


def test_only_arabic_is_right_to_left():
    bidi = [
        code for code in LANGUAGE_CODES if translation.get_language_info(code)["bidi"]
    ]
    assert bidi == ["ar"]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_each_catalogue_is_compiled_and_translates(code):
    """One known string comes back translated: the catalogue exists and compiled."""
    assert translation.check_for_language(code)
    with translation.override(code):
        assert translation.gettext("Your safety") != "Your safety"
        assert translation.gettext("Skip to main content") != "Skip to main content"


@pytest.mark.parametrize("code", ["ht", "kea", "so"])
def test_dates_in_languages_django_lacks_use_their_own_month_names(code):
    import datetime

    from django.utils.formats import date_format

    with translation.override(code):
        text = date_format(datetime.date(2026, 11, 1))
    assert "November" not in text
    assert "2026" in text


def test_modeltranslation_falls_back_to_english():
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES == {"default": ("en",)}


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_every_interface_string_is_translated(code):
    """No string of the templates, forms or models is left in English."""
    import polib

    folder = translation.to_locale(code)
    po = polib.pofile(
        f"{settings.BASE_DIR}/services/locale/{folder}/LC_MESSAGES/django.po"
    )
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]
