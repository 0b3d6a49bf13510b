"""The search index: each service and guide's folded text, per language (writes).

Kept up to date on every save (services/signals.py); `manage.py
rebuild_search_index` rebuilds it whole.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction

from services.models import Category, Guide, SearchEntry, Service
from services.search.folding import fold
from services.translations.state import text_in

SEARCHED_FIELDS: dict[type[Service | Guide], tuple[str, tuple[str, ...]]] = {
    Service: ("name", ("name", "summary", "offers", "eligibility")),
    Guide: ("title", ("title", "summary")),
}


def _search_entries(obj: Service | Guide) -> list[SearchEntry]:
    """The search entries of one service or guide, one per language, unsaved."""
    model = type(obj)
    owner = "service" if model is Service else "guide"
    name_field, fields = SEARCHED_FIELDS[model]
    sections = list(obj.sections.all()) if isinstance(obj, Guide) else []
    entries = []
    for code, _name in settings.LANGUAGES:
        languages = dict.fromkeys([code, "en"])

        def texts(
            record: models.Model,
            names: Iterable[str],
            languages: dict[str, None] = languages,
        ) -> list[str]:
            return [
                text_in(record, name, language)
                for name in names
                for language in languages
            ]

        body = texts(obj, fields)
        if isinstance(obj, Service):
            # A resident looking for "escuela" or "المدارس" finds every school.
            body += texts(obj.category, ("name", "search_words"))
        for section in sections:
            body += texts(section, ("heading", "body"))
        entries.append(
            SearchEntry(
                language=code,
                name=fold(" ".join(texts(obj, (name_field,)))),
                text=fold(" ".join(body)),
                **{owner: obj},
            )
        )
    return entries


def search_index_update_category(*, category: Category) -> None:
    """Refresh the entries of a category's services: their text holds its name
    and its search words."""
    for service in Service.objects.filter(category=category, draft_of__isnull=True):
        search_index_update(obj=service)


def search_index_update(*, obj: Service | Guide) -> None:
    """Refresh the search entries of one service or guide, in every language."""
    owner = "service" if isinstance(obj, Service) else "guide"
    SearchEntry.objects.filter(**{owner: obj}).delete()
    if obj.draft_of_id is None:  # a working copy is never searched; its original is
        SearchEntry.objects.bulk_create(_search_entries(obj))


@transaction.atomic
def search_index_rebuild() -> int:
    """Rebuild every search entry, for example after a bulk import."""
    SearchEntry.objects.all().delete()
    count = 0
    batch: list[SearchEntry] = []
    records: list[Iterable[Service | Guide]] = [
        Service.objects.filter(draft_of__isnull=True)
        .select_related("category")
        .iterator(chunk_size=1000),
        Guide.objects.filter(draft_of__isnull=True).prefetch_related("sections"),
    ]
    for queryset in records:
        for obj in queryset:
            batch += _search_entries(obj)
            count += 1
            if len(batch) >= 5000:
                SearchEntry.objects.bulk_create(batch)
                batch = []
    SearchEntry.objects.bulk_create(batch)
    return count
