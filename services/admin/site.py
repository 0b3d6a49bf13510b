"""The caseworkers' admin site, with the translators' pages beside the models."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.translations import state as translation_status
from services.translations.exchange import translations_export, translations_import
from services.translations.selectors import translation_overview
from services.workflow.attention import needs_attention

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


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=8, widget=forms.TextInput({"autocomplete": "off"})
    )


class LoginForm(OTPAdminAuthenticationForm):
    """Password, then a code only for staff who turned on two-factor sign-in."""

    def _chosen_device(self, user):
        # Staff have one authenticator app; the form does not ask which.
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def clean(self):
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned


class GuideAdminSite(admin.AdminSite):
    site_header = _("City services guide: caseworkers")
    site_title = _("City services guide")
    index_title = _("Content")
    login_form = LoginForm
    login_template = "admin/guide_login.html"

    def has_permission(self, request):
        # Staff who turned on two-factor sign-in must have passed it this session.
        user = request.user
        if not super().has_permission(request):
            return False
        return not user_has_device(user) or user.is_verified()

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
            path(
                "attention/",
                self.admin_view(self.attention_view),
                name="attention",
            ),
            path(
                "two-factor/",
                self.admin_view(self.two_factor_view),
                name="two_factor",
            ),
            *super().get_urls(),
        ]

    def each_context(self, request):
        context = super().each_context(request)
        context["translations_url_name"] = "admin:translations"
        return context

    def attention_view(self, request):
        """What needs a reviewer: overdue checks, reviews, changed rules, outdated
        translations."""
        context = {
            **self.each_context(request),
            "title": _("Needs attention"),
            "sections": needs_attention(),
            "can_verify": request.user.has_perm("services.verify_content"),
        }
        return TemplateResponse(request, "admin/attention.html", context)

    def two_factor_view(self, request):
        """Set up (or remove) sign-in with a code from an authenticator app."""
        user = request.user
        confirmed = TOTPDevice.objects.filter(user=user, confirmed=True)
        if request.method == "POST" and request.POST.get("action") == "remove":
            confirmed.delete()
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("admin:two_factor")
        context = {**self.each_context(request), "title": _("Two-factor sign-in")}
        if confirmed.exists():
            context["enabled"] = True
            return TemplateResponse(request, "admin/two_factor.html", context)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="authenticator app", confirmed=False
            )
        form = TokenForm(request.POST or None)
        if form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save()
                otp_login(request, device)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("admin:two_factor")
            form.add_error("token", _("That code is not right. Try the newest one."))
        context.update(
            {
                "form": form,
                "secret": b32encode(device.bin_key).decode(),
                "qr_svg": segno.make(device.config_url).svg_inline(scale=4),
            }
        )
        return TemplateResponse(request, "admin/two_factor.html", context)

    def translations_view(self, request):
        """Records by languages, with counts per state, for translators."""
        form = OverviewFilterForm(request.GET or None)
        language = state = ""
        if form.is_valid():
            language = form.cleaned_data["language"]
            state = form.cleaned_data["state"]
        languages = [language] if language else [code for code, _ in LANGUAGE_CHOICES]
        rows = translation_overview(languages=languages)
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
                f"{reverse('admin:translations')}?language={data['language']}"
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
