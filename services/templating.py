"""A record's text as a reader sees it, for the public templates.

Which language each field is shown in is the guide's rule (translation_status);
this turns it into HTML. It runs dozens of times a page, so it builds the string
itself rather than through format_html.
"""

import re
from contextvars import ContextVar
from typing import NamedTuple

from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from markupsafe import (
    Markup,
    _escape_inner,  # markupsafe's own C escaping, or its fallback
    escape,
)

from services import translation_status


class Page(NamedTuple):
    """What every helper of a page being rendered asks Django for: read once per
    page (config/jinja2.py), since each of Django's answers costs about a
    microsecond and a page asks a hundred times.

    `notes` gathers why texts the page has shown so far are not in the reader's
    own current translation ("missing", "outdated", "machine"), as `text()` shows
    them: the page's notice speaks of exactly the texts on it.
    """

    language: str
    script_prefix: str
    urlconf: str | None
    notes: set


current_page = ContextVar("current_page", default=None)


def page_now(language=None, notes=None):
    return Page(
        language or get_language(),
        get_script_prefix(),
        get_urlconf(),
        set() if notes is None else notes,
    )


def reader_language():
    page = current_page.get()
    return page.language if page else get_language()


NEWLINES = re.compile(r"\r\n|\r")
PARAGRAPH_BREAK = re.compile(r"\n{2,}")


def text(obj, field, tag="", css="", lines="", href=""):
    """A translated field as the reader should see it, in an element.

    Shows the reader's language where its translation is current (or a machine
    draft), else the checked English, marked `lang="en"` so screen readers switch
    voice and right-to-left pages lay it out left to right, with a short note in
    the reader's language. `lines="br"` keeps line breaks; `lines="p"` makes
    paragraphs (use tag="div"). Without a tag, the plain text (for titles).

    In a template: `{{ text(service, "name", "h1") }}`. The reason a text is not in
    the reader's own current translation goes to the page's notes
    (`translation_notes()`).
    """
    page = current_page.get()
    language = page.language if page else get_language()
    value, shown_language, reason = translation_status.shown(obj, field, language)
    if reason and page:
        page.notes.add(reason)
    if not tag:
        return value
    if lines == "br":
        body = escaped(NEWLINES.sub("\n", str(value))).replace("\n", "<br>")
    elif lines == "p":
        paragraphs = PARAGRAPH_BREAK.split(NEWLINES.sub("\n", str(value)))
        body = "\n\n".join(
            f"<p>{escaped(paragraph)}</p>".replace("\n", "<br>")
            for paragraph in paragraphs
        )
    else:
        body = escaped(value)
    html = ["<", tag]
    if href:
        html += [' href="', escaped(href), '"']
    if css:
        html += [' class="', escaped(css), '"']
    note = ""
    if shown_language != language:
        html += [' lang="', escaped(shown_language), '" dir="ltr"']
        label = (
            _("Not translated yet")
            if reason == translation_status.MISSING
            else _("Translation being updated")
        )
        note = (
            f' <small class="lang-note" lang="{escaped(language)}" dir="auto">'
            f"({escaped(label)})</small>"
        )
    html += [">", body, note, "</", tag, ">"]
    return html_string("".join(html))  # every value in it is escaped


def translation_notes():
    """Why texts shown so far on this page are not in the reader's own current
    translation: "missing" and "outdated" texts show the checked English,
    "machine" ones a translation no person has reviewed yet. The page asks after
    it has made everything else, and says so once for each reason."""
    page = current_page.get()
    return frozenset(page.notes) if page else frozenset()


def html_string(html):
    """Markup(html), for HTML the guide has built with every value in it escaped:
    the same object, without markupsafe first asking the string whether it has
    an __html__ of its own (a page makes thirty of them)."""
    return str.__new__(Markup, html)


def escaped(value):
    """A value as it goes into a page's HTML: text escaped, safe markup as it is.

    Plain text, which is most of what a page writes, is escaped straight to a
    string; markupsafe's escape() also makes a Markup object of it, which the
    page would only join with the rest.
    """
    if type(value) is str:
        return _escape_inner(value)
    if type(value) is Markup:
        return value
    return escape(value)


def has_text(obj, field):
    """`{% if has_text(service, "offers") %}`: whether `text()` shows anything for
    the field. What a reader sees always rests on the English (a missing or
    outdated translation shows it instead), so the English decides."""
    return bool(
        translation_status.text_in(obj, field, translation_status.SOURCE_LANGUAGE)
    )


# Every page lists itself in all twelve languages twice: as alternates in its
# head and as the language switch. Written here rather than as template loops,
# which cost a page ten times more.


def alternate_links(links):
    """`<link rel="alternate" hreflang>` for each language, and x-default."""
    html = []
    for link in links:
        address = escaped(link.absolute_url)
        html.append(f'<link rel="alternate" hreflang="{link.code}" href="{address}">')
        if link.code == "en":
            html.append(f'<link rel="alternate" hreflang="x-default" href="{address}">')
    return Markup("\n".join(html))  # noqa: S704 (codes are ours, addresses escaped)


def language_switch(links):
    """The list items of the language switch, each in its own language."""
    html = []
    for link in links:
        current = ' aria-current="page"' if link.is_current else ""
        html.append(
            f'<li><a href="{escaped(link.url)}" hreflang="{link.code}" '
            f'lang="{link.code}"{current}>{escaped(link.name_local)}</a></li>'
        )
    return Markup("\n".join(html))  # noqa: S704 (codes are ours, the rest escaped)


# The icons: inline SVG, drawn with the text's colour. A function, not an
# included template: the home page shows one per category.
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
}
ICONS = {
    name: Markup(  # noqa: S704 (our own constant markup)
        '<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
        f'width="24" height="24"><path d="{path}"/></svg>'
    )
    for name, path in ICON_PATHS.items()
}


def icon(name):
    """`{{ icon(category.icon) }}`: the icon's SVG; the shield of "rights" for a
    name it does not know."""
    return ICONS.get(name, ICONS["rights"])
