"""Backups: all content in one file, a lossless round trip, a checked import."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from services.content_io.backup import content_export, content_import
from services.models import (
    Assurance,
    Category,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Step,
)

pytestmark = pytest.mark.django_db

MODELS = [SiteProfile, Category, Policy, Service, Step, Assurance, Guide, Hotline]


def without_time(data):
    data = copy.deepcopy(data)
    data.pop("exported_at")
    return data


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def empty_the_guide():
    Service.objects.all().delete()
    Guide.objects.all().delete()
    Policy.objects.all().delete()
    Category.objects.all().delete()
    Hotline.objects.all().delete()
    SiteProfile.objects.all().delete()


def test_export_then_import_into_an_empty_site_reproduces_everything():
    service = Service.objects.get(slug="public-schools")
    service.summary_so = "Qoraal gaar ah oo Soomaali ah."
    service.save()
    before = content_export()
    expected_counts = counts()
    empty_the_guide()
    assert Service.objects.count() == 0
    report = content_import(data=json.loads(json.dumps(before)))
    assert report.ok, report.errors
    assert counts() == expected_counts
    assert without_time(content_export()) == without_time(before)
    restored = Service.objects.get(slug="public-schools")
    assert restored.summary_so == "Qoraal gaar ah oo Soomaali ah."
    assert restored.translation_status == service.translation_status
    assert restored.last_verified_on == service.last_verified_on


def test_importing_into_a_site_with_content_updates_and_never_duplicates():
    data = content_export()
    before = counts()
    data["services"][0]["summary_en"] = "Updated from the file."
    report = content_import(data=data)
    assert report.ok and report.created == 0
    assert counts() == before
    slug = data["services"][0]["slug"]
    assert Service.objects.get(slug=slug).summary_en == "Updated from the file."


def refused(data, expected):
    before = without_time(content_export())
    report = content_import(data=data)
    assert not report.ok
    assert any(expected in error for error in report.errors), report.errors
    assert without_time(content_export()) == before


def test_a_file_of_another_format_or_version_is_refused():
    refused({"hello": 1}, "not a content file")
    data = content_export()
    data["version"] = 99
    refused(data, "version 99")


def test_any_bad_record_stops_the_whole_import():
    data = content_export()
    data["services"][0]["summary_en"] = "This change must not be written."
    data["services"][-1]["contacts"].append(
        {"position": 9, "name_en": "Office", "phone": "call us", "address": ""}
    )
    refused(data, "Enter a phone number")


def test_references_to_missing_categories_or_policies_are_refused():
    data = content_export()
    data["services"][0]["category"] = "no-such-category"
    refused(data, "no category “no-such-category”")
    data = content_export()
    data["services"][0]["assurances"][0]["policy"] = "no-such-rule"
    refused(data, "no policy “no-such-rule”")


def test_a_record_twice_in_the_file_is_refused():
    data = content_export()
    data["hotlines"].append(copy.deepcopy(data["hotlines"][0]))
    refused(data, "appears twice")


def test_a_dry_run_writes_nothing():
    data = content_export()
    data["hotlines"][0]["name_en"] = "Changed"
    before = without_time(content_export())
    report = content_import(data=data, dry_run=True)
    assert report.ok
    assert without_time(content_export()) == before


def test_the_commands_round_trip_and_refuse_bad_files(tmp_path):
    path = tmp_path / "content.json"
    call_command("export_content", "-o", str(path))
    call_command("import_content", str(path), verbosity=0)
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_content", str(path))
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_content", str(tmp_path / "missing.json"))
