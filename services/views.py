import segno
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from config.languages import NAMES_LOCAL
from services import addresses, selectors
from services.forms import SearchForm
from services.page_cache import public_page


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
        response = HttpResponseRedirect(
            addresses.reverse("services:home", language=code)
        )
    else:
        context = {"site": selectors.site_profile()}
        response = render(request, "services/choose_language.html", context)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def render_page(request, template, context):
    """Render a public page. Its notice of which texts are not in the reader's own
    current translation is gathered as the page shows them (templating.text)."""
    context = {**context, "site": selectors.site_profile()}
    # render(), with the charset given: otherwise the response finds it by parsing
    # its own Content-Type, twice.
    return HttpResponse(
        loader.render_to_string(template, context, request),
        charset=settings.DEFAULT_CHARSET,
    )


@require_safe
@public_page
def home(request):
    categories = list(selectors.home_categories())
    hotlines = list(selectors.published_hotlines())
    guides = list(selectors.published_guides())
    selectors.hotlines_remember(hotlines)
    context = {"categories": categories, "hotlines": hotlines, "guides": guides}
    return render_page(request, "services/home.html", context)


@require_safe
@public_page
def category(request, slug):
    category, services, guides = selectors.category_page(slug=slug)
    services, guides = list(services), list(guides)
    context = {"category": category, "services": services, "guides": guides}
    return render_page(request, "services/category.html", context)


@require_safe
@public_page
def service(request, category, slug):
    service = selectors.service_page(category_slug=category, slug=slug)
    return render_page(request, "services/service.html", {"service": service})


@require_safe
@public_page
def service_print(request, category, slug):
    """A one-page handout: the reader's language beside English, with a QR code
    back to the page in that language (drawn here, never by another site)."""
    service = selectors.service_page(category_slug=category, slug=slug)
    page_url = request.build_absolute_uri(service.get_absolute_url())
    context = {
        "service": service,
        "page_url": page_url,
        "qr_svg": qr_code(page_url),
        "bilingual": translation.get_language() != "en",
    }
    return render_page(request, "services/print.html", context)


@require_safe
@public_page
def referral(request, services):
    """A caseworker's list of services for a client, in the client's language
    beside English. The link holds only the services and the language."""
    chosen = selectors.referral_services(services=services)
    page_url = request.build_absolute_uri(request.path)
    context = {
        "services": chosen,
        "page_url": page_url,
        "qr_svg": qr_code(page_url),
        "bilingual": translation.get_language() != "en",
    }
    return render_page(request, "services/referral.html", context)


def qr_code(url):
    """A QR code for a link, drawn here as SVG (never by another site)."""
    return mark_safe(  # noqa: S308 (segno's own SVG, from our URL)
        segno.make(url, error="m").svg_inline(
            scale=2, title=gettext("QR code: this page online")
        )
    )


@require_safe
@public_page
def policy(request, slug):
    policy, services = selectors.policy_page(slug=slug)
    services = list(services)
    context = {"policy": policy, "services": services}
    return render_page(request, "services/policy.html", context)


@require_safe
@public_page
def guide(request, slug):
    guide = selectors.guide_page(slug=slug)
    hotlines = list(selectors.published_hotlines())
    context = {"guide": guide, "hotlines": hotlines}
    return render_page(request, "services/guide.html", context)


@require_safe
@public_page
def search(request):
    form = SearchForm(request.GET)
    services, guides, query = [], [], ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        services, guides = selectors.search(query=query)
    results = len(services) + len(guides)
    context = {
        "form": form,
        "query": query,
        "services": services,
        "guides": guides,
        "results_heading": ngettext(
            "%(counter)s result", "%(counter)s results", results
        )
        % {"counter": results},
    }
    return render_page(request, "services/search.html", context)


@require_safe
@public_page
def about(request):
    return render_page(request, "services/about.html", {})


def _error_context():
    # Built from settings alone: error pages must render when the database is down.
    return {
        "emergency_number": settings.EMERGENCY_NUMBER,
        "error_languages": list(NAMES_LOCAL.items()),
        "quick_exit_url": settings.GUIDE_QUICK_EXIT_URL,
    }


def service_unavailable(request):
    """The 503 page: in the reader's language, with the emergency number and the
    help lines last seen, and no database."""
    template = loader.get_template("503.html")
    context = {
        **_error_context(),
        "hotlines": selectors.hotlines_remembered(translation.get_language()),
    }
    response = HttpResponse(template.render(context), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request):
    """For a load balancer: can this host reach its database and its cache?"""
    state = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        state["database"] = "unavailable"
    try:
        cache.set("guide:healthz", "ok", 10)
        if cache.get("guide:healthz") != "ok":
            state["cache"] = "unavailable"
    except Exception:  # any cache backend failure means unavailable
        state["cache"] = "unavailable"
    healthy = all(value == "ok" for value in state.values())
    response = JsonResponse(state, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request, exception=None):
    template = loader.get_template("404.html")
    return HttpResponseNotFound(template.render(_error_context()))


@requires_csrf_token
def server_error(request):
    """The 500 page, in the reader's language (LocaleMiddleware has set it)."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(_error_context()))


def preview(request, model_name, pk, language):
    """A service, policy or guide as residents would see it, in any language and
    whatever its status. Staff only (wrapped by the admin site); never cached."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    obj = selectors.preview_record(model_name=model_name, pk=pk)
    with translation.override(language):
        if model_name == "service":
            response = render_page(
                request, "services/service.html", {"service": obj, "preview": obj}
            )
        elif model_name == "policy":
            response = render_page(
                request,
                "services/policy.html",
                {"policy": obj, "services": [], "preview": obj},
            )
        else:
            response = render_page(
                request,
                "services/guide.html",
                {"guide": obj, "hotlines": [], "preview": obj},
            )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def robots_txt(request):
    """Keep crawlers out of the admin; point them at the sitemap."""
    sitemap = addresses.reverse("django.contrib.sitemaps.views.sitemap")
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Sitemap: {request.build_absolute_uri(sitemap)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def service_worker(request):
    """The offline helper, served from the root so it may keep any public page."""
    script = (settings.BASE_DIR / "static" / "js" / "sw.js").read_text()
    response = HttpResponse(script, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = "default-src 'self'"
    return response
