import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.forms import PanelistForm
from meetings.models import Answer, MeetingLog, PanelistStatus, Turn
from meetings.services import live_session, panel
from meetings.services.revisions import save_text
from tests.factories import make_mechanism, make_meeting, make_panelist, make_user, panelist_form

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


# Declines and substitutes -------------------------------------------------------------------


def decline(meeting, pk, reason=""):
    return panel.respond_to_invitation(
        meeting.panelists.get(pk=pk), PanelistStatus.DECLINED, reason=reason
    )


def test_a_decline_takes_the_panelist_out_of_every_rounds_live_order(meeting_with_three):
    meeting, ids = meeting_with_three
    decline(meeting, ids[1], reason=" Travelling. ")
    for round_ in meeting.rounds.all():
        assert order(round_) == [ids[0], ids[2]]
    assert set(
        Turn.objects.in_live_order().filter(meeting=meeting).values_list("panelist", flat=True)
    ) == {ids[0], ids[2]}
    assert meeting.panelists.get(pk=ids[1]).decline_reason == "Travelling."
    # Still on the panel, and their turns kept, for the secretariat's attendance.
    assert Turn.objects.filter(panelist_id=ids[1]).count() == 2


def test_the_order_can_be_set_without_who_declined(meeting_with_three):
    meeting, ids = meeting_with_three
    decline(meeting, ids[0])
    round_ = meeting.rounds.first()
    panel.set_speaking_order(round_, [ids[2], ids[1]], by=None)
    assert order(round_) == [ids[2], ids[1]]


def test_a_substitute_takes_the_same_places_in_every_round(meeting_with_three):
    meeting, ids = meeting_with_three
    first, second = meeting.rounds.order_by("number")
    panel.set_speaking_order(second, [ids[1], ids[2], ids[0]], by=None)
    declined = decline(meeting, ids[1])
    clerk = make_user()

    substitute = panel.name_substitute(declined, by=clerk, name="Eva Ruiz", email="eva@example.org")

    assert order(first) == [ids[0], substitute.pk, ids[2]]
    assert order(second) == [substitute.pk, ids[2], ids[0]]
    assert (substitute.mechanism, substitute.substitute_for) == (declined.mechanism, declined)
    assert substitute.status == PanelistStatus.INVITED and substitute.has_link
    entry = MeetingLog.objects.get(action="panelist.substitute_named")
    assert (entry.actor, entry.panelist) == (clerk, substitute)
    assert entry.detail["substitute_for"] == declined.pk
    declined.refresh_from_db()
    assert declined.substitute == substitute


def test_a_substitute_is_named_only_for_who_declined_and_only_once(meeting_with_three):
    meeting, ids = meeting_with_three
    with pytest.raises(ValidationError, match="has not declined"):
        panel.name_substitute(meeting.panelists.get(pk=ids[0]), by=None, name="Eva")
    declined = decline(meeting, ids[0])
    with pytest.raises(ValidationError):  # a name is needed
        panel.name_substitute(declined, by=None, name="  ")
    eva = panel.name_substitute(declined, by=None, name="Eva")
    with pytest.raises(ValidationError, match="already the substitute"):
        panel.name_substitute(declined, by=None, name="Rosa")
    # The substitute declines in turn: a substitute for the seat again.
    panel.respond_to_invitation(eva, PanelistStatus.DECLINED)
    rosa = panel.name_substitute(declined, by=None, name="Rosa")
    assert order(meeting.rounds.first()) == [rosa.pk, ids[1], ids[2]]


def test_a_decline_is_refused_while_the_panelist_has_the_floor_or_after_they_spoke(
    meeting_with_three,
):
    meeting, ids = meeting_with_three
    live_session.perform(meeting, "start", by=None)
    speaking = meeting.panelists.get(pk=ids[0])
    with pytest.raises(ValidationError, match="has the floor"):
        panel.respond_to_invitation(speaking, PanelistStatus.DECLINED)
    with pytest.raises(ValidationError, match="has the floor"):
        panel.update_panelist(speaking, by=None, status=PanelistStatus.DECLINED)
    live_session.perform(meeting, "next", by=None)
    with pytest.raises(ValidationError, match="already spoken"):
        panel.respond_to_invitation(speaking, PanelistStatus.DECLINED)
    speaking.refresh_from_db()
    assert speaking.status == PanelistStatus.INVITED


def test_who_declined_comes_back_only_while_no_substitute_holds_the_seat(meeting_with_three):
    meeting, ids = meeting_with_three
    declined = decline(meeting, ids[0])
    eva = panel.name_substitute(declined, by=None, name="Eva")
    with pytest.raises(ValidationError, match="is the substitute for"):
        panel.respond_to_invitation(declined, PanelistStatus.CONFIRMED)
    panel.remove_panelist(eva, by=None)
    declined.refresh_from_db()
    panel.update_panelist(declined, by=None, status=PanelistStatus.CONFIRMED)
    assert order(meeting.rounds.first()) == ids
    assert meeting.panelists.get(pk=ids[0]).decline_reason == ""


def test_a_panelist_form_saves_a_new_seat_through_add_panelist(meeting_with_three):
    meeting, ids = meeting_with_three
    mechanism = make_mechanism()
    form = PanelistForm(panelist_form(mechanism=mechanism.pk, name="Ana Pérez"))
    assert form.is_valid(), form.errors
    user = make_user()
    added = panel.save_panelist(form, meeting=meeting, by=user)
    assert order(meeting.rounds.first()) == [*ids, added.pk]
    assert added.has_link
    entry = MeetingLog.objects.filter(action="panelist.added").latest("pk")
    assert (entry.actor, entry.panelist, entry.detail["name"]) == (user, added, "Ana Pérez")


def test_a_panelist_form_saves_an_existing_seat_through_update_panelist(meeting_with_three):
    meeting, ids = meeting_with_three
    panelist = meeting.panelists.get(pk=ids[0])
    posted = {
        **panelist_form(mechanism=panelist.mechanism_id, name="Ana María Pérez"),
        "email": panelist.email,
        "preferred_language": panelist.preferred_language,
        "loaded_version": PanelistForm(instance=panelist)["loaded_version"].value(),
    }
    form = PanelistForm(posted, instance=panelist)
    assert form.is_valid(), form.errors
    panel.save_panelist(form, by=None)
    panelist.refresh_from_db()
    assert panelist.name == "Ana María Pérez"
    entry = MeetingLog.objects.get(action="panelist.changed")
    assert entry.detail == {"fields": ["name"]}
