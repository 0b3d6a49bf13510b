"""A machine's draft is labelled wherever it goes: the page, the handout on
paper, the referral page, the HSDS feed (tests/test_hsds.py), the translator's
PO file, and the interface strings while their catalogue is a draft."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from services.translations import interface
from services.translations.state import MACHINE, REVIEWED, TARGET_LANGUAGES
from tests.test_translations import (
    SERVICE_URL,
    mark_the_311_page_reviewed,
    the_311_service,
    translations_export,
)

pytestmark = pytest.mark.django_db


def machine_notice(language):
    with translation.override(language):
        return gettext("Partly translated by a machine.")


def test_the_notice_is_one_line_that_links_its_explanation(client):
    page = client.get("/so/city-services/boston-311/").content.decode()
    notice = re.search(
        r'<p class="notice translation-notice" role="note">(.*?)</p>', page, re.S
    )
    assert machine_notice("so") in notice.group(1)
    assert 'href="/so/about/#translations"' in notice.group(1)
    about = client.get("/so/about/").content.decode()
    with translation.override("so"):
        explanation = gettext(
            "Parts of this page were translated by a machine and not yet checked by "
            "a person. If something is unclear, ask the service or call 311."
        )
    assert 'id="translations"' in about
    assert explanation in about


@pytest.mark.parametrize(
    "address",
    [
        "/es/city-services/boston-311/print/",
        "/es/referral/{pk}/",
        "/so/referral/{pk}/",
    ],
)
def test_handouts_and_referral_pages_say_what_a_machine_translated(client, address):
    language = address.split("/")[1]
    page = client.get(address.format(pk=the_311_service().pk)).content.decode()
    assert 'class="notice translation-notice"' in page
    assert machine_notice(language) in page


def test_the_notice_is_printed_on_paper():
    """Print hides the site's other notices, never this one (the browser suite
    prints the handout: tests/e2e/test_print.py)."""
    from django.contrib.staticfiles import finders

    with open(finders.find("css/site.css"), encoding="utf-8") as file:
        stylesheet = file.read()
    print_rules = stylesheet.split("@media print", 1)[1]
    assert ".notice.translation-notice {\n    display: block;" in print_rules


def test_a_machine_drafted_interface_is_labelled_though_every_text_was_reviewed(
    client,
):
    """Every record the page shows is reviewed, but its menus and sentences are
    a machine's draft (the catalogues' headers say so): the page says so."""
    mark_the_311_page_reviewed("es")
    page = client.get(SERVICE_URL.format(language="es")).content.decode()
    assert machine_notice("es") in page
    assert interface.machine_drafted_interfaces() == frozenset(TARGET_LANGUAGES)


def test_the_catalogue_header_says_whether_a_person_reviewed_it(tmp_path, monkeypatch):
    monkeypatch.setattr(interface, "LOCALE_DIRECTORY", tmp_path)
    catalogue = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n"X-Translation-State: {}\\n"\n'
    catalogue.write_text(header.format("reviewed"), encoding="utf-8")
    assert interface.catalogue_state("es") == REVIEWED
    catalogue.write_text(header.format("machine"), encoding="utf-8")
    assert interface.catalogue_state("es") == MACHINE
    catalogue.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n', encoding="utf-8")
    assert interface.catalogue_state("es") == MACHINE  # saying nothing is a draft
    assert interface.catalogue_state("fr") == MACHINE  # no catalogue at all


def test_every_catalogue_says_who_translated_it():
    for language in TARGET_LANGUAGES:
        header = interface.catalogue_path(language).read_text(encoding="utf-8")[:2000]
        assert '"X-Translation-State: machine\\n"' in header, language
        assert "FULL NAME" not in header and "EMAIL@ADDRESS" not in header, language
        assert "Last-Translator: machine draft" in header, language


def test_the_po_file_flags_each_machine_draft_for_the_translator():
    po = translations_export(language="es")
    machine = "Drafted by a machine; not yet reviewed by a person."
    flagged = [entry for entry in po if "fuzzy" in entry.flags]
    assert sum(machine in entry.comment for entry in flagged) > 200
    for entry in flagged:
        assert machine in entry.comment or "The English changed" in entry.comment


def test_a_citation_that_is_a_name_is_shown_as_english(client):
    """Rule citations are translated where they describe; a formal reference,
    kept by its translator as it is, is marked English."""
    lunn = client.get("/ar/policies/lunn-v-commonwealth/").content.decode()
    assert '<p class="citation" lang="en" dir="ltr">477 Mass. 517 (2017)</p>' in lunn
    trust = client.get("/ar/policies/boston-trust-act/").content.decode()
    assert "City of Boston ordinance" not in trust
    assert '<p class="citation">' in trust
