import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the Boston sample content, loaded once."""
    with django_db_blocker.unblock():
        call_command("load_sample_content", verbosity=0)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="reviewer", password="correct horse battery staple"
    )
    client.force_login(user)
    return client


def html_lang_dir(content: bytes):
    match = re.search(rb'<html lang="([^"]+)" dir="([^"]+)"', content)
    assert match, "the page has no <html lang dir>"
    return match.group(1).decode(), match.group(2).decode()


def count_h1(content: bytes) -> int:
    return len(re.findall(rb"<h1[ >]", content))


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A request leaves its page's language active; the next test starts in
    English, whatever the last one asked for."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached page (the database is rolled back, the
    cache would not be)."""
    from django.core.cache import cache

    cache.clear()


CHECKED_ON = datetime.date(2026, 3, 4)


@pytest.fixture
def make_service(db):
    """A published service of the test's own, with what a service page shows: a
    category, a rule, two assurances (one of them a limit), a document, two steps
    and a contact point. Texts and translations are given as `name_fr=...`;
    each translation given is marked as reviewed by a person, from the English.
    Tests assert on these records rather than on the wording of the Boston
    sample, which caseworkers and reviewers change."""
    from services.models import (
        Assurance,
        AssuranceKind,
        Category,
        ContactPoint,
        Document,
        Policy,
        Service,
        Status,
        Step,
    )
    from services.translations import state

    def translated(obj):
        for code in state.TARGET_LANGUAGES:
            fields = [
                field
                for field in state.translated_fields(type(obj))
                if state.text_in(obj, field, code)
            ]
            if fields:
                state.mark(obj, code, fields, state.REVIEWED)
        obj.save()
        return obj

    def make(slug="test-clinic", *, category="test-help", **texts):
        category_record, _created = Category.objects.get_or_create(
            slug=category, defaults={"name_en": "Test help", "icon": "health"}
        )
        rule, _created = Policy.objects.get_or_create(
            slug="test-rule",
            draft_of=None,
            defaults={
                "name_en": "Test Rule Act",
                "summary_en": "What the test rule requires.",
                "official_url": "https://rules.example.org/test-rule-act",
                "status": Status.PUBLISHED,
                "last_verified_on": CHECKED_ON,
            },
        )
        service = translated(
            Service(
                category=category_record,
                slug=slug,
                status=Status.PUBLISHED,
                last_verified_on=CHECKED_ON,
                **{
                    "name_en": "Test Clinic",
                    "summary_en": "Check-ups for anyone who lives in the city.",
                    "eligibility_en": "Anyone, whatever their status.",
                    "offers_en": "Check-ups and vaccines.",
                    **texts,
                },
            )
        )
        translated(
            Assurance(
                service=service,
                position=1,
                kind=AssuranceKind.DOES_NOT_ASK,
                statement_en="Test Clinic staff do not ask about status.",
                policy=rule,
                source_url="https://rules.example.org/test-clinic-policy",
                last_verified_on=CHECKED_ON,
            )
        )
        translated(
            Assurance(
                service=service,
                position=2,
                kind=AssuranceKind.CANNOT_CONTROL,
                statement_en="The city cannot control what federal agents do.",
                source_url="https://rules.example.org/limits",
                last_verified_on=CHECKED_ON,
            )
        )
        translated(Document(service=service, position=1, name_en="Any photo ID"))
        for number, text in enumerate(["Call to book.", "Come in."], start=1):
            translated(Step(service=service, position=number, text_en=text))
        translated(
            ContactPoint(
                service=service,
                position=1,
                name_en="Front desk",
                phone="617-555-0142",
                address="1 Example Street, Boston, MA 02108",
                hours_en="Monday to Friday, 9 to 5",
                last_verified_on=CHECKED_ON,
            )
        )
        return service

    return make


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files as production serves them (hashed names, a manifest), for
    tests that start gunicorn with the production settings: collected once, if
    `make e2e` or an earlier run has not already."""
    from tests.servers import manage, production_env

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        database = tmp_path_factory.mktemp("static") / "unused.sqlite3"
        manage(production_env(database), "collectstatic", "--noinput")


@pytest.fixture
def reviewed_interface(monkeypatch):
    """As if a person had reviewed every language's interface catalogue (their
    headers say X-Translation-State: reviewed)."""
    from services.public import views

    monkeypatch.setattr(views, "machine_drafted_interfaces", frozenset)
