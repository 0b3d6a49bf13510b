"""The caseworkers' side: a record's texts one language at a time, with the
English beside them, and search in every language."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from modeltranslation.utils import get_translation_fields
from reversion.admin import VersionAdmin

from services import qr
from services.admin.bases import (
    BaseModelAdminMixin,
    FieldGroups,
    FieldsetOptions,
    Fieldsets,
    InlineModelAdminMixin,
    subclass,
)
from services.admin.conflicts import EditMergeAdmin
from services.admin.forms import (
    LANGUAGE_CHOICES,
    LANGUAGE_NAMES_ALL,
    TRANSLATION_CONTROLS,
    ContentForm,
    PartForm,
    ReferralForm,
    translation_controls,
)
from services.admin.hours_grid import OpeningHoursField
from services.admin.redirects import safe_next
from services.feedback.reports import reports_close
from services.models import (
    Alert,
    Assurance,
    AuditEvent,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Holiday,
    Hotline,
    Policy,
    PublishedQuerySet,
    Service,
    SiteProfile,
    Status,
    Step,
    Translatable,
    Verified,
    parts_of,
)
from services.pages import page_url
from services.translations import state as translation_status
from services.translations.actions import translations_note_edit
from services.workflow import actions, attention, roles

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_M = TypeVar("_M", bound=models.Model)
# The kind of record an admin of content edits.
_T = TypeVar("_T", bound=Translatable)
# The kind of record an admin of reviewed content edits.
_V = TypeVar("_V", bound=Verified)


def admin_change_url(obj: models.Model) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def translated(*fields: str) -> list[str]:
    """Search fields covering every language, so an English admin finds Arabic text."""
    return [name for field in fields for name in get_translation_fields(field)]


class AlertShownFilter(admin.SimpleListFilter):
    title = _("shown")
    parameter_name = "shown"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("now", _("Shown now")),
            ("coming", _("Starts later")),
            ("ended", _("Ended")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "now":
            return queryset.filter(starts_at__lte=now, ends_at__gt=now)
        if self.value() == "coming":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "ended":
            return queryset.filter(ends_at__lte=now)
        return queryset


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review due")
    parameter_name = "review"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, StrOrPromise]]:
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within 30 days")),
            ("never", _("Never checked")),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Verified]
    ) -> QuerySet[Verified]:
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


TRANSLATION_FIELDSET: tuple[StrOrPromise, FieldsetOptions] = (
    _("Translations"),
    # The version the form was opened from (services/admin/conflicts.py) is a
    # hidden field: it goes after the fieldsets (render_change_form).
    {"fields": ("minor_english_edit", "translation_reviewed")},
)
# The language a form is in: ?language=xx in its address, which the form posts
# back to.
LANGUAGE_PARAMETER = "language"


def default_language(user: roles.Person) -> str:
    """Translators start on their first language; whoever writes the English
    starts on the English."""
    if user.has_perm(roles.EDIT_SOURCE):
        return translation_status.SOURCE_LANGUAGE
    own = [
        code
        for code in roles.editable_languages(user)
        if code != translation_status.SOURCE_LANGUAGE
    ]
    return own[0] if own else translation_status.SOURCE_LANGUAGE


def working_language(request: HttpRequest, obj: models.Model | None = None) -> str:
    """The language of a record's form: the English, plus this one beside it.

    A new record starts with its English.
    """
    if obj is None or obj.pk is None:
        return translation_status.SOURCE_LANGUAGE
    asked = request.GET.get(LANGUAGE_PARAMETER)
    if asked is not None and asked in translation_status.LANGUAGE_NAMES:
        return asked
    return default_language(request.user)


def in_language(
    fields: FieldGroups, model: type[models.Model], language: str
) -> FieldGroups:
    """Field names of a form with each translated field in `language`:
    ("name", ("phone", "hours")) → ["name_es", ("phone", "hours_es")]."""
    translated = set(translation_status.translated_fields(model))

    def one(name: str) -> str:
        return translation_status.column(name, language) if name in translated else name

    return [
        tuple(one(name) for name in item)
        if isinstance(item, list | tuple)
        else one(item)
        for item in fields
    ]


def with_language(url: str, language: str) -> str:
    """The same address, with the form's language."""
    scheme, netloc, path, query_string, fragment = urlsplit(url)
    query = QueryDict(query_string, mutable=True)
    query[LANGUAGE_PARAMETER] = language
    return urlunsplit((scheme, netloc, path, query.urlencode(), fragment))


def locked_fields(model: type[models.Model], user: roles.Person) -> list[str]:
    """The fields this person may not change: enforced by the server, not hidden.

    Translators may change only their languages' text; everyone else with access
    may change everything.
    """
    if user.has_perm(roles.EDIT_SOURCE):
        return []
    allowed = set(roles.editable_languages(user))
    translated = translation_status.translated_fields(model)
    locked = []
    for field in model._meta.get_fields():
        if not isinstance(field, models.Field) or not field.concrete:
            continue
        if not field.editable:
            continue
        if field.primary_key or field.name in translated:
            continue
        language = getattr(field, "language", None)
        if language is not None and language in allowed:
            continue
        locked.append(field.name)
    return locked


class LockedFieldsMixin(BaseModelAdminMixin[_M]):
    """Read-only fields for translators, and published content for reviewers only."""

    def get_readonly_fields(
        self, request: HttpRequest, obj: _M | None = None
    ) -> list[str]:
        return [
            *super().get_readonly_fields(request, obj),
            *locked_fields(self.model, request.user),
        ]

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: _M | None = None
    ) -> dict[str, Sequence[str]]:
        if locked_fields(self.model, request.user):
            return {}
        return super().get_prepopulated_fields(request, obj)


def is_public_and_reviewed(obj: models.Model) -> bool:
    return (
        isinstance(obj, Verified)
        and obj.status == Status.PUBLISHED
        and obj.draft_of_id is None
    )


class ContentInlineMixin(
    LockedFieldsMixin[Translatable], InlineModelAdminMixin[Translatable, Translatable]
):
    """Parts of a record (steps, contacts, assurances): same rules as the record,
    in the record's form's language."""

    form = PartForm

    def _parent_locked(self, request: HttpRequest, obj: models.Model) -> bool:
        return is_public_and_reviewed(obj) and not request.user.has_perm(roles.PUBLISH)

    def get_fields(
        self, request: HttpRequest, obj: Translatable | None = None
    ) -> FieldGroups:
        return in_language(
            super().get_fields(request, obj), self.model, working_language(request, obj)
        )

    def get_formset(
        self, request: HttpRequest, obj: Translatable | None = None, **kwargs: Any
    ) -> type[
        BaseInlineFormSet[Translatable, Translatable, forms.ModelForm[Translatable]]
    ]:
        language = working_language(request, obj)
        form = subclass(self.form, language=language)
        return super().get_formset(request, obj, **{"form": form, **kwargs})

    def has_change_permission(
        self, request: HttpRequest, obj: Translatable | None = None
    ) -> bool:
        if obj is not None and self._parent_locked(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(
        self, request: HttpRequest, obj: Translatable | None = None
    ) -> bool:
        if not request.user.has_perm(roles.EDIT_SOURCE):
            return False  # translators translate what is there
        if working_language(request, obj) != translation_status.SOURCE_LANGUAGE:
            return False  # a part starts with its English, in the English form
        if obj is not None and self._parent_locked(request, obj):
            return False
        return super().has_add_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: Translatable | None = None
    ) -> bool:
        if not request.user.has_perm(roles.EDIT_SOURCE):
            return False
        if working_language(request, obj) != translation_status.SOURCE_LANGUAGE:
            return False
        if obj is not None and self._parent_locked(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class ContentAdmin(EditMergeAdmin[_T], LockedFieldsMixin[_T], VersionAdmin):
    """Translated content: the English or one working language at a time, a
    translation state per language, the history of every change merged with
    colleagues' saves, and fields locked by role."""

    form = ContentForm
    change_form_template = "admin/services/content_change_form.html"

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_verify_permission(self, request: HttpRequest) -> bool:
        """For the list actions that record a check ("Still correct", "Called
        today")."""
        return request.user.has_perm(roles.VERIFY)

    @property
    def parts(self) -> list[str]:
        """The record's parts, whose translations count towards its state."""
        return [relation for relation, _model in parts_of(self.model)]

    def get_fieldsets(self, request: HttpRequest, obj: _T | None = None) -> Fieldsets:
        """The declared fieldsets, with each text in the form's language.

        Fields not in the form are not written by its save: a Spanish save
        leaves the English and every other language as they are.
        """
        language = working_language(request, obj)
        shown = translation_controls(request.user, language)
        fieldsets: list[tuple[StrOrPromise | None, FieldsetOptions]] = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [
                field
                for field in in_language(options["fields"], self.model, language)
                if field not in TRANSLATION_CONTROLS or field in shown
            ]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_form(
        self,
        request: HttpRequest,
        obj: _T | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm[_T]]:
        form = super().get_form(request, obj, change, **kwargs)
        return subclass(
            form, user=request.user, language=working_language(request, obj)
        )

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: _T | None = None
    ) -> dict[str, Sequence[str]]:
        # The address is made from the English name, in the English form only.
        if working_language(request, obj) != translation_status.SOURCE_LANGUAGE:
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet[_T]:
        return super().get_queryset(request).prefetch_related(*self.parts)

    def parts_with_texts(self, obj: _T) -> list[Translatable]:
        records: list[Translatable] = [obj]
        for relation in self.parts:
            records.extend(getattr(obj, relation).all())
        return records

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: _T | None = None,
    ) -> HttpResponse:
        original = context.get("original")
        if original is not None and original.pk is not None:
            context["language_bar"] = self.language_bar(request, original)
            context["working_language"] = working_language(request, original)
        adminform = context.get("adminform")
        if adminform is not None:
            # Hidden fields (when the form was opened...) go after the
            # fieldsets: in one, each would get a label for no visible field,
            # which is invalid HTML.
            placed = set(flatten_fieldsets(adminform.fieldsets))
            context["hidden_fields"] = [
                field
                for field in adminform.form.hidden_fields()
                if field.name not in placed
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def language_bar(self, request: HttpRequest, obj: _T) -> list[dict[str, Any]]:
        """Each language of the record, its state in words, and its form's link."""
        current = working_language(request, obj)
        records = self.parts_with_texts(obj)
        items = [
            {
                "code": translation_status.SOURCE_LANGUAGE,
                "name": translation_status.LANGUAGE_NAMES[
                    translation_status.SOURCE_LANGUAGE
                ],
                "state": "source",
                "label": _("the source"),
                "url": with_language(
                    request.get_full_path(), translation_status.SOURCE_LANGUAGE
                ),
                "current": current == translation_status.SOURCE_LANGUAGE,
            }
        ]
        for code, name in LANGUAGE_CHOICES:
            state = translation_status.combined_state(records, code)
            items.append(
                {
                    "code": code,
                    "name": name,
                    "state": state,
                    "label": translation_status.STATE_LABELS[state],
                    "url": with_language(request.get_full_path(), code),
                    "current": current == code,
                }
            )
        return items

    def response_change(self, request: HttpRequest, obj: _T) -> HttpResponse:
        return self.keep_language(request, obj, super().response_change(request, obj))

    def keep_language(
        self, request: HttpRequest, obj: _T, response: HttpResponse
    ) -> HttpResponse:
        """Saving and continuing to edit comes back to the form's language."""
        if (
            isinstance(response, HttpResponseRedirect)
            and "_continue" in request.POST
            and urlsplit(response.url).path == request.path
        ):
            response["Location"] = with_language(
                response.url, working_language(request, obj)
            )
        return response

    @admin.display(description=_("translations"))
    def translation_states(self, obj: _T) -> SafeString:
        """Each state with its languages, in words: "Outdated: Arabic, Somali ·
        Machine-drafted: 9 languages"."""
        records = self.parts_with_texts(obj)
        languages_by_state: dict[str, list[str]] = {}
        for code, name in LANGUAGE_CHOICES:
            state = translation_status.combined_state(records, code)
            languages_by_state.setdefault(state, []).append(name)
        groups = []
        for state in translation_status.STATES:
            names = languages_by_state.get(state)
            if not names:
                continue
            listed: StrOrPromise
            if len(names) == len(LANGUAGE_CHOICES):
                listed = _("all languages")
            elif len(names) <= 3:
                listed = ", ".join(names)
            else:
                listed = ngettext(
                    "%(count)d language", "%(count)d languages", len(names)
                ) % {"count": len(names)}
            label = capfirst(translation_status.STATE_LABELS[state])
            groups.append((state, ", ".join(names), label, listed))
        return format_html(
            '<span class="translation-states">{}</span>',
            format_html_join(
                " · ",
                '<span class="tstate tstate-{}" title="{}">{}: {}</span>',
                groups,
            ),
        )

    def reviewed_languages(self, form: ContentForm) -> list[str]:
        """The working language, when its whole translation was checked."""
        return [form.language] if form.cleaned_data.get("translation_reviewed") else []

    def save_model(
        self, request: HttpRequest, obj: _T, form: ContentForm, change: bool
    ) -> None:
        translations_note_edit(
            obj=obj,
            changed_fields=form.changed_data,
            initial=form.initial,
            minor=form.cleaned_data.get("minor_english_edit", False),
            reviewed=self.reviewed_languages(form),
        )
        super().save_model(request, obj, form, change)

    def save_formset(
        self,
        request: HttpRequest,
        form: ContentForm,
        formset: BaseInlineFormSet[Translatable, _T, PartForm],
        change: bool,
    ) -> None:
        reviewed = self.reviewed_languages(form)
        unchanged = []
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms:
                continue
            if not inline_form.has_changed():
                if reviewed and inline_form.instance.pk is not None:
                    unchanged.append(inline_form.instance)
                continue
            translations_note_edit(
                obj=inline_form.instance,
                changed_fields=inline_form.changed_data,
                initial=inline_form.initial,
                minor=form.cleaned_data.get("minor_english_edit", False),
                reviewed=reviewed,
            )
        super().save_formset(request, form, formset, change)
        # "Checked by a person" covers the parts the person read but left as
        # they were; only their translation states are written.
        for part in unchanged:
            translations_note_edit(
                obj=part, changed_fields=[], initial={}, minor=False, reviewed=reviewed
            )
            part.save(update_fields=["translation_status"])


class ReviewedContentAdmin(ContentAdmin[_V]):
    """Services, policies and guides: draft, in review, published.

    Only reviewers publish. Anyone else changes a published record through a draft
    copy; the published version stays public until a reviewer publishes the copy.
    """

    change_form_template = "admin/services/reviewed_change_form.html"
    # A date means a person checked: recorded by "Still correct" or by
    # publishing with a check (services/workflow/actions.py), never typed in.
    readonly_fields = ("last_verified_on", "verified_by")

    class Media:
        js = ("js/admin-labels.js",)

    actions = ["mark_still_correct"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[_V]:
        return super().get_queryset(request).select_related("draft_of")

    def may_change_record(self, request: HttpRequest, obj: _V | None) -> bool:
        """The rule of who may change a record: only reviewers change a published
        one; the others go through its draft copy."""
        if (
            obj is not None
            and is_public_and_reviewed(obj)
            and not request.user.has_perm(roles.PUBLISH)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_change_permission(
        self, request: HttpRequest, obj: _V | None = None
    ) -> bool:
        # While a draft copy exists, the next version of the record is written
        # there: a change to the record itself would be undone when the copy is
        # published. Only the buttons (publish, still correct) act on it.
        if obj is not None and obj.draft_of_id is None and obj.drafts.exists():
            return False
        return self.may_change_record(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: _V | None = None
    ) -> bool:
        if (
            obj is not None
            and is_public_and_reviewed(obj)
            and not request.user.has_perm(roles.PUBLISH)
        ):
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self) -> list[URLPattern]:
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        review_views = {
            "draft": self.draft_view,
            "submit": self.submit_view,
            "publish": self.publish_view,
            "unpublish": self.unpublish_view,
            "verify": self.verify_view,
        }
        return [
            *(
                path(
                    f"<int:pk>/{action}/",
                    self.admin_site.admin_view(require_POST(view)),
                    name=f"{name}_{action}",
                )
                for action, view in review_views.items()
            ),
            *super().get_urls(),
        ]

    # Who may press which button: the same rules as the change views, so a
    # button is shown exactly when its view would accept it.

    def may_start_draft(self, request: HttpRequest, obj: _V) -> bool:
        # The model's own change permission: a published record refuses direct
        # changes from non-reviewers, which is why they need the copy.
        return is_public_and_reviewed(obj) and super().has_change_permission(
            request, obj
        )

    def may_submit(self, request: HttpRequest, obj: _V) -> bool:
        # Anyone who may change a draft (a translator's copy too) says when it is
        # ready; a reviewer publishes it.
        return obj.status == Status.DRAFT and self.has_change_permission(request, obj)

    def may_publish(self, request: HttpRequest, obj: _V) -> bool:
        return (
            request.user.has_perm(roles.PUBLISH)
            and self.may_change_record(request, obj)
            and not is_public_and_reviewed(obj)
            and not obj.drafts.exists()
        )

    def may_unpublish(self, request: HttpRequest, obj: _V) -> bool:
        return (
            request.user.has_perm(roles.PUBLISH)
            and self.may_change_record(request, obj)
            and is_public_and_reviewed(obj)
        )

    def may_verify(self, request: HttpRequest, obj: _V) -> bool:
        # A draft copy is not what residents read: its original is checked.
        return (
            request.user.has_perm(roles.VERIFY)
            and self.may_change_record(request, obj)
            and obj.draft_of_id is None
        )

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: _V | None = None,
    ) -> HttpResponse:
        original = context.get("original")
        if original is not None and original.pk is not None:
            user = request.user
            publishes = user.has_perm(roles.PUBLISH)
            context["review"] = {
                "is_published": is_public_and_reviewed(original),
                "can_publish": publishes,
                # Editors and translators start a copy; reviewers edit directly.
                "start_draft": not publishes
                and self.may_start_draft(request, original),
                "submit": self.may_submit(request, original),
                "publish": self.may_publish(request, original),
                "unpublish": self.may_unpublish(request, original),
                "verify": self.may_verify(request, original),
                # Publishing can record a check too, for those who may record one.
                "publish_with_check": user.has_perm(roles.VERIFY),
                "open_draft": original.drafts.first(),
                "preview_languages": LANGUAGE_NAMES_ALL
                if self.has_view_permission(request, original)
                else [],
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_object(
        self, request: HttpRequest, pk: int, may: Callable[[HttpRequest, _V], bool]
    ) -> _V:
        """The record a review button acts on, if this person may press it."""
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404(_("There is no such record."))
        if not may(request, obj):
            raise PermissionDenied
        return obj

    def draft_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        """Start (or reopen) a draft copy of a published record."""
        original = self.review_object(request, pk, self.may_start_draft)
        reopened = original.drafts.exists()
        draft = actions.draft_start(
            original=original, user=roles.signed_in(request.user)
        )
        messages.success(
            request,
            _(
                "This is the draft copy you asked for. The published version stays "
                "public, unchanged, until a reviewer publishes this copy. When your "
                "changes are ready, press “Send for review”."
            )
            if not reopened
            else _(
                "A draft copy of this record was already started: carry on here. "
                "The published version stays public until a reviewer publishes it."
            ),
        )
        return redirect(safe_next(request, admin_change_url(draft)))

    def submit_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        obj = self.review_object(request, pk, self.may_submit)
        actions.content_submit(obj=obj, user=roles.signed_in(request.user))
        messages.success(
            request,
            _(
                "Sent for review: a reviewer finds it under “Needs attention”. "
                "It is not public until a reviewer publishes it."
            ),
        )
        return redirect(safe_next(request, admin_change_url(obj)))

    def publish_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        obj = self.review_object(request, pk, self.may_publish)
        replaces = obj.draft_of_id is not None
        user = roles.signed_in(request.user)
        checked = request.POST.get("checked") == "yes" and user.has_perm(roles.VERIFY)
        published = actions.content_publish(obj=obj, user=user, checked=checked)
        message = str(
            _("Published: this copy replaced the public version. Residents see it now.")
            if replaces
            else _("Published. Residents see it now.")
        )
        if checked:
            message = "{} {}".format(
                message, _("Recorded as checked against its sources today.")
            )
        messages.success(request, message)
        return redirect(safe_next(request, admin_change_url(published)))

    def unpublish_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        obj = self.review_object(request, pk, self.may_unpublish)
        actions.content_unpublish(obj=obj, user=roles.signed_in(request.user))
        messages.success(
            request,
            _(
                "Unpublished: residents no longer see it. It is kept as a draft; "
                "press “Publish” to put it back."
            ),
        )
        return redirect(safe_next(request, admin_change_url(obj)))

    def verify_view(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        obj = self.review_object(request, pk, self.may_verify)
        actions.content_verify(obj=obj, user=roles.signed_in(request.user))
        messages.success(
            request,
            _(
                "Recorded for “%(name)s”: checked today and still correct. "
                "Nothing else changed."
            )
            % {"name": obj},
        )
        return redirect(safe_next(request, admin_change_url(obj)))

    @admin.action(
        description=_("Still correct: record that I checked them today"),
        permissions=["verify"],
    )
    def mark_still_correct(self, request: HttpRequest, queryset: QuerySet[_V]) -> None:
        checked = [
            obj
            for obj in queryset.filter(draft_of__isnull=True)
            if self.may_verify(request, obj)
        ]
        for obj in checked:
            actions.content_verify(obj=obj, user=roles.signed_in(request.user))
        messages.success(
            request,
            _("%(count)d records recorded as checked today.") % {"count": len(checked)},
        )
        skipped = queryset.count() - len(checked)
        if skipped:
            messages.warning(
                request,
                _(
                    "%(count)d draft copies were left out: their published "
                    "version is the one to check."
                )
                % {"count": skipped},
            )

    def save_model(
        self, request: HttpRequest, obj: _V, form: ContentForm, change: bool
    ) -> None:
        old_status = form.initial.get("status")
        super().save_model(request, obj, form, change)
        if change and obj.draft_of_id is None and obj.status == Status.PUBLISHED:
            # What residents reported was looked at: the record was edited.
            reports_close(obj)
        if obj.draft_of_id is None and old_status != obj.status:
            if obj.status == Status.PUBLISHED:
                actions.audit(
                    roles.signed_in(request.user), AuditEvent.Action.PUBLISH, obj
                )
            elif old_status == Status.PUBLISHED:
                actions.audit(
                    roles.signed_in(request.user), AuditEvent.Action.UNPUBLISH, obj
                )

    def save_related(
        self,
        request: HttpRequest,
        form: ContentForm,
        formsets: list[Any],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        if links := attention.homepage_links(form.instance):
            messages.warning(
                request,
                _(
                    "A source is a site's front page: %(links)s. Link the page "
                    "that says what the statement rests on, so a resident can read "
                    "it there."
                )
                % {"links": ", ".join(links)},
            )

    def response_change(self, request: HttpRequest, obj: _V) -> HttpResponse:
        if obj.draft_of_id and obj.status == Status.PUBLISHED:
            # A reviewer chose "Published" on a draft copy: it replaces the original.
            published = actions.content_publish(
                obj=obj, user=roles.signed_in(request.user)
            )
            messages.success(request, _("Published. Residents see it now."))
            return redirect(admin_change_url(published))
        return super().response_change(request, obj)


VERIFICATION_FIELDSET: tuple[StrOrPromise, FieldsetOptions] = (
    _("Checking"),
    {
        "fields": (
            "status",
            "last_verified_on",
            "verified_by",
            "sources_gathered_on",
            "review_interval_days",
            "verification_note",
        ),
        "description": _(
            "Residents see the date of the last check. It is recorded when a "
            "reviewer presses “Still correct” or publishes with a check, never "
            "typed in. Until a person has checked the record, residents are told "
            "so, with the day its sources were gathered."
        ),
    },
)


# Stacked, not in table rows: each text needs the width for its English beside it,
# and a label of its own.
class StepInline(ContentInlineMixin, admin.StackedInline):
    model = Step
    extra = 0
    fields = ("position", "text")


class DocumentInline(ContentInlineMixin, admin.StackedInline):
    model = Document
    extra = 0
    fields = (("position", "is_alternative"), "name")


WEEK_FIELDS = ("opening_hours", "closed_on_holidays")


class ContactPointInline(ContentInlineMixin, admin.StackedInline):
    model = ContactPoint
    extra = 0
    readonly_fields = ("last_verified_on",)
    fields = (
        ("position", "phone", "last_verified_on"),
        "name",
        ("address", "is_confidential"),
        "meeting_point",
        "opening_hours",
        "closed_on_holidays",
        "hours",
        "note",
    )

    def get_fields(
        self, request: HttpRequest, obj: Translatable | None = None
    ) -> FieldGroups:
        # The week is the same in every language: it is filled in once, in the
        # English form; a language's form holds only the note on the hours.
        fields = super().get_fields(request, obj)
        if working_language(request, obj) == translation_status.SOURCE_LANGUAGE:
            return fields
        return [field for field in fields if field not in WEEK_FIELDS]

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "opening_hours":
            return OpeningHoursField(
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AssuranceInline(ContentInlineMixin, admin.StackedInline):
    model = Assurance
    extra = 0
    readonly_fields = ("last_verified_on",)
    fields = (
        ("position", "kind"),
        "statement",
        ("policy", "last_verified_on"),
        "source_url",
    )

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        # A city has a few dozen rules: a plain list of them, by name, never a
        # draft copy of one.
        if db_field.name == "policy":
            kwargs["queryset"] = Policy.objects.filter(draft_of__isnull=True).order_by(
                "name_en"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Category)
class CategoryAdmin(ContentAdmin[Category]):
    list_display = ("name", "slug", "icon", "sort_order", "translation_states")
    list_editable = ("sort_order",)
    search_fields = ("slug", *translated("name", "description"))
    ordering = ("sort_order", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "description",
                    "search_words",
                    "slug",
                    "icon",
                    "sort_order",
                )
            },
        ),
        TRANSLATION_FIELDSET,
    )


@admin.register(Service)
class ServiceAdmin(ReviewedContentAdmin[Service]):
    actions = ["mark_still_correct", "make_referral"]

    @admin.action(
        description=_("Make a referral link for a client"), permissions=["view"]
    )
    def make_referral(
        self, request: HttpRequest, queryset: PublishedQuerySet[Service]
    ) -> TemplateResponse:
        """A short link, a QR code and a printable page of the chosen services in
        the client's language. No client data is asked for or stored."""
        services = list(
            queryset.published()
            .filter(draft_of__isnull=True)
            .order_by("sort_order", "slug")
        )
        skipped = queryset.count() - len(services)
        form = ReferralForm(request.POST if "language" in request.POST else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Referral link for a client"),
            "services": services,
            "skipped": skipped,
            "form": form,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "opts": self.model._meta,
        }
        if services and form.is_valid():
            language = form.cleaned_data["language"]
            numbers = "-".join(str(service.pk) for service in services)
            with translation.override(language):
                path = page_url("services:referral", services=numbers[:200])
            link = request.build_absolute_uri(path)
            context.update({"link": link, "qr_svg": qr.qr_svg(link)})
        return TemplateResponse(request, "admin/services/referral.html", context)

    list_display = (
        "name",
        "category",
        "status",
        "operating_status",
        "last_verified_on",
        "review_due_on",
        "translation_states",
    )
    list_filter = (
        "status",
        "operating_status",
        "category",
        ReviewDueFilter,
        "interpreters",
    )
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
            {
                "fields": (
                    "offers",
                    "eligibility",
                    "cost",
                    "interpreters",
                    "website",
                    "confidential_location",
                )
            },
        ),
        (
            _("Running or not"),
            {
                "fields": (
                    "operating_status",
                    ("closed_from", "closed_until"),
                    "status_note",
                    "moved_to",
                ),
                "description": _(
                    "A temporary closure ends by itself on its last day: residents "
                    "see the service running again the day after."
                ),
            },
        ),
        VERIFICATION_FIELDSET,
        TRANSLATION_FIELDSET,
    )


@admin.register(Policy)
class PolicyAdmin(ReviewedContentAdmin[Policy]):
    def save_model(
        self, request: HttpRequest, obj: Policy, form: ContentForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & actions.POLICY_SOURCE_FIELDS:
            count = actions.policy_flag_dependents(policy=obj)
            messages.warning(
                request,
                _(
                    "The rule changed: %(count)d services that cite it are now "
                    "listed under “Needs attention” for review."
                )
                % {"count": count},
            )

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


class GuideSectionInline(ContentInlineMixin, admin.StackedInline):
    model = GuideSection
    extra = 0
    fields = ("position", "heading", "body")


@admin.register(Guide)
class GuideAdmin(ReviewedContentAdmin[Guide]):
    list_display = (
        "title",
        "category",
        "status",
        "last_verified_on",
        "review_due_on",
        "translation_states",
    )
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
class HotlineAdmin(ContentAdmin[Hotline]):
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
    # The day a person last called the number: recorded by the action below,
    # never typed in.
    readonly_fields = ("last_verified_on",)
    actions = ["mark_called_today"]
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

    @admin.action(
        description=_("Called today: record that these numbers work"),
        permissions=["verify"],
    )
    def mark_called_today(
        self, request: HttpRequest, queryset: QuerySet[Hotline]
    ) -> None:
        count = actions.hotlines_called(
            hotlines=queryset, user=roles.signed_in(request.user)
        )
        messages.success(
            request,
            _("%(count)d numbers recorded as called today.") % {"count": count},
        )


@admin.register(Holiday)
class HolidayAdmin(ContentAdmin[Holiday]):
    list_display = ("day", "name", "translation_states")
    date_hierarchy = "day"
    search_fields = ("slug", *translated("name"))
    ordering = ("day",)
    prepopulated_fields = {"slug": ("name_en", "day")}
    fieldsets = ((None, {"fields": ("name", "day", "slug")}), TRANSLATION_FIELDSET)


@admin.register(Alert)
class AlertAdmin(ContentAdmin[Alert]):
    list_display = ("text", "place", "starts_at", "ends_at", "translation_states")
    list_filter = (AlertShownFilter, "category")
    search_fields = ("slug", *translated("text"))
    autocomplete_fields = ("service",)
    ordering = ("-starts_at",)
    prepopulated_fields = {"slug": ("text_en",)}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "text",
                    ("starts_at", "ends_at"),
                    ("category", "service"),
                    "slug",
                ),
                "description": _(
                    "An alert shows from its start to its end on every page, on a "
                    "category's pages, or on one service's page, and is gone after "
                    "its end without anyone editing it."
                ),
            },
        ),
        TRANSLATION_FIELDSET,
    )

    @admin.display(description=_("shown on"))
    def place(self, alert: Alert) -> str:
        return alert.place


@admin.register(SiteProfile)
class SiteProfileAdmin(ContentAdmin[SiteProfile]):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        # There is one profile; it is edited, never added twice.
        return super().has_add_permission(request) and not SiteProfile.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: SiteProfile | None = None
    ) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Sign-ins and publishing, read only."""

    list_display = ("at", "username", "action", "subject")
    list_filter = ("action",)
    search_fields = ("username", "subject")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: AuditEvent | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: AuditEvent | None = None
    ) -> bool:
        return False
