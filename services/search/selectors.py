"""Reads for search. Nothing about a query is stored, cached or logged."""

from typing import TypeVar

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import get_language

from services.models import Guide, SearchEntry, Service, Status
from services.search.folding import words

Searched = TypeVar("Searched", Service, Guide)


def matching(
    model: type[Searched], terms: list[str], language: str
) -> QuerySet[Searched]:
    """Published records whose text in `language` (and English) has every term,
    name matches first."""
    condition = Q(search_entries__language=language)
    for term in terms:
        condition &= Q(search_entries__text__contains=term)
    return (
        model.objects.published()
        .filter(condition)
        .annotate(
            rank=Case(
                When(search_entries__name__contains=" ".join(terms), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "sort_order", "slug")
    )


def search(*, query: str, limit: int = 30) -> tuple[list[Service], list[Guide]]:
    """Published services and guides whose text has every word of the query.

    Looks in the reader's language and in English, with accents, tones, case and
    letter variants folded (services/search/folding.py), and puts name matches
    first.
    """
    terms = words(query)
    if not terms:
        return [], []
    language = get_language()
    services = matching(Service, terms, language).select_related("category")[:limit]
    guides = matching(Guide, terms, language)[:limit]
    return list(services), list(guides)


def results_elsewhere(*, query: str) -> list[tuple[str, int]]:
    """For a query that finds nothing in the reader's language: how many services
    and guides it finds in each other language that has any, most first. One
    query, whatever the number of languages."""
    terms = words(query)
    if not terms:
        return []
    condition = Q(service__status=Status.PUBLISHED) | Q(guide__status=Status.PUBLISHED)
    for term in terms:
        condition &= Q(text__contains=term)
    counts = dict(
        SearchEntry.objects.exclude(language=get_language())
        .filter(condition)
        .values_list("language")
        .annotate(found=Count("id"))
    )
    order = [code for code, _name in settings.LANGUAGES]
    return sorted(
        ((code, found) for code, found in counts.items() if code in order),
        key=lambda item: (-item[1], order.index(item[0])),
    )
