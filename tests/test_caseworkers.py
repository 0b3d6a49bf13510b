"""Roles, review before publishing, history, edit conflicts and sign-in security."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from reversion.models import Version

from services.models import AuditEvent, Policy, Service, Status
from services.workflow import roles
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"


@pytest.fixture
def make_user(django_user_model):
    def make(name, *group_names):
        user = django_user_model.objects.create_user(
            username=name, password=PASSWORD, is_staff=True
        )
        user.groups.set(Group.objects.filter(name__in=group_names))
        return user

    return make


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def editor(client, make_user):
    return signed_in(client, make_user("edna", roles.EDITOR))


@pytest.fixture
def reviewer(make_user):
    from django.test import Client

    return signed_in(Client(), make_user("rita", roles.REVIEWER))


@pytest.fixture
def arabic_translator(make_user):
    from django.test import Client

    user = make_user("amal", roles.TRANSLATOR, roles.translator_group("Arabic"))
    return signed_in(Client(), user)


def change_url(obj, language=None):
    url = reverse(f"admin:services_{obj._meta.model_name}_change", args=[obj.pk])
    return f"{url}?language={language}" if language else url


def post_change(client, obj, changes, language=None):
    """Save a record's form (in one language: the English unless named)."""
    url = change_url(obj, language)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def a_draft_service():
    service = Service.objects.get(slug="wic")
    service.status = Status.DRAFT
    service.save()
    return service


# Roles


def test_the_roles_exist_as_groups_with_their_permissions():
    editor = Group.objects.get(name=roles.EDITOR)
    codenames = set(editor.permissions.values_list("codename", flat=True))
    assert {"change_service", "edit_source", "translate_ar"} <= codenames
    assert "publish_content" not in codenames
    reviewer = Group.objects.get(name=roles.REVIEWER)
    assert reviewer.permissions.filter(codename="publish_content").exists()
    arabic = Group.objects.get(name="Translator: Arabic")
    assert list(arabic.permissions.values_list("codename", flat=True)) == [
        "translate_ar"
    ]


def test_a_translator_changes_only_their_language_on_the_server(arabic_translator):
    service = a_draft_service()
    url = change_url(service)
    data = form_data(arabic_translator.get(url))
    data["summary_ar"] = "ملخص جديد بالعربية"
    # A hand-made POST for fields the page does not even offer:
    data["summary_en"] = "Changed English"
    data["summary_es"] = "Español cambiado"
    data["slug"] = "hacked"
    data["status"] = Status.PUBLISHED
    response = arabic_translator.post(url, data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.summary_ar == "ملخص جديد بالعربية"
    assert service.summary_en != "Changed English"
    assert service.summary_es != "Español cambiado"
    assert service.slug == "wic"
    assert service.status == Status.DRAFT


def test_a_translator_cannot_add_or_delete_parts(arabic_translator):
    service = a_draft_service()
    steps = service.steps.count()
    url = change_url(service)
    data = form_data(arabic_translator.get(url))
    data["steps-TOTAL_FORMS"] = str(steps + 1)
    data[f"steps-{steps}-text_en"] = "A new step"
    data["steps-0-DELETE"] = "on"
    arabic_translator.post(url, data)
    assert service.steps.count() == steps


def test_an_editor_cannot_publish(editor):
    service = a_draft_service()
    response = post_change(editor, service, {"status": Status.PUBLISHED})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    service.refresh_from_db()
    assert service.status == Status.DRAFT
    assert (
        editor.post(
            reverse("admin:services_service_publish", args=[service.pk])
        ).status_code
        == 403
    )


# Publishing


def test_draft_is_invisible_to_the_public_until_a_reviewer_publishes(
    editor, reviewer, client
):
    service = a_draft_service()
    assert client.get("/en/food/wic/").status_code == 404
    post_change(editor, service, {"status": Status.IN_REVIEW})
    assert client.get("/en/food/wic/").status_code == 404
    reviewer.post(reverse("admin:services_service_publish", args=[service.pk]))
    assert client.get("/en/food/wic/").status_code == 200
    assert AuditEvent.objects.filter(action="publish", username="rita").exists()


def test_the_published_version_stays_public_until_the_edit_is_approved(
    editor, reviewer
):
    from django.test import Client

    public = Client()
    service = Service.objects.get(slug="boston-311")
    # An editor cannot change the published record itself...
    response = post_change(editor, service, {"summary_en": "Half-finished text"})
    assert response.status_code == 403
    # ...they work on a draft copy.
    response = editor.post(reverse("admin:services_service_draft", args=[service.pk]))
    draft = Service.objects.get(draft_of=service)
    assert response["Location"] == change_url(draft)
    assert draft.steps.count() == service.steps.count()
    response = post_change(
        editor,
        draft,
        {"summary_en": "Half-finished text", "status": Status.IN_REVIEW},
    )
    assert response.status_code == 302
    page = public.get("/en/city-services/boston-311/").content.decode()
    assert "Half-finished text" not in page
    assert service.summary_en in page
    # The reviewer sees it waiting, previews it in Arabic, and publishes it.
    attention = reviewer.get(reverse("admin:attention")).content.decode()
    assert change_url(draft) in attention
    preview = reviewer.get(reverse("staff-preview", args=["service", draft.pk, "ar"]))
    assert preview.status_code == 200
    assert 'lang="ar" dir="rtl"' in preview.content.decode()
    assert "Half-finished text" in preview.content.decode()
    # ...which says, in Arabic, that the changed part is shown in English.
    with translation.override("ar"):
        outdated = translation.gettext("Some parts in English.")
    assert outdated in preview.content.decode()
    reviewer.post(reverse("admin:services_service_publish", args=[draft.pk]))
    page = public.get("/en/city-services/boston-311/").content.decode()
    assert "Half-finished text" in page
    assert not Service.objects.filter(draft_of=service).exists()
    assert Service.objects.filter(slug="boston-311").count() == 1


def test_previews_are_for_staff_only(client):
    service = a_draft_service()
    response = client.get(reverse("staff-preview", args=["service", service.pk, "so"]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# The review panel and its buttons


@pytest.fixture
def translator(make_user):
    from django.test import Client

    user = make_user(
        "tomas",
        roles.TRANSLATOR,
        roles.translator_group("Spanish"),
        roles.translator_group("Arabic"),
    )
    return signed_in(Client(), user)


@pytest.fixture
def no_role(make_user):
    from django.test import Client

    return signed_in(Client(), make_user("nora"))


def review_url(action, obj):
    return reverse(f"admin:services_{obj._meta.model_name}_{action}", args=[obj.pk])


def review_panel(client, obj):
    """The buttons of the review panel a person sees, and the panel's HTML."""
    html = client.get(change_url(obj)).content.decode()
    start = html.index('<section class="review-panel"')
    panel = html[start : html.index("</section>", start)]
    # Above the change form, never inside it: browsers drop nested forms.
    assert html.index("</section>", start) < html.index('id="service_form"')
    buttons = {
        action
        for action in ("draft", "submit", "publish", "unpublish", "verify")
        if f'action="{review_url(action, obj)}"' in panel
    }
    return buttons, panel


def test_each_person_sees_only_the_review_buttons_they_may_press(
    editor, reviewer, translator
):
    published = Service.objects.get(slug="boston-311")
    draft = a_draft_service()
    assert review_panel(reviewer, published)[0] == {"unpublish", "verify"}
    assert review_panel(reviewer, draft)[0] == {"submit", "publish", "verify"}
    assert review_panel(editor, published)[0] == {"draft"}
    assert review_panel(editor, draft)[0] == {"submit"}
    assert review_panel(translator, published)[0] == {"draft"}
    _buttons, panel = review_panel(editor, draft)
    assert "press “Send for review”" in panel
    # Preview links in every language, for everyone who may see the record.
    for code in ("en", "ar", "so", "zh-hant"):
        preview = reverse("staff-preview", args=["service", draft.pk, code])
        assert preview in panel


def test_review_buttons_answer_only_posts(reviewer):
    service = Service.objects.get(slug="boston-311")
    for action in ("draft", "submit", "publish", "unpublish", "verify"):
        assert reviewer.get(review_url(action, service)).status_code == 405
    service.refresh_from_db()
    assert service.status == Status.PUBLISHED


def test_review_buttons_refuse_whoever_may_not_press_them(editor, translator, no_role):
    published = Service.objects.get(slug="boston-311")
    draft = a_draft_service()
    refused = [
        (editor, "publish", draft),
        (editor, "unpublish", published),
        (editor, "verify", published),
        (editor, "draft", draft),  # only a published record gets a copy
        (translator, "publish", draft),
        (translator, "verify", published),
        *((no_role, action, published) for action in ("draft", "unpublish", "verify")),
        (no_role, "publish", draft),
    ]
    for client, action, obj in refused:
        response = client.post(review_url(action, obj))
        assert response.status_code == 403, (client, action, obj)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.status, draft.status) == (Status.PUBLISHED, Status.DRAFT)
    assert not Service.objects.filter(draft_of=published).exists()
    assert not AuditEvent.objects.filter(action__in=["publish", "verify"]).exists()
    missing = reverse("admin:services_service_publish", args=[999999])
    assert editor.post(missing).status_code == 404


def test_unpublish_takes_a_service_off_the_site_and_keeps_it(reviewer, client):
    service = Service.objects.get(slug="boston-311")
    assert client.get("/en/city-services/boston-311/").status_code == 200
    response = reviewer.post(review_url("unpublish", service), follow=True)
    assert "Unpublished: residents no longer see it." in response.content.decode()
    assert client.get("/en/city-services/boston-311/").status_code == 404
    service.refresh_from_db()
    assert service.status == Status.DRAFT
    assert AuditEvent.objects.filter(action="unpublish", username="rita").exists()
    response = reviewer.post(review_url("publish", service), follow=True)
    assert "Published. Residents see it now." in response.content.decode()
    assert client.get("/en/city-services/boston-311/").status_code == 200


def test_each_review_button_says_what_it_did(editor, reviewer):
    service = Service.objects.get(slug="boston-311")
    page = editor.post(review_url("draft", service), follow=True).content.decode()
    assert "This is the draft copy you asked for." in page
    draft = Service.objects.get(draft_of=service)
    page = editor.post(review_url("draft", service), follow=True).content.decode()
    assert "A draft copy of this record was already started" in page
    assert Service.objects.filter(draft_of=service).count() == 1
    page = reviewer.post(review_url("publish", draft), follow=True).content.decode()
    assert "this copy replaced the public version" in page
    page = reviewer.post(review_url("verify", service), follow=True).content.decode()
    assert "checked today and still correct" in page


def test_a_button_returns_only_to_a_page_of_this_site(reviewer):
    service = Service.objects.get(slug="police-and-911")
    attention = reverse("admin:attention")
    for target in (
        "https://elsewhere.example/",
        "//elsewhere.example/admin/",
        "javascript:alert(1)",
    ):
        response = reviewer.post(review_url("verify", service), {"next": target})
        assert response["Location"] == change_url(service), target
    response = reviewer.post(review_url("verify", service), {"next": attention})
    assert response["Location"] == attention


def test_needs_attention_offers_still_correct_to_reviewers_only(editor, reviewer):
    policy = Policy.objects.get(slug="boston-trust-act")
    post_change(reviewer, policy, {"summary_en": "The rule now says something else."})
    police = Service.objects.get(slug="police-and-911")
    html = reviewer.get(reverse("admin:attention")).content.decode()
    assert f'action="{review_url("verify", police)}"' in html
    assert f'value="{reverse("admin:attention")}"' in html
    assert (
        review_url("verify", police)
        not in editor.get(reverse("admin:attention")).content.decode()
    )


def test_the_still_correct_action_of_the_list_is_for_reviewers(editor, reviewer):
    url = reverse("admin:services_service_changelist")
    assert "mark_still_correct" in reviewer.get(url).content.decode()
    assert "mark_still_correct" not in editor.get(url).content.decode()
    service = Service.objects.get(slug="wic")
    service.last_verified_on = None
    service.save()
    editor.post(url, {"action": "mark_still_correct", "_selected_action": [service.pk]})
    service.refresh_from_db()
    assert service.last_verified_on is None


# What a staff account with no role, or another role, may open


def test_a_staff_account_with_no_role_is_refused_every_custom_view(no_role):
    service = Service.objects.get(slug="boston-311")
    index = no_role.get(reverse("admin:index")).content.decode()
    assert "Your account has no role yet" in index
    assert reverse("admin:services_service_changelist") not in index
    refused = [
        reverse("admin:services_service_changelist"),
        change_url(service),
        reverse("admin:attention"),
        reverse("admin:translations"),
        reverse("admin:translations_download", args=["es"]),
        reverse("staff-preview", args=["service", service.pk, "en"]),
        reverse(
            "staff-preview", args=["policy", service.assurances.first().policy_id, "ar"]
        ),
    ]
    for url in refused:
        assert no_role.get(url).status_code == 403, url
    referral = no_role.post(
        reverse("admin:services_service_changelist"),
        {"action": "make_referral", "_selected_action": [service.pk], "language": "so"},
    )
    assert referral.status_code == 403
    # Their own sign-in is theirs to protect.
    assert no_role.get(reverse("admin:two_factor")).status_code == 200


def test_the_staff_preview_asks_for_the_permission_to_see_that_kind_of_record(
    translator, make_user
):
    from django.contrib.auth.models import Permission
    from django.test import Client

    service = a_draft_service()
    url = reverse("staff-preview", args=["service", service.pk, "ar"])
    assert translator.get(url).status_code == 200
    # Permission to see policies is not permission to see services.
    policies_only = make_user("pia")
    policies_only.user_permissions.add(Permission.objects.get(codename="view_policy"))
    assert signed_in(Client(), policies_only).get(url).status_code == 403


def test_an_editor_makes_a_referral_link_in_somali(editor):
    services = Service.objects.filter(slug__in=["boston-311", "wic"])
    response = editor.post(
        reverse("admin:services_service_changelist"),
        {
            "action": "make_referral",
            "_selected_action": [service.pk for service in services],
            "language": "so",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "/so/referral/" in html
    assert "<svg" in html


def test_needs_attention_is_for_people_who_see_the_records(translator):
    response = translator.get(reverse("admin:attention"))
    assert response.status_code == 200
    assert "Waiting for a reviewer" in response.content.decode()


def test_the_first_page_tells_each_role_what_to_do(editor, reviewer, translator):
    index = reverse("admin:index")
    page = editor.get(index).content.decode()
    assert "Your role:" in page and "Editor" in page
    assert reverse("admin:services_service_add") in page
    assert "Edit a draft copy" in page
    assert "Waiting for a reviewer:" in page
    page = reviewer.get(index).content.decode()
    assert "press “Publish” in the panel above its form" in page
    assert "Still correct (checked today)" in page
    page = translator.get(index).content.decode()
    assert f'{reverse("admin:translations")}?language=es">Spanish</a>' in page
    assert f'{reverse("admin:translations")}?language=ar">Arabic</a>' in page
    assert reverse("admin:services_service_add") not in page


# Demo accounts


def test_demo_accounts_one_per_role_with_passwords_printed_once(settings):
    from io import StringIO

    from django.contrib.auth.models import User
    from django.core.management import call_command

    settings.DEBUG = True  # as `make run` has it
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    printed = out.getvalue()
    groups = {
        "demo-editor": {roles.EDITOR},
        "demo-translator": {
            roles.TRANSLATOR,
            roles.translator_group("Spanish"),
            roles.translator_group("Arabic"),
        },
        "demo-reviewer": {roles.REVIEWER},
    }
    for username, expected in groups.items():
        line = next(line for line in printed.splitlines() if username in line)
        password = line.split()[1]
        user = User.objects.get(username=username)
        assert user.check_password(password)
        assert user.is_staff and not user.is_superuser
        assert set(user.groups.values_list("name", flat=True)) == expected
    again = StringIO()
    call_command("create_demo_accounts", stdout=again)
    assert "already exists" in again.getvalue()
    for line in printed.splitlines()[2:]:
        assert line.split()[1] not in again.getvalue()


def test_demo_accounts_are_refused_with_debug_off(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="development only"):
        call_command("create_demo_accounts")
    assert not Group.objects.get(name=roles.EDITOR).user_set.exists()


# Verification


def test_editing_a_policy_flags_every_service_that_cites_it(reviewer):
    policy = Policy.objects.get(slug="boston-trust-act")
    post_change(reviewer, policy, {"summary_en": "The rule now says something else."})
    flagged = Service.objects.exclude(needs_review_reason="")
    assert set(flagged.values_list("slug", flat=True)) == {
        "police-and-911",
        "ems-and-fire",
    }
    assert all(assurance.needs_review for assurance in policy.assurances.all())
    attention = reviewer.get(reverse("admin:attention")).content.decode()
    assert "Boston Police and 911" in attention


def test_still_correct_records_who_and_when_without_editing_text(reviewer):
    service = Service.objects.get(slug="police-and-911")
    service.needs_review_reason = "A rule changed."
    service.save()
    before = (service.summary_en, service.summary_ar, service.translation_status)
    reviewer.post(reverse("admin:services_service_verify", args=[service.pk]))
    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    assert service.verified_by == "rita"
    assert service.needs_review_reason == ""
    assert (
        service.summary_en,
        service.summary_ar,
        service.translation_status,
    ) == before
    assert AuditEvent.objects.filter(action="verify", username="rita").exists()


def test_an_editor_cannot_record_still_correct(editor):
    service = Service.objects.get(slug="police-and-911")
    response = editor.post(reverse("admin:services_service_verify", args=[service.pk]))
    assert response.status_code == 403


# History


def test_restoring_history_brings_back_the_exact_text_in_every_language(reviewer):
    service = Service.objects.get(slug="boston-311")
    original = {
        field: getattr(service, field)
        for field in ("summary_en", "summary_es", "summary_ar", "summary_so")
    }
    post_change(reviewer, service, {"summary_es": "Primera versión revisada."}, "es")
    first = Version.objects.get_for_object(service).first()
    for language, text in {
        "en": "Second English.",
        "es": "Segunda.",
        "ar": "الثانية",
        "so": "Labaad",
    }.items():
        post_change(reviewer, service, {f"summary_{language}": text}, language)
    url = reverse("admin:services_service_revision", args=[service.pk, first.pk])
    response = reviewer.get(url)
    assert response.status_code == 200
    data = form_data(response)
    assert reviewer.post(url, data).status_code == 302
    service.refresh_from_db()
    assert service.summary_es == "Primera versión revisada."
    assert service.summary_en == original["summary_en"]
    assert service.summary_ar == original["summary_ar"]
    assert service.summary_so == original["summary_so"]


def test_a_deleted_service_can_be_recovered(reviewer, client):
    service = Service.objects.get(slug="boston-311")
    post_change(reviewer, service, {})  # a first version in the history
    steps = service.steps.count()
    reviewer.post(
        reverse("admin:services_service_delete", args=[service.pk]), {"post": "yes"}
    )
    assert not Service.objects.filter(slug="boston-311").exists()
    version = Version.objects.get_deleted(Service).get(object_id=str(service.pk))
    url = reverse("admin:services_service_recover", args=[version.pk])
    response = reviewer.get(url)
    assert response.status_code == 200
    reviewer.post(url, form_data(response))
    recovered = Service.objects.get(slug="boston-311")
    assert recovered.steps.count() == steps
    assert client.get("/en/city-services/boston-311/").status_code == 200


# Edit conflicts


def test_a_second_save_keeps_a_colleagues_edit_and_refuses_only_a_clash(
    reviewer, make_user
):
    from django.test import Client

    other = signed_in(Client(), make_user("otto", roles.REVIEWER))
    service = Service.objects.get(slug="boston-311")
    english, spanish = change_url(service), change_url(service, "es")
    mine = form_data(reviewer.get(spanish))
    theirs = form_data(other.get(english))
    theirs["summary_en"] = "Otto's summary."
    assert other.post(english, theirs).status_code == 302
    theirs = form_data(other.get(spanish))
    theirs["cost_es"] = "Gratis, dice Otto."
    assert other.post(spanish, theirs).status_code == 302
    mine["summary_es"] = "Mi trabajo de toda la mañana."
    assert reviewer.post(spanish, mine).status_code == 302
    service.refresh_from_db()
    assert service.summary_en == "Otto's summary."
    assert service.cost_es == "Gratis, dice Otto."
    assert service.summary_es == "Mi trabajo de toda la mañana."

    # Both change the same text: the second save is refused and keeps its input.
    mine = form_data(reviewer.get(spanish))
    theirs = form_data(other.get(spanish))
    theirs["summary_es"] = "El resumen de Otto."
    assert other.post(spanish, theirs).status_code == 302
    mine["summary_es"] = "Mi segunda versión."
    response = reviewer.post(spanish, mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your changes are not saved yet: otto saved this service" in html
    assert "you both changed Summary (Spanish)" in html
    assert "Mi segunda versión." in html
    service.refresh_from_db()
    assert service.summary_es == "El resumen de Otto."
    # Having read the message, a second save keeps the input on purpose.
    assert reviewer.post(spanish, form_data(response)).status_code == 302
    service.refresh_from_db()
    assert service.summary_es == "Mi segunda versión."
    assert service.summary_en == "Otto's summary."
    assert service.cost_es == "Gratis, dice Otto."


# Sign-in security


def sign_in_from(client, address, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


CASEWORKER_ADDRESS = "198.51.100.7"
STRANGER_ADDRESS = "203.0.113.9"


def test_a_strangers_wrong_passwords_do_not_lock_the_caseworker_out(make_user):
    from django.test import Client

    make_user("sam", roles.EDITOR)
    stranger = Client()
    for _attempt in range(6):
        sign_in_from(stranger, STRANGER_ADDRESS, "sam", "guessing")
    assert sign_in_from(stranger, STRANGER_ADDRESS, "sam", PASSWORD).status_code == 429
    caseworker = Client()
    assert (
        sign_in_from(caseworker, CASEWORKER_ADDRESS, "sam", PASSWORD).status_code == 302
    )
    assert caseworker.get(reverse("admin:index")).status_code == 200


def test_five_wrong_passwords_from_one_address_pause_that_account_there(
    client, make_user
):
    make_user("sam", roles.EDITOR)
    for _attempt in range(5):
        sign_in_from(client, CASEWORKER_ADDRESS, "sam", "wrong")
    response = sign_in_from(client, CASEWORKER_ADDRESS, "sam", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Sign-in paused</h1>" in html
    assert "Too many wrong passwords for this account from this network" in html
    assert "paused for 15 minutes" in html
    assert "ask the site administrator" in html
    assert "_auth_user_id" not in client.session
    assert (
        AuditEvent.objects.filter(action="sign_in_failed", username="sam").count() >= 5
    )
    # Other accounts still sign in from the same place.
    make_user("sue", roles.EDITOR)
    assert sign_in_from(client, CASEWORKER_ADDRESS, "sue", PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(make_user):
    """A stranger who writes the caseworker's address into X-Forwarded-For still
    counts as their own address: only the last entry, the proxy's, is trusted."""
    from django.test import Client, override_settings

    from services.admin import signin

    make_user("sam", roles.EDITOR)
    proxied = "services.admin.signin.proxied_client_address"
    with override_settings(AXES_CLIENT_IP_CALLABLE=proxied):
        stranger = Client(
            HTTP_X_FORWARDED_FOR=f"{CASEWORKER_ADDRESS}, {STRANGER_ADDRESS}"
        )
        for _attempt in range(5):
            sign_in_from(stranger, "10.0.0.2", "sam", "guessing")
        caseworker = Client(HTTP_X_FORWARDED_FOR=CASEWORKER_ADDRESS)
        assert sign_in_from(caseworker, "10.0.0.2", "sam", PASSWORD).status_code == 302
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="not an address")
    assert signin.proxied_client_address(request) == "127.0.0.1"


def test_residents_requests_never_read_or_keep_an_address(client, monkeypatch):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from services.admin import signin

    def refuse(request):
        raise AssertionError("a resident's address was read")

    monkeypatch.setattr(signin, "client_address", refuse)
    monkeypatch.setattr(signin, "proxied_client_address", refuse)
    for path in (
        "/",
        "/so/",
        "/en/schools/public-schools/",
        "/ar/search/?q=school",
        "/en/about/",
        "/en/no/such/page/",
    ):
        client.get(path, REMOTE_ADDR=STRANGER_ADDRESS)
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_a_signed_in_caseworker_leaves_no_address_and_no_log_names_one(
    client, make_user, caplog
):
    import logging

    from axes.models import AccessAttempt, AccessLog

    caplog.set_level(logging.DEBUG)
    make_user("sam", roles.EDITOR)
    for _attempt in range(5):
        sign_in_from(client, STRANGER_ADDRESS, "sam", "guessing")
    sign_in_from(client, STRANGER_ADDRESS, "sam", PASSWORD)  # locked out
    assert AccessAttempt.objects.filter(ip_address=STRANGER_ADDRESS).exists()
    assert sign_in_from(client, CASEWORKER_ADDRESS, "sam", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(ip_address=CASEWORKER_ADDRESS).exists()
    assert not AccessLog.objects.exists()
    assert "sam" in caplog.text
    assert STRANGER_ADDRESS not in caplog.text
    assert CASEWORKER_ADDRESS not in caplog.text


def test_sign_in_is_audited_without_an_address(client, make_user):
    make_user("sam", roles.EDITOR)
    response = client.post(
        reverse("admin:login"), {"username": "sam", "password": PASSWORD}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="sign_in")
    assert event.username == "sam"
    from axes.models import AccessLog

    assert not AccessLog.objects.exclude(ip_address__in=["0.0.0.0", None]).exists()


def test_two_factor_sign_in_asks_for_the_code_once_turned_on(client, make_user):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("tess", roles.EDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    url = reverse("admin:login")
    response = client.post(url, {"username": "tess", "password": PASSWORD})
    assert response.status_code == 200
    code = f"{totp(device.bin_key):06d}"
    response = client.post(
        url, {"username": "tess", "password": PASSWORD, "otp_token": code}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_can_turn_on_two_factor_sign_in(editor):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = editor.get(reverse("admin:two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    response = editor.post(
        reverse("admin:two_factor"), {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_the_admin_address_can_be_moved():
    import os
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django,os;"
            "os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
            "from django.urls import reverse;print(reverse('admin:index'))",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_ADMIN_URL": "staff-only-7f3/"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == "/staff-only-7f3/", result.stderr


# While a draft copy exists


def test_a_translators_draft_copy_is_sent_for_review_from_its_button(
    translator, reviewer
):
    service = Service.objects.get(slug="boston-311")
    translator.post(review_url("draft", service))
    draft = Service.objects.get(draft_of=service)
    assert review_panel(translator, draft)[0] == {"submit"}
    response = translator.post(review_url("submit", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    attention = reviewer.get(reverse("admin:attention")).content.decode()
    assert change_url(draft) in attention


def test_while_a_draft_copy_exists_the_published_record_changes_only_through_it(
    editor, reviewer
):
    """A reviewer's direct edit of the published record would be undone when the
    copy is published over it: the record is read-only until then, and its
    check can still be recorded."""
    service = Service.objects.get(slug="boston-311")
    editor.post(review_url("draft", service))
    draft = Service.objects.get(draft_of=service)
    response = post_change(reviewer, service, {"summary_en": "Edited beside the copy"})
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.summary_en != "Edited beside the copy"
    buttons, panel = review_panel(reviewer, service)
    assert buttons == {"unpublish", "verify"}
    assert change_url(draft) in panel


def test_publishing_a_copy_keeps_a_check_recorded_on_the_published_version_since(
    editor, reviewer
):
    service = Service.objects.get(slug="boston-311")
    service.last_verified_on = datetime.date(2026, 1, 5)
    service.save()
    editor.post(review_url("draft", service))
    draft = Service.objects.get(draft_of=service)
    reviewer.post(review_url("verify", service))  # checked today, on the original
    reviewer.post(review_url("publish", draft))
    service.refresh_from_db()
    assert service.last_verified_on == timezone.localdate()
    assert service.verified_by == "rita"
