from django.conf import settings
from django.http import (
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from config.languages import NAMES_LOCAL
from services import selectors
from services.forms import SearchForm


def language_from_accept_header(header: str) -> str | None:
    """The best of our languages for an Accept-Language header, or None."""
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


@require_safe
def choose_language(request):
    """`/`: send the reader to their language, or let them choose; set no cookie."""
    code = language_from_accept_header(request.headers.get("Accept-Language", ""))
    if code:
        with translation.override(code):
            response = HttpResponseRedirect(reverse("services:home"))
    else:
        response = render(request, "services/choose_language.html")
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
def home(request):
    context = {
        "categories": selectors.home_categories(),
        "hotlines": selectors.published_hotlines(),
        "guides": selectors.published_guides(),
    }
    return render(request, "services/home.html", context)


@require_safe
def category(request, slug):
    category, services, guides = selectors.category_page(slug=slug)
    context = {"category": category, "services": services, "guides": guides}
    return render(request, "services/category.html", context)


@require_safe
def service(request, category, slug):
    service = selectors.service_page(category_slug=category, slug=slug)
    return render(request, "services/service.html", {"service": service})


@require_safe
def policy(request, slug):
    policy, services = selectors.policy_page(slug=slug)
    context = {"policy": policy, "services": services}
    return render(request, "services/policy.html", context)


@require_safe
def guide(request, slug):
    guide = selectors.guide_page(slug=slug)
    context = {"guide": guide, "hotlines": selectors.published_hotlines()}
    return render(request, "services/guide.html", context)


@require_safe
def search(request):
    form = SearchForm(request.GET)
    services, guides, query = [], [], ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        services, guides = selectors.search(query=query)
    context = {"form": form, "query": query, "services": services, "guides": guides}
    return render(request, "services/search.html", context)


@require_safe
def about(request):
    return render(request, "services/about.html")


def _error_context():
    # Built from settings alone: error pages must render when the database is down.
    return {
        "emergency_number": settings.EMERGENCY_NUMBER,
        "error_languages": list(NAMES_LOCAL.items()),
    }


def page_not_found(request, exception=None):
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render(_error_context()))


@requires_csrf_token
def server_error(request):
    """The 500 page, in the reader's language (LocaleMiddleware has set it)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(_error_context()))
