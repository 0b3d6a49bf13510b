"""The HSDS export and API carry what changes with the hours and the day: opening
hours as schedules, whether a service runs (status), its alerts, a root that
says what the API is, and ETags that change when the answer does."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.http import http_date, parse_http_date

from services.models import Alert, Category, ContactPoint, OperatingStatus, Service
from services.opendata import hsds
from services.public import opening
from services.translations import state
from tests.conftest import LANGUAGE_CODES
from tests.test_hsds import QUERY_BUDGET, assert_valid

pytestmark = pytest.mark.django_db

BOSTON = zoneinfo.ZoneInfo(settings.TIME_ZONE)
# A Tuesday in winter (Eastern Standard Time), and a day in summer (daylight time).
WINTER = datetime.datetime(2027, 1, 12, 15, 0, tzinfo=BOSTON)
SUMMER = datetime.datetime(2027, 7, 1, 12, 0, tzinfo=BOSTON)
WEEKDAYS = "MO,TU,WE,TH,FR"
NINE_TO_FIVE = [["09:00", "17:00"]]


def export(service, language="en", now=WINTER):
    ds = hsds.dataset(language, now=now)
    return hsds.service_detail(ds, ds.service_id(service))


def schedules_at_location(data):
    return data["service_at_locations"][0].get("schedules", [])


def times(schedules):
    """What a data user reads first: the days, and when it opens and closes."""
    return {(s["byday"], s.get("opens_at"), s.get("closes_at")) for s in schedules}


def with_hours(service, hours, **fields):
    contact = service.contacts.get()
    contact.opening_hours = hours
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    return contact


def day_text(day, language="en"):
    with translation.override(language):
        return opening.day_text(day)


# --- Schedules ----------------------------------------------------------------------


def test_weekday_hours_are_grouped_by_days_with_the_same_hours(make_service):
    service = make_service()
    lunch_break = [["09:00", "12:00"], ["13:00", "17:00"]]
    week = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), lunch_break)
    week |= {"sat": [["10:00", "14:00"]], "sun": "closed"}
    with_hours(
        service, {"week": week}, hours_en="Last entry 30 minutes before closing."
    )
    data = export(service)
    sal = data["service_at_locations"][0]
    schedules = schedules_at_location(data)

    # A lunch break is two ranges of the same days; Sunday (closed) has none.
    assert times(schedules) == {
        (WEEKDAYS, "09:00", "12:00"),
        (WEEKDAYS, "13:00", "17:00"),
        ("SA", "10:00", "14:00"),
    }
    for schedule in schedules:
        assert schedule["service_at_location_id"] == sal["id"]
        assert schedule["freq"] == "WEEKLY"
        assert schedule["timezone"] == -5
        assert "valid_from" not in schedule and "valid_to" not in schedule
        assert schedule["notes"].startswith("Last entry 30 minutes before closing.")
        assert "Not known" not in schedule["notes"]  # every day is given
    saturday = next(s for s in schedules if s["byday"] == "SA")
    assert saturday["description"].startswith("Saturday: ")
    weekdays = next(s for s in schedules if s["byday"] == WEEKDAYS)
    assert weekdays["description"].startswith(
        "Monday, Tuesday, Wednesday, Thursday, Friday: "
    )
    # The old free-text-only schedule is gone: every schedule has its days.
    assert all(schedule.get("byday") for schedule in schedules)
    assert_valid("service", data)


def test_a_range_past_midnight_closes_before_it_opens(make_service):
    service = make_service()
    with_hours(
        service,
        {
            "week": {
                "fri": [["18:00", "02:00"]],
                "sat": [["18:00", "02:00"]],
                "sun": [["20:00", "24:00"]],
            }
        },
    )
    schedules = schedules_at_location(export(service))
    # Opens Friday and Saturday evening, closes at 2 the next morning; Sunday
    # closes at midnight.
    assert times(schedules) == {("FR,SA", "18:00", "02:00"), ("SU", "20:00", "00:00")}


def test_a_place_open_all_week_is_one_schedule_of_whole_days(make_service):
    service = make_service()
    every_day = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    with_hours(service, {"week": dict.fromkeys(every_day, "all_day")})
    (schedule,) = schedules_at_location(export(service))
    assert schedule["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    assert (schedule["opens_at"], schedule["closes_at"]) == ("00:00", "23:59")
    assert schedule["description"] == "Every day: Open 24 hours"


def test_a_day_by_appointment_has_a_schedule_without_times(make_service):
    service = make_service()
    week = dict.fromkeys(("mon", "tue", "wed", "thu"), NINE_TO_FIVE)
    with_hours(service, {"week": week | {"fri": "appointment"}})
    schedules = schedules_at_location(export(service))
    assert times(schedules) == {("MO,TU,WE,TH", "09:00", "17:00"), ("FR", None, None)}
    friday = next(s for s in schedules if s["byday"] == "FR")
    assert friday["description"] == "Friday: By appointment"
    # The weekend is neither open nor closed: nobody knows.
    assert "Saturday, Sunday: Not known: call to ask" in friday["notes"]


def test_hours_for_a_period_have_their_dates_and_the_usual_hours_give_way(
    make_service,
):
    service = make_service()
    with_hours(
        service,
        {
            "week": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), NINE_TO_FIVE),
            "period": {
                "from": "2027-06-21",
                "until": "2027-09-03",
                "week": {day: [["10:00", "14:00"]] for day in ("mon", "tue")},
            },
        },
    )

    def validity(now):
        return {
            (s.get("valid_from"), s.get("valid_to"), s["byday"], s["opens_at"])
            for s in schedules_at_location(export(service, now=now))
        }

    # In winter: the usual hours until the summer hours, then again after them.
    assert validity(WINTER) == {
        (None, "2027-06-20", WEEKDAYS, "09:00"),
        ("2027-06-21", "2027-09-03", "MO,TU", "10:00"),
        ("2027-09-04", None, WEEKDAYS, "09:00"),
    }
    summer = [
        s
        for s in schedules_at_location(export(service))
        if s.get("valid_from") == "2027-06-21"
    ]
    assert summer[0]["description"].startswith(
        f"From {day_text(datetime.date(2027, 6, 21))} to "
        f"{day_text(datetime.date(2027, 9, 3))}"
    )
    # During the summer hours, what ended is no longer given.
    assert validity(SUMMER) == {
        ("2027-06-21", "2027-09-03", "MO,TU", "10:00"),
        ("2027-09-04", None, WEEKDAYS, "09:00"),
    }
    # Once they are over, only the usual hours remain, for good.
    autumn = datetime.datetime(2027, 10, 1, 12, tzinfo=BOSTON)
    assert validity(autumn) == {(None, None, WEEKDAYS, "09:00")}


def test_times_are_the_citys_wall_clock_with_its_standard_offset_and_zone_name(
    make_service,
):
    service = make_service()
    with_hours(service, {"week": {"mon": NINE_TO_FIVE}})
    for now in (WINTER, SUMMER):
        for language in ("en", "es"):
            (schedule,) = schedules_at_location(export(service, language, now))
            # HSDS's timezone is a number (a UTC offset): Boston's standard one.
            assert schedule["timezone"] == -5
            assert schedule["opens_at"] == "09:00"
            assert "America/New_York" in schedule["notes"]
            assert "UTC-05:00" in schedule["notes"]
            assert "UTC-04:00" in schedule["notes"]


def test_a_place_closed_on_holidays_names_the_next_ones(
    make_service, client, django_assert_max_num_queries
):
    service = make_service()
    with_hours(
        service,
        {"week": {"mon": NINE_TO_FIVE, "tue": NINE_TO_FIVE}},
        closed_on_holidays=True,
    )
    (schedule,) = schedules_at_location(export(service))
    notes = schedule["notes"]
    assert "Closed on city holidays." in notes
    # The next holidays after Jan. 12, 2027, with their dates; not those past.
    assert f"Closed {day_text(datetime.date(2027, 1, 18))}" in notes
    assert "Martin Luther King Jr. Day" in notes
    assert "Presidents' Day" in notes
    assert "New Year's Day" not in notes
    spanish = schedules_at_location(export(service, "es"))[0]["notes"]
    assert day_text(datetime.date(2027, 1, 18), "es") in spanish
    assert "enero" in spanish

    with_hours(service, {"week": {"mon": NINE_TO_FIVE}}, closed_on_holidays=False)
    (schedule,) = schedules_at_location(export(service))
    assert "holiday" not in schedule["notes"]

    # Still a few queries for a service whose place closes on holidays.
    with_hours(service, {"week": {"mon": NINE_TO_FIVE}}, closed_on_holidays=True)
    ds = hsds.dataset("en")
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert (
            client.get(f"/hsds/en/services/{ds.service_id(service)}/").status_code
            == 200
        )


def test_a_place_without_an_address_gives_the_service_its_schedules(make_service):
    service = make_service()
    with_hours(service, {"week": {"mon": NINE_TO_FIVE}}, address="")
    data = export(service)
    assert "service_at_locations" not in data
    (schedule,) = data["schedules"]
    assert schedule["service_id"] == data["id"]
    assert schedule["description"].startswith("Front desk: Monday: ")
    assert_valid("service", data)


def test_a_note_without_hours_stays_a_free_text_schedule(make_service):
    service = make_service()
    with_hours(service, {}, hours_en="Call to ask.")
    (schedule,) = schedules_at_location(export(service))
    assert schedule["description"] == "Call to ask."
    assert "byday" not in schedule
    with_hours(service, {}, hours_en="")
    assert schedules_at_location(export(service)) == []


def test_schedule_ids_are_unique_and_the_same_in_every_language(make_service):
    service = make_service()
    with_hours(
        service,
        {
            "week": {"mon": NINE_TO_FIVE, "tue": "appointment", "sun": "all_day"},
            "period": {
                "from": "2027-06-21",
                "until": "2027-09-03",
                "week": {"mon": [["10:00", "14:00"]]},
            },
        },
    )
    english = [s["id"] for s in schedules_at_location(export(service, "en"))]
    assert len(english) == len(set(english)) == 7
    for language in ("ar", "zh-hant"):
        assert [s["id"] for s in schedules_at_location(export(service, language))] == (
            english
        )


# --- Status and alerts ------------------------------------------------------------

CLOSURE = {"operating_status": OperatingStatus.TEMPORARILY_CLOSED}


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, "active"),
        (
            CLOSURE
            | {
                "closed_from": datetime.date(2027, 1, 4),
                "closed_until": datetime.date(2027, 1, 20),
            },
            "temporarily closed",
        ),
        (CLOSURE | {"closed_from": datetime.date(2027, 1, 12)}, "temporarily closed"),
        # Not yet closed, and no longer closed: running.
        (CLOSURE | {"closed_from": datetime.date(2027, 2, 1)}, "active"),
        (
            CLOSURE
            | {
                "closed_from": datetime.date(2026, 12, 1),
                "closed_until": datetime.date(2027, 1, 11),
            },
            "active",
        ),
        (
            {
                "operating_status": OperatingStatus.MOVED,
                "moved_to": "https://www.boston.gov/new-place",
            },
            "inactive",
        ),
        ({"operating_status": OperatingStatus.ENDED}, "defunct"),
    ],
)
def test_the_status_says_whether_the_service_runs_today(make_service, fields, status):
    service = make_service(**fields)
    service.full_clean()
    data = export(service)
    assert data["status"] == status
    ds = hsds.dataset("en", now=WINTER)
    listed = hsds.service_page(ds, per_page=hsds.MAX_PAGE_SIZE)["contents"]
    assert next(s for s in listed if s["id"] == data["id"])["status"] == status
    organization = hsds.organization_detail(ds, ds.organization_id)
    stub = next(s for s in organization["services"] if s["id"] == data["id"])
    assert stub["status"] == status
    assert_valid("service", data)


def test_the_alert_says_why_and_until_when_a_service_is_closed(make_service):
    service = make_service(
        **CLOSURE,
        closed_from=datetime.date(2027, 1, 4),
        closed_until=datetime.date(2027, 1, 20),
        status_note_en="Closed for repairs.",
    )
    alert = export(service)["alert"]
    assert "Closed for repairs." in alert
    assert day_text(datetime.date(2027, 1, 20)) in alert  # its last day
    assert day_text(datetime.date(2027, 1, 21)) in alert  # open again

    # Before the closure the service runs, and the alert says it will close.
    ahead = export(service, now=datetime.datetime(2026, 12, 28, 12, tzinfo=BOSTON))
    assert ahead["status"] == "active"
    assert day_text(datetime.date(2027, 1, 4)) in ahead["alert"]
    # After it, nothing is left to say.
    after = export(service, now=datetime.datetime(2027, 1, 21, 9, tzinfo=BOSTON))
    assert after["status"] == "active"
    assert "alert" not in after


def test_the_alert_of_a_moved_service_gives_its_new_address(make_service):
    service = make_service(
        operating_status=OperatingStatus.MOVED,
        moved_to="https://www.boston.gov/new-place",
        status_note_en="Now at City Hall.",
    )
    alert = export(service)["alert"]
    assert "https://www.boston.gov/new-place" in alert
    assert "Now at City Hall." in alert
    assert "alert" not in export(make_service("still-here"))


def _alert(slug, text, *, starts, ends, **place):
    return Alert.objects.create(
        slug=slug, text_en=text, starts_at=starts, ends_at=ends, **place
    )


def test_alerts_of_the_site_the_category_and_the_service_shown_today(make_service):
    service = make_service(
        **CLOSURE, closed_from=datetime.date(2027, 1, 12), status_note_en="Flooded."
    )
    neighbour = make_service("test-neighbour")  # the same category
    elsewhere = make_service("test-elsewhere", category="test-elsewhere")
    day = datetime.timedelta(days=1)
    everywhere = _alert(
        "snow", "Snow: offices open late.", starts=WINTER - day, ends=WINTER + day
    )
    everywhere.text_es = "Nieve: las oficinas abren tarde."
    state.mark(everywhere, "es", ["text"], state.REVIEWED)
    everywhere.save()
    _alert(
        "clinics",
        "Clinics: bring your own mask.",
        starts=WINTER - 2 * day,
        ends=WINTER + day,
        category=Category.objects.get(slug="test-help"),
    )
    _alert(
        "heating",
        "Heating repairs this week.",
        starts=WINTER - 3 * day,
        ends=WINTER + day,
        service=service,
    )
    _alert("over", "Was closed Monday.", starts=WINTER - 3 * day, ends=WINTER - day)
    _alert("later", "Will close Friday.", starts=WINTER + day, ends=WINTER + 2 * day)

    paragraphs = export(service)["alert"].split("\n\n")
    # The closure first, then today's alerts, the earliest first.
    assert "Flooded." in paragraphs[0]
    assert paragraphs[1:] == [
        "Heating repairs this week.",
        "Clinics: bring your own mask.",
        "Snow: offices open late.",
    ]
    assert export(neighbour)["alert"].split("\n\n") == [
        "Clinics: bring your own mask.",
        "Snow: offices open late.",
    ]
    assert export(elsewhere)["alert"] == "Snow: offices open late."
    assert export(elsewhere, "es")["alert"] == "Nieve: las oficinas abren tarde."
    # The next day the alerts shown that day have ended.
    assert "alert" not in export(elsewhere, now=WINTER + 2 * day)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_hours_status_and_alerts_stay_valid_hsds_in_every_language(
    make_service, language
):
    service = make_service(
        **CLOSURE, closed_from=datetime.date(2027, 1, 4), status_note_en="Repairs."
    )
    with_hours(
        service,
        {
            "week": {
                "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
                "tue": "appointment",
                "fri": [["18:00", "02:00"]],
                "sun": "all_day",
            },
            "period": {
                "from": "2027-06-21",
                "until": "2027-09-03",
                "week": {"mon": [["10:00", "14:00"]]},
            },
        },
        closed_on_holidays=True,
    )
    ContactPoint.objects.create(
        service=service,
        position=2,
        name_en="Hotline",
        phone="617-555-0199",
        opening_hours={"week": {"sat": "all_day"}},
    )
    make_service(
        "test-moved",
        operating_status=OperatingStatus.MOVED,
        moved_to="https://www.boston.gov/moved",
    )
    make_service("test-ended", operating_status=OperatingStatus.ENDED)
    _alert(
        "everywhere",
        "A notice for every page.",
        starts=WINTER - datetime.timedelta(days=1),
        ends=WINTER + datetime.timedelta(days=1),
    )
    ds = hsds.dataset(language, now=WINTER)
    pairs = hsds.all_services(ds)
    assert {data["status"] for _service, data in pairs} >= {
        "temporarily closed",
        "inactive",
        "defunct",
        "active",
    }
    for _service, data in pairs:
        assert_valid("service", data)
        assert data["alert"]
    for item in hsds.service_page(ds, per_page=hsds.MAX_PAGE_SIZE)["contents"]:
        assert_valid("service", item)
    assert_valid("organization", hsds.organization_detail(ds, ds.organization_id))
    ours = next(data for s, data in pairs if s.pk == service.pk)
    # The usual week (5) until the period, the period (1), the usual week again.
    assert len(schedules_at_location(ours)) == 11
    assert ours["schedules"][0]["byday"] == "SA"


# --- The API's root ---------------------------------------------------------------


def test_the_root_gives_the_version_the_profile_and_the_endpoints(client, make_service):
    service = make_service()
    root = client.get("/hsds/").json()
    assert root["version"] == "3.0"
    assert root["profile"] == "http://testserver/hsds/profile/"
    assert len(root["datasets"]) == len(LANGUAGE_CODES)

    profile = client.get(root["profile"]).json()
    assert profile["hsds_version"] == "3.0"
    assert "one dataset per language" in profile["description"].lower()
    assert [e["name"] for e in profile["extensions"]] == [hsds.EXTENSION_NAME]
    assert any("timezone" in convention for convention in profile["conventions"])
    assert "README" in profile["description"]

    ds = hsds.dataset("es")
    values = {
        "{language}": "es",
        "{id}": ds.service_id(service),
    }
    for endpoint in root["endpoints"]:
        url = endpoint["url_template"]
        if "organizations/{id}" in url:
            url = url.replace("{id}", ds.organization_id)
        for name, value in values.items():
            url = url.replace(name, value)
        assert endpoint["description"]
        assert client.get(url).status_code == 200, url
    for dataset in root["datasets"]:
        language_root = client.get(dataset["url"]).json()
        assert language_root["version"] == "3.0"
        assert language_root["profile"] == root["profile"]


# --- ETag and Last-Modified ------------------------------------------------------


def api_urls():
    ds = hsds.dataset("ht")
    service_id = ds.service_id(Service.objects.get(slug="safelink", draft_of=None))
    return [
        "/hsds/",
        "/hsds/profile/",
        "/hsds/ht/",
        "/hsds/ht/services/",
        f"/hsds/ht/services/{service_id}/",
        f"/hsds/ht/services/{service_id}/assurances/",
        "/hsds/ht/organizations/",
        f"/hsds/ht/organizations/{ds.organization_id}/",
    ]


def test_a_client_that_has_the_answer_gets_a_304(client, django_assert_max_num_queries):
    for url in api_urls():
        response = client.get(url)
        assert response.status_code == 200
        etag, last_modified = response["ETag"], response["Last-Modified"]
        assert response["Cache-Control"] == "no-cache"
        # Asking again costs one query and no body.
        with django_assert_max_num_queries(1):
            again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == etag
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert since.status_code == 304, url
        older = http_date(parse_http_date(last_modified) - 3600)
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    assert client.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # An error has nothing to keep.
    for url in ("/hsds/xx/services/", "/hsds/en/nothing-here/"):
        assert "ETag" not in client.get(url)


def test_the_etag_changes_with_the_content_the_day_and_an_alert(client, monkeypatch):
    url = api_urls()[4]
    first = client.get(url)

    # A caseworker's edit.
    safelink = Service.objects.get(slug="safelink", draft_of=None)
    safelink.save()
    edited = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert edited.status_code == 200
    assert edited["ETag"] != first["ETag"]

    # The next day, at 10:00 in Boston: a closure, holiday or period may begin.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    morning = datetime.datetime.combine(tomorrow, datetime.time(10), tzinfo=BOSTON)
    monkeypatch.setattr(timezone, "now", lambda: morning)
    next_day = client.get(url, HTTP_IF_NONE_MATCH=edited["ETag"])
    assert next_day.status_code == 200
    assert next_day["ETag"] != edited["ETag"]
    midnight = datetime.datetime.combine(tomorrow, datetime.time(0), tzinfo=BOSTON)
    assert next_day["Last-Modified"] == http_date(midnight.timestamp())

    # An alert that starts at 11:00: at 10:00 it is not shown, at 11:30 it is.
    eleven = morning + datetime.timedelta(hours=1)
    _alert("later", "Phones down.", starts=eleven, ends=eleven + datetime.timedelta(1))
    before = client.get(url)
    assert "Phones down." not in before.json().get("alert", "")
    half_past = eleven + datetime.timedelta(minutes=30)
    monkeypatch.setattr(timezone, "now", lambda: half_past)
    during = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert during.status_code == 200
    assert during.json()["alert"] == "Phones down."
    assert during["Last-Modified"] == http_date(eleven.timestamp())
