import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from services.workflow import roles
from services.workflow.accounts import staff_account_create

# One login per role, so a newcomer sees the review workflow from every side.
DEMO_ACCOUNTS = {
    "demo-editor": (roles.EDITOR,),
    "demo-translator": (
        roles.TRANSLATOR,
        roles.translator_group("Spanish"),
        roles.translator_group("Arabic"),
    ),
    "demo-reviewer": (roles.REVIEWER,),
}


class Command(BaseCommand):
    help = (
        "Create one demo login per role (editor, translator for Spanish and "
        "Arabic, reviewer) for development, and print their random passwords "
        "once. Refuses to run with DJANGO_DEBUG=false."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo logins are for development only; DJANGO_DEBUG is false. "
                "Create real accounts with `manage.py createsuperuser`, then give "
                "each person a role in the admin (Users → a user → Groups)."
            )
        User = get_user_model()
        created = []
        for username, group_names in DEMO_ACCOUNTS.items():
            if User.objects.filter(username=username).exists():
                self.stdout.write(
                    f"The demo login '{username}' already exists; its password was "
                    "printed when it was created. To set a new one: "
                    f"`manage.py changepassword {username}`."
                )
                continue
            password = secrets.token_urlsafe(12)
            staff_account_create(
                username=username, password=password, group_names=list(group_names)
            )
            created.append((username, password, ", ".join(group_names)))
        if not created:
            return
        lines = [
            "Demo logins (passwords shown only this once):",
            f"  address: http://127.0.0.1:8000/{settings.ADMIN_URL}",
            *(
                f"  {username:<16} {password}   {groups}"
                for username, password, groups in created
            ),
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
