"""The caseworkers' admin site, with the translators' pages beside the models."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from services import selectors, translation_status
from services.translation_exchange import translations_export, translations_import

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


class GuideAdminSite(admin.AdminSite):
    site_header = _("City services guide: caseworkers")
    site_title = _("City services guide")
    index_title = _("Content")

    def get_urls(self):
        return [
            path(
                "translations/",
                self.admin_view(self.translations_view),
                name="translations",
            ),
            path(
                "translations/<str:language>.po",
                self.admin_view(self.translations_download),
                name="translations_download",
            ),
            path(
                "translations/import/",
                self.admin_view(self.translations_upload),
                name="translations_upload",
            ),
            *super().get_urls(),
        ]

    def each_context(self, request):
        context = super().each_context(request)
        context["translations_url_name"] = "admin:translations"
        return context

    def translations_view(self, request):
        """Records by languages, with counts per state, for translators."""
        form = OverviewFilterForm(request.GET or None)
        language = state = ""
        if form.is_valid():
            language = form.cleaned_data["language"]
            state = form.cleaned_data["state"]
        languages = [language] if language else [code for code, _ in LANGUAGE_CHOICES]
        rows = selectors.translation_overview(languages=languages)
        counts = {
            code: dict.fromkeys(translation_status.STATES, 0) for code in languages
        }
        for row in rows:
            for code, row_state in row["states"].items():
                counts[code][row_state] += 1
        if state:
            rows = [row for row in rows if state in row["states"].values()]
        context = {
            **self.each_context(request),
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

    def translations_download(self, request, language):
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

    def translations_upload(self, request):
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
                **self.each_context(request),
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
            return redirect(
                f"{request.path.rsplit('import/', 1)[0]}?language={data['language']}"
            )
        context = {
            **self.each_context(request),
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
