"""Reads: what the public pages show. Views call these; nothing here writes.

A page, its staff preview, its printed handout and a referral page read a record
the same way (`services_with_parts()` and friends), so a preview shows exactly
what residents will see.
"""

import datetime
import re
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from services.hours.clock import LOOK_AHEAD_DAYS
from services.models import (
    LIMIT_KINDS,
    Alert,
    Assurance,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Holiday,
    Hotline,
    Policy,
    PublishedQuerySet,
    Service,
    SiteProfile,
    Step,
)
from services.translations import state

# Alerts scheduled ahead that a page reads, to know when its list next changes;
# far more than a city keeps.
MAX_ALERTS_AHEAD = 50

# What a service does comes first; then what it does not promise, then what the
# city cannot control (Assurance.limit_section).
ASSURANCE_ORDER = (
    Case(
        *(
            When(kind=kind, then=Value(section))
            for section, kind in enumerate(LIMIT_KINDS, start=1)
        ),
        default=Value(0),
    ),
    "position",
    "id",
)


Read = TypeVar("Read", bound=QuerySet[Any])


def in_reader_language(queryset: Read, *relations: str) -> Read:
    """The queryset reading only what a page in the active language shows: each
    text in that language and in English, not in the other ten, of its records
    and of those it follows with select_related (`relations`).

    A translated record has a column per language for each text; leaving out
    the languages a page never shows makes each row a fraction of its width,
    and each query quicker to write and to read.
    """
    languages = {get_language(), state.SOURCE_LANGUAGE}
    columns = []
    for prefix, model in [("", queryset.model)] + [
        (f"{relation}__", queryset.model._meta.get_field(relation).related_model)
        for relation in relations
    ]:
        translated = state.translated_fields(model)
        per_language = {
            state.column(field, code)
            for field in translated
            for code in state.LANGUAGE_NAMES
        }
        columns += [
            prefix + field.name
            for field in model._meta.concrete_fields
            if field.name not in translated and field.name not in per_language
        ]
        columns += [
            prefix + state.column(field, code)
            for field in translated
            for code in languages
        ]
    return queryset.only(*columns)


def site_profile() -> SiteProfile:
    """The city's profile; a placeholder before any content is loaded."""
    profile = in_reader_language(SiteProfile.objects.filter(pk=1)).first()
    if profile is None:
        return SiteProfile(
            city_name="",
            site_name="City services guide",
            emergency_number=settings.EMERGENCY_NUMBER,
        )
    return profile


def home_categories() -> QuerySet[Category]:
    """Categories that have something public to show, in their set order."""
    return in_reader_language(
        Category.objects.filter(
            Exists(Service.objects.published().filter(category=OuterRef("pk")))
            | Exists(Guide.objects.published().filter(category=OuterRef("pk")))
        ).order_by("sort_order", "slug")
    )


def published_hotlines() -> QuerySet[Hotline]:
    return in_reader_language(
        Hotline.objects.filter(is_published=True).order_by("sort_order", "slug")
    )


def published_guides() -> QuerySet[Guide]:
    return in_reader_language(Guide.objects.published().order_by("sort_order", "slug"))


def category_page(*, slug: str) -> tuple[Category, QuerySet[Service], QuerySet[Guide]]:
    category: Category = get_object_or_404(
        in_reader_language(Category.objects.all()), slug=slug
    )
    services = in_reader_language(
        Service.objects.published()
        .filter(category=category)
        .select_related("category")
        .order_by("sort_order", "slug"),
        "category",
    )
    guides = in_reader_language(
        Guide.objects.published()
        .filter(category=category)
        .order_by("sort_order", "slug")
    )
    return category, services, guides


def services_with_parts() -> PublishedQuerySet[Service]:
    """Services with everything their page shows. Published or not: pages add
    `.published()`, staff previews do not."""
    return with_parts(Service.objects.all())


def with_parts(services: PublishedQuerySet[Service]) -> PublishedQuerySet[Service]:
    """These services with their category, steps, documents, contacts, and
    assurances with their rules (what the city cannot control last), in the
    reader's language and English."""
    assurances = Assurance.objects.select_related("policy").order_by(*ASSURANCE_ORDER)
    return in_reader_language(
        services.select_related("category"), "category"
    ).prefetch_related(
        Prefetch("assurances", queryset=in_reader_language(assurances, "policy")),
        Prefetch("documents", queryset=in_reader_language(Document.objects.all())),
        Prefetch("steps", queryset=in_reader_language(Step.objects.all())),
        Prefetch("contacts", queryset=in_reader_language(ContactPoint.objects.all())),
    )


def service_page(*, category_slug: str, slug: str) -> Service:
    """A published service with everything its page shows."""
    return get_object_or_404(
        services_with_parts().published(), category__slug=category_slug, slug=slug
    )


def policy_page(*, slug: str) -> tuple[Policy, QuerySet[Service]]:
    policy = get_object_or_404(
        in_reader_language(Policy.objects.published()), slug=slug
    )
    return policy, services_citing(policy)


def services_citing(policy: Policy) -> QuerySet[Service]:
    return in_reader_language(
        Service.objects.published()
        .filter(assurances__policy=policy)
        .select_related("category")
        .distinct()
        .order_by("sort_order", "slug"),
        "category",
    )


def guides_with_sections() -> PublishedQuerySet[Guide]:
    sections = in_reader_language(GuideSection.objects.all())
    return in_reader_language(
        Guide.objects.select_related("category"), "category"
    ).prefetch_related(Prefetch("sections", queryset=sections))


def guide_page(*, slug: str) -> Guide:
    return get_object_or_404(guides_with_sections().published(), slug=slug)


def preview_record(*, model_name: str, pk: int) -> Service | Policy | Guide:
    """Any service, policy or guide, whatever its status, read as its page reads
    it (in the active language): for staff previews."""
    if model_name == "service":
        return get_object_or_404(services_with_parts(), pk=pk)
    if model_name == "policy":
        return get_object_or_404(in_reader_language(Policy.objects.all()), pk=pk)
    if model_name == "guide":
        return get_object_or_404(guides_with_sections(), pk=pk)
    raise Http404


MAX_REFERRAL_SERVICES = 12
# Service numbers in a referral link: ASCII digits only ("١٢" or "²" are not).
REFERRAL_LINK = re.compile(
    rf"[0-9]{{1,9}}(?:-[0-9]{{1,9}}){{0,{MAX_REFERRAL_SERVICES - 1}}}"
)


def referral_services(*, services: str) -> list[Service]:
    """The published services of a referral link such as "12-15-3", in its order.

    The link holds only service numbers (and the language, in its prefix).
    """
    if not REFERRAL_LINK.fullmatch(services):
        raise Http404
    order = list(dict.fromkeys(int(part) for part in services.split("-")))
    found = services_with_parts().published().in_bulk(order)
    if len(found) != len(order):
        raise Http404
    return [found[pk] for pk in order]


def holidays_near(today: datetime.date) -> dict[datetime.date, Holiday]:
    """The city's holidays from yesterday to as far as a page looks ahead for
    an opening (services.hours.clock), by day, named in the reader's language."""
    days = (
        today - datetime.timedelta(days=1),
        today + datetime.timedelta(days=LOOK_AHEAD_DAYS),
    )
    return {
        holiday.day: holiday
        for holiday in in_reader_language(Holiday.objects.filter(day__range=days))
    }


def alerts_shown(
    now: datetime.datetime,
    *,
    category: Category | None = None,
    service: Service | None = None,
) -> tuple[list[Alert], datetime.datetime | None]:
    """The alerts a page shows now (the whole site's, its category's and its
    service's), and the moment that list next changes: an alert ends or starts."""
    places = Q(category__isnull=True, service__isnull=True)
    if category is not None:
        places |= Q(category=category)
    if service is not None:
        places |= Q(service=service) | Q(category_id=service.category_id)
    coming = list(
        in_reader_language(Alert.objects.filter(places, ends_at__gt=now)).order_by(
            "starts_at", "id"
        )[:MAX_ALERTS_AHEAD]
    )
    shown = [alert for alert in coming if alert.starts_at <= now]
    moments = [
        alert.ends_at if alert.starts_at <= now else alert.starts_at for alert in coming
    ]
    return shown, min(moments, default=None)
