"""The notes and summaries of a turn (a panelist's, or an intervention): saved with a
history, never overwritten unseen.

A writer saves on top of the version they loaded. If someone saved in between,
nothing is overwritten: the text is kept as a conflicting revision and the
writer is told, so both texts survive. Any revision can be compared with
another (config.common.text_diff) and restored. `write` is that rule on its own; the panelists'
answers (meetings/services/answers.py) follow it too.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction

from config.common.conflicts import lock_parents
from meetings.models import Intervention, RevisedText, TextRevision, Turn
from meetings.services.audit import log_action


class Write(StrEnum):
    UNCHANGED = "unchanged"  # the text already saved: nothing to do
    SAVE = "save"  # written on top of the current version: applied, the version raised
    CONFLICT = "conflict"  # written on top of an older version: kept aside, not applied


def write(current: str, version: int, text: str, *, base_version: int | None) -> Write:
    """What saving `text`, written on top of `base_version`, does to a text at `version`.

    The one rule for every text several people (or tabs) may edit. `base_version` None is a
    writer that did not start from a page (the application itself): it is never a conflict.
    """
    if text == current:
        return Write.UNCHANGED  # the same text: no conflict to speak of
    if base_version is not None and base_version != version:
        return Write.CONFLICT
    return Write.SAVE


# Whose notes and summary: a panelist's turn in a round, or an intervention (a remarks speaker,
# a delegation in the dialogue).
Speaker = Turn | Intervention


@dataclass(frozen=True)
class TextSaved:
    turn: Speaker  # the turn or intervention as saved
    conflict: TextRevision | None = None  # the text kept aside when someone saved first


def revision_of(speaker: Speaker, **fields) -> TextRevision:
    """A new revision of the speaker's text, pointing at a turn or an intervention."""
    owner = "intervention" if isinstance(speaker, Intervention) else "turn"
    return TextRevision.objects.create(**{owner: speaker}, **fields)


def logged_speaker(speaker: Speaker) -> dict:
    """Who the log names: the panelist of a turn, the speaker of an intervention."""
    if isinstance(speaker, Intervention):
        return {"speaker": str(speaker.speaker_label)}
    return {"panelist": speaker.panelist}


@transaction.atomic
def save_text(turn: Speaker, field: RevisedText, text: str, *, base_version: int, by) -> TextSaved:
    """Save the notes or summary of a turn or an intervention, written on top of
    `base_version`."""
    field = RevisedText(field)
    text = text.replace("\x00", "")  # no database holds NUL, and no person typed it
    lock_parents(turn)  # the meeting first, as the console's actions do, then the turn
    model = type(turn)
    related = ("delegation__state",) if model is Intervention else ("panelist",)
    turn = (
        model.objects.select_for_update(of=("self",))
        .select_related("meeting", *related)
        .get(pk=turn.pk)
    )
    user = by if by is not None and by.is_authenticated else None
    current, version = turn.text_and_version(field)
    outcome = write(current, version, text, base_version=base_version)
    if outcome == Write.CONFLICT:
        kept = revision_of(turn, field=field, text=text, saved_by=user, conflicted=True)
        log_action(turn.meeting, f"{field}.conflict", actor=by, **logged_speaker(turn))
        return TextSaved(turn, conflict=kept)
    if outcome == Write.SAVE:
        turn.replace_text(field, text)
        revision_of(turn, field=field, text=text, saved_by=user)
        log_action(
            turn.meeting,
            f"{field}.saved",
            actor=by,
            version=version + 1,
            **logged_speaker(turn),
        )
    return TextSaved(turn)


def restore(revision: TextRevision, *, by) -> TextSaved:
    """Make an earlier text current again (itself a new revision: the history only grows)."""
    speaker = revision.speaker
    return save_text(
        speaker,
        revision.field,
        revision.text,
        base_version=type(speaker).objects.get(pk=speaker.pk).text_and_version(revision.field)[1],
        by=by,
    )


def last_editor(turn: Speaker, field: RevisedText) -> TextRevision | None:
    return turn.revisions.filter(field=field, conflicted=False).select_related("saved_by").first()
