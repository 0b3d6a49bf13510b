"""The admin's forms: a content record's form, its parts' forms, and the
referral form.

A record's form holds its texts in one language at a time: the English, or a
working language with the English it translates beside each field.
"""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from services.admin.conflicts import PartMergeForm, RecordMergeForm
from services.models import Status, field_of
from services.translations import checks
from services.translations import state as translation_status
from services.workflow import roles

LANGUAGE_NAMES_ALL = list(translation_status.LANGUAGE_NAMES.items())

LANGUAGE_CHOICES = [
    (code, name)
    for code, name in translation_status.LANGUAGE_NAMES.items()
    if code != translation_status.SOURCE_LANGUAGE
]


SOURCE_LANGUAGE = translation_status.SOURCE_LANGUAGE
# The form's fields about a save's effect on translations; each shows only where
# it means something (translation_controls).
TRANSLATION_CONTROLS = ("minor_english_edit", "translation_reviewed")

# What the mixins below go under, as a type checker sees them.
if TYPE_CHECKING:
    WidgetMixinBase = forms.Widget
    # The forms of every kind of record.
    ModelFormMixinBase = forms.ModelForm[Any]
else:
    WidgetMixinBase = ModelFormMixinBase = object


def translation_controls(user: roles.Person, language: str) -> list[str]:
    """Which of TRANSLATION_CONTROLS this person sees in a form of `language`.

    A minor English edit is for those who may edit the English, in the English
    form; "checked by a person" is for the working language, by those who may
    change it.
    """
    if language == SOURCE_LANGUAGE:
        return ["minor_english_edit"] if user.has_perm(roles.EDIT_SOURCE) else []
    if roles.can_edit_language(user, language):
        return ["translation_reviewed"]
    return []


class EnglishBesideMixin(WidgetMixinBase):
    """A working language's field with the English it translates beside it, and
    the state of its translation, as words."""

    template_name = "admin/translations/widgets/english_beside.html"

    def __init__(
        self, *, english: str, state: str | None, language: str, **kwargs: Any
    ) -> None:
        self.english = english
        self.state = state
        self.language = language
        super().__init__(**kwargs)

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        field_id = (attrs or {}).get("id") or self.attrs.get("id") or name
        described = [
            (attrs or {}).get("aria-describedby", ""),
            f"{field_id}_english",
            f"{field_id}_state",
        ]
        attrs = {
            **(attrs or {}),
            "aria-describedby": " ".join(part for part in described if part),
        }
        context = super().get_context(name, value, attrs)
        context["english"] = {
            "id": f"{field_id}_english",
            "text": self.english,
        }
        context["translation_state"] = {
            "id": f"{field_id}_state",
            "name": self.state or translation_status.MISSING,
            "label": translation_status.STATE_LABELS.get(
                self.state or translation_status.MISSING
            ),
        }
        context["field_template"] = super().template_name
        return context


class EnglishBesideTextInput(EnglishBesideMixin, admin_widgets.AdminTextInputWidget):
    pass


class EnglishBesideTextarea(EnglishBesideMixin, admin_widgets.AdminTextareaWidget):
    pass


class TranslationChecks:
    """A translation keeps the English's placeholders, numbers and links, and
    adds none (services/translations/checks.py). Text left as it was is not
    judged again."""

    def __init__(self, *, english: str, current: str, language: str) -> None:
        self.english = english
        self.current = current
        self.language = language

    def __call__(self, value: str | None) -> None:
        if (value or "").strip() == (self.current or "").strip():
            return
        problems = checks.translation_problems(self.english, value or "", self.language)
        if problems:
            raise ValidationError(problems)


class LanguageFieldsMixin(ModelFormMixinBase):
    """The texts of a record (or a part) in the form's language.

    `language` is set by the admin for the person's working language. Labels
    name the language; in a working language each field shows the English it
    translates and its state, and refuses numbers and links the English lacks.
    """

    language = SOURCE_LANGUAGE

    def show_language_fields(self) -> None:
        model = type(self.instance)
        bidi = get_language_info(self.language)["bidi"]
        for name in translation_status.translated_fields(model):
            field = self.fields.get(translation_status.column(name, self.language))
            if field is None:
                continue  # read-only for this person, or not in this form
            field.label = _("%(field)s (%(language)s)") % {
                "field": capfirst(field_of(model, name).verbose_name),
                "language": translation_status.LANGUAGE_NAMES[self.language],
            }
            if self.language == SOURCE_LANGUAGE:
                continue
            english = translation_status.text_in(self.instance, name, SOURCE_LANGUAGE)
            widget_class = (
                EnglishBesideTextarea
                if isinstance(field.widget, forms.Textarea)
                else EnglishBesideTextInput
            )
            field.widget = widget_class(
                english=english,
                state=translation_status.field_state(
                    self.instance, name, self.language
                ),
                language=self.language,
                attrs={
                    **field.widget.attrs,
                    "lang": self.language,
                    "dir": "rtl" if bidi else "ltr",
                },
            )
            field.widget.is_required = field.required
            field.validators.append(
                TranslationChecks(
                    english=english,
                    language=self.language,
                    current=translation_status.text_in(
                        self.instance, name, self.language
                    ),
                )
            )


class PartForm(LanguageFieldsMixin, PartMergeForm):
    """A part of a record (a step, an assurance...) in the form's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_language_fields()


class ContentForm(LanguageFieldsMixin, RecordMergeForm):
    """A content record's form: how this save affects its translations; its save
    keeps what others saved since it was opened (services/admin/conflicts.py)."""

    minor_english_edit = forms.BooleanField(
        label=_("Minor English edit"),
        required=False,
        help_text=_(
            "Tick for a typo or punctuation fix that does not change the meaning: "
            "translations made from the previous English stay current. Leave "
            "unticked for any real change, so every translation is flagged outdated."
        ),
    )
    translation_reviewed = forms.BooleanField(
        label=_("Translation checked by a person"),
        required=False,
    )

    # Set by ContentAdmin.get_form for the person editing.
    user: "roles.Person | None" = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.show_language_fields()
        if self.user is None:
            return
        shown = translation_controls(self.user, self.language)
        for name in TRANSLATION_CONTROLS:
            if name not in shown:
                self.fields.pop(name, None)
        if "translation_reviewed" in self.fields:
            language = translation_status.LANGUAGE_NAMES[self.language]
            reviewed = self.fields["translation_reviewed"]
            reviewed.label = _("%(language)s translation checked by a person") % {
                "language": language
            }
            reviewed.help_text = _(
                "Tick when you have checked every %(language)s text of this record "
                "and its parts against the current English, those you did not "
                "change too: they are all marked as reviewed by a person. Text you "
                "type is marked as reviewed automatically."
            ) % {"language": language}
        status = self.fields.get("status")
        if isinstance(status, forms.ChoiceField) and not self.user.has_perm(
            roles.PUBLISH
        ):
            choices = status.choices
            if isinstance(choices, list):  # always, once Django has normalised them
                status.choices = [
                    choice for choice in choices if choice[0] != Status.PUBLISHED
                ]
            status.help_text = _(
                "Choose “In review” when it is ready: a reviewer checks and "
                "publishes it."
            )


class ReferralForm(forms.Form):
    language = forms.ChoiceField(
        label=_("The client's language"),
        choices=LANGUAGE_NAMES_ALL,
        help_text=_("The list is shown in this language beside English."),
    )
