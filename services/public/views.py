"""The residents' pages. Thin: read with the selectors, then render."""

import datetime
import functools
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from config.languages import NAMES_LOCAL
from services import qr
from services.feedback import counts, reports
from services.feedback import selectors as feedback_selectors
from services.feedback.forms import ReportForm, UsefulForm
from services.hours import clock
from services.models import Category, Problem, Service
from services.pages import page_url
from services.public import errors, page_cache, selectors
from services.public.forms import SearchForm
from services.public.page_cache import public_page
from services.public.templating import CHANGES, HOLIDAYS, NOTES, NOW
from services.search import selectors as search_selectors
from services.translations.interface import machine_drafted_interfaces
from services.translations.state import MACHINE


def language_from_accept_header(header: str) -> str | None:
    """The best of our languages for an Accept-Language header, or None."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


@csrf_exempt
@errors.safe_methods_only
def choose_language(request: HttpRequest) -> HttpResponse:
    """`/`: send the reader to their language, or let them choose; set no cookie."""
    code = language_from_accept_header(request.headers.get("Accept-Language", ""))
    if code:
        with translation.override(code):
            response: HttpResponse = HttpResponseRedirect(page_url("services:home"))
    else:
        context = {"site": selectors.site_profile()}
        response = render(request, "services/choose_language.html", context)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    category: Category | None = None,
    service: Service | None = None,
) -> HttpResponse:
    """Render a public page, with the site profile, the alerts for its place
    (the whole site, its `category`, its `service`) and a place for the page's
    translation notes (gathered as its texts are shown, see templating.text).

    The response says until when it holds (`guide_valid_until`): the next
    opening or closing it shows, the next alert to start or end, and midnight,
    when "today" moves on. A cached copy ends then (page_cache).
    """
    notes: set[str] = set()
    if translation.get_language() in machine_drafted_interfaces():
        # Its menus and sentences are a machine's draft: say so as for a text.
        notes.add(MACHINE)
    now = timezone.now()
    today = timezone.localtime(now).date()
    alerts, alerts_change = selectors.alerts_shown(
        now, category=category, service=service
    )
    changes: list[datetime.datetime] = [clock.next_midnight(now)]
    if alerts_change is not None:
        changes.append(alerts_change)
    context = {
        **context,
        "site": selectors.site_profile(),
        "alerts": alerts,
        NOTES: notes,
        NOW: now,
        CHANGES: changes,
        HOLIDAYS: functools.cache(lambda: selectors.holidays_near(today)),
    }
    response = HttpResponse(loader.render_to_string(template, context, request))
    response.guide_valid_until = min(changes)  # type: ignore[attr-defined]
    # What the page counts as (services/feedback/counts.py): its address's name.
    match = request.resolver_match
    response.guide_page_kind = match.url_name if match else ""  # type: ignore[attr-defined]
    return response


@public_page
def home(request: HttpRequest) -> HttpResponse:
    hotlines = list(selectors.published_hotlines())
    errors.hotlines_remember(hotlines)
    context = {
        "categories": selectors.home_categories(),
        "hotlines": hotlines,
        "guides": selectors.published_guides(),
    }
    return render_page(request, "services/home.html", context)


@public_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    category, services, guides = selectors.category_page(slug=slug)
    context = {"category": category, "services": services, "guides": guides}
    return render_page(request, "services/category.html", context, category=category)


@public_page
def service(request: HttpRequest, category: str, slug: str) -> HttpResponse:
    service = selectors.service_page(category_slug=category, slug=slug)
    return render_page(
        request, "services/service.html", {"service": service}, service=service
    )


@public_page
def service_print(request: HttpRequest, category: str, slug: str) -> HttpResponse:
    """A one-page handout: the reader's language beside English, with a QR code
    back to the page in that language."""
    service = selectors.service_page(category_slug=category, slug=slug)
    page_url = request.build_absolute_uri(service.get_absolute_url())
    context = {
        "service": service,
        "page_url": page_url,
        "qr_svg": qr.qr_svg(page_url, title=gettext("QR code: this page online")),
        "bilingual": translation.get_language() != "en",
    }
    return render_page(request, "services/print.html", context, service=service)


@public_page
def referral(request: HttpRequest, services: str) -> HttpResponse:
    """A caseworker's list of services for a client, in the client's language
    beside English. The link holds only the services and the language."""
    chosen = selectors.referral_services(services=services)
    page_url = request.build_absolute_uri(request.path)
    context = {
        "services": chosen,
        "page_url": page_url,
        "qr_svg": qr.qr_svg(page_url, title=gettext("QR code: this page online")),
        "bilingual": translation.get_language() != "en",
    }
    return render_page(request, "services/referral.html", context)


@public_page
def policy(request: HttpRequest, slug: str) -> HttpResponse:
    policy, services = selectors.policy_page(slug=slug)
    return render_page(
        request, "services/policy.html", {"policy": policy, "services": services}
    )


@public_page
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_page(slug=slug)
    context = {"guide": guide, "hotlines": selectors.published_hotlines()}
    return render_page(request, "services/guide.html", context)


@csrf_exempt
@errors.safe_methods_only
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    """Search: never cached, never stored, never logged (see the README)."""
    form = SearchForm(request.GET)
    services: list[Any] = []
    guides: list[Any] = []
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        services, guides = search_selectors.search(query=query)
    results = len(services) + len(guides)
    elsewhere = []
    if query and not results:
        elsewhere = [
            _results_in(language, found, query)
            for language, found in search_selectors.results_elsewhere(query=query)[
                :MOST_LANGUAGES_SUGGESTED
            ]
        ]
    context = {
        "form": form,
        "query": query,
        "services": services,
        "guides": guides,
        "elsewhere": elsewhere,
        "results_heading": ngettext(
            "%(counter)s result", "%(counter)s results", results
        )
        % {"counter": results},
    }
    return render_page(request, "services/search.html", context)


# A search that finds nothing in the reader's language names where it finds
# something: at most this many languages, most results first.
MOST_LANGUAGES_SUGGESTED = 3


def _results_in(language: str, found: int, query: str) -> dict[str, Any]:
    """A link to a search's results in another language: "2 results in
    Español", the language named in its own script and marked as such."""
    name = format_html('<span lang="{}">{}</span>', language, NAMES_LOCAL[language])
    sentence = ngettext(
        "%(counter)s result in %(language)s",
        "%(counter)s results in %(language)s",
        found,
    )
    with translation.override(language):
        address = page_url("services:search")
    return {
        "language": language,
        "url": f"{address}?{urlencode({'q': query})}",
        # The sentence is escaped; the name was escaped by format_html.
        "label": mark_safe(  # noqa: S308
            conditional_escape(sentence) % {"counter": found, "language": name}
        ),
    }


@public_page
def about(request: HttpRequest) -> HttpResponse:
    months, totals = feedback_selectors.monthly_totals()
    # Each language named in itself, as the language switch names it.
    rows = [(code, NAMES_LOCAL[code], counted) for code, _name, counted in totals]
    context = {"months": months, "monthly_totals": rows}
    return render_page(request, "services/about.html", context)


PREVIEWED = {"service", "policy", "guide"}


def preview(
    request: HttpRequest, model_name: str, pk: int, language: str
) -> HttpResponse:
    """A service, policy or guide as residents would see it, in any language and
    whatever its status: the same read and the same template as its page. For
    staff who may see that kind of record in the admin (config/urls.py puts it
    behind the admin's sign-in); never cached."""
    if model_name not in PREVIEWED or language not in dict(settings.LANGUAGES):
        return errors.page_not_found(request)
    if not request.user.has_perm(f"services.view_{model_name}"):
        raise PermissionDenied
    with translation.override(language):
        obj = selectors.preview_record(model_name=model_name, pk=pk)
        if model_name == "service":
            context: dict[str, Any] = {"service": obj}
            template = "services/service.html"
        elif model_name == "policy":
            context = {"policy": obj, "services": []}
            template = "services/policy.html"
        else:
            context = {"guide": obj, "hotlines": []}
            template = "services/guide.html"
        response = render_page(request, template, {**context, "preview": obj})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt
@errors.safe_methods_only
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Keep crawlers out of the admin; point them at the sitemap."""
    sitemap = reverse("django.contrib.sitemaps.views.sitemap")
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Sitemap: {request.build_absolute_uri(sitemap)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@csrf_exempt
@errors.safe_methods_only
def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline helper, served from the root so it may keep any public page."""
    script = (settings.BASE_DIR / "static" / "js" / "sw.js").read_text()
    response = HttpResponse(script, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Content-Security-Policy"] = "default-src 'self'"
    return response


@csrf_exempt
@errors.safe_methods_only
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer: can this host reach its database and its cache?"""
    state = {"database": "ok", "cache": "ok" if page_cache.cache_works() else ""}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        state["database"] = "unavailable"
    state["cache"] = state["cache"] or "unavailable"
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse(state, status=200 if healthy else 503)


def client_address(request: HttpRequest) -> str:
    """The connection's address, as the sign-in's lockout reads it (behind the
    proxy or not): only ever hashed in memory (feedback.reports)."""
    return str(import_string(settings.AXES_CLIENT_IP_CALLABLE)(request))


def post_only(request: HttpRequest) -> HttpResponse | None:
    if request.method != "POST":
        response = errors.method_not_allowed(request)
        response["Allow"] = "POST"
        return response
    return None


def refused_before_reading(request: HttpRequest, too_long: str) -> HttpResponse | None:
    """The answer to a post not even read: another method, too large, or sent
    from another site."""
    if (wrong_method := post_only(request)) is not None:
        return wrong_method
    if int(request.META.get("CONTENT_LENGTH") or 0) > reports.MAX_BODY_BYTES:
        return refused(request, too_long, 413)
    problem = reports.origin_problem(request)
    return refused(request, problem, 403) if problem else None


def report_page(
    request: HttpRequest, data: Any, *, message: str = "", status: int = 200
) -> HttpResponse:
    """The report form for the page `data` names (a query or a refused post),
    with what was written, and `message` saying why it was not kept."""
    page = str(data.get("page", ""))[:200]
    record = reports.record_at(page) if page.startswith("/") else None
    sent_back = None
    if record is not None:
        sent_back = {
            "page": page,
            "token": reports.form_token(page),
            "problems": Problem.choices,
            "problem": str(data.get("problem", "")),
            "comment": str(data.get("comment", ""))[:500],
        }
    elif not message:
        message = gettext("This page is no longer on the site.")
        status = 404
    context = {"message": message, "record": record, "sent_back": sent_back}
    response = render_page(request, "services/report.html", context)
    response.status_code = status
    response["Cache-Control"] = "no-store"
    return response


def refused(
    request: HttpRequest, message: str, status: int, form: Any = None
) -> HttpResponse:
    """A report or answer not kept: why, in the reader's language, and, where
    the page is known, the form again with what they wrote."""
    data = form.data if form is not None else {}
    return report_page(request, data, message=message, status=status)


@csrf_exempt
@never_cache
def report(request: HttpRequest) -> HttpResponse:
    """ "Something wrong on this page?": the form for a page (GET ?page=), and
    the report kept with the page, its language, the choice, the comment and
    the day, and nothing about who sent it."""
    if request.method in ("GET", "HEAD"):
        return report_page(request, request.GET)
    too_long = gettext("This report is too long to send.")
    if (not_read := refused_before_reading(request, too_long)) is not None:
        return not_read
    form = ReportForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(m) for errors_ in form.errors.values() for m in errors_)
        return refused(request, message, 400, form)
    page = form.cleaned_data["page"]
    record = reports.record_at(page)
    if record is None:
        return refused(request, gettext("This page is no longer on the site."), 404)
    problem = reports.token_problem(form.cleaned_data["token"], page)
    if problem:
        return refused(request, problem, 400, form)
    if not reports.connections.allow(client_address(request)):
        message = gettext(
            "You sent several reports in a few minutes. Wait ten minutes and send "
            "it again."
        )
        return refused(request, message, 429, form)
    if reports.page_limit_reached(page):
        message = gettext(
            "Many people reported this page in the last hour, so it is already "
            "being looked at. Thank you."
        )
        return refused(request, message, 429)
    reports.report_save(
        record=record,
        language=translation.get_language(),
        sent=reports.Sent(
            problem=form.cleaned_data["problem"], comment=form.cleaned_data["comment"]
        ),
    )
    sent = page_url("services:report_sent") + "?" + urlencode({"page": page})
    return HttpResponseRedirect(sent, status=303)


@csrf_exempt
@never_cache
def useful(request: HttpRequest) -> HttpResponse:
    """ "Was this page useful?": one more yes or no for the page and language."""
    too_long = gettext("This answer is too long to send.")
    if (not_read := refused_before_reading(request, too_long)) is not None:
        return not_read
    form = UsefulForm(request.POST)
    if not form.is_valid():
        return refused(request, gettext("Choose yes or no."), 400)
    page = form.cleaned_data["page"]
    record = reports.record_at(page)
    problem = reports.token_problem(form.cleaned_data["token"], page)
    if record is None or problem:
        return refused(
            request, problem or gettext("This page is no longer on the site."), 400
        )
    if not reports.connections.allow(client_address(request)):
        message = gettext("You sent several answers in a few minutes. Thank you.")
        return refused(request, message, 429)
    measure = (
        counts.USEFUL if form.cleaned_data["answer"] == "yes" else counts.NOT_USEFUL
    )
    kind = type(record).__name__.lower()
    counts.count(kind, page, translation.get_language(), measure)
    sent = page_url("services:useful_sent") + "?" + urlencode({"page": page})
    return HttpResponseRedirect(sent, status=303)


def sent_page(request: HttpRequest, template: str) -> HttpResponse:
    page = request.GET.get("page", "")[:200]
    record = reports.record_at(page) if page.startswith("/") else None
    response = render_page(request, template, {"record": record})
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@errors.safe_methods_only
@never_cache
def report_sent(request: HttpRequest) -> HttpResponse:
    return sent_page(request, "services/report_sent.html")


@csrf_exempt
@errors.safe_methods_only
@never_cache
def useful_sent(request: HttpRequest) -> HttpResponse:
    return sent_page(request, "services/useful_sent.html")
