import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from services.models import Alert, AuditEvent, Category, Service, SiteProfile, parts_of
from services.translations import state as translation_status
from tests.conftest import LANGUAGE_CODES

pytestmark = pytest.mark.django_db

MODELS = [
    model
    for model in apps.get_app_config("services").get_models()
    if admin.site.is_registered(model)
]


def admin_url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def form_data(response):
    """The data a browser would post back for an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            if hasattr(field, "queryset") and hasattr(value, "pk"):
                value = value.pk
            data[form.add_prefix(name)] = value
    return data


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_change_list_and_forms_of_every_model_load(staff_client, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    if model is AuditEvent:
        AuditEvent.objects.create(username="someone", action="sign_in")
    if model is Alert:  # the sample has none: alerts are news
        Alert.objects.create(
            slug="office-closed",
            text="The office is closed today.",
            starts_at=timezone.now(),
            ends_at=timezone.now() + datetime.timedelta(days=1),
        )
    obj = model.objects.first()
    assert staff_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    if model not in (SiteProfile, AuditEvent):
        assert staff_client.get(admin_url(model, "add")).status_code == 200


def test_change_list_filters_and_search_work(staff_client):
    url = admin_url(Service, "changelist")
    for query in ["?review=overdue", "?review=soon", "?review=never", "?status=draft"]:
        assert staff_client.get(url + query).status_code == 200


def test_admin_search_finds_text_in_any_language(staff_client):
    service = Service.objects.get(slug="boston-311")
    service.summary_ar = "خدمات المدينة بلا موعد مسبق زرقاء"
    service.save()
    response = staff_client.get(admin_url(Service, "changelist") + "?q=زرقاء")
    assert list(response.context["cl"].result_list) == [service]


def test_a_change_in_the_spanish_form_shows_on_the_spanish_page(staff_client, client):
    service = Service.objects.get(slug="boston-311")
    url = admin_url(Service, "change", service.pk) + "?language=es"
    data = form_data(staff_client.get(url))
    data["summary_es"] = "Servicios de la ciudad que no son emergencias, revisado hoy."
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get("/es/city-services/boston-311/").content.decode()
    assert "Servicios de la ciudad que no son emergencias, revisado hoy." in page
    english = client.get("/en/city-services/boston-311/").content.decode()
    assert "revisado hoy" not in english


def test_a_bad_phone_number_gets_a_clear_message_and_keeps_the_input(staff_client):
    service = Service.objects.get(slug="boston-311")
    url = admin_url(Service, "change", service.pk) + "?language=es"
    data = form_data(staff_client.get(url))
    data["contacts-0-phone"] = "ring the bell"
    data["summary_es"] = "Mi cambio que no debe perderse."
    response = staff_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a phone number" in html
    assert "Mi cambio que no debe perderse." in html


@pytest.mark.parametrize("model", [Service, Category, SiteProfile], ids=str)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_form_holds_the_english_and_one_language_only(staff_client, model, language):
    """Not twelve languages in tabs: the English, or one language beside it."""
    obj = model.objects.first()
    url = admin_url(model, "change", obj.pk) + f"?language={language}"
    html = staff_client.get(url).content.decode()
    names = re.findall(r'name="([^"]+)"', html)
    texts = [
        name
        for kind in [model, *(part for _relation, part in parts_of(model))]
        for name in translation_status.translated_fields(kind)
    ]
    languages = {
        code
        for code in LANGUAGE_CODES
        for text in texts
        for name in names
        if name.endswith(translation_status.column(text, code))
    }
    assert languages == {language}
    assert "jquery-ui" not in html
    assert "ui-tabs" not in html


def test_the_service_form_is_a_fraction_of_its_old_size(staff_client):
    service = Service.objects.get(slug="public-schools")  # the most parts
    for language in ("en", "es", "ar"):
        url = admin_url(Service, "change", service.pk) + f"?language={language}"
        assert len(staff_client.get(url).content) < 150_000


def test_view_on_site_links_to_the_public_page(staff_client):
    service = Service.objects.get(slug="boston-311")
    html = staff_client.get(admin_url(Service, "change", service.pk)).content.decode()
    assert "View on site" in html


def test_only_one_site_profile_can_exist(staff_client):
    assert staff_client.get(admin_url(SiteProfile, "add")).status_code == 403


def test_the_hidden_version_field_is_in_every_form_of_a_record_once(staff_client):
    """Outside the fieldsets, so no label points at it, in the change form and in
    History's forms alike: a save needs it to merge with colleagues' saves."""
    from reversion.models import Version

    service = Service.objects.get(slug="boston-311")
    change = admin_url(Service, "change", service.pk)
    for language in ("en", "es"):
        html = staff_client.get(f"{change}?language={language}").content.decode()
        assert html.count('name="base_version"') == 1
        assert 'for="id_base_version"' not in html
    version = Version.objects.get_for_object(service).first()
    revision = admin_url(Service, "revision", service.pk, version.pk)
    assert staff_client.get(revision).content.decode().count('name="base_version"') == 1
