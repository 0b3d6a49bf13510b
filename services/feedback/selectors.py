"""What the admin and the About page read of reports and counts."""

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation

from config.languages import LANGUAGES
from services.models import PageCount, Problem, Report, Service

LANGUAGE_NAMES = dict(LANGUAGES)


def open_reports(*, status_questions: bool) -> list[dict[str, Any]]:
    """Open reports grouped by record and problem, most reported first, each with
    its comments and their languages. `status_questions`: only the reports that
    staff asked about immigration status (for reviewers, first), or all others."""
    reports = Report.objects.filter(closed_on=None).select_related(
        "service", "policy", "guide"
    )
    if status_questions:
        reports = reports.filter(problem=Problem.ASKED_STATUS)
    else:
        reports = reports.exclude(problem=Problem.ASKED_STATUS)
    groups: dict[tuple[Any, str], list[Report]] = defaultdict(list)
    for report in reports.order_by("made_on", "id"):
        groups[(report.record, report.problem)].append(report)
    rows = []
    for (record, problem), found in groups.items():
        meta = record._meta
        rows.append(
            {
                "label": str(record),
                "url": reverse(
                    f"admin:{meta.app_label}_{meta.model_name}_change",
                    args=[record.pk],
                ),
                "problem": Problem(problem).label,
                "count": len(found),
                "since": found[0].made_on,
                "languages": sorted({LANGUAGE_NAMES[r.language] for r in found}),
                "comments": [
                    {
                        "id": r.pk,
                        "language": LANGUAGE_NAMES[r.language],
                        "code": r.language,
                        "text": r.comment,
                    }
                    for r in found
                    if r.comment
                ],
            }
        )
    return sorted(rows, key=lambda row: -row["count"])


def page_names() -> dict[str, str]:
    """The English name of each service, by the address counted for its page."""
    with translation.override("en"):
        return {
            service.get_absolute_url()[len("/en") :]: service.name
            for service in Service.objects.published().select_related("category")
        }


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def views_per_language_per_week(
    *, weeks: int = 8, today: datetime.date | None = None
) -> tuple[list[datetime.date], list[tuple[str, list[int]]]]:
    """The Mondays of the last `weeks` weeks (the current one last), and per
    language its views in each."""
    today = today or timezone.localdate()
    mondays = [
        week_start(today) - datetime.timedelta(weeks=back)
        for back in range(weeks - 1, -1, -1)
    ]
    totals: dict[tuple[str, datetime.date], int] = defaultdict(int)
    counted = PageCount.objects.filter(day__gte=mondays[0]).values_list(
        "language", "day", "views"
    )
    for language, day, views in counted:
        totals[(language, week_start(day))] += views
    return mondays, [
        (name, [totals[(code, monday)] for monday in mondays])
        for code, name in LANGUAGES
    ]


def most_read(
    *,
    kind: str = "service",
    days: int = 30,
    per_language: int = 5,
    today: datetime.date | None = None,
) -> list[tuple[str, list[tuple[str, int]]]]:
    """Per language, its most-read pages of a kind over the last `days` days."""
    today = today or timezone.localdate()
    rows = (
        PageCount.objects.filter(
            kind=kind, day__gt=today - datetime.timedelta(days=days)
        )
        .values("language", "page")
        .annotate(total=Sum("views"))
        .order_by("language", "-total", "page")
    )
    names = page_names()
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        if len(found[row["language"]]) < per_language and row["total"]:
            name = names.get(row["page"], row["page"])
            found[row["language"]].append((name, row["total"]))
    return [(name, found[code]) for code, name in LANGUAGES if found[code]]


def least_useful(
    *, days: int = 30, limit: int = 10, today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Pages with the most "not useful" answers, with their "useful" ones."""
    today = today or timezone.localdate()
    rows = (
        PageCount.objects.filter(day__gt=today - datetime.timedelta(days=days))
        .values("page", "language")
        .annotate(no=Sum("not_useful"), yes=Sum("useful"))
        .filter(no__gt=0)
        .order_by("-no", "page")[:limit]
    )
    return [{**row, "language_name": LANGUAGE_NAMES[row["language"]]} for row in rows]


def monthly_totals(
    *, months: int = 3, today: datetime.date | None = None
) -> tuple[list[datetime.date], list[tuple[str, str, list[int]]]]:
    """The first days of the last `months` months (this one last), and per
    language its views in each: what the About page publishes."""
    today = today or timezone.localdate()
    firsts: list[datetime.date] = []
    first = today.replace(day=1)
    for _ in range(months):
        firsts.insert(0, first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    totals: dict[tuple[str, datetime.date], int] = defaultdict(int)
    for language, day, views in PageCount.objects.filter(
        day__gte=firsts[0]
    ).values_list("language", "day", "views"):
        totals[(language, day.replace(day=1))] += views
    return firsts, [
        (code, name, [totals[(code, month)] for month in firsts])
        for code, name in LANGUAGES
    ]
