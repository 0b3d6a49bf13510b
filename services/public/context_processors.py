"""What every public page shows around its content."""

from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.encoding import iri_to_uri

from config.languages import NAMES_LOCAL

MAX_QUERY_IN_LINKS = 200


class LanguageLink(NamedTuple):
    code: str
    name_local: str
    url: str
    absolute_url: str
    is_current: bool


def language_links(request: HttpRequest, site_root: str) -> list[LanguageLink]:
    """The current page in every language: for the switch and the hreflang links.

    Addresses are the same in every language but for their prefix (paths and
    slugs are not translated), so the page in another language is a swap of that
    prefix. Only a search keeps its query string, so a reader switching language
    keeps their search; no other page reads one.
    """
    current = translation.get_language()
    match = request.resolver_match
    on_guide_page = match is not None and match.namespace == "services"
    rest = request.path[len(current) + 2 :] if on_guide_page else ""
    query = ""
    if match is not None and match.url_name == "search":
        query = request.GET.urlencode()
        if len(query) > MAX_QUERY_IN_LINKS:
            query = ""
    links = []
    for code, _name in settings.LANGUAGES:
        url = f"/{code}/{rest}" + (f"?{query}" if query else "")
        links.append(
            LanguageLink(
                code=code,
                name_local=NAMES_LOCAL[code],
                url=url,
                absolute_url=site_root + url,
                is_current=code == current,
            )
        )
    return links


def guide(request: HttpRequest) -> dict[str, Any]:
    """The quick exit, the page in every language, and its own address. Not the
    site profile: the views give it (with Jinja2 a context processor's value
    would replace the view's)."""
    site_root = f"{request.scheme}://{request.get_host()}"
    return {
        "quick_exit_url": settings.GUIDE_QUICK_EXIT_URL,
        "language_links": language_links(request, site_root),
        "current_language_name": NAMES_LOCAL.get(translation.get_language(), ""),
        "canonical_url": iri_to_uri(site_root + request.path),
    }
