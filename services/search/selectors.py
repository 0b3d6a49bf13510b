"""Reads for search. Nothing about a query is stored, cached or logged."""

from typing import TypeVar

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import get_language

from services.models import Guide, Service
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
