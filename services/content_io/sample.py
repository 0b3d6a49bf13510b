"""The Boston sample content: `boston.json` (English and untranslated fields) and
`boston/<language>.json` (translations, keyed by the paths `strings()` yields).

Each translation file maps a key such as ``service.public-schools.steps.2`` to the
text in that language; a key missing from a file falls back to English on the site.
`boston/_sources.json` keeps the fingerprint of the English the translations were
made from: a translation whose English has changed since loads as outdated, so the
site shows the English until it is translated again.

The sample is turned into a content file (content_io/document.py) and goes through
the same importer as a backup, in the mode that only creates what is missing.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from services.content_io.document import (
    DRAFT_OF,
    FORMAT,
    SECTIONS,
    SITE,
    SITE_MODEL,
    VERSION,
)
from services.content_io.importer import Existing, ImportReport, content_import
from services.models import Status, parts_of
from services.translations.state import (
    MACHINE,
    SOURCE_LANGUAGE,
    column,
    fingerprint,
    translated_fields,
)

DIRECTORY = Path(__file__).resolve().parent.parent / "sample_content"

CONTENT_FILE = DIRECTORY / "boston.json"
TRANSLATIONS_DIRECTORY = DIRECTORY / "boston"

COMMENT = "Loaded from the sample content"
# The sample's short name for the field a caseworker reads as "note for reviewers".
NOTE = "note"


def read_content(path: Path = CONTENT_FILE) -> dict:
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_sources(directory: Path = TRANSLATIONS_DIRECTORY) -> dict[str, str]:
    """The fingerprint of the English each key was translated from."""
    path = Path(directory) / "_sources.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_translations(
    language: str, directory: Path = TRANSLATIONS_DIRECTORY
) -> dict[str, str]:
    path = Path(directory) / f"{language}.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def _prefix(model: type[models.Model], record: dict) -> str:
    if model is SITE_MODEL:
        return SITE
    return f"{model._meta.model_name}.{record['slug']}"


def _texts(prefix: str, record: dict, model: type[models.Model]) -> Iterator:
    for field in translated_fields(model):
        if record.get(field):
            yield f"{prefix}.{field}", record[field]


def _part_key(prefix: str, relation: str, number: int) -> str:
    return f"{prefix}.{relation}.{number}"


def strings(content: dict) -> Iterator[tuple[str, str]]:
    """Every English text of the sample content, with its translation key."""
    records = [(SITE_MODEL, content[SITE])] + [
        (model, record) for section, model in SECTIONS for record in content[section]
    ]
    for model, record in records:
        prefix = _prefix(model, record)
        yield from _texts(prefix, record, model)
        for relation, part_model in parts_of(model):
            for number, part in enumerate(record.get(relation, []), start=1):
                key = _part_key(prefix, relation, number)
                if isinstance(part, str):  # a part that is one text, such as a step
                    yield key, part
                else:
                    yield from _texts(key, part, part_model)


class _Document:
    """The sample as a content file: every language's text of each field, and
    the state of each translation."""

    def __init__(self, content: dict, translations: dict, sources: dict):
        self.content = content
        self.translations = translations
        self.sources = sources

    def build(self) -> dict:
        document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        document[SITE] = self.record(SITE_MODEL, self.content[SITE])
        for section, model in SECTIONS:
            document[section] = [
                self.record(model, record, position=position)
                for position, record in enumerate(self.content[section], start=1)
            ]
        return document

    def record(
        self,
        model: type[models.Model],
        sample: dict,
        *,
        position: int | None = None,
        key: str | None = None,
        whole_key: bool = False,
    ) -> dict:
        key = key or _prefix(model, sample)
        names = {field.name for field in model._meta.get_fields()}
        parts = dict(parts_of(model))
        translated = translated_fields(model)
        record: dict[str, Any] = {}
        for name, value in sample.items():
            if name in translated or name in parts:
                continue
            record["verification_note" if name == NOTE else name] = value
        # What the sample leaves to the order of its records and to its header.
        if position is not None and "sort_order" in names:
            record["sort_order"] = position * 10
        if "status" in names and DRAFT_OF in names:
            record["status"] = Status.PUBLISHED.value
        # The sample was gathered from research notes: no person has checked it
        # against its sources yet, so it says when it was gathered, never that
        # it was checked (last_verified_on stays empty until a reviewer does).
        if "sources_gathered_on" in names:
            record["sources_gathered_on"] = self.content["gathered_on"]
        self.texts(record, key, sample, translated, whole_key=whole_key)
        for relation, part_model in parts.items():
            record[relation] = []
            for number, part in enumerate(sample.get(relation, []), start=1):
                part_key = _part_key(key, relation, number)
                # A part that is one text, such as a step, is keyed without its
                # field's name.
                one_text = isinstance(part, str)
                if one_text:
                    (field,) = translated_fields(part_model)
                    part = {field: part}
                converted = self.record(
                    part_model, part, key=part_key, whole_key=one_text
                )
                converted["position"] = number
                record[relation].append(converted)
        return record

    def texts(
        self,
        record: dict,
        key: str,
        sample: dict,
        fields: tuple[str, ...],
        *,
        whole_key: bool,
    ) -> None:
        """Every language's column of each translated field, and their states."""
        status = record.setdefault("translation_status", {})
        for field in fields:
            english = sample.get(field) or ""
            field_key = key if whole_key else f"{key}.{field}"
            record[column(field, SOURCE_LANGUAGE)] = english
            # Made from this very English? Otherwise the translation loads outdated.
            current = self.sources.get(field_key) == fingerprint(english)
            for language, texts in self.translations.items():
                text = texts.get(field_key, "") if english else ""
                record[column(field, language)] = text
                if current and text:
                    # No person has reviewed the sample translations yet.
                    made = [MACHINE, fingerprint(english)]
                    status.setdefault(language, {})[field] = made


def sample_document(
    *, content: dict | None = None, translations: dict | None = None
) -> dict:
    """The sample content as a content file, as export_content would write it."""
    if translations is None:
        translations = {
            code: read_translations(code)
            for code, _name in settings.LANGUAGES
            if code != SOURCE_LANGUAGE
        }
    return _Document(content or read_content(), translations, read_sources()).build()


def sample_content_load(
    *, content: dict | None = None, translations: dict | None = None
) -> ImportReport:
    """Create the sample records that are missing; never touch existing ones.

    A record is matched by its web address. If a caseworker has created or edited
    a record with that address, it is kept exactly as it is, with its parts.
    Each record created gets a first history version, so the first edit of it can
    be undone.
    """
    return content_import(
        data=sample_document(content=content, translations=translations),
        existing=Existing.KEEP,
        comment=COMMENT,
    )
