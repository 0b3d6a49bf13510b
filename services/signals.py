"""Every change to content invalidates the cached public pages.

A signal rather than an explicit call in each write, because content is written
from many places (the admin and its inlines, imports, commands) and a single
missed call would show residents a stale page.
"""

from typing import Any

from django.apps import AppConfig
from django.contrib.auth.models import User
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from services.models import (
    AuditEvent,
    Category,
    Guide,
    GuideSection,
    Service,
    Translatable,
)
from services.public.page_cache import content_version_bump
from services.search.index import search_index_update, search_index_update_category
from services.workflow.actions import audit, roles_sync


def content_changed(
    sender: type[models.Model], instance: models.Model | None = None, **kwargs: Any
) -> None:
    if issubclass(sender, Translatable):
        content_version_bump()
    if kwargs.get("raw"):
        return  # fixtures: `manage.py rebuild_search_index` afterwards
    if isinstance(instance, Service | Guide) and instance.pk is not None:
        if kwargs.get("signal") is post_save:
            search_index_update(obj=instance)
    elif isinstance(instance, Category) and kwargs.get("signal") is post_save:
        search_index_update_category(category=instance)
    elif isinstance(instance, GuideSection) and instance.guide_id is not None:
        # After the transaction: a section may be going with its whole guide.
        guide_id = instance.guide_id
        transaction.on_commit(lambda: _reindex_guide(guide_id))


def _reindex_guide(guide_id: int) -> None:
    guide = Guide.objects.filter(pk=guide_id).first()
    if guide is not None:
        search_index_update(obj=guide)


def signed_in(
    sender: type[User], request: HttpRequest, user: User, **kwargs: Any
) -> None:
    audit(user, AuditEvent.Action.SIGN_IN)


def signed_out(
    sender: type[User] | None, request: HttpRequest, user: User | None, **kwargs: Any
) -> None:
    if user is not None:
        audit(user, AuditEvent.Action.SIGN_OUT)


def sign_in_failed(
    sender: str,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    AuditEvent.objects.create(
        username=str(credentials.get("username", ""))[:150],
        action=AuditEvent.Action.SIGN_IN_FAILED,
    )


def connect() -> None:
    post_save.connect(content_changed, dispatch_uid="guide-content-saved")
    post_delete.connect(content_changed, dispatch_uid="guide-content-deleted")
    user_logged_in.connect(signed_in, dispatch_uid="guide-audit-sign-in")
    user_logged_out.connect(signed_out, dispatch_uid="guide-audit-sign-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="guide-audit-failed")


def roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    """Keep the role groups in step with services/roles.py after every migrate.

    Django creates this app's permissions in an earlier receiver of the same
    signal, so they exist by now.
    """
    roles_sync()
