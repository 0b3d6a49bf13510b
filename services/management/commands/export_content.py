import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from services.content_io.backup import content_export
from services.management.commands._output import write_output


class Command(BaseCommand):
    help = (
        "Write all content, in every language, with translation states and "
        "verification dates, to a versioned JSON file (a backup)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", help="Where to write the file (default: standard output)."
        )

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        write_output(
            self, json.dumps(content_export(), ensure_ascii=False, indent=1), output
        )
