import datetime as dt

import pytest

from meetings.links import link_path
from meetings.models import Meeting, MeetingFormat, MeetingStatus, Panelist, PanelistStatus
from meetings.panel import speaking_order
from tests.mechanisms.test_seeds import load_seeds

pytestmark = pytest.mark.django_db

SLUG = "migration-governance-2022"


def test_the_seeded_meeting_is_the_17_may_2022_thematic_meeting(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    assert meeting.title_en.startswith("Migration governance and international and regional")
    assert meeting.title_es.startswith("Gobernanza migratoria")
    assert meeting.date == dt.date(2022, 5, 17)
    assert meeting.time_zone == "America/New_York"
    assert meeting.convening_body.slug == "cam"
    assert meeting.document_reference == "CIDRP03521E04"
    assert (meeting.status, meeting.format) == (MeetingStatus.SCHEDULED, MeetingFormat.HYBRID)
    assert "two rounds of questions" in meeting.concept_note_en
    assert (meeting.speaking_seconds, meeting.warning_seconds) == (420, 60)


def test_the_two_rounds_ask_the_notes_questions_in_both_languages(seeded):
    first, second = Meeting.objects.get(slug=SLUG).rounds.order_by("number")
    assert first.question_en.startswith("What are the main challenges and good practices")
    assert first.question_es.startswith("¿Cuáles son los principales desafíos")
    assert second.question_en.startswith("What opportunities for coordination and cooperation")
    assert second.question_es.startswith("¿Qué oportunidades de coordinación")
    assert first.speaking_seconds == second.speaking_seconds == 420


def test_a_seat_for_each_mechanism_of_the_title_but_the_cam_each_to_be_confirmed(seeded):
    seats = Panelist.objects.filter(meeting__slug=SLUG)
    assert [seat.mechanism.acronym_en for seat in seats] == [
        "RCM", "CSM", "MIRPS", "Quito Process", "R4V", "GCM", "GCR",
    ]  # fmt: skip
    assert all(seat.is_to_be_confirmed and seat.status == PanelistStatus.INVITED for seat in seats)
    assert all(link_path(seat) for seat in seats)


def test_both_rounds_have_the_seats_in_the_notes_order(seeded):
    for round_ in Meeting.objects.get(slug=SLUG).rounds.all():
        assert [turn.panelist.mechanism.slug for turn in speaking_order(round_)] == [
            "rcm", "csm", "mirps", "quito-process", "r4v", "gcm", "gcr",
        ]  # fmt: skip


def test_reloading_keeps_a_named_panelist_and_their_link(seeded):
    seat = Panelist.objects.get(meeting__slug=SLUG, mechanism__slug="rcm")
    seat.name, seat.email = "Ana Pérez", "ana@example.org"
    seat.save()
    path = link_path(seat)

    output = load_seeds()

    seat.refresh_from_db()
    assert (seat.name, link_path(seat)) == ("Ana Pérez", path)
    assert "Kept 1 panel seats as users left them" in output
