import re

import pytest
from django.core.exceptions import ValidationError

from meetings.answers import save_draft, submit_answer
from meetings.models import AnswerStatus, MeetingConcluded, MeetingStatus
from tests.factories import make_meeting, make_panelist

pytestmark = pytest.mark.django_db


@pytest.fixture
def panelist():
    return make_panelist(make_meeting())


def first_round(panelist):
    return panelist.meeting.rounds.get(number=1)


def test_a_draft_is_saved_without_being_submitted(panelist):
    answer = save_draft(panelist, first_round(panelist), "Work in progress")
    assert (answer.draft_text, answer.submitted_text, answer.status) == (
        "Work in progress",
        "",
        AnswerStatus.DRAFT,
    )


def test_submitting_records_the_text_and_the_time(panelist):
    answer = submit_answer(panelist, first_round(panelist), "Final text")
    assert (answer.submitted_text, answer.status) == ("Final text", AnswerStatus.SUBMITTED)
    assert answer.submitted_at is not None


def test_editing_after_submitting_keeps_the_submitted_text_until_resubmitted(panelist):
    round_ = first_round(panelist)
    submit_answer(panelist, round_, "First version")
    answer = save_draft(panelist, round_, "Second thoughts")
    assert answer.submitted_text == "First version"
    assert answer.has_unsubmitted_changes
    answer = submit_answer(panelist, round_, "Second version")
    assert answer.submitted_text == "Second version"
    assert not answer.has_unsubmitted_changes


def test_an_answer_over_twenty_thousand_characters_is_refused(panelist):
    with pytest.raises(ValidationError, match="at most 20,000 characters; this one has 20,001"):
        save_draft(panelist, first_round(panelist), "x" * 20_001)


def test_an_empty_answer_cannot_be_submitted(panelist):
    with pytest.raises(ValidationError, match="Write your answer"):
        submit_answer(panelist, first_round(panelist), "   ")


def test_answers_close_when_the_meeting_is_concluded(panelist):
    panelist.meeting.status = MeetingStatus.CONCLUDED
    panelist.meeting.save()
    with pytest.raises(MeetingConcluded):
        save_draft(panelist, first_round(panelist), "Too late")


def test_a_panelist_cannot_answer_another_meetings_round(panelist):
    other_round = make_meeting().rounds.get(number=1)
    with pytest.raises(ValidationError):
        save_draft(panelist, other_round, "Wrong meeting")


def test_the_length_message_writes_numbers_as_the_language_does(panelist):
    from django.utils import translation

    with translation.override("pt"), pytest.raises(ValidationError, match=re.escape("20.000")):
        save_draft(panelist, first_round(panelist), "x" * 20_001)
