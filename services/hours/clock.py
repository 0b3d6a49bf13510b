"""Whether a place is open at a moment, and when that next changes.

Everything is worked out in the city's time zone (settings.TIME_ZONE), from the
week, the city's holidays and a service's temporary closure. Times are joined to
days with zoneinfo, so on the day clocks change a place that opens at 09:00 still
opens at 09:00 on the wall clock.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from services.hours.week import ALL_DAY, APPOINTMENT, CLOSED, HOURS, OpeningHours

# How far ahead a page looks for the next opening: past a long weekend and a
# holiday beside it.
LOOK_AHEAD_DAYS = 8

OPEN = "open"
OPEN_ALL_THE_TIME = "open_all_the_time"
CLOSED_NOW = "closed"
HOLIDAY = "holiday"
BY_APPOINTMENT = "appointment"
NOT_KNOWN = "not_known"


@dataclass(frozen=True)
class DayPlan:
    """What a place does on one calendar day."""

    day: datetime.date
    kind: str  # week.CLOSED, ALL_DAY, APPOINTMENT, HOURS, or "" when not known
    ranges: tuple[tuple[datetime.time, datetime.time], ...] = ()
    holiday: Any = None  # the Holiday it is closed for


@dataclass(frozen=True)
class OpenState:
    """What a resident is told now: `kind` is one of the names above; `at` is
    when it closes (open) or next opens (closed); `changes_at` is when this
    state, or its wording, next changes."""

    kind: str
    changes_at: datetime.datetime
    at: datetime.datetime | None = None
    holiday: Any = None


def day_plan(
    hours: OpeningHours,
    day: datetime.date,
    *,
    holidays: dict[datetime.date, Any],
    closed_on_holidays: bool,
) -> DayPlan:
    if closed_on_holidays and day in holidays:
        return DayPlan(day=day, kind=CLOSED, holiday=holidays[day])
    found = hours.week_on(day).days.get(day.weekday())
    if found is None:
        return DayPlan(day=day, kind="")
    return DayPlan(day=day, kind=found.kind, ranges=found.ranges)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def _intervals(plan: DayPlan) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """When the place is open on this day, as moments; a range that closes at
    or before it opens ends on the next day."""
    next_day = plan.day + datetime.timedelta(days=1)
    if plan.kind == ALL_DAY:
        return [(_at(plan.day, datetime.time(0)), _at(next_day, datetime.time(0)))]
    if plan.kind != HOURS:
        return []
    return [
        (_at(plan.day, opens), _at(next_day if closes <= opens else plan.day, closes))
        for opens, closes in plan.ranges
    ]


def next_midnight(now: datetime.datetime) -> datetime.datetime:
    today = timezone.localtime(now).date()
    return _at(today + datetime.timedelta(days=1), datetime.time(0))


def open_state(
    hours: OpeningHours,
    now: datetime.datetime,
    *,
    holidays: dict[datetime.date, Any],
    closed_on_holidays: bool,
) -> OpenState:
    """Open or closed at `now`, and until when.

    `holidays` must hold the city's holidays from yesterday to LOOK_AHEAD_DAYS
    ahead. The state changes at the next opening or closing, and at midnight at
    the latest, since "closed today" and "opens tomorrow" are about a day.
    """
    midnight = next_midnight(now)
    today = timezone.localtime(now).date()

    def plan(day: datetime.date) -> DayPlan:
        return day_plan(
            hours, day, holidays=holidays, closed_on_holidays=closed_on_holidays
        )

    days = [today + datetime.timedelta(days=n) for n in range(-1, LOOK_AHEAD_DAYS)]
    intervals = sorted(interval for day in days for interval in _intervals(plan(day)))
    # Ranges that touch (open all day on Monday and on Tuesday) are one opening.
    merged: list[list[datetime.datetime]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])

    today_plan = plan(today)
    for start, end in merged:
        if start <= now < end:
            if end > now + datetime.timedelta(days=LOOK_AHEAD_DAYS - 1):
                return OpenState(kind=OPEN_ALL_THE_TIME, changes_at=midnight)
            return OpenState(kind=OPEN, at=end, changes_at=min(end, midnight))
    if today_plan.holiday is not None:
        return OpenState(kind=HOLIDAY, holiday=today_plan.holiday, changes_at=midnight)
    if today_plan.kind == APPOINTMENT:
        return OpenState(kind=BY_APPOINTMENT, changes_at=midnight)
    if today_plan.kind == "":
        return OpenState(kind=NOT_KNOWN, changes_at=midnight)
    for start, _end in merged:
        if start > now:
            return OpenState(kind=CLOSED_NOW, at=start, changes_at=min(start, midnight))
    return OpenState(kind=CLOSED_NOW, changes_at=midnight)
