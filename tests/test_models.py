import datetime

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
