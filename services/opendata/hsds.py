"""Open Referral HSDS 3.0: the published services as HSDS JSON. Reads only.

HSDS has no multi-language text, so each of the guide's languages is a dataset of
its own, with the text a reader of that language sees on the site (the current
translation, else the English: translation_status.shown).

Only published services that are not draft copies are exported. A confidential
address (``Service.confidential_location`` or ``ContactPoint.is_confidential``)
never becomes an HSDS address: such a contact point gives a location with only
its name and meeting point, or only its phone.

Ids are UUIDs derived (uuid5) from the city and the record's web address, and
parts from their place in the service ("service:<slug>/contact:2"), so they are
the same in every language and every export.

The assurances ("Your safety") are carried twice: as HSDS ``attributes`` of the
service, each linked to a term of the guide's vocabulary of assurance kinds with
the statement as its value (valid HSDS, seen by every consumer), and in full (rule,
citation, source, date checked) in the guide's extension: ``assurances.json`` in
the data package, ``/hsds/<lang>/services/<id>/assurances/`` on the API.

Opening hours (``ContactPoint.opening_hours``) become HSDS ``schedule`` records,
attached where the contact point is (its service_at_location, else the service):
one per run of days with the same hours and per time range, ``freq`` WEEKLY with
``byday``, ``opens_at``/``closes_at`` as the city's wall-clock HH:MM (a range
that closes at or before it opens runs past midnight), other hours for a period
with ``valid_from``/``valid_to`` (the usual hours then stop the day before and
start again the day after). HSDS 3.0's ``timezone`` is a number, a UTC offset:
it holds the city's standard offset (Boston: -5), and ``notes`` name the IANA
zone (America/New_York), since the wall-clock times follow daylight saving
time. A schedule has no field for exceptions, so ``notes`` say that a place
closes on the city's holidays and which are next.

A service's ``status`` and ``alert`` depend on the day: a temporary closure
that covers today is "temporarily closed"; ``alert`` says so, or where a moved
service went, and gives the alerts shown today (site-wide, the category's, the
service's). A Dataset is made for one moment (``Dataset.now``).
"""

import datetime
import functools
import hashlib
import json
import math
import re
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext

from config.languages import LANGUAGES
from services.hours import week
from services.models import (
    Alert,
    Assurance,
    AssuranceKind,
    ContactPoint,
    ContentVersion,
    Document,
    Holiday,
    OperatingStatus,
    PublishedQuerySet,
    Service,
    SiteProfile,
    Step,
    Translatable,
)
from services.public import opening
from services.public.selectors import in_reader_language, with_parts
from services.translations.state import (
    MACHINE,
    SOURCE_LANGUAGE,
    shown,
    text_in,
    translated_fields,
)

HSDS_VERSION = "3.0"
SCHEMA_URL = (
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
    "compiled/{}.json"
)
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)
LANGUAGE_NAMES = dict(LANGUAGES)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# The guide explains US rules (Plyler v. Doe, EMTALA ...): its addresses are in the US.
COUNTRY = "US"
# An HSDS object (or one of the guide's extension), as JSON.
Json = dict[str, Any]

# Fixed for ever: changing it changes every id of every city.
ID_NAMESPACE = uuid.uuid5(
    uuid.NAMESPACE_URL, "https://openreferral.org/hsds/city-services-guide"
)

EXTENSION_NAME = "city-services-guide-assurances"
EXTENSION_VERSION = "1.0"
EXTENSION_DESCRIPTION = (
    "What each service does about immigration status, and why: one record per "
    "statement of the service's 'Your safety' box, with the kind of statement, the "
    "statement in this dataset's language (and whether a machine translated it, "
    "no person having checked the translation), the rule it rests on (name, "
    "citation, official text), a source a reader can check, and the day a person "
    "last checked it (null while no person has). Each record's id is the id of "
    "the HSDS attribute that carries the same statement on the service."
)
ASSURANCE_LINK_TYPE = "immigration_status_assurance"
ASSURANCE_TAXONOMY = {
    "id": str(uuid.uuid5(ID_NAMESPACE, "taxonomy:assurance-kind")),
    "name": "City services guide: immigration status assurance kinds",
    "description": (
        "What a service does about immigration status. One term per kind; the "
        "attribute's value is the service's own statement."
    ),
    "version": EXTENSION_VERSION,
}
# The vocabulary, in English; each term's name is given in the dataset's language.
ASSURANCE_KIND_DEFINITIONS: dict[str, str] = {
    AssuranceKind.OPEN_TO_ALL: "The service is open whatever a person's "
    "immigration status.",
    AssuranceKind.DOES_NOT_ASK: "Staff do not ask about immigration status.",
    AssuranceKind.DOES_NOT_RECORD: "The service does not record immigration status.",
    AssuranceKind.SHARES_ONLY_BY_LAW: "Information is shared only when a court "
    "order or a law requires it.",
    AssuranceKind.LIMITS_SHARING: "A rule limits what the service shares about a "
    "person; the statement says how far, and when sharing is still allowed.",
    AssuranceKind.DOES_NOT_ENFORCE: "The service does not take part in civil "
    "immigration enforcement.",
    AssuranceKind.DOES_NOT_HOLD: "No one may be held only because of a civil "
    "immigration detainer; the statement says who the rule binds.",
    AssuranceKind.OFFERS_INTERPRETATION: "The service offers free interpretation.",
    AssuranceKind.FEDERAL_LAW_REQUIRES: "What a law requires of the service.",
    AssuranceKind.DOES_NOT_PROMISE: "What the service itself does not promise: a "
    "limit of the other statements.",
    AssuranceKind.CANNOT_CONTROL: "What the city cannot control: a limit of the "
    "other statements.",
}

# A text this dataset gives as a machine's draft carries a note, as an attribute
# of the service that names the text, in the dataset's language.
TRANSLATION_LINK_TYPE = "translation_note"
TRANSLATION_TAXONOMY = {
    "id": str(uuid.uuid5(ID_NAMESPACE, "taxonomy:translation-state")),
    "name": "City services guide: translation state",
    "description": "How a text of this dataset was translated from English.",
    "version": EXTENSION_VERSION,
}

# Schedules: RFC 5545's two-letter days, Monday (0) first as in services.hours.
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The notes of a place closed on the city's holidays name the next few, within
# a year: enough to plan the coming months, few enough to read.
HOLIDAYS_AHEAD_DAYS = 366
MAX_HOLIDAYS = 5
# HSDS has no "all day": open from the start of the day to its last minute.
ALL_DAY_OPENS, ALL_DAY_CLOSES = "00:00", "23:59"

# HSDS 3.0 service.status, by the guide's operating status; a temporary closure
# is "temporarily closed" only on the days it covers (Service.closure_on).
STATUS = {
    OperatingStatus.RUNNING: "active",
    OperatingStatus.TEMPORARILY_CLOSED: "active",
    OperatingStatus.MOVED: "inactive",
    OperatingStatus.ENDED: "defunct",
}
TEMPORARILY_CLOSED = "temporarily closed"

STATE_AND_ZIP = re.compile(r"^(?P<state>[A-Z]{2})(?:\s+(?P<zip>\d{5}(?:-\d{4})?))?$")


class NotFound(LookupError):
    """No such language, service or organization (a 404)."""


class BadRequest(ValueError):
    """A request the API cannot answer as asked (a 400)."""


def bcp47(language: str) -> str:
    """The guide's language code as a BCP 47 tag: pt-br -> pt-BR, zh-hans -> zh-Hans."""
    return translation.to_locale(language).replace("_", "-")


@dataclass(frozen=True)
class Dataset:
    """One language's dataset at one moment: its language, the city, how ids
    are made, and what depends on the day (alerts, holidays, closures)."""

    language: str
    site: SiteProfile
    now: datetime.datetime = field(default_factory=timezone.now)

    @property
    def today(self) -> datetime.date:
        """The day in the city (settings.TIME_ZONE)."""
        return timezone.localdate(self.now)

    @functools.cached_property
    def alerts(self) -> list[Alert]:
        """The alerts shown now, anywhere (one query, on first use)."""
        with translation.override(self.language):
            shown_now = Alert.objects.filter(
                starts_at__lte=self.now, ends_at__gt=self.now
            )
            return list(in_reader_language(shown_now.order_by("starts_at", "id")))

    def alerts_for(self, service: Service) -> list[Alert]:
        """The alerts a service's page shows now: the whole site's, its
        category's and its own."""
        return [
            alert
            for alert in self.alerts
            if (alert.service_id is None and alert.category_id is None)
            or alert.service_id == service.pk
            or (
                alert.category_id is not None
                and alert.category_id == service.category_id
            )
        ]

    @functools.cached_property
    def holidays(self) -> list[Holiday]:
        """The city's next holidays, from today (one query, on first use)."""
        last = self.today + datetime.timedelta(days=HOLIDAYS_AHEAD_DAYS)
        with translation.override(self.language):
            coming = Holiday.objects.filter(day__range=(self.today, last))
            return list(in_reader_language(coming.order_by("day"))[:MAX_HOLIDAYS])

    @functools.cached_property
    def namespace(self) -> uuid.UUID:
        city = text_in(self.site, "city_name", SOURCE_LANGUAGE).strip().casefold()
        return uuid.uuid5(ID_NAMESPACE, f"city:{city}")

    def id(self, key: str) -> str:
        return str(uuid.uuid5(self.namespace, key))

    def text(self, obj: Translatable, field: str) -> str:
        return shown(obj, field, self.language)[0].strip()

    @property
    def organization_id(self) -> str:
        return self.id("organization:city")

    def service_id(self, service: Service) -> str:
        return self.id(f"service:{service.slug}")


def dataset(language: str, *, now: datetime.datetime | None = None) -> Dataset:
    """The dataset of a language as it is at `now` (default: now), in one
    query, or NotFound."""
    if language not in LANGUAGE_CODES:
        raise NotFound(f"No dataset in the language {language!r}.")
    site = SiteProfile.objects.filter(pk=1).first()
    if site is None:
        site = SiteProfile(pk=1)
    return Dataset(language=language, site=site, now=now or timezone.now())


def _put(data: Json, key: str, value: Any) -> None:
    if value not in (None, "", []):
        data[key] = value


def _timestamp(moment: datetime.datetime) -> str:
    """An HSDS date-time: UTC, to the millisecond (2023-03-15T10:30:45.123Z)."""
    if moment.tzinfo is None:  # the database keeps UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    utc = moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    return utc.replace("+00:00", "Z")


def _latest_change(
    model: type[Step | Document | ContactPoint | Assurance],
) -> Subquery:
    return Subquery(
        model.objects.filter(service=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )


PART_CHANGES: dict[str, type[Step | Document | ContactPoint | Assurance]] = {
    "steps_changed_at": Step,
    "documents_changed_at": Document,
    "contacts_changed_at": ContactPoint,
    "assurances_changed_at": Assurance,
}


def _published(language: str) -> PublishedQuerySet[Service]:
    """Published services, never draft copies, with the language's columns."""
    return (
        Service.objects.published()
        .annotate(
            **{name: _latest_change(model) for name, model in PART_CHANGES.items()}
        )
        .order_by("sort_order", "slug")
    )


def _last_modified(service: Service) -> str:
    moments: list[datetime.datetime | None] = [service.updated_at]
    moments += [getattr(service, name, None) for name in PART_CHANGES]
    return _timestamp(max(moment for moment in moments if moment is not None))


def service_status(service: Service, today: datetime.date) -> str:
    """The HSDS status of a service on a day."""
    if service.closure_on(today):
        return TEMPORARILY_CLOSED
    return STATUS.get(OperatingStatus(service.operating_status), "active")


def service_alert(ds: Dataset, service: Service) -> str:
    """What a resident is told today about the service, as its page says it:
    whether it runs (a closure and its dates, where it moved, that it ended)
    with the caseworker's note, then each alert shown today. One paragraph
    each, in the dataset's language."""
    paragraphs = []
    state = opening.service_state(service, ds.today)
    if state.title or state.detail:
        paragraphs.append(
            " ".join(
                text
                for text in (
                    state.title,
                    state.detail,
                    ds.text(service, "status_note"),
                    state.moved_to,
                )
                if text
            )
        )
    paragraphs += [ds.text(alert, "text") for alert in ds.alerts_for(service)]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _interpretation(ds: Dataset, service: Service) -> str:
    if not service.interpreters:
        return ""
    note = ds.text(ds.site, "interpreter_note")
    return f"{gettext('You can ask for a free interpreter.')} {note}".strip()


def _service_summary(ds: Dataset, service: Service) -> Json:
    """The one-to-one fields of a service (the list endpoint's contents)."""
    data: Json = {
        "id": ds.service_id(service),
        "organization_id": ds.organization_id,
        "name": ds.text(service, "name"),
    }
    description = "\n\n".join(
        text
        for text in (ds.text(service, "summary"), ds.text(service, "offers"))
        if text
    )
    _put(data, "description", description)
    _put(data, "url", service.website)
    data["status"] = service_status(service, ds.today)
    _put(data, "alert", service_alert(ds, service))
    _put(data, "interpretation_services", _interpretation(ds, service))
    steps = [ds.text(step, "text") for step in service.steps.all()]
    _put(
        data,
        "application_process",
        "\n".join(f"{number}. {text}" for number, text in enumerate(steps, 1) if text),
    )
    _put(data, "fees_description", ds.text(service, "cost"))
    _put(data, "eligibility_description", ds.text(service, "eligibility"))
    if service.last_verified_on:
        data["assured_date"] = service.last_verified_on.isoformat()
    data["last_modified"] = _last_modified(service)
    return data


def split_address(text: str) -> dict[str, str]:
    """HSDS address lines from one written address ("2300 Washington St, Roxbury,
    MA 02119"). What cannot be told apart stays whole in address_1."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) >= 3 and (match := STATE_AND_ZIP.match(parts[-1])):
        return {
            "address_1": ", ".join(parts[:-2]),
            "city": parts[-2],
            "state_province": match["state"],
            "postal_code": match["zip"] or "",
        }
    return {
        "address_1": text.strip(),
        "city": "",
        "state_province": "",
        "postal_code": "",
    }


@functools.cache
def city_offsets(year: int) -> tuple[datetime.timedelta, datetime.timedelta]:
    """The city's standard UTC offset, and its offset in daylight saving time
    (the same where there is none), in a year."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moments = [datetime.datetime(year, month, 15, 12, tzinfo=zone) for month in (1, 7)]
    offsets = {
        bool(moment.dst()): moment.utcoffset() or datetime.timedelta(0)
        for moment in moments
    }
    standard = offsets.get(False, offsets.get(True, datetime.timedelta(0)))
    return standard, offsets.get(True, standard)


def _hours_of(offset: datetime.timedelta) -> int | float:
    hours = offset.total_seconds() / 3600
    return int(hours) if hours.is_integer() else hours


def _utc(offset: datetime.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _time_zone_note(today: datetime.date) -> str:
    standard, daylight = city_offsets(today.year)
    if daylight == standard:
        return gettext("Times are the local time of %(zone)s (%(standard)s).") % {
            "zone": settings.TIME_ZONE,
            "standard": _utc(standard),
        }
    return gettext(
        "Times are the local time of %(zone)s: %(standard)s, or %(daylight)s "
        "during daylight saving time."
    ) % {
        "zone": settings.TIME_ZONE,
        "standard": _utc(standard),
        "daylight": _utc(daylight),
    }


def _holidays_note(ds: Dataset) -> str:
    """That a place closes on the city's holidays, and on which ones next."""
    days = [
        gettext("Closed %(day)s: %(holiday)s")
        % {"day": opening.day_text(holiday.day), "holiday": ds.text(holiday, "name")}
        for holiday in ds.holidays
    ]
    return " ".join([gettext("Closed on city holidays."), "; ".join(days)]).strip()


def _hhmm(time: datetime.time) -> str:
    return time.strftime("%H:%M")


def _days_text(days: list[int]) -> str:
    if len(days) == 7:
        return gettext("Every day")
    return ", ".join(
        opening.day_name(opening.A_MONDAY + datetime.timedelta(days=number))
        for number in days
    )


@dataclass(frozen=True)
class _Stretch:
    """A week of hours, and the days it holds for (None: open-ended)."""

    key: str
    hours: week.Week
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    caption: str = ""


def _stretches(hours: week.OpeningHours, today: datetime.date) -> list[_Stretch]:
    """The usual week, and other hours for a period that is not over: the usual
    week then holds until the day before the period and from the day after."""
    start, end = hours.period_from, hours.period_until
    if hours.period is None or start is None or end is None or end < today:
        return [_Stretch("usual", hours.usual)]
    caption = gettext("From %(start)s to %(end)s") % {
        "start": opening.day_text(start),
        "end": opening.day_text(end),
    }
    stretches = [
        _Stretch("usual-before", hours.usual, valid_to=start - datetime.timedelta(1)),
        _Stretch("period", hours.period, start, end, caption),
        _Stretch("usual-after", hours.usual, valid_from=end + datetime.timedelta(1)),
    ]
    return [
        stretch
        for stretch in stretches
        if stretch.valid_to is None or stretch.valid_to >= today
    ]


def _day_times(day: week.Day) -> list[tuple[str, str, str]]:
    """A day's openings: (opens_at, closes_at, in words); no times by
    appointment, the whole day when open all day."""
    if day.kind == week.ALL_DAY:
        return [(ALL_DAY_OPENS, ALL_DAY_CLOSES, gettext("Open 24 hours"))]
    if day.kind == week.APPOINTMENT:
        return [("", "", gettext("By appointment"))]
    return [
        (
            _hhmm(opens),
            _hhmm(closes),
            gettext("%(opens)s to %(closes)s")
            % {"opens": opening.time_text(opens), "closes": opening.time_text(closes)},
        )
        for opens, closes in day.ranges
    ]


def _schedules(
    ds: Dataset, contact: ContactPoint, key: str, owner: Json, label: str = ""
) -> list[Json]:
    """The contact point's hours as HSDS schedules of `owner` (its
    service_at_location_id or service_id); `label` starts each description."""
    note = ds.text(contact, "hours")
    try:
        hours = week.read(contact.opening_hours)
    except ValidationError:
        hours = week.NO_HOURS
    if not hours:
        if not note:
            return []
        # Only a note: the one free-text schedule HSDS allows.
        text = f"{label}: {note}" if label else note
        return [{"id": ds.id(f"{key}/schedule"), **owner, "description": text}]
    notes = [note]
    if contact.closed_on_holidays:
        notes.append(_holidays_note(ds))
    notes.append(_time_zone_note(ds.today))
    common: Json = {
        **owner,
        "timezone": _hours_of(city_offsets(ds.today.year)[0]),
        "freq": "WEEKLY",
    }
    schedules = []
    for stretch in _stretches(hours, ds.today):
        # Days with the same hours together, in the order of their first day.
        groups: dict[week.Day, list[int]] = {}
        for number, day in sorted(stretch.hours.days.items()):
            if day.kind != week.CLOSED:
                groups.setdefault(day, []).append(number)
        # A closed day has no schedule; a day not known is said in the notes.
        unknown = [number for number in range(7) if number not in stretch.hours.days]
        stretch_notes = [*notes]
        if unknown:
            stretch_notes.insert(
                1, f"{_days_text(unknown)}: {gettext('Not known: call to ask')}"
            )
        for day, numbers in groups.items():
            byday = ",".join(RRULE_DAYS[number] for number in numbers)
            for opens_at, closes_at, words in _day_times(day):
                when = f"{opens_at}-{closes_at}" if opens_at else day.kind
                text = f"{_days_text(numbers)}: {words}"
                if stretch.caption:
                    text = f"{stretch.caption}. {text}"
                schedule: Json = {
                    "id": ds.id(f"{key}/schedule:{stretch.key}:{byday}:{when}"),
                    **common,
                }
                if stretch.valid_from:
                    schedule["valid_from"] = stretch.valid_from.isoformat()
                if stretch.valid_to:
                    schedule["valid_to"] = stretch.valid_to.isoformat()
                schedule["byday"] = byday
                _put(schedule, "opens_at", opens_at)
                _put(schedule, "closes_at", closes_at)
                schedule["description"] = f"{label}: {text}" if label else text
                _put(
                    schedule, "notes", "\n".join(line for line in stretch_notes if line)
                )
                schedules.append(schedule)
    return schedules


def _contact_parts(
    ds: Dataset, service: Service, service_id: str
) -> tuple[list[Json], list[Json], list[Json]]:
    """Each contact point as a service_at_location (when it has a place to show)
    or as the service's phones and schedules. Never a confidential address."""
    at_locations: list[Json] = []
    phones: list[Json] = []
    schedules: list[Json] = []
    for number, contact in enumerate(service.contacts.all(), 1):
        key = f"service:{service.slug}/contact:{number}"
        name = ds.text(contact, "name")
        note = ds.text(contact, "note")
        # public_address is empty for a confidential contact or service; the
        # second test keeps it so even if the service were not cached on it.
        address = "" if service.confidential_location else contact.public_address
        meeting_point = ds.text(contact, "meeting_point")
        if address or meeting_point:
            sal_id, location_id = (
                ds.id(f"{key}/service_at_location"),
                ds.id(f"{key}/location"),
            )
            location: Json = {"id": location_id, "location_type": "physical"}
            _put(location, "name", name)
            _put(location, "description", meeting_point)
            if address:
                location["addresses"] = [
                    {
                        "id": ds.id(f"{key}/address"),
                        "location_id": location_id,
                        **split_address(address),
                        "country": COUNTRY,
                        "address_type": "physical",
                    }
                ]
            sal: Json = {
                "id": sal_id,
                "service_id": service_id,
                "location_id": location_id,
            }
            _put(sal, "description", note)
            if contact.phone:
                phone = {"id": ds.id(f"{key}/phone"), "number": contact.phone}
                _put(phone, "description", name)
                sal["phones"] = [phone]
            _put(
                sal,
                "schedules",
                _schedules(ds, contact, key, {"service_at_location_id": sal_id}),
            )
            sal["location"] = location
            at_locations.append(sal)
            continue
        if not contact.phone:
            continue  # a confidential address with neither phone nor meeting point
        phone = {
            "id": ds.id(f"{key}/phone"),
            "service_id": service_id,
            "number": contact.phone,
        }
        _put(phone, "description", " — ".join(text for text in (name, note) if text))
        phones.append(phone)
        schedules += _schedules(ds, contact, key, {"service_id": service_id}, name)
    return at_locations, phones, schedules


def _kind_label(kind: str) -> str:
    try:
        return str(AssuranceKind(kind).label)
    except ValueError:
        return kind


def _assurance_term(kind: str) -> Json:
    return {
        "id": str(uuid.uuid5(ID_NAMESPACE, f"assurance-kind:{kind}")),
        "code": kind,
        "name": _kind_label(kind),
        "description": ASSURANCE_KIND_DEFINITIONS.get(kind, kind),
        "taxonomy": ASSURANCE_TAXONOMY["name"],
        "taxonomy_id": ASSURANCE_TAXONOMY["id"],
        "taxonomy_detail": dict(ASSURANCE_TAXONOMY),
    }


def _machine_translated_texts(
    ds: Dataset, service: Service
) -> list[tuple[str, Translatable, str]]:
    """(key, record, field) of each of the service's texts that this dataset
    gives as a machine's draft, no person having checked it yet."""
    records: list[tuple[str, Translatable]] = [("service", service)]
    for relation in ("steps", "documents", "contacts", "assurances"):
        records += [
            (f"{relation}:{number}", part)
            for number, part in enumerate(getattr(service, relation).all(), 1)
        ]
    return [
        (key, obj, field)
        for key, obj in records
        for field in translated_fields(type(obj))
        if shown(obj, field, ds.language)[2] == MACHINE
    ]


def _translation_notes(ds: Dataset, service: Service, service_id: str) -> list[Json]:
    term = {
        "id": str(uuid.uuid5(ID_NAMESPACE, "translation-state:machine")),
        "code": MACHINE,
        "name": gettext("Translated by a machine"),
        "description": "A machine translated this text from English; no person "
        "has checked the translation yet. The English is the checked text.",
        "taxonomy": TRANSLATION_TAXONOMY["name"],
        "taxonomy_id": TRANSLATION_TAXONOMY["id"],
        "taxonomy_detail": dict(TRANSLATION_TAXONOMY),
    }
    note = gettext("Translated by a machine and not yet checked by a person:")
    return [
        {
            "id": ds.id(f"service:{service.slug}/translation:{key}:{field}"),
            "link_id": service_id,
            "taxonomy_term_id": term["id"],
            "link_type": TRANSLATION_LINK_TYPE,
            "link_entity": "service",
            "value": f"{note} {ds.text(obj, field)}",
            "taxonomy_term": term,
        }
        for key, obj, field in _machine_translated_texts(ds, service)
    ]


def _attributes(ds: Dataset, service: Service, service_id: str) -> list[Json]:
    attributes = []
    for number, assurance in enumerate(service.assurances.all(), 1):
        term = _assurance_term(assurance.kind)
        attribute: Json = {
            "id": ds.id(f"service:{service.slug}/assurance:{number}"),
            "link_id": service_id,
            "taxonomy_term_id": term["id"],
            "link_type": ASSURANCE_LINK_TYPE,
            "link_entity": "service",
        }
        _put(attribute, "value", ds.text(assurance, "statement"))
        attribute["taxonomy_term"] = term
        attributes.append(attribute)
    return attributes + _translation_notes(ds, service, service_id)


def _assurance_records(ds: Dataset, service: Service) -> list[Json]:
    """The extension's records for one service (see EXTENSION_DESCRIPTION)."""
    service_id = ds.service_id(service)
    records = []
    for number, assurance in enumerate(service.assurances.all(), 1):
        statement, statement_language, reason = shown(
            assurance, "statement", ds.language
        )
        policy = assurance.policy
        rule = None
        if policy is not None:
            rule = {
                "name": ds.text(policy, "name"),
                "citation": ds.text(policy, "citation"),
                "url": policy.official_url,
            }
        records.append(
            {
                "id": ds.id(f"service:{service.slug}/assurance:{number}"),
                "service_id": service_id,
                "kind": assurance.kind,
                "kind_label": _kind_label(assurance.kind),
                "statement": statement.strip(),
                "statement_language": bcp47(statement_language),
                "statement_machine_translated": reason == MACHINE,
                "rule": rule,
                "source_url": assurance.source_url,
                "last_verified_on": assurance.last_verified_on.isoformat()
                if assurance.last_verified_on
                else None,
            }
        )
    return records


def organization(ds: Dataset, *, services: list[Json] | None = None) -> Json:
    """The city (the site profile) as the one HSDS organization."""
    site = ds.site
    name = ds.text(site, "city_name") or ds.text(site, "site_name")
    data: Json = {"id": ds.organization_id, "name": name or "City services guide"}
    _put(data, "alternate_name", ds.text(site, "site_name"))
    data["description"] = ds.text(site, "operator")
    if services is not None:
        data["services"] = services
    return data


def _full_service(ds: Dataset, service: Service) -> Json:
    data = _service_summary(ds, service)
    service_id = data["id"]
    at_locations, phones, schedules = _contact_parts(ds, service, service_id)
    _put(data, "phones", phones)
    _put(data, "schedules", schedules)
    _put(data, "service_at_locations", at_locations)
    data["organization"] = organization(ds)
    _put(
        data,
        "required_documents",
        [
            {
                "id": ds.id(f"service:{service.slug}/document:{number}"),
                "service_id": service_id,
                "document": ds.text(document, "name"),
            }
            for number, document in enumerate(service.documents.all(), 1)
        ],
    )
    _put(data, "attributes", _attributes(ds, service, service_id))
    return data


# Reads used by the views and the export command. Each runs a fixed number of
# queries, whatever the number of services.


# Digits 0-9 only: int() would also take "١٢" and choke on "²".
WHOLE_NUMBER = re.compile(r"[0-9]+")
# Any number longer than this is simply too large to be a page.
LARGEST = 10**9


def parse_page(params: QueryDict) -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1 to MAX_PAGE_SIZE) of a query string."""
    values = []
    for name, default, highest in (
        ("page", 1, None),
        ("per_page", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    ):
        raw = params.get(name, "")
        if raw == "":
            values.append(default)
            continue
        if not WHOLE_NUMBER.fullmatch(raw):
            raise BadRequest(f"{name} must be a whole number, not {raw[:20]!r}.")
        value = int(raw) if len(raw) < len(str(LARGEST)) else LARGEST
        if value < 1 or (highest is not None and value > highest):
            limit = f"from 1 to {highest}" if highest else "1 or more"
            raise BadRequest(f"{name} must be {limit}, not {value}.")
        values.append(value)
    return values[0], values[1]


def _page(
    items_for: Callable[[int, int], list[Json]], total: int, page: int, per_page: int
) -> Json:
    total_pages = math.ceil(total / per_page)
    if page > max(total_pages, 1):
        raise NotFound(
            f"There is no page {page}: there are {total_pages} pages of {per_page}."
        )
    start = (page - 1) * per_page
    contents = items_for(start, start + per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def service_page(
    ds: Dataset, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Json:
    """A page of services with their one-to-one fields, in the HSDS API shape."""
    with translation.override(ds.language):
        services = _published(ds.language)

        def items(start: int, stop: int) -> list[Json]:
            chosen = services.prefetch_related("steps")[start:stop]
            return [_service_summary(ds, service) for service in chosen]

        return _page(items, services.count(), page, per_page)


def _slug_of(ds: Dataset, service_id: str) -> str:
    try:
        wanted = str(uuid.UUID(service_id))
    except ValueError:
        raise NotFound(f"{service_id!r} is not a service id (a UUID).") from None
    for slug in _published(ds.language).values_list("slug", flat=True):
        if ds.id(f"service:{slug}") == wanted:
            return slug
    raise NotFound(f"No published service has the id {service_id}.")


def _one_service(ds: Dataset, service_id: str) -> Service:
    slug = _slug_of(ds, service_id)
    service = with_parts(_published(ds.language)).filter(slug=slug)
    found = list(service)
    if not found:
        raise NotFound(f"No published service has the id {service_id}.")
    return found[0]


def service_detail(ds: Dataset, service_id: str) -> Json:
    """One service, fully nested, or NotFound."""
    with translation.override(ds.language):
        return _full_service(ds, _one_service(ds, service_id))


def service_assurances(ds: Dataset, service_id: str) -> Json:
    """The extension's records for one service, or NotFound."""
    with translation.override(ds.language):
        service = _one_service(ds, service_id)
        return {
            "extension": EXTENSION_NAME,
            "version": EXTENSION_VERSION,
            "language": bcp47(ds.language),
            "service_id": ds.service_id(service),
            "assurances": _assurance_records(ds, service),
        }


def all_services(ds: Dataset) -> list[tuple[Service, Json]]:
    """Every published service: (the record, its HSDS service fully nested)."""
    with translation.override(ds.language):
        services = list(with_parts(_published(ds.language)))
        return [(service, _full_service(ds, service)) for service in services]


def _service_stub(ds: Dataset, service: Service) -> Json:
    return {
        "id": ds.service_id(service),
        "name": ds.text(service, "name"),
        "status": service_status(service, ds.today),
    }


def organization_page(
    ds: Dataset, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Json:
    with translation.override(ds.language):
        return _page(
            lambda start, stop: [organization(ds)][start:stop], 1, page, per_page
        )


def organization_detail(ds: Dataset, organization_id: str) -> Json:
    """The organization with its services' ids and names, or NotFound."""
    try:
        wanted = str(uuid.UUID(organization_id))
    except ValueError:
        raise NotFound(f"{organization_id!r} is not an organization id.") from None
    if wanted != ds.organization_id:
        raise NotFound(f"No organization has the id {organization_id}.")
    with translation.override(ds.language):
        services = _published(ds.language)
        return organization(ds, services=[_service_stub(ds, s) for s in services])


# What the API's root describes: the profile of HSDS the datasets follow.

PROFILE_NAME = "city-services-guide"
PROFILE_DESCRIPTION = (
    "Open Referral HSDS 3.0, one dataset per language, with the guide's "
    f"extension {EXTENSION_NAME} {EXTENSION_VERSION}. Documented in the guide's "
    "README, section 'Open data (Open Referral HSDS 3.0)'."
)
PROFILE_CONVENTIONS = (
    "One dataset per language: HSDS has no multi-language text, so each "
    "language's dataset gives the text a reader of that language sees: the "
    "current translation, else the English. Ids are the same in every language.",
    "Ids are UUIDs derived (uuid5) from the city and the record's web address, "
    "and for parts from their place in the service (for a schedule, also its "
    "days and times); they do not change from one export to the next.",
    "Only published services are given. A confidential address never is: such a "
    "place gives only its name and meeting point, or only its phone.",
    "Each statement of a service's 'Your safety' box is a service attribute with "
    f"link_type '{ASSURANCE_LINK_TYPE}', linked to a term of the taxonomy "
    f"'{ASSURANCE_TAXONOMY['name']}'; in full in the extension.",
    "Each text given as a machine's draft, no person having checked it, is named "
    f"by a service attribute with link_type '{TRANSLATION_LINK_TYPE}'.",
    "Schedules: freq WEEKLY with byday, one record per run of days with the same "
    "hours and per time range. opens_at and closes_at are the city's wall-clock "
    "time (HH:MM); a range that closes at or before it opens ends the next day; "
    f"open all day is {ALL_DAY_OPENS} to {ALL_DAY_CLOSES} with a description "
    "saying so; by appointment has no times. A day without a schedule is "
    "closed, unless the notes say it is not known. timezone is the city's standard UTC "
    "offset; notes name the IANA time zone, whose daylight saving time the times "
    "follow. Other hours for a period have valid_from and valid_to, and the usual "
    "hours stop the day before it and start again the day after. A place closed "
    "on the city's holidays says so in notes, with the next holidays' dates.",
    "status: running is 'active'; a temporary closure is 'temporarily closed' on "
    "the days it covers and 'active' before and after; moved is 'inactive' and "
    "ended is 'defunct'. alert says so in the dataset's language (with the new "
    "address of a moved service), then gives the alerts shown today for the whole "
    "site, the service's category and the service.",
    "status, alert and schedules depend on the day in the city: the ETag and "
    "Last-Modified of each answer change with it, with any change of content and "
    "when an alert starts or ends.",
)


def profile() -> Json:
    """The profile the datasets follow (the API root's `profile` links it)."""
    return {
        "name": PROFILE_NAME,
        "hsds_version": HSDS_VERSION,
        "description": PROFILE_DESCRIPTION,
        "languages": [bcp47(code) for code in LANGUAGE_CODES],
        "conventions": list(PROFILE_CONVENTIONS),
        "extensions": [
            {
                "name": EXTENSION_NAME,
                "version": EXTENSION_VERSION,
                "description": EXTENSION_DESCRIPTION,
            }
        ],
        "schemas": {
            name: SCHEMA_URL.format(name)
            for name in ("service", "organization", "service_at_location")
        },
    }


def freshness(now: datetime.datetime) -> tuple[str, datetime.datetime]:
    """The ETag and Last-Modified of every answer of the API at `now` (one
    query). An answer changes with the content (ContentVersion), the code, the
    day in the city (closures, holidays, period hours) and when an alert starts
    or ends; Last-Modified is the latest of these that has happened."""
    row = (
        ContentVersion.objects.filter(pk=1)
        .annotate(
            started=Subquery(
                Alert.objects.filter(starts_at__lte=now)
                .order_by("-starts_at")
                .values("starts_at")[:1]
            ),
            ended=Subquery(
                Alert.objects.filter(ends_at__lte=now)
                .order_by("-ends_at")
                .values("ends_at")[:1]
            ),
        )
        .values_list("changed_at", "started", "ended")
        .first()
    )
    changed, started, ended = row or (None, None, None)
    today = timezone.localdate(now)
    midnight = datetime.datetime.combine(
        today, datetime.time(0), tzinfo=timezone.get_current_timezone()
    )
    moments = [midnight] + [moment for moment in (changed, started, ended) if moment]
    key = "|".join(
        str(part) for part in (settings.GUIDE_RELEASE, changed, today, started, ended)
    )
    etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
    return etag, max(moments)


# The data package: one directory per language.

PACKAGE_FILES = {
    "services": ("services.json", "HSDS 3.0 services, fully nested.", "service"),
    "organizations": (
        "organizations.json",
        "HSDS 3.0 organizations, with their services' ids and names.",
        "organization",
    ),
    "assurances": ("assurances.json", EXTENSION_DESCRIPTION, None),
}


def _write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def package_slug(ds: Dataset) -> str:
    site_name = text_in(ds.site, "site_name", SOURCE_LANGUAGE) or "city-services-guide"
    slug = re.sub(r"[^a-z0-9]+", "-", site_name.casefold()).strip("-")
    return f"{slug or 'city-services-guide'}-hsds-{ds.language}"


def export_package(language: str, directory: Path) -> list[Path]:
    """Write one language's data package into `directory`; returns the files."""
    ds = dataset(language)
    directory.mkdir(parents=True, exist_ok=True)
    pairs = all_services(ds)
    with translation.override(language):
        services = [data for _service, data in pairs]
        stubs = [_service_stub(ds, service) for service, _data in pairs]
        assurances = [
            record
            for service, _data in pairs
            for record in _assurance_records(ds, service)
        ]
        contents = {
            "services": services,
            "organizations": [organization(ds, services=stubs)],
            "assurances": {
                "extension": EXTENSION_NAME,
                "version": EXTENSION_VERSION,
                "language": bcp47(language),
                "description": EXTENSION_DESCRIPTION,
                "assurances": assurances,
            },
        }
        title = ds.text(ds.site, "site_name") or "City services guide"
    written = []
    resources = []
    for name, (filename, description, schema) in PACKAGE_FILES.items():
        path = directory / filename
        _write_json(path, contents[name])
        written.append(path)
        resource = {
            "name": name,
            "path": filename,
            "profile": "data-resource",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
            "description": description,
        }
        if schema:
            resource["hsds_schema"] = SCHEMA_URL.format(schema)
        else:
            resource["hsds_extension"] = EXTENSION_NAME
        resources.append(resource)
    descriptor = {
        "profile": "data-package",
        "name": package_slug(ds),
        "title": f"{title} (HSDS {HSDS_VERSION}, {LANGUAGE_NAMES[language]})",
        "description": (
            f"Open Referral HSDS {HSDS_VERSION} export of the published services, "
            f"in {LANGUAGE_NAMES[language]}: text not yet translated, or whose "
            "translation is outdated, is in English. Confidential addresses are "
            "left out. Each service's status and alert, and the holidays in its "
            "schedules' notes, are as on the day it was created."
        ),
        "language": bcp47(language),
        "hsds_version": HSDS_VERSION,
        # Status, alerts and schedules are as they were on this day.
        "created": _timestamp(ds.now),
        "resources": resources,
    }
    path = directory / "datapackage.json"
    _write_json(path, descriptor)
    written.append(path)
    return written
