"""All content in one versioned JSON file: for backups and for moving content.

`content_export()` writes every record in every language, with its translation
states and verification dates (the shape: content_io/document.py). The file goes
back in through `content_import()` (content_io/importer.py), which checks all of
it before writing any of it and matches records by their web addresses, so
importing into a site that has content never duplicates it.
"""

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from services.content_io.document import (
    FORMAT,
    SECTIONS,
    SITE,
    SITE_MODEL,
    VERSION,
    reference_fields,
    value_fields,
)
from services.models import parts_of


def _dump(obj: models.Model, parent: type[models.Model] | None = None) -> dict:
    data: dict[str, Any] = {}
    for model_field in value_fields(type(obj)):
        value = getattr(obj, model_field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        data[model_field.name] = value
    for model_field in reference_fields(type(obj), parent=parent):
        target = getattr(obj, model_field.name)
        data[model_field.name] = target.slug if target is not None else None
    for relation, _part_model in parts_of(type(obj)):
        data[relation] = [
            _dump(part, parent=type(obj)) for part in getattr(obj, relation).all()
        ]
    return data


def content_export() -> dict:
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        SITE: None,
    }
    site = SITE_MODEL._default_manager.filter(pk=1).first()
    if site is not None:
        data[SITE] = _dump(site)
    for name, model in SECTIONS:
        queryset = model._default_manager.order_by("pk")
        related = [field.name for field in reference_fields(model)]
        data[name] = [_dump(obj) for obj in queryset.select_related(*related)]
    return data
