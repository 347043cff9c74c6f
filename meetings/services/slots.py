"""What each panelist was last told of their slot, and who must be told again.

Every email sent to a panelist (invitation, reminder, updated slot) states their slot: the
meeting's date and times and, per round, their place in the order, planned time and speaking
time. The email's record keeps that slot (`Email.slot`). When the meeting moves, a
speaking time or the order changes, or someone before them declines, their slot today differs
from the one their latest email stated: they are "out of date" until they are sent an
update. Emails sent before slots were kept (slot null) tell nothing: such panelists are not
listed until their next email.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings.domain.run_of_show import RunOfShow
from meetings.models import EmailStatus, Meeting, Panelist, PanelistStatus
from meetings.outputs.run_of_show import run_of_show

Slot = dict


def slot_of(meeting: Meeting, run: RunOfShow, panelist: Panelist) -> Slot:
    """The panelist's slot as their emails state it (JSON-ready, compared as it is)."""
    zone = meeting.zone
    return {
        "date": meeting.date.isoformat(),
        "start": meeting.start_time.strftime("%H:%M"),
        "end": meeting.end_time.strftime("%H:%M"),
        "time_zone": meeting.time_zone,
        "turns": [
            {
                "round": item.round_number,
                "position": item.position,
                "time": item.starts_at.astimezone(zone).strftime("%H:%M"),
                "seconds": int(item.duration.total_seconds()),
            }
            for item in run.turns_of(panelist)
        ],
    }


# An email on its way tells the slot it was asked for with (the worker writes it as it is
# then): the panelist is not listed again while it waits.
TOLD = (EmailStatus.SENT, EmailStatus.SENDING, EmailStatus.QUEUED)


def last_told(panelist: Panelist) -> Slot | None:
    """The slot their latest email sent or on its way stated (None: never one, or before
    slots were kept; an email that states no slot, such as a reminder of a deadline, is
    passed over). Reads `panelist.emails.all()`, newest first, so a prefetch serves it."""
    for email in panelist.emails.all():
        if email.status in TOLD and email.slot is not None:
            return email.slot
    return None


@dataclass(frozen=True)
class OutdatedSlot:
    panelist: Panelist
    was: Slot
    now: Slot

    @property
    def changes(self) -> list[str]:
        """What changed, one line each, in the active language."""
        lines = []
        was, now = self.was, self.now
        if [was.get(key) for key in ("date", "start", "end", "time_zone")] != [
            now[key] for key in ("date", "start", "end", "time_zone")
        ]:
            lines.append(_("The meeting's date or time changed."))
        before = {turn["round"]: turn for turn in was.get("turns", [])}
        for turn in now["turns"]:
            old = before.get(turn["round"])
            if old == turn:
                continue
            if old is None:
                lines.append(
                    _("Round %(number)s: now position %(position)s at %(time)s.")
                    % {"number": turn["round"], "position": turn["position"], "time": turn["time"]}
                )
            else:
                lines.append(
                    _(
                        "Round %(number)s: position %(old_position)s at %(old_time)s, now "
                        "position %(position)s at %(time)s."
                    )
                    % {
                        "number": turn["round"],
                        "old_position": old["position"],
                        "old_time": old["time"],
                        "position": turn["position"],
                        "time": turn["time"],
                    }
                )
        return lines


def outdated_slots(
    meeting: Meeting,
    panelists: Iterable[Panelist] | None = None,
    run: RunOfShow | None = None,
) -> list[OutdatedSlot]:
    """The panelists who were sent a slot that is no longer theirs, and can be sent the new
    one (they have an address and have not declined), in the panel's order. Pass the panel
    with its emails prefetched (newest first) and the run of show when a page has them."""
    if meeting.is_concluded:
        return []
    if panelists is None:
        panelists = meeting.panelists.select_related("mechanism").prefetch_related("emails")
    run = run if run is not None else run_of_show(meeting)
    outdated = []
    for panelist in panelists:
        if not panelist.email or panelist.status == PanelistStatus.DECLINED:
            continue
        was = last_told(panelist)
        if was is None:
            continue
        now = slot_of(meeting, run, panelist)
        if was != now:
            outdated.append(OutdatedSlot(panelist, was, now))
    return outdated
