"""Every statement true, in every language: no public page over-promises, every
translation of the sample follows its language's glossary, and a translator who
writes an over-promise is told so (services/translations/terms.py)."""

import html
import re

import polib
import pytest
from django.utils import translation

from services.content_io import sample
from services.models import Assurance, Category, Guide, Policy, Service
from services.pages import page_url
from services.translations import checks, terms
from services.translations.state import SOURCE_LANGUAGE, TARGET_LANGUAGES
from tests.conftest import LANGUAGE_CODES
from tests.test_translations import (
    SERVICE_URL,
    the_311_service,
    translations_export,
    translations_import,
)

pytestmark = pytest.mark.django_db

INVISIBLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
TAGS = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    return html.unescape(TAGS.sub(" ", INVISIBLE.sub(" ", page)))


def public_pages(language):
    """Every page a resident can reach from the home page, in one language."""
    with translation.override(language):
        yield page_url("services:home")
        yield page_url("services:about")
        for category in Category.objects.all():
            yield page_url("services:category", slug=category.slug)
        services = list(Service.objects.published().select_related("category"))
        for service in services:
            where = {"category": service.category.slug, "slug": service.slug}
            yield page_url("services:service", **where)
            yield page_url("services:service_print", **where)
        numbers = "-".join(str(service.pk) for service in services[:3])
        yield page_url("services:referral", services=numbers)
        for policy in Policy.objects.published():
            yield page_url("services:policy", slug=policy.slug)
        for guide in Guide.objects.published():
            yield page_url("services:guide", slug=guide.slug)


def overpromises_on(page: str, language: str) -> list[str]:
    """What a page says that promises more than any rule: in its language, and in
    English (a text not translated yet is shown in English)."""
    text = visible_text(page)
    found = terms.overpromises_in(text, language)
    if language != SOURCE_LANGUAGE:
        found += terms.overpromises_in(text, SOURCE_LANGUAGE)
    return found


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_no_public_page_over_promises_in_any_language(client, language):
    pages = list(public_pages(language))
    assert len(pages) > 50
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        assert not overpromises_on(response.content.decode(), language), address


def test_the_page_check_finds_an_over_promise_a_translator_wrote(client):
    """The test above can fail: a statement saying "safe zone" in Spanish is found
    on the page that shows it."""
    service = the_311_service()
    assurance = service.assurances.first()
    assurance.statement_es = "311 es una zona segura: sus datos nunca se comparten."
    assurance.save()
    page = client.get(SERVICE_URL.format(language="es")).content.decode()
    found = overpromises_on(page, "es")
    assert found[0] == "zona segura"
    assert found[1].startswith("nunca se compart")


@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_every_over_promise_pattern_matches_an_example(language):
    """Each language's list finds what it is meant to find: every pattern
    matches one of the file's own examples of over-promising sentences."""
    patterns = terms.overpromises(language)
    assert len(patterns) >= 8
    examples = terms.terms(language).get("overpromise_examples", [])
    if language == SOURCE_LANGUAGE:
        examples = [
            "This is a safe zone.",
            "A safe haven for everyone.",
            "ICE cannot come here.",
            "ICE can't enter.",
            "Your data will never be shared.",
            "They will never ask.",
            "Boston is a sanctuary city.",
            "Schools are protected locations.",
            "Calling 911 is always safe.",
            "Your privacy is guaranteed.",
            "There is no risk.",
        ]
    for pattern in patterns:
        assert any(pattern.search(example) for example in examples), pattern.pattern


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_every_language_has_the_whole_glossary(language):
    glossary = terms.terms(language)["glossary"]
    assert set(glossary) == set(terms.terms(SOURCE_LANGUAGE)["glossary"])
    for entry in glossary.values():
        assert entry["use"] and entry["match"], entry


@pytest.mark.parametrize("language", TARGET_LANGUAGES)
def test_the_sample_translations_follow_the_glossary(language):
    """Where the English says "magistrate", the translation says the language's
    word for a judicial officer, never its word for a mayor; and so for every
    recurring legal term."""
    english = dict(sample.strings(sample.read_content()))
    translated = sample.read_translations(language)
    glossary = terms.terms(language)["glossary"]
    used = 0
    for term, pattern in terms.english_patterns().items():
        entry = glossary[term]
        for key, text in english.items():
            if not pattern.search(text):
                continue
            used += 1
            translation_text = translated[key].casefold()
            assert any(
                form.casefold() in translation_text for form in entry["match"]
            ), (
                term,
                key,
            )
            for wrong in entry.get("avoid", []):
                assert wrong.casefold() not in translation_text, (term, key, wrong)
    assert used > 30


def test_am_i_free_to_leave_is_given_in_english_in_every_language():
    """The question a resident may need to say to an agent, in their language and
    in English, the same way on every language's page."""
    key = "guide.know-your-rights.sections.2.body"
    for language in TARGET_LANGUAGES:
        assert '"Am I free to leave?"' in sample.read_translations(language)[
            key
        ].replace("“", '"').replace("”", '"').replace("«", '"').replace(
            "»", '"'
        ).replace("「", '"').replace("」", '"').replace("\u00a0", ""), language


def test_a_translation_that_over_promises_is_refused_with_a_message():
    english = "311 is for city services. You do not need to give your status."
    problems = checks.translation_problems(
        english, "El 311 es una zona segura para todos.", "es"
    )
    assert problems == [
        "“zona segura” promises more than any rule does. Say what the service "
        "does and under which rule, as the English does."
    ]
    assert not checks.translation_problems(
        english, "El 311 es para servicios de la ciudad.", "es"
    )


def test_a_po_file_with_an_over_promise_imports_nothing():
    po = polib.pofile(str(translations_export(language="es")))
    entry = next(e for e in po if e.msgctxt.endswith(":statement"))
    entry.msgstr = "Sus datos nunca se comparten con ICE."
    entry.flags = []
    before = dict(Assurance.objects.values_list("pk", "updated_at"))
    report = translations_import(po_text=str(po), language="es")
    assert not report.ok
    assert any("“nunca se compart" in error for error in report.errors)
    assert dict(Assurance.objects.values_list("pk", "updated_at")) == before


def test_the_translators_po_file_carries_their_glossary():
    po = polib.pofile(str(translations_export(language="ht")))
    glossary = terms.terms("ht")["glossary"]
    assert "Glossary" in po.header
    assert f"magistrate: {glossary['magistrate']['use']}" in po.header
    assert "never: majistra" in po.header
