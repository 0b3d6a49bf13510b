from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    default = True
    name = "services"
    verbose_name = _("City services guide")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from services import signals

        signals.connect()
        post_migrate.connect(signals.roles_after_migrate, sender=self)


class GuideAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with the caseworkers' own site (translations pages)."""

    default = False
    default_site = "services.admin.site.GuideAdminSite"

    def ready(self) -> None:
        super().ready()
        # Registers the content's admin pages on the site made above.
        from services.admin import options  # noqa: F401
