"""The hours of a contact point, as stored and as a caseworker writes them.

Stored as JSON on the contact point (``ContactPoint.opening_hours``)::

    {"week": {"mon": [["09:00", "17:00"]], "tue": "closed", "sun": "all_day"},
     "period": {"from": "2027-06-21", "until": "2027-09-03",
                "week": {"mon": [["10:00", "14:00"]]}}}

A day is ``"closed"``, ``"all_day"``, ``"appointment"`` or a list of opening
times; a day left out is not known. A time range that closes at or before it
opens runs past midnight (``["18:00", "02:00"]``). ``period`` holds other hours
for a stretch of days, such as summer hours; outside it the usual week applies.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# In Python's weekday() order: Monday is 0.
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CLOSED = "closed"
ALL_DAY = "all_day"
APPOINTMENT = "appointment"
HOURS = "hours"
DAY_KINDS = (CLOSED, ALL_DAY, APPOINTMENT)
# More ranges than any office keeps in a day; more is a typing mistake.
MAX_RANGES = 4

Range = tuple[datetime.time, datetime.time]


@dataclass(frozen=True)
class Day:
    """One weekday: closed, open all day, by appointment, or open at `ranges`."""

    kind: str
    ranges: tuple[Range, ...] = ()


@dataclass(frozen=True)
class Week:
    """Monday (0) to Sunday (6); a day that is missing is not known."""

    days: dict[int, Day] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.days)

    @property
    def is_always_open(self) -> bool:
        return len(self.days) == 7 and all(
            day.kind == ALL_DAY for day in self.days.values()
        )


@dataclass(frozen=True)
class OpeningHours:
    usual: Week
    period: Week | None = None
    period_from: datetime.date | None = None
    period_until: datetime.date | None = None

    def __bool__(self) -> bool:
        return bool(self.usual) or bool(self.period)

    def week_on(self, day: datetime.date) -> Week:
        """The hours that apply on a given day: the period's, within it."""
        if self.period is not None and self.in_period(day):
            return self.period
        return self.usual

    def in_period(self, day: datetime.date) -> bool:
        return (
            self.period is not None
            and self.period_from is not None
            and self.period_until is not None
            and self.period_from <= day <= self.period_until
        )


NO_HOURS = OpeningHours(usual=Week())


def _time(text: Any, where: str) -> datetime.time:
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{2}:[0-9]{2}", text):
        raise ValidationError(
            _("%(where)s: write each time as HH:MM, for example 09:00 or 17:30."),
            params={"where": where},
        )
    hour, minute = int(text[:2]), int(text[3:])
    if hour == 24 and minute == 0:
        return datetime.time(0, 0)  # midnight at the end of the day
    if hour > 23 or minute > 59:
        raise ValidationError(
            _("%(where)s: %(time)s is not a time of day."),
            params={"where": where, "time": text},
        )
    return datetime.time(hour, minute)


def _day(value: Any, where: str) -> Day:
    if value in DAY_KINDS:
        return Day(kind=value)
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_RANGES:
        raise ValidationError(
            _(
                "%(where)s: expected closed, all_day, appointment or a list of "
                "up to %(most)s opening times."
            ),
            params={"where": where, "most": MAX_RANGES},
        )
    ranges = []
    for pair in value:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValidationError(
                _("%(where)s: each opening time is [opens, closes]."),
                params={"where": where},
            )
        ranges.append((_time(pair[0], where), _time(pair[1], where)))
    return Day(kind=HOURS, ranges=tuple(sorted(ranges)))


def _week(value: Any, where: str) -> Week:
    if not isinstance(value, dict):
        raise ValidationError(
            _("%(where)s: expected the days of the week."), params={"where": where}
        )
    unknown = set(value) - set(DAY_KEYS)
    if unknown:
        raise ValidationError(
            _("%(where)s: the days are written %(days)s."),
            params={"where": where, "days": ", ".join(DAY_KEYS)},
        )
    return Week(
        days={
            number: _day(value[key], f"{where}, {key}")
            for number, key in enumerate(DAY_KEYS)
            if key in value
        }
    )


def _date(value: Any, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(where)s: write the date as YYYY-MM-DD."), params={"where": where}
        ) from None


def read(value: Any) -> OpeningHours:
    """The hours stored as JSON, checked; ValidationError says what is wrong."""
    if value in (None, {}, ""):
        return NO_HOURS
    if not isinstance(value, dict) or set(value) - {"week", "period"}:
        raise ValidationError(_("Opening hours hold a week and, if needed, a period."))
    usual = _week(value.get("week", {}), _("usual hours"))
    period = value.get("period")
    if period is None:
        return OpeningHours(usual=usual)
    if not isinstance(period, dict) or set(period) != {"from", "until", "week"}:
        raise ValidationError(
            _("Other hours for a period need a first day, a last day and a week.")
        )
    start = _date(period["from"], _("first day of the period"))
    end = _date(period["until"], _("last day of the period"))
    if end < start:
        raise ValidationError(_("The period's last day comes before its first day."))
    return OpeningHours(
        usual=usual,
        period=_week(period["week"], _("hours for the period")),
        period_from=start,
        period_until=end,
    )


def validate(value: Any) -> None:
    read(value)


def _written_time(time: datetime.time) -> str:
    return time.strftime("%H:%M")


def _written_week(week: Week) -> dict[str, Any]:
    return {
        DAY_KEYS[number]: (
            [[_written_time(a), _written_time(b)] for a, b in day.ranges]
            if day.kind == HOURS
            else day.kind
        )
        for number, day in sorted(week.days.items())
    }


def written(hours: OpeningHours) -> dict[str, Any]:
    """The JSON to store for these hours."""
    if not hours:
        return {}
    stored: dict[str, Any] = {"week": _written_week(hours.usual)}
    if hours.period is not None and hours.period_from and hours.period_until:
        stored["period"] = {
            "from": hours.period_from.isoformat(),
            "until": hours.period_until.isoformat(),
            "week": _written_week(hours.period),
        }
    return stored
