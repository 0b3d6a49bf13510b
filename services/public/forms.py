from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    # Short on purpose: a search is a few words, and a bounded query keeps the
    # database work bounded too. Django's CharField already refuses null bytes.
    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        error_messages={
            "max_length": _("Please use fewer words: at most %(limit_value)d letters.")
        },
    )
