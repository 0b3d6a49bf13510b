"""The content file: one JSON document holding every record, in every language.

Its shape is read from the models, so a field or a part added to a model reaches
the export, the import and the sample without being listed here:

    {"format": "city-services-guide-content", "version": 1, "exported_at": "...",
     "site": {...}, "categories": [...], "policies": [...], "services": [...],
     "guides": [...], "hotlines": [...], "holidays": [...], "alerts": [...]}

A record holds its fields by name (a translated field once per language:
``name_en``, ``name_es``, ...), each record it points to by web address
(``"category": "schools"``; ``"draft_of"`` on a draft copy), and its parts
(``models.parts_of``) as lists of objects.
"""

from django.db import models

from services.models import (
    Alert,
    Category,
    Guide,
    Holiday,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    parts_of,
)
from services.translations.state import translated_fields

FORMAT = "city-services-guide-content"
VERSION = 1

SITE = "site"
SITE_MODEL = SiteProfile
# In the order they are written: what a record points to comes before it.
SECTIONS: list[tuple[str, type[models.Model]]] = [
    ("categories", Category),
    ("policies", Policy),
    ("services", Service),
    ("guides", Guide),
    ("hotlines", Hotline),
    ("holidays", Holiday),
    ("alerts", Alert),
]
TOP_LEVEL_KEYS = {"format", "version", "exported_at", SITE} | {
    name for name, _model in SECTIONS
}

# Bookkeeping, not content: the database sets them again on import, so a file
# may carry them and they are ignored.
BOOKKEEPING = {"id", "updated_at", "review_due_on"}
DRAFT_OF = "draft_of"


def value_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a record holds as values: every language's column of a
    translated field, never the untranslated column behind them."""
    translated = set(translated_fields(model))
    return [
        field
        for field in model._meta.concrete_fields
        if not field.is_relation
        and field.name not in BOOKKEEPING
        and field.name not in translated
    ]


def reference_fields(
    model: type[models.Model], *, parent: type[models.Model] | None = None
) -> list[models.ForeignKey]:
    """The records a record points to, written as their web address. A part's
    link to its own record is left out: the part sits inside that record."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is not parent
    ]


def ignored_keys(model: type[models.Model]) -> set[str]:
    """Keys a file may carry that are never written: bookkeeping, and the
    untranslated column that earlier exports carried beside each language's
    (it only ever repeated one of them)."""
    return BOOKKEEPING | set(translated_fields(model))


def record_keys(
    model: type[models.Model], *, parent: type[models.Model] | None = None
) -> set[str]:
    """Every key a record (or, with its `parent`, a part) may hold."""
    return (
        {field.name for field in value_fields(model)}
        | {field.name for field in reference_fields(model, parent=parent)}
        | {relation for relation, _part in parts_of(model)}
        | ignored_keys(model)
    )


def has_slug(model: type[models.Model]) -> bool:
    return any(field.name == "slug" for field in model._meta.concrete_fields)


def has_drafts(model: type[models.Model]) -> bool:
    return any(field.name == DRAFT_OF for field in model._meta.concrete_fields)
