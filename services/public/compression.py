"""Compressed pages: Brotli for browsers that take it, gzip for the others.

Admin pages are never compressed here: they carry CSRF tokens (BREACH). A page for
a signed-in caseworker may hold a CSRF token too, so it gets Django's gzip,
padded with random bytes against BREACH. A page for anyone else holds no secret
to guard: Brotli when the browser takes it (every current phone browser, over
HTTPS), else gzip without the padding.
"""

import re
from collections.abc import Callable

import brotli
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from services.public.middleware import is_admin_path

ACCEPTS_BROTLI = re.compile(r"\bbr\b")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Brotli's quality for a page compressed to be sent once (with the page cache
# off or on a miss that is not kept): its fastest. A page kept in the page cache
# is compressed once and sent many times, so it is compressed harder.
BROTLI_SENT_ONCE = 1
BROTLI_KEPT = 5
# A window of 64 KB holds any page; Brotli's default of 4 MB only costs memory.
BROTLI_WINDOW_BITS = 16


def response_encoding(request: HttpRequest) -> str:
    """The encoding a public page is sent in to this request: br, gzip or none."""
    accepted = request.headers.get("Accept-Encoding", "")
    if ACCEPTS_BROTLI.search(accepted):
        return "br"
    if ACCEPTS_GZIP.search(accepted):
        return "gzip"
    return ""


class UnpaddedGZipMiddleware(GZipMiddleware):
    max_random_bytes = 0


class PublicCompressionMiddleware(GZipMiddleware):
    """Compress public pages; never admin pages (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.unpadded = UnpaddedGZipMiddleware(get_response)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if is_admin_path(request.path):
            return response
        if request.COOKIES or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return super().process_response(request, response)
        if response_encoding(request) == "br" and isinstance(response, HttpResponse):
            return self.brotli(request, response)
        return self.unpadded.process_response(request, response)

    @staticmethod
    def brotli(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """What Django's gzip middleware does, with Brotli."""
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        kept = getattr(request, "guide_page_kept", False)
        compressed = brotli.compress(
            response.content,
            quality=BROTLI_KEPT if kept else BROTLI_SENT_ONCE,
            lgwin=BROTLI_WINDOW_BITS,
        )
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
