"""What a caseworker is told when someone else saved a record after they opened it."""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def edit_conflict_message(instance, loaded_at: str, differing=()) -> str:
    """Who saved a record after a form was opened, and which fields they changed."""
    from reversion.models import Version

    versions = list(
        Version.objects.get_for_object(instance).select_related("revision__user")
    )

    def saved_at(version):
        return version.field_dict.get("updated_at")

    try:
        loaded = datetime.datetime.fromisoformat(loaded_at)
    except ValueError:
        loaded = None
    newer = [v for v in versions if loaded and saved_at(v) and saved_at(v) > loaded]
    before = next(
        (v for v in versions if loaded and saved_at(v) and saved_at(v) <= loaded), None
    )
    who = _("Someone")
    when = ""
    if newer and newer[0].revision.user:
        who = newer[0].revision.user.get_username()
    if newer:
        when = date_format(
            timezone.localtime(newer[0].revision.date_created), "DATETIME_FORMAT"
        )
    changed = []
    if newer and before:
        latest, earlier = newer[0].field_dict, before.field_dict
        for name, value in latest.items():
            if (
                name in {"updated_at", "translation_status"}
                or earlier.get(name) == value
            ):
                continue
            try:
                changed.append(str(instance._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                continue
    message = _(
        "%(who)s saved this record%(when)s, after you opened it. Your changes have "
        "NOT been saved: they are still in the form below. "
    ) % {"who": who, "when": f" ({when})" if when else ""}
    if changed:
        message += _("They changed: %(fields)s. ") % {"fields": ", ".join(changed)}
    elif differing:
        message += _("The saved record now differs from your form in: %(fields)s. ") % {
            "fields": ", ".join(differing)
        }
    message += _(
        "Open the record in a new tab to see their version, then save this form "
        "again to keep yours."
    )
    return message
