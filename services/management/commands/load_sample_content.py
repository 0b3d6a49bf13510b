from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from services.content_io.sample import sample_content_load


class Command(BaseCommand):
    help = (
        "Load the Boston sample content. Safe to run again: records that already "
        "exist (matched by their web address) are kept exactly as they are."
    )

    def handle(self, *args, **options):
        try:
            with translation.override("en"):
                report = sample_content_load()
        except ValidationError as error:
            raise CommandError(f"The sample content is not valid: {error}") from error
        for name, count in report.created.items():
            self.stdout.write(f"Created {count} {name}.")
        kept = sum(report.kept.values())
        if kept:
            self.stdout.write(f"Kept {kept} records that already existed, unchanged.")
        self.stdout.write(self.style.SUCCESS("Sample content is loaded."))
