"""Staff sign-in attempts: the only requests whose network address the guide keeps.

django-axes counts wrong passwords per account *and* address, so a stranger who
knows a caseworker's username locks out only themselves. axes asks for the
address only while it handles a sign-in (or sign-out); a resident's request
never reaches these functions. The failed attempts it keeps are deleted once
the cool-off time has passed, or when that person signs in.
"""

import ipaddress

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


def client_address(request: HttpRequest) -> str:
    """The address that connected to us: the person's own, with no proxy."""
    return request.META.get("REMOTE_ADDR", "")


def proxied_client_address(request: HttpRequest) -> str:
    """Behind our proxy (DJANGO_BEHIND_PROXY=true): the address the proxy appended
    last to X-Forwarded-For. Entries before it come from the client, who can
    write anything there, so they are never trusted."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        # No proxy in front after all (a request straight to gunicorn).
        return client_address(request)


def client_description(
    username: str | None,
    ip_address: str | None,
    user_agent: str | None,
    path_info: str | list[str] | tuple[str, ...],
    request: HttpRequest,
) -> str:
    """How django-axes names an attempt in its log lines: without the address,
    which is kept in the attempts table only, never in a log."""
    if isinstance(path_info, list | tuple):
        path_info = path_info[0]
    return f'{{username: "{username}", path_info: "{path_info}"}}'


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page after too many wrong passwords for one account from one place."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in paused"),
        "username": (credentials or {}).get("username", ""),
        "minutes": minutes,
    }
    return TemplateResponse(
        request,
        "admin/locked_out.html",
        context,
        status=429,  # Too Many Requests
    ).render()
