"""The caseworkers' admin site, with the translators' pages beside the models."""

from base64 import b32encode
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.admin import translations
from services.admin.redirects import safe_next
from services.feedback import charts
from services.feedback import selectors as feedback_selectors
from services.models import Report, Verified
from services.translations.state import LANGUAGE_NAMES
from services.workflow import actions, roles
from services.workflow.attention import (
    REVIEWED_MODELS,
    attention_counts,
    needs_attention,
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=8, widget=forms.TextInput({"autocomplete": "off"})
    )


class LoginForm(OTPAdminAuthenticationForm):
    """Password, then a code only for staff who turned on two-factor sign-in."""

    def _chosen_device(self, user: User) -> TOTPDevice | None:
        # Staff have one authenticator app; the form does not ask which.
        return TOTPDevice.objects.filter(user=user, confirmed=True).first()

    def clean(self) -> dict[str, Any]:
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned


def viewable_reviewed_models(user: roles.Person) -> list[type[Verified]]:
    """Services, policies and guides this person may see in the admin."""
    return [
        model
        for model in REVIEWED_MODELS
        if user.has_perm(f"services.view_{model._meta.model_name}")
    ]


View = Callable[..., HttpResponse]

# Reviewers and site administrators (roles.py).
REMOVE_COMMENTS = "services.change_report"


def content_role_required(view: View) -> View:
    """For pages about the content as a whole (translations): a staff account
    with no role sees no record in the admin, so it sees none here either."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not viewable_reviewed_models(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class GuideAdminSite(admin.AdminSite):
    site_header = _("City services guide: caseworkers")
    site_title = _("City services guide")
    index_title = _("Content")
    login_form = LoginForm
    login_template = "admin/guide_login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        # Staff who turned on two-factor sign-in must have passed it this session.
        user = request.user
        if not super().has_permission(request):
            return False
        # django-otp's middleware gives the user is_verified(); Django's User
        # class, which the type stubs describe, has no such method.
        return not user_has_device(user) or user.is_verified()  # type: ignore[union-attr]

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [
            path(
                "translations/",
                self.admin_view(content_role_required(translations.overview)),
                name="translations",
            ),
            path(
                "translations/<str:language>.po",
                self.admin_view(content_role_required(translations.download)),
                name="translations_download",
            ),
            path(
                "translations/import/",
                self.admin_view(content_role_required(translations.upload)),
                name="translations_upload",
            ),
            path(
                "attention/",
                self.admin_view(self.attention_view),
                name="attention",
            ),
            path(
                "usage/",
                self.admin_view(self.usage_view),
                name="usage",
            ),
            path(
                "reports/<int:pk>/remove-comment/",
                self.admin_view(require_POST(self.remove_comment_view)),
                name="report_remove_comment",
            ),
            path(
                "two-factor/",
                self.admin_view(self.two_factor_view),
                name="two_factor",
            ),
            *super().get_urls(),
        ]

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        context["translations_url_name"] = "admin:translations"
        return context

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        """The first page: what this person can do, and what waits for them."""
        context = {"work": self.work_to_do(request.user), **(extra_context or {})}
        return super().index(request, context)

    def work_to_do(self, user: roles.Person) -> dict[str, Any]:
        models = viewable_reviewed_models(user)
        translating = [
            (code, LANGUAGE_NAMES[code])
            for code in roles.editable_languages(user)
            if code != "en"
        ]
        return {
            "roles": sorted(user.groups.values_list("name", flat=True)),
            "has_role": bool(models),
            "counts": attention_counts(models=models) if models else None,
            "open_reports": Report.objects.filter(closed_on=None).count(),
            "can_write": user.has_perm(roles.EDIT_SOURCE)
            and user.has_perm("services.add_service"),
            "can_publish": user.has_perm(roles.PUBLISH),
            "can_verify": user.has_perm(roles.VERIFY),
            # Translators only: editors and reviewers may write every language.
            "languages": [] if user.has_perm(roles.EDIT_SOURCE) else translating,
            "two_factor_on": TOTPDevice.objects.filter(
                user=user, confirmed=True
            ).exists(),
        }

    def attention_view(self, request: HttpRequest) -> TemplateResponse:
        """What needs a reviewer: overdue checks, reviews, changed rules, outdated
        translations, among the records this person may see."""
        models = viewable_reviewed_models(request.user)
        if not models:
            raise PermissionDenied
        context = {
            **self.each_context(request),
            "title": _("Needs attention"),
            "sections": needs_attention(models=models),
            "can_verify": request.user.has_perm(roles.VERIFY),
            # A report that staff asked about immigration status is for reviewers.
            "status_reports": (
                feedback_selectors.open_reports(status_questions=True)
                if request.user.has_perm(roles.VERIFY)
                else []
            ),
            "reports": feedback_selectors.open_reports(status_questions=False),
            "can_remove_comments": request.user.has_perm(REMOVE_COMMENTS),
        }
        return TemplateResponse(request, "admin/attention.html", context)

    def usage_view(self, request: HttpRequest) -> TemplateResponse:
        """How much each language and page is read, and what residents said of
        them: charts drawn on the server from daily totals."""
        if not viewable_reviewed_models(request.user):
            raise PermissionDenied
        mondays, weekly = feedback_selectors.views_per_language_per_week()
        last_week = [(name, weeks[-2]) for name, weeks in weekly]
        context = {
            **self.each_context(request),
            "title": _("How the guide is used"),
            "last_week_chart": charts.bar_chart(
                str(_("Pages read last week, per language")),
                last_week,
                empty=str(_("No page views counted for last week.")),
            ),
            "last_week_start": mondays[-2],
            "mondays": mondays,
            "weekly": weekly,
            "most_read": [
                (
                    language,
                    charts.bar_chart(
                        str(_("Most-read services in %(language)s, last 30 days"))
                        % {"language": language},
                        pages,
                        empty="",
                    ),
                )
                for language, pages in feedback_selectors.most_read()
            ],
            "least_useful": feedback_selectors.least_useful(),
            "reports": feedback_selectors.open_reports(status_questions=False),
            "can_remove_comments": request.user.has_perm(REMOVE_COMMENTS),
        }
        return TemplateResponse(request, "admin/usage.html", context)

    def remove_comment_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A reviewer deletes a resident's words that should not be kept (a name,
        a number, abuse); the report itself still counts."""
        if not request.user.has_perm(REMOVE_COMMENTS):
            raise PermissionDenied
        back = safe_next(request, reverse("admin:attention"))
        report = Report.objects.filter(pk=pk).first()
        if report is None:
            messages.warning(
                request, _("That report is no longer there: nothing was changed.")
            )
            return redirect(back)
        actions.report_comment_remove(report=report, user=roles.signed_in(request.user))
        messages.success(
            request, _("The comment was deleted. The report still counts.")
        )
        return redirect(back)

    def two_factor_view(self, request: HttpRequest) -> HttpResponse:
        """Set up (or remove) sign-in with a code from an authenticator app: any
        staff member, for their own account only."""
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
