"""Whether a person has reviewed a language's interface strings (the menus,
buttons and sentences of the templates), as its catalogue's header says.

`services/locale/<locale>/LC_MESSAGES/django.po` carries
``X-Translation-State: reviewed`` once a person has reviewed the whole catalogue,
and ``machine`` while it is a machine's draft; a catalogue that says neither is
taken as a draft. While it is one, pages in that language say that parts of them
were translated by a machine, as they do for a record's machine-drafted text.
"""

import functools
import re
from pathlib import Path

from django.utils.translation import to_locale

from services.translations.state import MACHINE, REVIEWED, TARGET_LANGUAGES

LOCALE_DIRECTORY = Path(__file__).resolve().parent.parent / "locale"
STATE_HEADER = "X-Translation-State"
STATE_LINE = re.compile(rf'^"{STATE_HEADER}: *(\w+)\\n"$', re.MULTILINE)
# The header comes first; it is never near this long.
HEADER_SIZE = 4096


def catalogue_path(language: str) -> Path:
    return LOCALE_DIRECTORY / to_locale(language) / "LC_MESSAGES" / "django.po"


def catalogue_state(language: str) -> str:
    """REVIEWED or MACHINE, from the catalogue's header."""
    try:
        with open(catalogue_path(language), encoding="utf-8") as file:
            header = file.read(HEADER_SIZE)
    except FileNotFoundError:
        return MACHINE
    match = STATE_LINE.search(header)
    return REVIEWED if match and match[1] == REVIEWED else MACHINE


@functools.cache
def machine_drafted_interfaces() -> frozenset[str]:
    """The languages whose interface strings are a machine's draft. Read once
    per process: the catalogues change only with a new release."""
    return frozenset(
        language
        for language in TARGET_LANGUAGES
        if catalogue_state(language) == MACHINE
    )
