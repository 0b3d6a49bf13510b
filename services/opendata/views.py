"""Open Referral HSDS 3.0 API: read-only JSON, one dataset per language.

Every answer is JSON, errors too ({"error": ..., "status": ...}); nothing sets a
cookie. The export itself is in services/hsds.py.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from services.opendata import hsds


def _json(
    data: dict[str, Any], *, status: int = 200, language: str | None = None
) -> JsonResponse:
    response = JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if language:
        response["Content-Language"] = hsds.bcp47(language)
    return response


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    response = _json({"error": message, "status": status}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


View = Callable[..., HttpResponse]


def api(view: View) -> View:
    """GET or HEAD only; NotFound and BadRequest become JSON 404 and 400. Nothing
    here changes anything, so no CSRF check: a POST gets the API's own 405."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return _error(405, "This API is read-only: use GET.", Allow="GET, HEAD")
        try:
            return view(request, *args, **kwargs)
        except hsds.NotFound as error:
            return _error(404, str(error))
        except hsds.BadRequest as error:
            return _error(400, str(error))

    return wrapper


@api
def index(request: HttpRequest) -> JsonResponse:
    """The datasets, one per language."""
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "datasets": [
                {
                    "language": hsds.bcp47(code),
                    "name": hsds.LANGUAGE_NAMES[code],
                    "url": request.build_absolute_uri(
                        reverse("hsds:dataset", args=[code])
                    ),
                }
                for code in hsds.LANGUAGE_CODES
            ],
        }
    )


@api
def dataset(request: HttpRequest, language: str) -> JsonResponse:
    """What one language's dataset holds (the HSDS API's `/`)."""
    ds = hsds.dataset(language)

    def url(name: str, *args: str) -> str:
        return request.build_absolute_uri(reverse(name, args=[language, *args]))

    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "language": hsds.bcp47(language),
            "services": url("hsds:service-list"),
            "organizations": url("hsds:organization-list"),
            "extensions": [
                {
                    "name": hsds.EXTENSION_NAME,
                    "version": hsds.EXTENSION_VERSION,
                    "description": hsds.EXTENSION_DESCRIPTION,
                    "url_template": url("hsds:service-list")
                    + "{service_id}/assurances/",
                }
            ],
            "organization_id": ds.organization_id,
        },
        language=language,
    )


@api
def service_list(request: HttpRequest, language: str) -> JsonResponse:
    ds = hsds.dataset(language)
    page, per_page = hsds.parse_page(request.GET)
    return _json(hsds.service_page(ds, page=page, per_page=per_page), language=language)


@api
def service_detail(
    request: HttpRequest, language: str, service_id: str
) -> JsonResponse:
    ds = hsds.dataset(language)
    return _json(hsds.service_detail(ds, service_id), language=language)


@api
def service_assurances(
    request: HttpRequest, language: str, service_id: str
) -> JsonResponse:
    ds = hsds.dataset(language)
    return _json(hsds.service_assurances(ds, service_id), language=language)


@api
def organization_list(request: HttpRequest, language: str) -> JsonResponse:
    ds = hsds.dataset(language)
    page, per_page = hsds.parse_page(request.GET)
    return _json(
        hsds.organization_page(ds, page=page, per_page=per_page), language=language
    )


@api
def organization_detail(
    request: HttpRequest, language: str, organization_id: str
) -> JsonResponse:
    ds = hsds.dataset(language)
    return _json(hsds.organization_detail(ds, organization_id), language=language)


@api
def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    raise hsds.NotFound("No such address in the HSDS API. Start at /hsds/.")
