"""Open Referral HSDS 3.0 API: read-only JSON, one dataset per language.

Every answer is JSON, errors too ({"error": ..., "status": ...}); nothing sets a
cookie. The export itself is in services/opendata/hsds.py.

Each answer carries an ETag and a Last-Modified (hsds.freshness: the content
version, the code, the day in the city and the alerts' starts and ends) and
Cache-Control: no-cache, so a client asks again each time and a request with a
matching If-None-Match or If-Modified-Since gets a 304 before any export work.
"""

import calendar
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
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


def _validate(response: HttpResponse, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "no-cache"


def api(view: View, *, conditional: bool = True) -> View:
    """GET or HEAD only; NotFound and BadRequest become JSON 404 and 400. Nothing
    here changes anything, so no CSRF check: a POST gets the API's own 405.
    A `conditional` view's answers carry an ETag and a Last-Modified, and a
    request that already has the answer gets a 304."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return _error(405, "This API is read-only: use GET.", Allow="GET, HEAD")
        # No ETag for a language there is no dataset in: that is a 404.
        known = kwargs.get("language", hsds.LANGUAGE_CODES[0]) in hsds.LANGUAGE_CODES
        validators = None
        if conditional and known:
            etag, moment = hsds.freshness(timezone.now())
            validators = (etag, calendar.timegm(moment.utctimetuple()))
            not_modified = get_conditional_response(
                request, etag=validators[0], last_modified=validators[1]
            )
            if not_modified is not None:
                _validate(not_modified, *validators)
                return not_modified
        try:
            response = view(request, *args, **kwargs)
        except hsds.NotFound as error:
            return _error(404, str(error))
        except hsds.BadRequest as error:
            return _error(400, str(error))
        if validators and response.status_code == 200:
            _validate(response, *validators)
        return response

    return wrapper


def _endpoint(request: HttpRequest, path: str, description: str) -> dict[str, str]:
    return {
        "url_template": request.build_absolute_uri(reverse("hsds:index")) + path,
        "description": description,
    }


@api
def index(request: HttpRequest) -> JsonResponse:
    """The API's root (HSDS's `/`): the HSDS version, the profile, the
    datasets (one per language) and the endpoints of each."""
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": request.build_absolute_uri(reverse("hsds:profile")),
            "description": hsds.PROFILE_DESCRIPTION,
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
            "endpoints": [
                _endpoint(
                    request,
                    "{language}/",
                    "The root of one language's dataset (HSDS's /): its version, "
                    "profile and endpoints. {language} is a code of the "
                    "datasets' urls: " + ", ".join(hsds.LANGUAGE_CODES) + ".",
                ),
                _endpoint(
                    request,
                    "{language}/services/",
                    "The services, with their one-to-one fields, in pages: "
                    f"?page= (from 1) and ?per_page= (1 to {hsds.MAX_PAGE_SIZE}, "
                    f"default {hsds.DEFAULT_PAGE_SIZE}).",
                ),
                _endpoint(
                    request,
                    "{language}/services/{id}/",
                    "One service, fully nested: locations, phones, schedules, "
                    "required documents, attributes, organization.",
                ),
                _endpoint(
                    request,
                    "{language}/services/{id}/assurances/",
                    f"The extension {hsds.EXTENSION_NAME}: the service's "
                    "immigration status assurances in full.",
                ),
                _endpoint(
                    request,
                    "{language}/organizations/",
                    "The organizations (the city), in pages.",
                ),
                _endpoint(
                    request,
                    "{language}/organizations/{id}/",
                    "The organization, with its services' ids, names and status.",
                ),
                _endpoint(request, "profile/", "The profile the datasets follow."),
            ],
        }
    )


@api
def profile(request: HttpRequest) -> JsonResponse:
    """The HSDS profile of the datasets: its conventions and extension."""
    return _json(
        {
            **hsds.profile(),
            "url": request.build_absolute_uri(reverse("hsds:profile")),
            "api": request.build_absolute_uri(reverse("hsds:index")),
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
            "profile": request.build_absolute_uri(reverse("hsds:profile")),
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


def _not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    raise hsds.NotFound("No such address in the HSDS API. Start at /hsds/.")


not_found = api(_not_found, conditional=False)
