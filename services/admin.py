"""The caseworkers' side: every text in language tabs, search in every language."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import get_translation_fields

from services.models import (
    Assurance,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Step,
)

admin.site.site_header = _("City services guide: caseworkers")
admin.site.site_title = _("City services guide")
admin.site.index_title = _("Content")


def translated(*fields):
    """Search fields covering every language, so an English admin finds Arabic text."""
    return [name for field in fields for name in get_translation_fields(field)]


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review due")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 30 days")),
            ("never", _("Never checked")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(review_due_on__lte=today)
        if self.value() == "soon":
            return queryset.filter(
                review_due_on__gt=today,
                review_due_on__lte=today + datetime.timedelta(days=30),
            )
        if self.value() == "never":
            return queryset.filter(last_verified_on=None)
        return queryset


VERIFICATION_FIELDSET = (
    _("Checking"),
    {
        "fields": (
            "status",
            "last_verified_on",
            "verified_by",
            "review_interval_days",
            "verification_note",
        ),
        "description": _(
            "Residents see the date of the last check. Change it only after "
            "comparing the page with its sources."
        ),
    },
)


class StepInline(TranslationTabularInline):
    model = Step
    extra = 0
    fields = ("position", "text")


class DocumentInline(TranslationTabularInline):
    model = Document
    extra = 0
    fields = ("position", "name", "is_alternative")


class ContactPointInline(TranslationStackedInline):
    model = ContactPoint
    extra = 0
    fields = (
        ("position", "phone", "last_verified_on"),
        "name",
        "address",
        "hours",
        "note",
    )


class AssuranceInline(TranslationStackedInline):
    model = Assurance
    extra = 0
    fields = (
        ("position", "kind"),
        "statement",
        ("policy", "last_verified_on"),
        "source_url",
    )
    autocomplete_fields = ("policy",)


@admin.register(Category)
class CategoryAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug", "icon", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("slug", *translated("name", "description"))
    ordering = ("sort_order", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("name", "description", "slug", "icon", "sort_order")


@admin.register(Service)
class ServiceAdmin(TabbedTranslationAdmin):
    list_display = (
        "name",
        "category",
        "status",
        "last_verified_on",
        "review_due_on",
        "updated_at",
    )
    list_filter = ("status", "category", ReviewDueFilter, "interpreters")
    search_fields = ("slug", *translated("name", "summary", "offers", "eligibility"))
    ordering = ("sort_order", "slug")
    list_select_related = ("category",)
    date_hierarchy = "updated_at"
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = (AssuranceInline, DocumentInline, StepInline, ContactPointInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "summary",
                    ("category", "sort_order"),
                    "slug",
                )
            },
        ),
        (
            _("What it offers and who can use it"),
            {"fields": ("offers", "eligibility", "cost", "interpreters", "website")},
        ),
        VERIFICATION_FIELDSET,
    )


@admin.register(Policy)
class PolicyAdmin(TabbedTranslationAdmin):
    list_display = (
        "name",
        "citation",
        "status",
        "last_verified_on",
        "review_due_on",
    )
    list_filter = ("status", ReviewDueFilter)
    search_fields = ("slug", "citation", *translated("name", "summary", "limits"))
    ordering = ("slug",)
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "citation",
                    "slug",
                    "summary",
                    "limits",
                    "official_url",
                    "in_force_since",
                )
            },
        ),
        VERIFICATION_FIELDSET,
    )


class GuideSectionInline(TranslationStackedInline):
    model = GuideSection
    extra = 0
    fields = ("position", "heading", "body")


@admin.register(Guide)
class GuideAdmin(TabbedTranslationAdmin):
    list_display = ("title", "category", "status", "last_verified_on", "review_due_on")
    list_filter = ("status", ReviewDueFilter)
    search_fields = ("slug", *translated("title", "summary"))
    ordering = ("sort_order", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    inlines = (GuideSectionInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "summary",
                    "slug",
                    ("category", "sort_order"),
                    "attribution",
                    "source_url",
                )
            },
        ),
        VERIFICATION_FIELDSET,
    )


@admin.register(Hotline)
class HotlineAdmin(TabbedTranslationAdmin):
    list_display = ("name", "phone", "is_published", "last_verified_on", "sort_order")
    list_filter = ("is_published",)
    list_editable = ("sort_order",)
    search_fields = ("slug", "phone", *translated("name", "description"))
    ordering = ("sort_order", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "name",
        "phone",
        "description",
        "website",
        "slug",
        ("is_published", "sort_order"),
        "last_verified_on",
        "verification_note",
    )


@admin.register(SiteProfile)
class SiteProfileAdmin(TabbedTranslationAdmin):
    list_display = ("site_name", "city_name", "emergency_number", "updated_at")
    fields = (
        "site_name",
        "city_name",
        "emergency_number",
        "emergency_note",
        "interpreter_note",
        "operator",
        "disclaimer",
    )

    def has_add_permission(self, request):
        # There is one profile; it is edited, never added twice.
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
