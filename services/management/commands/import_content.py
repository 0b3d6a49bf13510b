import json

from django.core.management.base import BaseCommand, CommandError

from services.content_io.backup import content_import


class Command(BaseCommand):
    help = (
        "Import a content file made by export_content. The whole file is checked "
        "first; if any part is wrong, nothing is written. Records are matched by "
        "their web address, so nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file made by export_content.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file, write nothing."
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from error
        report = content_import(data=data, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"- {error}")
            raise CommandError(
                f"Nothing was imported: {len(report.errors)} problem(s) in {file}."
            )
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{file} is valid; nothing written."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {report.created} records created, {report.updated} updated."
            )
        )
