"""A panelist's written answers: drafts saved as they type, then submitted.

An answer may be open in two tabs or on two devices. Each save carries the version its page
started from and follows the rule of the notes and summaries (meetings/revisions.write): a
save over a newer version is refused, its text kept in the answer's history as a conflicting
edit, and the writer is shown both texts. Every text saved or submitted is kept there.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.common.formatting import grouped
from meetings.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    AnswerRevision,
    AnswerStatus,
    MeetingConcluded,
    Panelist,
    Round,
)
from meetings.services.audit import log_action
from meetings.services.reminders import sync as sync_reminders
from meetings.services.revisions import Write, write


def check_text(text: str) -> str:
    if len(text) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            _("An answer holds at most %(limit)s characters; this one has %(length)s."),
            params={"limit": grouped(ANSWER_MAX_LENGTH), "length": grouped(len(text))},
        )
    return text


def answer_for(panelist: Panelist, round_: Round) -> Answer:
    """The panelist's answer to the round, created empty the first time."""
    if round_.meeting_id != panelist.meeting_id:
        raise ValidationError(_("This round belongs to another meeting."))
    answer, _created = Answer.objects.get_or_create(panelist=panelist, round=round_)
    return answer


class AnswerConflict(Exception):
    """The answer changed since the writer's page loaded it: their text was kept aside."""

    def __init__(self, answer: Answer, kept: AnswerRevision):
        super().__init__("The answer changed since this text was started.")
        self.answer = answer  # as it is now saved
        self.kept = kept  # the writer's text, in the history, not applied


@dataclass(frozen=True)
class Written:
    answer: Answer
    conflict: AnswerRevision | None = None


def save_draft(
    panelist: Panelist, round_: Round, text: str, *, base_version: int | None = None
) -> Answer:
    """Save the draft written on top of `base_version` (None: not from a page, never a
    conflict). Raises AnswerConflict when someone saved a newer version meanwhile."""
    return raise_conflict(write_answer(panelist, round_, text, base_version, submit=False))


def submit_answer(
    panelist: Panelist, round_: Round, text: str, *, base_version: int | None = None
) -> Answer:
    """Submit the text written on top of `base_version`: it becomes the draft too."""
    text = check_text(text)
    if not text.strip():
        raise ValidationError(_("Write your answer before submitting it."))
    return raise_conflict(write_answer(panelist, round_, text, base_version, submit=True))


def raise_conflict(written: Written) -> Answer:
    # Raised once the transaction is committed: the conflicting text stays in the history.
    if written.conflict is not None:
        raise AnswerConflict(written.answer, written.conflict)
    return written.answer


@transaction.atomic
def write_answer(
    panelist: Panelist, round_: Round, text: str, base_version: int | None, *, submit: bool
) -> Written:
    if panelist.meeting.is_concluded:
        raise MeetingConcluded
    text = check_text(text)
    kind = AnswerStatus.SUBMITTED if submit else AnswerStatus.DRAFT
    answer = Answer.objects.select_for_update().get(pk=answer_for(panelist, round_).pk)
    outcome = write(answer.draft_text, answer.version, text, base_version=base_version)
    if outcome == Write.CONFLICT:
        kept = AnswerRevision.objects.create(answer=answer, kind=kind, text=text, conflicted=True)
        log_action(panelist.meeting, "answer.conflict", panelist=panelist, round=round_.number)
        return Written(answer, conflict=kept)
    if outcome == Write.SAVE:
        answer.draft_text = text
        answer.version += 1
    if submit:
        answer.submitted_text = text
        answer.status = AnswerStatus.SUBMITTED
        answer.submitted_at = timezone.now()
    answer.save()
    if outcome == Write.SAVE or submit:
        AnswerRevision.objects.create(answer=answer, kind=kind, text=text)
    if submit:
        log_action(
            panelist.meeting,
            "answer.submitted",
            panelist=panelist,
            round=round_.number,
            characters=len(text),
        )
        sync_reminders(panelist.meeting)  # no reminder of an answer submitted
    return Written(answer)
