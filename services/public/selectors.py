"""Reads: what the public pages show. Views call these; nothing here writes.

A page, its staff preview, its printed handout and a referral page read a record
the same way (`services_with_parts()` and friends), so a preview shows exactly
what residents will see.
"""

import re

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from services.models import (
    Assurance,
    AssuranceKind,
    Category,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
)

# What the city cannot control comes after what it does.
ASSURANCE_ORDER = (
    Case(When(kind=AssuranceKind.CANNOT_CONTROL, then=Value(1)), default=Value(0)),
    "position",
    "id",
)


def site_profile() -> SiteProfile:
    """The city's profile; a placeholder before any content is loaded."""
    profile = SiteProfile.objects.filter(pk=1).first()
    if profile is None:
        return SiteProfile(
            city_name="",
            site_name="City services guide",
            emergency_number=settings.EMERGENCY_NUMBER,
        )
    return profile


def home_categories() -> QuerySet[Category]:
    """Categories that have something public to show, in their set order."""
    return Category.objects.filter(
        Exists(Service.objects.published().filter(category=OuterRef("pk")))
        | Exists(Guide.objects.published().filter(category=OuterRef("pk")))
    ).order_by("sort_order", "slug")


def published_hotlines() -> QuerySet[Hotline]:
    return Hotline.objects.filter(is_published=True).order_by("sort_order", "slug")


def published_guides() -> QuerySet[Guide]:
    return Guide.objects.published().order_by("sort_order", "slug")


def category_page(*, slug: str) -> tuple[Category, QuerySet[Service], QuerySet[Guide]]:
    category = get_object_or_404(Category, slug=slug)
    services = (
        Service.objects.published()
        .filter(category=category)
        .select_related("category")
        .order_by("sort_order", "slug")
    )
    guides = (
        Guide.objects.published()
        .filter(category=category)
        .order_by("sort_order", "slug")
    )
    return category, services, guides


def services_with_parts() -> QuerySet[Service]:
    """Services with everything their page shows. Published or not: pages add
    `.published()`, staff previews do not."""
    return with_parts(Service.objects.all())


def with_parts(services: QuerySet[Service]) -> QuerySet[Service]:
    """These services with their category, steps, documents, contacts, and
    assurances with their rules (what the city cannot control last)."""
    return services.select_related("category").prefetch_related(
        Prefetch(
            "assurances",
            queryset=Assurance.objects.select_related("policy").order_by(
                *ASSURANCE_ORDER
            ),
        ),
        "documents",
        "steps",
        "contacts",
    )


def service_page(*, category_slug: str, slug: str) -> Service:
    """A published service with everything its page shows."""
    return get_object_or_404(
        services_with_parts().published(), category__slug=category_slug, slug=slug
    )


def policy_page(*, slug: str) -> tuple[Policy, QuerySet[Service]]:
    policy = get_object_or_404(Policy.objects.published(), slug=slug)
    return policy, services_citing(policy)


def services_citing(policy: Policy) -> QuerySet[Service]:
    return (
        Service.objects.published()
        .filter(assurances__policy=policy)
        .select_related("category")
        .distinct()
        .order_by("sort_order", "slug")
    )


def guides_with_sections() -> QuerySet[Guide]:
    return Guide.objects.select_related("category").prefetch_related("sections")


def guide_page(*, slug: str) -> Guide:
    return get_object_or_404(guides_with_sections().published(), slug=slug)


def preview_record(*, model_name: str, pk: int) -> Service | Policy | Guide:
    """Any service, policy or guide, whatever its status, read as its page reads
    it: for staff previews."""
    if model_name == "service":
        return get_object_or_404(services_with_parts(), pk=pk)
    if model_name == "policy":
        return get_object_or_404(Policy, pk=pk)
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
