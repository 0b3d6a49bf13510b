"""Search that works in every script.

Text is folded the same way when it is indexed and when it is searched, so that
what a resident types finds what the guide says however either is written:

- case, accents and tones dropped ("ecole" finds "école", "truong hoc" finds
  "trường học"), full-width forms made plain;
- Arabic: diacritics and tatweel dropped, the forms of alef (أ إ آ ٱ), hamza on
  waw and yaa, taa marbuta and alef maqsura unified, and each word without its
  article (al-madaris is madaris) or a sound plural's ending (khadamat is khadam);
- Chinese in its simplified form, whichever form either is written in.

Words are matched as substrings, so Chinese, written without spaces, is found
too. The same plain SQL on SQLite and PostgreSQL gives the same results.
"""

import functools
import re
import unicodedata
from collections.abc import Callable

# Letters that carry their difference in the letter itself, not a combining mark.
FOLD = str.maketrans(
    {
        "\u0111": "d",  # Vietnamese d with stroke
        "\u0131": "i",  # dotless i
        "\u0142": "l",  # l with stroke
        "\u00f8": "o",  # o with stroke
        "\u00e6": "ae",
        "\u0153": "oe",
        "\u0622": "\u0627",  # Arabic alef with madda
        "\u0623": "\u0627",  # alef with hamza above
        "\u0625": "\u0627",  # alef with hamza below
        "\u0671": "\u0627",  # alef wasla
        "\u0624": "\u0648",  # waw with hamza
        "\u0626": "\u064a",  # yaa with hamza
        "\u0629": "\u0647",  # taa marbuta, often typed as haa
        "\u0649": "\u064a",  # alef maqsura, often typed as yaa
        "\u0640": None,  # tatweel, a stretching stroke
        "\u2019": "'",  # typographic apostrophe
    }
)

ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
# The article (al-), alone or after "and", "with", "like", "so" or "for" (lil-):
# taken off a word that keeps at least three letters.
ARABIC_ARTICLE = re.compile(
    "^(?:\u0627\u0644|\u0648\u0627\u0644|\u0628\u0627\u0644|\u0643\u0627\u0644"
    "|\u0641\u0627\u0644|\u0644\u0644)(?=[\u0621-\u064a]{3})"
)
# Sound plural and dual endings (-aat, -uun, -iin, -aan), and a final taa
# marbuta (folded to haa): taken off a word that keeps at least three letters.
ARABIC_PLURAL = re.compile(
    "(?<=[\u0621-\u064a]{3})(?:\u0627\u062a|\u0648\u0646|\u064a\u0646|\u0627\u0646"
    "|\u0647)$"
)
HAN = re.compile(r"[\u3400-\u9fff]")


def _arabic_stem(match: re.Match[str]) -> str:
    word = ARABIC_ARTICLE.sub("", match.group())
    return ARABIC_PLURAL.sub("", word)


@functools.cache
def _to_simplified() -> Callable[[str], str]:
    """Traditional Chinese to simplified (OpenCC's tables, loaded on first use:
    only a text with Chinese in it needs them)."""
    from opencc import OpenCC

    return OpenCC("t2s").convert


def fold(text: str) -> str:
    """Lower-case, accent-free, variant-free text with single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(FOLD)
    if HAN.search(text):
        text = _to_simplified()(text)
    text = ARABIC_WORD.sub(_arabic_stem, text)
    return " ".join(text.split())


def words(query: str, limit: int = 8) -> list[str]:
    return fold(query).split()[:limit]
