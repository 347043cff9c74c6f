"""python manage.py export_meeting SLUG [--output FILE]: one meeting as a JSON archive."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.outputs.archive import export_meeting


class Command(BaseCommand):
    help = (
        "Write one meeting, with everything it holds and refers to, as a JSON archive "
        "(schema cam-meetings/archive/1) that import_meeting reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The meeting's slug, e.g. migration-governance-2022.")
        parser.add_argument(
            "--output", type=Path, help="The file to write (UTF-8); standard output if omitted."
        )

    def handle(self, *args, slug: str, output: Path | str | None, **options):
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            raise CommandError(f"No meeting has the slug {slug!r}.")
        text = json.dumps(export_meeting(meeting), indent=2, ensure_ascii=False)
        if output is None:
            self.stdout.write(text)
            return
        output = Path(output)  # call_command passes the option as given, maybe a str
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        # Only when writing to a file: on standard output this line would spoil the JSON.
        self.stdout.write(self.style.SUCCESS(f"Wrote {meeting.slug} to {output}."))
