"""The Boston sample content: `boston.json` (English and untranslated fields) and
`boston/<language>.json` (translations, keyed by the paths `strings()` yields).

Each translation file maps a key such as ``service.public-schools.steps.2`` to the
text in that language; a key missing from a file falls back to English on the site.
`boston/_sources.json` keeps the fingerprint of the English the translations were
made from: a translation whose English has changed since loads as outdated, so the
site shows the English until it is translated again.
"""

import json
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent
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
