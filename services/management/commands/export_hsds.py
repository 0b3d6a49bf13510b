from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.opendata import hsds


class Command(BaseCommand):
    help = (
        "Write the published services as Open Referral HSDS 3.0 data packages, one "
        "directory per language: DIR/<language>/datapackage.json, services.json, "
        "organizations.json and assurances.json (the guide's extension)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", help="The directory to write into (created if needed)."
        )
        parser.add_argument(
            "--language",
            action="append",
            metavar="CODE",
            help=(
                "Only this language (repeat for several); default: all. One of: "
                + ", ".join(hsds.LANGUAGE_CODES)
            ),
        )

    def handle(
        self,
        *args: Any,
        output: str | None = None,
        language: list[str] | None = None,
        **options: Any,
    ) -> None:
        if not output:
            raise CommandError("Give the directory to write into: -o DIR.")
        languages = language or list(hsds.LANGUAGE_CODES)
        unknown = [code for code in languages if code not in hsds.LANGUAGE_CODES]
        if unknown:
            raise CommandError(
                f"Unknown language {', '.join(unknown)}; choose from "
                f"{', '.join(hsds.LANGUAGE_CODES)}."
            )
        root = Path(output)
        if root.exists() and not root.is_dir():
            raise CommandError(f"{root} exists and is not a directory.")
        written = 0
        for code in dict.fromkeys(languages):
            try:
                written += len(hsds.export_package(code, root / code))
            except OSError as error:
                raise CommandError(f"Could not write {root / code}: {error}") from error
        self.stderr.write(
            f"Wrote {written} files for {len(set(languages))} languages in {root}."
        )
