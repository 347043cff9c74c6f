"""A panelist's written answers: drafts saved as they type, then submitted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.audit import log_action
from meetings.formatting import grouped
from meetings.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    AnswerStatus,
    MeetingConcluded,
    Panelist,
    Round,
)


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


@transaction.atomic
def save_draft(panelist: Panelist, round_: Round, text: str) -> Answer:
    if panelist.meeting.is_concluded:
        raise MeetingConcluded
    answer = answer_for(panelist, round_)
    answer.draft_text = check_text(text)
    answer.save(update_fields=["draft_text", "saved_at"])
    return answer


@transaction.atomic
def submit_answer(panelist: Panelist, round_: Round, text: str) -> Answer:
    if panelist.meeting.is_concluded:
        raise MeetingConcluded
    text = check_text(text)
    if not text.strip():
        raise ValidationError(_("Write your answer before submitting it."))
    answer = answer_for(panelist, round_)
    answer.draft_text = answer.submitted_text = text
    answer.status = AnswerStatus.SUBMITTED
    answer.submitted_at = timezone.now()
    answer.save()
    log_action(
        panelist.meeting,
        "answer.submitted",
        panelist=panelist,
        round=round_.number,
        characters=len(text),
    )
    return answer
