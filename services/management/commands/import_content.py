from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.content_io.importer import (
    ContentFileError,
    content_file_read,
    content_import,
)


class Command(BaseCommand):
    help = (
        "Import a content file made by export_content. The whole file is checked "
        "first; if any part is wrong, nothing is written. Records are matched by "
        "their web address, so nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON file made by export_content.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and try every write, then keep none of them.",
        )

    def handle(self, *args: Any, file: str, dry_run: bool, **options: Any) -> None:
        try:
            data = content_file_read(path=file)
        except ContentFileError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        report = content_import(data=data, dry_run=dry_run)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"Nothing was imported: {len(report.problems)} problem(s) in {file}."
            )
        created = sum(report.created.values())
        updated = sum(report.updated.values())
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{file} is valid: it would create {created} records and update "
                    f"{updated}. Nothing was written."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {created} records created, {updated} updated."
            )
        )
