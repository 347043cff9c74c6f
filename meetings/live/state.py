"""The live state every screen shows (live.json, the displays, the speaker views, the console):
computed once per change of the meeting from its turns and the speaking clock, the passing of
time left to the moment each screen asks (Snapshot.as_of)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from meetings.domain import clock
from meetings.models import Intervention, Meeting, Turn
from meetings.services.live_session import meeting_session


@dataclass(frozen=True)
class Snapshot:
    """The live state without the passing of time: what a screen needs, computed once per
    change of the meeting, and the current turn's clock to derive the remaining time at the
    moment of each answer."""

    fields: dict
    clock: clock.Turn | None
    allotted: float

    @property
    def version(self) -> int:
        return self.fields["version"]

    def as_of(self, now: dt.datetime) -> dict:
        remaining = self.clock.remaining(now) if self.clock else self.allotted
        return {
            **self.fields,
            "server_time": now.astimezone(dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "remaining_seconds": round(remaining, 1),
        }


def live_snapshot(meeting: Meeting) -> Snapshot:
    """The live state of live.json (its keys in README, "Live feed"), texts in the active
    language, time aside."""
    turns, agenda, session = meeting_session(meeting)
    by_id = {turn.clock_id: turn for turn in turns}
    current, following = session.current, session.shown_as_next_speaker()
    state = session.state
    concluded = meeting.is_concluded
    if concluded:  # the end, whatever the turns say (set by hand), with no message left
        current, following, state = None, None, clock.SessionState.FINISHED
    shown = current or following  # between rounds: the round and turn that Start begins
    round_ = getattr(by_id[shown.id], "round", None) if shown else None
    coming = next((item for item in agenda if item.position == session.between_items), None)
    allotted = shown.allotted if shown else 0.0
    fields = {
        "meeting": meeting.slug,
        "version": meeting.live_version,
        "state": state.value,
        "round": {
            "number": round_.number,
            "question": round_.question,
            "speaking_seconds": round_.speaking_seconds,
        }
        if round_
        else None,
        "speaker": speaker_of(by_id[current.id]) if current else None,
        "allotted_seconds": round(allotted),
        "next_speaker": speaker_of(by_id[following.id]) if following else None,
        # Beyond the keys every screen reads: what the displays also show.
        "warning_seconds": meeting.warning_seconds,
        # The message in the language asked for (a quick one translated, a typed one as
        # typed), and the quick message's key (QuickMessage) for screens that say it their way.
        "message": None if concluded else meeting.message_text or None,
        "message_key": None if concluded else meeting.message_key or None,
        # Between two rounds: the round that comes (its question and first speaker are
        # `round` and `next_speaker`).
        "between_rounds": {"round": coming.round.number}
        if coming is not None and coming.round_id and state != clock.SessionState.FINISHED
        else None,
    }
    return Snapshot(fields, current, allotted)


def live_state(meeting: Meeting, *, now: dt.datetime | None = None) -> dict:
    """The live state as live.json gives it, texts in the active language."""
    return live_snapshot(meeting).as_of(now or timezone.now())


def speaker_of(turn: Turn | Intervention) -> dict:
    if isinstance(turn, Intervention):
        delegation = turn.delegation
        return {
            "name": turn.speaker_label,
            "mechanism": None,
            "acronym": None,
            "delegation": delegation.code if delegation else None,
            "point_of_order": turn.point_of_order,
        }
    panelist = turn.panelist
    return {
        "name": panelist.display_name,
        "mechanism": panelist.mechanism.name,
        "acronym": panelist.mechanism.acronym,
        "id": panelist.pk,
    }
