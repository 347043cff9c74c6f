import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import panel
from meetings.models import Answer, MeetingLog, PanelistStatus
from meetings.revisions import save_text
from tests.factories import make_meeting, make_panelist, make_user

pytestmark = pytest.mark.django_db


def order(round_) -> list[int]:
    return [turn.panelist_id for turn in panel.speaking_order(round_)]


@pytest.fixture
def meeting_with_three():
    meeting = make_meeting()
    panelists = [make_panelist(meeting) for _ in range(3)]
    return meeting, [p.pk for p in panelists]


def test_a_new_panelist_speaks_last_in_every_round(meeting_with_three):
    meeting, ids = meeting_with_three
    for round_ in meeting.rounds.all():
        assert order(round_) == ids


def test_adding_a_panelist_is_logged_with_who_did_it(meeting_with_three):
    meeting, _ = meeting_with_three
    user = make_user()
    panelist = make_panelist(meeting, mechanism=None)
    panel.update_panelist(panelist, by=user, name="Ana Pérez")
    entry = MeetingLog.objects.filter(action="panelist.changed").get()
    assert (entry.actor, entry.panelist, entry.detail) == (user, panelist, {"fields": ["name"]})


def test_removing_a_panelist_closes_the_gap_in_the_order(meeting_with_three):
    meeting, ids = meeting_with_three
    panel.remove_panelist(meeting.panelists.get(pk=ids[1]), by=None)
    round_ = meeting.rounds.first()
    assert [turn.position for turn in panel.speaking_order(round_)] == [1, 2]
    assert order(round_) == [ids[0], ids[2]]


def test_a_panelist_who_has_spoken_cannot_be_removed(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    panelist.turns.filter(round__number=1).update(started_at=timezone.now(), spent_seconds=30)
    with pytest.raises(ValidationError, match="has already spoken"):
        panel.remove_panelist(panelist, by=None)
    assert panelist.turns.count() == 2


def test_a_panelist_with_notes_in_the_record_cannot_be_removed(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    panelist.turns.filter(round__number=2).update(summary="Proposes a joint data platform.")
    with pytest.raises(ValidationError, match="Mark them as declined"):
        panel.remove_panelist(panelist, by=None)


def test_a_panelist_whose_notes_were_written_then_cleared_cannot_be_removed(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    turn = panelist.turns.first()
    save_text(turn, "notes", "Spoke of labour mobility.", base_version=0, by=None)
    turn.refresh_from_db()
    save_text(turn, "notes", "", base_version=turn.notes_version, by=None)
    with pytest.raises(ValidationError, match="Mark them as declined"):
        panel.remove_panelist(panelist, by=None)


def test_a_panelist_whose_coordination_is_marked_cannot_be_removed(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    other = meeting.panelists.get(pk=ids[1]).mechanism
    panelist.turns.first().coordination.add(other)
    with pytest.raises(ValidationError, match="Mark them as declined"):
        panel.remove_panelist(panelist, by=None)


def test_a_panelist_with_a_written_answer_cannot_be_removed(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    Answer.objects.create(panelist=panelist, round=meeting.rounds.first(), draft_text="Draft")
    with pytest.raises(ValidationError, match="has written an answer"):
        panel.remove_panelist(panelist, by=None)
    assert meeting.panelists.filter(pk=panelist.pk).exists()


def test_moving_a_speaker_up_and_down(meeting_with_three):
    meeting, ids = meeting_with_three
    round_ = meeting.rounds.first()
    panel.move_in_speaking_order(round_, ids[2], -1, by=None)
    assert order(round_) == [ids[0], ids[2], ids[1]]
    panel.move_in_speaking_order(round_, ids[0], +5, by=None)  # clamps at the end
    assert order(round_) == [ids[2], ids[1], ids[0]]


def test_setting_an_order_must_name_every_speaker_once(meeting_with_three):
    meeting, ids = meeting_with_three
    round_ = meeting.rounds.first()
    for wrong in ([ids[0], ids[1]], [ids[0], ids[0], ids[1]], [*ids, 999]):
        with pytest.raises(ValidationError):
            panel.set_speaking_order(round_, wrong, by=None)
    assert order(round_) == ids


def test_round_two_same_as_or_reverse_of_round_one(meeting_with_three):
    meeting, ids = meeting_with_three
    first, second = meeting.rounds.order_by("number")
    panel.set_speaking_order(first, [ids[1], ids[2], ids[0]], by=None)
    panel.copy_speaking_order(first, second, by=None)
    assert order(second) == [ids[1], ids[2], ids[0]]
    panel.copy_speaking_order(first, second, reverse=True, by=None)
    assert order(second) == [ids[0], ids[2], ids[1]]


def test_a_panelist_confirms_through_the_portal(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    panel.respond_to_invitation(panelist, PanelistStatus.CONFIRMED)
    panelist.refresh_from_db()
    assert panelist.status == PanelistStatus.CONFIRMED
    assert panelist.responded_at is not None
    assert MeetingLog.objects.filter(action="panelist.confirmed", panelist=panelist).exists()


def test_a_round_added_later_gets_every_panelist(meeting_with_three):
    from meetings.models import Round

    meeting, ids = meeting_with_three
    third = Round.objects.create(meeting=meeting, number=3, question_en="Three?")
    panel.sync_turns(meeting)
    assert order(third) == ids


def test_a_reply_cannot_change_once_the_meeting_is_concluded(meeting_with_three):
    from meetings.models import MeetingConcluded, MeetingStatus

    meeting, ids = meeting_with_three
    meeting.status = MeetingStatus.CONCLUDED
    meeting.save()
    with pytest.raises(MeetingConcluded):
        panel.respond_to_invitation(meeting.panelists.get(pk=ids[0]), PanelistStatus.DECLINED)
