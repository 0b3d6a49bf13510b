"""Prepared reads (services/prepared.py) give what the ORM gives, every time."""

import datetime

import pytest
from django.db.models import Q
from django.http import Http404
from django.utils import translation

from services import selectors
from services.models import Assurance, Category, Guide, Service, Status
from services.prepared import Marker, prepared

pytestmark = pytest.mark.django_db


def loaded_values(instance):
    """The values of the columns a read loaded (deferred ones are left out)."""
    deferred = instance.get_deferred_fields()
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in deferred
    }


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans"])
def test_a_service_page_read_matches_the_orm_in_every_part(language):
    """The page's service, category, steps, documents, contacts, assurances and
    their rules, field for field, as the ORM loads them."""
    expected = (
        Service.objects.published()
        .select_related("category")
        .prefetch_related("steps", "documents", "contacts", "assurances__policy")
        .get(slug="public-schools")
    )
    with translation.override(language):
        service = selectors.service_page(category_slug="schools", slug="public-schools")
        names = (service.name, service.category.name)
    assert loaded_values(service).items() <= vars(expected).items()
    assert loaded_values(service.category).items() <= vars(expected.category).items()
    for relation in ("steps", "documents", "contacts"):
        got = list(getattr(service, relation).all())
        want = list(getattr(expected, relation).all())
        assert [part.pk for part in got] == [part.pk for part in want], relation
        for part, original in zip(got, want, strict=True):
            assert loaded_values(part).items() <= vars(original).items()
    assurances = list(service.assurances.all())
    assert {a.pk for a in assurances} == {a.pk for a in expected.assurances.all()}
    # The same records, as the plain lists the templates read.
    relations = selectors.ServiceParts._fields
    for relation, records in zip(relations, service.parts, strict=True):
        assert records == list(getattr(service, relation).all()), relation
    for assurance in assurances:
        original = Assurance.objects.select_related("policy").get(pk=assurance.pk)
        assert assurance.statement_en == original.statement_en
        assert (assurance.policy and assurance.policy.pk) == (
            original.policy and original.policy.pk
        )
    with translation.override(language):
        assert names == (expected.name, expected.category.name)


def test_what_the_city_cannot_control_comes_last():
    service = selectors.service_page(category_slug="schools", slug="public-schools")
    kinds = [assurance.is_limit for assurance in service.assurances.all()]
    assert kinds == sorted(kinds)


def test_a_prepared_read_sees_every_change_at_once():
    """Only the SQL is kept between requests, never the records."""
    read = selectors.service_page
    assert read(category_slug="schools", slug="public-schools").name_en
    Service.objects.filter(slug="public-schools").update(name_en="Renamed schools")
    assert read(category_slug="schools", slug="public-schools").name_en == (
        "Renamed schools"
    )
    Service.objects.filter(slug="public-schools").update(status=Status.DRAFT)
    with pytest.raises(Http404):
        read(category_slug="schools", slug="public-schools")


def test_the_same_prepared_read_serves_different_values():
    categories = {
        category.slug: [s.pk for s in selectors.category_page(slug=category.slug)[1]]
        for category in Category.objects.all()
    }
    for slug, service_ids in categories.items():
        assert service_ids == list(
            Service.objects.published()
            .filter(category__slug=slug)
            .order_by("sort_order", "slug")
            .values_list("pk", flat=True)
        )


def test_the_home_page_lists_exactly_the_categories_with_something_public():
    emptied = Category.objects.get(slug="libraries")
    Service.objects.filter(category=emptied).update(status=Status.DRAFT)
    Guide.objects.filter(category=emptied).update(status=Status.DRAFT)
    shown = [category.slug for category in selectors.home_categories()]
    assert emptied.slug not in shown
    assert shown == [
        category.slug
        for category in Category.objects.order_by("sort_order", "slug")
        if category.services.published().exists()
        or category.guides.published().exists()
    ]


def test_an_attached_relation_still_filters_by_its_parent():
    """Asking more of a relation a prepared read filled never reaches other
    services' records."""
    service = selectors.service_page(category_slug="schools", slug="public-schools")
    others = Assurance.objects.exclude(service=service).count()
    assert others > 0
    mine = service.assurances.filter(~Q(pk=0))
    assert {a.service_id for a in mine} == {service.pk}


def test_a_read_that_forgets_a_value_says_so():
    @prepared(Marker("slug"), Marker("since", int))
    def broken(language, *, slug, since):
        return Category.objects.filter(slug=slug)

    with pytest.raises(ValueError, match="'since' is never used"):
        broken(slug="schools", since=1)


def test_dates_and_json_come_back_as_python_values():
    service = selectors.service_page(category_slug="schools", slug="public-schools")
    assert isinstance(service.last_verified_on, datetime.date)
    assert isinstance(service.updated_at, datetime.datetime)
    assert isinstance(service.translation_status, dict)


def test_nothing_but_modeltranslation_listens_for_new_instances():
    """Prepared reads make instances without Model.__init__ and its signals; that
    is only right while no one else listens for them."""
    from django.apps import apps
    from django.db.models.signals import post_init, pre_init
    from modeltranslation.translator import delete_mt_init

    for model in apps.get_app_config("services").get_models():
        assert not pre_init.has_listeners(model), model
        sync_receivers, async_receivers = post_init._live_receivers(model)
        assert set(sync_receivers) <= {delete_mt_init}, model
        assert not async_receivers, model


def test_instances_of_a_prepared_read_behave_like_the_orms():
    """Saved state, deferred columns and equality, as from_db leaves them."""
    service = selectors.service_page(category_slug="schools", slug="public-schools")
    original = Service.objects.get(pk=service.pk)
    assert service == original
    assert not service._state.adding
    assert service._state.db == "default"
    assert "verification_note" in service.get_deferred_fields()
    # A deferred column still loads when asked for.
    assert service.verification_note == original.verification_note
