"""What a resident sees when something is wrong: pages that need no database.

The 404, 405, 500 and 503 pages are in the reader's language (LocaleMiddleware has
set it) and are made from settings alone, with the emergency number; the 503 page
adds the help lines last shown, kept in the cache. The open data API gets the
same answers as JSON.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token

from config.languages import NAMES_LOCAL
from services.public import shared_cache
from services.translations import state

RETRY_AFTER_SECONDS = 30
SAFE_METHODS = ("GET", "HEAD")
HOTLINES_KEPT_SECONDS = 60 * 60 * 24 * 30


def is_open_data(request: HttpRequest) -> bool:
    return request.path.startswith("/hsds/")


def error_page(template: str, status: int, **extra: Any) -> HttpResponse:
    context = {
        "emergency_number": settings.EMERGENCY_NUMBER,
        "error_languages": list(NAMES_LOCAL.items()),
        "quick_exit_url": settings.GUIDE_QUICK_EXIT_URL,
        **extra,
    }
    body = loader.get_template(template).render(context)
    return HttpResponse(body, status=status)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return error_page("404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return error_page("500.html", 500)


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    if is_open_data(request):
        response: HttpResponse = JsonResponse(
            {"error": "This API is read-only: use GET.", "status": 405}, status=405
        )
    else:
        response = error_page("405.html", 405)
    response["Allow"] = ", ".join(SAFE_METHODS)
    return response


def safe_methods_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD; any other method gets a 405 in the reader's language."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return method_not_allowed(request)
        return view(request, *args, **kwargs)

    return wrapper


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: the page with the emergency number and the help lines last
    seen, or JSON for the open data API."""
    if is_open_data(request):
        response: HttpResponse = JsonResponse(
            {"error": "The database is unavailable. Try again shortly.", "status": 503},
            status=503,
        )
    else:
        response = error_page(
            "503.html", 503, hotlines=hotlines_remembered(get_language())
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 (see service_unavailable).
    The next request tries the database again, so the site recovers by itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return service_unavailable(request)
        return None


def hotlines_remember(hotlines: Iterable[Any]) -> None:
    """Keep the help lines, as the reader sees them, for when the database is down."""
    language = get_language()
    shown = [
        (state.shown(hotline, "name", language)[0], hotline.phone, hotline.tel)
        for hotline in hotlines
    ]
    shared_cache.set(f"guide:hotlines:{language}", shown, HOTLINES_KEPT_SECONDS)


def hotlines_remembered(language: str) -> list[tuple[str, str, str]]:
    return shared_cache.get(f"guide:hotlines:{language}") or []
