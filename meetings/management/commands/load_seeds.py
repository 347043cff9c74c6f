from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mechanisms.seeding import Seeder, SeedError, SeedReport
from mechanisms.seeds import load_mechanisms
from meetings.seeds import load_meetings


class Command(BaseCommand):
    help = (
        "Load the seed files (member states, mechanisms, meetings). Idempotent: never overwrites a "
        "record a user edited, never re-creates one a user deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=settings.BASE_DIR / "seeds", help="Seed folder."
        )

    def handle(self, *args, path: Path, **options):
        try:
            with transaction.atomic():
                seeder = Seeder()
                load_mechanisms(seeder, path)
                load_meetings(seeder, path)
        except SeedError as error:
            raise CommandError(str(error)) from None
        self.print_report(seeder.report)

    def print_report(self, report: SeedReport) -> None:
        for table, labels in report.created.items():
            self.stdout.write(
                self.style.SUCCESS(f"Created {len(labels)} {table}: ") + ", ".join(labels)
            )
        for table, labels in report.updated.items():
            self.stdout.write(
                f"Updated {len(labels)} {table} from the seed files: " + ", ".join(labels)
            )
        for table, labels in report.kept.items():
            self.stdout.write(
                self.style.WARNING(f"Kept {len(labels)} {table} as users left them: ")
                + ", ".join(labels)
            )
        if not report.changed_anything:
            self.stdout.write("Seeds already loaded: nothing to change.")
