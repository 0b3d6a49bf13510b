"""Copy the day's page counts from the shared cache into the database."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from services.feedback import counts


class Command(BaseCommand):
    help = (
        "Move the page views and useful / not useful answers counted in the "
        "shared cache over the last days into the database, as totals per day, "
        "page and language. Each web process does it for its own counts every "
        "few minutes and when it stops; this does it now for every page, "
        "including what a killed process left in Redis (run it daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=counts.DAYS_WRITTEN,
            help="How many days back, today included (1 to 4).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if not 1 <= days <= 4:
            raise CommandError("--days must be between 1 and 4: the cache keeps four.")
        written = counts.write(days)
        self.stdout.write(f"Wrote {written} page totals.")
