"""The addresses of the guide's pages, in every language.

A page's address differs between languages only in its prefix (/es/, /ar/, ...):
paths and slugs are not translated. So an address is worked out once, in
English, and given the reader's prefix. Django's own reverse() in each language
would also work, but its resolver then keeps a copy of every address of the site
(the admin's hundreds among them) for each of the twelve languages: some 7 MB
in every worker.
"""

import functools

from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language, override

SOURCE_LANGUAGE = "en"


@functools.lru_cache(maxsize=4096)
def _in_english(viewname, args, kwargs, script_prefix, urlconf):
    with override(SOURCE_LANGUAGE):
        return django_reverse(
            viewname, urlconf, args=args or None, kwargs=dict(kwargs) or None
        )


def reverse(
    viewname, args=(), kwargs=None, *, language=None, script_prefix=None, urlconf=None
):
    """Django's reverse(), in `language` (the active one by default)."""
    language = language or get_language() or SOURCE_LANGUAGE
    if script_prefix is None:
        script_prefix = get_script_prefix()
        urlconf = get_urlconf()
    path = _in_english(
        viewname,
        tuple(args or ()),
        tuple(sorted((kwargs or {}).items())),
        script_prefix,
        urlconf,
    )
    english_prefix = f"{script_prefix}{SOURCE_LANGUAGE}/"
    if language != SOURCE_LANGUAGE and path.startswith(english_prefix):
        path = f"{script_prefix}{language}/{path[len(english_prefix) :]}"
    return path


def forget():
    """After a change of URLs or settings (tests)."""
    _in_english.cache_clear()
