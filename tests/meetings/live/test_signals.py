"""The live version is raised in one way per change (meetings.live.signals): the rows the
screens show raise it when saved anywhere, the actions on turns in the meeting's locked row;
so each action raises it exactly once."""

import pytest
from django.utils import timezone

from mechanisms.models import Mechanism
from meetings.models import (
    AgendaItem,
    Attendance,
    DelegationKind,
    ItemKind,
    Meeting,
    PanelistStatus,
)
from meetings.services import agenda, delegations, floor, live_session, panel
from meetings.services.links import issue_link, revoke_link
from tests.factories import (
    make_delegation,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_remarks_speaker,
    whole_agenda,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = make_meeting()
    for name in ("Ana Pérez", "Luis Gómez", "Rosa Díaz"):
        make_panelist(meeting, name=name)
    return meeting


def raised_by(meeting: Meeting, action) -> int:
    before = Meeting.objects.get(pk=meeting.pk).live_version
    action()
    return Meeting.objects.get(pk=meeting.pk).live_version - before


def panelist(meeting: Meeting, name: str = "Ana Pérez"):
    return meeting.panelists.get(name=name)


def first_round(meeting: Meeting):
    return meeting.rounds.get(number=1)


ACTIONS = {
    "add_panelist": lambda m: panel.add_panelist(m, by=None, mechanism=make_mechanism(), name="X"),
    "update_panelist": lambda m: panel.update_panelist(panelist(m), by=None, name="Ana María"),
    "decline": lambda m: panel.update_panelist(
        panelist(m), by=None, status=PanelistStatus.DECLINED
    ),
    "respond_to_invitation": lambda m: panel.respond_to_invitation(
        panelist(m), PanelistStatus.CONFIRMED
    ),
    "remove_panelist": lambda m: panel.remove_panelist(panelist(m), by=None),
    "set_speaking_order": lambda m: panel.set_speaking_order(
        first_round(m), [t.panelist_id for t in panel.speaking_order(first_round(m))][::-1], by=None
    ),
    "move_in_speaking_order": lambda m: panel.move_in_speaking_order(
        first_round(m), panelist(m).pk, 1, by=None
    ),
    "copy_speaking_order": lambda m: panel.copy_speaking_order(
        first_round(m), m.rounds.get(number=2), reverse=True, by=None
    ),
    "console start": lambda m: live_session.perform(m, "start", by=None),
    "console message": lambda m: live_session.set_message(m, "Please conclude", by=None),
    "console reorder": lambda m: live_session.reorder(
        m, first_round(m), panelist(m, "Rosa Díaz").pk, -1, by=None
    ),
}


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_each_action_raises_the_live_version_exactly_once(meeting, action):
    assert raised_by(meeting, lambda: action(meeting)) == 1


def test_naming_a_substitute_raises_the_live_version_exactly_once(meeting):
    declined = panel.update_panelist(panelist(meeting), by=None, status=PanelistStatus.DECLINED)
    assert raised_by(meeting, lambda: panel.name_substitute(declined, by=None, name="Eva")) == 1


def test_a_personal_link_issued_or_revoked_leaves_the_screens_alone(meeting):
    ana = panelist(meeting)
    assert raised_by(meeting, lambda: issue_link(ana)) == 0
    assert raised_by(meeting, lambda: revoke_link(ana)) == 0


def test_rows_edited_anywhere_raise_it_once_each(meeting):
    round_ = first_round(meeting)
    round_.question_en = "Which coordination works?"
    assert raised_by(meeting, round_.save) == 1
    mechanism = Mechanism.objects.get(pk=panelist(meeting).mechanism_id)
    mechanism.name_en = "Puebla Process"
    assert raised_by(meeting, mechanism.save) == 1
    stored = Meeting.objects.get(pk=meeting.pk)
    stored.warning_seconds = 90
    assert raised_by(meeting, stored.save) == 1


# The agenda and the delegations: the screens show the items, the speakers and who asks for the
# floor; each action raises the version once, wherever the row is saved.

AGENDA_ACTIONS = {
    "add_item": lambda m, opening, dialogue, delegation: agenda.add_item(
        m, by=None, kind=ItemKind.OTHER, title_en="Break"
    ),
    "update_item": lambda m, opening, dialogue, delegation: agenda.update_item(
        opening, by=None, title_en="Welcome"
    ),
    "move_item": lambda m, opening, dialogue, delegation: agenda.move_item(opening, 1, by=None),
    "remove_item": lambda m, opening, dialogue, delegation: agenda.remove_item(dialogue, by=None),
    "add_speaker": lambda m, opening, dialogue, delegation: agenda.add_speaker(
        opening, by=None, speaker_en="OAS official"
    ),
    "update_speaker": lambda m, opening, dialogue, delegation: agenda.update_speaker(
        opening.interventions.first(), by=None, speaker_name="Ana"
    ),
    "move_speaker": lambda m, opening, dialogue, delegation: agenda.move_speaker(
        opening.interventions.last(), -1, by=None
    ),
    "remove_speaker": lambda m, opening, dialogue, delegation: agenda.remove_speaker(
        opening.interventions.first(), by=None
    ),
    "add_delegation": lambda m, opening, dialogue, delegation: delegations.add_delegation(
        m, by=None, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain"
    ),
    "set_attendance": lambda m, opening, dialogue, delegation: delegations.set_attendance(
        delegation, Attendance.ONLINE, by=None
    ),
}


@pytest.mark.parametrize("action", AGENDA_ACTIONS.values(), ids=AGENDA_ACTIONS.keys())
def test_each_agenda_and_delegation_action_raises_the_live_version_exactly_once(meeting, action):
    opening, dialogue, _closing = whole_agenda(meeting)
    make_remarks_speaker(opening, "Secretary General")
    delegation = make_delegation(meeting)
    assert raised_by(meeting, lambda: action(meeting, opening, dialogue, delegation)) == 1


def test_a_delegations_link_issued_or_revoked_leaves_the_screens_alone(meeting):
    delegation = make_delegation(meeting)
    assert raised_by(meeting, lambda: delegations.new_link(delegation, by=None)) == 0
    assert raised_by(meeting, lambda: delegations.revoke_link(delegation, by=None)) == 0


def test_agenda_rows_edited_anywhere_raise_it_once_each(meeting):
    opening, _dialogue, _closing = whole_agenda(meeting)
    opening.title_es = "Apertura"
    assert raised_by(meeting, opening.save) == 1
    speaker = opening.interventions.first()
    speaker.speaker_name = "Ana Pérez"
    assert raised_by(meeting, speaker.save) == 1
    delegation = make_delegation(meeting)
    delegation.attendance = Attendance.IN_ROOM
    assert raised_by(meeting, delegation.save) == 1


def test_the_floors_actions_raise_it_exactly_once(meeting):
    _opening, dialogue, _closing = whole_agenda(meeting)
    delegation = make_delegation(meeting)
    AgendaItem.objects.filter(meeting=meeting, position__lt=dialogue.position).update(
        closed_at=timezone.now()
    )
    assert raised_by(meeting, lambda: floor.request_floor(delegation)) == 1
    assert raised_by(meeting, lambda: floor.withdraw_request(delegation)) == 1
    close = lambda: floor.set_list_of_speakers(meeting, dialogue, open_=False, by=None)  # noqa: E731
    assert raised_by(meeting, close) == 1
