import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from services.content_io import sample as sample_content
from services.models import (
    Assurance,
    Category,
    ContactPoint,
    Guide,
    Hotline,
    Policy,
    Service,
    Step,
)
from services.workflow import attention

pytestmark = pytest.mark.django_db

MODELS = [Category, Policy, Service, Guide, Hotline, Assurance, ContactPoint, Step]

# From the wording rules of the research notes: what no assurance may promise.
OVER_PROMISES = [
    r"safe zone",
    r"ICE cannot",
    r"never (be )?shared",
    r"sanctuary",
    r"protected location",
    r"always safe",
    r"will never",
]


def counts():
    return {model: model.objects.count() for model in MODELS}


def test_loading_again_creates_no_duplicates():
    before = counts()
    call_command("load_sample_content", verbosity=0)
    assert counts() == before
    assert before[Service] >= 15


def test_loading_again_keeps_a_caseworkers_edits():
    service = Service.objects.get(slug="boston-311")
    service.summary_es = "Texto revisado por una trabajadora social."
    service.save()
    service.steps.first().delete()
    call_command("load_sample_content", verbosity=0)
    service.refresh_from_db()
    assert service.summary_es == "Texto revisado por una trabajadora social."
    assert service.steps.count() == 1


def test_loading_restores_only_what_is_missing(capsys):
    Service.objects.get(slug="wic").delete()
    call_command("load_sample_content")
    restored = Service.objects.get(slug="wic")
    assert restored.assurances.count() == 2
    assert capsys.readouterr().out.splitlines() == [
        "Created 1 services.",
        "Kept 64 records that already existed, unchanged.",
        "Sample content is loaded.",
    ]


def test_every_loaded_record_has_a_first_history_version(staff_client):
    """So the first edit of any record can be undone from its History."""
    for model in (Service, Policy, Category, Guide, Hotline):
        for obj in model.objects.all():
            versions = Version.objects.get_for_object(obj)
            assert [v.revision.get_comment() for v in versions] == [
                "Loaded from the sample content"
            ], obj
    service = Service.objects.get(slug="wic")
    history = reverse("admin:services_service_history", args=[service.pk])
    assert "Loaded from the sample content" in staff_client.get(history).text


def test_the_first_edit_of_a_loaded_record_can_be_undone():
    service = Service.objects.get(slug="wic")
    summary, steps = service.summary_en, service.steps.count()
    first = Version.objects.get_for_object(service).get()
    service.summary_en = "A mistaken edit."
    service.save()
    service.steps.all().delete()
    first.revision.revert(delete=True)
    service.refresh_from_db()
    assert service.summary_en == summary
    assert service.steps.count() == steps


def test_a_broken_sample_loads_nothing_and_says_why():
    content = sample_content.read_content()
    Service.objects.get(slug="wic").delete()
    Hotline.objects.get(slug="emergency").delete()
    wic = next(record for record in content["services"] if record["slug"] == "wic")
    wic["category"] = "no-such-category"
    report = sample_content.sample_content_load(content=content)
    assert report.problems == [
        "services “wic”: category: there is no category “no-such-category” in the "
        "file or on this site."
    ]
    assert not Service.objects.filter(slug="wic").exists()
    assert not Hotline.objects.filter(slug="emergency").exists()


def test_the_sample_claims_no_check_that_nobody_made():
    """It was gathered from research notes: it says when, and that no person has
    checked it, until a reviewer records a check."""
    gathered = datetime.date.fromisoformat(sample_content.read_content()["gathered_on"])
    for model in (Service, Policy, Guide):
        for record in model.objects.all():
            assert record.last_verified_on is None, record
            assert record.verified_by == "", record
            assert record.sources_gathered_on == gathered, record
    for model in (Assurance, ContactPoint, Hotline):
        assert not model.objects.exclude(last_verified_on=None).exists(), model


def test_every_statement_and_rule_links_its_source():
    for assurance in Assurance.objects.all():
        assert assurance.source_url.startswith("https://"), assurance
    for policy in Policy.objects.all():
        assert policy.official_url.startswith("https://"), policy


def test_a_source_is_a_front_page_only_where_no_deeper_page_could_be_found():
    """The research names a page for each of these, whose address could not be
    confirmed: each says so in its note for reviewers, and "Needs attention" lists
    it. Any other front page as a source fails here."""
    front_pages = [
        (row["label"], row["link"])
        for row in attention.homepage_sources(attention.REVIEWED_MODELS)
    ]
    assert sorted(set(front_pages)) == [
        ("Massachusetts WIC eligibility", "https://www.mass.gov/"),
        ("SafeLink domestic violence hotline", "https://www.casamyrna.org/"),
        ("SafeLink service commitments", "https://www.casamyrna.org/"),
        ("WIC nutrition program", "https://www.mass.gov/"),
    ]
    for slug in ("wic-eligibility", "safelink-commitments"):
        assert "Link" in Policy.objects.get(slug=slug).verification_note


def test_every_assurance_names_its_rule_unless_it_is_a_limit():
    for assurance in Assurance.objects.all():
        assert assurance.policy or assurance.limit_section, assurance.statement


def test_no_sample_text_over_promises():
    content = sample_content.read_content()
    texts = [text for _key, text in sample_content.strings(content)]
    for pattern in OVER_PROMISES:
        for text in texts:
            assert not re.search(pattern, text, re.IGNORECASE), (pattern, text)


def test_the_content_named_in_the_research_notes_is_there():
    assert Service.objects.published().count() >= 15
    for slug in ["boston-trust-act", "lunn-v-commonwealth", "plyler-v-doe", "emtala"]:
        assert Policy.objects.filter(slug=slug).exists()
    assert Guide.objects.filter(slug="know-your-rights").exists()
    assert set(Hotline.objects.values_list("phone", flat=True)) >= {
        "911",
        "617-988-0606",
        "617-370-5023",
        "617-482-3170",
    }


@pytest.mark.parametrize("language", ["es", "ar"])
def test_sample_content_is_translated_into_spanish_and_arabic(language):
    english = dict(sample_content.strings(sample_content.read_content()))
    translated = sample_content.read_translations(language)
    missing = sorted(set(english) - set(translated))
    assert not missing, missing[:5]
    service = Service.objects.get(slug="public-schools")
    field = f"summary_{language}"
    assert getattr(service, field) == translated["service.public-schools.summary"]
