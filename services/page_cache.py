"""Whole public pages, cached per language and revalidated for free.

A public page depends only on the content, the language, its address and the
code that renders it. Its cache key and its ETag are built from exactly those, so
a revisit costs one small query and a 304, and a cached page is served without
rendering. Any content change moves the content version (services/signals.py),
which retires every cached page at once on every worker and host.

Requests that carry a cookie (signed-in staff) always get a freshly rendered
page: a cached page never holds anything meant for one person.
"""

import datetime
import hashlib
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language

from services import selectors

CACHED_HEADERS = ("Content-Type", "Content-Language", "Vary")


def _release_fingerprint() -> str:
    """Changes whenever the code, templates, styles or catalogues change."""
    digest = hashlib.sha256()
    roots = [settings.BASE_DIR / name for name in ("services", "templates", "static")]
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.suffix in {".py", ".html", ".css", ".mo", ".svg"}:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:10]


RELEASE = _release_fingerprint()
BOOTED_AT = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)


def _cacheable(request) -> bool:
    return (
        settings.GUIDE_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.COOKIES
    )


def public_page(view):
    """Serve a public view from the page cache, with ETag and Last-Modified."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        changed_at = selectors.content_changed_at()
        # Pages rendered by this process's code are no older than its start.
        last_modified = max(changed_at, BOOTED_AT) if changed_at else BOOTED_AT
        identity = f"{RELEASE}:{last_modified.timestamp()}:{get_language()}:"
        identity += request.get_full_path()
        key = "page:" + hashlib.sha256(identity.encode()).hexdigest()
        etag = f'"{key[5:29]}"'
        timestamp = int(last_modified.timestamp())

        not_modified = get_conditional_response(
            request, etag=etag, last_modified=timestamp
        )
        if not_modified is not None:
            return not_modified

        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return response
            headers = {
                name: response[name] for name in CACHED_HEADERS if name in response
            }
            cache.set(
                key, (response.content, headers), settings.GUIDE_PAGE_CACHE_SECONDS
            )
        response["ETag"] = etag
        response["Last-Modified"] = http_date(timestamp)
        # The browser may keep the page, but must ask us before showing it again.
        response["Cache-Control"] = "no-cache"
        return response

    return wrapper
