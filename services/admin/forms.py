"""The admin's forms: a content record's form, and the referral form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from services.admin.conflicts import RecordMergeForm
from services.models import Status
from services.translations import state as translation_status
from services.workflow import roles

LANGUAGE_NAMES_ALL = list(translation_status.LANGUAGE_NAMES.items())

LANGUAGE_CHOICES = [
    (code, name)
    for code, name in translation_status.LANGUAGE_NAMES.items()
    if code != translation_status.SOURCE_LANGUAGE
]


class ContentForm(RecordMergeForm):
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

    # Set by ContentAdmin.get_form for the person editing.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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


class ReferralForm(forms.Form):
    language = forms.ChoiceField(
        label=_("The client's language"),
        choices=LANGUAGE_NAMES_ALL,
        help_text=_("The list is shown in this language beside English."),
    )
