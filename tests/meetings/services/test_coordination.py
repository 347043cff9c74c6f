"""The mechanisms an answer proposes to coordinate with, as the panelist and the secretariat
mark them (meetings.services.coordination)."""

import pytest

from meetings.models import MeetingLog
from meetings.services.coordination import panelist_ticks, propose, save_summary
from tests.factories import make_mechanism, make_meeting, make_panelist

pytestmark = pytest.mark.django_db


@pytest.fixture
def turn():
    panelist = make_panelist(make_meeting())
    return panelist.turns.get(round__number=1)


def marks(turn) -> set[int]:
    return set(turn.coordination.values_list("pk", flat=True))


def test_a_panelists_own_mechanism_is_never_marked(turn):
    other = make_mechanism()
    propose(turn, {other.pk, turn.panelist.mechanism_id})
    assert marks(turn) == {other.pk}


def test_the_panelists_ticks_change_only_what_they_ticked_or_unticked_since_their_page(turn):
    theirs, secretariats, dropped = make_mechanism(), make_mechanism(), make_mechanism()
    propose(turn, {dropped.pk})
    page_showed = {dropped.pk}
    propose(turn, {dropped.pk, secretariats.pk})  # marked meanwhile, on the record's page
    assert panelist_ticks(turn.panelist, turn.round, {theirs.pk}, seen=page_showed)
    assert marks(turn) == {theirs.pk, secretariats.pk}


def test_no_turn_in_the_round_changes_nothing(turn):
    stranger = make_panelist(make_meeting())
    assert not panelist_ticks(stranger, turn.round, {make_mechanism().pk}, seen=None)


def test_a_summary_saves_its_marks_with_it(turn):
    other = make_mechanism()
    saved = save_summary(
        turn, "Joint data.", base_version=0, chosen={other.pk}, seen=set(), by=None
    )
    assert (saved.conflict, saved.marked_meanwhile) == (None, False)
    assert (saved.turn.summary, marks(turn)) == ("Joint data.", {other.pk})
    assert MeetingLog.objects.filter(action="summary.saved").count() == 1


def test_a_summary_that_would_replace_marks_it_never_showed_applies_nothing(turn):
    ticked, mine = make_mechanism(), make_mechanism()
    propose(turn, {ticked.pk})  # the panelist ticks it after the form was opened
    saved = save_summary(turn, "Joint data.", base_version=0, chosen={mine.pk}, seen=set(), by=None)
    assert saved.marked_meanwhile
    turn.refresh_from_db()
    assert (turn.summary, marks(turn)) == ("", {ticked.pk})


def test_a_summary_in_conflict_applies_no_marks_either(turn):
    save_summary(turn, "First.", base_version=0, chosen=set(), seen=set(), by=None)
    other = make_mechanism()
    saved = save_summary(turn, "Second.", base_version=0, chosen={other.pk}, seen=set(), by=None)
    assert saved.conflict is not None
    assert marks(turn) == set()
