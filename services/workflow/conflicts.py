"""Two people editing the same record: how their values compare, and what a
caseworker is told when a colleague saved the record after they opened it.

The merge itself (which value wins) is in services/admin/conflicts.py.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Unknown:
    """What a form was opened with, when the version it came from is lost."""

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()

SAME, MINE, THEIRS, BOTH = "same", "mine", "theirs", "both"


def comparable(value: Any) -> Any:
    """A value as two people would compare it: a text typed in a browser comes back
    with \\r\\n line ends and trimmed; empty is empty, whether NULL or ""."""
    if isinstance(value, models.Model):
        value = value.pk
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def who_changed(mine: Any, theirs: Any, before: Any) -> str:
    """Whose change a field holds: SAME (nothing to decide), MINE, THEIRS, or BOTH
    (a conflict). `before` is the value the form was opened with, or UNKNOWN."""
    mine, theirs = comparable(mine), comparable(theirs)
    if mine == theirs:
        return SAME
    before = before if before is UNKNOWN else comparable(before)
    if before is not UNKNOWN and before == mine:
        return THEIRS
    if before is not UNKNOWN and before == theirs:
        return MINE
    return BOTH


def names(saved_by: Iterable[Any]) -> str:
    """Who saved, from the newest: "otto", "otto and rita"."""
    found: list[str] = []
    for user in saved_by:
        if user is None:
            name = _("an import or another tool")
        else:
            name = user.get_full_name() or user.get_username()
        if name not in found:
            found.append(name)
    return get_text_list(found, _("and")) if found else _("Someone")


def moment(when: datetime.datetime) -> str:
    return date_format(timezone.localtime(when), "DATETIME_FORMAT")


def shown(model_field: models.Field, value: Any) -> str:
    """A saved value as a caseworker reads it in a message (a related record is
    passed as itself, not its id)."""
    if model_field.choices and value not in (None, ""):
        value = dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if value is None or str(value).strip() == "":
        return _("(empty)")
    return f"“{str(value).strip()}”"


def field_conflict(*, who: str, value: str) -> str:
    return _("Saved by %(who)s: %(value)s — your version is in the box.") % {
        "who": who,
        "value": value,
    }


def refusal(
    *,
    who: str,
    when: str,
    record: str,
    both: Sequence[str],
    kept: Sequence[str],
    base_known: bool,
) -> str:
    """The message at the top of a refused save."""
    fields = "; ".join(both)
    if base_known:
        message = " ".join(
            [
                _(
                    "Your changes are not saved yet: %(who)s saved this %(record)s "
                    "on %(when)s, after you opened it, and you both changed "
                    "%(fields)s."
                ),
                ngettext(
                    "Under that field you see what %(who)s saved; your version is "
                    "still in the box.",
                    "Under each of those fields you see what %(who)s saved; your "
                    "version is still in the box.",
                    len(both),
                ),
                _("Keep yours or change it, then press Save again."),
            ]
        ) % {"who": who, "record": record, "when": when, "fields": fields}
    else:
        message = _(
            "Your changes are not saved yet: this page does not say which saved "
            "version it was opened from (it may be an old tab), so your changes "
            "cannot be told apart from other people's. The saved %(record)s "
            "differs from your form in %(fields)s. Under each you see what is "
            "saved now; your version is still in the box. Check them, then press "
            "Save again."
        ) % {"record": record, "fields": fields}
    if kept:
        message += " " + _(
            "Their other changes are already in the form and will be kept: %(kept)s."
        ) % {"kept": "; ".join(kept)}
    return message


def kept_message(*, who: str, when: str, record: str, kept: Sequence[str]) -> str:
    """What a colleague changed that a save kept, without asking."""
    return _(
        "%(who)s also saved this %(record)s on %(when)s, after you opened it. "
        "Their changes are kept alongside yours: %(kept)s."
    ) % {"who": who, "record": record, "when": when, "kept": "; ".join(kept)}


def part_label(part: str, name: str) -> str:
    return _("%(part)s “%(name)s”") % {"part": part, "name": name}


def part_added(part: str) -> str:
    return _("a new %(part)s") % {"part": part}


def part_removed(label: str) -> str:
    return _("removed the %(part)s") % {"part": label}


def part_deleted_while_edited(*, who: str, part: str) -> str:
    return _(
        "%(who)s deleted this %(part)s after you opened the page, while you were "
        "changing it. Your version is kept here as a new %(part)s: save again to "
        "keep it, or remove this row to let it go."
    ) % {"who": who, "part": part}


def part_changed_while_deleted(*, who: str, part: str) -> str:
    return _(
        "%(who)s changed this %(part)s after you opened the page, and you asked to "
        "delete it. It is shown as %(who)s left it: tick Delete again and save if "
        "it should still go."
    ) % {"who": who, "part": part}


def translation_lost(*, who: str, label: str, text: str) -> str:
    return _(
        "%(who)s deleted the %(part)s after you opened the page, so your "
        "translation of it could not be kept. What you typed: %(text)s"
    ) % {"who": who, "part": label, "text": text}
