"""The state of each translation: missing, machine-drafted, reviewed or outdated.

A record keeps, per language and field, who made the translation and a fingerprint
of the English it was made from (``Translatable.translation_status``). A
translation is *outdated* when the English has changed since: the fingerprint no
longer matches. Nothing here is ticked by hand, so a stale translation can never
pass for a current one.
"""

import hashlib
from functools import cache, lru_cache

from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from config.languages import LANGUAGES

SOURCE_LANGUAGE = "en"
TARGET_LANGUAGES = [code for code, _name in LANGUAGES if code != SOURCE_LANGUAGE]
LANGUAGE_NAMES = dict(LANGUAGES)

MACHINE = "machine"
REVIEWED = "reviewed"
MISSING = "missing"
OUTDATED = "outdated"

# The order in which a translator should look at them: worst first.
STATES = [OUTDATED, MISSING, MACHINE, REVIEWED]
STATE_LABELS = {
    OUTDATED: _("outdated"),
    MISSING: _("missing"),
    MACHINE: _("machine-drafted"),
    REVIEWED: _("reviewed"),
}


# A page in any language but English checks each text it shows against its
# translation's fingerprint; the same texts come back page after page.
@lru_cache(maxsize=1024)
def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:12]


@cache
def translated_fields(model) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)


class _Names(dict):
    """Names worked out once each: a page asks for them dozens of times, and a
    plain dictionary answers several times faster than a cached function."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        name = self[key] = self.make(key)
        return name


# The attribute of a field's text in a language: COLUMNS["name", "pt-br"] → name_pt_br.
COLUMNS = _Names(lambda key: build_localized_fieldname(*key))
# Where `TranslatableQuerySet.localized()` puts one language's status.
STATUS_COLUMNS = _Names(
    lambda language: "translation_status_in_" + language.replace("-", "_")
)


def column(field: str, language: str) -> str:
    """The attribute of a field's text in a language: ("name", "pt-br") → name_pt_br."""
    return COLUMNS[field, language]


def text_in(obj, field: str, language: str) -> str:
    return getattr(obj, COLUMNS[field, language], None) or ""


def status_column(language: str) -> str:
    """Where `TranslatableQuerySet.localized()` puts one language's status."""
    return STATUS_COLUMNS[language]


def in_language(obj, language: str) -> dict:
    """The record's translation status in one language: {field: [by, fingerprint]}.

    Public pages load only their reader's part of it; everything else has the whole.
    """
    try:
        return obj.__dict__[STATUS_COLUMNS[language]] or {}
    except KeyError:
        return obj.translation_status.get(language, {})


def field_state(obj, field: str, language: str) -> str | None:
    """The state of one field's translation, or None when there is no English."""
    return _state_and_texts(obj, field, language)[0]


def _state_and_texts(obj, field: str, language: str):
    """(state, English, translation) of one field: the rule of `field_state()`,
    with the texts it read, which `shown()` shows."""
    english = getattr(obj, COLUMNS[field, SOURCE_LANGUAGE], None) or ""
    if not english:
        return None, "", ""
    translated = getattr(obj, COLUMNS[field, language], None) or ""
    if not translated:
        return MISSING, english, ""
    entry = in_language(obj, language).get(field)
    if not entry or entry[1] != fingerprint(english):
        return OUTDATED, english, translated
    return entry[0], english, translated


def record_state(obj, language: str) -> str | None:
    """The worst state of a record's fields in a language (None: nothing to do)."""
    states = {
        field_state(obj, field, language) for field in translated_fields(type(obj))
    }
    states.discard(None)
    for state in STATES:
        if state in states:
            return state
    return None


def worst(states) -> str | None:
    states = set(states)
    for state in STATES:
        if state in states:
            return state
    return None


def combined_state(records, language: str) -> str:
    """The state of a record and its parts together: the worst among them."""
    return worst(record_state(record, language) for record in records) or REVIEWED


def mark(obj, language: str, fields, made_by: str) -> None:
    """Record that a person or a machine translated these fields from today's English.

    Fields without a translation are left out. The caller saves the record.
    """
    status = obj.translation_status.setdefault(language, {})
    for field in fields:
        english = text_in(obj, field, SOURCE_LANGUAGE)
        if english and text_in(obj, field, language):
            status[field] = [made_by, fingerprint(english)]
        else:
            status.pop(field, None)
    if not status:
        obj.translation_status.pop(language, None)


def carry_over(obj, old_english: dict[str, str]) -> None:
    """After a minor English edit (a typo), keep translations that were current.

    A translation made from the previous English is moved to the new English; one
    that was already outdated stays outdated.
    """
    for field, old_text in old_english.items():
        new_text = text_in(obj, field, SOURCE_LANGUAGE)
        if not new_text or new_text == old_text:
            continue
        old_print, new_print = fingerprint(old_text), fingerprint(new_text)
        for fields in obj.translation_status.values():
            entry = fields.get(field)
            if entry and entry[1] == old_print:
                entry[1] = new_print


def shown(obj, field: str, language: str) -> tuple[str, str, str | None]:
    """What a reader of `language` sees for a field: (text, its language, why).

    A missing or outdated translation shows the current English instead, with the
    reason; a machine draft shows with the reason "machine".
    """
    if language == SOURCE_LANGUAGE:
        return text_in(obj, field, SOURCE_LANGUAGE), SOURCE_LANGUAGE, None
    state, english, translated = _state_and_texts(obj, field, language)
    if state in (MISSING, OUTDATED):
        return english, SOURCE_LANGUAGE, state
    if state is None:
        return "", language, None
    return translated, language, (MACHINE if state == MACHINE else None)
