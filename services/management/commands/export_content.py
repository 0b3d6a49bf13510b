import json

from django.core.management.base import BaseCommand, CommandError

from services.backup import content_export


class Command(BaseCommand):
    help = (
        "Write all content, in every language, with translation states and "
        "verification dates, to a versioned JSON file (a backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help="Where to write the file (default: standard output)."
        )

    def handle(self, *args, output=None, **options):
        text = json.dumps(content_export(), ensure_ascii=False, indent=1)
        if not output:
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error}") from error
        self.stderr.write(f"Wrote {output}.")
