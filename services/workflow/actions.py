"""Writes of the review workflow: draft copies, publishing, checks, the audit
trail and the role groups. The admin's buttons and the commands call these."""

from typing import Any, TypeVar

import reversion
from django.contrib.auth.models import Group, Permission, User
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from services.feedback.reports import reports_close
from services.models import (
    Assurance,
    AuditEvent,
    Hotline,
    Policy,
    Report,
    Service,
    Status,
    Verified,
    parts_of,
)
from services.workflow.roles import ROLES

Record = TypeVar("Record", bound=models.Model)

# A change to these fields of a policy means the services citing it need review.
POLICY_SOURCE_FIELDS = {"citation", "official_url", "in_force_since"} | {
    build_localized_fieldname(name, "en") for name in ("name", "summary", "limits")
}
# What stays with a record when a draft copy is published over it.
KEPT_ON_PUBLISH = {"id", "draft_of", "status", "updated_at"}
# A record's last check: who checked it, when, and what was left to check.
LAST_CHECK = {"last_verified_on", "verified_by", "needs_review_reason", "review_due_on"}


def audit(user: User | None, action: str, obj: models.Model | None = None) -> None:
    AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=user.get_username() if user else "",
        action=action,
        subject=f"{obj._meta.verbose_name}: {obj}"[:300] if obj is not None else "",
    )


def roles_sync() -> None:
    """Create or update the role groups with exactly the permissions of roles.py."""
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for codename in codenames:
            app_label, _dot, code = (
                codename.partition(".")
                if "." in codename
                else ("services", "", codename)
            )
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=code)
            )
        group.permissions.set(permissions)


def locked(obj: Record) -> Record:
    """The record as saved now, its row locked until the transaction ends, so a
    colleague's save of it waits for this write and then sees it. (SQLite has no
    row locks: there a write transaction begins by excluding every other.)"""
    obj.refresh_from_db(
        from_queryset=type(obj)._default_manager.select_for_update(of=("self",))
    )
    return obj


def copy_of(obj: Record, **changes: Any) -> Record:
    """A new, unsaved record with the same values as `obj`, but for `changes`
    (by field name, `draft_of=record`, or by column, `draft_of_id=3`)."""
    values = {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in changes
    }
    return type(obj)(**{**values, **changes})


def parts(obj: models.Model) -> list[tuple[str, list[models.Model]]]:
    """(the parent's field name in the part, the parts) for each kind of part."""
    found = []
    for relation, _model in parts_of(type(obj)):
        manager = getattr(obj, relation)
        found.append((manager.field.name, list(manager.all())))
    return found


@transaction.atomic
def draft_start(*, original: Verified, user: User) -> Verified:
    """A working copy of a published record, with its parts; the original stays."""
    original = locked(original)
    existing = original.drafts.first()
    if existing is not None:
        return existing
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Draft copy started")
        draft = copy_of(original, draft_of_id=original.pk, status=Status.DRAFT)
        draft.save()
        for parent_field, records in parts(original):
            for part in records:
                copy_of(part, **{f"{parent_field}_id": draft.pk}).save()
    audit(user, AuditEvent.Action.DRAFT, original)
    return draft


@transaction.atomic
def content_publish(*, obj: Verified, user: User, checked: bool = False) -> Verified:
    """Publish a record; a draft copy replaces its original, keeping its address.

    `checked`: the reviewer checked it against its sources as they published, and
    that check is recorded with the publishing, in the same transaction.
    """
    obj = locked(obj)
    original = obj.draft_of
    if original is not None:
        locked(original)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Published")
        if original is None:
            obj.status = Status.PUBLISHED
            obj.save()
            published = obj
        else:
            published = original
            for _parent_field, records in parts(published):
                for part in records:
                    part.delete()
            for parent_field, records in parts(obj):
                for part in records:
                    setattr(part, parent_field, published)
                    part.save()
            # A check recorded on the published version after the copy was
            # started is the newer one, and stays.
            kept = KEPT_ON_PUBLISH
            if published.last_verified_on and (
                not obj.last_verified_on
                or published.last_verified_on > obj.last_verified_on
            ):
                kept = kept | LAST_CHECK
            for model_field in obj._meta.concrete_fields:
                if model_field.name not in kept:
                    setattr(
                        published,
                        model_field.attname,
                        getattr(obj, model_field.attname),
                    )
            published.status = Status.PUBLISHED
            obj.delete()
            published.save()
    audit(user, AuditEvent.Action.PUBLISH, published)
    reports_close(published)
    if checked:
        content_verify(obj=published, user=user)
    return published


@transaction.atomic
def content_submit(*, obj: Verified, user: User) -> None:
    """A draft is ready: it waits for a reviewer under "Needs attention"."""
    obj = locked(obj)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Sent for review")
        obj.status = Status.IN_REVIEW
        obj.save()


@transaction.atomic
def content_unpublish(*, obj: Verified, user: User) -> None:
    """Take a published record off the site; it stays as a draft."""
    obj = locked(obj)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Unpublished")
        obj.status = Status.DRAFT
        obj.save()
    audit(user, AuditEvent.Action.UNPUBLISH, obj)


@transaction.atomic
def content_verify(*, obj: Verified, user: User) -> None:
    """Record that a person checked this today and it is still correct.

    Nothing else changes: no text, no translation state.
    """
    obj = locked(obj)
    today = timezone.localdate()
    obj.last_verified_on = today
    obj.verified_by = (user.get_full_name() or user.get_username())[:200]
    obj.needs_review_reason = ""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Confirmed still correct")
        obj.save()
        if isinstance(obj, Service):
            for assurance in obj.assurances.all():
                assurance.last_verified_on = today
                assurance.needs_review = False
                assurance.save()
            for contact in obj.contacts.all():
                contact.last_verified_on = today
                contact.save()
    audit(user, AuditEvent.Action.VERIFY, obj)
    reports_close(obj)


@transaction.atomic
def report_comment_remove(*, report: Report, user: User) -> None:
    """Delete a resident's words that hold someone's personal details, or abuse.
    The report still counts; the audit trail says who removed a comment on which
    record, never the words."""
    Report.objects.filter(pk=report.pk).update(comment="")
    audit(user, AuditEvent.Action.REMOVE_COMMENT, report.record)


@transaction.atomic
def hotlines_called(*, hotlines: QuerySet[Hotline], user: User) -> int:
    """Record that a person called these numbers today and they work."""
    today = timezone.localdate()
    count = 0
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Called today: the number works")
        for hotline in hotlines.select_for_update():
            hotline.last_verified_on = today
            hotline.save()
            audit(user, AuditEvent.Action.VERIFY, hotline)
            count += 1
    return count


def policy_flag_dependents(*, policy: Policy) -> int:
    """A rule changed: every service and assurance citing it needs review."""
    assurances = Assurance.objects.filter(policy=policy)
    assurances.update(needs_review=True)
    name = getattr(policy, build_localized_fieldname("name", "en"))
    reason = f"The rule “{name}” changed on {timezone.localdate():%Y-%m-%d}."
    return (
        Service.objects.filter(assurances__policy=policy)
        .distinct()
        .update(needs_review_reason=reason[:300])
    )
