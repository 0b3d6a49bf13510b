"""What a translation must take from the English, and may not add to it.

A resident dials the numbers and follows the links of a page in their own
language, so those come from the English, which a reviewer checked against the
source: a translation keeps the English's placeholders, phone numbers and links
exactly, and adds no phone number, address number or link of its own. The
change form's language fields and the PO import both ask these functions.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from services.translations import terms

# What a translation must keep from the English: placeholders, links, web
# addresses, phone numbers and other numbers of three digits or more.
KEPT_TOKENS = re.compile(
    r"%\(\w+\)[sd]|\{\w*\}|https?://[^\s\"')]+[^\s\"').,;:]"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|com|edu)(?:/[\w/-]*[\w/])?"
    r"|\d[\d-]{2,}\d|\b\d{3,}\b"
)

# Links and web addresses a translation might add. Labels are ASCII so that a
# word written against an address (Arabic "و" for "and") is not taken for part
# of it.
LINKS = re.compile(
    r"https?://[^\s\"'<>)]+[^\s\"'<>).,;:،。]"
    r"|(?<![A-Za-z0-9.@-])(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:gov|org|com|edu|net|us|info|io)\b(?:/[^\s\"'<>)]*[^\s\"'<>).,;:،。])?"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
# A phone number as residents write one: 617-635-4500, (617) 635 4500, +1 617...
# Digits of any script count: a number in Arabic-Indic digits is still a number.
PHONES = re.compile(r"\+?\d[\d\s().-]{5,}\d")
# A number on its own; with fewer than three digits it is a day, a month or a
# count ("11 月", "5 años"), which a translation may write differently.
NUMBERS = re.compile(r"\d+")
# A house number before a street, which keeps its English name in every language:
# "26 Court Street", "1 City Hall Square".
ADDRESSES = re.compile(
    r"(?<!\d)(?P<number>\d{1,5})[A-Za-z]?\s+(?:[A-Z][\w'.-]*\s+){0,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Square|Sq|Boulevard|Blvd|Place|Pl|Way|"
    r"Drive|Dr|Lane|Ln|Court|Ct|Highway|Hwy|Plaza|Terrace|Parkway|Pkwy|Row|Wharf)"
    r"\b"
)


def ascii_digits(text: str) -> str:
    """The digits of a text, in ASCII, whatever the script they are written in."""
    return "".join(str(unicodedata.digit(char)) for char in text if char.isdigit())


def link_key(link: str) -> str:
    """A link as compared: the same address however its start or end is written."""
    key = link.lower().removeprefix("https://").removeprefix("http://")
    return key.removeprefix("www.").rstrip("/")


def lost_tokens(english: str, translation: str) -> list[str]:
    """Placeholders, numbers and links of the English the translation lacks."""
    return [
        token
        for token in dict.fromkeys(KEPT_TOKENS.findall(english))
        if token not in translation
    ]


def added_tokens(english: str, translation: str) -> list[str]:
    """Phone numbers, address numbers and links in the translation that the
    English does not have, as the translation writes them."""
    english_numbers = {ascii_digits(number) for number in NUMBERS.findall(english)}
    english_numbers |= {ascii_digits(phone) for phone in PHONES.findall(english)}
    english_links = {link_key(link) for link in LINKS.findall(english)}
    added = []
    for match in LINKS.finditer(translation):
        if link_key(match.group()) not in english_links:
            added.append(match.group())
    # Numbers inside a link were judged with the link.
    links = [match.span() for match in LINKS.finditer(translation)]
    phones = []
    for match in PHONES.finditer(translation):
        if any(start <= match.start() < end for start, end in links):
            continue
        phones.append(match.span())
        if ascii_digits(match.group()) not in english_numbers:
            # Each group may come from the English on its own: (617) 635-4500
            # for 617-635-4500.
            groups = NUMBERS.findall(match.group())
            if not all(ascii_digits(group) in english_numbers for group in groups):
                added.append(match.group().strip())
    for match in NUMBERS.finditer(translation):
        inside = [*links, *phones]
        if any(start <= match.start() < end for start, end in inside):
            continue
        number = ascii_digits(match.group())
        if len(number) >= 3 and number not in english_numbers:
            added.append(match.group())
    for match in ADDRESSES.finditer(translation):
        if any(start <= match.start() < end for start, end in links):
            continue
        number = ascii_digits(match.group("number"))
        if number not in english_numbers and match.group() not in added:
            added.append(match.group())
    return list(dict.fromkeys(added))


def quoted(tokens: list[str]) -> str:
    return ", ".join(f"“{token}”" for token in tokens)


def lost_message(tokens: list[str]) -> str:
    return _(
        "The translation lost %(tokens)s from the English. Placeholders, phone "
        "numbers and links must stay as they are."
    ) % {"tokens": quoted(tokens)}


def added_message(tokens: list[str]) -> str:
    return _(
        "The translation adds %(tokens)s, which the English does not have. Phone "
        "numbers, address numbers and links come from the English, which a "
        "reviewer checks against the source: add them to the English first."
    ) % {"tokens": quoted(tokens)}


def translation_problems(english: str, translation: str, language: str) -> list[str]:
    """Why a translation of `english` into `language` cannot be saved, one
    message per reason."""
    problems = []
    if phrases := terms.overpromises_in(translation, language):
        problems.append(terms.overpromise_message(phrases))
    if lost := lost_tokens(english, translation):
        problems.append(lost_message(lost))
    if added := added_tokens(english, translation):
        problems.append(added_message(added))
    return problems
