"""Search that works in every script.

Text is folded the same way when it is indexed and when it is searched: case and
accents and tones dropped (a resident types "ecole" for "école", "truong hoc" for
"trường học"), Arabic letter variants and diacritics unified, full-width forms
made plain. Words are matched as substrings, so Chinese, written without spaces,
is found too. The same plain SQL on SQLite and PostgreSQL gives the same results.
"""

import unicodedata

# Letters that carry their difference in the letter itself, not a combining mark.
FOLD = str.maketrans(
    {
        "\u0111": "d",  # Vietnamese d with stroke
        "\u0131": "i",  # dotless i
        "\u0142": "l",  # l with stroke
        "\u00f8": "o",  # o with stroke
        "\u00e6": "ae",
        "\u0153": "oe",
        "\u0629": "\u0647",  # Arabic taa marbuta, often typed as haa
        "\u0649": "\u064a",  # Arabic alef maqsura, often typed as yaa
        "\u0640": None,  # Arabic tatweel, a stretching stroke
        "\u2019": "'",  # typographic apostrophe
    }
)


def fold(text: str) -> str:
    """Lower-case, accent-free, variant-free text with single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.translate(FOLD).split())


def words(query: str, limit: int = 8) -> list[str]:
    return fold(query).split()[:limit]
