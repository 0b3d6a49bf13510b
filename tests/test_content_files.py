"""Hostile and broken content files: each gets messages that say where the
problem is, writes nothing, and leaves every page working. A dry run and a real
run always give the same answer.

Each row is a change to a small, valid content file (one of each kind of record,
exported from the sample) and a message the operator reads. The files that are
accepted are imported for real, and every kind of page still answers.
"""

import copy
import functools
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.validators import MaxLengthValidator
from django.db.models import CharField, TextField
from django.urls import reverse
from django.utils import translation
from reversion.models import Revision

from services.content_io.backup import content_export
from services.content_io.importer import MAX_PARTS, content_import
from services.models import (
    LONG_TEXT,
    Assurance,
    Category,
    ContactPoint,
    ContentVersion,
    Document,
    Guide,
    GuideSection,
    Hotline,
    Policy,
    SearchEntry,
    Service,
    SiteProfile,
    Step,
)
from services.translations.state import fingerprint

pytestmark = pytest.mark.django_db

CONTENT = [
    SiteProfile,
    Category,
    Policy,
    Service,
    Step,
    Document,
    ContactPoint,
    Assurance,
    Guide,
    GuideSection,
    Hotline,
]
SERVICE = "public-schools"
PLACE = f"services “{SERVICE}”"
LANGUAGES = "es, ht, kea, pt-br, zh-hans, zh-hant, vi, ar, ru, so, fr"


@functools.cache
def _exported():
    """One record of each kind as exported from the sample, with a part or two of
    each kind: the same in every test, since each test's changes roll back."""
    data = content_export()
    service = next(r for r in data["services"] if r["slug"] == SERVICE)
    for relation, kept in [("assurances", 2), ("steps", 1), ("documents", 1)]:
        service[relation] = service[relation][:kept]
    guide = next(g for g in data["guides"] if g["slug"] == "know-your-rights")
    guide["sections"] = guide["sections"][:1]
    cited = {a["policy"] for a in service["assurances"]}
    return {
        "format": data["format"],
        "version": data["version"],
        "exported_at": data["exported_at"],
        "site": data["site"],
        "categories": [c for c in data["categories"] if c["slug"] == "schools"],
        "policies": [p for p in data["policies"] if p["slug"] in cited],
        "services": [service],
        "guides": [guide],
        "hotlines": data["hotlines"][:1],
    }


def small_file():
    return copy.deepcopy(_exported())


def service_of(data):
    return data["services"][0]


def written():
    """What any write would change: a save or a delete of content moves the
    content version on (it keys the cached pages), a delete changes a count,
    and every import that writes adds a history version."""
    return (
        ContentVersion.objects.values_list("changed_at", flat=True).first(),
        Revision.objects.count(),
        SearchEntry.objects.count(),
        [model.objects.count() for model in CONTENT],
    )


def setting(*path, value):
    """A change that sets one value, at a path into the file."""

    def change(data):
        target = data
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return data

    return change


def on_service(key, value):
    def change(data):
        service_of(data)[key] = value
        return data

    return change


def on_part(relation, key, value, number=1):
    def change(data):
        service_of(data)[relation][number - 1][key] = value
        return data

    return change


def replaced(document):
    return lambda data: document


def new_service(**fields):
    """A service that is not on the site, with everything it needs."""
    record = {
        "slug": "new-service",
        "category": "schools",
        "name_en": "A new service",
        "summary_en": "What it is.",
    }
    record.update(fields)
    return record


def adding(section, *records):
    def change(data):
        data[section] += [copy.deepcopy(record) for record in records]
        return data

    return change


def status(value):
    return on_service("translation_status", value)


def both(*changes):
    def change(data):
        for one in changes:
            data = one(data)
        return data

    return change


FINGERPRINT = fingerprint("Some English")

# (name, change, a message the operator reads)
HOSTILE = [
    # The file as a whole
    (
        "a list",
        replaced([]),
        "This is not a content file of this guide (it holds a list)",
    ),
    ("a number", replaced(7), "This is not a content file of this guide (it holds 7)"),
    ("an empty object", replaced({}), "a content file is an object with “format”"),
    ("another format", setting("format", value="wordpress"), "not a content file"),
    (
        "a newer version",
        setting("version", value=2),
        "This file has version 2; this site reads version 1.",
    ),
    (
        "the version as text",
        setting("version", value="1"),
        "This file has version “1”; this site reads version 1.",
    ),
    (
        "the version as true",
        setting("version", value=True),
        "This file has version true",
    ),
    (
        "an unknown section",
        setting("servicez", value=[]),
        "“servicez” is not part of a content file",
    ),
    (
        "a section that is an object",
        setting("services", value={}),
        "services: expected a list of records, found an object.",
    ),
    (
        "the site as a list",
        setting("site", value=[]),
        "site: expected an object, found a list.",
    ),
    (
        "exported_at as a number",
        setting("exported_at", value=1),
        "exported_at: expected text, found 1.",
    ),
    # Records that are not records
    (
        "a record that is text",
        adding("services", "public-schools"),
        "services #2: expected an object with the record's fields, found text.",
    ),
    (
        "a record that is null",
        adding("hotlines", None),
        (
            "hotlines #2: expected an object with the record's fields, found nothing "
            "(null)."
        ),
    ),
    (
        "a list as a slug",
        on_service("slug", ["public-schools"]),
        "services #1: slug: expected text, found a list.",
    ),
    (
        "a number as a slug",
        on_service("slug", 12),
        "services #1: slug: expected text, found 12.",
    ),
    (
        "a slug with spaces",
        on_service("slug", "public schools"),
        "services #1: slug: Enter a valid “slug”",
    ),
    (
        "a slug with a NUL",
        on_service("slug", "public\x00schools"),
        "services #1: slug: character 7 (U+0000) is not text and cannot be stored.",
    ),
    (
        "a slug too long",
        on_service("slug", "a" * 81),
        "slug: 81 characters, more than the 80 it may hold.",
    ),
    (
        "a missing slug",
        adding("services", {"category": "schools", "name_en": "x", "summary_en": "x"}),
        "services #2: “slug” is missing.",
    ),
    (
        "a reserved category address",
        adding("categories", {"slug": "search", "name_en": "Search", "icon": "city"}),
        (
            "categories “search”: slug: search is the address of another page; choose "
            "another."
        ),
    ),
    (
        "the same service twice",
        adding("services", new_service(slug=SERVICE)),
        f"{PLACE}: appears twice in the file (also as services #1).",
    ),
    (
        "the same hotline twice",
        lambda d: adding("hotlines", d["hotlines"][0])(d),
        "appears twice in the file (also as hotlines #1).",
    ),
    (
        "an unknown field",
        on_service("sumary_es", "Resumen"),
        f"{PLACE}: “sumary_es” is not a field of this kind of record",
    ),
    (
        "an unknown field in a part",
        on_part("steps", "colour", "red"),
        f"{PLACE}, steps #1: “colour” is not a field of this kind of record",
    ),
    (
        "a part's link to its record",
        on_part("steps", "service", 1),
        f"{PLACE}, steps #1: “service” is not a field of this kind of record",
    ),
    (
        "draft_of on a category",
        lambda d: setting("categories", 0, "draft_of", value="x")(d),
        "categories “schools”: “draft_of” is not a field of this kind of record",
    ),
    # Translation states
    (
        "a translation state that is a number",
        status(5),
        f"{PLACE}: translation_status: expected an object of languages, found 5.",
    ),
    (
        "a translation state that is text",
        status("reviewed"),
        f"{PLACE}: translation_status: expected an object of languages, found text.",
    ),
    (
        "a translation state that is a list",
        status([]),
        "translation_status: expected an object of languages, found a list.",
    ),
    (
        "an unknown language",
        status({"xx": {}}),
        (
            "translation_status: “xx” is not a language this site translates into "
            f"({LANGUAGES})."
        ),
    ),
    (
        "English as a translation",
        status({"en": {}}),
        "translation_status: “en” is not a language this site translates into",
    ),
    (
        "a language with a NUL",
        status({"es\x00": {}}),
        "translation_status: “es\\u0000” is not a language",
    ),
    (
        "a language that is a list",
        status({"es": []}),
        "translation_status: es: expected an object of fields, found a list.",
    ),
    (
        "a state that is text",
        status({"es": {"name": "machine"}}),
        (
            "translation_status: es: name: expected [who made it, fingerprint], such "
            "as "
            '["reviewed", "3f2a9c0e1b7d"], found text.'
        ),
    ),
    (
        "a state of three",
        status({"es": {"name": ["machine", FINGERPRINT, 1]}}),
        "translation_status: es: name: expected [who made it, fingerprint]",
    ),
    (
        "an unknown state",
        status({"es": {"name": ["bogus", FINGERPRINT]}}),
        (
            "translation_status: es: name: “bogus” is not who made a translation "
            "(machine, reviewed)."
        ),
    ),
    (
        "a worked-out state",
        status({"es": {"name": ["outdated", FINGERPRINT]}}),
        "“outdated” is not who made a translation",
    ),
    (
        "a state that is a number",
        status({"es": {"name": [1, FINGERPRINT]}}),
        "“1” is not who made a translation",
    ),
    (
        "a bad fingerprint",
        status({"es": {"name": ["machine", "xyz"]}}),
        (
            "translation_status: es: name: expected the fingerprint of its English, 12 "
            "characters 0-9 and a-f, found xyz."
        ),
    ),
    (
        "a field that is not translated",
        status({"es": {"website": ["machine", FINGERPRINT]}}),
        (
            "translation_status: es: “website” is not a translated field of a service "
            "(cost, eligibility, name, offers, status_note, summary)."
        ),
    ),
    # Wrong types, for every kind of field
    (
        "text that is a number",
        on_service("name_es", 5),
        f"{PLACE}: name_es: expected text, found 5.",
    ),
    (
        "text that is an object",
        on_service("summary_en", {"en": "x"}),
        f"{PLACE}: summary_en: expected text, found an object.",
    ),
    (
        "required text that is null",
        on_service("verified_by", None),
        f"{PLACE}: verified_by: expected a value, found nothing (null).",
    ),
    (
        "required English that is empty",
        on_service("name_en", ""),
        f"{PLACE}: name_en: This field cannot be blank.",
    ),
    (
        "true or false that is text",
        on_service("interpreters", "yes"),
        f"{PLACE}: interpreters: expected true or false, found text.",
    ),
    (
        "true or false that is 1",
        on_service("interpreters", 1),
        f"{PLACE}: interpreters: expected true or false, found 1.",
    ),
    (
        "a number that is text",
        on_service("sort_order", "10"),
        f"{PLACE}: sort_order: expected a whole number, found text.",
    ),
    (
        "a number that is a fraction",
        on_service("sort_order", 1.5),
        f"{PLACE}: sort_order: expected a whole number, found 1.5.",
    ),
    (
        "a number that is true",
        on_service("sort_order", True),
        f"{PLACE}: sort_order: expected a whole number, found true.",
    ),
    (
        "a number too large",
        on_service("sort_order", 40000),
        f"{PLACE}: sort_order: 40000 is not between 0 and 32767.",
    ),
    (
        "a number below zero",
        on_part("steps", "position", -1),
        f"{PLACE}, steps #1: position: -1 is not between 0 and 32767.",
    ),
    (
        "an interval of 3,000,000 days",
        on_service("review_interval_days", 3_000_000),
        "review_interval_days: 3000000 is not between 0 and 32767.",
    ),
    (
        "an interval of 0 days",
        on_service("review_interval_days", 0),
        "review_interval_days: Ensure this value is greater than or equal to 1.",
    ),
    (
        "a date that is a number",
        on_service("last_verified_on", 20261101),
        (
            f"{PLACE}: last_verified_on: expected a date written YYYY-MM-DD, found "
            "20261101."
        ),
    ),
    (
        "a date written another way",
        on_service("last_verified_on", "01/11/2026"),
        "last_verified_on: expected a date written YYYY-MM-DD, found “01/11/2026”.",
    ),
    (
        "a date with a time",
        on_service("last_verified_on", "2026-11-01T10:00"),
        "expected a date written YYYY-MM-DD",
    ),
    (
        "a day that does not exist",
        on_service("last_verified_on", "2026-02-30"),
        f"{PLACE}: last_verified_on: 2026-02-30 is not a day of the calendar.",
    ),
    (
        "a date in year 9999",
        on_service("last_verified_on", "9999-12-31"),
        "last_verified_on: 9999-12-31 is not between 1800-01-01 and 2999-12-31.",
    ),
    (
        "a date in Arabic digits",
        on_service("last_verified_on", "٢٠٢٦-١١-٠١"),
        "expected a date written YYYY-MM-DD",
    ),
    (
        "a required value that is null",
        on_part("assurances", "source_url", None),
        (
            f"{PLACE}, assurances #1: source_url: expected a value, found "
            "nothing "
            "(null)."
        ),
    ),
    (
        "an unknown assurance kind",
        on_part("assurances", "kind", "safe_zone"),
        (
            f"{PLACE}, assurances #1: kind: “safe_zone” is not one of: open_to_all, "
            "does_not_ask, does_not_record, shares_only_by_law, limits_sharing, "
            "does_not_enforce, does_not_hold, offers_interpretation, "
            "federal_law_requires, does_not_promise, cannot_control."
        ),
    ),
    (
        "an unknown icon",
        setting("categories", 0, "icon", value="skull"),
        "categories “schools”: icon: “skull” is not one of:",
    ),
    (
        "an unknown status",
        on_service("status", "live"),
        f"{PLACE}: status: “live” is not one of: draft, in_review, published.",
    ),
    (
        "a link that is not one",
        on_service("website", "javascript:alert(1)"),
        f"{PLACE}: website: Enter a valid URL.",
    ),
    (
        "a phone that is not one",
        on_part("contacts", "phone", "call us"),
        f"{PLACE}, contacts #1: phone: Enter a phone number",
    ),
    (
        "a contact with no phone or address",
        both(on_part("contacts", "phone", ""), on_part("contacts", "address", "")),
        f"{PLACE}, contacts #1: Give a phone number, an address, or both.",
    ),
    (
        "a site with a bad emergency number",
        setting("site", "emergency_number", value="nine-one-one"),
        "site: emergency_number: Enter a phone number",
    ),
    # Characters and sizes
    (
        "a NUL in a text",
        on_service("summary_es", "Escuelas\x00públicas"),
        f"{PLACE}: summary_es: character 9 (U+0000) is not text and cannot be stored.",
    ),
    (
        "a lone surrogate",
        on_part("assurances", "statement_ar", "\ud800"),
        (
            f"{PLACE}, assurances #1: statement_ar: character 1 (U+D800) is not text "
            "and "
            "cannot be stored."
        ),
    ),
    (
        "a terminal escape",
        on_service("name_ru", "\x1b[2J"),
        "name_ru: character 1 (U+001B) is not text",
    ),
    (
        "a control character from a mis-decoded file",
        on_service("cost_fr", "l\x92école"),
        "cost_fr: character 2 (U+0092) is not text",
    ),
    (
        "a name too long",
        on_service("name_en", "x" * 201),
        f"{PLACE}: name_en: 201 characters, more than the 200 it may hold.",
    ),
    (
        "a summary too long",
        on_service("summary_so", "x" * 401),
        f"{PLACE}: summary_so: 401 characters, more than the 400 it may hold.",
    ),
    (
        "a statement too long",
        on_part("assurances", "statement_en", "x" * 601),
        "assurances #1: statement_en: 601 characters, more than the 600 it may hold.",
    ),
    (
        "a 10 MB text",
        on_service("offers_es", "x" * 10_000_000),
        (
            f"{PLACE}: offers_es: 10,000,000 characters, more than the "
            f"{LONG_TEXT:,} it may hold."
        ),
    ),
    (
        "a long text just over the limit",
        lambda d: setting(
            "guides", 0, "sections", 0, "body_en", value="x" * (LONG_TEXT + 1)
        )(d),
        "guides “know-your-rights”, sections #1: body_en: 10,001 characters",
    ),
    (
        "too many steps",
        on_service("steps", [{"text_en": "Go."}] * (MAX_PARTS + 1)),
        f"{PLACE}, steps: 201 of them, more than {MAX_PARTS}.",
    ),
    (
        "parts that are text",
        on_service("steps", "Go there."),
        f"{PLACE}, steps: expected a list, found text.",
    ),
    (
        "a part that is text",
        on_service("steps", ["Go there."]),
        f"{PLACE}, steps #1: expected an object with its fields, found text.",
    ),
    # What a record points to
    (
        "a missing category",
        on_service("category", "no-such-category"),
        (
            f"{PLACE}: category: there is no category “no-such-category” in the file "
            "or "
            "on this site."
        ),
    ),
    (
        "a category that is a number",
        on_service("category", 3),
        f"{PLACE}: category: expected the web address of a category, found 3.",
    ),
    (
        "a category with a NUL",
        on_service("category", "schools\x00"),
        "category: expected the web address of a category, found “schools\\u0000”.",
    ),
    (
        "no category",
        on_service("category", None),
        f"{PLACE}: category: a service needs its category, found nothing (null).",
    ),
    (
        "a new service without its category",
        adding("services", {k: v for k, v in new_service().items() if k != "category"}),
        "services “new-service”: “category” is missing.",
    ),
    (
        "a new service without its name",
        adding("services", {k: v for k, v in new_service().items() if k != "name_en"}),
        "services “new-service”: “name_en” is missing.",
    ),
    (
        "a missing rule",
        on_part("assurances", "policy", "no-such-rule"),
        (
            f"{PLACE}, assurances #1: policy: there is no published policy "
            "“no-such-rule” "
            "in the file or on this site."
        ),
    ),
    (
        "a rule that is a list",
        on_part("assurances", "policy", ["plyler-v-doe"]),
        "assurances #1: policy: expected the web address of a policy, found a list.",
    ),
    (
        "an assurance without its rule",
        on_part("assurances", "policy", None),
        (
            f"{PLACE}, assurances #1: Name the rule this statement rests on (only "
            "what the service does not promise, or the city cannot control, may go "
            "without one)."
        ),
    ),
    (
        "a draft of a missing record",
        adding("services", new_service(slug="orphan", draft_of="no-such-service")),
        (
            "services “orphan” (draft copy): draft_of: there is no published service "
            "“no-such-service” in the file or on this site."
        ),
    ),
    (
        "a draft of itself",
        adding("services", new_service(slug="itself", draft_of="itself")),
        (
            "services “itself” (draft copy): draft_of: names this very record, and "
            "there "
            "is no published service “itself” for it to be a draft copy of."
        ),
    ),
    (
        "two drafts of each other",
        adding(
            "services",
            new_service(slug="one", draft_of="two"),
            new_service(slug="two", draft_of="one"),
        ),
        (
            "services “one” (draft copy): draft_of: “two” is itself a draft copy; "
            "name a "
            "published service."
        ),
    ),
    (
        "a draft of a draft",
        adding(
            "services",
            new_service(slug="renamed", draft_of=SERVICE),
            new_service(slug="second", draft_of="renamed"),
        ),
        (
            "services “second” (draft copy): draft_of: “renamed” is itself a draft "
            "copy; "
            "name a published service."
        ),
    ),
    (
        "two drafts of one record",
        adding(
            "services",
            new_service(slug="one", draft_of=SERVICE),
            new_service(slug="two", draft_of=SERVICE),
        ),
        "services “two” (draft copy): appears twice in the file (also as services #2).",
    ),
    (
        "a draft_of that is a number",
        adding("services", new_service(draft_of=7)),
        "draft_of: expected the web address of a service, found 7.",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"),
    [pytest.param(change, message, id=name) for name, change, message in HOSTILE],
)
def test_a_bad_file_is_refused_with_its_place_and_writes_nothing(change, message):
    before = written()
    dry_run = content_import(data=change(small_file()), dry_run=True)
    real_run = content_import(data=change(small_file()))
    assert dry_run.problems == real_run.problems
    assert not real_run.written
    assert any(message in problem for problem in real_run.problems), real_run.problems
    assert written() == before


def test_every_problem_of_a_file_is_reported_at_once():
    data = small_file()
    service_of(data)["translation_status"] = 5
    service_of(data)["assurances"][1]["statement_es"] = "x" * 700
    data["hotlines"][0]["phone"] = "call us"
    report = content_import(data=data)
    assert report.problems == [
        f"{PLACE}: translation_status: expected an object of languages, found 5.",
        f"{PLACE}, assurances #2: statement_es: 700 characters, more than the 600 "
        "it may hold.",
        "hotlines “emergency”: phone: Enter a phone number with digits, spaces, "
        "dashes or brackets, for example 617-635-4500 or 911.",
    ]


def long_record_texts(record, model):
    """Every free text of a record as long as its field allows, in every language."""
    for key, value in list(record.items()):
        if not isinstance(value, str):
            continue
        field = model._meta.get_field(key)
        free_text = isinstance(field, CharField | TextField)
        only_a_length = all(isinstance(v, MaxLengthValidator) for v in field.validators)
        if free_text and not field.choices and only_a_length:
            limit = field.max_length or LONG_TEXT
            record[key] = ("Ünïcödé ✓ العربية 中文 " * limit)[:limit]
    return record


# Files that are odd but right, and the records each writes: each is imported,
# and every page still answers.
ACCEPTED = [
    (
        "nothing but the header",
        replaced({"format": "city-services-guide-content", "version": 1}),
        {},
    ),
    ("an empty translation state", status({}), {"services": 1}),
    ("a language with no states", status({"es": {}}), {"services": 1}),
    (
        "an outdated translation",
        status({"es": {"name": ["reviewed", FINGERPRINT]}}),
        {"services": 1},
    ),
    (
        "texts as long as they may be",
        lambda d: long_record_texts(service_of(d), Service) and d,
        {"services": 1},
    ),
    (
        "a new service and a draft copy",
        adding(
            "services",
            new_service(),
            new_service(slug=SERVICE, draft_of=SERVICE, name_en="Changed in a draft"),
        ),
        {"services": 3},
    ),
    (
        "a new category",
        adding("categories", {"slug": "new-things", "name_en": "New", "icon": "book"}),
        {"categories": 2},
    ),
]


@pytest.mark.parametrize(
    ("change", "records"),
    [pytest.param(change, records, id=name) for name, change, records in ACCEPTED],
)
def test_an_odd_but_right_file_imports(change, records):
    dry_run = content_import(data=change(small_file()), dry_run=True)
    real_run = content_import(data=change(small_file()))
    assert real_run.ok, real_run.problems
    assert dry_run.ok and not dry_run.written and real_run.written
    assert (dry_run.created, dry_run.updated) == (real_run.created, real_run.updated)
    assert {
        name: real_run.created.get(name, 0) + real_run.updated.get(name, 0)
        for name in records
    } == records


def test_after_the_odd_but_right_files_every_page_answers(staff_client):
    for _name, change, _records in ACCEPTED:
        assert content_import(data=change(small_file())).ok
    assert_every_page_answers(staff_client)


def test_after_every_bad_file_every_page_still_answers(staff_client):
    for _name, change, _message in HOSTILE:
        assert not content_import(data=change(small_file())).ok
    assert_every_page_answers(staff_client)


def page_addresses():
    """One page of each kind, in three languages, and the caseworkers' lists."""
    service = Service.objects.published().get(slug=SERVICE)
    policy = service.assurances.exclude(policy=None).first().policy
    addresses = ["/sitemap.xml", "/hsds/", reverse("admin:translations")]
    for language in ("en", "es", "ar"):
        with translation.override(language):
            addresses += [
                reverse("services:home"),
                service.category.get_absolute_url(),
                service.get_absolute_url(),
                reverse(
                    "services:service_print", args=[service.category.slug, SERVICE]
                ),
                policy.get_absolute_url(),
                reverse("services:guide", args=["know-your-rights"]),
                reverse("services:search") + "?q=school",
                reverse("services:about"),
                f"/hsds/{language}/services/",
            ]
    for language in ("es", "ar"):
        addresses.append(reverse("admin:translations_download", args=[language]))
    for model in (Service, Policy, Category, Guide, Hotline):
        meta = model._meta
        addresses.append(reverse(f"admin:services_{meta.model_name}_changelist"))
    addresses.append(reverse("admin:services_service_change", args=[service.pk]))
    return addresses


def assert_every_page_answers(client):
    for address in page_addresses():
        response = client.get(address)
        assert response.status_code == 200, address


# Files that cannot be read as content files at all.
UNREADABLE = [
    ("empty", b"", "is empty."),
    ("blank", b"  \n", "is empty."),
    ("not JSON", b"{not json", "is not valid JSON: Expecting property name"),
    (
        "cut short",
        b'{"format": "city-services-guide-content", "ver',
        "is not valid JSON",
    ),
    (
        "not UTF-8",
        b'{"format": "\xff\xfe"}',
        "is not UTF-8 text (byte 13 cannot be read).",
    ),
    (
        "nested deeply",
        b"[" * 100_000 + b"]" * 100_000,
        "is nested too deeply to be a content file.",
    ),
    ("NaN", b'{"version": NaN}', "NaN is not a number a content file may hold."),
    (
        "a number of 5,000 digits",
        b'{"version": ' + b"9" * 5000 + b"}",
        "is not a content file: Exceeds the limit",
    ),
    (
        "a key twice",
        b'{"format": 1, "format": 2}',
        "“format” appears twice in one object.",
    ),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [pytest.param(content, message, id=name) for name, content, message in UNREADABLE],
)
def test_the_command_refuses_an_unreadable_file(tmp_path, content, message):
    path = tmp_path / "content.json"
    path.write_bytes(content)
    before = written()
    for extra in (["--dry-run"], []):
        # What the operator sees, and an exit status of 1: never a traceback.
        with pytest.raises(CommandError) as refused:
            call_command("import_content", str(path), *extra)
        assert message in str(refused.value)
        assert refused.value.returncode == 1
    assert written() == before


def test_the_command_reports_every_problem_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "content.json"
    data = small_file()
    service_of(data)["translation_status"] = {"es": {"name": ["bogus", FINGERPRINT]}}
    service_of(data)["slug"] = "public\x00schools"
    path.write_text(json.dumps(data))
    before = written()
    for extra in (["--dry-run"], []):
        with pytest.raises(CommandError, match=r"Nothing was imported: 2 problem\(s\)"):
            call_command("import_content", str(path), *extra)
        assert capsys.readouterr().err.splitlines() == [
            "- services #1: translation_status: es: name: “bogus” is not who made "
            "a translation (machine, reviewed).",
            "- services #1: slug: character 7 (U+0000) is not text and cannot be "
            "stored.",
        ]
    assert written() == before
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_content", str(tmp_path / "missing.json"))


def test_a_file_nested_too_deeply_ends_the_command_with_a_message(tmp_path):
    """As an operator runs it, in a process of its own: exit status 1, one line
    saying why, no traceback (the file is refused before the database is used)."""
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3"}
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_content", str(path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    assert finished.stderr.strip().endswith(
        "is nested too deeply to be a content file."
    )
