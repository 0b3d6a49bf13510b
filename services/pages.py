"""The addresses of the residents' pages, in the active language."""

from typing import Any

from django.urls import reverse

PAGES_URLCONF = "services.public.pages_urls"


def page_url(name: str, *args: Any, **kwargs: Any) -> str:
    """A page's address: `page_url("services:service", category=..., slug=...)`.

    Reversed in the pages' own URLconf, whose copy per language is small (see
    services/public/pages_urls.py); the admin reverses its own addresses in the
    whole site's.
    """
    return reverse(
        name, urlconf=PAGES_URLCONF, args=args or None, kwargs=kwargs or None
    )
