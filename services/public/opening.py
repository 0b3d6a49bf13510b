"""Opening hours and service status in the reader's language.

A page works out, per request it renders, what each contact point is doing now
(services.hours.clock) and says it in words: "Open now · closes at 5:00 PM".
Each state knows when it next changes; the page's cache entry ends then
(page_cache.PageCacheMiddleware), so a cached page never says "open" after
closing time.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext

from services.hours import clock, week
from services.models import ContactPoint, OperatingStatus, Service


def time_text(moment: datetime.datetime | datetime.time) -> str:
    """A time as the reader's language writes it: 5:00 PM, 17:00, 5:00 م."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).time()
    return formats.time_format(moment, "TIME_FORMAT")


def day_name(day: datetime.date) -> str:
    return formats.date_format(day, "l")


def day_text(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def state_line(state: clock.OpenState, now: datetime.datetime) -> str:
    today = timezone.localtime(now).date()
    if state.kind == clock.OPEN_ALL_THE_TIME:
        return gettext("Open 24 hours")
    if state.kind == clock.OPEN and state.at is not None:
        closes = timezone.localtime(state.at)
        if closes.date() == today or closes.time() == datetime.time(0):
            return gettext("Open now · closes at %(time)s") % {
                "time": time_text(closes)
            }
        return gettext("Open now · closes %(day)s at %(time)s") % {
            "day": day_name(closes.date()),
            "time": time_text(closes),
        }
    if state.kind == clock.HOLIDAY:
        return gettext("Closed today: %(holiday)s") % {"holiday": state.holiday.name}
    if state.kind == clock.BY_APPOINTMENT:
        return gettext("By appointment")
    if state.kind == clock.CLOSED_NOW:
        if state.at is None:
            return gettext("Closed now")
        opens = timezone.localtime(state.at)
        if opens.date() == today:
            return gettext("Closed now · opens at %(time)s") % {
                "time": time_text(opens)
            }
        if opens.date() == today + datetime.timedelta(days=1):
            return gettext("Closed now · opens tomorrow at %(time)s") % {
                "time": time_text(opens)
            }
        return gettext("Closed now · opens %(day)s at %(time)s") % {
            "day": day_name(opens.date()),
            "time": time_text(opens),
        }
    return ""


def day_hours_text(day: week.Day | None) -> str:
    if day is None:
        return gettext("Not known: call to ask")
    if day.kind == week.CLOSED:
        return gettext("Closed")
    if day.kind == week.ALL_DAY:
        return gettext("Open 24 hours")
    if day.kind == week.APPOINTMENT:
        return gettext("By appointment")
    return ", ".join(
        gettext("%(opens)s to %(closes)s")
        % {"opens": time_text(opens), "closes": time_text(closes)}
        for opens, closes in day.ranges
    )


# A Monday, to name the days of a week in the reader's language.
A_MONDAY = datetime.date(2026, 1, 5)


@dataclass
class WeekTable:
    caption: str
    rows: list[tuple[str, str]]


def week_table(hours_week: week.Week, caption: str) -> WeekTable:
    if hours_week.is_always_open:
        return WeekTable(
            caption=caption, rows=[(gettext("Every day"), gettext("Open 24 hours"))]
        )
    rows = [
        (
            day_name(A_MONDAY + datetime.timedelta(days=number)),
            day_hours_text(hours_week.days.get(number)),
        )
        for number in range(7)
    ]
    return WeekTable(caption=caption, rows=rows)


@dataclass
class ContactHours:
    """What a contact point's card says about its hours."""

    line: str = ""
    kind: str = ""
    tables: list[WeekTable] = field(default_factory=list)
    holidays: list[str] = field(default_factory=list)
    closed_on_holidays: bool = False
    changes_at: datetime.datetime | None = None


def contact_hours(
    contact: ContactPoint,
    now: datetime.datetime,
    holidays: dict[datetime.date, Any],
    *,
    service_running: bool = True,
) -> ContactHours:
    hours = week.read(contact.opening_hours)
    if not hours:
        return ContactHours()
    today = timezone.localtime(now).date()
    state = clock.open_state(
        hours, now, holidays=holidays, closed_on_holidays=contact.closed_on_holidays
    )
    shown = ContactHours(
        line=state_line(state, now) if service_running else "",
        kind=state.kind,
        closed_on_holidays=contact.closed_on_holidays,
        changes_at=state.changes_at,
    )
    if hours.usual.is_always_open and hours.period is None:
        return shown  # "Open 24 hours" says it all
    if hours.in_period(today) and hours.period_from and hours.period_until:
        caption = gettext("Hours from %(start)s to %(end)s") % {
            "start": day_text(hours.period_from),
            "end": day_text(hours.period_until),
        }
        shown.tables.append(week_table(hours.week_on(today), caption))
    else:
        shown.tables.append(week_table(hours.usual, gettext("Usual hours")))
        if (
            hours.period
            and hours.period_from
            and hours.period_until
            and hours.period_until >= today
        ):
            caption = gettext("From %(start)s to %(end)s") % {
                "start": day_text(hours.period_from),
                "end": day_text(hours.period_until),
            }
            shown.tables.append(week_table(hours.period, caption))
    if contact.closed_on_holidays:
        shown.holidays = [
            gettext("Closed %(day)s: %(holiday)s")
            % {"day": day_text(day), "holiday": holiday.name}
            for day, holiday in sorted(holidays.items())
            if today < day <= today + datetime.timedelta(days=7)
        ]
    return shown


@dataclass
class ServiceState:
    """Whether a service runs, in words, for the top of its page and its cards."""

    running: bool
    title: str = ""
    detail: str = ""
    moved_to: str = ""


def service_state(service: Service, today: datetime.date) -> ServiceState:
    status = service.operating_status
    if status == OperatingStatus.ENDED:
        return ServiceState(False, gettext("This service is no longer offered."))
    if status == OperatingStatus.MOVED:
        return ServiceState(
            False, gettext("This service has moved."), moved_to=service.moved_to
        )
    if status != OperatingStatus.TEMPORARILY_CLOSED or service.closed_from is None:
        return ServiceState(True)
    start, end = service.closed_from, service.closed_until
    if end is not None and end < today:
        return ServiceState(True)
    if start > today:
        if end is None:
            detail = gettext("It will close from %(start)s until further notice.")
        else:
            detail = gettext("It will close from %(start)s to %(end)s.")
        # Running until then: said as a notice, not as a closure.
        return ServiceState(
            True,
            detail=detail
            % {"start": day_text(start), "end": day_text(end) if end else ""},
        )
    if end is None:
        detail = gettext("Closed until further notice.")
    else:
        detail = gettext("Closed until %(end)s; open again from %(reopens)s.") % {
            "end": day_text(end),
            "reopens": day_text(end + datetime.timedelta(days=1)),
        }
    return ServiceState(False, gettext("Temporarily closed."), detail=detail)
