"""Reads: what the public pages show. Views call these; nothing here writes."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from services import search as search_text
from services import translation_status
from services.models import (
    Assurance,
    AssuranceKind,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Status,
    Step,
)
from services.prepared import Marker, attach, prepared, reading

DEFAULT_LANGUAGE = "en"
# What the city cannot control comes after what it does.
ASSURANCE_ORDER = (
    Case(When(kind=AssuranceKind.CANNOT_CONTROL, then=Value(1)), default=Value(0)),
    "position",
    "id",
)


@prepared()
def _site_profile(language):
    return SiteProfile.objects.localized(language=language).filter(pk=1)


def site_profile() -> SiteProfile:
    """The city's profile; a placeholder before any content is loaded."""
    for profile in _site_profile():
        return profile
    return SiteProfile(
        city_name="",
        site_name="City services guide",
        emergency_number=settings.EMERGENCY_NUMBER,
    )


@prepared()
def home_categories(language):
    """Categories that have something public to show, in their set order.

    Whether each has a public service or guide, not how many: the database stops
    at the first, however many services a category holds (counting them took
    the home page 35 ms with 10,000 services).
    """
    return (
        Category.objects.localized(language=language)
        .filter(
            Exists(Service.objects.published().filter(category=OuterRef("pk")))
            | Exists(Guide.objects.published().filter(category=OuterRef("pk")))
        )
        .order_by("sort_order", "slug")
    )


@prepared()
def published_hotlines(language):
    return (
        Hotline.objects.localized(language=language)
        .filter(is_published=True)
        .order_by("sort_order", "slug")
    )


@prepared()
def published_guides(language):
    return (
        Guide.objects.localized(language=language)
        .published()
        .order_by("sort_order", "slug")
    )


def category_page(*, slug: str):
    language = get_language()
    with reading() as cursor:
        category = _one_or_404(
            _category_by_slug(slug=slug, language=language, cursor=cursor)
        )
        keys = {"category_id": category.pk, "language": language, "cursor": cursor}
        services = _published_services_in(**keys)
        guides = _published_guides_in(**keys)
    for service in services:
        service.category = category
    return category, services, guides


@prepared(Marker("slug"))
def _category_by_slug(language, *, slug):
    return Category.objects.localized(language=language).filter(slug=slug)


@prepared(Marker("category_id", int))
def _published_services_in(language, *, category_id):
    return (
        Service.objects.localized(language=language)
        .published()
        .filter(category_id=category_id)
        .order_by("sort_order", "slug")
    )


@prepared(Marker("category_id", int))
def _published_guides_in(language, *, category_id):
    return (
        Guide.objects.localized(language=language)
        .published()
        .filter(category_id=category_id)
        .order_by("sort_order", "slug")
    )


class ServiceParts(NamedTuple):
    """The parts of a service its page shows, each in its order: `service.parts`.

    Plain lists, as Django's `Prefetch(to_attr=...)` gives: each `service.steps`
    makes a new related manager, and a page asking for the four relations twice
    spent 5 % of its time making them.
    """

    steps: list
    documents: list
    contacts: list
    assurances: list


def with_parts(service):
    """Give a service read with `service_parts()` its `parts`."""
    service.parts = ServiceParts(
        *(list(getattr(service, name).all()) for name in ServiceParts._fields)
    )
    return service


def service_page(*, category_slug: str, slug: str) -> Service:
    """A published service with everything its page shows, in five small reads."""
    language = get_language()
    with reading() as cursor:
        service = _one_or_404(
            _published_service(
                category_slug=category_slug,
                slug=slug,
                language=language,
                cursor=cursor,
            )
        )
        keys = {"service_id": service.pk, "language": language, "cursor": cursor}
        service.parts = ServiceParts(
            steps=_steps_of(**keys),
            documents=_documents_of(**keys),
            contacts=_contacts_of(**keys),
            assurances=_assurances_of(**keys),
        )
    for name, records in zip(ServiceParts._fields, service.parts, strict=True):
        attach(service, name, records)
    return service


def _one_or_404(records):
    if not records:
        raise Http404
    return records[0]


@prepared(Marker("category_slug"), Marker("slug"))
def _published_service(language, *, category_slug, slug):
    return (
        Service.objects.localized(
            "category", language=language, related_status_apart=True
        )
        .published()
        .select_related("category")
        .filter(category__slug=category_slug, slug=slug)
    )


@prepared(Marker("service_id", int))
def _steps_of(language, *, service_id):
    return Step.objects.localized(language=language).filter(service_id=service_id)


@prepared(Marker("service_id", int))
def _documents_of(language, *, service_id):
    return Document.objects.localized(language=language).filter(service_id=service_id)


@prepared(Marker("service_id", int))
def _contacts_of(language, *, service_id):
    return ContactPoint.objects.localized(language=language).filter(
        service_id=service_id
    )


# A service page names the rule each assurance rests on and links to its page;
# the rule's summary and limits, its longest texts, are shown there only.
POLICY_TEXTS_ON_ITS_OWN_PAGE = ("summary", "limits")


@prepared(Marker("service_id", int))
def _assurances_of(language, *, service_id):
    return (
        Assurance.objects.localized(
            "policy", language=language, related_status_apart=True
        )
        .defer(
            *(
                "policy__" + translation_status.column(field, code)
                for field in POLICY_TEXTS_ON_ITS_OWN_PAGE
                for code in {language, translation_status.SOURCE_LANGUAGE}
            )
        )
        .select_related("policy")
        .filter(service_id=service_id)
        .order_by(*ASSURANCE_ORDER)
    )


def service_parts(language=None):
    """What a service page shows of a service's parts, in the reader's language."""
    return [
        Prefetch("steps", queryset=Step.objects.localized(language=language)),
        Prefetch("documents", queryset=Document.objects.localized(language=language)),
        Prefetch(
            "contacts", queryset=ContactPoint.objects.localized(language=language)
        ),
        Prefetch(
            "assurances",
            queryset=Assurance.objects.localized("policy", language=language)
            .select_related("policy")
            .order_by(*ASSURANCE_ORDER),
        ),
    ]


def _service_with_parts():
    return (
        Service.objects.localized("category")
        .select_related("category")
        .prefetch_related(*service_parts())
    )


def policy_page(*, slug: str):
    language = get_language()
    with reading() as cursor:
        policy = _one_or_404(
            _published_policy(slug=slug, language=language, cursor=cursor)
        )
        services = _published_services_citing(
            policy_id=policy.pk, language=language, cursor=cursor
        )
    return policy, services


@prepared(Marker("slug"))
def _published_policy(language, *, slug):
    return Policy.objects.localized(language=language).published().filter(slug=slug)


@prepared(Marker("policy_id", int))
def _published_services_citing(language, *, policy_id):
    return (
        Service.objects.localized(
            "category", language=language, related_status_apart=True
        )
        .published()
        .filter(assurances__policy_id=policy_id)
        .select_related("category")
        .distinct()
        .order_by("sort_order", "slug")
    )


def guide_page(*, slug: str) -> Guide:
    language = get_language()
    with reading() as cursor:
        guide = _one_or_404(
            _published_guide(slug=slug, language=language, cursor=cursor)
        )
        sections = _sections_of(guide_id=guide.pk, language=language, cursor=cursor)
    attach(guide, "sections", sections)
    return guide


@prepared(Marker("slug"))
def _published_guide(language, *, slug):
    return (
        Guide.objects.localized(
            "category", language=language, related_status_apart=True
        )
        .published()
        .select_related("category")
        .filter(slug=slug)
    )


@prepared(Marker("guide_id", int))
def _sections_of(language, *, guide_id):
    return GuideSection.objects.localized(language=language).filter(guide_id=guide_id)


def search(*, query: str, limit: int = 30):
    """Published services and guides whose text has every word of the query.

    Looks in the reader's language and in English, with accents, tones, case and
    letter variants folded (services/search.py), and puts name matches first.
    Nothing about the query is stored.
    """
    terms = search_text.words(query)
    if not terms:
        return [], []
    language = get_language() or DEFAULT_LANGUAGE
    phrase = " ".join(terms)

    def matching(model, related=()):
        condition = Q(search_entries__language=language)
        for term in terms:
            condition &= Q(search_entries__text__contains=term)
        return (
            model.objects.localized(*related)
            .published()
            .filter(condition)
            .annotate(
                rank=Case(
                    When(search_entries__name__contains=phrase, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "sort_order", "slug")
        )

    services = matching(Service, ("category",)).select_related("category")[:limit]
    guides = matching(Guide)[:limit]
    return list(services), list(guides)


# The records a translator works through, each with the parts translated with it.
OVERVIEW_MODELS = [
    (SiteProfile, ()),
    (Category, ()),
    (Service, ("steps", "documents", "contacts", "assurances")),
    (Policy, ()),
    (Guide, ("sections",)),
    (Hotline, ()),
]


def translation_overview(*, languages):
    """Each record with its worst translation state per language, parts included."""
    rows = []
    for model, children in OVERVIEW_MODELS:
        meta = model._meta
        for obj in model.objects.prefetch_related(*children).order_by("pk"):
            records = [obj]
            for relation in children:
                records.extend(getattr(obj, relation).all())
            states = {
                language: translation_status.combined_state(records, language)
                for language in languages
            }
            rows.append(
                {
                    "label": str(obj),
                    "kind": meta.verbose_name,
                    "url": reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_change",
                        args=[obj.pk],
                    ),
                    "states": states,
                }
            )
    return rows


def preview_record(*, model_name: str, pk: int):
    """Any service, policy or guide, whatever its status: for staff previews."""
    if model_name == "service":
        return with_parts(get_object_or_404(_service_with_parts(), pk=pk))
    if model_name == "policy":
        return get_object_or_404(Policy, pk=pk)
    if model_name == "guide":
        return get_object_or_404(
            Guide.objects.select_related("category").prefetch_related("sections"),
            pk=pk,
        )
    raise Http404


def edit_conflict_message(instance, loaded_at: str, differing=()) -> str:
    """Who saved a record after a form was opened, and which fields they changed."""
    from reversion.models import Version

    versions = list(
        Version.objects.get_for_object(instance).select_related("revision__user")
    )

    def saved_at(version):
        return version.field_dict.get("updated_at")

    try:
        loaded = datetime.datetime.fromisoformat(loaded_at)
    except ValueError:
        loaded = None
    newer = [v for v in versions if loaded and saved_at(v) and saved_at(v) > loaded]
    before = next(
        (v for v in versions if loaded and saved_at(v) and saved_at(v) <= loaded), None
    )
    who = _("Someone")
    when = ""
    if newer and newer[0].revision.user:
        who = newer[0].revision.user.get_username()
    if newer:
        when = date_format(
            timezone.localtime(newer[0].revision.date_created), "DATETIME_FORMAT"
        )
    changed = []
    if newer and before:
        latest, earlier = newer[0].field_dict, before.field_dict
        for name, value in latest.items():
            if (
                name in {"updated_at", "translation_status"}
                or earlier.get(name) == value
            ):
                continue
            try:
                changed.append(str(instance._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                continue
    message = _(
        "%(who)s saved this record%(when)s, after you opened it. Your changes have "
        "NOT been saved: they are still in the form below. "
    ) % {"who": who, "when": f" ({when})" if when else ""}
    if changed:
        message += _("They changed: %(fields)s. ") % {"fields": ", ".join(changed)}
    elif differing:
        message += _("The saved record now differs from your form in: %(fields)s. ") % {
            "fields": ", ".join(differing)
        }
    message += _(
        "Open the record in a new tab to see their version, then save this form "
        "again to keep yours."
    )
    return message


def _attention_row(obj):
    meta = obj._meta
    return {
        "label": str(obj),
        "kind": meta.verbose_name,
        "url": reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
        ),
        "status": obj.get_status_display(),
        "is_draft_copy": obj.draft_of_id is not None,
        "reason": obj.needs_review_reason,
        "due": obj.review_due_on,
    }


def needs_attention(*, today=None):
    """What reviewers should look at, by reason."""
    today = today or timezone.localdate()
    sections = {"overdue": [], "in_review": [], "policy_changed": [], "outdated": []}
    for model in (Service, Policy, Guide):
        overdue = model.objects.filter(draft_of=None).due_for_review(today=today)
        sections["overdue"] += map(_attention_row, overdue.order_by("review_due_on"))
        in_review = model.objects.filter(status=Status.IN_REVIEW)
        sections["in_review"] += map(_attention_row, in_review)
        changed = model.objects.exclude(needs_review_reason="")
        sections["policy_changed"] += map(_attention_row, changed)
    sections["outdated"] = [
        row
        for row in translation_overview(languages=translation_status.TARGET_LANGUAGES)
        if translation_status.OUTDATED in row["states"].values()
    ]
    return sections


def hotlines_remember(hotlines) -> None:
    """Keep the help lines, as the reader sees them, for when the database is down."""
    language = get_language() or DEFAULT_LANGUAGE
    shown = [
        (
            translation_status.shown(hotline, "name", language)[0],
            hotline.phone,
            hotline.tel,
        )
        for hotline in hotlines
    ]
    cache.set(f"guide:hotlines:{language}", shown, 60 * 60 * 24 * 30)


def hotlines_remembered(language):
    try:
        return cache.get(f"guide:hotlines:{language}") or []
    except Exception:  # the cache may be down too
        return []


MAX_REFERRAL_SERVICES = 12


def referral_services(*, services: str):
    """The published services of a referral link such as "12-15-3", in its order.

    The link holds only service numbers (and the language, in its prefix).
    """
    parts = services.split("-")
    if not 0 < len(parts) <= MAX_REFERRAL_SERVICES or not all(
        part.isdigit() and len(part) < 10 for part in parts
    ):
        raise Http404
    order = list(dict.fromkeys(int(part) for part in parts))
    found = {
        service.pk: service
        for service in _service_with_parts()
        .published()
        .filter(draft_of=None, pk__in=order)
    }
    if len(found) != len(order):
        raise Http404
    return [with_parts(found[pk]) for pk in order]
