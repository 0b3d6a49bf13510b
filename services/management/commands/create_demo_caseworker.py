import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError

USERNAME = "caseworker"


class Command(BaseCommand):
    help = (
        "Create a demo caseworker login for development, and print its random "
        "password once. Refuses to run with DJANGO_DEBUG=false."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo login is for development only; DJANGO_DEBUG is false. "
                "Create real accounts with `manage.py createsuperuser`."
            )
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"The demo login '{USERNAME}' already exists; its password was "
                "printed when it was created. To set a new one: "
                f"`manage.py changepassword {USERNAME}`."
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=USERNAME, password=password, is_staff=True
        )
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label="services")
        )
        self.stdout.write(
            self.style.SUCCESS(
                "Demo caseworker login (shown only this once):\n"
                f"  address:  http://127.0.0.1:8000/{settings.ADMIN_URL}\n"
                f"  username: {USERNAME}\n"
                f"  password: {password}"
            )
        )
