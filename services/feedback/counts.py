"""Page views and useful / not useful answers: totals per day, page and language.

Each counted request adds one to a counter in the shared cache whose key is the
day, the language, the kind of page and its address, nothing else; no address,
browser, referrer, time of day or order of pages is ever seen here.
Every few minutes each web process moves what the counters it added to hold into
PageCount rows, adding it to the day's totals and taking it off the counters in
the same step, so a count is written once, whether the cache is each worker's
memory or one Redis for all. `manage.py write_page_counts` does the same for
every page of the last days, on demand (and for counts a stopped process left).
"""

import datetime
import threading
import time
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation

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


def page_of(kind: str, path: str) -> str:
    """The address counted for a page: its path without the language prefix."""
    if kind == "referral":
        return "/referral/"
    parts = path.split("/", 2)  # "", "es", "health/x/"
    return "/" + (parts[2] if len(parts) > 2 else "")


# A counter, as the writer needs it: (day, language, kind, page, measure).
Counter = tuple[datetime.date, str, str, str, str]


def count(kind: str, page: str, language: str, measure: str = VIEWS) -> None:
    """One more for today, this page (its address without the language, as
    `page_of` gives it) and language."""
    if kind not in COUNTED_KINDS:
        return
    counter = (timezone.localdate(), language, kind, page, measure)
    if shared_cache.incr(counter_key(*counter), KEEP_SECONDS) is not None:
        write_now_and_then.added_to(counter)


def counter_key(
    day: datetime.date, language: str, kind: str, page: str, measure: str
) -> str:
    return f"count:{measure}:{day.isoformat()}:{language}:{kind}:{page}"


def counted_pages() -> list[tuple[str, str]]:
    """Every page that can be counted, as (kind, page): what the writer asks
    the cache for."""
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


def write(days: int = DAYS_WRITTEN, *, today: datetime.date | None = None) -> int:
    """Move what the counters of every page of the last `days` days hold into
    PageCount; the number of page totals that grew."""
    today = today or timezone.localdate()
    pages = counted_pages()
    written = 0
    # A day and a language at a time: the cache is asked for a few thousand
    # keys at once, not for every one of every page.
    for back in range(days):
        day = today - datetime.timedelta(days=back)
        for language, _name in LANGUAGES:
            written += counters_write(
                (day, language, kind, page, measure)
                for kind, page in pages
                for measure in MEASURES
            )
    return written


@transaction.atomic
def counters_write(counters: Iterable[Counter]) -> int:
    """Move what these counters hold into PageCount; the number of page totals
    that grew."""
    keys = {counter_key(*counter): counter for counter in counters}
    written = 0
    for key, value in shared_cache.get_many(list(keys)).items():
        if not value or not shared_cache.take(key, int(value)):
            continue
        day, language, kind, page, measure = keys[key]
        # Made at zero if missing (another process may make it at the same
        # moment), then added to in one statement.
        where = {"day": day, "kind": kind, "page": page, "language": language}
        PageCount.objects.bulk_create([PageCount(**where)], ignore_conflicts=True)
        PageCount.objects.filter(**where).update(**{measure: F(measure) + int(value)})
        written += 1
    return written


class NowAndThen:
    """Write the counters this process added to, at most every
    WRITE_EVERY_SECONDS: a few keys, however many pages the guide has."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.lock = threading.Lock()
        self.counters: set[Counter] = set()

    def added_to(self, counter: Counter) -> None:
        with self.lock:
            self.counters.add(counter)

    def __call__(self) -> None:
        with self.lock:
            if time.monotonic() - self.last < WRITE_EVERY_SECONDS:
                return
            self.last = time.monotonic()
        self.write()

    def write(self) -> None:
        """Now: every few minutes, and when the process stops (config/gunicorn.py),
        since a worker's own memory may be the cache that holds them."""
        with self.lock:
            counters, self.counters = self.counters, set()
        try:
            counters_write(counters)
        except DatabaseError:
            # The cache still holds them: written next time.
            with self.lock:
                self.counters |= counters


write_now_and_then = NowAndThen()
