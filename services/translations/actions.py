"""Writes of translations: their states, imported files, and the uploads kept
between a file's check and its import."""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import reversion
from django.contrib.auth.models import User
from django.core import signing
from django.db import models, transaction
from django.utils import timezone

from services.models import AuditEvent, Translatable, TranslationUpload
from services.translations import state
from services.translations.selectors import (
    UPLOAD_KEPT,
    UPLOAD_SALT,
    DraftPlaces,
    record_of,
)
from services.workflow.actions import draft_start

if TYPE_CHECKING:
    from services.translations.exchange import Change


def translations_note_edit(
    *,
    obj: Translatable,
    changed_fields: Iterable[str],
    initial: Mapping[str, Any],
    minor: bool,
    reviewed: Iterable[str],
) -> None:
    """Update a record's translation states for an edit about to be saved.

    Text typed in a language counts as translated by a person from today's English.
    A real change to the English leaves every translation outdated (nothing to do:
    the fingerprints no longer match); a minor edit carries current ones over.
    `reviewed` lists languages a person checked as a whole in this save.
    """
    fields = state.translated_fields(type(obj))
    changed = set(changed_fields)
    reviewed = set(reviewed)
    if minor:
        old_english = {
            name: initial.get(state.column(name, state.SOURCE_LANGUAGE)) or ""
            for name in fields
            if state.column(name, state.SOURCE_LANGUAGE) in changed
        }
        state.carry_over(obj, old_english)
    for language in state.TARGET_LANGUAGES:
        typed = [name for name in fields if state.column(name, language) in changed]
        if language in reviewed:
            typed = list(fields)
        if typed:
            state.mark(obj, language, typed, state.REVIEWED)


class EnglishChanged(Exception):
    """The English of a text changed between the check of a file and its write."""

    def __init__(self, context: str) -> None:
        super().__init__(context)
        self.context = context


def translations_write(
    *,
    changes: Iterable["Change"],
    language: str,
    made_by: str,
    user: User,
    places: DraftPlaces,
) -> None:
    """Write checked translations (services/translations/exchange.py) in one go.

    Changes of published records that wait for a reviewer go into their draft
    copies, started here where none exists. The write is one history version of
    each record it touched, with the person and a comment, and one audit entry.
    """
    changes = list(changes)
    with transaction.atomic():
        for change in changes:
            if change.draft_pending:
                record, _relation = record_of(change.obj)
                if places.draft(record) is None:
                    places.started(record, draft_start(original=record, user=user))
        touched: dict[tuple[type[Translatable], Any], Translatable] = {}
        written: dict[tuple, set[str]] = {}
        for change in changes:
            target = change.obj
            if change.draft_pending:
                record, _relation = record_of(change.obj)
                target = places.in_draft(change.obj, places.draft(record))
            key = (type(target), target.pk)
            if key not in touched:
                # Locked, and read again: a save in the admin since the file was
                # checked is kept, and one in progress is waited for.
                touched[key] = (
                    type(target)._default_manager.select_for_update().get(pk=target.pk)
                )
            fresh = touched[key]
            english = state.column(change.field, state.SOURCE_LANGUAGE)
            if getattr(fresh, english) != getattr(target, english):
                raise EnglishChanged(change.context)
            setattr(fresh, state.column(change.field, language), change.new)
            state.mark(fresh, language, [change.field], made_by)
            written.setdefault(key, {"translation_status", "updated_at"}).add(
                state.column(change.field, language)
            )
        records: dict[tuple[type[models.Model], Any], models.Model] = {}
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(
                f"Translations imported into {state.LANGUAGE_NAMES[language]} "
                f"from a PO file ({len(changes)} texts)"
            )
            for key, target in touched.items():
                # Only what the file changed: the record's other texts stay as
                # whoever saved them last left them.
                target.save(update_fields=written[key])
            for target in touched.values():
                record, _relation = record_of(target)
                key = (type(record), record.pk)
                # The version is of the record as just saved, when it was.
                records.setdefault(key, touched.get(key, record))
            for record in records.values():
                reversion.add_to_revision(record)
        drafts = sum(1 for change in changes if change.into_draft)
        names = ", ".join(str(record) for record in records.values())
        subject = (
            f"{state.LANGUAGE_NAMES[language]}: {len(changes)} texts"
            + (f", {drafts} of them into draft copies" if drafts else "")
            + f" ({names})"
        )
        AuditEvent.objects.create(
            user=user,
            username=user.get_username(),
            action=AuditEvent.Action.IMPORT_TRANSLATIONS,
            subject=subject[:300],
        )


def translation_upload_create(
    *, text: str, language: str, made_by: str, user: User
) -> TranslationUpload:
    """Keep a checked file until its uploader confirms it; forget old ones."""
    TranslationUpload.objects.filter(created__lt=timezone.now() - UPLOAD_KEPT).delete()
    return TranslationUpload.objects.create(
        text=text, language=language, made_by=made_by, user=user
    )


def translation_upload_reference(upload: TranslationUpload) -> str:
    """What the confirm form sends back: signed, so no other upload is named."""
    return signing.dumps(upload.pk, salt=UPLOAD_SALT)


def translation_upload_delete(*, upload: TranslationUpload) -> None:
    upload.delete()
