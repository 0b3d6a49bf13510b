"""The translators' pages of the admin: every record's state by language, PO
files to download, and translated PO files to upload, check and import.

Each page asks what the change views ask: a person sees only the kinds of record
they may view, and imports only into their own languages what they may change.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.translations import state as translation_status
from services.translations.actions import (
    translation_upload_create,
    translation_upload_delete,
    translation_upload_reference,
)
from services.translations.exchange import (
    MODELS,
    translations_export,
    translations_import,
)
from services.translations.selectors import (
    OVERVIEW_MODELS,
    may_change,
    may_view,
    translation_overview,
    translation_upload_find,
)
from services.workflow import roles

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

LANGUAGE_CHOICES = [
    (code, name)
    for code, name in translation_status.LANGUAGE_NAMES.items()
    if code != translation_status.SOURCE_LANGUAGE
]
MADE_BY_CHOICES = [
    (translation_status.REVIEWED, _("a person (translator or vendor)")),
    (translation_status.MACHINE, _("a machine, not yet reviewed")),
]


def may_read_translations(user: roles.Person) -> bool:
    """Whether a person may see any of the guide's texts (and so its PO files)."""
    return any(may_view(user, model) for model in OVERVIEW_MODELS)


def may_import(user: roles.Person) -> bool:
    return any(may_change(user, model) for model in MODELS) and bool(
        importable_languages(user)
    )


def importable_languages(user: roles.Person) -> list[tuple[str, str]]:
    allowed = roles.editable_languages(user)
    return [(code, name) for code, name in LANGUAGE_CHOICES if code in allowed]


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
    language = forms.ChoiceField(label=_("Language of the file"), choices=())
    file = forms.FileField(
        label=_("Translated PO file"),
        help_text=_("The file exported from this page, translated. At most 5 MB."),
    )
    made_by = forms.ChoiceField(
        label=_("Translated by"),
        choices=MADE_BY_CHOICES,
        initial=translation_status.REVIEWED,
    )

    def __init__(self, *args: Any, user: roles.Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the languages this person may change: a translator's own.
        choices = importable_languages(user)
        language = self.fields["language"]
        if isinstance(language, forms.ChoiceField):  # as declared above
            language.choices = choices
        if choices:
            language.initial = choices[0][0]

    def clean_file(self) -> str:
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
    """Names the checked file kept on the server; the file is not sent again."""

    upload = forms.CharField(widget=forms.HiddenInput)


def overview(request: HttpRequest) -> TemplateResponse:
    """Records by languages, with counts per state, for translators."""
    if not may_read_translations(request.user):
        raise PermissionDenied
    # Its own ids: the upload form on the same page also has a language.
    form = OverviewFilterForm(request.GET or None, auto_id="filter_%s")
    language = state = ""
    if form.is_valid():
        language = form.cleaned_data["language"]
        state = form.cleaned_data["state"]
    languages = [language] if language else [code for code, _ in LANGUAGE_CHOICES]
    rows = translation_overview(languages=languages, user=request.user)
    counts = {code: dict.fromkeys(translation_status.STATES, 0) for code in languages}
    for row in rows:
        for code, row_state in row["states"].items():
            counts[code][row_state] += 1
    if state:
        rows = [row for row in rows if state in row["states"].values()]
    for row in rows:
        row["cells"] = [
            (code, row_state, translation_status.STATE_LABELS[row_state])
            for code, row_state in row["states"].items()
        ]
    context = {
        **admin.site.each_context(request),
        "title": _("Translations"),
        "form": form,
        "languages": languages,
        "language_names": translation_status.LANGUAGE_NAMES,
        "states": [
            (name, translation_status.STATE_LABELS[name])
            for name in translation_status.STATES
        ],
        "counts": [
            (
                code,
                translation_status.LANGUAGE_NAMES[code],
                [counts[code][name] for name in translation_status.STATES],
            )
            for code in languages
        ],
        "rows": rows,
        "upload_form": (
            UploadForm(user=request.user) if may_import(request.user) else None
        ),
    }
    return TemplateResponse(request, "admin/translations/overview.html", context)


def download(request: HttpRequest, language: str) -> HttpResponse:
    if not may_read_translations(request.user):
        raise PermissionDenied
    if language not in dict(LANGUAGE_CHOICES):
        messages.error(
            request, _("There is no language “%s” in this guide.") % language
        )
        return redirect("admin:translations")
    po = translations_export(language=language, user=request.user)
    response = HttpResponse(
        str(po), content_type="text/x-gettext-translation; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="guide-{language}.po"'
    return response


def import_page(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/translations/import.html",
        {
            **admin.site.each_context(request),
            "title": _("Import translations"),
            **context,
        },
        status=status,
    )


def upload(request: HttpRequest) -> HttpResponse:
    """Upload a translated file, see what it would change, then confirm.

    The checked file is kept on the server; confirming sends its signed reference,
    so a file of any size the upload accepts can be imported.
    """
    if not may_import(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return redirect("admin:translations")
    if "confirm" in request.POST:
        return confirm(request)
    form = UploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return import_page(request, {"upload_form": form})
    data = form.cleaned_data
    report = translations_import(
        po_text=data["file"],
        language=data["language"],
        user=roles.signed_in(request.user),
        dry_run=True,
        made_by=data["made_by"],
    )
    confirm_form = None
    if report.ok and report.changes:
        kept = translation_upload_create(
            text=data["file"],
            language=data["language"],
            made_by=data["made_by"],
            user=roles.signed_in(request.user),
        )
        confirm_form = ConfirmForm(
            initial={"upload": translation_upload_reference(kept)}
        )
    return import_page(
        request,
        {
            "title": _("Import translations: check before writing"),
            "report": report,
            "language_name": translation_status.LANGUAGE_NAMES[data["language"]],
            "made_by_label": dict(MADE_BY_CHOICES)[data["made_by"]],
            "confirm_form": confirm_form,
        },
    )


def confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    kept = (
        translation_upload_find(reference=form.cleaned_data["upload"])
        if form.is_valid()
        else None
    )
    if kept is None:
        return import_page(
            request,
            {
                "gone": True,
                "upload_form": UploadForm(user=request.user),
            },
            status=400,
        )
    if kept.user_id != request.user.pk:
        raise PermissionDenied
    report = translations_import(
        po_text=kept.text,
        language=kept.language,
        user=roles.signed_in(request.user),
        made_by=kept.made_by,
    )
    language_name = translation_status.LANGUAGE_NAMES[kept.language]
    if not report.written:
        # Something changed since the check (the English, a draft copy): the
        # page says what, and the file stays kept until it is too old.
        return import_page(
            request,
            {
                "title": _("Import translations: check before writing"),
                "report": report,
                "language_name": language_name,
                "made_by_label": dict(MADE_BY_CHOICES)[kept.made_by],
            },
        )
    translation_upload_delete(upload=kept)
    if report.into_drafts:
        messages.success(
            request,
            _(
                "%(count)d translations were imported into %(language)s; "
                "%(drafts)d of them went into draft copies of published records, "
                "which a reviewer publishes."
            )
            % {
                "count": len(report.changes),
                "language": language_name,
                "drafts": report.into_drafts,
            },
        )
    else:
        messages.success(
            request,
            _("%(count)d translations were imported into %(language)s.")
            % {"count": len(report.changes), "language": language_name},
        )
    return redirect(f"{reverse('admin:translations')}?language={kept.language}")
