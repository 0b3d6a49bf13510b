"""Headers of every response, and the language of every page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware


def is_admin_path(path: str) -> bool:
    return path.startswith("/" + settings.ADMIN_URL)


# Public pages need our own stylesheet, images and one small script (quick exit and
# offline copies; the pages work without it): no inline script or style, no frame,
# nothing from another host.
PUBLIC_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "worker-src 'self'; connect-src 'self'; manifest-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The admin runs Django's own scripts, all served from our host.
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


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = ADMIN_POLICY if is_admin_path(request.path) else PUBLIC_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class GuideLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except for the addresses that are not pages.

    Django answers a 404 outside /<lang>/ by redirecting to the same path in a
    language when that would match a page (/hsds/xx/ looks like /en/<category>/...).
    Open data, the health check and the other machine addresses keep their 404.
    """

    MACHINE_PREFIXES = ("/hsds/", "/healthz", "/sitemap", "/robots.txt", "/sw.js")

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path.startswith((*self.MACHINE_PREFIXES, "/" + settings.ADMIN_URL)):
            return response
        return super().process_response(request, response)
