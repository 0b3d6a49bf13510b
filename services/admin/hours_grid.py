"""The weekly grid in which a caseworker writes a contact point's opening hours.

One row per day: a choice (closed, open 24 hours, by appointment, same as
Monday) or the times, written as people write them: "9:00-17:00", "9am-5pm",
"9-12, 13-17". Below, in a fold, other hours for a period such as the summer.
It works without JavaScript; what it saves is the JSON of services/hours/week.py.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from services.hours import week

TIMES = "hours"
SAME_AS_MONDAY = "same"
KIND_CHOICES = [
    ("", "—"),
    (TIMES, _("Open at these times")),
    (week.CLOSED, _("Closed")),
    (week.ALL_DAY, _("Open 24 hours")),
    (week.APPOINTMENT, _("By appointment")),
]
DAY_LABELS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
PERIOD = "period"

# 9, 9:30, 9.30, 9h30, 17:00, with am/pm or a.m./p.m. if given.
TIME = re.compile(
    r"\s*(?P<hour>[0-9]{1,2})(?:[:.h](?P<minute>[0-9]{2}))?\s*"
    r"(?P<half>[ap])?\.?\s*(?:m\.?)?\s*",
    re.IGNORECASE,
)
# A hyphen, an en or em dash, or "to".
RANGE_SEPARATOR = re.compile(r"\s*(?:-|\u2013|\u2014|to)\s*", re.IGNORECASE)
RANGES_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b)\s*", re.IGNORECASE)


def _clock(text: str) -> tuple[int, int, str | None]:
    found = TIME.fullmatch(text)
    if not found:
        raise ValidationError(
            _("“%(text)s” is not a time: write 9:00, 17:30 or 5 pm."),
            params={"text": text[:20]},
        )
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    half = found["half"].lower() if found["half"] else None
    if minute > 59 or hour > 24 or (half and not 1 <= hour <= 12):
        raise ValidationError(
            _("“%(text)s” is not a time of day."), params={"text": text[:20]}
        )
    return hour, minute, half


def _in_24_hours(hour: int, half: str | None) -> int:
    if half == "a":
        return 0 if hour == 12 else hour
    if half == "p":
        return hour if hour == 12 else hour + 12
    return hour


def parse_range(text: str) -> tuple[str, str]:
    """ "9am-5pm" → ("09:00", "17:00"). A closing time that, read as written,
    comes before the opening one is refused unless the opening is in the
    evening, so that "9-5" is asked about rather than read as all night."""
    parts = RANGE_SEPARATOR.split(text.strip())
    if len(parts) != 2 or not all(parts):
        raise ValidationError(
            _("“%(text)s”: write opening and closing time, for example 9:00-17:00."),
            params={"text": text[:30]},
        )
    (open_hour, open_minute, open_half), (close_hour, close_minute, close_half) = (
        _clock(parts[0]),
        _clock(parts[1]),
    )
    if open_half is None and close_half is not None and open_hour <= 12:
        # "9-5pm" is 9 am to 5 pm; "1-5pm" is 1 pm to 5 pm.
        as_close = _in_24_hours(open_hour, close_half)
        closes = _in_24_hours(close_hour, close_half) * 60 + close_minute
        open_half = close_half if as_close * 60 + open_minute < closes else "a"
    opens = (_in_24_hours(open_hour, open_half) % 24, open_minute)
    closes_at = (_in_24_hours(close_hour, close_half) % 24, close_minute)
    if opens == closes_at:
        raise ValidationError(
            _("“%(text)s” opens and closes at the same time."),
            params={"text": text[:30]},
        )
    if closes_at < opens and opens[0] < 12 and closes_at != (0, 0):
        raise ValidationError(
            _(
                "“%(text)s” would close the next morning. For the afternoon write "
                "17:00 or 5 pm; for a night, write the evening time first, such as "
                "18:00-2:00."
            ),
            params={"text": text[:30]},
        )
    return f"{opens[0]:02d}:{opens[1]:02d}", f"{closes_at[0]:02d}:{closes_at[1]:02d}"


def parse_times(text: str) -> list[list[str]]:
    ranges = [part for part in RANGES_SEPARATOR.split(text.strip()) if part]
    if len(ranges) > week.MAX_RANGES:
        raise ValidationError(
            _("At most %(most)s opening times a day."), params={"most": week.MAX_RANGES}
        )
    return [list(parse_range(part)) for part in ranges]


def written_times(value: Any) -> str:
    if not isinstance(value, list):
        return ""
    return ", ".join(f"{opens}-{closes}" for opens, closes in value)


class OpeningHoursWidget(forms.Widget):
    template_name = "admin/services/widgets/opening_hours.html"

    def value_from_datadict(
        self, data: Any, files: Any, name: str
    ) -> dict[str, Any] | None:
        def days(prefix: str) -> dict[str, tuple[str, str]]:
            return {
                key: (
                    str(data.get(f"{prefix}_{key}_kind", ""))[:20],
                    str(data.get(f"{prefix}_{key}_times", ""))[:200],
                )
                for key in week.DAY_KEYS
            }

        if f"{name}_mon_kind" not in data:
            return None  # not in this form (a translator's, say)
        return {
            "week": days(name),
            PERIOD: {
                "from": str(data.get(f"{name}_{PERIOD}_from", ""))[:20],
                "until": str(data.get(f"{name}_{PERIOD}_until", ""))[:20],
                "week": days(f"{name}_{PERIOD}"),
            },
        }

    def id_for_label(self, id_: str) -> str:
        # The field's label names the first control of the grid: Monday's choice.
        return f"{id_}_mon_kind" if id_ else ""

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # A form without the grid (posted by a script, or a translator's) leaves
        # the stored hours as they are.
        return f"{name}_mon_kind" not in data

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        raw = value if _is_raw(value) else _raw_from_stored(value)
        period = raw[PERIOD]
        context["grid"] = {
            "week": _rows(name, raw["week"]),
            "period": _rows(f"{name}_{PERIOD}", period["week"]),
            "period_from": (f"{name}_{PERIOD}_from", period["from"]),
            "period_until": (f"{name}_{PERIOD}_until", period["until"]),
            "period_open": bool(period["from"] or period["until"]),
            "choices": KIND_CHOICES,
            "same_as_monday": _("Same as Monday"),
            "times": _("times"),
        }
        return context


def _is_raw(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("week"), dict)
        and all(isinstance(v, tuple) for v in value["week"].values())
    )


def _raw_week(stored: Any) -> dict[str, tuple[str, str]]:
    stored = stored if isinstance(stored, dict) else {}
    raw = {}
    for key in week.DAY_KEYS:
        day = stored.get(key)
        if isinstance(day, list):
            raw[key] = (TIMES, written_times(day))
        elif day in week.DAY_KINDS:
            raw[key] = (day, "")
        else:
            raw[key] = ("", "")
    return raw


def _raw_from_stored(value: Any) -> dict[str, Any]:
    value = value if isinstance(value, dict) else {}
    period = value.get(PERIOD) if isinstance(value.get(PERIOD), dict) else {}
    return {
        "week": _raw_week(value.get("week")),
        PERIOD: {
            "from": str(period.get("from", "")),
            "until": str(period.get("until", "")),
            "week": _raw_week(period.get("week")),
        },
    }


def _rows(prefix: str, days: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": DAY_LABELS[number],
            "kind_name": f"{prefix}_{key}_kind",
            "kind_id": f"id_{prefix}_{key}_kind",
            "times_name": f"{prefix}_{key}_times",
            "kind": days[key][0],
            "times": days[key][1],
            "same_as_monday": number > 0,
        }
        for number, key in enumerate(week.DAY_KEYS)
    ]


class OpeningHoursField(forms.Field):
    widget = OpeningHoursWidget

    def __init__(self, **kwargs: Any) -> None:
        for unused in ("encoder", "decoder", "max_length"):
            kwargs.pop(unused, None)
        kwargs["required"] = False
        super().__init__(**kwargs)

    def _week(self, days: dict[str, tuple[str, str]], where: str) -> dict[str, Any]:
        stored: dict[str, Any] = {}
        errors = []
        for number, key in enumerate(week.DAY_KEYS):
            kind, times = days[key]
            day = DAY_LABELS[number]
            if kind == SAME_AS_MONDAY:
                if "mon" in stored:
                    stored[key] = stored["mon"]
                continue
            if times.strip() and kind in ("", TIMES):
                kind = TIMES
            try:
                if kind == TIMES:
                    if not times.strip():
                        raise ValidationError(_("write the times it is open."))
                    stored[key] = parse_times(times)
                elif kind in week.DAY_KINDS:
                    if times.strip():
                        raise ValidationError(
                            _("clear the times, or choose “Open at these times”.")
                        )
                    stored[key] = kind
                elif kind:
                    raise ValidationError(_("choose one of the list."))
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        "%(where)s, %(day)s: %(problem)s",
                        params={
                            "where": where,
                            "day": day,
                            "problem": " ".join(error.messages),
                        },
                    )
                )
        if errors:
            raise ValidationError(errors)
        return stored

    def clean(self, value: Any) -> dict[str, Any]:
        if value is None:
            return {}
        if not _is_raw(value):
            week.validate(value)
            return value
        usual = self._week(value["week"], str(_("Usual hours")))
        stored: dict[str, Any] = {"week": usual} if usual else {}
        period = value[PERIOD]
        period_week = self._week(period["week"], str(_("Hours for a period")))
        if period["from"] or period["until"] or period_week:
            stored[PERIOD] = {
                "from": period["from"],
                "until": period["until"],
                "week": period_week,
            }
            stored.setdefault("week", {})
        if not stored:
            return {}
        hours = week.read(stored)  # the period's dates, checked with their words
        return week.written(hours)

    def has_changed(self, initial: Any, data: Any) -> bool:
        if data is None:
            return False
        try:
            return self.clean(data) != (initial or {})
        except ValidationError:
            return True
