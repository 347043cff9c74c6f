from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from meetings.models import Meeting
from meetings.services.links import ensure_link, link_path


class Command(BaseCommand):
    help = (
        "Print one line per delegation of a meeting, tab-separated: its code (a state's two "
        "letters, an observer's or organisation's short code), its name, the path of its floor "
        "page. Delegations without a link get one."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The meeting's slug, e.g. migration-governance-2022.")

    def handle(self, *args, slug: str, **options):
        meeting = Meeting.objects.filter(slug=slug).first()
        if meeting is None:
            raise CommandError(f"No meeting has the slug {slug!r}.")
        with translation.override("en"):  # the names as the secretariat's records give them
            for delegation in meeting.delegations.select_related("state", "meeting"):
                ensure_link(delegation)  # none yet, revoked, or made under another secret key
                name = " ".join(delegation.display_name.split())  # no tab or newline in a cell
                self.stdout.write(f"{delegation.code}\t{name}\t{link_path(delegation)}")
