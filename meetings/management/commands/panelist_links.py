from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.services.links import ensure_link, link_path


class Command(BaseCommand):
    help = (
        "Print one line per panelist of a meeting, tab-separated: mechanism acronym, panelist "
        "name, the path of their personal link. Panelists without a link get one."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The meeting's slug, e.g. migration-governance-2022.")

    def handle(self, *args, slug: str, **options):
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            raise CommandError(f"No meeting has the slug {slug!r}.")
        for panelist in meeting.panelists.select_related("mechanism", "meeting"):
            ensure_link(panelist)  # none yet, revoked, or made under another secret key
            name = " ".join(panelist.display_name.split())  # no tab or newline in a cell
            self.stdout.write(f"{panelist.mechanism.acronym_en}\t{name}\t{link_path(panelist)}")
