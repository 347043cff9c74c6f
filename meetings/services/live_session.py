"""The live session in the database: one function per console action, atomic and logged.

Each action locks the meeting's row, loads its turns into a clock.Session,
applies the rule, writes back the turns that changed and raises the meeting's
live version. A console sends the version it saw: if another console acted in
between, the action is refused (StaleVersion) instead of being applied twice,
so two consoles pressing "Next speaker" at once move on by one speaker.
"""

import copy
import datetime as dt
import threading

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.common.validators import validate_one_line
from meetings.domain import clock
from meetings.models import (
    MESSAGE_MAX_LENGTH,
    AgendaItem,
    Intervention,
    Meeting,
    MeetingStatus,
    Panelist,
    QuickMessage,
    Round,
    Turn,
)
from meetings.services.audit import log_action
from meetings.services.panel import move_in_speaking_order
from meetings.services.webhooks import queue_turn_events


class StaleVersion(Exception):
    """The console acted on a state that has changed since: nothing was done."""


# The console's actions: name -> rule of clock.Session (turn_id and item as needed); the
# buttons of clock.Action, and those that name a turn or an agenda item (the console names a
# round by its number: see round_item).
ACTIONS = {
    clock.Action.START: lambda session, now, **_: session.start(now),
    clock.Action.PAUSE: lambda session, now, **_: session.pause(now),
    clock.Action.RESUME: lambda session, now, **_: session.resume(now),
    clock.Action.ADD_MINUTE: lambda session, now, **_: session.add_minute(),
    clock.Action.NEXT: lambda session, now, **_: session.next_speaker(now),
    clock.Action.SKIP: lambda session, now, turn_id=None, **_: session.skip(now, turn_id),
    "give_floor": lambda session, now, turn_id, **_: session.give_floor(now, turn_id),
    clock.Action.NEXT_ITEM: lambda session, now, **_: session.next_item(now),
    "finish_item": lambda session, now, item, **_: session.finish_item(now, item),
    "reopen_skipped": lambda session, now, item, **_: session.reopen_skipped(item),
    "reopen_item": lambda session, now, item, **_: session.reopen_item(item),
}
# The actions that name an agenda item (its position), and the console's names for those on a
# round's item, which name the round by its number.
ITEM_ACTIONS = ("finish_item", "reopen_skipped", "reopen_item")
ROUND_ACTIONS = {"finish_round": "finish_item", "reopen_round": "reopen_skipped"}

# A turn of any kind: a panelist's in a round (Turn), or an Intervention.
SpeakingTurn = Turn | Intervention


def meeting_turns(meeting: Meeting) -> list[SpeakingTurn]:
    """Every turn of the meeting in speaking order, item by item: the panelists' (without
    those who declined: Turn.objects.in_live_order) and the interventions. The session every
    action and screen works on; each is named in it by its clock_id."""
    turns = list(Turn.objects.filter(meeting=meeting).in_live_order())
    # Each round and panelist read once and shared by their turns: joined to every turn, 400
    # turns made 2,000 model instances, most of the console's time at 200 panelists.
    rounds = Round.objects.filter(meeting=meeting).select_related("agenda_item").in_bulk()
    panel = Panelist.objects.filter(meeting=meeting).select_related("mechanism").in_bulk()
    for turn in turns:
        turn.round, turn.panelist = rounds[turn.round_id], panel[turn.panelist_id]
    interventions = list(
        Intervention.objects.filter(meeting=meeting).select_related(
            "item__round", "item__meeting", "delegation__state"
        )
    )
    return sorted([*turns, *interventions], key=lambda turn: turn.place_in_order)


def meeting_agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).select_related("round"))


def session_of(turns: list[SpeakingTurn], agenda: list[AgendaItem] = ()) -> clock.Session:
    return clock.Session.of(
        [turn.to_clock() for turn in turns], [item.to_item() for item in agenda]
    )


def meeting_session(meeting: Meeting) -> tuple[list[SpeakingTurn], list[AgendaItem], clock.Session]:
    """The meeting's turns, agenda and session, as the console and the screens read them."""
    turns, agenda = meeting_turns(meeting), meeting_agenda(meeting)
    return turns, agenda, session_of(turns, agenda)


# Per process: the session each live version of a meeting was read as, for the console, which
# reads it on every request and after every action. A live version's turns and agenda never
# change (every change to them raises it), save the turns' notes and summaries, which raise
# none: whoever shows those reads them afresh (see fresh_notes).
sessions_kept: dict[tuple[int, int], tuple] = {}
keeping = threading.Lock()


def kept_session(meeting: Meeting) -> tuple[list[SpeakingTurn], list[AgendaItem], clock.Session]:
    """meeting_session as of the meeting's live version (as `meeting` was read), read once in
    this process. Its turns are shared: read them, never change them."""
    key = (meeting.pk, meeting.live_version)
    with keeping:
        found = sessions_kept.get(key)
    if found is None:
        found = meeting_session(meeting)
        with keeping:
            if len(sessions_kept) > 64:
                sessions_kept.clear()
            sessions_kept[key] = found
    return found


def fresh_notes(turn: SpeakingTurn) -> SpeakingTurn:
    """A copy of a kept turn with its notes as they are now (one query)."""
    fresh = copy.copy(turn)
    fresh.refresh_from_db(fields=["notes", "notes_version"])
    return fresh


def round_item(meeting: Meeting, round_number: int) -> int:
    """The position on the agenda of the meeting's round with this number."""
    item = AgendaItem.objects.filter(meeting=meeting, round__number=round_number).first()
    if item is None:
        raise clock.NotAllowed(f"No round {round_number} in this meeting.")
    return item.position


@transaction.atomic
def perform(
    meeting: Meeting,
    action: str,
    *,
    by,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    via: str | None = None,
    **arguments,
) -> Meeting:
    """Apply one console action; raises StaleVersion or clock.NotAllowed, changing nothing.
    `via`: the device that acted for nobody signed in (an API token's name), for the log."""
    logged_arguments = dict(arguments)
    if action in ROUND_ACTIONS:
        arguments = {"item": round_item(meeting, arguments.pop("round_number"))}
        logged_action, action = action, ROUND_ACTIONS[action]
    else:
        logged_action = action
    if action not in ACTIONS:
        raise clock.NotAllowed(f"Unknown action {action!r}.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and expected_version != meeting.live_version:
        raise StaleVersion
    if meeting.is_concluded:
        raise clock.NotAllowed("The meeting is concluded.")
    now = now or timezone.now()
    turn_list, agenda, before = meeting_session(meeting)
    turns = {turn.clock_id: turn for turn in turn_list}
    after = ACTIONS[action](before, now, **arguments)

    changed = [new for old, new in zip(before.turns, after.turns, strict=True) if old != new]
    closed = [new for old, new in zip(before.agenda(), after.agenda(), strict=True) if old != new]
    if not changed and not closed:
        raise clock.NotAllowed("Nothing to change.")
    # Whoever leaves the floor is written first: one current turn per meeting, always.
    changed.sort(key=lambda new: new.status in clock.CURRENT)
    for new in changed:
        turns[new.id].save_clock(new, before.turn(new.id))
    items = {item.position: item for item in agenda}
    for new in closed:
        items[new.number].closed_at = now if new.closed else None
        items[new.number].save(update_fields=["closed_at"])

    fields = []
    if action == "start" and meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.IN_PROGRESS
        # a form opened before the start must not save "scheduled" back unawares: a new
        # updated_at is what the conflict check compares (config/common/conflicts.py)
        fields += ["status", "updated_at"]
    meeting.raise_live_version(*fields)
    subject = turns[after.current.id] if after.current else None
    subject = subject or (turns[changed[0].id] if changed else None)
    log_action(
        meeting,
        f"clock.{logged_action}",
        actor=by,
        panelist=getattr(subject, "panelist", None),
        version=meeting.live_version,
        **({"via": via} if via else {}),
        **{key: value for key, value in logged_arguments.items() if value is not None},
        **({"speaker": str(subject.speaker_label)} if isinstance(subject, Intervention) else {}),
    )
    queue_turn_events(meeting, before, after, turns, now)
    return meeting


@transaction.atomic
def conclude(meeting: Meeting, *, by, expected_version: int | None = None) -> Meeting:
    """The chair concludes the meeting once its last turn is over: its status becomes
    Concluded everywhere (the public pages, the secretariat's list, the portal, where answers
    then stop changing), the screens show the end, and the console acts no more.

    Like every console action: on the version the console saw (StaleVersion otherwise, so two
    consoles conclude once), atomic, logged with who, and it raises the live version. Raises
    clock.NotAllowed, changing nothing, while a turn is still to be given or when the meeting
    is concluded already."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and expected_version != meeting.live_version:
        raise StaleVersion
    check_conclusion(meeting, meeting_session(meeting)[2])
    meeting.status = MeetingStatus.CONCLUDED
    meeting.message, meeting.message_key = "", ""  # nobody is left to read it
    # updated_at too: a form opened before must not save the old status back unawares
    meeting.raise_live_version("status", "message", "message_key", "updated_at")
    log_action(meeting, "clock.conclude", actor=by, version=meeting.live_version)
    return meeting


def check_conclusion(meeting: Meeting, session: clock.Session) -> None:
    """Raises clock.NotAllowed unless the meeting may be concluded now: not concluded yet,
    and its last turn is over."""
    if meeting.is_concluded:
        raise clock.NotAllowed("The meeting is concluded already.")
    if session.state != clock.SessionState.FINISHED:
        raise clock.NotAllowed("Speakers are still to be given the floor.")


def may_conclude(meeting: Meeting, session: clock.Session) -> bool:
    """Whether the console offers Conclude: exactly when conclude() would go through."""
    try:
        check_conclusion(meeting, session)
    except clock.NotAllowed:
        return False
    return True


def allowed_actions(meeting: Meeting, session: clock.Session) -> frozenset[clock.Action]:
    """The console's buttons that can act now: the clock's rules (clock.Session.acted_on), and
    none once the meeting is concluded, when perform() refuses every action."""
    return frozenset() if meeting.is_concluded else session.allowed_actions()


def check_message(text: str) -> str:
    """The message as the displays will show it; a longer one is refused, never cut."""
    text = text.replace("\x00", "").strip()
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            _("A message holds at most %(limit)s characters; this one has %(length)s."),
            params={"limit": MESSAGE_MAX_LENGTH, "length": len(text)},
        )
    validate_one_line(text)
    return text


def set_message(
    meeting: Meeting,
    text: str,
    *,
    by,
    expected_version: int | None = None,
    via: str | None = None,
) -> Meeting:
    """A message the chair typed for the speaker, shown as typed on every display; "" clears
    it (and a quick message).

    Raises ValidationError (nothing changes) for a text over the limit or not on one line,
    and StaleVersion as perform() does."""
    text = check_message(text)
    return show_message(meeting, text, "", by=by, expected_version=expected_version, via=via)


def set_quick_message(meeting: Meeting, key: str, *, by) -> Meeting:
    """One of the console's quick messages (QuickMessage: "conclude"...), stored as its key so
    that each screen shows it in its own language. Raises ValidationError for another key."""
    if key not in QuickMessage.values:
        raise ValidationError(_("This quick message does not exist."))
    return show_message(meeting, "", key, by=by)


@transaction.atomic
def show_message(
    meeting: Meeting,
    text: str,
    key: str,
    *,
    by,
    expected_version: int | None = None,
    via: str | None = None,
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if expected_version is not None and expected_version != meeting.live_version:
        raise StaleVersion
    meeting.message, meeting.message_key = text, key
    meeting.raise_live_version("message", "message_key")
    detail = {"message_key": key} if key else {"message": text}
    detail |= {"via": via} if via else {}
    log_action(meeting, "clock.message", actor=by, **detail)
    return meeting


@transaction.atomic
def reorder(meeting: Meeting, round_: Round, panelist_id: int, offset: int, *, by) -> Meeting:
    """Move a waiting speaker in the live order (the new order raises the live version, so
    the displays' "next speaker" follows)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    move_in_speaking_order(round_, panelist_id, offset, by=by)
    meeting.refresh_from_db()
    return meeting


# What every screen shows: live.json ------------------------------------------------------------
