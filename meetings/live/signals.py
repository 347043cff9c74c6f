"""What the screens show changes with more than the console: keep live.json's ETag honest.

live.json answers 304 to a screen holding the current ETag, and the ETag follows the meeting's
live version. So any change to something a screen shows (a round's question or speaking time,
a panelist's name, a mechanism's name or acronym, the meeting's warning time, an agenda item,
a remarks speaker, a delegation's attendance, a request withdrawn) must raise the
live version of every meeting showing it, wherever it is made: the admin, a form, an action,
the shell. These signals are how such edits raise it, and the only way: the actions on the
panel call nothing more.

Turns are another matter: the console's actions and the speaking order write them in bulk,
which sends no signal, so those actions raise the version themselves, in the meeting's row
they have locked (Meeting.raise_live_version, saved with update_fields naming live_version,
which these signals leave alone). So does a request for the floor (meetings.services.floor
writes it with bulk_create: a hundred arrive within a second, and one UPDATE each is what
they cost). Each change is thus raised once, by one of the two.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from config.common.conflicts import lock_parents
from mechanisms.models import Mechanism
from meetings.live.feed import forget
from meetings.models import AgendaItem, Delegation, Intervention, Meeting, Panelist, Round, Turn


def raise_live_versions(meeting_ids: Iterable[int]) -> None:
    """Raise the live version of these meetings; their screens reload live.json."""
    ids = set(meeting_ids)
    if not ids:
        return
    Meeting.objects.filter(pk__in=ids).update(live_version=F("live_version") + 1)
    for slug in Meeting.objects.filter(pk__in=ids).values_list("slug", flat=True):
        forget(slug)


def meeting_locked_first(sender, instance, raw=False, **kwargs) -> None:
    """A round or a panelist is about to be written, and then its meeting (below): inside a
    transaction the meeting's row is locked first, the order every save keeps (the forms'
    conflict check included), so two of them never hold each other's row."""
    if not raw and transaction.get_connection().in_atomic_block:
        lock_parents(instance)


# What no screen shows: a save of these alone (a personal link issued or revoked, a delegation's
# answer to the convocation) leaves the screens as they are.
UNSEEN_FIELDS = frozenset(
    {"link_salt", "link_digest", "updated_at", "confirmed_attendance", "confirmed_at"}
)
# What the actions on turns write, naming the fields, in the meeting's row they have locked
# and raise themselves (an intervention's clock, an item closed by Next item, a dialogue's list
# of speakers closed), or what no screen shows (the notes and summary).
RAISED_BY_THE_ACTIONS = UNSEEN_FIELDS | {
    *Turn.CLOCK_FIELDS,
    "closed_at",
    "accepts_requests",
    "notes",
    "notes_version",
    "summary",
    "summary_version",
}
# The rows the screens show, and the rows that the actions on turns write besides.
SHOWN = (Round, Panelist, AgendaItem, Delegation, Intervention)


def part_of_a_meeting_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A round, a panelist, an agenda item, a delegation or an intervention was saved or
    deleted."""
    if raw or (update_fields is not None and update_fields <= RAISED_BY_THE_ACTIONS):
        return
    raise_live_versions([instance.meeting_id])


def mechanism_changed(sender, instance, raw=False, **kwargs) -> None:
    """Its name or acronym shows wherever one of its panelists speaks. (A mechanism with
    panelists cannot be deleted: they protect it.)"""
    if not raw:
        raise_live_versions(
            Meeting.objects.filter(panelists__mechanism=instance).values_list("pk", flat=True)
        )


def meeting_changed(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A meeting edited outside the console (its warning time, its title) is news to the
    screens; the console's saves name live_version and have raised it already."""
    if raw or created or (update_fields is not None and "live_version" in update_fields):
        return
    raise_live_versions([instance.pk])


def connect() -> None:
    for model in SHOWN:
        pre_save.connect(meeting_locked_first, sender=model, weak=False)
        pre_delete.connect(meeting_locked_first, sender=model, weak=False)
        post_save.connect(part_of_a_meeting_changed, sender=model, weak=False)
        post_delete.connect(part_of_a_meeting_changed, sender=model, weak=False)
    post_save.connect(mechanism_changed, sender=Mechanism, weak=False)
    post_save.connect(meeting_changed, sender=Meeting, weak=False)
