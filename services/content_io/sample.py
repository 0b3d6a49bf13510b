"""The Boston sample content: `boston.json` (English and untranslated fields) and
`boston/<language>.json` (translations, keyed by the paths `strings()` yields).

Each translation file maps a key such as ``service.public-schools.steps.2`` to the
text in that language; a key missing from a file falls back to English on the site.
`boston/_sources.json` keeps the fingerprint of the English the translations were
made from: a translation whose English has changed since loads as outdated, so the
site shows the English until it is translated again.
"""

import dataclasses
import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from services.models import (
    Assurance,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Status,
    Step,
)
from services.translations import state

DIRECTORY = Path(__file__).resolve().parent.parent / "sample_content"

CONTENT_FILE = DIRECTORY / "boston.json"
TRANSLATIONS_DIRECTORY = DIRECTORY / "boston"

# The translated fields of each kind of record in boston.json.
TRANSLATED = {
    "site": (
        "city_name",
        "site_name",
        "emergency_note",
        "interpreter_note",
        "operator",
        "disclaimer",
    ),
    "category": ("name", "description"),
    "policy": ("name", "summary", "limits"),
    "service": ("name", "summary", "offers", "eligibility", "cost"),
    "document": ("name",),
    "contact": ("name", "hours", "note", "meeting_point"),
    "assurance": ("statement",),
    "guide": ("title", "summary", "attribution"),
    "section": ("heading", "body"),
    "hotline": ("name", "description"),
}


def read_content(path=CONTENT_FILE):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_sources(directory=TRANSLATIONS_DIRECTORY):
    """The fingerprint of the English each key was translated from."""
    path = Path(directory) / "_sources.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def read_translations(language, directory=TRANSLATIONS_DIRECTORY):
    path = Path(directory) / f"{language}.json"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def _fields(prefix, record, kind):
    for field in TRANSLATED[kind]:
        if record.get(field):
            yield f"{prefix}.{field}", record[field]


def strings(content):
    """Every English text of the sample content, with its translation key."""
    yield from _fields("site", content["site"], "site")
    for category in content["categories"]:
        yield from _fields(f"category.{category['slug']}", category, "category")
    for policy in content["policies"]:
        yield from _fields(f"policy.{policy['slug']}", policy, "policy")
    for service in content["services"]:
        prefix = f"service.{service['slug']}"
        yield from _fields(prefix, service, "service")
        for number, step in enumerate(service["steps"], start=1):
            yield f"{prefix}.steps.{number}", step
        for number, document in enumerate(service["documents"], start=1):
            yield from _fields(f"{prefix}.documents.{number}", document, "document")
        for number, contact in enumerate(service["contacts"], start=1):
            yield from _fields(f"{prefix}.contacts.{number}", contact, "contact")
        for number, assurance in enumerate(service["assurances"], start=1):
            yield from _fields(f"{prefix}.assurances.{number}", assurance, "assurance")
    for guide in content["guides"]:
        prefix = f"guide.{guide['slug']}"
        yield from _fields(prefix, guide, "guide")
        for number, section in enumerate(guide["sections"], start=1):
            yield from _fields(f"{prefix}.sections.{number}", section, "section")
    for hotline in content["hotlines"]:
        yield from _fields(f"hotline.{hotline['slug']}", hotline, "hotline")


@dataclass
class LoadReport:
    created: dict = dataclasses.field(default_factory=dict)
    kept: dict = dataclasses.field(default_factory=dict)

    def count(self, bucket, model):
        name = model._meta.verbose_name_plural
        getattr(self, bucket)[name] = getattr(self, bucket).get(name, 0) + 1


class _Texts:
    """Sets every language's text of a record from the English and the translations."""

    def __init__(self, translations, sources):
        self.translations = translations
        self.sources = sources

    def apply(self, obj, key_prefix, record, fields):
        for name in fields:
            self.apply_one(obj, name, record.get(name) or "", f"{key_prefix}.{name}")
        return obj

    def apply_one(self, obj, name, english, key):
        setattr(obj, build_localized_fieldname(name, "en"), english)
        # Made from this very English? Otherwise the translation loads outdated.
        current = self.sources.get(key) == state.fingerprint(english)
        for language, texts in self.translations.items():
            text = texts.get(key, "") if english else ""
            setattr(obj, build_localized_fieldname(name, language), text)
            if current:
                # No person has reviewed the sample translations yet.
                state.mark(obj, language, [name], state.MACHINE)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def sample_content_load(*, content=None, translations=None, today=None) -> LoadReport:
    """Create the sample records that are missing; never touch existing ones.

    A record is matched by its stable key (slug). If a caseworker has created or
    edited a record with that key, it is kept exactly as it is, with its children.
    """
    content = content or read_content()
    if translations is None:
        translations = {
            code: read_translations(code)
            for code, _name in settings.LANGUAGES
            if code != "en"
        }
    texts = _Texts(translations, read_sources())
    report = LoadReport()
    verified_on = datetime.date.fromisoformat(content["verified_on"])
    verified = {
        "status": Status.PUBLISHED,
        "last_verified_on": verified_on,
        "verified_by": content["verified_by"],
    }

    if SiteProfile.objects.filter(pk=1).exists():
        report.count("kept", SiteProfile)
    else:
        site = content["site"]
        profile = SiteProfile(pk=1, emergency_number=site["emergency_number"])
        texts.apply(profile, "site", site, TRANSLATED["site"])
        _save(profile)
        report.count("created", SiteProfile)

    categories = {}
    for position, record in enumerate(content["categories"], start=1):
        category = Category.objects.filter(slug=record["slug"]).first()
        if category:
            report.count("kept", Category)
        else:
            category = Category(slug=record["slug"], icon=record["icon"])
            category.sort_order = position * 10
            texts.apply(
                category,
                f"category.{record['slug']}",
                record,
                TRANSLATED["category"],
            )
            _save(category)
            report.count("created", Category)
        categories[record["slug"]] = category

    policies = {}
    for record in content["policies"]:
        policy = Policy.objects.filter(slug=record["slug"], draft_of=None).first()
        if policy:
            report.count("kept", Policy)
        else:
            policy = Policy(
                slug=record["slug"],
                citation=record["citation"],
                official_url=record["official_url"],
                in_force_since=record["in_force_since"],
                verification_note=record["note"],
                **verified,
            )
            texts.apply(
                policy,
                f"policy.{record['slug']}",
                record,
                TRANSLATED["policy"],
            )
            _save(policy)
            report.count("created", Policy)
        policies[record["slug"]] = policy

    for position, record in enumerate(content["services"], start=1):
        if Service.objects.filter(slug=record["slug"], draft_of=None).exists():
            report.count("kept", Service)
            continue
        _create_service(
            record,
            position=position,
            category=categories[record["category"]],
            policies=policies,
            texts=texts,
            verified=verified,
        )
        report.count("created", Service)

    for position, record in enumerate(content["guides"], start=1):
        if Guide.objects.filter(slug=record["slug"], draft_of=None).exists():
            report.count("kept", Guide)
            continue
        prefix = f"guide.{record['slug']}"
        guide = Guide(
            slug=record["slug"],
            category=categories.get(record["category"]),
            source_url=record["source_url"],
            verification_note=record["note"],
            sort_order=position * 10,
            **verified,
        )
        texts.apply(guide, prefix, record, TRANSLATED["guide"])
        _save(guide)
        for number, section_record in enumerate(record["sections"], start=1):
            section = GuideSection(guide=guide, position=number)
            texts.apply(
                section,
                f"{prefix}.sections.{number}",
                section_record,
                TRANSLATED["section"],
            )
            _save(section)
        report.count("created", Guide)

    for position, record in enumerate(content["hotlines"], start=1):
        if Hotline.objects.filter(slug=record["slug"]).exists():
            report.count("kept", Hotline)
            continue
        hotline = Hotline(
            slug=record["slug"],
            phone=record["phone"],
            website=record["website"],
            sort_order=position * 10,
            last_verified_on=verified_on,
            verification_note=record["note"],
        )
        texts.apply(
            hotline,
            f"hotline.{record['slug']}",
            record,
            TRANSLATED["hotline"],
        )
        _save(hotline)
        report.count("created", Hotline)

    return report


def _create_service(record, *, position, category, policies, texts, verified):
    prefix = f"service.{record['slug']}"
    service = Service(
        slug=record["slug"],
        category=category,
        interpreters=record["interpreters"],
        website=record["website"],
        verification_note=record["note"],
        sort_order=position * 10,
        **verified,
    )
    texts.apply(service, prefix, record, TRANSLATED["service"])
    _save(service)
    for number, text in enumerate(record["steps"], start=1):
        step = Step(service=service, position=number)
        texts.apply_one(step, "text", text, f"{prefix}.steps.{number}")
        _save(step)
    for number, document_record in enumerate(record["documents"], start=1):
        document = Document(
            service=service,
            position=number,
            is_alternative=document_record["is_alternative"],
        )
        texts.apply(
            document,
            f"{prefix}.documents.{number}",
            document_record,
            TRANSLATED["document"],
        )
        _save(document)
    for number, contact_record in enumerate(record["contacts"], start=1):
        contact = ContactPoint(
            service=service,
            position=number,
            phone=contact_record["phone"],
            address=contact_record["address"],
            last_verified_on=verified["last_verified_on"],
        )
        texts.apply(
            contact,
            f"{prefix}.contacts.{number}",
            contact_record,
            TRANSLATED["contact"],
        )
        _save(contact)
    for number, assurance_record in enumerate(record["assurances"], start=1):
        policy_slug = assurance_record["policy"]
        assurance = Assurance(
            service=service,
            position=number,
            kind=assurance_record["kind"],
            policy=policies[policy_slug] if policy_slug else None,
            source_url=assurance_record["source_url"],
            last_verified_on=verified["last_verified_on"],
        )
        texts.apply(
            assurance,
            f"{prefix}.assurances.{number}",
            assurance_record,
            TRANSLATED["assurance"],
        )
        _save(assurance)
    return service
