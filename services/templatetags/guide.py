from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from services import translation_status

register = template.Library()


@register.simple_tag
def text(obj, field, tag="", css="", lines="", href=""):
    """A translated field as the reader should see it, in an element.

    Shows the reader's language where its translation is current (or a machine
    draft), else the checked English, marked `lang="en"` so screen readers switch
    voice and right-to-left pages lay it out left to right, with a short note in
    the reader's language. `lines="br"` keeps line breaks; `lines="p"` makes
    paragraphs (use tag="div"). Without a tag, the plain text (for titles).
    """
    language = get_language()
    value, shown_language, reason = translation_status.shown(obj, field, language)
    if not tag:
        return value
    if lines == "br":
        body = linebreaksbr(value, autoescape=True)
    elif lines == "p":
        body = linebreaks_filter(value, autoescape=True)
    else:
        body = escape(value)
    attributes = {"href": href, "class": css}
    note = ""
    if shown_language != language:
        attributes.update({"lang": shown_language, "dir": "ltr"})
        label = (
            _("Not translated yet")
            if reason == translation_status.MISSING
            else _("Translation being updated")
        )
        note = format_html(
            ' <small class="lang-note" lang="{}" dir="auto">({})</small>',
            language,
            label,
        )
    attributes = format_html_join(
        "", ' {}="{}"', ((name, value) for name, value in attributes.items() if value)
    )
    return format_html(
        "<{tag}{attributes}>{body}{note}</{tag}>",
        tag=tag,
        attributes=attributes,
        body=body,
        note=note,
    )


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered template output, already escaped.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}...{% endcapture %}`: render once, use many times.

    base.html captures each page's title and description blocks for the <title>,
    the description and the link-preview tags.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.filter
def og_locale(language_code):
    """Open Graph wants language_TERRITORY: pt-br → pt_BR, es → es."""
    return to_locale(language_code)
