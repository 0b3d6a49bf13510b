"""Page views and useful / not useful answers: totals per day, page and language.

Each counted request adds one to a counter in the shared cache whose key is the
day, the language, the kind of page and its address, nothing else; no address,
browser, referrer, time of day or order of pages is ever seen here.
Every few minutes each web process moves what the counters hold into PageCount
rows, adding it to the day's totals and taking it off the counters in the same
step, so a count is written once, whether the cache is each worker's memory or
one Redis for all; `manage.py write_page_counts` does the same on demand.
"""

import datetime
import threading
import time

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from config.languages import LANGUAGES
from services.models import Category, Guide, PageCount, Policy, Service
from services.public import shared_cache

VIEWS, USEFUL, NOT_USEFUL = "views", "useful", "not_useful"
MEASURES = (VIEWS, USEFUL, NOT_USEFUL)
# Counters outlive a missed hourly write, and a day of Redis trouble.
KEEP_SECONDS = 4 * 24 * 3600
DAYS_WRITTEN = 3
# How often a web process writes its counters into the database.
WRITE_EVERY_SECONDS = 300

# The pages counted, by the name of their address (services/public/urls.py).
# Search is not: its address would hold what was searched for. A referral page's
# address holds a client's list, so all referral pages count as one.
COUNTED_KINDS = {
    "home",
    "about",
    "category",
    "service",
    "service_print",
    "policy",
    "guide",
    "referral",
}


def counter_key(
    day: datetime.date, measure: str, language: str, kind: str, page: str
) -> str:
    return f"count:{measure}:{day.isoformat()}:{language}:{kind}:{page}"


def page_of(kind: str, path: str) -> str:
    """The address counted for a page: its path without the language prefix."""
    if kind == "referral":
        return "/referral/"
    parts = path.split("/", 2)  # "", "es", "health/x/"
    return "/" + (parts[2] if len(parts) > 2 else "")


def count(kind: str, path: str, language: str, measure: str = VIEWS) -> None:
    if kind not in COUNTED_KINDS:
        return
    key = counter_key(
        timezone.localdate(), measure, language, kind, page_of(kind, path)
    )
    shared_cache.incr(key, KEEP_SECONDS)


def counted_pages() -> list[tuple[str, str]]:
    """Every page that can be counted, as (kind, page): what the writer asks
    the cache for."""
    from django.utils import translation

    pages = [("home", "/"), ("about", "/about/"), ("referral", "/referral/")]
    with translation.override("en"):
        prefix = len("/en")
        for category in Category.objects.all():
            pages.append(("category", category.get_absolute_url()[prefix:]))
        for service in Service.objects.published().select_related("category"):
            address = service.get_absolute_url()[prefix:]
            pages += [("service", address), ("service_print", address + "print/")]
        for policy in Policy.objects.published():
            pages.append(("policy", policy.get_absolute_url()[prefix:]))
        for guide in Guide.objects.published():
            pages.append(("guide", guide.get_absolute_url()[prefix:]))
    return pages


@transaction.atomic
def write(days: int = DAYS_WRITTEN, *, today: datetime.date | None = None) -> int:
    """Move what the counters of the last `days` days hold into PageCount; the
    number of page totals that grew."""
    today = today or timezone.localdate()
    pages = counted_pages()
    written = 0
    for back in range(days):
        day = today - datetime.timedelta(days=back)
        for language, _name in LANGUAGES:
            keys = {
                counter_key(day, measure, language, kind, page): (kind, page, measure)
                for kind, page in pages
                for measure in MEASURES
            }
            for key, value in shared_cache.get_many(list(keys)).items():
                if not value or not shared_cache.take(key, int(value)):
                    continue
                kind, page, measure = keys[key]
                # Made at zero if missing (another process may make it at the
                # same moment), then added to in one statement.
                where = {"day": day, "kind": kind, "page": page, "language": language}
                PageCount.objects.bulk_create(
                    [PageCount(**where)], ignore_conflicts=True
                )
                PageCount.objects.filter(**where).update(
                    **{measure: F(measure) + int(value)}
                )
                written += 1
    return written


class NowAndThen:
    """Write this process's counters at most every WRITE_EVERY_SECONDS."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            if time.monotonic() - self.last < WRITE_EVERY_SECONDS:
                return
            self.last = time.monotonic()
        try:
            write(2)
        except DatabaseError:
            pass  # the counters keep them until the next time


write_now_and_then = NowAndThen()
