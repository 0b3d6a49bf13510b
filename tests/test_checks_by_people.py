"""A date means a person checked: the sample, gathered from research notes, says
when its sources were gathered and that nobody has checked it, until a reviewer
records a check ("Still correct", or publishing with a check)."""

import datetime
import html

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from services.models import Guide, Policy, Service, Status
from services.workflow import actions, attention, roles
from tests.conftest import LANGUAGE_CODES
from tests.test_admin import admin_url, form_data
from tests.test_translations import person

pytestmark = pytest.mark.django_db

GATHERED = datetime.date(2026, 11, 1)
SCHOOLS = "/{language}/schools/public-schools/"


def schools():
    return Service.objects.get(slug="public-schools", draft_of=None)


def day(value, language):
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def unchecked_page_sentence(language):
    with translation.override(language):
        return gettext(
            "The facts on this page were gathered from public sources on %(date)s. "
            "No person has checked them against those sources yet: call to "
            "confirm before you rely on them."
        ) % {"date": day(GATHERED, language)}


def said(language, message, **values):
    with translation.override(language):
        return gettext(message) % values


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_an_unchecked_page_says_so_in_every_language(client, language):
    page = client.get(SCHOOLS.format(language=language)).content.decode()
    assert unchecked_page_sentence(language) in page
    assert said(language, "Not yet checked by a person") in page
    # No sentence of a check anywhere: not for the page, nor for a statement.
    checked = said(language, "Last checked %(date)s", date="")
    assert checked.strip() not in page


def test_a_check_a_reviewer_records_is_what_residents_see(client):
    reviewer = person("rev", roles.REVIEWER)
    actions.content_verify(obj=schools(), user=reviewer)
    today = timezone.localdate()
    page = client.get(SCHOOLS.format(language="es")).content.decode()
    assert (
        said(
            "es",
            "A person last checked this page against its sources on %(date)s.",
            date=day(today, "es"),
        )
        in page
    )
    assert said("es", "Last checked %(date)s", date=day(today, "es")) in page
    assert unchecked_page_sentence("es") not in page
    assert said("es", "Not yet checked by a person") not in page


@pytest.mark.parametrize(
    "address",
    [
        "/ar/policies/boston-trust-act/",
        "/ar/guides/know-your-rights/",
        "/ar/schools/public-schools/print/",
    ],
)
def test_rules_guides_and_handouts_say_when_their_sources_were_gathered(
    client, address
):
    page = client.get(address).content.decode()
    assert unchecked_page_sentence("ar") in page


def test_a_date_of_a_check_cannot_be_typed_into_the_form(staff_client):
    service = schools()
    url = admin_url(Service, "change", service.pk)
    data = form_data(staff_client.get(url))
    assert "last_verified_on" not in data
    data["last_verified_on"] = "2026-12-01"
    data["assurances-0-last_verified_on"] = "2026-12-01"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.last_verified_on is None
    assert service.assurances.filter(last_verified_on=None).count() == 6


def test_a_reviewer_can_publish_with_a_check(client):
    reviewer = person("rev", roles.REVIEWER)
    client.force_login(reviewer)
    draft = actions.draft_start(original=schools(), user=reviewer)
    page = client.get(admin_url(Service, "change", draft.pk)).content.decode()
    assert "I checked each statement against its source today" in page
    response = client.post(
        admin_url(Service, "publish", draft.pk), {"checked": "yes"}, follow=True
    )
    assert "Recorded as checked against its sources today." in (
        response.content.decode()
    )
    service = schools()
    assert service.last_verified_on == timezone.localdate()
    assert service.verified_by == "rev"
    assert set(service.assurances.values_list("last_verified_on", flat=True)) == {
        timezone.localdate()
    }


def test_publishing_without_the_box_records_no_check(client):
    reviewer = person("rev", roles.REVIEWER)
    client.force_login(reviewer)
    draft = actions.draft_start(original=schools(), user=reviewer)
    client.post(admin_url(Service, "publish", draft.pk))
    assert schools().status == Status.PUBLISHED
    assert schools().last_verified_on is None


def test_an_editor_sees_no_box_to_record_a_check(client):
    editor = person("edna", roles.EDITOR)
    client.force_login(editor)
    draft = actions.draft_start(original=schools(), user=editor)
    page = client.get(admin_url(Service, "change", draft.pk)).content.decode()
    assert "I checked each statement against its source today" not in page
    response = client.post(admin_url(Service, "publish", draft.pk), {"checked": "yes"})
    assert response.status_code == 403
    assert schools().last_verified_on is None


def test_needs_attention_lists_what_nobody_checked_first_with_its_note(staff_client):
    page = staff_client.get("/admin/attention/").content.decode()
    never = page.index("Never checked by a person")
    assert never < page.index("Waiting for a reviewer")
    # The reviewers' note that says what to verify is beside the record.
    wic = Policy.objects.get(slug="wic-eligibility")
    assert wic.verification_note.split(".")[0] in page
    sections = attention.needs_attention()
    unchecked = Service.objects.count() + Policy.objects.count()
    assert len(sections["never_checked"]) == unchecked + Guide.objects.count()
    assert not sections["overdue"]


def test_a_source_that_is_a_front_page_is_flagged(staff_client):
    page = html.unescape(staff_client.get("/admin/attention/").content.decode())
    assert "Sources that are a site's front page" in page
    assert "https://www.casamyrna.org/" in page
    service = Service.objects.get(slug="safelink", draft_of=None)
    url = admin_url(Service, "change", service.pk)
    response = staff_client.post(url, form_data(staff_client.get(url)), follow=True)
    assert (
        "A source is a site's front page: https://www.casamyrna.org/."
        in html.unescape(response.content.decode())
    )


def test_what_counts_as_a_front_page():
    assert attention.is_homepage("https://www.mass.gov/")
    assert attention.is_homepage("https://www.mass.gov")
    assert not attention.is_homepage("https://www.mass.gov/wfma")
    assert not attention.is_homepage("https://www.boston.gov/?id=12")


def test_a_reviewer_records_calling_a_hotline_and_nobody_types_the_date(client):
    from services.models import Hotline

    reviewer = person("rev", roles.REVIEWER)
    client.force_login(reviewer)
    hotline = Hotline.objects.get(slug="lcr-immigrant-defense")
    change = admin_url(Hotline, "change", hotline.pk)
    data = form_data(client.get(change))
    assert "last_verified_on" not in data
    data["last_verified_on"] = "2026-12-01"
    client.post(change, data)
    hotline.refresh_from_db()
    assert hotline.last_verified_on is None
    response = client.post(
        admin_url(Hotline, "changelist"),
        {"action": "mark_called_today", "_selected_action": [hotline.pk]},
        follow=True,
    )
    assert "1 numbers recorded as called today." in response.content.decode()
    hotline.refresh_from_db()
    assert hotline.last_verified_on == timezone.localdate()
    page = client.get("/en/").content.decode()
    assert f"Last checked {day(timezone.localdate(), 'en')}" in page


def test_an_editor_cannot_record_a_call(client):
    from services.models import Hotline

    client.force_login(person("edna", roles.EDITOR))
    hotline = Hotline.objects.get(slug="lcr-immigrant-defense")
    client.post(
        admin_url(Hotline, "changelist"),
        {"action": "mark_called_today", "_selected_action": [hotline.pk]},
    )
    hotline.refresh_from_db()
    assert hotline.last_verified_on is None
