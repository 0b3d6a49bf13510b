"""Two caseworkers saving the same record: nobody's edit is lost, ever.

A save is merged with whatever colleagues saved after the form was opened: a
field only they changed keeps their value, a field both changed refuses the save
and shows theirs; saving again keeps their other fields. The same holds for a
record's parts, and for two saves at the very same moment.
"""

import html
import threading

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from services.admin.options import ContentAdmin
from services.models import (
    Category,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Status,
    Step,
)
from services.translations import state
from services.workflow import roles
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(django_user_model):
    """A reviewer signed in in a browser of their own."""

    def sign_in(name):
        user = django_user_model.objects.create_user(
            username=name, password="a long enough passphrase 42", is_staff=True
        )
        user.groups.set(Group.objects.filter(name=roles.REVIEWER))
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def rita(person):
    return person("rita")


@pytest.fixture
def otto(person):
    return person("otto")


def change_url(obj, language="en"):
    """A record's form in one language (the English, or one beside it)."""
    url = reverse(f"admin:services_{obj._meta.model_name}_change", args=[obj.pk])
    return f"{url}?language={language}"


def opened(client, obj, language="en"):
    """The change form as a person's browser holds it once opened."""
    return form_data(client.get(change_url(obj, language)))


def save(client, obj, data, language="en"):
    return client.post(change_url(obj, language), data, follow=True)


def saved(response):
    """Whether the save went through (the admin moves on to the list)."""
    return bool(response.redirect_chain)


def text(response):
    return html.unescape(response.content.decode())


def shown(response, name):
    """A field's value in the form shown again after a refused save."""
    form = response.context["adminform"].form
    return form[name].value()


def inline_rows(response, prefix):
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return inline.formset.forms
    raise AssertionError(f"no {prefix} inline")


def step_rows(data):
    """Posted step rows: {index: text_en} for the steps inline."""
    total = int(data["steps-TOTAL_FORMS"])
    return {index: data.get(f"steps-{index}-text_en") for index in range(total)}


def add_step(data, text_en):
    index = int(data["steps-TOTAL_FORMS"])
    data["steps-TOTAL_FORMS"] = str(index + 1)
    data[f"steps-{index}-position"] = "9"
    data[f"steps-{index}-text_en"] = text_en
    data[f"steps-{index}-service"] = data["steps-0-service"]


@pytest.fixture
def service():
    return Service.objects.get(slug="boston-311")


# Fields of the record


def test_edits_of_different_fields_are_merged_and_both_kept(rita, otto, service):
    mine, theirs = opened(rita, service, "es"), opened(otto, service, "es")
    theirs["summary_es"] = "Resumen nuevo de Otto."
    assert saved(save(otto, service, theirs, "es"))
    mine["name_es"] = "Boston 311, por Rita"
    response = save(rita, service, mine, "es")
    assert saved(response)
    assert "Otto also saved this service" in text(response)
    assert "Their changes are kept alongside yours: Summary (Spanish)" in text(response)
    service.refresh_from_db()
    assert service.name_es == "Boston 311, por Rita"
    assert service.summary_es == "Resumen nuevo de Otto."


def test_a_kept_colleagues_change_keeps_its_translation_state(rita, service):
    """A machine draft that arrived while Rita had the form open stays marked as a
    machine draft: her save does not count it as her reviewed translation."""
    mine = opened(rita, service)
    service.summary_es = "Borrador automático."
    state.mark(service, "es", ["summary"], state.MACHINE)
    service.save()  # as an import of machine translations does
    mine["name_en"] = "Boston 311, by Rita"
    assert saved(save(rita, service, mine))
    service.refresh_from_db()
    assert service.summary_es == "Borrador automático."
    assert state.field_state(service, "summary", "es") == state.MACHINE
    assert service.name_en == "Boston 311, by Rita"


def test_the_same_field_changed_by_both_is_refused_and_saving_again_keeps_theirs(
    rita, otto, service
):
    mine, theirs = opened(rita, service), opened(otto, service)
    theirs["summary_en"] = "Otto's summary."
    assert saved(save(otto, service, theirs))
    spanish = opened(otto, service, "es")
    spanish["summary_es"] = "Resumen de Otto."
    assert saved(save(otto, service, spanish, "es"))
    mine["summary_en"] = "Rita's summary."
    mine["name_en"] = "Rita's name"
    response = save(rita, service, mine)

    assert not saved(response)
    page = text(response)
    assert "Your changes are not saved yet: otto saved this service on" in page
    assert "you both changed Summary (English)." in page
    assert "Saved by otto: “Otto's summary.” — your version is in the box." in page
    # Everything Rita typed is still in the form.
    assert shown(response, "summary_en") == "Rita's summary."
    assert shown(response, "name_en") == "Rita's name"
    service.refresh_from_db()
    assert service.summary_en == "Otto's summary."
    assert service.name_en == "Boston 311"

    # Having read it, Rita keeps her summary; Otto's Spanish stays.
    assert saved(save(rita, service, form_data(response)))
    service.refresh_from_db()
    assert service.summary_en == "Rita's summary."
    assert service.name_en == "Rita's name"
    assert service.summary_es == "Resumen de Otto."


def test_saving_again_is_refused_again_only_where_both_changed_again(
    rita, otto, service
):
    mine, theirs = opened(rita, service), opened(otto, service)
    theirs["summary_en"] = "Otto's summary."
    assert saved(save(otto, service, theirs))
    mine["summary_en"] = "Rita's summary."
    refused = save(rita, service, mine)
    assert not saved(refused)

    # While Rita reads, Otto saves twice more: the summary again, and the cost.
    theirs = opened(otto, service)
    theirs["summary_en"] = "Otto's second summary."
    theirs["cost_en"] = "Free, says Otto."
    assert saved(save(otto, service, theirs))
    again = save(rita, service, form_data(refused))
    assert not saved(again)
    assert "you both changed Summary (English)." in text(again)
    assert (
        "Cost (English)" not in (text(again).split("you both changed")[1].split(".")[0])
    )
    assert shown(again, "cost_en") == "Free, says Otto."

    assert saved(save(rita, service, form_data(again)))
    service.refresh_from_db()
    assert service.summary_en == "Rita's summary."
    assert service.cost_en == "Free, says Otto."


@pytest.mark.parametrize("version", ["", "not a number", "other record"])
def test_a_form_that_lost_its_version_is_refused_where_it_differs_then_saves(
    rita, service, version
):
    """An old tab or a broken form: nobody can tell whose change is whose, so the
    save is refused where the form and the record differ, never guessed."""
    mine = opened(rita, service)
    if version == "other record":
        other = Service.objects.exclude(pk=service.pk).first()
        opened(rita, other)
        version = str(Version.objects.get_for_object(other).first().pk)
    mine["base_version"] = version
    mine["name_en"] = "Rita's name"
    response = save(rita, service, mine)
    assert not saved(response)
    assert "does not say which saved version it was opened from" in text(response)
    assert "Name (English)" in text(response)
    assert shown(response, "name_en") == "Rita's name"
    assert saved(save(rita, service, form_data(response)))
    service.refresh_from_db()
    assert service.name_en == "Rita's name"


@pytest.mark.parametrize(
    "model",
    [Service, Policy, Guide, Category, Hotline, SiteProfile],
    ids=lambda model: model.__name__,
)
def test_a_record_opened_and_saved_gets_one_history_version_per_change(rita, model):
    """Sample content has no history yet: opening it records one, once, so a save
    can be merged; opening it again records nothing, nor does opening it after a
    save."""
    obj = model.objects.first()
    data = opened(rita, obj)
    assert Version.objects.get_for_object(obj).count() == 1
    opened(rita, obj)
    assert Version.objects.get_for_object(obj).count() == 1
    assert saved(save(rita, obj, data))
    opened(rita, obj)
    assert Version.objects.get_for_object(obj).count() == 2


# Parts of the record: steps, documents, contacts, assurances, sections


def test_a_step_changed_by_both_merges_by_field_and_refuses_the_same_field(
    rita, otto, service
):
    first, second = service.steps.all()[:2]
    mine, theirs = opened(rita, service), opened(otto, service)
    theirs["steps-1-text_en"] = "Step two, by Otto."
    assert saved(save(otto, service, theirs))
    spanish = opened(otto, service, "es")
    spanish["steps-0-text_es"] = "Llame al 311 o al 617-635-4500, dice Otto."
    assert saved(save(otto, service, spanish, "es"))
    mine["steps-0-text_en"] = "Step one, by Rita."
    mine["steps-1-text_en"] = "Step two, by Rita."
    response = save(rita, service, mine)

    assert not saved(response)
    page = text(response)
    assert (
        "you both changed Step “2. Step two, by Otto.”: What to do (English)." in page
    )
    assert "Saved by otto: “Step two, by Otto.”" in page
    rows = inline_rows(response, "steps")
    assert rows[0]["text_en"].value() == "Step one, by Rita."
    assert rows[1]["text_en"].value() == "Step two, by Rita."

    assert saved(save(rita, service, form_data(response)))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.text_en, first.text_es) == (
        "Step one, by Rita.",
        "Llame al 311 o al 617-635-4500, dice Otto.",
    )
    assert second.text_en == "Step two, by Rita."


def test_a_step_deleted_by_a_colleague_while_edited_comes_back_if_saved_again(
    rita, otto, service
):
    first = service.steps.first()
    count = service.steps.count()
    mine, theirs = opened(rita, service), opened(otto, service)
    theirs["steps-0-DELETE"] = "on"
    assert saved(save(otto, service, theirs))
    mine["steps-0-text_en"] = "Call 311 first, says Rita."
    response = save(rita, service, mine)

    assert not saved(response)
    page = text(response)
    assert "otto deleted this step after you opened the page" in page
    assert "Your version is kept here as a new step" in page
    rows = inline_rows(response, "steps")
    assert rows[-1]["text_en"].value() == "Call 311 first, says Rita."
    assert not Step.objects.filter(pk=first.pk).exists()

    assert saved(save(rita, service, form_data(response)))
    texts = list(service.steps.values_list("text_en", flat=True))
    assert "Call 311 first, says Rita." in texts
    assert len(texts) == count


def test_a_step_deleted_by_a_colleague_and_left_alone_stays_deleted(
    rita, otto, service
):
    first = service.steps.first()
    mine, theirs = opened(rita, service), opened(otto, service)
    theirs["steps-0-DELETE"] = "on"
    assert saved(save(otto, service, theirs))
    mine["name_en"] = "Rita's name"
    response = save(rita, service, mine)
    assert saved(response)
    assert "removed the step “1." in text(response)
    assert not Step.objects.filter(pk=first.pk).exists()
    service.refresh_from_db()
    assert service.name_en == "Rita's name"


def test_deleting_a_step_a_colleague_just_changed_asks_again(rita, otto, service):
    first = service.steps.first()
    mine, theirs = opened(rita, service), opened(otto, service)
    theirs["steps-0-text_en"] = "A better first step, by Otto."
    assert saved(save(otto, service, theirs))
    mine["steps-0-DELETE"] = "on"
    response = save(rita, service, mine)

    assert not saved(response)
    assert "otto changed this step after you opened the page" in text(response)
    row = inline_rows(response, "steps")[0]
    assert row["text_en"].value() == "A better first step, by Otto."
    assert not row["DELETE"].value()
    assert Step.objects.filter(pk=first.pk).exists()

    again = form_data(response)
    again["steps-0-DELETE"] = "on"
    assert saved(save(rita, service, again))
    assert not Step.objects.filter(pk=first.pk).exists()


def test_a_translation_of_a_step_deleted_meanwhile_is_shown_not_lost(
    person, otto, service
):
    """A translator cannot add parts back: their text for a step an editor deleted
    meanwhile is given back to them in a message, and the rest is saved."""
    service.status = Status.DRAFT
    service.save()
    translator = person("tina")
    translator_user = translator.session["_auth_user_id"]
    Group.objects.get(name=roles.REVIEWER).user_set.remove(translator_user)
    for name in (roles.TRANSLATOR, roles.translator_group("Spanish")):
        Group.objects.get(name=name).user_set.add(translator_user)
    mine, theirs = opened(translator, service, "es"), opened(otto, service)
    theirs["steps-0-DELETE"] = "on"
    assert saved(save(otto, service, theirs))
    mine["steps-0-text_es"] = "Llame al 311, traducido por Tina."
    mine["summary_es"] = "Resumen de Tina."
    response = save(translator, service, mine, "es")
    assert saved(response)
    page = text(response)
    assert "Otto deleted the step “1." in page
    assert "What you typed: Llame al 311, traducido por Tina." in page
    service.refresh_from_db()
    assert service.summary_es == "Resumen de Tina."


def test_steps_added_by_both_are_all_kept(rita, otto, service):
    count = service.steps.count()
    mine, theirs = opened(rita, service), opened(otto, service)
    add_step(theirs, "Otto's new step.")
    assert saved(save(otto, service, theirs))
    add_step(mine, "Rita's new step.")
    response = save(rita, service, mine)
    assert saved(response)
    assert "a new step" in text(response)
    texts = set(service.steps.values_list("text_en", flat=True))
    assert {"Otto's new step.", "Rita's new step."} <= texts
    assert len(texts) == count + 2


def test_a_guide_section_changed_by_both_is_refused(rita, otto):
    guide = Guide.objects.get(slug="know-your-rights")
    mine, theirs = opened(rita, guide), opened(otto, guide)
    theirs["sections-0-heading_en"] = "Otto's heading"
    assert saved(save(otto, guide, theirs))
    mine["sections-0-heading_en"] = "Rita's heading"
    response = save(rita, guide, mine)
    assert not saved(response)
    assert "Saved by otto: “Otto's heading”" in text(response)


# Two saves at the same moment, each with its own database connection


def own_service():
    """A service of this test's own: transactional tests empty the database."""
    category, _new = Category.objects.get_or_create(
        slug="conflict-tests", defaults={"name_en": "Tests", "icon": "city"}
    )
    service = Service.objects.create(
        category=category,
        slug="saved-twice",
        name_en="Saved twice",
        summary_en="A service two people save at once.",
        status=Status.DRAFT,
    )
    Step.objects.create(service=service, position=1, text_en="The first step.")
    return service


@pytest.fixture
def superusers(django_user_model):
    def sign_in(name):
        user = django_user_model.objects.create_superuser(name, password="x" * 20)
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def otto_saves_slowly(monkeypatch):
    """Otto's save pauses inside its transaction, after its row lock, so Rita's
    arrives while his is still being written: the moment two saves collide."""
    saving = threading.Event()
    original = ContentAdmin.save_model

    def save_model(self, request, obj, form, change):
        original(self, request, obj, form, change)
        if request.user.get_username() == "otto":
            saving.set()
            threading.Event().wait(0.6)

    monkeypatch.setattr(ContentAdmin, "save_model", save_model)
    return saving


def at_once(first, second, saving):
    """Run `first`, and `second` once `first` is inside its save; each thread has
    its own database connection. Returns their responses."""
    from django.db import connection

    responses = {}

    def run(name, call):
        try:
            responses[name] = call()
        finally:
            connection.close()

    one = threading.Thread(target=run, args=("first", first))
    two = threading.Thread(target=run, args=("second", second))
    one.start()
    assert saving.wait(20), "the first save never started"
    two.start()
    one.join(30)
    two.join(30)
    return responses["first"], responses["second"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("field", ["summary_es", "name_es"])
def test_two_saves_at_the_same_moment_never_lose_an_edit(
    superusers, otto_saves_slowly, field
):
    """Otto changes the Spanish summary; at the same moment Rita changes the
    Spanish name (they merge) or the same Spanish summary (hers is refused)."""
    service = own_service()
    otto, rita = superusers("otto"), superusers("rita")
    theirs, mine = opened(otto, service, "es"), opened(rita, service, "es")
    theirs["summary_es"] = "Resumen de Otto."
    mine[field] = "Rita's value."

    first, second = at_once(
        lambda: otto.post(change_url(service, "es"), theirs),
        lambda: rita.post(change_url(service, "es"), mine),
        otto_saves_slowly,
    )

    assert first.status_code == 302
    service.refresh_from_db()
    assert service.summary_es == "Resumen de Otto."
    if field == "name_es":
        assert second.status_code == 302
        assert service.name_es == "Rita's value."
    else:
        assert second.status_code == 200
        assert "Your changes are not saved yet: otto saved this service" in text(second)
        assert "Saved by otto: “Resumen de Otto.”" in text(second)


@pytest.mark.django_db(transaction=True)
def test_publishing_waits_for_a_save_of_the_draft_in_progress(
    superusers, otto_saves_slowly
):
    """Rita presses Publish while Otto's save of the draft is being written: what
    goes public is the draft with Otto's edit."""
    service = own_service()
    otto, rita = superusers("otto"), superusers("rita")
    draft = opened(otto, service)
    draft["summary_en"] = "Otto's last-minute fix."

    first, second = at_once(
        lambda: otto.post(change_url(service), draft),
        lambda: rita.post(reverse("admin:services_service_publish", args=[service.pk])),
        otto_saves_slowly,
    )

    assert (first.status_code, second.status_code) == (302, 302)
    service.refresh_from_db()
    assert service.status == Status.PUBLISHED
    assert service.summary_en == "Otto's last-minute fix."
