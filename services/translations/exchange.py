"""Hand one language to a translator as a PO file, and take the work back.

PO is the format every translation tool and vendor reads. Each entry carries the
English as `msgid`, the current translation as `msgstr`, and a context naming the
record and field (`service:12:summary`). Entries that need a person's attention
(outdated, or drafted by a machine) are flagged `fuzzy`, the PO way of saying
"check this"; an importer skips entries still flagged, so exporting and importing
a file unchanged changes nothing.

The import follows the rules of the change form, for the person importing: only
their languages, only records they may change, and a change to a published record
by someone who may not publish goes into that record's draft copy for review. It
checks the whole file before writing anything, and writes it in one transaction,
as one history version of each record it touched and one audit entry: an unknown
record, a file for another language, English that changed since the export, a
lost placeholder, an added phone number or link, or an over-long text each stops
the import with a clear message.
"""

import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polib
from django.contrib.auth.models import User
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.languages import LANGUAGES
from services.models import (
    Category,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Translatable,
    parts_of,
)
from services.translations import checks, terms
from services.translations import state as translation_status
from services.translations.actions import EnglishChanged, translations_write
from services.translations.selectors import (
    PART_OF,
    DraftPlaces,
    goes_into_draft,
    may_change,
    may_view,
    record_of,
)
from services.translations.state import (
    MACHINE,
    MISSING,
    OUTDATED,
    REVIEWED,
    SOURCE_LANGUAGE,
    text_in,
)
from services.workflow import roles

# In the order a translator reads them: the site, then each record with its parts.
RECORDS: list[type[Translatable]] = [
    SiteProfile,
    Category,
    Policy,
    Service,
    Guide,
    Hotline,
]
MODELS: list[type[Translatable]] = [
    kind
    for model in RECORDS
    for kind in (model, *(part for _relation, part in parts_of(model)))
    if issubclass(kind, Translatable)
]
MODELS_BY_NAME = {model._meta.model_name: model for model in MODELS}
LANGUAGE_NAMES = dict(LANGUAGES)
# A record's address in a PO context: ASCII digits only ("①" is no number).
CONTEXT = re.compile(r"([a-z]+):([0-9]{1,18}):(\w+)")
# The parts of a record, each at a position in it.
PARTS = tuple(part for model in RECORDS for _relation, part in parts_of(model))


T = TypeVar("T", bound=Translatable)
# Records read by an import, by kind and id (None: there is no such record).
Loaded = dict[tuple[type[Translatable], int], Translatable | None]


def normalise_language(code: str) -> str:
    return (code or "").strip().lower().replace("_", "-")


def describe(obj: Translatable) -> str:
    """A line a translator understands: which record and where it is used."""
    record, relation = record_of(obj)
    copy = " (draft copy)" if getattr(record, "draft_of_id", None) else ""
    if relation is not None:
        # A part: named by its place in its record.
        place = getattr(obj, "position", "")
        return f"{type(obj)._meta.verbose_name} {place} of “{record}”{copy}"
    return f"{type(obj)._meta.verbose_name} “{obj}”{copy}"


def context_of(obj: models.Model, field_name: str) -> str:
    return f"{type(obj)._meta.model_name}:{obj.pk}:{field_name}"


def max_length(model: type[models.Model], field_name: str) -> int | None:
    field = model._meta.get_field(f"{field_name}_{SOURCE_LANGUAGE}")
    return field.max_length if isinstance(field, models.Field) else None


def records(model: type[T]) -> QuerySet[T]:
    queryset = model._default_manager.all()
    if model in PARTS:
        # Each part is described with the record it belongs to.
        queryset = queryset.select_related(PART_OF[model][1])
    return queryset.order_by("pk")


def translations_export(
    *, language: str, user: "roles.Person | None" = None
) -> polib.POFile:
    """Every English text of the guide, with its translation in `language`.

    Given a person, only the kinds of record they may see in the admin.
    """
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
    # The translator's glossary travels with their file.
    po.header = terms.glossary_comment(language)
    for model in MODELS:
        if user is not None and not may_view(user, model):
            continue
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
    """One translation the file would write.

    `obj` is the record it is written into; for a published record whose draft
    copy does not exist yet, the published record, whose copy the import starts.
    """

    obj: Translatable
    field: str
    context: str
    description: str
    old: str
    new: str
    into_draft: bool = False
    draft_pending: bool = False


@dataclass
class ImportReport:
    language: str
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    still_fuzzy: int = 0
    unchanged: int = 0
    empty: int = 0
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def into_drafts(self) -> int:
        return sum(1 for change in self.changes if change.into_draft)


def _read(po_text: str) -> polib.POFile:
    try:
        return polib.pofile(po_text)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise ValueError(
            _("This is not a PO file that can be read: %(error)s") % {"error": error}
        ) from error


def already_there(
    obj: Translatable, field_name: str, language: str, new: str, made_by: str
) -> bool:
    """Whether a record already holds this translation, made as the file says
    (or reviewed by a person, which a machine's draft does not undo)."""
    return text_in(obj, field_name, language) == new and translation_status.field_state(
        obj, field_name, language
    ) in (made_by, REVIEWED)


def translations_import(
    *,
    po_text: str,
    language: str,
    user: User,
    dry_run: bool = False,
    made_by: str = REVIEWED,
) -> ImportReport:
    """Check a translated PO file for `language`, then write it in one go.

    Nothing is written if any entry is wrong, or when `dry_run` is set; the report
    says what would change. Imported translations are marked as made by a person
    (`REVIEWED`) or a machine (`MACHINE`), from today's English. `user` is the
    person importing: the file is held to what they may change.
    """
    report = ImportReport(language=language)
    if not roles.can_edit_language(user, language):
        report.errors.append(
            _(
                "You may not change the %(language)s translation: a translator "
                "imports only the languages of their groups."
            )
            % {"language": LANGUAGE_NAMES.get(language, language)}
        )
        return report
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

    seen: set[str] = set()
    loaded: Loaded = {}
    refused_models: dict[type[models.Model], list[str]] = {}
    targets = DraftPlaces()
    written: dict[tuple[type[models.Model], Any, str], str] = {}
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
        # What the file leaves as it is needs no permission: a whole language's
        # file comes back with every text, most of them untouched.
        if already_there(obj, field_name, language, new, made_by):
            report.unchanged += 1
            continue
        record, _relation = record_of(obj)
        if not (may_change(user, type(obj)) and may_change(user, type(record))):
            refused_models.setdefault(type(obj), []).append(context)
            continue
        target, into_draft, pending = obj, False, False
        if goes_into_draft(record, user):
            into_draft = True
            draft = targets.draft(record)
            if draft is None:
                pending = True
            else:
                target = targets.in_draft(obj, draft)
                if target is None:
                    report.errors.append(
                        _(
                            "%(where)s (%(record)s): this record is published, so "
                            "your translation goes into its draft copy for review, "
                            "but the draft copy's parts no longer match the "
                            "published ones. Export the file again and translate "
                            "the draft copy's entries."
                        )
                        % {"where": context, "record": describe(obj)}
                    )
                    continue
                if text_in(target, field_name, SOURCE_LANGUAGE) != english:
                    report.errors.append(
                        _(
                            "%(where)s (%(record)s): this record is published, so "
                            "your translation goes into its draft copy for review, "
                            "but the draft copy's English of this text is "
                            "different. Export the file again and translate the "
                            "draft copy's entry."
                        )
                        % {"where": context, "record": describe(obj)}
                    )
                    continue
        key = (type(target), target.pk, field_name)
        if key in written:
            if written[key] != new:
                report.errors.append(
                    _(
                        "%(where)s (%(record)s): another entry of this file, for the "
                        "published record or its draft copy, translates the same "
                        "text differently. Keep one of them."
                    )
                    % {"where": context, "record": describe(obj)}
                )
            continue
        written[key] = new
        if already_there(target, field_name, language, new, made_by):
            report.unchanged += 1
            continue
        old = text_in(target, field_name, language)
        problems = checks.translation_problems(english, new, language)
        limit = max_length(type(obj), field_name)
        if limit and len(new) > limit:
            problems.append(
                _(
                    "The translation is %(length)d characters long; this field "
                    "holds at most %(limit)d."
                )
                % {"length": len(new), "limit": limit}
            )
        if problems:
            report.errors.extend(
                f"{context} ({describe(obj)}): {problem}" for problem in problems
            )
            continue
        report.changes.append(
            Change(
                target,
                field_name,
                context,
                describe(obj),
                old,
                new,
                into_draft=into_draft,
                draft_pending=pending,
            )
        )

    for model, contexts in refused_models.items():
        report.errors.append(
            _(
                "%(count)d entries for %(kind)s, such as %(where)s: you may not "
                "change %(kind)s."
            )
            % {
                "count": len(contexts),
                "kind": model._meta.verbose_name_plural,
                "where": contexts[0],
            }
        )
    if report.errors or dry_run or not report.changes:
        return report
    try:
        translations_write(
            changes=report.changes,
            language=language,
            made_by=made_by,
            user=user,
            places=targets,
        )
    except EnglishChanged as changed:
        report.errors.append(
            _(
                "%(where)s: its English was changed while the file was being "
                "imported. Nothing was imported; check the file again."
            )
            % {"where": changed.context}
        )
        return report
    report.written = True
    return report


def _resolve(context: str, loaded: Loaded) -> tuple[Translatable | None, str]:
    """The record and field a context names, or (None, "")."""
    match = CONTEXT.fullmatch(context)
    if match is None:
        return None, ""
    model_name, pk, field_name = match.groups()
    model = MODELS_BY_NAME.get(model_name)
    if model is None or field_name not in translation_status.translated_fields(model):
        return None, ""
    key = (model, int(pk))
    if key not in loaded:
        loaded[key] = model._default_manager.filter(pk=int(pk)).first()
    return loaded[key], field_name


__all__ = [
    "MACHINE",
    "MISSING",
    "REVIEWED",
    "ImportReport",
    "translations_export",
    "translations_import",
]
