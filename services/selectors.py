"""Reads: what the public pages show. Views call these; nothing here writes."""

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from services import translation_status
from services.models import (
    Assurance,
    AssuranceKind,
    Category,
    ContentVersion,
    Guide,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Status,
)

DEFAULT_LANGUAGE = "en"


def site_profile() -> SiteProfile:
    """The city's profile; a placeholder before any content is loaded."""
    profile = SiteProfile.objects.filter(pk=1).first()
    if profile is None:
        profile = SiteProfile(
            city_name="",
            site_name="City services guide",
            emergency_number=settings.EMERGENCY_NUMBER,
        )
    return profile


def home_categories():
    """Categories that have something public to show, in their set order."""
    return (
        Category.objects.annotate(
            public_services=Count(
                "services",
                filter=Q(services__status=Status.PUBLISHED),
                distinct=True,
            ),
            public_guides=Count(
                "guides", filter=Q(guides__status=Status.PUBLISHED), distinct=True
            ),
        )
        .filter(Q(public_services__gt=0) | Q(public_guides__gt=0))
        .order_by("sort_order", "slug")
    )


def published_hotlines():
    return Hotline.objects.filter(is_published=True).order_by("sort_order", "slug")


def published_guides():
    return Guide.objects.published().order_by("sort_order", "slug")


def category_page(*, slug: str):
    category = get_object_or_404(Category, slug=slug)
    services = (
        Service.objects.published()
        .filter(category=category)
        .order_by("sort_order", "slug")
    )
    guides = published_guides().filter(category=category)
    return category, services, guides


def service_page(*, category_slug: str, slug: str) -> Service:
    queryset = (
        Service.objects.published()
        .select_related("category")
        .prefetch_related(
            "steps",
            "documents",
            "contacts",
            Prefetch(
                "assurances",
                # What the city cannot control comes after what it does.
                queryset=Assurance.objects.select_related("policy").order_by(
                    Case(
                        When(kind=AssuranceKind.CANNOT_CONTROL, then=Value(1)),
                        default=Value(0),
                    ),
                    "position",
                    "id",
                ),
            ),
        )
    )
    return get_object_or_404(queryset, category__slug=category_slug, slug=slug)


def policy_page(*, slug: str):
    policy = get_object_or_404(Policy.objects.published(), slug=slug)
    services = (
        Service.objects.published()
        .filter(assurances__policy=policy)
        .select_related("category")
        .distinct()
        .order_by("sort_order", "slug")
    )
    return policy, services


def guide_page(*, slug: str) -> Guide:
    return get_object_or_404(published_guides().prefetch_related("sections"), slug=slug)


def _localized(field: str, language: str) -> str:
    return build_localized_fieldname(field, language)


def search(*, query: str, limit: int = 30):
    """Published services and guides whose text contains every word of the query.

    Looks in the reader's language and in English (which every record has), and
    puts matches in the name or title first. Nothing about the query is stored.
    """
    words = query.split()[:8]
    if not words:
        return [], []
    languages = [get_language() or DEFAULT_LANGUAGE, DEFAULT_LANGUAGE]
    languages = list(dict.fromkeys(languages))

    def matching(model, fields, name_field):
        condition = Q()
        for word in words:
            any_field = Q()
            for field in fields:
                for language in languages:
                    any_field |= Q(
                        **{f"{_localized(field, language)}__icontains": word}
                    )
            condition &= any_field
        name_match = Q()
        for language in languages:
            name_match |= Q(**{f"{_localized(name_field, language)}__icontains": query})
        return (
            model.objects.published()
            .filter(condition)
            .annotate(
                rank=Case(
                    When(name_match, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "sort_order", "slug")
        )

    services = matching(
        Service, ("name", "summary", "offers", "eligibility"), "name"
    ).select_related("category")[:limit]
    guides = matching(Guide, ("title", "summary"), "title")[:limit]
    return list(services), list(guides)


def translation_notes(*objects) -> set[str]:
    """Why parts of a page are not in the reader's own current translation.

    "missing" and "outdated" parts show the checked English; "machine" parts show
    a translation no person has reviewed yet. The page says so for each.
    """
    language = get_language() or DEFAULT_LANGUAGE
    notes = set()
    if language == DEFAULT_LANGUAGE:
        return notes
    for obj in objects:
        if obj is None:
            continue
        for field in translation_status.translated_fields(type(obj)):
            notes.add(translation_status.shown(obj, field, language)[2])
    notes.discard(None)
    return notes


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
            states = {}
            for language in languages:
                states[language] = (
                    translation_status.worst(
                        translation_status.record_state(record, language)
                        for record in records
                    )
                    or translation_status.REVIEWED
                )
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


def content_changed_at():
    """When content last changed (None before any content exists)."""
    return (
        ContentVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first()
    )
