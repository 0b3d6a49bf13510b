"""Each language's glossary of the legal terms that recur in the guide, and the
phrases that promise more than any rule does (`terms/<language>.json`).

The glossary is what every translation of the sample follows and what a
translator receives with their PO file: for each term, the word to use, the
forms it takes, and the words never to use for it (a word for "mayor" where the
English says "magistrate"). The phrases are regular expressions of over-promises
("safe zone", "ICE cannot come") in that language: no public page may show one,
and a translation that writes one is refused with a message.
"""

import functools
import json
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

DIRECTORY = Path(__file__).resolve().parent / "terms"


@functools.cache
def terms(language: str) -> dict[str, Any]:
    """The language's terms file, or an empty one (read once per process)."""
    path = DIRECTORY / f"{language}.json"
    if not path.exists():
        return {"glossary": {}, "overpromise": []}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def english_patterns() -> dict[str, re.Pattern[str]]:
    """For each term, how the English writes it."""
    return {
        term: re.compile(entry["en"], re.IGNORECASE)
        for term, entry in terms("en")["glossary"].items()
    }


@functools.cache
def overpromises(language: str) -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(pattern, re.IGNORECASE)
        for pattern in terms(language).get("overpromise", [])
    )


def overpromises_in(text: str, language: str) -> list[str]:
    """The over-promising phrases a text of that language contains, as written."""
    return [
        match.group()
        for pattern in overpromises(language)
        if (match := pattern.search(text))
    ]


def overpromise_message(phrases: list[str]) -> str:
    return _(
        "%(phrases)s promises more than any rule does. Say what the service does "
        "and under which rule, as the English does."
    ) % {"phrases": ", ".join(f"“{phrase}”" for phrase in phrases)}


def glossary_comment(language: str) -> str:
    """The glossary as a PO file's opening comment, for the translator."""
    glossary = terms(language).get("glossary", {})
    if not glossary:
        return ""
    english = terms("en")["glossary"]
    lines = [
        "Glossary: use these words for the legal terms that recur, so that every "
        "page says the same thing the same way.",
    ]
    for term, entry in glossary.items():
        written = english.get(term, {}).get("en", term).split("|")[0]
        written = written.replace("\\b", "").replace("s?", "")
        line = f"- {written}: {entry['use']}"
        if entry.get("avoid"):
            line += f" (never: {', '.join(entry['avoid'])})"
        if entry.get("note"):
            line += f". {entry['note']}"
        lines.append(line)
    return "\n".join(lines)
