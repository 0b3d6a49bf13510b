"""Whole public pages, cached per host, address, language and encoding.

A public page depends on the content, its host and address (which holds the
language), the release of the code that renders it, and the time: what it says
about opening hours, a service's closure and alerts holds until a moment the
page names (views.render_page). Its cache key is built from the first four, and
the entry ends at that moment; its ETag adds the moment, so a browser that kept
the page gets the new one once "open now" has become "closed now". A revisit
costs one small query, one cache read and a 304, and a cached page is served
before sessions, routing or templates are touched, already compressed. Any
content change moves the content version (services/signals.py), which retires
every cached page at once on every worker and host. The query string is not part
of the key: no cached page reads it.

Views opt in with `@public_page`. Requests that carry a cookie (signed-in staff)
always get a freshly rendered page: a cached page never holds anything meant for
one person, nor a draft. Search results are never cached.
"""

import datetime
import hashlib
import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt

from config.languages import LANGUAGES
from services.feedback import counts
from services.models import ContentVersion
from services.public import errors, shared_cache
from services.public.compression import response_encoding

LANGUAGE_PREFIXES = tuple(f"/{code}/" for code, _name in LANGUAGES)
# Headers that belong to one response only, never replayed from the cache.
NOT_CACHED_HEADERS = {"set-cookie", "etag", "date"}

LAST_VERSION_KEY = "guide:content-version"

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """A resident's page: GET or HEAD only (a message in the reader's language
    otherwise), and its successful responses may be cached."""

    @csrf_exempt
    @errors.safe_methods_only
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.guide_public_page = True  # type: ignore[attr-defined]
        return response

    return wrapper


def cache_works() -> bool:
    return shared_cache.works()


def content_version() -> str | None:
    """When content last changed, as the database stores it: all a page's key
    needs. One plain statement, since it runs on every cached hit."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT changed_at FROM {table} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
    return str(row[0]) if row else None


class PageCacheMiddleware:
    """Serve cached public pages before the rest of the stack runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response
        # The content version this process last read (and, for the others, the
        # cache): while the database is down, pages cached for it are still right,
        # since nobody can change content then.
        self.last_version: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.cacheable(request):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400
        try:
            version = content_version()
        except DatabaseError:
            return self.serve_while_database_is_down(request, host)
        if version != self.last_version:
            # Kept where every worker and host finds it, for a database outage.
            shared_cache.set(LAST_VERSION_KEY, version, None)
            self.last_version = version
        key = self.key(request, host, version)
        cached = self.from_cache(key)
        if cached is None:
            # Compressed once, sent many times: worth compressing harder.
            request.guide_page_kept = True  # type: ignore[attr-defined]
            made = self.get_response(request)
            if not (
                getattr(made, "guide_public_page", False)
                and made.status_code == 200
                and not made.cookies
                and isinstance(made, HttpResponse)
            ):
                return made
            valid_until = getattr(made, "guide_valid_until", None)
            kind = getattr(made, "guide_page_kind", "")
            etag = self.etag(key, valid_until)
            headers = [
                (name, value)
                for name, value in made.headers.items()
                if name.lower() not in NOT_CACHED_HEADERS
            ]
            seconds = settings.GUIDE_PAGE_CACHE_SECONDS
            if valid_until is not None:
                left = math.ceil((valid_until - timezone.now()).total_seconds())
                seconds = max(1, min(seconds, left))
            shared_cache.set(
                key, (made.content, headers, etag, valid_until, kind), seconds
            )
            response = made
        else:
            response, etag, kind = cached
        # A reader read it, whether sent whole, from the cache or as "not
        # modified": one more for the day, the page and its language.
        language = request.path.split("/")[1]
        counts.count(kind, counts.page_of(kind, request.path), language)
        counts.write_now_and_then()
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response.headers["ETag"] = etag
        # The browser may keep the page, but must ask us before showing it again.
        response.headers["Cache-Control"] = "no-cache"
        return response

    def serve_while_database_is_down(
        self, request: HttpRequest, host: str
    ) -> HttpResponseBase:
        version = self.last_version or shared_cache.get(LAST_VERSION_KEY)
        if version is not None:
            cached = self.from_cache(self.key(request, host, version))
            if cached is not None:
                response, _etag, _kind = cached
                response.headers["Cache-Control"] = "no-store"
                return response
        # Nothing cached: the page itself will answer with the 503 page.
        return self.get_response(request)

    @staticmethod
    def key(request: HttpRequest, host: str, version: str | None) -> str:
        identity = f"{settings.GUIDE_RELEASE}|{version or ''}|{host}|{request.path}"
        digest = hashlib.sha256(identity.encode()).hexdigest()
        return f"page:{digest}:{response_encoding(request)}"

    @staticmethod
    def etag(key: str, valid_until: datetime.datetime | None) -> str:
        """The page's ETag: another one once what it says about the time has
        changed, so a browser that kept the page is sent the new one."""
        until = valid_until.isoformat() if valid_until else ""
        return '"{}"'.format(hashlib.sha256(f"{key}|{until}".encode()).hexdigest()[:24])

    @staticmethod
    def from_cache(key: str) -> tuple[HttpResponse, str, str] | None:
        """The cached page and its ETag, unless it is past the moment it holds
        until (checked here too, not only by the cache's own expiry)."""
        cached = shared_cache.get(key)
        if cached is None:
            return None
        content, headers, etag, valid_until, kind = cached
        if valid_until is not None and timezone.now() >= valid_until:
            return None
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        return response, etag, kind

    @staticmethod
    def cacheable(request: HttpRequest) -> bool:
        return (
            settings.GUIDE_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.COOKIES
            and request.path.startswith(LANGUAGE_PREFIXES)
        )


def content_version_bump() -> None:
    """Mark all content as changed now: cached public pages are rebuilt."""
    ContentVersion.objects.update_or_create(
        pk=1, defaults={"changed_at": timezone.now()}
    )
