"""Which fields are translated into every language (django-modeltranslation).

English is required; every other language falls back to English where it is empty.
"""

from modeltranslation.translator import TranslationOptions, register

from services.models import (
    Alert,
    Assurance,
    Category,
    ContactPoint,
    Document,
    Guide,
    GuideSection,
    Holiday,
    Hotline,
    Policy,
    Service,
    SiteProfile,
    Step,
)


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "description", "search_words")
    required_languages = ("en",)


@register(Policy)
class PolicyTranslationOptions(TranslationOptions):
    fields = ("name", "citation", "summary", "limits")
    required_languages = {"en": ("name", "summary")}


@register(Service)
class ServiceTranslationOptions(TranslationOptions):
    fields = ("name", "summary", "offers", "eligibility", "cost", "status_note")
    required_languages = {"en": ("name", "summary")}


@register(Step)
class StepTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("en",)


@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(ContactPoint)
class ContactPointTranslationOptions(TranslationOptions):
    fields = ("name", "hours", "note", "meeting_point")
    required_languages = {"en": ("name",)}


@register(Holiday)
class HolidayTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Alert)
class AlertTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = ("en",)


@register(Assurance)
class AssuranceTranslationOptions(TranslationOptions):
    fields = ("statement",)
    required_languages = ("en",)


@register(Guide)
class GuideTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "attribution")
    required_languages = {"en": ("title", "summary")}


@register(GuideSection)
class GuideSectionTranslationOptions(TranslationOptions):
    fields = ("heading", "body")
    required_languages = ("en",)


@register(Hotline)
class HotlineTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(SiteProfile)
class SiteProfileTranslationOptions(TranslationOptions):
    fields = (
        "city_name",
        "site_name",
        "emergency_note",
        "interpreter_note",
        "operator",
        "disclaimer",
    )
    required_languages = ("en",)
