"""The languages of the guide, in one place.

``LANGUAGES`` is hard-coded rather than read from the environment because
django-modeltranslation builds one database column per language from it: changing
the list means a migration.
"""

LANGUAGES = [
    ("en", "English"),
    ("es", "Spanish"),
    ("ht", "Haitian Creole"),
    ("kea", "Cape Verdean Creole"),
    ("pt-br", "Brazilian Portuguese"),
    ("zh-hans", "Simplified Chinese"),
    ("zh-hant", "Traditional Chinese"),
    ("vi", "Vietnamese"),
    ("ar", "Arabic"),
    ("ru", "Russian"),
    ("so", "Somali"),
    ("fr", "French"),
]

# Each language's name in itself, as the language switch shows it.
NAMES_LOCAL = {
    "en": "English",
    "es": "Español",
    "ht": "Kreyòl ayisyen",
    "kea": "Kriolu",
    "pt-br": "Português (Brasil)",
    "zh-hans": "简体中文",
    "zh-hant": "繁體中文",
    "vi": "Tiếng Việt",
    "ar": "العربية",
    "ru": "Русский",
    "so": "Soomaali",
    "fr": "Français",
}

# Django ships no locale data for these three; without an entry,
# get_language_info() raises KeyError and templates that name the language fail.
EXTRA_LANG_INFO = {
    "ht": {
        "bidi": False,
        "code": "ht",
        "name": "Haitian Creole",
        "name_local": "Kreyòl ayisyen",
    },
    "kea": {
        "bidi": False,
        "code": "kea",
        "name": "Cape Verdean Creole",
        "name_local": "Kriolu",
    },
    "so": {
        "bidi": False,
        "code": "so",
        "name": "Somali",
        "name_local": "Soomaali",
    },
}


def install_extra_lang_info() -> None:
    """Teach Django the languages it has no locale data for. Safe to call twice."""
    from django.conf import locale

    for code, info in EXTRA_LANG_INFO.items():
        locale.LANG_INFO.setdefault(code, info)
