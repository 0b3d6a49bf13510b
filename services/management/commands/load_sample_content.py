from typing import Any

from django.core.management.base import BaseCommand, CommandError

from services.content_io.sample import sample_content_load


class Command(BaseCommand):
    help = (
        "Load the Boston sample content. Safe to run again: records that already "
        "exist (matched by their web address) are kept exactly as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = sample_content_load()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                "The sample content is not valid, so none of it was loaded."
            )
        for name, count in report.created.items():
            self.stdout.write(f"Created {count} {name}.")
        kept = sum(report.kept.values())
        if kept:
            self.stdout.write(f"Kept {kept} records that already existed, unchanged.")
        self.stdout.write(self.style.SUCCESS("Sample content is loaded."))
