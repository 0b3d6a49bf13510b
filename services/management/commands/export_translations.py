from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.management.commands._output import write_output
from services.translations.exchange import translations_export

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES if code != "en"]


class Command(BaseCommand):
    help = (
        "Write one language's content as a PO file for a translator: the English, "
        "the current translation, and 'fuzzy' on entries that need a person."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("language", help=f"One of: {', '.join(LANGUAGE_CODES)}.")
        parser.add_argument(
            "-o", "--output", help="Where to write the file (default: standard output)."
        )

    def handle(
        self, *args: Any, language: str, output: str | None = None, **options: Any
    ) -> None:
        if language not in LANGUAGE_CODES:
            raise CommandError(
                f"Unknown language {language!r}. Choose one of: "
                f"{', '.join(LANGUAGE_CODES)}."
            )
        write_output(self, str(translations_export(language=language)), output)
