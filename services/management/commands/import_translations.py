from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.translations.exchange import translations_import
from services.translations.state import MACHINE, REVIEWED

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES if code != "en"]


class Command(BaseCommand):
    help = (
        "Import a translated PO file for one language, as a person of the admin: "
        "the file is held to what that person may change, as in the admin. The "
        "whole file is checked first; if anything is wrong nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The translated PO file.")
        parser.add_argument("language", help=f"One of: {', '.join(LANGUAGE_CODES)}.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The admin account the import is made by: only its languages, "
            "and published records through their draft copies unless it may "
            "publish. History and the audit trail name it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would change, and write nothing.",
        )
        parser.add_argument(
            "--machine",
            action="store_true",
            help="The translations were drafted by a machine, not reviewed by a "
            "person (residents are told so).",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        language: str,
        username: str,
        dry_run: bool,
        machine: bool,
        **options: Any,
    ) -> None:
        if language not in LANGUAGE_CODES:
            raise CommandError(
                f"Unknown language {language!r}. Choose one of: "
                f"{', '.join(LANGUAGE_CODES)}."
            )
        user = (
            get_user_model()
            .objects.filter(username=username, is_active=True, is_staff=True)
            .first()
        )
        if user is None:
            raise CommandError(
                f"There is no active staff account {username!r}: the import is "
                "made as a person of the admin."
            )
        try:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {file}: {error}") from error
        report = translations_import(
            po_text=text,
            language=language,
            user=user,
            dry_run=dry_run,
            made_by=MACHINE if machine else REVIEWED,
        )
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"Nothing was imported: {len(report.errors)} problem(s) in {file}."
            )
        for change in report.changes:
            where = " [into its draft copy]" if change.into_draft else ""
            self.stdout.write(
                f"{change.context} ({change.description}){where}: {change.new}"
            )
        summary = (
            f"{len(report.changes)} translation(s) "
            f"{'would change' if dry_run else 'changed'}"
            + (
                f" ({report.into_drafts} into draft copies for review)"
                if report.into_drafts
                else ""
            )
            + f"; {report.unchanged} unchanged; {report.empty} empty; "
            f"{report.still_fuzzy} still marked fuzzy (needing review) and not "
            "imported."
        )
        self.stdout.write(self.style.SUCCESS(summary))
