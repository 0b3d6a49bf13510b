"""The admin's forms: a content record's form, and the referral form."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from services.models import Status
from services.translations import state as translation_status
from services.workflow import roles
from services.workflow.conflicts import edit_conflict_message

LANGUAGE_NAMES_ALL = list(translation_status.LANGUAGE_NAMES.items())

LANGUAGE_CHOICES = [
    (code, name)
    for code, name in translation_status.LANGUAGE_NAMES.items()
    if code != translation_status.SOURCE_LANGUAGE
]


class ContentForm(forms.ModelForm):
    """A content record's form: how this save affects its translations, and a
    check that nobody else saved the record since this form was opened."""

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
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set by ContentAdmin.get_form for the person editing.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_at"] = self.instance.updated_at.isoformat()
        if self.user is None:
            return
        if "minor_english_edit" in self.fields and not self.user.has_perm(
            roles.EDIT_SOURCE
        ):
            # Only those who may edit the English may call an edit minor.
            self.fields["minor_english_edit"].disabled = True
        if "reviewed_languages" in self.fields:
            allowed = roles.editable_languages(self.user)
            self.fields["reviewed_languages"].choices = [
                choice for choice in LANGUAGE_CHOICES if choice[0] in allowed
            ]
        status = self.fields.get("status")
        if status is not None and not self.user.has_perm(roles.PUBLISH):
            status.choices = [
                choice for choice in status.choices if choice[0] != Status.PUBLISHED
            ]
            status.help_text = _(
                "Choose “In review” when it is ready: a reviewer checks and "
                "publishes it."
            )

    def clean(self):
        cleaned = super().clean()
        loaded_at = self.cleaned_data.get("loaded_at")
        if self.instance.pk and loaded_at:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current and current.isoformat() != loaded_at:
                # Let a second save, after reading the message, keep this input.
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_at")] = current.isoformat()
                raise forms.ValidationError(
                    edit_conflict_message(
                        self.instance, loaded_at, differing=self._differing_fields()
                    )
                )
        return cleaned

    def _differing_fields(self):
        """Fields where the saved record now differs from this form's values."""
        names = []
        for name, field in self.fields.items():
            if name not in self.cleaned_data or field.disabled:
                continue
            try:
                model_field = self.instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            saved = getattr(self.instance, model_field.attname)
            submitted = self.cleaned_data[name]
            submitted = getattr(submitted, "pk", submitted)
            if (saved or "") != (submitted or ""):
                names.append(str(model_field.verbose_name))
        return names


class ReferralForm(forms.Form):
    language = forms.ChoiceField(
        label=_("The client's language"),
        choices=LANGUAGE_NAMES_ALL,
        help_text=_("The list is shown in this language beside English."),
    )
