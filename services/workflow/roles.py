"""The people who keep the guide right, and what each may do.

- Editor: writes content in any language; cannot publish. Edits of published
  records go to a draft copy that a reviewer publishes. Posts alerts directly.
- Translator: edits only the language tabs of their languages (a group per
  language, such as "Translator: Arabic"), never the English, phone numbers or
  other untranslated fields.
- Reviewer: checks facts, publishes and unpublishes, records "still correct",
  removes a resident's comment that should not be kept.
- Site administrator: everything, including accounts.

Groups are kept in step with this file after every `migrate` (and by
`manage.py sync_roles`).
"""

from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied

from config.languages import LANGUAGES
from services.models import Guide, Policy, Service, parts_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Whoever makes a request: an account, or nobody signed in (`request.user`).
Person: TypeAlias = "User | AnonymousUser"

# Records with a draft / in review / published life, and their parts; the others
# change directly.
REVIEWED_MODELS = [model.__name__.lower() for model in (Policy, Service, Guide)]
REVIEWED_PARTS = [
    part.__name__.lower()
    for model in (Policy, Service, Guide)
    for _relation, part in parts_of(model)
]
CONTENT_MODELS = [
    "category",
    *REVIEWED_MODELS,
    *REVIEWED_PARTS,
    "hotline",
    "holiday",
    "alert",
]

PUBLISH = "services.publish_content"
VERIFY = "services.verify_content"
EDIT_SOURCE = "services.edit_source"
TARGET_LANGUAGES = [(code, name) for code, name in LANGUAGES if code != "en"]


def translate_permission(language: str) -> str:
    return f"translate_{language.replace('-', '_')}"


EDITOR = "Editor"
TRANSLATOR = "Translator"
REVIEWER = "Reviewer"
SITE_ADMINISTRATOR = "Site administrator"


def translator_group(language_name: str) -> str:
    return f"Translator: {language_name}"


def _crud(
    models: list[str], actions: tuple[str, ...] = ("view", "add", "change", "delete")
) -> list[str]:
    return [f"{action}_{model}" for model in models for action in actions]


ALL_LANGUAGES = [translate_permission(code) for code, _name in TARGET_LANGUAGES]

ROLES = {
    EDITOR: [
        *_crud(REVIEWED_MODELS + REVIEWED_PARTS),
        # An alert is news for residents now: it does not wait for a review.
        *_crud(["alert"]),
        *_crud(["category", "hotline", "holiday", "siteprofile"], ("view",)),
        "edit_source",
        *ALL_LANGUAGES,
    ],
    TRANSLATOR: [
        *_crud(CONTENT_MODELS, ("view", "change")),
        *_crud(["siteprofile"], ("view", "change")),
    ],
    REVIEWER: [
        *_crud(CONTENT_MODELS),
        *_crud(["siteprofile"], ("view", "change")),
        # Removes a resident's comment that holds personal details, or abuse.
        "change_report",
        "view_auditevent",
        "publish_content",
        "verify_content",
        "edit_source",
        *ALL_LANGUAGES,
    ],
    SITE_ADMINISTRATOR: [
        *_crud(CONTENT_MODELS),
        *_crud(["siteprofile"], ("view", "change")),
        "change_report",
        "view_auditevent",
        "publish_content",
        "verify_content",
        "edit_source",
        *ALL_LANGUAGES,
        *[f"auth.{codename}" for codename in _crud(["user", "group"])],
    ],
    **{
        translator_group(name): [translate_permission(code)]
        for code, name in TARGET_LANGUAGES
    },
}


def can_edit_language(user: Person, language: str) -> bool:
    if user.has_perm(EDIT_SOURCE):
        return True
    return language != "en" and user.has_perm(
        f"services.{translate_permission(language)}"
    )


def editable_languages(user: Person) -> list[str]:
    return [code for code, _name in LANGUAGES if can_edit_language(user, code)]


def signed_in(user: Person) -> "User":
    """The account behind a request that only staff reach (the admin lets in no
    one else): what the workflow records as who did it."""
    from django.contrib.auth.models import AnonymousUser

    if isinstance(user, AnonymousUser):
        raise PermissionDenied
    return user
