import re

import brotli
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import patch_vary_headers

# Public pages need our own stylesheet, images and one small script (quick exit and
# offline copies; the pages work without it): no inline script or style, no frame,
# nothing from another host.
PUBLIC_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "worker-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The admin runs Django's own scripts and jQuery UI, all served from our host.
ADMIN_POLICY = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "object-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def is_admin_path(path):
    return path.startswith("/" + settings.ADMIN_URL)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = ADMIN_POLICY if is_admin_path(request.path) else PUBLIC_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


ACCEPTS_BROTLI = re.compile(r"\bbr\b")
# Brotli's quality for a page compressed to be sent once (with the page cache
# off): its fastest, a third of gzip's work for a page, and 11 to 17 % larger.
# A page kept in the page cache is compressed once and sent many times: it gets
# a quality that makes it 9 to 21 % smaller than gzip, for 1.6 times gzip's
# work, once per page and language.
BROTLI_SENT_ONCE = 1
BROTLI_KEPT = 5


def accepts_brotli(request):
    return (
        ACCEPTS_BROTLI.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
    )


class PublicCompressionMiddleware(GZipMiddleware):
    """Compress public pages; never admin pages, which carry CSRF tokens (BREACH).

    A page for a signed-in caseworker may hold a CSRF token too, so it gets
    Django's gzip, padded with 0 to 99 random bytes against BREACH. A page for
    anyone else holds no secret to guard: Brotli when the browser takes it
    (every current phone browser, over HTTPS), else the same gzip unpadded.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.unpadded = GZipMiddleware(get_response)
        self.unpadded.max_random_bytes = 0

    def process_response(self, request, response):
        if is_admin_path(request.path):
            return response
        if request.COOKIES or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return super().process_response(request, response)
        if (
            accepts_brotli(request)
            and not response.streaming
            and len(response.content) >= 200
            and not response.has_header("Content-Encoding")
        ):
            return self.brotli(request, response)
        return self.unpadded.process_response(request, response)

    @staticmethod
    def brotli(request, response):
        """What Django's gzip middleware does, with Brotli."""
        patch_vary_headers(response, ("Accept-Encoding",))
        kept = getattr(request, "guide_page_kept", False)
        quality = BROTLI_KEPT if kept else BROTLI_SENT_ONCE
        # A 64 KB window, larger than nearly every page: Brotli's default of 4 MB
        # makes no page smaller and takes a worker's memory 1 MB higher.
        compressed = brotli.compress(response.content, quality=quality, lgwin=16)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, residents get a 503 page in their
    language with the emergency numbers, made without the database. The next
    request tries the database again, so the site recovers by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            from services.views import service_unavailable

            return service_unavailable(request)
        return None


class GuideLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except for the addresses that are not pages.

    Django answers a 404 outside /<lang>/ by redirecting to the same path in a
    language when that would match a page (/hsds/xx/ looks like /en/<category>/...).
    Open data, the health check and the other machine addresses keep their 404.
    """

    MACHINE_PREFIXES = ("/hsds/", "/healthz", "/sitemap", "/robots.txt", "/sw.js")

    def process_response(self, request, response):
        if request.path.startswith((*self.MACHINE_PREFIXES, "/" + settings.ADMIN_URL)):
            return response
        return super().process_response(request, response)
