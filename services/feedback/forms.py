"""The two forms of a page's foot: a report, and "was this page useful?"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from services.models import Problem


class PageForm(forms.Form):
    page = forms.CharField(max_length=200)
    token = forms.CharField(max_length=300)


class ReportForm(PageForm):
    problem = forms.ChoiceField(
        choices=Problem.choices,
        error_messages={"required": _("Choose what is wrong.")},
    )
    comment = forms.CharField(
        required=False,
        max_length=500,
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
    )


class UsefulForm(PageForm):
    answer = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
