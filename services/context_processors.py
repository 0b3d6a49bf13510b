from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from config.languages import NAMES_LOCAL
from services import selectors

MAX_QUERY_IN_LINKS = 200


def language_links(request):
    """The current page in every language: for the switch and the hreflang links."""
    current = translation.get_language()
    query = request.GET.urlencode()
    try:
        on_guide_page = resolve(request.path).namespace == "services"
    except Resolver404:
        on_guide_page = False
    links = []
    for code, _name in settings.LANGUAGES:
        if on_guide_page:
            url = translate_url(request.path, code)
            # Keep a search in the other languages, unless it is too long to be one.
            if query and len(query) <= MAX_QUERY_IN_LINKS:
                url = f"{url}?{query}"
        else:
            # The language chooser and error pages link to each language's home.
            with translation.override(code):
                url = reverse("services:home")
        links.append(
            {
                "code": code,
                "name_local": NAMES_LOCAL[code],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return links


def guide(request):
    """What every public page needs; lazy, so pages that don't use it pay nothing."""
    return {
        "site": SimpleLazyObject(selectors.site_profile),
        "language_links": SimpleLazyObject(lambda: language_links(request)),
        "canonical_url": SimpleLazyObject(
            lambda: request.build_absolute_uri(request.path)
        ),
    }
