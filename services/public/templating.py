"""The Jinja2 environment of the public pages (the admin keeps Django's templates).

Jinja2, with its stock backend, globals and filters, rather than Django's template
language: the pages call the guide's helpers with arguments, such as
`{{ text(service, "summary", "p", lines="br") }}`, which Jinja2 reads as the
Python call it is, where Django's language would need a custom tag for each.

Interface strings are `{{ _("...") }}`, and `{{ _("Call %(number)s")|format(
number=...) }}` where they have a value in them, so that `makemessages` finds them
as it finds `{% translate %}`. `_()` returns plain text, which is escaped like any
other value.

A record's text is shown with `{{ text(service, "name", "h1") }}`: the reader's
language where its translation is current (or a machine draft), else the
checked English, marked as English. Each text notes on the page why it is not in
the reader's own current translation, and the page's notice speaks of exactly
those texts (`translation_notes()`, read by base.html after the content).
"""

import datetime
import itertools
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import (
    get_language,
    get_language_bidi,
    gettext,
    override,
    to_locale,
)
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from services.feedback import counts, reports
from services.models import ContactPoint, Problem, Service, Translatable
from services.pages import page_url
from services.public import opening
from services.translations import state

# Where a page being rendered gathers the reasons of its texts: render_page()
# puts a set under this name in the page's context.
NOTES = "translation_notes_seen"
# The moment a page is rendered for; where it gathers the moments at which what
# it says about opening hours next changes; and the city's holidays around that
# day, read from the database only by a page that shows hours.
NOW = "now"
CHANGES = "changes_at"
HOLIDAYS = "holidays_near"

NEWLINES = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


# A web address as texts write one: "mass.gov/fedmisconduct",
# "https://www.bpl.org/", "bostonpublicschools.org/register". Not an email
# address, and not the full stop or comma after it.
WEB_ADDRESS = re.compile(
    r"(?<![\w@.-])(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:gov|org|com|edu|net|us)\b"
    r"(?:/(?:[^\s\"'<>)]*[^\s\"'<>).,;:\u060c\u3002])?)?"
    r"(?![\w@])",
    re.IGNORECASE,
)


def breakable(address: str) -> Markup:
    """`{{ breakable(url) }}`: a web address that a narrow screen breaks after
    a slash, not in the middle of a word."""
    return escape(address).replace("/", Markup("/<wbr>"))


def _linked(value: str) -> Markup:
    """The escaped text, each web address in it a link that reads left to right
    in any script and wraps cleanly."""
    parts = []
    position = 0
    for match in WEB_ADDRESS.finditer(value):
        address = match.group()
        href = address if "://" in address else f"https://{address}"
        parts.append(escape(value[position : match.start()]))
        parts.append(
            Markup(
                '<a class="web-address" href="{}" dir="ltr" rel="noreferrer">{}</a>'
            ).format(href, breakable(address))
        )
        position = match.end()
    parts.append(escape(value[position:]))
    return Markup("").join(parts)


def _body(value: str, lines: str, links: bool) -> Markup:
    """A text's escaped content: as it is, with line breaks, or as paragraphs;
    with its web addresses as links (`links`)."""
    value = NEWLINES.sub("\n", value)
    content = _linked if links else escape
    if lines == "br":
        return content(value).replace("\n", Markup("<br>"))
    if lines == "p":
        return Markup("\n\n").join(
            Markup("<p>{}</p>").format(content(paragraph).replace("\n", Markup("<br>")))
            for paragraph in PARAGRAPH_BREAK.split(value)
        )
    return content(value)


@pass_context
def text(
    context: Context,
    obj: Translatable,
    field: str,
    tag: str = "",
    css: str = "",
    lines: str = "",
    href: str = "",
    name: bool = False,
) -> str | SafeString:
    """A translated field as the reader should see it, in an element.

    Shows the reader's language where its translation is current (or a machine
    draft), else the checked English, marked `lang="en"` so screen readers switch
    voice and right-to-left pages lay it out left to right, with a short note in
    the reader's language. `lines="br"` keeps line breaks; `lines="p"` makes
    paragraphs (use tag="div"). Without a tag, the plain text (for titles).
    `name=True` for a text that may be a name kept in English by its translator,
    such as the citation "477 Mass. 517 (2017)": it is then marked as English.
    """
    language = get_language()
    value, shown_language, reason = state.shown(obj, field, language)
    notes = context.get(NOTES)
    if reason and notes is not None:
        notes.add(reason)
    if not tag:
        return value
    attributes = {"href": href or None, "class": css or None}
    note: SafeString | str = ""
    if (
        name
        and shown_language == language != state.SOURCE_LANGUAGE
        and _kept_in_english(obj, field, value)
    ):
        # A name a translator kept as it is, such as the citation "477 Mass. 517
        # (2017)": English, without a note, since it is what the translation says.
        attributes.update(lang=state.SOURCE_LANGUAGE, dir="ltr")
    elif shown_language != language:
        attributes.update(lang=shown_language, dir="ltr")
        label = (
            gettext("Not translated yet")
            if reason == state.MISSING
            else gettext("Translation being updated")
        )
        note = format_html(
            ' <small class="lang-note" lang="{}" dir="auto">({})</small>',
            language,
            label,
        )
    written = format_html_join(
        "", ' {}="{}"', ((name, value) for name, value in attributes.items() if value)
    )
    # A link holds no link: its own text is shown as it is.
    body = _body(value, lines, links=tag != "a")
    return format_html("<{}{}>{}{}</{}>", tag, written, body, note, tag)


LATIN_LETTER = re.compile(r"[A-Za-z]")


def _kept_in_english(obj: Translatable, field: str, value: str) -> bool:
    """Whether a translation is the English itself, kept as a name is."""
    return bool(LATIN_LETTER.search(value)) and value == state.text_in(
        obj, field, state.SOURCE_LANGUAGE
    )


def has_text(obj: Translatable, field: str) -> bool:
    """`{% if has_text(service, "offers") %}`: whether `text()` shows anything for
    the field. What a reader sees always rests on the English (a missing or
    outdated translation shows it instead), so the English decides."""
    return bool(state.text_in(obj, field, state.SOURCE_LANGUAGE))


@pass_context
def translation_notes(context: Context) -> frozenset[str]:
    """Why texts shown so far on this page are not in the reader's own current
    translation: "missing" and "outdated" texts show the checked English,
    "machine" ones a translation no person has reviewed yet."""
    return frozenset(context.get(NOTES) or ())


def in_language(code: str, caller: Callable[[], str]) -> str:
    """`{% call in_language("en") %}...{% endcall %}`: DTL's `{% language %}`."""
    with override(code):
        return caller()


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """`{{ url("services:service_print", category=..., slug=...) }}`"""
    return page_url(name, *args, **kwargs)


def date(value: datetime.date | None, format: str = "DATE_FORMAT") -> str:
    """DTL's `|date:"DATE_FORMAT"`: a date in the reader's language."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, format)


def verified(day: datetime.date | None) -> SafeString:
    """`{{ verified(record.last_verified_on) }}`: the day a person last checked
    it, or that no person has yet. A date is only ever one a person recorded."""
    if not day:
        return format_html(
            '<span class="verified unchecked">{}</span>',
            gettext("Not yet checked by a person"),
        )
    return format_html(
        '<span class="verified">{}</span>',
        gettext("Last checked %(date)s") % {"date": date(day)},
    )


def checked(record: Any) -> str:
    """`{{ checked(service) }}`: whether and when a person checked this page
    against its sources, or, until someone has, when its facts were gathered."""
    if record.last_verified_on:
        return gettext(
            "A person last checked this page against its sources on %(date)s."
        ) % {"date": date(record.last_verified_on)}
    if record.sources_gathered_on:
        return gettext(
            "The facts on this page were gathered from public sources on %(date)s. "
            "No person has checked them against those sources yet: call to "
            "confirm before you rely on them."
        ) % {"date": date(record.sources_gathered_on)}
    return gettext(
        "No person has checked this page against its sources yet: call to confirm "
        "before you rely on it."
    )


@pass_context
def contact_hours(context: Context, contact: ContactPoint) -> opening.ContactHours:
    """`{% set hours = contact_hours(contact) %}`: is it open now, and its week."""
    now = context[NOW]
    shown = opening.contact_hours(
        contact,
        now,
        context[HOLIDAYS](),
        service_running=opening.service_state(
            contact.service, timezone.localtime(now).date()
        ).running,
    )
    if shown.changes_at is not None:
        context[CHANGES].append(shown.changes_at)
    return shown


@pass_context
def service_state(context: Context, service: Service) -> opening.ServiceState:
    """`{% set state = service_state(service) %}`: running or not, in words."""
    return opening.service_state(service, timezone.localtime(context[NOW]).date())


def feedback_for(path: str) -> dict[str, Any]:
    """`{% set feedback = feedback_for(request.path) %}`: what a page's report
    and useful forms carry: its own address, signed (no cookie, no visitor)."""
    page = counts.page_of("page", path)
    return {
        "page": page,
        "token": reports.form_token(page),
        "problems": Problem.choices,
    }


def regroup(items: Iterable[Any], attribute: str) -> list[tuple[Any, list[Any]]]:
    """DTL's `{% regroup %}`: runs of items with the same value of an attribute,
    as (value, items), in their own order (Jinja2's groupby sorts them)."""
    key = operator.attrgetter(attribute)
    return [(value, list(group)) for value, group in itertools.groupby(items, key)]


def truncatechars(value: str, length: int) -> str:
    return Truncator(value).chars(length)


def truncatewords(value: str, length: int) -> str:
    return Truncator(value).words(length, truncate=" …")


# The icons: inline SVG, drawn with the text's colour.
ICON_PATHS = {
    "school": "M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5",
    "emergency": "M12 3v18M3 12h18",
    "health": "M12 21s-8-5-8-11a4 4 0 0 1 8-1 4 4 0 0 1 8 1c0 6-8 11-8 11z",
    "food": "M7 3v8M5 3v5a2 2 0 0 0 4 0V3M7 11v10M16 3c-2 2-2 7 0 8v10",
    "home": "M3 11l9-8 9 8M5 10v10h14V10",
    "legal": "M12 3v18M5 7h14M5 7l-3 7h6zM19 7l-3 7h6zM8 21h8",
    "book": "M4 5h7v15H4zM13 5h7v15h-7z",
    "city": "M3 21h18M5 21V8h5v13M14 21V4h5v17",
    "rights": "M12 3l8 3v6c0 5-4 8-8 9-4-1-8-4-8-9V6z",
    "globe": "M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18zM3 12h18"
    "M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18",
}


def icon(name: str) -> SafeString:
    """`{{ icon(category.icon) }}`: the icon's SVG; the shield of "rights" for a
    name it does not know."""
    return format_html(
        '<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
        'width="24" height="24"><path d="{}"/></svg>',
        ICON_PATHS.get(name, ICON_PATHS["rights"]),
    )


def environment(**options: Any) -> Environment:
    # Always escaped, whatever OPTIONS say (Django's backend defaults to it too).
    options["autoescape"] = True
    env = Environment(**options)  # noqa: S701 (autoescape is set just above)
    env.globals.update(
        _=gettext,
        get_language=get_language,
        get_language_bidi=get_language_bidi,
        has_text=has_text,
        icon=icon,
        in_language=in_language,
        regroup=regroup,
        static=static,
        text=text,
        translation_notes=translation_notes,
        checked=checked,
        breakable=breakable,
        contact_hours=contact_hours,
        feedback_for=feedback_for,
        service_state=service_state,
        url=url,
        verified=verified,
    )
    env.filters.update(
        date=date,
        og_locale=to_locale,
        truncatechars=truncatechars,
        truncatewords=truncatewords,
    )
    return env
