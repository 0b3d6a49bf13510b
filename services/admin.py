"""The caseworkers' side: every text in language tabs, search in every language."""

import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.utils import get_translation_fields

from services import actions, translation_status
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


LANGUAGE_CHOICES = [
    (code, name)
    for code, name in translation_status.LANGUAGE_NAMES.items()
    if code != translation_status.SOURCE_LANGUAGE
]


class ContentForm(forms.ModelForm):
    """A content record's form, with how this save affects its translations."""

    minor_english_edit = forms.BooleanField(
        label=_("Minor English edit"),
        required=False,
        help_text=_(
            "Tick for a typo or punctuation fix that does not change the meaning: "
            "translations made from the previous English stay current. Leave "
            "unticked for any real change, so every translation is flagged outdated."
        ),
    )
    reviewed_languages = forms.MultipleChoiceField(
        label=_("Translations checked by a person"),
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the languages whose translation you have checked against the "
            "current English in this save. Text you type in a language tab is "
            "marked as checked by a person automatically."
        ),
    )


TRANSLATION_FIELDSET = (
    _("Translations"),
    {"fields": ("minor_english_edit", "reviewed_languages")},
)


class ContentAdmin(TabbedTranslationAdmin):
    """Translated content: language tabs, and a translation state per language."""

    form = ContentForm
    # Child records whose translations count towards this record's state.
    translated_children = ()

    class Media:
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*self.translated_children)

    @admin.display(description=_("translations"))
    def translation_states(self, obj):
        records = [obj]
        for relation in self.translated_children:
            records.extend(getattr(obj, relation).all())
        states = [
            (
                code,
                translation_status.worst(
                    translation_status.record_state(record, code) for record in records
                )
                or translation_status.REVIEWED,
            )
            for code, _name in LANGUAGE_CHOICES
        ]
        return format_html(
            '<span class="translation-states">{}</span>',
            format_html_join(
                "",
                '<span class="tstate tstate-{}" title="{}">{}</span>',
                (
                    (state, f"{code}: {translation_status.STATE_LABELS[state]}", code)
                    for code, state in states
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        actions.translations_note_edit(
            obj=obj,
            changed_fields=form.changed_data,
            initial=form.initial,
            minor=form.cleaned_data.get("minor_english_edit", False),
            reviewed=form.cleaned_data.get("reviewed_languages", []),
        )
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            actions.translations_note_edit(
                obj=inline_form.instance,
                changed_fields=inline_form.changed_data,
                initial=inline_form.initial,
                minor=form.cleaned_data.get("minor_english_edit", False),
                reviewed=form.cleaned_data.get("reviewed_languages", []),
            )
        super().save_formset(request, form, formset, change)


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
class CategoryAdmin(ContentAdmin):
    list_display = ("name", "slug", "icon", "sort_order", "translation_states")
    list_editable = ("sort_order",)
    search_fields = ("slug", *translated("name", "description"))
    ordering = ("sort_order", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (None, {"fields": ("name", "description", "slug", "icon", "sort_order")}),
        TRANSLATION_FIELDSET,
    )


@admin.register(Service)
class ServiceAdmin(ContentAdmin):
    list_display = (
        "name",
        "category",
        "status",
        "last_verified_on",
        "review_due_on",
        "translation_states",
    )
    list_filter = ("status", "category", ReviewDueFilter, "interpreters")
    translated_children = ("steps", "documents", "contacts", "assurances")
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
        TRANSLATION_FIELDSET,
    )


@admin.register(Policy)
class PolicyAdmin(ContentAdmin):
    list_display = (
        "name",
        "citation",
        "status",
        "last_verified_on",
        "review_due_on",
        "translation_states",
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
        TRANSLATION_FIELDSET,
    )


class GuideSectionInline(TranslationStackedInline):
    model = GuideSection
    extra = 0
    fields = ("position", "heading", "body")


@admin.register(Guide)
class GuideAdmin(ContentAdmin):
    list_display = (
        "title",
        "category",
        "status",
        "last_verified_on",
        "review_due_on",
        "translation_states",
    )
    translated_children = ("sections",)
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
        TRANSLATION_FIELDSET,
    )


@admin.register(Hotline)
class HotlineAdmin(ContentAdmin):
    list_display = (
        "name",
        "phone",
        "is_published",
        "last_verified_on",
        "sort_order",
        "translation_states",
    )
    list_filter = ("is_published",)
    list_editable = ("sort_order",)
    search_fields = ("slug", "phone", *translated("name", "description"))
    ordering = ("sort_order", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "phone",
                    "description",
                    "website",
                    "slug",
                    ("is_published", "sort_order"),
                    "last_verified_on",
                    "verification_note",
                )
            },
        ),
        TRANSLATION_FIELDSET,
    )


@admin.register(SiteProfile)
class SiteProfileAdmin(ContentAdmin):
    list_display = ("site_name", "city_name", "emergency_number", "translation_states")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "site_name",
                    "city_name",
                    "emergency_number",
                    "emergency_note",
                    "interpreter_note",
                    "operator",
                    "disclaimer",
                )
            },
        ),
        TRANSLATION_FIELDSET,
    )

    def has_add_permission(self, request):
        # There is one profile; it is edited, never added twice.
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
