"""Every change to content invalidates the cached public pages.

A signal rather than an explicit call in each write, because content is written
from many places (the admin and its inlines, imports, commands) and a single
missed call would show residents a stale page.
"""

from django.db.models.signals import post_delete, post_save

from services import actions
from services.models import Translatable


def content_changed(sender, **kwargs):
    if issubclass(sender, Translatable):
        actions.content_version_bump()


def connect():
    post_save.connect(content_changed, dispatch_uid="guide-content-saved")
    post_delete.connect(content_changed, dispatch_uid="guide-content-deleted")
