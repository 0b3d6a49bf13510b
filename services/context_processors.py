from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.encoding import iri_to_uri

from config.languages import NAMES_LOCAL

MAX_QUERY_IN_LINKS = 200


class LanguageLink(NamedTuple):
    # Attributes, not dictionary keys: Jinja2 tries an attribute first.
    code: str
    name_local: str
    url: str
    absolute_url: str
    is_current: bool


def language_links(request, site_root):
    """The current page in every language: for the switch and the hreflang links."""
    current = translation.get_language()
    query = request.GET.urlencode()
    match = getattr(request, "resolver_match", None)
    on_guide_page = match is not None and match.namespace == "services"
    # Addresses are the same in every language but for their prefix, so the page
    # in another language is a swap of that prefix (no catalogue is loaded).
    rest = request.path[len(current) + 2 :] if on_guide_page else ""
    links = []
    for code, _name in settings.LANGUAGES:
        url = f"/{code}/{rest}"
        # Keep a search in the other languages, unless it is too long to be one.
        if rest and query and len(query) <= MAX_QUERY_IN_LINKS:
            url = f"{url}?{query}"
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


def guide(request):
    """What every public page shows around its content: the quick exit, the page
    in every language, and its own address. Every public page uses all of it,
    so it is worked out at once (a lazy object would cost more than the work).

    Not the site profile: the views give it (they have read it already), and
    with Jinja2 a context processor's value would replace the view's.
    """
    site_root = f"{request.scheme}://{request.get_host()}"  # once for every link
    return {
        "quick_exit_url": settings.GUIDE_QUICK_EXIT_URL,
        "language_links": language_links(request, site_root),
        "canonical_url": iri_to_uri(site_root + request.path),
    }
