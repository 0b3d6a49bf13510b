"""Residents' reports and useful / not useful answers: checked, bounded, kept.

No cookie, so no CSRF cookie: a form carries a token signed for its page and day
(valid `TOKEN_DAYS` days, longer than any cached copy of the page lives), and a post
whose `Origin` or `Sec-Fetch-Site` names another site is refused. Abuse is
bounded without knowing anyone: at most `PER_PAGE_PER_HOUR` reports a page an
hour (a counter in the shared cache, keyed by page and hour), and at most
`PER_CONNECTION` posts per `CONNECTION_WINDOW` from one connection, counted in
this process's memory under a keyed hash of the address that is never written
anywhere and forgotten when the window passes.
"""

import datetime
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core import signing
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from services.models import Guide, Policy, Problem, Report, Service, Verified
from services.public import shared_cache

TOKEN_SALT = "guide.feedback.page"  # noqa: S105 (a namespace, not a secret)
TOKEN_DAYS = 3
PER_PAGE_PER_HOUR = 30
PER_CONNECTION = 10
CONNECTION_WINDOW = 600  # seconds
# The most a report's post can hold: a choice, 500 characters and a token.
MAX_BODY_BYTES = 8 * 1024
REPORTED_KINDS = {"service", "policy", "guide"}


def form_token(page: str) -> str:
    """The token a page's forms carry: its own address and today's date, signed.
    The same all day, so a page renders the same each time it is rendered."""
    return signing.Signer(salt=TOKEN_SALT).sign(
        f"{page}|{timezone.localdate().isoformat()}"
    )


def token_problem(token: str, page: str) -> str | None:
    try:
        signed = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return _("This form did not come from this site. Send it again from here.")
    signed_page, _bar, day = signed.rpartition("|")
    oldest = timezone.localdate() - datetime.timedelta(days=TOKEN_DAYS)
    if day < oldest.isoformat():
        return _("This form is too old. Send it again from here.")
    if signed_page != page:
        return _("This form belongs to another page. Send it again from here.")
    return None


def origin_problem(request: HttpRequest) -> str | None:
    """A post sent by another site (a form elsewhere pointing here)."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc != request.get_host():
            return _("This form was sent from another website, so it was not kept.")
    elif request.headers.get("Sec-Fetch-Site") == "cross-site":
        return _("This form was sent from another website, so it was not kept.")
    return None


def record_at(page: str) -> Service | Policy | Guide | None:
    """The published record whose page this is ("/health/x/"), if any."""
    try:
        # The language prefix only matches the active language.
        with translation.override("en"):
            match = resolve(f"/en{page}", urlconf="services.public.pages_urls")
    except Resolver404:
        return None
    slug = match.kwargs.get("slug")
    if match.url_name == "service":
        return (
            Service.objects.published()
            .filter(slug=slug, category__slug=match.kwargs["category"])
            .first()
        )
    if match.url_name == "policy":
        return Policy.objects.published().filter(slug=slug).first()
    if match.url_name == "guide":
        return Guide.objects.published().filter(slug=slug).first()
    return None


class ConnectionLimit:
    """How many posts a connection made lately, in this process's memory only."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)  # new each start: hashes mean nothing
        self.seen: dict[bytes, list[float]] = {}
        self.lock = threading.Lock()

    def allow(self, address: str) -> bool:
        now = time.monotonic()
        name = hmac.new(self.key, address.encode(), hashlib.sha256).digest()
        with self.lock:
            for other in [
                n
                for n, times in self.seen.items()
                if times[-1] < now - CONNECTION_WINDOW
            ]:
                del self.seen[other]
            times = [t for t in self.seen.get(name, []) if t >= now - CONNECTION_WINDOW]
            if len(times) >= PER_CONNECTION:
                self.seen[name] = times
                return False
            self.seen[name] = [*times, now]
            return True


connections = ConnectionLimit()


def page_limit_reached(page: str) -> bool:
    hour = timezone.now().strftime("%Y%m%d%H")
    count = shared_cache.incr(f"reports:{hour}:{page}", 3600)
    return count is not None and count > PER_PAGE_PER_HOUR


@dataclass
class Sent:
    problem: str
    comment: str


def report_save(
    *, record: Service | Policy | Guide, language: str, sent: Sent
) -> Report:
    kind = type(record).__name__.lower()
    return Report.objects.create(
        **{kind: record},
        language=language,
        problem=Problem(sent.problem),
        comment=sent.comment.strip()[:500],
        made_on=timezone.localdate(),
    )


def reports_close(record: Verified) -> int:
    """Someone edited the record or confirmed it still correct: its open
    reports are answered, and their words, needed only to check the page, are
    deleted (a resident may have written more about themselves than asked)."""
    kind = type(record).__name__.lower()
    if kind not in REPORTED_KINDS:
        return 0
    return Report.objects.filter(**{kind: record}, closed_on=None).update(
        closed_on=timezone.localdate(), comment=""
    )
