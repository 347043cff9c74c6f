import re

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Answer, AnswerStatus, MeetingConcluded, MeetingStatus
from meetings.services.answers import AnswerConflict, save_draft, submit_answer
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


# Two tabs or devices: a save over a newer version is refused, and every text is kept ----------


def history_of(panelist) -> list[tuple[str, str, bool]]:
    """(kind, text, conflicted) of every revision of round 1's answer, oldest first."""
    answer = Answer.objects.get(panelist=panelist, round__number=1)
    return [
        (revision.kind, revision.text, revision.conflicted)
        for revision in answer.revisions.order_by("saved_at", "pk")
    ]


def test_every_saved_and_submitted_text_is_kept_in_the_answers_history(panelist):
    round_ = first_round(panelist)
    save_draft(panelist, round_, "First", base_version=0)
    save_draft(panelist, round_, "First", base_version=1)  # unchanged: no new revision
    submit_answer(panelist, round_, "First, then more", base_version=1)
    answer = save_draft(panelist, round_, "Second thoughts", base_version=2)

    assert answer.version == 3
    assert history_of(panelist) == [
        ("draft", "First", False),
        ("submitted", "First, then more", False),
        ("draft", "Second thoughts", False),
    ]


def test_a_draft_saved_over_a_newer_version_is_refused_and_kept(panelist):
    round_ = first_round(panelist)
    save_draft(panelist, round_, "Tab A's text", base_version=0)  # both tabs opened version 0

    with pytest.raises(AnswerConflict) as refused:
        save_draft(panelist, round_, "Tab B's text", base_version=0)

    assert refused.value.answer.draft_text == "Tab A's text"  # shown to tab B
    assert refused.value.kept.text == "Tab B's text"
    answer = Answer.objects.get(pk=refused.value.answer.pk)
    assert (answer.draft_text, answer.version) == ("Tab A's text", 1)
    assert history_of(panelist) == [
        ("draft", "Tab A's text", False),
        ("draft", "Tab B's text", True),
    ]


def test_saving_again_from_the_version_shown_keeps_the_writers_text(panelist):
    round_ = first_round(panelist)
    save_draft(panelist, round_, "Tab A's text", base_version=0)
    with pytest.raises(AnswerConflict) as refused:
        save_draft(panelist, round_, "Tab B's text", base_version=0)

    answer = save_draft(panelist, round_, "Tab B's text", base_version=refused.value.answer.version)

    assert (answer.draft_text, answer.version) == ("Tab B's text", 2)
    assert [text for _kind, text, _conflicted in history_of(panelist)] == [
        "Tab A's text",
        "Tab B's text",
        "Tab B's text",
    ]


def test_a_submission_over_a_newer_version_is_refused_and_kept(panelist):
    round_ = first_round(panelist)
    save_draft(panelist, round_, "Phone's draft", base_version=0)

    with pytest.raises(AnswerConflict):
        submit_answer(panelist, round_, "Laptop's answer", base_version=0)

    answer = Answer.objects.get(panelist=panelist, round=round_)
    assert (answer.status, answer.submitted_text) == (AnswerStatus.DRAFT, "")
    assert history_of(panelist)[-1] == ("submitted", "Laptop's answer", True)


def test_the_same_text_from_an_older_version_is_no_conflict(panelist):
    round_ = first_round(panelist)
    save_draft(panelist, round_, "Same words", base_version=0)

    answer = submit_answer(panelist, round_, "Same words", base_version=0)

    assert (answer.status, answer.submitted_text) == (AnswerStatus.SUBMITTED, "Same words")
