"""The state of each translation: missing, machine-drafted, reviewed or outdated.

A record keeps, per language and field, who made the translation and a fingerprint
of the English it was made from (``Translatable.translation_status``). A
translation is *outdated* when the English has changed since: the fingerprint no
longer matches. Nothing here is ticked by hand, so a stale translation can never
pass for a current one.
"""

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from config.languages import LANGUAGES
from services.models import Translatable

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

SOURCE_LANGUAGE = "en"
TARGET_LANGUAGES = [code for code, _name in LANGUAGES if code != SOURCE_LANGUAGE]
LANGUAGE_NAMES = dict(LANGUAGES)

MACHINE = "machine"
REVIEWED = "reviewed"
MISSING = "missing"
OUTDATED = "outdated"

# The order in which a translator should look at them: worst first.
STATES = [OUTDATED, MISSING, MACHINE, REVIEWED]
STATE_LABELS: dict[str, "StrPromise"] = {
    OUTDATED: _("outdated"),
    MISSING: _("missing"),
    MACHINE: _("machine-drafted"),
    REVIEWED: _("reviewed"),
}
# Who can make a translation, as a content file or a PO import records it.
MADE_BY = (MACHINE, REVIEWED)


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:12]


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of a model that have a column per language (translation.py)."""
    # `fields` is declared by each registered options class, not by the base class.
    return tuple(translator.get_options_for_model(model).fields)  # type: ignore[attr-defined]


def column(field: str, language: str) -> str:
    """The attribute of a field's text in a language: ("name", "pt-br") → name_pt_br."""
    return build_localized_fieldname(field, language)


def text_in(obj: models.Model, field: str, language: str) -> str:
    return getattr(obj, column(field, language), None) or ""


def in_language(obj: Translatable, language: str) -> dict[str, list[str]]:
    """The record's translation status in one language: {field: [by, fingerprint]}."""
    part = obj.translation_status.get(language)
    return part if isinstance(part, dict) else {}


def field_state(obj: Translatable, field: str, language: str) -> str | None:
    """The state of one field's translation, or None when there is no English."""
    english = text_in(obj, field, SOURCE_LANGUAGE)
    if not english:
        return None
    if not text_in(obj, field, language):
        return MISSING
    entry = in_language(obj, language).get(field)
    if not entry or entry[1] != fingerprint(english):
        return OUTDATED
    return entry[0]


def worst(states: Iterable[str | None]) -> str | None:
    present = set(states)
    for state in STATES:
        if state in present:
            return state
    return None


def record_state(obj: Translatable, language: str) -> str | None:
    """The worst state of a record's fields in a language (None: nothing to do)."""
    return worst(
        field_state(obj, field, language) for field in translated_fields(type(obj))
    )


def combined_state(records: Iterable[Translatable], language: str) -> str:
    """The state of a record and its parts together: the worst among them."""
    return worst(record_state(record, language) for record in records) or REVIEWED


def mark(obj: Translatable, language: str, fields: Iterable[str], made_by: str) -> None:
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


def carry_over(obj: Translatable, old_english: dict[str, str]) -> None:
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


def shown(obj: Translatable, field: str, language: str) -> tuple[str, str, str | None]:
    """What a reader of `language` sees for a field: (text, its language, why).

    A missing or outdated translation shows the current English instead, with the
    reason; a machine draft shows with the reason "machine".
    """
    english = text_in(obj, field, SOURCE_LANGUAGE)
    if language == SOURCE_LANGUAGE:
        return english, SOURCE_LANGUAGE, None
    state = field_state(obj, field, language)
    if state is None:
        return "", language, None
    if state in (MISSING, OUTDATED):
        return english, SOURCE_LANGUAGE, state
    return (
        text_in(obj, field, language),
        language,
        (MACHINE if state == MACHINE else None),
    )
