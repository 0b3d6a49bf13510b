"""Whole public pages, cached per language and revalidated for free.

A public page depends only on the content, its address (which holds the
language) and the code that renders it. Its cache key and its ETag are built
from exactly those, so a revisit costs one small query and a 304, and a cached
page is served before sessions, routing or templates are touched, already
compressed. Any content change moves the content version (services/signals.py),
which retires every cached page at once on every worker and host.

Views opt in with `@public_page`. Requests that carry a cookie (signed-in staff)
always get a freshly rendered page: a cached page never holds anything meant for
one person, nor a draft.
"""

import datetime
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from config.languages import LANGUAGES
from services.middleware import accepts_brotli

logger = logging.getLogger(__name__)

LANGUAGE_PREFIXES = tuple(f"/{code}/" for code, _name in LANGUAGES)
# Headers that belong to one response only, never replayed from the cache.
NOT_CACHED_HEADERS = {"set-cookie", "etag", "last-modified", "date"}


def _release():
    """A fingerprint and a time for the running code, templates, styles and
    catalogues: the same in every worker of one deployment."""
    digest = hashlib.sha256()
    newest = 0
    roots = [
        settings.BASE_DIR / name
        for name in ("config", "services", "templates", "static")
    ]
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".mo", ".svg"}:
                try:
                    stat = path.stat()
                except FileNotFoundError:  # removed while we looked
                    continue
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
                newest = max(newest, int(stat.st_mtime))
    released_at = datetime.datetime.fromtimestamp(newest, tz=datetime.UTC)
    return digest.hexdigest()[:10], released_at


RELEASE, RELEASED_AT = _release()


def public_page(view):
    """Mark a view's successful responses as cacheable public pages."""

    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.guide_public_page = True
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    wrapper.__wrapped__ = view
    return wrapper


def content_changed_at():
    """When content last changed. A bare query: this runs on every cached hit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT changed_at FROM services_contentversion WHERE id = 1")
        row = cursor.fetchone()
    if row is None:
        return None
    value = row[0]
    if isinstance(value, str):  # SQLite hands back text
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


class PageCacheMiddleware:
    """Serve cached public pages before the rest of the stack runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        # The content version this process last read: while the database is down,
        # pages cached for it are still right (nobody can change content then).
        self.last_changed_at = None

    def __call__(self, request):
        if not self._cacheable(request):
            return self.get_response(request)
        try:
            changed_at = content_changed_at()
        except DatabaseError:
            return self._serve_while_database_is_down(request)
        self.last_changed_at = changed_at
        etag, last_modified, key = self._identity(request, changed_at)
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=last_modified
        )
        if not_modified is not None:
            return not_modified

        response = self._from_cache(key)
        if response is None:
            # Compressed once, sent many times: worth compressing harder.
            request.guide_page_kept = True
            response = self.get_response(request)
            if not (
                getattr(response, "guide_public_page", False)
                and response.status_code == 200
                and not response.cookies
                and not response.streaming
            ):
                return response
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in NOT_CACHED_HEADERS
            ]
            try:
                cache.set(
                    key,
                    (response.content, headers),
                    settings.GUIDE_PAGE_CACHE_SECONDS,
                )
            except Exception:  # a cache that is down only costs speed
                logger.warning("The page cache is unavailable.", exc_info=True)
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        # The browser may keep the page, but must ask us before showing it again.
        response.headers["Cache-Control"] = "no-cache"
        return response

    def _serve_while_database_is_down(self, request):
        if self.last_changed_at is not None:
            _etag, _modified, key = self._identity(request, self.last_changed_at)
            response = self._from_cache(key)
            if response is not None:
                response.headers["Cache-Control"] = "no-store"
                return response
        # Nothing cached: the page itself will answer with the 503 page.
        return self.get_response(request)

    @staticmethod
    def _identity(request, changed_at):
        """The page's ETag, Last-Modified (a timestamp) and cache key."""
        last_modified = max(changed_at, RELEASED_AT) if changed_at else RELEASED_AT
        identity = f"{RELEASE}:{last_modified.timestamp()}:{request.get_full_path()}"
        digest = hashlib.sha256(identity.encode()).hexdigest()
        encoding = (
            "br"
            if accepts_brotli(request)
            else "gzip"
            if "gzip" in request.headers.get("Accept-Encoding", "")
            else ""
        )
        return (
            f'"{digest[:24]}"',
            int(last_modified.timestamp()),
            (f"page:{digest}:{encoding}"),
        )

    @staticmethod
    def _from_cache(key):
        try:
            cached = cache.get(key)
        except Exception:  # a cache that is down is a cache miss
            return None
        if cached is None:
            return None
        content, headers = cached
        response = HttpResponse(content)
        for name, value in headers:
            response.headers[name] = value
        return response

    @staticmethod
    def _cacheable(request):
        return (
            settings.GUIDE_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and not request.COOKIES
            and request.path.startswith(LANGUAGE_PREFIXES)
        )
