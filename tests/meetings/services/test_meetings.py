"""Saving a meeting with its rounds (meetings.services.meetings), as the secretariat's page and
the admin both do."""

import pytest
from django.http import QueryDict

from meetings.forms import MeetingForm, RoundFormSet
from meetings.models import Meeting, MeetingLog, Turn
from meetings.services.meetings import save_meeting
from tests.factories import make_panelist, make_user, meeting_form, saved_rounds

pytestmark = pytest.mark.django_db


def saved(meeting: Meeting, posted: dict, *, by=None, via=None) -> Meeting:
    data = QueryDict(mutable=True)
    data.update(posted)
    form = MeetingForm(data, instance=meeting)
    rounds = RoundFormSet(data, instance=meeting, prefix="rounds")
    assert form.is_valid() and rounds.is_valid(), (form.errors, rounds.errors)
    return save_meeting(form, rounds=rounds, by=by, via=via)


def test_a_new_meeting_is_saved_with_its_rounds_and_logged_as_created():
    user = make_user()
    meeting = saved(Meeting(), meeting_form(), by=user)
    assert list(meeting.rounds.values_list("number", "speaking_seconds")) == [(1, 420), (2, 300)]
    entry = MeetingLog.objects.get(meeting=meeting)
    assert (entry.action, entry.actor) == ("meeting.created", user)
    assert "title_en" in entry.detail["fields"]


def test_a_change_is_logged_with_the_fields_it_changed_and_where_it_came_from():
    meeting = saved(Meeting(), meeting_form())
    form = MeetingForm(instance=meeting)
    seen = form["loaded_version"].value()
    posted = meeting_form(title_en="Labour mobility", loaded_version=seen) | saved_rounds(meeting)
    saved(meeting, posted, via="admin")
    entry = MeetingLog.objects.filter(action="meeting.changed").get()
    assert entry.detail == {"fields": ["title_en"], "via": "admin"}


def test_rounds_with_the_meetings_speaking_time_follow_it_unless_typed_in_the_same_save():
    meeting = saved(Meeting(), meeting_form())
    version = MeetingForm(instance=meeting)["loaded_version"].value()
    rounds = saved_rounds(meeting)
    saved(meeting, meeting_form(speaking_seconds="480", loaded_version=version) | rounds)
    assert list(meeting.rounds.values_list("speaking_seconds", flat=True)) == [480, 300]
    version = MeetingForm(instance=meeting)["loaded_version"].value()
    typed = {**rounds, "rounds-0-speaking_seconds": "360"}
    saved(meeting, meeting_form(speaking_seconds="500", loaded_version=version) | typed)
    assert list(meeting.rounds.values_list("speaking_seconds", flat=True)) == [360, 300]


def test_a_round_added_gives_every_panelist_a_turn_in_it():
    meeting = saved(Meeting(), meeting_form())
    panelist = make_panelist(meeting)
    version = MeetingForm(instance=meeting)["loaded_version"].value()
    third = {
        "rounds-TOTAL_FORMS": "3",
        "rounds-2-id": "",
        "rounds-2-number": "3",
        "rounds-2-question_en": "And then?",
        "rounds-2-speaking_seconds": "",
    }
    saved(meeting, meeting_form(loaded_version=version) | saved_rounds(meeting) | third)
    turns = Turn.objects.filter(panelist=panelist)
    assert sorted(turns.values_list("round__number", flat=True)) == [1, 2, 3]


def test_a_meeting_saved_without_changing_its_rounds_raises_the_live_version_once():
    meeting = saved(Meeting(), meeting_form())
    version = MeetingForm(instance=meeting)["loaded_version"].value()
    before = Meeting.objects.get(pk=meeting.pk).live_version
    posted = meeting_form(warning_seconds="90", loaded_version=version) | saved_rounds(meeting)
    saved(meeting, posted)
    assert Meeting.objects.get(pk=meeting.pk).live_version == before + 1
