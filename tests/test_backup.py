"""Backups: all content in one file, a lossless round trip, a checked import.

(Bad and hostile content files: test_content_files.py.)
"""

import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from reversion.models import Version

from services.content_io.backup import content_export
from services.content_io.importer import content_import
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
from services.workflow.actions import draft_start

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


def test_export_then_import_into_an_empty_site_reproduces_everything(
    django_user_model,
):
    service = Service.objects.get(slug="public-schools")
    service.summary_so = "Qoraal gaar ah oo Soomaali ah."
    service.save()
    # A draft copy travels with its original, and comes back as its draft.
    reviewer = django_user_model.objects.create_user(username="reviewer")
    draft = draft_start(original=service, user=reviewer)
    draft.summary_en = "A change still in review."
    draft.save()
    before = content_export()
    expected_counts = counts()
    empty_the_guide()
    assert Service.objects.count() == 0
    report = content_import(data=json.loads(json.dumps(before)))
    assert report.ok, report.problems
    assert counts() == expected_counts
    assert without_time(content_export()) == without_time(before)
    restored = Service.objects.get(slug="public-schools", draft_of=None)
    assert restored.summary_so == "Qoraal gaar ah oo Soomaali ah."
    assert restored.translation_status == service.translation_status
    assert restored.last_verified_on == service.last_verified_on
    assert restored.drafts.get().summary_en == "A change still in review."
    versions = Version.objects.get_for_object(restored)
    assert versions[0].revision.get_comment() == "Imported from a content file"


def test_importing_into_a_site_with_content_updates_and_never_duplicates():
    data = content_export()
    before = counts()
    data["services"][0]["summary_en"] = "Updated from the file."
    report = content_import(data=data)
    assert report.ok and not report.created
    assert sum(report.updated.values()) == 65
    assert counts() == before
    slug = data["services"][0]["slug"]
    assert Service.objects.get(slug=slug).summary_en == "Updated from the file."


def test_a_record_whose_parts_the_file_leaves_out_keeps_its_parts():
    """A file may carry only some fields: what it leaves out stays as it is."""
    data = content_export()
    record = next(r for r in data["services"] if r["slug"] == "public-schools")
    steps_before = Service.objects.get(slug="public-schools").steps.count()
    part_of_file = {
        "format": data["format"],
        "version": data["version"],
        "services": [{"slug": "public-schools", "cost_en": "Free, always."}],
    }
    report = content_import(data=part_of_file)
    assert report.ok, report.problems
    service = Service.objects.get(slug="public-schools")
    assert service.cost_en == "Free, always."
    assert service.summary_en == record["summary_en"]
    assert service.steps.count() == steps_before


def test_a_file_exported_with_untranslated_columns_still_imports():
    """Earlier exports carried each translated field's untranslated column too
    (`name` beside `name_en`, ...); it is ignored, the languages' columns count."""
    data = content_export()
    name = Service.objects.get(slug="public-schools").name_en
    for record in data["services"]:
        record["name"] = "Whatever the exporting language was"
        for step in record["steps"]:
            step["text"] = "Ignored as well"
    report = content_import(data=data)
    assert report.ok, report.problems
    service = Service.objects.get(slug="public-schools")
    assert service.name_en == name


def test_a_dry_run_writes_nothing_and_says_what_it_would_do():
    data = content_export()
    data["hotlines"][0]["name_en"] = "Changed"
    data["hotlines"].append(dict(data["hotlines"][0], slug="a-new-line"))
    before = without_time(content_export())
    versions = Version.objects.count()
    report = content_import(data=data, dry_run=True)
    assert report.ok, report.problems
    assert report.created == {"hotlines": 1}
    assert not report.written
    assert without_time(content_export()) == before
    assert Version.objects.count() == versions


def test_a_database_error_while_writing_rolls_everything_back(monkeypatch):
    """Whatever the checks cannot foresee (a lost connection, a full disk) ends
    the same way: a message, and nothing written."""
    data = content_export()
    data["services"][0]["summary_en"] = "Written first, then rolled back."
    before = without_time(content_export())

    def refuse(*args, **kwargs):
        raise IntegrityError("disk full\nDETAIL: more")

    monkeypatch.setattr(Hotline, "save", refuse)
    for dry_run in (True, False):
        report = content_import(data=copy.deepcopy(data), dry_run=dry_run)
        assert report.problems == [
            "The database refused the file, so nothing was written: "
            "IntegrityError disk full"
        ]
        assert not report.created and not report.updated
    assert without_time(content_export()) == before


def test_the_commands_round_trip(tmp_path, capsys):
    path = tmp_path / "content.json"
    call_command("export_content", "-o", str(path))
    call_command("import_content", str(path), "--dry-run")
    assert "is valid: it would create 0 records and update 65" in (
        capsys.readouterr().out
    )
    call_command("import_content", str(path))
    assert "Imported: 0 records created, 65 updated." in capsys.readouterr().out
    # A file saved by an editor that adds a byte-order mark reads the same.
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    call_command("import_content", str(path), verbosity=0)


def test_the_import_command_lists_every_problem_and_fails(tmp_path, capsys):
    data = content_export()
    data["services"][0]["category"] = "no-such-category"
    data["hotlines"][0]["phone"] = "call us"
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_content", str(path))
    errors = capsys.readouterr().err
    assert "- services “police-and-911”: category: there is no category" in errors
    assert "- hotlines “emergency”: phone: Enter a phone number" in errors
