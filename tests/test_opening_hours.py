"""Is it open now, and is it still there: what a resident reads at a given
moment, in their language, and what a caseworker writes in the weekly grid."""

import datetime
from html import unescape
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from config.languages import LANGUAGES
from services.admin.hours_grid import parse_times
from services.hours import clock, week
from services.models import Alert, ContactPoint, Holiday, OperatingStatus, Service
from services.public import opening
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db

BOSTON = ZoneInfo("America/New_York")
OFFICE = {
    "week": {
        **{day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
        "sat": "closed",
        "sun": "closed",
    }
}
SERVICE_URL = "/{language}/city-services/boston-311/"


def at(text: str) -> datetime.datetime:
    """A moment on Boston's wall clock: "2027-11-22 16:59"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BOSTON)


def line(hours, moment, *, language="en", holidays=None, on_holidays=False):
    contact = ContactPoint(opening_hours=hours, closed_on_holidays=on_holidays)
    with translation.override(language):
        return opening.contact_hours(contact, moment, holidays or {}).line


THANKSGIVING = {
    datetime.date(2027, 11, 25): Holiday(
        day=datetime.date(2027, 11, 25),
        name_en="Thanksgiving Day",
        name_ar="عيد الشكر",
        name_zh_hans="感恩节",
        name_ht="Jou Aksyon de Gras",
    )
}


# Monday 22 November 2027 is an ordinary working day; Thursday 25 is Thanksgiving.
@pytest.mark.parametrize(
    ("moment", "hours", "options", "english"),
    [
        ("2027-11-22 16:59", OFFICE, {}, "Open now · closes at 5:00 PM"),
        ("2027-11-22 17:01", OFFICE, {}, "Closed now · opens tomorrow at 9:00 AM"),
        ("2027-11-22 07:00", OFFICE, {}, "Closed now · opens at 9:00 AM"),
        ("2027-11-26 17:01", OFFICE, {}, "Closed now · opens Monday at 9:00 AM"),
        (
            "2027-11-25 10:00",
            OFFICE,
            {"holidays": THANKSGIVING, "on_holidays": True},
            "Closed today: Thanksgiving Day",
        ),
        (
            "2027-11-24 18:00",
            OFFICE,
            {"holidays": THANKSGIVING, "on_holidays": True},
            "Closed now · opens Friday at 9:00 AM",
        ),
        ("2027-11-22 10:00", {"week": {"mon": "appointment"}}, {}, "By appointment"),
        (
            "2027-11-22 03:00",
            {"week": dict.fromkeys(week.DAY_KEYS, "all_day")},
            {},
            "Open 24 hours",
        ),
        # Friday 18:00 to 2:00: still open in the small hours of Saturday.
        (
            "2027-11-27 01:30",
            {"week": {"fri": [["18:00", "02:00"]]}},
            {},
            "Open now · closes at 2:00 AM",
        ),
        # Summer hours from 21 June: 10 to 2 on Mondays; before, the usual.
        (
            "2027-06-21 13:00",
            {
                **OFFICE,
                "period": {
                    "from": "2027-06-21",
                    "until": "2027-09-03",
                    "week": {"mon": [["10:00", "14:00"]]},
                },
            },
            {},
            "Open now · closes at 2:00 PM",
        ),
        (
            "2027-06-18 16:00",
            {
                **OFFICE,
                "period": {
                    "from": "2027-06-21",
                    "until": "2027-09-03",
                    "week": {"mon": [["10:00", "14:00"]]},
                },
            },
            {},
            "Open now · closes at 5:00 PM",
        ),
        # Sunday 14 March 2027: clocks go forward at 2:00.
        (
            "2027-03-14 08:30",
            {"week": {"sun": [["09:00", "17:00"]]}},
            {},
            "Closed now · opens at 9:00 AM",
        ),
    ],
)
def test_the_open_line_for_every_kind_of_day(moment, hours, options, english):
    assert line(hours, at(moment), **options) == english
    # In Arabic, Chinese and Haitian Creole: the language's own words and clock.
    for language, clock_text in [("ar", "م"), ("zh-hans", ":"), ("ht", ":")]:
        translated = line(hours, at(moment), language=language, **options)
        assert translated and translated != english, language
        if "PM" in english:
            assert clock_text in translated
    if "Thanksgiving" in english:
        assert "عيد الشكر" in line(hours, at(moment), language="ar", **options)
        assert "Aksyon de Gras" in line(hours, at(moment), language="ht", **options)


def test_times_follow_each_languages_clock():
    moment = at("2027-11-22 16:00")
    assert line(OFFICE, moment, language="ar").endswith("5:00 م")
    assert "17:00" in line(OFFICE, moment, language="zh-hans")
    assert "17:00" in line(OFFICE, moment, language="ht")
    assert "5:00 GD" in line(OFFICE, moment, language="so")


def test_on_the_day_clocks_change_the_opening_is_on_the_wall_clock():
    hours = week.read({"week": {"sun": [["09:00", "17:00"]]}})
    state = clock.open_state(
        hours, at("2027-03-14 08:30"), holidays={}, closed_on_holidays=False
    )
    # 9:00 daylight time is 13:00 UTC, not 14:00.
    assert state.at == datetime.datetime(2027, 3, 14, 13, 0, tzinfo=datetime.UTC)


def set_hours(hours=OFFICE, **fields):
    contact = Service.objects.get(slug="boston-311").contacts.first()
    contact.opening_hours = hours
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    return contact


def page_at(client, moment, language="en", **headers):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return client.get(SERVICE_URL.format(language=language), **headers)


def test_a_cached_page_says_closed_once_closing_time_has_passed(client):
    set_hours()
    before = page_at(client, at("2027-11-22 16:59"))
    assert "Open now · closes at 5:00 PM" in before.content.decode()
    # Cached: the same answer a few seconds later, without rendering again.
    assert page_at(client, at("2027-11-22 16:59:30")).content == before.content
    after = page_at(client, at("2027-11-22 17:01"))
    assert "Closed now · opens tomorrow at 9:00 AM" in after.content.decode()
    # A browser that kept the 4:59 page is sent the new one, not a 304.
    again = page_at(client, at("2027-11-22 17:01"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 200 and again["ETag"] != before["ETag"]


def test_a_holiday_shows_as_closed_in_all_12_languages(client):
    set_hours(closed_on_holidays=True)
    holiday = Holiday.objects.get(slug="thanksgiving-day-2027")
    for code, _name in LANGUAGES:
        page = page_at(client, at("2027-11-25 10:00"), language=code)
        html = unescape(page.content.decode())
        with translation.override(code):
            expected = translation.gettext("Closed today: %(holiday)s") % {
                "holiday": holiday.name
            }
        assert expected in html, code


def test_alerts_appear_and_disappear_by_themselves(client):
    Alert.objects.create(
        slug="lines-down",
        text_en="311 phone lines are down this morning. Use the 311 app.",
        starts_at=at("2027-11-22 08:00"),
        ends_at=at("2027-11-22 12:00"),
    )
    text = "311 phone lines are down this morning."
    assert text not in page_at(client, at("2027-11-22 07:59")).content.decode()
    assert text in page_at(client, at("2027-11-22 08:00")).content.decode()
    assert text not in page_at(client, at("2027-11-22 12:00")).content.decode()


def test_an_alert_shows_only_on_its_place(client):
    other = Service.objects.published().exclude(category__slug="city-services").first()
    Alert.objects.create(
        slug="only-311",
        text_en="Only on 311's page.",
        service=Service.objects.get(slug="boston-311"),
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert (
        "Only on 311" in client.get(SERVICE_URL.format(language="en")).content.decode()
    )
    assert "Only on 311" not in client.get(other.get_absolute_url()).content.decode()


def test_a_temporarily_closed_service_says_so_everywhere_then_reopens(client):
    service = Service.objects.get(slug="boston-311")
    service.operating_status = OperatingStatus.TEMPORARILY_CLOSED
    service.closed_from = datetime.date(2027, 11, 20)
    service.closed_until = datetime.date(2027, 11, 23)
    service.status_note_en = "Closed for a move to a new building."
    service.save()
    moment = at("2027-11-22 10:00")
    pages = [
        SERVICE_URL.format(language="en"),
        SERVICE_URL.format(language="en") + "print/",
        f"/en/referral/{service.pk}/",
        "/en/search/?q=311",
        "/en/city-services/",
    ]
    with mock.patch("django.utils.timezone.now", return_value=moment):
        for url in pages:
            assert "Temporarily closed." in client.get(url).content.decode(), url
    # The day after its last day, it runs again without anyone editing it.
    with mock.patch("django.utils.timezone.now", return_value=at("2027-11-24 09:00")):
        for url in pages:
            assert "Temporarily closed." not in client.get(url).content.decode(), url


def test_a_service_that_ended_or_moved_says_so_at_the_top(client):
    service = Service.objects.get(slug="boston-311")
    service.operating_status = OperatingStatus.MOVED
    service.moved_to = "https://www.boston.gov/departments/311"
    service.save()
    html = client.get(SERVICE_URL.format(language="es")).content.decode()
    with translation.override("es"):
        assert translation.gettext("This service has moved.") in html
    assert 'href="https://www.boston.gov/departments/311"' in html
    service.operating_status = OperatingStatus.ENDED
    service.save()
    html = client.get(SERVICE_URL.format(language="en")).content.decode()
    assert "This service is no longer offered." in html


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("9:00-17:00", [["09:00", "17:00"]]),
        ("9am-5pm", [["09:00", "17:00"]]),
        ("9-5pm", [["09:00", "17:00"]]),
        ("1-5pm", [["13:00", "17:00"]]),
        ("9-12, 13-17", [["09:00", "12:00"], ["13:00", "17:00"]]),
        ("18:00 to 2:00", [["18:00", "02:00"]]),
        ("8.30–16.30", [["08:30", "16:30"]]),
    ],
)
def test_times_are_read_as_people_write_them(written, stored):
    assert parse_times(written) == stored


@pytest.mark.parametrize("written", ["9-5", "25:00-26:00", "noon", "9-9", "13pm-2pm"])
def test_times_that_could_be_misread_are_asked_about(written):
    with pytest.raises(ValidationError):
        parse_times(written)


def grid(prefix, days):
    data = {}
    for key in week.DAY_KEYS:
        kind, times = days.get(key, ("", ""))
        data[f"{prefix}_{key}_kind"] = kind
        data[f"{prefix}_{key}_times"] = times
        data[f"{prefix}_period_{key}_kind"] = ""
        data[f"{prefix}_period_{key}_times"] = ""
    data[f"{prefix}_period_from"] = data[f"{prefix}_period_until"] = ""
    return data


def test_the_weekly_grid_saves_a_week_with_same_as_monday(staff_client):
    service = Service.objects.get(slug="boston-311")
    url = admin_url(Service, "change", service.pk)
    data = form_data(staff_client.get(url))
    data.update(
        grid(
            "contacts-0-opening_hours",
            {
                "mon": ("", "9am-5pm"),
                **dict.fromkeys(("tue", "wed", "thu", "fri"), ("same", "")),
                "sat": ("closed", ""),
                "sun": ("closed", ""),
            },
        )
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    contact = service.contacts.order_by("position", "id").first()
    assert contact.opening_hours == OFFICE


def test_a_wrong_time_in_the_grid_is_refused_with_its_day(staff_client):
    service = Service.objects.get(slug="boston-311")
    url = admin_url(Service, "change", service.pk)
    data = form_data(staff_client.get(url))
    data.update(grid("contacts-0-opening_hours", {"wed": ("", "9-5")}))
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Wednesday" in response.content.decode()
    assert "17:00 or 5 pm" in response.content.decode()
    contact = service.contacts.order_by("position", "id").first()
    assert contact.opening_hours["week"]["wed"] == "all_day"  # nothing written


def test_needs_attention_keeps_hours_and_status_current(staff_client):
    service = Service.objects.get(slug="boston-311")
    service.operating_status = OperatingStatus.TEMPORARILY_CLOSED
    service.closed_from = timezone.localdate() - datetime.timedelta(days=40)
    service.closed_until = timezone.localdate() + datetime.timedelta(days=2)
    service.save()
    Alert.objects.create(
        slug="old-news",
        text_en="An alert that has ended.",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    html = staff_client.get(reverse("admin:attention")).content.decode()
    for heading in (
        "Temporary closures that end this week",
        "Closed for more than 30 days",
        "Alerts that have ended",
        "Contact points with no opening hours",
    ):
        section = html.split(heading, 1)[1].split("<h2", 1)[0]
        assert (
            "Boston 311" in section
            or "An alert that has ended" in section
            or ("Mayor" in section)
        ), heading
    Holiday.objects.filter(day__year=timezone.localdate().year + 1).delete()
    html = staff_client.get(reverse("admin:attention")).content.decode()
    assert f"The holidays of {timezone.localdate().year + 1} are missing" in html
