"""All content in one versioned JSON file: for backups and for moving content.

`content_export()` writes every record in every language, with its translation
states and verification dates. `content_import()` checks the whole file first and
writes nothing if any part is wrong; then it updates records by their stable keys
(web addresses), so importing into a site that has content never duplicates it.
A record's parts (steps, contacts, assurances, sections) are replaced by the
file's.
"""

import datetime
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

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
    Step,
)

FORMAT = "city-services-guide-content"
VERSION = 1
# Bookkeeping, not content: set again by the database on import.
SKIPPED = {"id", "updated_at", "review_due_on", "draft_of"}

PARTS = {
    Service: {"steps": Step, "documents": Document, "contacts": ContactPoint,
              "assurances": Assurance},
    Guide: {"sections": GuideSection},
}  # fmt: skip
SECTIONS = [
    ("categories", Category),
    ("policies", Policy),
    ("services", Service),
    ("guides", Guide),
    ("hotlines", Hotline),
]


def _plain_fields(model):
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.name not in SKIPPED and not model_field.is_relation
    ]


def _dump(obj):
    data = {}
    for model_field in _plain_fields(type(obj)):
        value = getattr(obj, model_field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        data[model_field.name] = value
    return data


def content_export() -> dict:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "site": None,
    }
    site = SiteProfile.objects.filter(pk=1).first()
    if site is not None:
        data["site"] = _dump(site)
    for name, model in SECTIONS:
        records = []
        queryset = model.objects.order_by("pk")
        for obj in queryset:
            record = _dump(obj)
            if hasattr(obj, "draft_of_id"):
                record["draft_of"] = obj.draft_of.slug if obj.draft_of_id else None
            if model in (Service, Guide):
                record["category"] = obj.category.slug if obj.category_id else None
            for relation, part_model in PARTS.get(model, {}).items():
                parts = []
                for part in getattr(obj, relation).order_by("position", "pk"):
                    part_record = _dump(part)
                    if part_model is Assurance:
                        part_record["policy"] = (
                            part.policy.slug if part.policy_id else None
                        )
                    parts.append(part_record)
                record[relation] = parts
            records.append(record)
        data[name] = records
    return data


@dataclass
class ImportReport:
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    written: bool = False

    @property
    def ok(self):
        return not self.errors


def _build(model, record, where, errors, instance=None):
    """An unsaved record from the file's values; problems go to `errors`."""
    obj = instance or model()
    if not isinstance(record, dict):
        errors.append(f"{where}: expected an object with the record's fields.")
        return None
    for model_field in _plain_fields(model):
        if model_field.name not in record:
            if (
                instance is None
                and not model_field.has_default()
                and not (model_field.blank or model_field.null)
            ):
                errors.append(f"{where}: “{model_field.name}” is missing.")
            continue
        value = record[model_field.name]
        try:
            if value is not None and isinstance(
                model_field, models.DateField | models.DateTimeField
            ):
                value = model_field.to_python(value)
            setattr(obj, model_field.attname, value)
        except ValidationError as error:
            errors.append(f"{where}: {model_field.name}: {' '.join(error.messages)}")
    return obj


def _check(obj, where, errors, exclude=()):
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = "" if name == "__all__" else f"{name}: "
            errors.append(f"{where}: {label}{' '.join(messages)}")


def content_import(*, data, dry_run=False) -> ImportReport:
    """Check the whole file, then write it in one transaction (or not at all)."""
    report = ImportReport()
    errors = report.errors
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        errors.append(f"This is not a content file of this guide (format {FORMAT}).")
        return report
    if data.get("version") != VERSION:
        errors.append(
            f"This file has version {data.get('version')!r}; this site reads "
            f"version {VERSION}."
        )
        return report
    for name, _model in SECTIONS:
        if not isinstance(data.get(name, []), list):
            errors.append(f"“{name}” must be a list.")
    if errors:
        return report

    plan = []  # (model, obj, parts, references) in the order they are written
    category_slugs = {
        record.get("slug") for record in data.get("categories", [])
    } | set(Category.objects.values_list("slug", flat=True))
    policy_slugs = {
        record.get("slug")
        for record in data.get("policies", [])
        if not record.get("draft_of")
    } | set(Policy.objects.filter(draft_of=None).values_list("slug", flat=True))

    if data.get("site") is not None:
        existing = SiteProfile.objects.filter(pk=1).first()
        site = _build(SiteProfile, data["site"], "site", errors, existing)
        if site is not None:
            site.pk = 1
            _check(site, "site", errors)
            plan.append((SiteProfile, site, {}, {}))

    for name, model in SECTIONS:
        seen = set()
        for number, record in enumerate(data.get(name, []), start=1):
            where = f"{name} #{number}"
            if not isinstance(record, dict) or not record.get("slug"):
                errors.append(f"{where}: every record needs its “slug”.")
                continue
            draft_of = record.get("draft_of")
            key = (record["slug"], bool(draft_of))
            where = f"{name} “{record['slug']}”" + (" (draft copy)" if draft_of else "")
            if key in seen:
                errors.append(f"{where}: appears twice in the file.")
                continue
            seen.add(key)
            existing = _existing(model, record["slug"], draft_of)
            obj = _build(model, record, where, errors, existing)
            if obj is None:
                continue
            references = {}
            exclude = ["category", "draft_of"]
            if model in (Service, Guide):
                category = record.get("category")
                if category and category not in category_slugs:
                    errors.append(f"{where}: no category “{category}”.")
                if model is Service and not category:
                    errors.append(f"{where}: a service needs its category.")
                references["category"] = category
            if draft_of is not None:
                references["draft_of"] = draft_of
            _check(obj, where, errors, exclude=exclude)
            parts = {}
            for relation, part_model in PARTS.get(model, {}).items():
                items = record.get(relation, [])
                if not isinstance(items, list):
                    errors.append(f"{where}: “{relation}” must be a list.")
                    continue
                built = []
                for index, item in enumerate(items, start=1):
                    part_where = f"{where}, {relation} #{index}"
                    part = _build(part_model, item, part_where, errors)
                    if part is None:
                        continue
                    part_references = {}
                    if part_model is Assurance:
                        policy = item.get("policy")
                        if policy and policy not in policy_slugs:
                            errors.append(f"{part_where}: no policy “{policy}”.")
                        part_references["policy"] = policy
                        if not policy and part.kind != "cannot_control":
                            errors.append(
                                f"{part_where}: names no rule; only “what the city "
                                "cannot control” may go without one."
                            )
                    _check(
                        part, part_where, errors, exclude=["service", "guide", "policy"]
                    )
                    built.append((part, part_references))
                parts[relation] = built
            plan.append((model, obj, parts, references))

    if errors or dry_run:
        return report
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment("Imported from a content file")
        written = {}
        for model, obj, parts, references in plan:
            if "category" in references:
                slug = references["category"]
                obj.category = Category.objects.get(slug=slug) if slug else None
            if references.get("draft_of"):
                obj.draft_of = model.objects.get(
                    slug=references["draft_of"], draft_of=None
                )
            if obj.pk is None:
                report.created += 1
            else:
                report.updated += 1
            obj.save()
            written[(model, obj.pk)] = obj
            for relation, built in parts.items():
                manager = getattr(obj, relation)
                manager.all().delete()
                parent = manager.field.name
                for part, part_references in built:
                    setattr(part, parent, obj)
                    if part_references.get("policy"):
                        part.policy = Policy.objects.get(
                            slug=part_references["policy"], draft_of=None
                        )
                    part.save()
    report.written = True
    return report


def _existing(model, slug, draft_of):
    if model in (Category, Hotline):
        return model.objects.filter(slug=slug).first()
    if draft_of:
        return model.objects.filter(slug=slug, draft_of__slug=draft_of).first()
    return model.objects.filter(slug=slug, draft_of=None).first()
