"""Hand one language to a translator as a PO file, and take the work back.

PO is the format every translation tool and vendor reads. Each entry carries the
English as `msgid`, the current translation as `msgstr`, and a context naming the
record and field (`service:12:summary`). Entries that need a person's attention
(outdated, or drafted by a machine) are flagged `fuzzy`, the PO way of saying
"check this"; an importer skips entries still flagged, so exporting and importing
a file unchanged changes nothing.

The import checks the whole file before writing anything, and writes it in one
transaction: an unknown record, a file for another language, English that changed
since the export, a lost placeholder, phone number or link, or an over-long text
each stops the import with a clear message.
"""

import re
from dataclasses import dataclass, field

import polib
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.languages import LANGUAGES
from services.models import (
    Assurance,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Step,
)
from services.translations import state as translation_status
from services.translations.state import (
    MACHINE,
    MISSING,
    OUTDATED,
    REVIEWED,
    SOURCE_LANGUAGE,
    text_in,
)

# In the order a translator reads them: the site, then each record's parts.
MODELS = [
    SiteProfile,
    Category,
    Policy,
    Service,
    Step,
    Document,
    ContactPoint,
    Assurance,
    Guide,
    GuideSection,
    Hotline,
]
MODELS_BY_NAME = {model._meta.model_name: model for model in MODELS}
LANGUAGE_NAMES = dict(LANGUAGES)

# What a translation must keep from the English: placeholders, links, web
# addresses, phone numbers and other numbers of three digits or more.
KEPT_TOKENS = re.compile(
    r"%\(\w+\)[sd]|\{\w*\}|https?://[^\s\"')]+[^\s\"').,;:]"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|com|edu)(?:/[\w/-]*[\w/])?"
    r"|\d[\d-]{2,}\d|\b\d{3,}\b"
)


def normalise_language(code: str) -> str:
    return (code or "").strip().lower().replace("_", "-")


def describe(obj) -> str:
    """A line a translator understands: which record and where it is used."""
    model = type(obj)
    name = model._meta.verbose_name
    parent = getattr(obj, "service", None) or getattr(obj, "guide", None)
    if parent is not None:
        return f"{name} {obj.position} of “{parent}”"
    return f"{name} “{obj}”"


def context_of(obj, field_name: str) -> str:
    return f"{type(obj)._meta.model_name}:{obj.pk}:{field_name}"


def max_length(model, field_name: str) -> int | None:
    return model._meta.get_field(f"{field_name}_{SOURCE_LANGUAGE}").max_length


def records(model):
    queryset = model.objects.all()
    if model in (Step, Document, ContactPoint, Assurance):
        queryset = queryset.select_related("service")
    elif model is GuideSection:
        queryset = queryset.select_related("guide")
    return queryset.order_by("pk")


def translations_export(*, language: str) -> polib.POFile:
    """Every English text of the guide, with its translation in `language`."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "city-services-guide content",
        "Language": language,
        "Language-Team": LANGUAGE_NAMES[language],
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
        "X-Source-Language": SOURCE_LANGUAGE,
    }
    for model in MODELS:
        fields = translation_status.translated_fields(model)
        for obj in records(model):
            for field_name in fields:
                english = text_in(obj, field_name, SOURCE_LANGUAGE)
                if not english:
                    continue
                state = translation_status.field_state(obj, field_name, language)
                notes = [f"{describe(obj)}: {field_name}"]
                limit = max_length(model, field_name)
                if limit:
                    notes.append(f"At most {limit} characters.")
                if state == OUTDATED:
                    notes.append("The English changed since this was translated.")
                elif state == MACHINE:
                    notes.append("Drafted by a machine; not yet reviewed by a person.")
                po.append(
                    polib.POEntry(
                        msgctxt=context_of(obj, field_name),
                        msgid=english,
                        msgstr=text_in(obj, field_name, language),
                        comment="\n".join(notes),
                        flags=["fuzzy"] if state in (OUTDATED, MACHINE) else [],
                    )
                )
    return po


@dataclass
class Change:
    obj: object
    field: str
    context: str
    description: str
    old: str
    new: str


@dataclass
class ImportReport:
    language: str
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    still_fuzzy: int = 0
    unchanged: int = 0
    empty: int = 0
    written: bool = False

    @property
    def ok(self):
        return not self.errors


def _read(po_text: str):
    try:
        return polib.pofile(po_text)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ValueError(
            _("This is not a PO file that can be read: %(error)s") % {"error": error}
        ) from error


def translations_import(
    *, po_text: str, language: str, dry_run: bool = False, made_by: str = REVIEWED
) -> ImportReport:
    """Check a translated PO file for `language`, then write it in one go.

    Nothing is written if any entry is wrong, or when `dry_run` is set; the report
    says what would change. Imported translations are marked as made by a person
    (`REVIEWED`) or a machine (`MACHINE`), from today's English.
    """
    report = ImportReport(language=language)
    try:
        po = _read(po_text)
    except ValueError as error:
        report.errors.append(str(error))
        return report

    file_language = normalise_language(po.metadata.get("Language", ""))
    if file_language != language:
        report.errors.append(
            _(
                "This file is for the language “%(file)s”, not “%(language)s”. "
                "Choose the language the file was translated into."
            )
            % {"file": file_language or "?", "language": language}
        )
        return report

    seen = set()
    loaded = {}
    for entry in po:
        if entry.obsolete:
            continue
        context = entry.msgctxt or ""
        where = context or entry.msgid[:40]
        if context in seen:
            report.errors.append(
                _("%(where)s: this entry appears twice in the file.") % {"where": where}
            )
            continue
        seen.add(context)
        obj, field_name = _resolve(context, loaded)
        if obj is None:
            report.errors.append(
                _(
                    "%(where)s: no such record or field in the guide. It may have "
                    "been deleted since the file was exported."
                )
                % {"where": where}
            )
            continue
        english = text_in(obj, field_name, SOURCE_LANGUAGE)
        if entry.msgid != english:
            report.errors.append(
                _(
                    "%(where)s (%(record)s): the English changed since this file was "
                    "exported. Export the file again and translate the new English."
                )
                % {"where": context, "record": describe(obj)}
            )
            continue
        new = entry.msgstr.strip()
        if not new:
            report.empty += 1
            continue
        if "fuzzy" in entry.flags:
            report.still_fuzzy += 1
            continue
        missing = [
            token
            for token in dict.fromkeys(KEPT_TOKENS.findall(english))
            if token not in new
        ]
        if missing:
            report.errors.append(
                _(
                    "%(where)s (%(record)s): the translation lost %(tokens)s from the "
                    "English. Placeholders, phone numbers and links must stay as "
                    "they are."
                )
                % {
                    "where": context,
                    "record": describe(obj),
                    "tokens": ", ".join(f"“{token}”" for token in missing),
                }
            )
            continue
        limit = max_length(type(obj), field_name)
        if limit and len(new) > limit:
            report.errors.append(
                _(
                    "%(where)s (%(record)s): the translation is %(length)d characters "
                    "long; this field holds at most %(limit)d."
                )
                % {
                    "where": context,
                    "record": describe(obj),
                    "length": len(new),
                    "limit": limit,
                }
            )
            continue
        old = text_in(obj, field_name, language)
        state = translation_status.field_state(obj, field_name, language)
        if old == new and state in (made_by, REVIEWED):
            report.unchanged += 1
            continue
        report.changes.append(Change(obj, field_name, context, describe(obj), old, new))

    if report.errors or dry_run or not report.changes:
        return report
    with transaction.atomic():
        touched = {}
        for change in report.changes:
            setattr(
                change.obj, f"{change.field}_{language.replace('-', '_')}", change.new
            )
            translation_status.mark(change.obj, language, [change.field], made_by)
            touched[id(change.obj)] = change.obj
        for obj in touched.values():
            obj.save()
    report.written = True
    return report


def _resolve(context: str, loaded: dict):
    """The record and field a context names, or (None, None)."""
    parts = context.split(":")
    if len(parts) != 3 or not parts[1].isdigit():
        return None, None
    model_name, pk, field_name = parts
    model = MODELS_BY_NAME.get(model_name)
    if model is None or field_name not in translation_status.translated_fields(model):
        return None, None
    key = (model, int(pk))
    if key not in loaded:
        loaded[key] = model.objects.filter(pk=int(pk)).first()
    return loaded[key], field_name


__all__ = [
    "MACHINE",
    "MISSING",
    "REVIEWED",
    "ImportReport",
    "translations_export",
    "translations_import",
]
