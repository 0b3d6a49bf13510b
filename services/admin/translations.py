"""The translators' pages of the admin: every record's state by language, PO
files to download, and translated PO files to upload, check and import."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.translations import state as translation_status
from services.translations.exchange import translations_export, translations_import
from services.translations.selectors import translation_overview

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

LANGUAGE_CHOICES = [
    (code, name)
    for code, name in translation_status.LANGUAGE_NAMES.items()
    if code != translation_status.SOURCE_LANGUAGE
]


class OverviewFilterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *LANGUAGE_CHOICES],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any state")), *translation_status.STATE_LABELS.items()],
    )


class UploadForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the file"), choices=LANGUAGE_CHOICES
    )
    file = forms.FileField(
        label=_("Translated PO file"),
        help_text=_("The file exported from this page, translated."),
    )
    made_by = forms.ChoiceField(
        label=_("Translated by"),
        choices=[
            (translation_status.REVIEWED, _("a person (translator or vendor)")),
            (translation_status.MACHINE, _("a machine, not yet reviewed")),
        ],
        initial=translation_status.REVIEWED,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; a PO file of this guide is smaller.")
            )
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 and upload it again.")
            ) from error


class ConfirmForm(forms.Form):
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES)
    made_by = forms.ChoiceField(
        choices=[(translation_status.REVIEWED, ""), (translation_status.MACHINE, "")]
    )
    po_text = forms.CharField(widget=forms.HiddenInput, strip=False)


def overview(request):
    """Records by languages, with counts per state, for translators."""
    form = OverviewFilterForm(request.GET or None)
    language = state = ""
    if form.is_valid():
        language = form.cleaned_data["language"]
        state = form.cleaned_data["state"]
    languages = [language] if language else [code for code, _ in LANGUAGE_CHOICES]
    rows = translation_overview(languages=languages)
    counts = {code: dict.fromkeys(translation_status.STATES, 0) for code in languages}
    for row in rows:
        for code, row_state in row["states"].items():
            counts[code][row_state] += 1
    if state:
        rows = [row for row in rows if state in row["states"].values()]
    context = {
        **admin.site.each_context(request),
        "title": _("Translations"),
        "form": form,
        "languages": languages,
        "language_names": translation_status.LANGUAGE_NAMES,
        "states": translation_status.STATES,
        "state_labels": translation_status.STATE_LABELS,
        "counts": [
            (code, [counts[code][name] for name in translation_status.STATES])
            for code in languages
        ],
        "rows": rows,
        "upload_form": UploadForm(),
    }
    return TemplateResponse(request, "admin/translations/overview.html", context)


def download(request, language):
    if language not in dict(LANGUAGE_CHOICES):
        messages.error(
            request, _("There is no language “%s” in this guide.") % language
        )
        return redirect("admin:translations")
    po = translations_export(language=language)
    response = HttpResponse(
        str(po), content_type="text/x-gettext-translation; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="guide-{language}.po"'
    return response


def upload(request):
    """Upload a translated file, see what it would change, then confirm."""
    if not request.user.has_perm("services.change_service"):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("admin:translations")
    confirming = "confirm" in request.POST
    form = (
        ConfirmForm(request.POST)
        if confirming
        else UploadForm(request.POST, request.FILES)
    )
    if not form.is_valid():
        context = {
            **admin.site.each_context(request),
            "title": _("Import translations"),
            "upload_form": form,
        }
        return TemplateResponse(request, "admin/translations/import.html", context)
    data = form.cleaned_data
    po_text = data["po_text"] if confirming else data["file"]
    report = translations_import(
        po_text=po_text,
        language=data["language"],
        dry_run=not confirming,
        made_by=data["made_by"],
    )
    if report.written:
        messages.success(
            request,
            _("%(count)d translations were imported into %(language)s.")
            % {
                "count": len(report.changes),
                "language": translation_status.LANGUAGE_NAMES[data["language"]],
            },
        )
        return redirect(f"{reverse('admin:translations')}?language={data['language']}")
    context = {
        **admin.site.each_context(request),
        "title": _("Import translations: check before writing"),
        "report": report,
        "language_name": translation_status.LANGUAGE_NAMES[data["language"]],
        "confirm_form": ConfirmForm(
            initial={
                "language": data["language"],
                "made_by": data["made_by"],
                "po_text": po_text,
            }
        ),
    }
    return TemplateResponse(request, "admin/translations/import.html", context)
