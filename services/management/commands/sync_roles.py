from typing import Any

from django.core.management.base import BaseCommand

from services.workflow.actions import roles_sync
from services.workflow.roles import ROLES


class Command(BaseCommand):
    help = "Create or update the role groups (Editor, Translator, Reviewer, ...)."

    def handle(self, *args: Any, **options: Any) -> None:
        roles_sync()
        self.stdout.write(f"{len(ROLES)} role groups are up to date.")
