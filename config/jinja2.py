"""The Jinja2 environment of the public pages (the admin keeps Django's templates).

Interface strings are `{{ _("...") }}`, and `{{ _("Call %(number)s")|format(
number=...) }}` where they have a value in them, so that `makemessages` finds them
as it finds `{% translate %}`. `_()` returns plain text, which is escaped like any
other value.

A page calls these functions dozens of times, so they are plain functions, and
the answers that depend only on the language (a translated string, a formatted
day, an address) are kept per language for the life of the process: Django
computes each of them again on every call, at the cost of several template tags.
"""

import datetime
import functools
import itertools
import operator

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static as static_address
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import (
    get_language_bidi,
    gettext,
    override,
    to_locale,
)
from jinja2 import Environment, Template, nodes
from jinja2.compiler import CodeGenerator
from jinja2.utils import _PassArg
from markupsafe import Markup

from services import addresses
from services.templating import (
    alternate_links,
    current_page,
    escaped,
    has_text,
    icon,
    language_switch,
    page_now,
    reader_language,
    text,
    translation_notes,
)


def translate(message):
    """`{{ _("Search") }}`: Django's gettext, in the active language."""
    return translated(message, reader_language())


def url(name, *args, **kwargs):
    """`{{ url("services:service_print", category=..., slug=...) }}`"""
    page = current_page.get() or page_now()
    return addresses.reverse(
        name,
        args,
        kwargs,
        language=page.language,
        script_prefix=page.script_prefix,
        urlconf=page.urlconf,
    )


def date(value, format="DATE_FORMAT"):
    """DTL's `|date:"DATE_FORMAT"`: a date in the reader's language."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, format)
    return formatted_date(value, format, reader_language())


def verified(day):
    """`{{ verified(record.last_verified_on) }}`: the day a person last checked it
    (a service page says it of every part)."""
    if not day:
        return ""
    if isinstance(day, datetime.datetime):
        return verified_note(date(day))
    return verified_day(day, reader_language())


def verified_note(formatted_day):
    return Markup('<span class="verified">%s</span>') % (
        gettext("Last checked %(date)s") % {"date": formatted_day}
    )


# The caches. Each key holds everything the answer depends on; the language is
# an argument so that it is part of the key.
# An answer is worked out in the language of its key, not whichever happens to be
# active: it is kept under that key for the life of the process.
@functools.lru_cache(maxsize=4096)
def translated(message, language):
    with override(language):
        return gettext(message)


@functools.lru_cache(maxsize=1024)
def formatted_date(value, format, language):
    with override(language):
        return formats.date_format(value, format)


@functools.lru_cache(maxsize=1024)
def verified_day(day, language):
    with override(language):
        return verified_note(formats.date_format(day, "DATE_FORMAT"))


# The manifest of hashed names is read once per process anyway.
static = functools.lru_cache(maxsize=64)(static_address)

CACHES = [translated, formatted_date, verified_day, static, addresses.forget]


@receiver(setting_changed)
def forget_cached(**kwargs):
    for cached in CACHES:
        getattr(cached, "cache_clear", cached)()


def in_language(code, caller):
    """`{% call in_language("en") %}...{% endcall %}`: DTL's `{% language %}`."""
    outer = current_page.get()
    with override(code):
        # Texts shown in the block are shown on the page: their notes are its own.
        token = current_page.set(page_now(code, outer.notes if outer else None))
        try:
            return caller()
        finally:
            current_page.reset(token)


class PageTemplate(Template):
    """Notes the page's language and address prefix once, for every helper the
    page calls."""

    def render(self, *args, **kwargs):
        token = current_page.set(page_now())
        try:
            return super().render(*args, **kwargs)
        finally:
            current_page.reset(token)


def regroup(items, attribute):
    """DTL's `{% regroup %}`: runs of items with the same value of an attribute,
    as (value, items), in their own order (Jinja2's groupby sorts them)."""
    key = operator.attrgetter(attribute)
    return [(value, list(group)) for value, group in itertools.groupby(items, key)]


def truncatechars(value, length):
    return Truncator(value).chars(length)


def truncatewords(value, length):
    return Truncator(value).words(length, truncate=" …")


class PageCodeGenerator(CodeGenerator):
    """Compiles the public templates to the same pages with less work per value.

    `{{ text(service, "name") }}` becomes a plain Python call. Jinja2 calls every
    function through `Context.call`, which first looks at the function to see
    whether it wants the template's context, environment or evaluation context
    passed in: about a microsecond a call, and a page makes about a hundred. A
    global that wants none of them (no `@pass_context` and the like, which is all
    of the guide's) gets the same call without that look. Any other call, and
    `{% call %}`, which passes `caller`, compile as usual.
    """

    def visit_Call(self, node, frame, forward_caller=False):
        if forward_caller or not self.is_plain_global(node):
            return super().visit_Call(node, frame, forward_caller=forward_caller)
        self.visit(node.node, frame)
        self.write("(")
        for index, argument in enumerate([*node.args, *node.kwargs]):
            if index:
                self.write(", ")
            self.visit(argument, frame)
        self.write(")")

    def _output_child_pre(self, node, frame, finalize):
        """`{{ value }}` writes `escaped(value)` rather than markupsafe's escape():
        the same text, without a Markup object made only to be joined."""
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)
        self.write("environment.escaped(")
        if finalize.src is not None:
            self.write(finalize.src)

    def is_plain_global(self, node):
        if not isinstance(node.node, nodes.Name) or node.dyn_args or node.dyn_kwargs:
            return False
        function = self.environment.globals.get(node.node.name)
        return callable(function) and _PassArg.from_obj(function) is None


class PageEnvironment(Environment):
    code_generator_class = PageCodeGenerator
    template_class = PageTemplate

    def make_globals(self, d):
        """A template's globals as one plain dictionary rather than Jinja2's
        ChainMap over the environment's: every page and include copies them into
        its context, and a ChainMap is slow to copy. As Jinja2 asks, the globals
        are all set before any template is loaded (`environment()`)."""
        return {**self.globals, **(d or {})}

    # What `{{ value }}` writes on a page (PageCodeGenerator._output_child_pre).
    escaped = staticmethod(escaped)


def environment(**options):
    # Always escaped, whatever OPTIONS say (the backend's default is the same).
    options.pop("autoescape", None)
    # Every template stays compiled in a plain dictionary. The site has a few
    # dozen, all compiled before the workers start (config/gunicorn.py); Jinja2's
    # default LRU cache of 400 would hold them all too, but reorders its queue
    # under a lock on each of the six lookups a page makes, a walk over every
    # template loaded.
    options.setdefault("cache_size", -1)
    # No i18n extension: `_()` is the one way to translate, and every global is
    # copied into the context of each include.
    env = PageEnvironment(autoescape=True, **options)
    env.globals.update(
        _=translate,
        alternate_links=alternate_links,
        language_switch=language_switch,
        get_language=reader_language,
        get_language_bidi=get_language_bidi,
        has_text=has_text,
        icon=icon,
        in_language=in_language,
        regroup=regroup,
        static=static,
        text=text,
        translation_notes=translation_notes,
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
