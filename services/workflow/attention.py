"""Reads for reviewers: what needs attention, by reason."""

import datetime
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone

from services.models import (
    Alert,
    Assurance,
    ContactPoint,
    Guide,
    Holiday,
    OperatingStatus,
    Policy,
    Service,
    Status,
    Verified,
)
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
        "note": obj.verification_note,
    }


# A site's front page ("https://www.mass.gov/"): a source a resident cannot
# follow to the words it stands for. The same expression in Python and in the
# database (SQLite and PostgreSQL both match it), so a list reads only the rows
# it shows.
HOMEPAGE = r"^https?://[^/?#]+/?$"


def is_homepage(url: str) -> bool:
    return re.match(HOMEPAGE, url) is not None


def homepage_links(obj: Verified) -> list[str]:
    """The sources of one record (and of its statements) that are front pages."""
    links = [getattr(obj, name, "") for name in ("official_url", "source_url")]
    if isinstance(obj, Service):
        links += [assurance.source_url for assurance in obj.assurances.all()]
    return list(dict.fromkeys(link for link in links if link and is_homepage(link)))


# The field of each kind of record that holds its own source.
SOURCE_FIELDS: dict[type[Verified], str] = {
    Policy: "official_url",
    Guide: "source_url",
}


def homepage_sources(
    models: Iterable[type[Verified]] = REVIEWED_MODELS,
) -> Iterator[dict[str, Any]]:
    """Each record that gives a site's front page as a source, with the link."""
    for model in models:
        field = SOURCE_FIELDS.get(model)
        if field is None:
            continue
        records = model.objects.filter(
            draft_of__isnull=True, **{f"{field}__regex": HOMEPAGE}
        )
        for obj in records:
            yield {**_attention_row(obj), "link": getattr(obj, field)}
    if Service in models:
        assurances = Assurance.objects.filter(
            service__draft_of__isnull=True, source_url__regex=HOMEPAGE
        ).select_related("service")
        for assurance in assurances:
            yield {
                **_attention_row(assurance.service),
                "link": assurance.source_url,
                "part": assurance.statement,
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
        "never_checked": [],
        "overdue": [],
        "in_review": [],
        "policy_changed": [],
        "outdated": [],
    }
    models = tuple(models)
    for model in models:
        originals = model.objects.filter(draft_of__isnull=True)
        # First: what no person has ever checked, though residents may read it.
        never = originals.filter(last_verified_on=None)
        sections["never_checked"] += map(_attention_row, never.order_by("pk"))
        overdue = originals.filter(review_due_on__lte=today)
        sections["overdue"] += map(_attention_row, overdue.order_by("review_due_on"))
        in_review = model.objects.filter(status=Status.IN_REVIEW)
        sections["in_review"] += map(_attention_row, in_review)
        changed = model.objects.exclude(needs_review_reason="").filter(
            draft_of__isnull=True
        )
        sections["policy_changed"] += map(_attention_row, changed)
    sections["homepage_sources"] = list(homepage_sources(models))
    if Service in models:
        sections.update(hours_and_status(today))
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
    counts = {"never_checked": 0, "in_review": 0, "policy_changed": 0, "overdue": 0}
    for model in models:
        records = model.objects.all()
        counts["in_review"] += records.filter(status=Status.IN_REVIEW).count()
        counts["policy_changed"] += (
            records.filter(draft_of__isnull=True)
            .exclude(needs_review_reason="")
            .count()
        )
        originals = records.filter(draft_of__isnull=True)
        counts["never_checked"] += originals.filter(last_verified_on=None).count()
        counts["overdue"] += originals.filter(review_due_on__lte=today).count()
    return counts


# A closure longer than this is more likely an ending nobody recorded.
LONG_CLOSURE_DAYS = 30


def hours_and_status(today: datetime.date) -> dict[str, Any]:
    """What keeps "open now" and a service's status true: closures that end
    this week, closures that have lasted a month, alerts that ended, contact
    points with no hours, and whether next year's holidays are there."""
    services = Service.objects.filter(draft_of__isnull=True)
    closed = services.filter(operating_status=OperatingStatus.TEMPORARILY_CLOSED)
    week_ahead = today + datetime.timedelta(days=7)
    ending = closed.filter(closed_until__gte=today, closed_until__lte=week_ahead)
    long_closed = closed.filter(
        closed_from__lte=today - datetime.timedelta(days=LONG_CLOSURE_DAYS)
    ).exclude(closed_until__lt=today)
    no_hours = (
        ContactPoint.objects.filter(service__draft_of__isnull=True, opening_hours={})
        .select_related("service")
        .order_by("service__sort_order", "service__slug", "position")
    )
    next_year = today.year + 1
    return {
        "closures_ending": [
            {**_attention_row(service), "until": service.closed_until}
            for service in ending.order_by("closed_until")
        ],
        "long_closures": [
            {**_attention_row(service), "since": service.closed_from}
            for service in long_closed.order_by("closed_from")
        ],
        "alerts_ended": [
            {
                "label": str(alert),
                "url": reverse("admin:services_alert_change", args=[alert.pk]),
                "ended": alert.ends_at,
            }
            for alert in Alert.objects.filter(ends_at__lte=timezone.now()).order_by(
                "-ends_at"
            )
        ],
        "no_hours": [
            {
                **_attention_row(contact.service),
                "contact": str(contact),
            }
            for contact in no_hours
        ],
        "next_year": next_year,
        "next_year_holidays": Holiday.objects.filter(day__year=next_year).count(),
    }
