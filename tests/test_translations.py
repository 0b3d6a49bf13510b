"""Translation states, honest pages, the translator's form, and the PO file
exchange with translators."""

import datetime
import re

import polib
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from services.models import (
    AuditEvent,
    Category,
    Service,
    Status,
    Step,
    TranslationUpload,
)
from services.translations import state as translation_status
from services.translations.exchange import (
    translations_export as export_for,
)
from services.translations.exchange import (
    translations_import as import_as,
)
from services.translations.state import (
    MACHINE,
    MISSING,
    OUTDATED,
    REVIEWED,
    TARGET_LANGUAGES,
)
from services.workflow import roles
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

SERVICE_URL = "/{language}/city-services/boston-311/"
PASSWORD = "a long enough passphrase 42"


def the_311_service():
    return Service.objects.get(slug="boston-311", draft_of=None)


def person(username, *groups):
    """A staff account in these role groups (services/workflow/roles.py)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def a_reviewer():
    from django.contrib.auth import get_user_model

    found = get_user_model().objects.filter(username="rev").first()
    return found or person("rev", roles.REVIEWER)


def translations_export(*, language):
    return export_for(language=language, user=a_reviewer())


def translations_import(*, po_text, language, user=None, **options):
    """An import by a reviewer, unless the test names someone else."""
    return import_as(
        po_text=po_text, language=language, user=user or a_reviewer(), **options
    )


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def snapshot():
    """Every translated text and state of the guide, to prove nothing changed."""
    return [
        (
            type(obj).__name__,
            obj.pk,
            obj.translation_status,
            [
                translation_status.text_in(obj, field, language)
                for field in translation_status.translated_fields(type(obj))
                for language in ["en", *TARGET_LANGUAGES]
            ],
        )
        for model in (Service, Step)
        for obj in model.objects.order_by("pk")
    ]


def change_url(obj, language=None):
    url = reverse(f"admin:services_{type(obj)._meta.model_name}_change", args=[obj.pk])
    return f"{url}?language={language}" if language else url


def edit_in_admin(client, obj, changes, language="en", **flags):
    """Save a record's form in one language, as a person does."""
    url = change_url(obj, language)
    data = form_data(client.get(url))
    data.update(changes)
    for name, value in flags.items():
        data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


# States


def test_sample_translations_are_machine_drafted():
    service = the_311_service()
    for language in TARGET_LANGUAGES:
        assert translation_status.record_state(service, language) == MACHINE


def test_an_english_change_makes_every_translation_outdated(staff_client):
    edit_in_admin(
        staff_client,
        the_311_service(),
        {"summary_en": "City services that are not emergencies, at any hour."},
    )
    service = the_311_service()
    for language in TARGET_LANGUAGES:
        assert translation_status.record_state(service, language) == OUTDATED
        assert translation_status.field_state(service, "name", language) == MACHINE


def test_a_minor_english_edit_keeps_translations_current(staff_client):
    edit_in_admin(
        staff_client,
        the_311_service(),
        {
            "summary_en": "City services that are not emergencies, 24 hours a day: "
            "report a problem, or ask a question."
        },
        minor_english_edit="on",
    )
    for language in TARGET_LANGUAGES:
        assert translation_status.record_state(the_311_service(), language) == MACHINE


def test_a_minor_edit_does_not_revive_an_outdated_translation(staff_client):
    edit_in_admin(staff_client, the_311_service(), {"summary_en": "A real change."})
    edit_in_admin(
        staff_client,
        the_311_service(),
        {"summary_en": "A real change!"},
        minor_english_edit="on",
    )
    assert translation_status.record_state(the_311_service(), "es") == OUTDATED


def test_typing_a_translation_marks_it_reviewed_and_current(staff_client):
    edit_in_admin(staff_client, the_311_service(), {"summary_en": "A real change."})
    edit_in_admin(
        staff_client, the_311_service(), {"summary_es": "Un cambio real."}, "es"
    )
    service = the_311_service()
    assert translation_status.field_state(service, "summary", "es") == REVIEWED
    assert translation_status.field_state(service, "summary", "fr") == OUTDATED


def test_a_reviewer_can_mark_a_whole_language_checked(staff_client):
    """One box in a language's form: that language, the record and its parts."""
    service = the_311_service()
    edit_in_admin(staff_client, service, {}, "ar", translation_reviewed="on")
    edit_in_admin(staff_client, service, {}, "so", translation_reviewed="on")
    service = the_311_service()
    for language in ("ar", "so"):
        records = [service, *service.steps.all(), *service.assurances.all()]
        assert translation_status.combined_state(records, language) == REVIEWED
    assert translation_status.record_state(service, "es") == MACHINE
    assert translation_status.record_state(service.steps.first(), "es") == MACHINE


def test_an_english_change_in_an_inline_part_outdates_that_part(staff_client):
    service = the_311_service()
    step = service.steps.order_by("position").first()
    data_key = "steps-0-text_en"
    edit_in_admin(staff_client, service, {data_key: "Call 311 from any phone."})
    step.refresh_from_db()
    assert step.text_en == "Call 311 from any phone."
    assert translation_status.record_state(step, "ht") == OUTDATED


def test_a_missing_translation_is_missing():
    service = the_311_service()
    service.cost_so = ""
    assert translation_status.field_state(service, "cost", "so") == MISSING


# What residents see


def test_what_a_reader_sees_follows_the_state_of_each_translation():
    """`shown()` writes out `field_state()`'s rule for speed: they agree on every
    text of the sample content in every language, missing and outdated ones too."""
    service = the_311_service()
    service.offers_ht = ""  # missing
    service.summary_en += " Changed."  # outdated in every language
    translation_status.mark(service, "es", ["name"], REVIEWED)
    expected_text = {
        MISSING: lambda obj, field, language: translation_status.text_in(
            obj, field, "en"
        ),
        OUTDATED: lambda obj, field, language: translation_status.text_in(
            obj, field, "en"
        ),
        MACHINE: translation_status.text_in,
        REVIEWED: translation_status.text_in,
        None: lambda obj, field, language: "",
    }
    records = [service, *Step.objects.all(), *Service.objects.exclude(pk=service.pk)]
    states = set()
    for obj in records:
        for field in translation_status.translated_fields(type(obj)):
            for language in TARGET_LANGUAGES:
                state = translation_status.field_state(obj, field, language)
                text, shown_in, reason = translation_status.shown(obj, field, language)
                states.add(state)
                assert text == expected_text[state](obj, field, language)
                assert shown_in == ("en" if state in (MISSING, OUTDATED) else language)
                assert reason == (None if state == REVIEWED else state)
            assert translation_status.shown(obj, field, "en") == (
                translation_status.text_in(obj, field, "en"),
                "en",
                None,
            )
    assert {MISSING, OUTDATED, MACHINE, REVIEWED, None} <= states


def test_machine_drafted_page_shows_the_translation_with_a_notice(client):
    html = client.get(SERVICE_URL.format(language="es")).content.decode()
    assert the_311_service().summary_es in html
    with translation.override("es"):
        notice = translation.gettext("Partly translated by a machine.")
    assert notice in html


def mark_the_311_page_reviewed(language):
    """A person has reviewed every text the 311 service page shows in `language`."""
    from services.models import Category, SiteProfile

    service = the_311_service()
    records = [service, *service.steps.all(), *service.contacts.all()]
    for assurance in service.assurances.select_related("policy"):
        records += [assurance, assurance.policy]
    records += [SiteProfile.objects.get(), Category.objects.get(slug="city-services")]
    for obj in records:
        translation_status.mark(
            obj, language, translation_status.translated_fields(type(obj)), REVIEWED
        )
        obj.save()


def test_reviewed_page_has_no_notice(client, reviewed_interface):
    mark_the_311_page_reviewed("es")
    html = client.get(SERVICE_URL.format(language="es")).content.decode()
    assert "translation-notice" not in html
    assert 'lang="en"' not in html.split("<main", 1)[1]


def test_the_notice_speaks_only_of_texts_on_the_page(client, reviewed_interface):
    """A rule's summary is on the rule's own page, not on the services citing it:
    its English changing leaves their pages without a notice."""
    mark_the_311_page_reviewed("es")
    policy = the_311_service().assurances.exclude(policy=None).first().policy
    policy.summary_en += " Changed in English."
    policy.save()
    with translation.override("es"):
        outdated = translation.gettext("Some parts in English.")
    service_page = client.get(SERVICE_URL.format(language="es")).content.decode()
    assert "translation-notice" not in service_page
    assert policy.name_es in service_page
    policy_page = client.get(f"/es/policies/{policy.slug}/").content.decode()
    assert outdated in policy_page
    assert "Changed in English." in policy_page


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_outdated_parts_show_the_checked_english_in_every_language(
    staff_client, client, language
):
    stale = translation_status.text_in(the_311_service(), "summary", language)
    new_english = "City services that are not emergencies, at any hour of the day."
    edit_in_admin(staff_client, the_311_service(), {"summary_en": new_english})
    html = client.get(SERVICE_URL.format(language=language)).content.decode()
    assert new_english in html
    assert stale not in html
    assert re.search(
        r'<p class="lead" lang="en" dir="ltr">' + re.escape(new_english), html
    )
    with translation.override(language):
        notice = translation.gettext("Some parts in English.")
        label = translation.gettext("Translation being updated")
    assert notice in html
    assert f'<small class="lang-note" lang="{language}" dir="auto">({label})' in html


def test_missing_parts_show_english_with_a_notice(client):
    service = the_311_service()
    service.offers_ht = ""
    service.save()
    html = client.get(SERVICE_URL.format(language="ht")).content.decode()
    assert re.search(r'<p lang="en" dir="ltr">' + re.escape(service.offers_en), html)


def test_the_safety_box_is_never_shown_from_an_outdated_translation(
    staff_client, client
):
    service = the_311_service()
    assurance = service.assurances.first()
    stale = assurance.statement_ar
    edit_in_admin(
        staff_client,
        service,
        {"assurances-0-statement_en": "311 is for city services. Nobody asks."},
    )
    html = client.get(SERVICE_URL.format(language="ar")).content.decode()
    safety = html[html.index('class="safety"') :]
    assert "311 is for city services. Nobody asks." in safety
    assert stale not in safety


def test_opening_hours_are_never_shown_from_an_outdated_translation(
    staff_client, client
):
    service = the_311_service()
    # A note on the hours of each of its two contact points, translated.
    stale = "Vào cửa lần cuối lúc 6 giờ"
    for contact in service.contacts.all():
        contact.hours_en, contact.hours_vi = "Last entry at 6", stale
        translation_status.mark(contact, "vi", ["hours"], translation_status.MACHINE)
        contact.save()
    shown_before = client.get(SERVICE_URL.format(language="vi")).content.decode()
    assert shown_before.count(stale) == 2
    edit_in_admin(staff_client, service, {"contacts-0-hours_en": "Every day, 7 to 7"})
    html = client.get(SERVICE_URL.format(language="vi")).content.decode()
    assert '<span lang="en" dir="ltr">Every day, 7 to 7' in html
    # The other contact point's note did not change, and stays translated.
    assert html.count(stale) == shown_before.count(stale) - 1


# The PO file exchange


@pytest.mark.parametrize("language", ["es", "ar", "so"])
def test_a_po_round_trip_of_a_whole_language_changes_nothing(language):
    before = snapshot()
    po_text = str(translations_export(language=language))
    report = translations_import(po_text=po_text, language=language)
    assert report.ok, report.errors
    assert report.changes == []
    assert snapshot() == before


def test_export_names_each_record_and_flags_entries_that_need_a_person(
    staff_client,
):
    edit_in_admin(staff_client, the_311_service(), {"summary_en": "A real change."})
    po = polib.pofile(str(translations_export(language="es")))
    assert po.metadata["Language"] == "es"
    service = the_311_service()
    entry = po.find(f"service:{service.pk}:summary", by="msgctxt")
    assert entry.msgid == "A real change."
    assert entry.msgstr == service.summary_es
    assert "fuzzy" in entry.flags
    assert "English changed" in entry.comment
    assert "Boston 311" in entry.comment


def translated_file(language, changes):
    po = polib.pofile(str(translations_export(language=language)))
    for context, text in changes.items():
        entry = po.find(context, by="msgctxt")
        entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    return po


def test_a_translated_file_makes_outdated_translations_current_again(
    staff_client, client
):
    edit_in_admin(
        staff_client,
        the_311_service(),
        {"summary_en": "City services that are not emergencies, at any hour."},
    )
    service = the_311_service()
    context = f"service:{service.pk}:summary"
    for language in TARGET_LANGUAGES:
        po = translated_file(language, {context: f"[{language}] servicios, 24 horas."})
        report = translations_import(po_text=str(po), language=language)
        assert report.ok, report.errors
        assert len(report.changes) == 1
        service.refresh_from_db()
        assert translation_status.field_state(service, "summary", language) == REVIEWED
        html = client.get(SERVICE_URL.format(language=language)).content.decode()
        assert f"[{language}] servicios, 24 horas." in html


def test_a_dry_run_shows_the_change_and_writes_nothing():
    service = the_311_service()
    po = translated_file("fr", {f"service:{service.pk}:summary": "Nouveau texte."})
    before = snapshot()
    report = translations_import(po_text=str(po), language="fr", dry_run=True)
    assert [(change.old, change.new) for change in report.changes] == [
        (service.summary_fr, "Nouveau texte.")
    ]
    assert not report.written
    assert snapshot() == before


def refused(po_text, language, expected):
    before = snapshot()
    with translation.override("en"):
        report = translations_import(po_text=po_text, language=language)
    assert not report.ok
    assert any(expected in error for error in report.errors), report.errors
    assert not report.written
    assert snapshot() == before


def test_a_file_for_another_language_is_refused():
    po = translated_file("es", {})
    refused(str(po), "pt-br", "for the language “es”, not “pt-br”")


def test_an_unknown_record_is_refused_and_nothing_is_half_imported():
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:summary": "Válido."})
    po.append(polib.POEntry(msgctxt="service:999999:summary", msgid="x", msgstr="y"))
    refused(str(po), "es", "service:999999:summary: no such record")


def test_english_changed_since_export_is_refused(staff_client):
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:summary": "Traducción."})
    edit_in_admin(staff_client, service, {"summary_en": "Changed after export."})
    refused(str(po), "es", "the English changed since this file was exported")


def test_a_lost_phone_number_is_refused():
    service = the_311_service()
    step = service.steps.get(position=1)
    po = translated_file("es", {f"step:{step.pk}:text": "Llame al tres uno uno."})
    refused(str(po), "es", "lost “311”")


def test_a_broken_placeholder_is_refused():
    service = the_311_service()
    service.summary_en = "Call %(number)s from {place}."
    service.save()
    po = translated_file(
        "es", {f"service:{service.pk}:summary": "Llame desde {lugar}."}
    )
    refused(str(po), "es", "“%(number)s”, “{place}”")


def test_an_over_long_translation_is_refused():
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:cost": "N" * 250})
    refused(str(po), "es", "250 characters long; this field holds at most 200")


def test_a_file_that_is_not_po_is_refused():
    refused('msgid "unterminated\n\x00', "es", "not a PO file")


def test_a_duplicated_entry_is_refused():
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:summary": "Uno."})
    po.append(
        polib.POEntry(
            msgctxt=f"service:{service.pk}:summary",
            msgid=service.summary_en,
            msgstr="Dos.",
        )
    )
    refused(str(po), "es", "appears twice")


def test_import_as_machine_drafts_tells_residents_so(client):
    service = the_311_service()
    po = translated_file("ru", {f"service:{service.pk}:summary": "Новый текст."})
    report = translations_import(po_text=str(po), language="ru", made_by=MACHINE)
    assert report.written
    service.refresh_from_db()
    assert translation_status.field_state(service, "summary", "ru") == MACHINE


# Commands and admin pages


def test_the_commands_export_and_import_a_language(tmp_path):
    a_reviewer()
    path = tmp_path / "so.po"
    call_command("export_translations", "so", "-o", str(path), verbosity=0)
    service = the_311_service()
    po = polib.pofile(str(path))
    entry = po.find(f"service:{service.pk}:cost", by="msgctxt")
    entry.msgstr = "Bilaash ah"
    entry.flags = []
    po.save(str(path))
    call_command(
        "import_translations", str(path), "so", "--as", "rev", "--dry-run", verbosity=0
    )
    assert the_311_service().cost_so != "Bilaash ah"
    call_command("import_translations", str(path), "so", "--as", "rev", verbosity=0)
    assert the_311_service().cost_so == "Bilaash ah"


@pytest.mark.parametrize(
    "arguments",
    [
        ["export_translations", "xx"],
        ["export_translations", "en"],
        ["import_translations", "/no/such/file.po", "es", "--as", "rev"],
        ["import_translations", "/no/such/file.po", "es", "--as", "nobody"],
        ["import_translations", "/no/such/file.po", "es"],
    ],
)
def test_commands_refuse_bad_arguments_with_a_message(arguments):
    a_reviewer()
    with pytest.raises(CommandError):
        call_command(*arguments)


def test_a_bad_file_makes_the_import_command_fail_and_write_nothing(tmp_path):
    path = tmp_path / "es.po"
    po = translated_file("es", {})
    po.metadata["Language"] = "fr"
    po.save(str(path))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_translations", str(path), "es", "--as", "rev")


def test_the_translation_overview_shows_counts_and_filters(staff_client):
    url = reverse("admin:translations")
    html = staff_client.get(url).content.decode()
    assert "Download PO: Somali" in html
    assert "Boston 311" in html
    assert ">machine-drafted</span>" in html
    edit_in_admin(staff_client, the_311_service(), {"summary_en": "A real change."})
    response = staff_client.get(url + "?language=so&state=outdated")
    rows = response.context["rows"]
    assert [row["label"] for row in rows] == ["Boston 311"]
    counts = {code: numbers for code, _name, numbers in response.context["counts"]}
    assert counts["so"][0] == 1


def test_the_change_list_says_each_state_in_words(staff_client):
    service = the_311_service()
    for language in ("ar", "so"):
        # Translated from an English that has changed since.
        service.translation_status[language]["summary"][1] = "0123456789ab"
    service.save()
    html = staff_client.get(reverse("admin:services_service_changelist")).content
    row = next(
        line
        for line in html.decode().split("<tr")
        if f"/service/{service.pk}/change/" in line
    )
    words = re.sub(r"<[^>]+>", "", row.split('translation-states">')[1]).strip()
    assert words == "Outdated: Arabic, Somali · Machine-drafted: 9 languages"
    assert b">Machine-drafted: all languages</span>" in html


def test_admin_download_upload_preview_and_confirm(staff_client):
    response = staff_client.get(reverse("admin:translations_download", args=["vi"]))
    assert response["Content-Disposition"] == 'attachment; filename="guide-vi.po"'
    po = polib.pofile(response.content.decode())
    service = the_311_service()
    entry = po.find(f"service:{service.pk}:cost", by="msgctxt")
    entry.msgstr, entry.flags = "Miễn phí hoàn toàn", []

    preview = check_upload(staff_client, "vi", str(po))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Miễn phí hoàn toàn" in html
    assert the_311_service().cost_vi != "Miễn phí hoàn toàn"
    # The confirmation names what will happen in words, with no choice to make.
    assert "<select" not in html.split('name="confirm"')[0].rsplit("<form", 1)[1]
    assert "a person (translator or vendor)" in html
    done = confirm_upload(staff_client, preview)
    assert done.status_code == 302
    assert the_311_service().cost_vi == "Miễn phí hoàn toàn"


def test_admin_upload_of_a_bad_file_shows_the_problems(staff_client):
    upload = SimpleUploadedFile("x.po", "\xff\xfe not text".encode("latin-1"))
    response = staff_client.post(
        reverse("admin:translations_upload"),
        {"language": "vi", "made_by": REVIEWED, "file": upload},
    )
    assert response.status_code == 200
    assert "not UTF-8 text" in response.content.decode()


UPLOAD_URL = "/admin/translations/import/"


def check_upload(client, language, text, made_by=REVIEWED):
    """Upload a PO file to be checked, as the overview's form does."""
    upload = SimpleUploadedFile(
        f"{language}.po", text.encode(), "text/x-gettext-translation"
    )
    return client.post(
        UPLOAD_URL, {"language": language, "made_by": made_by, "file": upload}
    )


def confirm_upload(client, checked):
    """Press "Import these translations" on a check page."""
    return client.post(
        UPLOAD_URL, {**checked.context["confirm_form"].initial, "confirm": "1"}
    )


def test_every_language_has_every_sample_record_translated():
    from services.content_io import sample as sample_content

    english = dict(sample_content.strings(sample_content.read_content()))
    for language in TARGET_LANGUAGES:
        translated = sample_content.read_translations(language)
        missing = sorted(set(english) - set(translated))
        assert not missing, (language, missing[:5])
        empty = [key for key in english if not translated[key].strip()]
        assert not empty, (language, empty[:5])


def test_the_sample_translations_were_made_from_todays_english():
    """Changing the English of the sample content needs its translations redone:
    this names the keys whose English changed since they were translated."""
    from services.content_io import sample as sample_content
    from services.translations.state import fingerprint

    sources = sample_content.read_sources()
    changed = [
        key
        for key, english in sample_content.strings(sample_content.read_content())
        if sources.get(key) != fingerprint(english)
    ]
    assert not changed, changed[:10]


def test_a_sample_translation_of_older_english_loads_as_outdated():
    from services.content_io import sample as sample_content
    from services.content_io.sample import sample_content_load

    content = sample_content.read_content()
    Service.objects.get(slug="wic").delete()
    for record in content["services"]:
        if record["slug"] == "wic":
            record["summary"] = "A newer English summary."
    sample_content_load(content=content)
    service = Service.objects.get(slug="wic")
    assert translation_status.field_state(service, "summary", "es") == OUTDATED
    assert translation_status.field_state(service, "name", "es") == MACHINE


# The translator's form: one language, the English beside it


@pytest.fixture
def spanish_translator():
    return person("tomas", roles.TRANSLATOR, roles.translator_group("Spanish"))


@pytest.fixture
def arabic_translator():
    return person("amal", roles.TRANSLATOR, roles.translator_group("Arabic"))


def a_draft_copy(service=None):
    """A draft copy of a published service, as "Edit a draft copy" starts one."""
    from services.workflow.actions import draft_start

    return draft_start(original=service or the_311_service(), user=a_reviewer())


def test_a_translator_lands_on_their_language_and_editors_on_english(
    spanish_translator, arabic_translator
):
    draft = a_draft_copy()
    editor = person("edna", roles.EDITOR)
    for user, language in [
        (spanish_translator, "es"),
        (arabic_translator, "ar"),
        (editor, "en"),
        (a_reviewer(), "en"),
    ]:
        response = signed_in(user).get(change_url(draft))
        assert response.context["working_language"] == language
        current = re.search(
            r'aria-current="page"[^>]*><span class="language-name">'
            r"([^<]+)<",
            response.content.decode(),
        )
        assert current.group(1) == translation_status.LANGUAGE_NAMES[language]


def test_the_language_bar_names_each_language_and_its_state(staff_client):
    service = the_311_service()
    edit_in_admin(staff_client, service, {"summary_es": "Resumen revisado."}, "es")
    service.cost_ht = ""
    service.save()
    html = staff_client.get(change_url(service, "ar")).content.decode()
    bar = html.split('class="language-bar"')[1].split("</nav>")[0]
    items = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
        for item in bar.split("<li>")[1:]
    ]
    assert items[:4] == [
        "English the source",
        "Spanish machine-drafted",  # a reviewed summary, machine-drafted steps
        "Haitian Creole missing",
        "Cape Verdean Creole machine-drafted",
    ]
    assert f'href="/admin/services/service/{service.pk}/change/?language=so"' in bar


def test_each_text_of_a_language_shows_its_english_and_its_state(staff_client):
    service = the_311_service()
    step = service.steps.order_by("position").first()
    service.summary_en += " Changed."
    service.save()
    html = staff_client.get(change_url(service, "ar")).content.decode()
    summary = html.split('for="id_summary_ar"')[1].split('class="form-row')[0]
    assert "Summary (Arabic)" in html
    assert f'lang="en" dir="ltr">{service.summary_en}</div>' in summary
    assert 'lang="ar" dir="rtl"' in summary
    assert ">outdated</span>" in summary
    name = html.split('for="id_name_ar"')[1].split('class="form-row')[0]
    assert ">machine-drafted</span>" in name
    # The parts' texts too, each with its own English.
    assert f'lang="en" dir="ltr">{step.text_en}</div>' in html
    assert 'name="steps-0-text_ar"' in html


def test_a_language_form_saves_only_its_language(spanish_translator):
    """What is not in the Spanish form stays as it was, whatever is posted."""
    draft = a_draft_copy()
    before = {
        code: translation_status.text_in(draft, "summary", code)
        for code in ["en", *TARGET_LANGUAGES]
    }
    client = signed_in(spanish_translator)
    url = change_url(draft, "es")
    data = form_data(client.get(url))
    assert "summary_es" in data
    assert "summary_en" not in data and "summary_ar" not in data
    data.update(
        {
            "summary_es": "Un resumen nuevo, por una persona.",
            "summary_en": "Posted English",
            "summary_ar": "عربي",
            "slug": "elsewhere",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary_es == "Un resumen nuevo, por una persona."
    for code, text in before.items():
        if code != "es":
            assert translation_status.text_in(draft, "summary", code) == text
    assert draft.slug == the_311_service().slug
    assert translation_status.field_state(draft, "summary", "es") == REVIEWED


def test_save_and_continue_stays_in_the_language(staff_client):
    service = the_311_service()
    url = change_url(service, "so")
    data = {**form_data(staff_client.get(url)), "_continue": "1"}
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?language=so")


def test_checked_by_a_person_is_one_box_for_the_working_language(
    staff_client, spanish_translator
):
    html = staff_client.get(change_url(the_311_service(), "es")).content.decode()
    assert "Spanish translation checked by a person" in html
    assert 'name="minor_english_edit"' not in html
    english = staff_client.get(change_url(the_311_service())).content.decode()
    assert 'name="minor_english_edit"' in english
    assert 'name="translation_reviewed"' not in english
    # A translator may not call an English edit minor, nor check another language.
    draft = a_draft_copy()
    translator = signed_in(spanish_translator)
    assert (
        'name="minor_english_edit"'
        not in translator.get(change_url(draft, "en")).content.decode()
    )
    assert (
        'name="translation_reviewed"'
        not in translator.get(change_url(draft, "fr")).content.decode()
    )


def test_a_translator_may_look_at_other_languages_but_not_change_them(
    spanish_translator,
):
    draft = a_draft_copy()
    client = signed_in(spanish_translator)
    url = change_url(draft, "fr")
    data = form_data(client.get(url))
    assert "summary_fr" not in data
    data["summary_fr"] = "Changé"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.summary_fr != "Changé"


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("Llame al 311 o al 617-555-0199.", "“617-555-0199”"),
        ("Llame al 311; más en www.example.org/ayuda.", "“www.example.org/ayuda”"),
        ("Llame al 311 o venga a 26 Court Street.", "“26 Court Street”"),
        ("Llame al 311 o escriba a ayuda@example.com.", "“ayuda@example.com”"),
    ],
)
def test_the_form_refuses_a_number_or_link_the_english_lacks(
    staff_client, typed, named
):
    step = the_311_service().steps.get(position=1)
    assert "311" in step.text_en
    url = change_url(the_311_service(), "es")
    data = form_data(staff_client.get(url))
    data["steps-0-text_es"] = typed
    response = staff_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"The translation adds {named}, which the English does not have" in html
    assert typed in html  # the input is kept, to be corrected
    step.refresh_from_db()
    assert step.text_es != typed


def test_the_form_refuses_a_translation_that_loses_a_number(staff_client):
    url = change_url(the_311_service(), "es")
    data = form_data(staff_client.get(url))
    data["steps-0-text_es"] = "Llame al tres uno uno."
    response = staff_client.post(url, data)
    html = response.content.decode()
    assert "The translation lost “311”, “617-635-4500” from the English" in html


def test_the_same_numbers_written_another_way_are_accepted(staff_client):
    service = the_311_service()
    contact = service.contacts.exclude(note_en="").first() or service.contacts.first()
    contact.note_en = "Or call 617-635-4500, ext 2."
    contact.save()
    url = change_url(service, "ar")
    data = form_data(staff_client.get(url))
    index = list(service.contacts.all()).index(contact)
    data[f"contacts-{index}-note_ar"] = "أو اتصل بالرقم 617-635-4500، تحويلة 2."
    edit = staff_client.post(url, data)
    assert edit.status_code == 302, edit.context["adminform"].form.errors


# What a PO import may do, and as whom


def test_a_po_file_that_adds_a_link_is_refused():
    service = the_311_service()
    po = translated_file(
        "es",
        {f"service:{service.pk}:cost": "Gratis; pague en https://pay.example.com/x"},
    )
    refused(str(po), "es", "adds “https://pay.example.com/x”")


def test_a_po_file_that_adds_a_phone_number_is_refused():
    service = the_311_service()
    assurance = service.assurances.first()
    po = translated_file(
        "es",
        {f"assurance:{assurance.pk}:statement": "La policía llama al 617-555-0100."},
    )
    refused(str(po), "es", "adds “617-555-0100”")


def test_a_translator_imports_only_their_own_languages(arabic_translator):
    service = Service.objects.get(slug="wic")
    service.status = Status.DRAFT
    service.save()
    po = translated_file("es", {f"service:{service.pk}:cost": "Gratis."})
    refused_report = import_as(po_text=str(po), language="es", user=arabic_translator)
    assert "You may not change the Spanish translation" in refused_report.errors[0]
    service.refresh_from_db()
    assert service.cost_es != "Gratis."
    po = translated_file("ar", {f"service:{service.pk}:cost": "مجاني."})
    done = import_as(po_text=str(po), language="ar", user=arabic_translator)
    assert done.written, done.errors
    service.refresh_from_db()
    assert service.cost_ar == "مجاني."


def test_the_import_page_offers_a_translator_only_their_languages(arabic_translator):
    client = signed_in(arabic_translator)
    form = client.get(reverse("admin:translations")).context["upload_form"]
    assert [code for code, _name in form.fields["language"].choices] == ["ar"]
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:cost": "Gratis."})
    response = check_upload(client, "es", str(po))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert the_311_service().cost_es != "Gratis."


def test_the_import_command_holds_the_file_to_the_persons_languages(
    tmp_path, arabic_translator
):
    path = tmp_path / "es.po"
    service = the_311_service()
    translated_file("es", {f"service:{service.pk}:cost": "Gratis."}).save(str(path))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_translations", str(path), "es", "--as", "amal")
    assert the_311_service().cost_es != "Gratis."


def test_an_editor_may_not_import_into_records_they_may_not_change():
    person("edna", roles.EDITOR)
    category = Category.objects.first()
    po = translated_file("fr", {f"category:{category.pk}:name": "Autre nom"})
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.get(username="edna")
    report = import_as(po_text=str(po), language="fr", user=editor)
    assert any("you may not change categories" in error for error in report.errors)
    category.refresh_from_db()
    assert category.name_fr != "Autre nom"


def test_a_non_publishers_import_goes_into_a_draft_copy(spanish_translator, client):
    service = the_311_service()
    step = service.steps.order_by("position")[1]
    live_page = client.get(SERVICE_URL.format(language="es")).content.decode()
    po = translated_file(
        "es",
        {
            f"service:{service.pk}:summary": "Servicios de la ciudad, 24 horas.",
            f"step:{step.pk}:text": f"{step.text_es} (revisado)",
        },
    )
    report = import_as(po_text=str(po), language="es", user=spanish_translator)
    assert report.written, report.errors
    assert report.into_drafts == 2
    service.refresh_from_db()
    assert service.summary_es != "Servicios de la ciudad, 24 horas."
    assert client.get(SERVICE_URL.format(language="es")).content.decode() == live_page
    draft = service.drafts.get()
    assert draft.summary_es == "Servicios de la ciudad, 24 horas."
    copied_step = draft.steps.order_by("position")[1]
    assert copied_step.text_es == f"{step.text_es} (revisado)"
    assert translation_status.field_state(copied_step, "text", "es") == REVIEWED
    assert AuditEvent.objects.filter(action="draft", username="tomas").exists()


def test_once_a_draft_copy_exists_even_a_reviewers_import_goes_into_it():
    """Publishing the copy replaces the record: a translation written into the
    record beside it would be undone."""
    service = the_311_service()
    draft = a_draft_copy(service)
    po = translated_file("es", {f"service:{service.pk}:summary": "Texto revisado."})
    report = import_as(po_text=str(po), language="es", user=a_reviewer())
    assert report.written, report.errors
    assert report.into_drafts == 1
    draft.refresh_from_db()
    service.refresh_from_db()
    assert draft.summary_es == "Texto revisado."
    assert service.summary_es != "Texto revisado."


def test_an_import_keeps_what_a_colleague_saved_after_the_file_was_checked():
    """The write reads each record again under a lock and writes only the texts
    the file changes."""
    from services.translations.actions import translations_write
    from services.translations.selectors import DraftPlaces

    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:summary": "Texto nuevo."})
    reviewer = a_reviewer()
    report = import_as(po_text=str(po), language="es", user=reviewer, dry_run=True)
    Service.objects.filter(pk=service.pk).update(name_fr="Enregistré entre-temps")
    translations_write(
        changes=report.changes,
        language="es",
        made_by=REVIEWED,
        user=reviewer,
        places=DraftPlaces(),
    )
    service.refresh_from_db()
    assert service.summary_es == "Texto nuevo."
    assert service.name_fr == "Enregistré entre-temps"


def test_an_import_whose_english_changed_after_the_check_writes_nothing():
    from services.translations.actions import EnglishChanged, translations_write
    from services.translations.selectors import DraftPlaces

    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:summary": "Texto nuevo."})
    reviewer = a_reviewer()
    report = import_as(po_text=str(po), language="es", user=reviewer, dry_run=True)
    Service.objects.filter(pk=service.pk).update(summary_en="New English.")
    with pytest.raises(EnglishChanged):
        translations_write(
            changes=report.changes,
            language="es",
            made_by=REVIEWED,
            user=reviewer,
            places=DraftPlaces(),
        )
    service.refresh_from_db()
    assert service.summary_es != "Texto nuevo."


def test_an_import_into_an_existing_draft_copy_matches_parts_by_place(
    spanish_translator,
):
    service = the_311_service()
    draft = a_draft_copy(service)
    second = service.steps.order_by("position")[1]
    po = translated_file("es", {f"step:{second.pk}:text": f"{second.text_es}."})
    report = import_as(po_text=str(po), language="es", user=spanish_translator)
    assert report.written, report.errors
    assert draft.steps.order_by("position")[1].text_es == f"{second.text_es}."
    assert service.drafts.count() == 1


def test_a_draft_copy_whose_parts_changed_refuses_those_entries(spanish_translator):
    service = the_311_service()
    draft = a_draft_copy(service)
    draft.steps.order_by("position").last().delete()
    first = service.steps.order_by("position").first()
    po = translated_file(
        "es",
        {
            f"step:{first.pk}:text": f"{first.text_es}.",
            f"service:{service.pk}:cost": "Gratis.",
        },
    )
    report = import_as(po_text=str(po), language="es", user=spanish_translator)
    assert not report.written
    assert len(report.errors) == 1
    assert f"step:{first.pk}:text" in report.errors[0]
    assert (
        "the draft copy's parts no longer match the published ones"
        in (report.errors[0])
    )
    draft.refresh_from_db()
    assert draft.cost_es != "Gratis."


def test_a_reviewers_import_goes_live(client):
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:cost": "Gratis, siempre."})
    assert translations_import(po_text=str(po), language="es").written
    assert not service.drafts.exists()
    assert (
        "Gratis, siempre."
        in client.get(SERVICE_URL.format(language="es")).content.decode()
    )


def test_every_import_is_a_version_of_each_record_and_one_audit_entry():
    service = the_311_service()
    wic = Service.objects.get(slug="wic")
    step = wic.steps.first()
    po = translated_file(
        "vi",
        {
            f"service:{service.pk}:cost": "Miễn phí.",
            f"step:{step.pk}:text": f"{step.text_vi}.",
            f"service:{wic.pk}:cost": "Miễn phí cho mọi người.",
        },
    )
    assert translations_import(po_text=str(po), language="vi").written
    for record in (service, wic):
        version = Version.objects.get_for_object(record).first()
        assert version.revision.user.username == "rev"
        assert "Translations imported into Vietnamese" in version.revision.comment
    # History keeps each record as the import left it, parts included.
    assert version.field_dict["cost_vi"] == "Miễn phí cho mọi người."
    step_version = Version.objects.get_for_object(step).first()
    assert step_version.revision == version.revision
    assert step_version.field_dict["text_vi"] == f"{step.text_vi}."
    events = AuditEvent.objects.filter(action="import_translations")
    assert events.count() == 1
    event = events.get()
    assert event.username == "rev"
    assert event.get_action_display() == "imported translations"
    assert event.subject == "Vietnamese: 3 texts (WIC nutrition program, Boston 311)"


# The web pages: who may use them, and the file kept between check and import


def test_staff_with_no_role_are_refused_every_translation_page():
    client = signed_in(person("nobody"))
    assert client.get(reverse("admin:translations")).status_code == 403
    for language in ["es", "ar", "xx"]:
        url = reverse("admin:translations_download", args=[language])
        assert client.get(url).status_code == 403
    service = the_311_service()
    po = translated_file("es", {f"service:{service.pk}:cost": "Gratis."})
    assert check_upload(client, "es", str(po)).status_code == 403
    assert client.post(UPLOAD_URL, {"confirm": "1", "upload": "x"}).status_code == 403
    assert the_311_service().cost_es != "Gratis."


def test_a_translator_may_download_what_they_may_see(spanish_translator):
    draft = a_draft_copy()
    client = signed_in(spanish_translator)
    response = client.get(reverse("admin:translations_download", args=["fr"]))
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    entry = po.find(f"service:{draft.pk}:summary", by="msgctxt")
    assert "(draft copy)" in entry.comment


def test_a_checked_file_is_kept_and_confirmed_by_a_short_reference(staff_client):
    service = the_311_service()
    po = translated_file("fr", {f"service:{service.pk}:cost": "Gratuit."})
    checked = check_upload(staff_client, "fr", str(po), made_by=MACHINE)
    reference = checked.context["confirm_form"].initial["upload"]
    assert len(reference) < 100
    assert TranslationUpload.objects.get().made_by == MACHINE
    assert "a machine, not yet reviewed" in checked.content.decode()
    assert confirm_upload(staff_client, checked).status_code == 302
    service.refresh_from_db()
    assert service.cost_fr == "Gratuit."
    assert translation_status.field_state(service, "cost", "fr") == MACHINE
    # Used once: the same reference imports nothing again.
    again = confirm_upload(staff_client, checked)
    assert again.status_code == 400
    assert "no longer kept" in again.content.decode()


def test_only_the_uploader_may_confirm_a_checked_file(staff_client):
    service = the_311_service()
    po = translated_file("fr", {f"service:{service.pk}:cost": "Gratuit."})
    checked = check_upload(staff_client, "fr", str(po))
    someone_else = signed_in(person("rita", roles.REVIEWER))
    assert confirm_upload(someone_else, checked).status_code == 403
    forged = someone_else.post(
        UPLOAD_URL, {"confirm": "1", "upload": str(TranslationUpload.objects.get().pk)}
    )
    assert forged.status_code == 400
    assert the_311_service().cost_fr != "Gratuit."


def test_a_checked_file_waits_a_day_at_most(staff_client):
    service = the_311_service()
    po = translated_file("fr", {f"service:{service.pk}:cost": "Gratuit."})
    checked = check_upload(staff_client, "fr", str(po))
    TranslationUpload.objects.update(
        created=timezone.now() - datetime.timedelta(days=2)
    )
    check_upload(staff_client, "fr", str(po))  # any new upload removes old ones
    assert TranslationUpload.objects.count() == 1
    assert confirm_upload(staff_client, checked).status_code == 400
    assert the_311_service().cost_fr != "Gratuit."


def test_a_4_mb_file_can_be_checked_and_confirmed(staff_client):
    """Larger than Django takes in a form's fields (2.5 MB): the file is sent
    once, with the check, and kept on the server."""
    service = the_311_service()
    po = translated_file("pt-br", {f"service:{service.pk}:cost": "Gratuito."})
    # Vendors' tools keep notes and old entries; they make files large.
    for number in range(1100):
        po.append(
            polib.POEntry(
                msgid=f"old text {number} " + "x" * 1800,
                msgstr="texto antigo " + "y" * 1800,
                obsolete=True,
            )
        )
    text = str(po)
    assert 4_000_000 < len(text.encode()) < 5 * 1024 * 1024
    checked = check_upload(staff_client, "pt-br", text)
    assert checked.status_code == 200
    assert checked.context["report"].ok
    done = confirm_upload(staff_client, checked)
    assert done.status_code == 302
    assert the_311_service().cost_pt_br == "Gratuito."


def test_a_file_over_5_mb_is_refused_with_a_message(staff_client):
    text = str(translated_file("es", {})) + "#" * (5 * 1024 * 1024)
    response = check_upload(staff_client, "es", text)
    assert "larger than 5 MB" in response.content.decode()


def test_a_context_with_odd_digits_is_refused_with_a_message():
    po = translated_file("es", {})
    po.append(polib.POEntry(msgctxt="service:①:summary", msgid="x", msgstr="y"))
    refused(str(po), "es", "service:①:summary: no such record")


@pytest.mark.parametrize("username", ["tomas", "edna"])
def test_a_file_returned_unchanged_needs_no_permission_and_changes_nothing(
    username, spanish_translator
):
    """Records one may not change (an editor and the categories), or may change
    only through a draft copy, come back untouched in a whole language's file."""
    from django.contrib.auth import get_user_model

    person("edna", roles.EDITOR)
    user = get_user_model().objects.get(username=username)
    po = polib.pofile(str(export_for(language="es", user=user)))
    for entry in po:
        entry.flags = []  # a vendor accepted every machine draft as it is
    before = snapshot()
    report = import_as(po_text=str(po), language="es", user=user, made_by=MACHINE)
    assert report.ok, report.errors[:3]
    assert report.changes == []
    assert snapshot() == before
    assert not Service.objects.exclude(draft_of=None).exists()


def test_needs_attention_names_each_outdated_language_with_its_form(staff_client):
    service = the_311_service()
    for language in ("ar", "so"):
        service.translation_status[language]["summary"][1] = "0123456789ab"
    service.save()
    html = staff_client.get(reverse("admin:attention")).content.decode()
    url = change_url(service)
    assert (
        f'outdated in <a href="{url}?language=ar">Arabic</a>, '
        f'<a href="{url}?language=so">Somali</a>'
    ) in html
