"""Saving a meeting with its question rounds, as the secretariat's page and the admin do.

One function for both, so that a meeting saved anywhere is saved the same way: atomic, the
rounds following the meeting's speaking time, every panelist given a turn in every round, the
agenda numbered without a gap (a round removed takes its item with it), a new meeting given its
member states' delegations, and logged with who did it.
"""

from django.db import transaction

from meetings.models import Meeting, Round
from meetings.services.agenda import close_gaps
from meetings.services.audit import log_action
from meetings.services.floor import ensure_member_delegations
from meetings.services.panel import sync_turns
from meetings.services.reminders import sync as sync_reminders


@transaction.atomic
def save_meeting(form, *, rounds=None, by, via: str | None = None) -> Meeting:
    """Save a valid meeting form and, when given, the valid formset of its rounds.

    The rounds that had the meeting's speaking time take its new one, except those whose
    own time was typed in this save; every panelist then has a turn in every round (a new
    round included); the screens follow through the signals of the rows saved
    (meetings.live.signals). Logged as "meeting.created" or "meeting.changed" with the
    fields the form changed, and `via` ("admin") where the save came from elsewhere than
    the secretariat's pages."""
    created = form.instance.pk is None
    previous_speaking_time = form.initial["speaking_seconds"]  # the stored one, or the default
    meeting = form.save()
    round_forms = []
    if rounds is not None:
        rounds.instance = meeting
        rounds.save()
        round_forms = rounds.forms
    meeting.rounds_follow_speaking_time(
        previous_speaking_time, keep=speaking_times_set_by_hand(round_forms)
    )
    sync_turns(meeting)
    close_gaps(meeting)
    if created:
        ensure_member_delegations(meeting)
    log_action(
        meeting,
        "meeting.created" if created else "meeting.changed",
        actor=by,
        fields=sorted(form.changed_data),
        **({"via": via} if via else {}),
    )
    sync_reminders(meeting, by=by)  # its deadlines, rule, status or rounds may have changed
    return meeting


@transaction.atomic
def save_round(form, *, by, via: str | None = None) -> Round:
    """Save a valid form of one round alone (the admin's round page): as on the meeting's
    page, every panelist then has a turn in it (a new round included), and it is logged as
    "round.created" or "round.changed" with its number and the fields the form changed."""
    created = form.instance.pk is None
    round_ = form.save()
    sync_turns(round_.meeting)
    close_gaps(round_.meeting)
    log_action(
        round_.meeting,
        "round.created" if created else "round.changed",
        actor=by,
        number=round_.number,
        fields=sorted(form.changed_data),
        **({"via": via} if via else {}),
    )
    sync_reminders(round_.meeting, by=by)
    return round_


def speaking_times_set_by_hand(round_forms) -> list[int]:
    """The rounds whose speaking time was just typed: they keep it when the meeting's own
    changes (Meeting.rounds_follow_speaking_time)."""
    return [form.instance.pk for form in round_forms if "speaking_seconds" in form.changed_data]
