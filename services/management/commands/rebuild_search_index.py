from typing import Any

from django.core.management.base import BaseCommand

from services.search.index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search entries of every service and guide, in every language."

    def handle(self, *args: Any, **options: Any) -> None:
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} services and guides.")
