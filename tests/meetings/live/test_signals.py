"""The live version is raised in one way per change (meetings.live.signals): the rows the
screens show raise it when saved anywhere, the actions on turns in the meeting's locked row;
so each action raises it exactly once."""

import pytest

from mechanisms.models import Mechanism
from meetings.models import Meeting, PanelistStatus
from meetings.services import live_session, panel
from meetings.services.links import issue_link, revoke_link
from tests.factories import make_mechanism, make_meeting, make_panelist

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
