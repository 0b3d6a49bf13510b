"""Reads for translators: every record's state in each language, and where an
imported translation goes."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.db import models
from django.urls import reverse

from services.models import (
    RECORD_PARTS,
    Category,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Status,
    Translatable,
    TranslationUpload,
    Verified,
    part_link,
    parts_of,
)
from services.translations import state
from services.workflow import roles

# The records a translator works through; each is shown with its parts.
OVERVIEW_MODELS: list[type[Translatable]] = [
    SiteProfile,
    Category,
    Service,
    Policy,
    Guide,
    Hotline,
]

# A checked file waits this long for its confirmation.
UPLOAD_KEPT = datetime.timedelta(days=1)
UPLOAD_SALT = "services.translations.upload"

# A part (a step, an assurance...) and where it sits in its record:
# {Step: ("steps", "service"), ...}.
PART_OF = {
    part: (relation, part_link(record, relation).name)
    for record in RECORD_PARTS
    for relation, part in parts_of(record)
}


def may_view(user: roles.Person, model: type[models.Model]) -> bool:
    """Whether a person may see a kind of record in the admin, drafts included."""
    meta = model._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}") or user.has_perm(
        f"{meta.app_label}.change_{meta.model_name}"
    )


def may_change(user: roles.Person, model: type[models.Model]) -> bool:
    meta = model._meta
    return user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def record_of(obj: models.Model) -> tuple[Any, str | None]:
    """The record a text belongs to, and the relation of the part holding it
    (None for the record's own texts)."""
    relation, parent_field = PART_OF.get(type(obj), (None, None))
    if relation is None or parent_field is None:
        return obj, None
    return getattr(obj, parent_field), relation


def goes_into_draft(record: models.Model, user: roles.Person) -> bool:
    """Whether this person's change of a record waits for a reviewer in its
    draft copy: the change form refuses them a published record and offers its
    copy instead; and once a copy exists, everyone's changes go there, since
    publishing the copy replaces the record."""
    if not isinstance(record, Verified) or record.draft_of_id is not None:
        return False
    if record.drafts.exists():
        return True
    return record.status == Status.PUBLISHED and not user.has_perm(roles.PUBLISH)


class DraftPlaces:
    """Draft copies of published records, and the place of a text in one: a
    part of a copy stands in the same place as the part it was copied from."""

    def __init__(self) -> None:
        self.drafts: dict[tuple, Any] = {}
        self.parts: dict[tuple, list] = {}

    def draft(self, record: Any) -> Any:
        """The record's draft copy, or None when nobody started one."""
        key = (type(record), record.pk)
        if key not in self.drafts:
            self.drafts[key] = record.drafts.first()
        return self.drafts[key]

    def started(self, record: Any, draft: Any) -> None:
        self.drafts[(type(record), record.pk)] = draft

    def parts_of(self, record: Any, relation: str) -> list:
        key = (type(record), record.pk, relation)
        if key not in self.parts:
            self.parts[key] = list(getattr(record, relation).all())
        return self.parts[key]

    def in_draft(self, obj: Any, draft: Any) -> Any:
        """The same text's record in a draft copy, or None when the copy's parts
        no longer match the published record's, one for one."""
        record, relation = record_of(obj)
        if relation is None:
            return draft
        published = self.parts_of(record, relation)
        copied = self.parts_of(draft, relation)
        if len(published) != len(copied):
            return None
        return copied[[part.pk for part in published].index(obj.pk)]


def translation_overview(
    *, languages: Iterable[str], user: "roles.Person | None" = None
) -> list[dict[str, Any]]:
    """Each record with its worst translation state per language, parts included.

    Given a person, only the kinds of record they may see in the admin.
    """
    rows = []
    for model in OVERVIEW_MODELS:
        if user is not None and not may_view(user, model):
            continue
        meta = model._meta
        children = [relation for relation, _part in parts_of(model)]
        for obj in model._default_manager.prefetch_related(*children).order_by("pk"):
            records = [obj]
            for relation in children:
                records.extend(getattr(obj, relation).all())
            states = {
                language: state.combined_state(records, language)
                for language in languages
            }
            url = reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
            )
            rows.append(
                {
                    "label": str(obj),
                    "kind": meta.verbose_name,
                    "is_draft_copy": getattr(obj, "draft_of_id", None) is not None,
                    "url": url,
                    "states": states,
                    # Each outdated language, with its form: (name, address).
                    "outdated": [
                        (state.LANGUAGE_NAMES[language], f"{url}?language={language}")
                        for language, found in states.items()
                        if found == state.OUTDATED
                    ],
                }
            )
    return rows


def translation_upload_find(*, reference: str) -> TranslationUpload | None:
    """The kept upload a confirm form names, or None when the reference is not
    one of ours or is older than a day."""
    try:
        pk = signing.loads(reference, salt=UPLOAD_SALT, max_age=UPLOAD_KEPT)
    except signing.BadSignature:
        return None
    return TranslationUpload.objects.filter(pk=pk).first()
