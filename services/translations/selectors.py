"""Reads for translators: every record's state in each language."""

from django.urls import reverse

from services.models import (
    Category,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    parts_of,
)
from services.translations import state

# The records a translator works through; each is shown with its parts.
OVERVIEW_MODELS = [SiteProfile, Category, Service, Policy, Guide, Hotline]


def translation_overview(*, languages):
    """Each record with its worst translation state per language, parts included."""
    rows = []
    for model in OVERVIEW_MODELS:
        meta = model._meta
        children = [relation for relation, _part in parts_of(model)]
        for obj in model.objects.prefetch_related(*children).order_by("pk"):
            records = [obj]
            for relation in children:
                records.extend(getattr(obj, relation).all())
            states = {
                language: state.combined_state(records, language)
                for language in languages
            }
            rows.append(
                {
                    "label": str(obj),
                    "kind": meta.verbose_name,
                    "url": reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_change",
                        args=[obj.pk],
                    ),
                    "states": states,
                }
            )
    return rows
