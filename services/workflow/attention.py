"""Reads for reviewers: what needs attention, by reason."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from services.models import Guide, Policy, Service, Status, Verified
from services.translations import state
from services.translations.selectors import translation_overview

REVIEWED_MODELS: tuple[type[Verified], ...] = (Service, Policy, Guide)


def _attention_row(obj: Verified) -> dict[str, Any]:
    meta = obj._meta
    name = f"admin:{meta.app_label}_{meta.model_name}"
    return {
        "label": str(obj),
        "kind": meta.verbose_name,
        "url": reverse(f"{name}_change", args=[obj.pk]),
        "verify_url": reverse(f"{name}_verify", args=[obj.pk]),
        "status": obj.get_status_display(),
        "is_draft_copy": obj.draft_of_id is not None,
        "reason": obj.needs_review_reason,
        "due": obj.review_due_on,
    }


def needs_attention(
    *,
    today: datetime.date | None = None,
    models: Iterable[type[Verified]] = REVIEWED_MODELS,
) -> dict[str, list[dict[str, Any]]]:
    """What reviewers should look at, by reason, among the kinds of record given
    (those the person may see)."""
    today = today or timezone.localdate()
    sections: dict[str, list[dict[str, Any]]] = {
        "overdue": [],
        "in_review": [],
        "policy_changed": [],
        "outdated": [],
    }
    for model in models:
        overdue = model.objects.filter(draft_of__isnull=True).due_for_review(
            today=today
        )
        sections["overdue"] += map(_attention_row, overdue.order_by("review_due_on"))
        in_review = model.objects.filter(status=Status.IN_REVIEW)
        sections["in_review"] += map(_attention_row, in_review)
        changed = model.objects.exclude(needs_review_reason="").filter(
            draft_of__isnull=True
        )
        sections["policy_changed"] += map(_attention_row, changed)
    sections["outdated"] = [
        row
        for row in translation_overview(languages=state.TARGET_LANGUAGES)
        if state.OUTDATED in row["states"].values()
    ]
    return sections


def attention_counts(
    *,
    today: datetime.date | None = None,
    models: Iterable[type[Verified]] = REVIEWED_MODELS,
) -> dict[str, int]:
    """How many records wait in each section of "Needs attention", for the index."""
    today = today or timezone.localdate()
    counts = {"in_review": 0, "policy_changed": 0, "overdue": 0}
    for model in models:
        records = model.objects.all()
        counts["in_review"] += records.filter(status=Status.IN_REVIEW).count()
        counts["policy_changed"] += (
            records.filter(draft_of__isnull=True)
            .exclude(needs_review_reason="")
            .count()
        )
        counts["overdue"] += (
            records.filter(draft_of__isnull=True).due_for_review(today=today).count()
        )
    return counts
