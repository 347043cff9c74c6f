import datetime as dt

import pytest

from meetings.models import Meeting, MeetingFormat, MeetingStatus, Panelist, PanelistStatus
from meetings.services.links import link_path
from meetings.services.panel import speaking_order
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


def test_the_venue_and_the_chair_are_seeded_in_the_four_languages(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    assert meeting.venue_es == "Sede de la OEA, Washington, D.C."
    assert meeting.venue_fr == "Siège de l'OEA, Washington (D.C.)"
    assert meeting.venue_pt == "Sede da OEA, Washington, D.C."
    assert meeting.chair_es == "Presidencia de la Comisión de Asuntos Migratorios (CAM)"
    assert meeting.chair_fr == "Présidence de la Commission des questions migratoires (CAM)"
    assert meeting.chair_pt == "Presidência da Comissão de Assuntos Migratórios (CAM)"
    assert "Seeds already loaded: nothing to change." in load_seeds()


def legacy_fingerprint(meeting: Meeting) -> str:
    """The loader's fingerprint of the meeting as it wrote it before migration 0010, when the
    venue and the chair were one English column each ("venue", "chair")."""
    from mechanisms.seeding import fingerprint
    from meetings.seeds import LEGACY_COLUMNS, NEW_COLUMNS

    values = {
        LEGACY_COLUMNS.get(name, name): getattr(meeting, name)
        for name in meeting_seed_names()
        if name not in NEW_COLUMNS
    }
    return fingerprint({"slug": meeting.slug, **values})


def meeting_seed_names() -> list[str]:
    from meetings.seeds import meeting_fields

    return [*meeting_fields(), "convening_body", "concept_note_en"]


def as_before_migration_0010(venue_en: str | None = None) -> Meeting:
    """The seeded meeting as a database migrated to 0010 holds it: the new columns empty, and
    the loader's record still the fingerprint it wrote under the old column names."""
    from mechanisms.models import SeedRecord

    columns = {f"{field}_{code}": "" for field in ("venue", "chair") for code in ("es", "fr", "pt")}
    Meeting.objects.filter(slug=SLUG).update(**columns)
    meeting = Meeting.objects.get(slug=SLUG)
    SeedRecord.objects.filter(key=f"meetings.meeting:slug={SLUG}").update(
        fingerprint=legacy_fingerprint(meeting)
    )
    if venue_en is not None:  # a user's edit after that load
        Meeting.objects.filter(slug=SLUG).update(venue_en=venue_en)
    return meeting


def test_reloading_fills_the_new_languages_of_a_meeting_nobody_edited(seeded):
    as_before_migration_0010()

    output = load_seeds()

    meeting = Meeting.objects.get(slug=SLUG)
    assert meeting.venue_fr == "Siège de l'OEA, Washington (D.C.)"
    assert meeting.chair_pt == "Presidência da Comissão de Assuntos Migratórios (CAM)"
    assert "Updated 1 meetings" in output
    assert "Seeds already loaded: nothing to change." in load_seeds()


def test_reloading_keeps_a_meeting_a_user_edited_before_the_new_languages(seeded):
    as_before_migration_0010(venue_en="Online only")

    output = load_seeds()

    meeting = Meeting.objects.get(slug=SLUG)
    assert (meeting.venue_en, meeting.venue_fr, meeting.chair_es) == ("Online only", "", "")
    assert "Kept 1 meetings as users left them" in output
