import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from services.models import (
    Assurance,
    AssuranceKind,
    Category,
    ContactPoint,
    Service,
    SiteProfile,
)

pytestmark = pytest.mark.django_db


def a_service():
    return Service.objects.get(slug="boston-311")


def test_an_assurance_without_a_source_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Assurance.objects.create(
            service=a_service(),
            kind=AssuranceKind.CANNOT_CONTROL,
            statement_en="x",
            source_url="",
            last_verified_on=datetime.date(2026, 11, 1),
        )


def test_an_assurance_must_name_its_rule_unless_it_is_a_limit():
    with pytest.raises(IntegrityError), transaction.atomic():
        Assurance.objects.create(
            service=a_service(),
            kind=AssuranceKind.DOES_NOT_ASK,
            statement_en="x",
            source_url="https://www.boston.gov/",
            last_verified_on=datetime.date(2026, 11, 1),
        )


def test_a_contact_point_needs_a_phone_or_an_address():
    contact = ContactPoint(service=a_service(), name_en="Office")
    with pytest.raises(ValidationError, match="phone number, an address"):
        contact.full_clean()


def test_phone_numbers_are_checked_and_dialable():
    contact = ContactPoint(service=a_service(), name_en="Office", phone="call us")
    with pytest.raises(ValidationError):
        contact.full_clean()
    assert ContactPoint(phone="1-800-847-0710").tel == "18008470710"


def test_there_is_only_one_site_profile():
    profile = SiteProfile.objects.get()
    profile.pk = None
    profile.save()
    assert SiteProfile.objects.count() == 1


def test_category_addresses_cannot_take_a_fixed_page_address():
    category = Category(slug="search", name_en="Search", icon="city")
    with pytest.raises(ValidationError, match="address of another page"):
        category.full_clean()


def test_review_due_date_follows_the_last_check():
    service = a_service()
    service.last_verified_on = datetime.date(2026, 1, 1)
    service.review_interval_days = 90
    service.save()
    assert service.review_due_on == datetime.date(2026, 4, 1)
    assert Service.objects.due_for_review(today=datetime.date(2026, 4, 1)).filter(
        pk=service.pk
    )


def test_each_language_gets_its_own_part_of_a_whole_status_text():
    """SQLite hands pages the whole status; each language's part is taken from it."""
    from services.models import language_part

    status = {
        "es": {"name": ["machine", "0123456789ab"]},
        "fr": {"name": ["machine", "0123456789ab"]},
        "ar": {"name": ["reviewed", "0123456789ab"], "summary": ["machine", "ba98"]},
    }
    text = json.dumps(status)
    for language, part in status.items():
        assert dict(language_part(text, language)) == part
    assert language_part(text, "so") is None
    with pytest.raises(TypeError):
        language_part(text, "es")["name"] = ["reviewed", "0123456789ab"]


def test_a_page_reads_only_its_languages_part_of_the_translation_status():
    service = Service.objects.get(slug="public-schools")
    service.translation_status = {
        "ar": {"name": ["reviewed", "0123456789ab"]},
        "es": {},
    }
    service.save()
    read = Service.objects.localized(language="ar").get(pk=service.pk)
    assert dict(read.translation_status_in_ar) == {"name": ["reviewed", "0123456789ab"]}
    assert "translation_status" in read.get_deferred_fields()
    assert (
        not Service.objects.localized(language="es")
        .get(pk=service.pk)
        .__dict__["translation_status_in_es"]
    )
    assert (
        Service.objects.localized(language="fr")
        .get(pk=service.pk)
        .__dict__["translation_status_in_fr"]
        is None
    )
