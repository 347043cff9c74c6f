"""python manage.py import_meeting FILE: rebuild a meeting from an export_meeting archive."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.services.archive import ArchiveError, import_meeting, links_to_reissue


class Command(BaseCommand):
    help = (
        "Rebuild a meeting from a JSON archive written by export_meeting (into an empty "
        "database, or one with other meetings); refuses a slug that exists already."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive (UTF-8 JSON); - reads standard input.")

    def handle(self, *args, file: str, **options):
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text.") from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not JSON: {error}.") from None
        except RecursionError:
            raise CommandError(f"{file} nests too deeply to be a meeting archive.") from None
        if not isinstance(document, dict):
            raise CommandError(f"{file} is not a meeting archive (no JSON object).")
        try:
            meeting = import_meeting(document)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {meeting.slug}: {meeting.title_en}."))
        for panelist in links_to_reissue(meeting):
            self.stderr.write(
                self.style.WARNING(
                    f"{panelist.display_name} ({panelist.mechanism.acronym_en}): the link "
                    "already sent still works, but cannot be shown again; issue a new one "
                    "to send it again."
                )
            )
