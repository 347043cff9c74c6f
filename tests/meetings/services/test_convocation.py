"""The convocation: a delegation's answer (attendance and representatives), the list of
participants, and the email that convenes it."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings.models import (
    ConfirmedAttendance,
    Delegation,
    DelegationKind,
    Email,
    EmailKind,
    MeetingFormat,
    MeetingLog,
    MeetingStatus,
    Representative,
)
from meetings.services import convocation
from meetings.services.links import link_path, revoke_link
from tests.factories import (
    LOCMEM_MAILERS,
    make_delegation,
    make_meeting,
    make_state,
    whole_agenda,
)
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

BEFORE = dt.datetime(2030, 5, 1, 12, 0, tzinfo=dt.UTC)  # the meeting is on 17 May 2030


@pytest.fixture
def meeting():
    meeting = make_meeting(
        title_en="Migration governance",
        title_es="Gobernanza migratoria",
        format=MeetingFormat.HYBRID,
        virtual_link="https://meet.example.org/cam",
        venue_en="OAS headquarters",
    )
    whole_agenda(meeting)
    return meeting


@pytest.fixture
def mexico(meeting):
    state = make_state(name_en="Mexico", name_es="México", language="es")
    return make_delegation(meeting, state)


def people(*names, head=None):
    return [
        {"name": name, "title": f"Title of {name}", "email": "", "is_head": name == head}
        for name in names
    ]


def test_a_delegation_confirms_in_the_room_with_its_representatives_in_order(mexico):
    convocation.confirm(
        mexico, "in_room", people("Ana Ruiz", "Luis Soto", head="Luis Soto"), BEFORE
    )

    mexico.refresh_from_db()
    assert mexico.confirmed_attendance == ConfirmedAttendance.IN_ROOM
    assert mexico.confirmed_at == BEFORE
    saved = list(mexico.representatives.values_list("position", "name", "is_head"))
    assert saved == [(1, "Ana Ruiz", False), (2, "Luis Soto", True)]
    entry = MeetingLog.objects.get(action="delegation.confirmed")
    assert entry.detail == {
        "delegation": mexico.code,
        "attendance": "in_room",
        "representatives": 2,
    }


def test_a_new_answer_replaces_the_last_one_whole(mexico):
    convocation.confirm(mexico, "in_room", people("Ana Ruiz", "Luis Soto"), BEFORE)
    convocation.confirm(mexico, "online", people("Eva Paz"), BEFORE)

    assert list(mexico.representatives.values_list("name", "is_head")) == [("Eva Paz", True)]


def test_the_first_representative_heads_when_none_is_marked_and_empty_rows_are_left_out(mexico):
    rows = [{"name": "", "title": "", "email": ""}, *people("Ana Ruiz", "Luis Soto")]
    convocation.confirm(mexico, "online", rows, BEFORE)

    assert list(mexico.representatives.values_list("name", "is_head")) == [
        ("Ana Ruiz", True),
        ("Luis Soto", False),
    ]


def test_a_delegation_that_will_not_attend_names_nobody(mexico):
    convocation.confirm(mexico, "in_room", people("Ana Ruiz"), BEFORE)
    convocation.confirm(mexico, "not_attending", people("Ana Ruiz"), BEFORE)

    assert not Representative.objects.filter(delegation=mexico).exists()


@pytest.mark.parametrize(
    ("rows", "attendance"),
    [
        (people("Ana Ruiz", "Luis Soto", head="Ana Ruiz") + people("Eva", head="Eva"), "in_room"),
        ([{"name": "", "title": "Minister", "email": ""}], "in_room"),
        ([{"name": "Ana", "title": "", "email": "not an address"}], "in_room"),
        ([{"name": "Ana\nRuiz", "title": "", "email": ""}], "in_room"),
        (people("Ana"), "maybe"),
    ],
    ids=["two heads", "no name", "bad email", "two lines", "unknown attendance"],
)
def test_an_answer_that_does_not_validate_is_refused_and_changes_nothing(mexico, rows, attendance):
    with pytest.raises(ValidationError):
        convocation.confirm(mexico, attendance, rows, BEFORE)

    mexico.refresh_from_db()
    assert not mexico.confirmed_attendance
    assert not mexico.representatives.exists()


@pytest.mark.parametrize("status", [MeetingStatus.IN_PROGRESS, MeetingStatus.CONCLUDED])
def test_no_answer_once_the_meeting_is_under_way_or_concluded(meeting, mexico, status):
    meeting.status = status
    meeting.save()
    with pytest.raises(ValidationError):
        convocation.confirm(mexico, "in_room", people("Ana"), BEFORE)


def test_no_answer_after_the_meeting_starts_by_the_clock(meeting, mexico):
    with pytest.raises(ValidationError):
        convocation.confirm(mexico, "in_room", people("Ana"), meeting.starts_at)


def test_the_participants_are_grouped_by_kind_with_their_answers(meeting, mexico):
    observer = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain")
    convocation.confirm(mexico, "in_room", people("Ana Ruiz"), BEFORE)

    listed = convocation.participants(meeting)

    assert [(label, [row.code for row in rows]) for label, rows in listed.groups] == [
        ("Member states", [mexico.code]),
        ("Permanent observers", [observer.code]),
    ]
    assert listed.count("in_room") == 1
    assert listed.unanswered == 1
    rows = convocation.participant_rows(meeting)
    assert rows[1][2:6] == ["Delegation of Mexico", "In the room", "Ana Ruiz", "Title of Ana Ruiz"]
    assert rows[2][2:5] == ["Delegation of Spain", "No answer", ""]


def test_a_member_state_is_convened_at_its_missions_addresses_and_its_own(mexico):
    mexico.state.addresses = "mission@example.org\n\nMission@example.org\nother@example.org"
    mexico.addresses = "extra@example.org\nother@example.org"

    assert mexico.email_addresses == [
        "mission@example.org",
        "other@example.org",
        "extra@example.org",
    ]


def test_a_delegations_language_is_its_own_else_its_states_else_english(meeting, mexico):
    assert mexico.email_language == "es"
    mexico.language = "fr"
    assert mexico.email_language == "fr"
    observer = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain")
    assert observer.email_language == "en"


def test_the_convocation_is_in_the_delegations_language_with_its_floor_link(mexico):
    email = convocation.compose(mexico)

    assert email.subject.endswith(": Gobernanza migratoria (17 de mayo de 2030)")
    assert email.text.startswith("Delegación de México\n")
    assert link_path(mexico) in email.text
    assert "https://meet.example.org/cam" in email.text
    assert "10:00" in email.text  # the meeting's own time zone
    assert "Opening remarks" in email.text
    assert link_path(mexico) in email.html
    assert b"https://meet.example.org/cam" in email.calendar
    assert translation.get_language() == "en"  # the reader's language is left as it was


def test_the_convocation_reads_in_another_language_for_the_secretariat(mexico):
    email = convocation.compose(mexico, "en")

    assert email.subject == "Convocation: Migration governance (May 17, 2030)"
    assert "the Technical Secretariat has the honour to convene your delegation" in email.text


def test_composing_changes_nothing_where_the_link_was_revoked(mexico):
    revoke_link(mexico)
    email = convocation.compose(mexico, "en")

    assert "[a new floor link, issued when this email is sent]" in email.text
    mexico.refresh_from_db()
    assert not mexico.has_link


def test_the_secretariat_sets_a_member_states_extra_addresses_and_language(mexico):
    from meetings.services.delegations import update_delegation

    update_delegation(mexico, by=None, addresses="desk@example.org", language="fr")

    mexico.refresh_from_db()
    assert (mexico.addresses, mexico.email_language) == ("desk@example.org", "fr")
    with pytest.raises(ValidationError, match="one address per line"):
        update_delegation(mexico, by=None, addresses="desk@example.org, other@example.org")


def test_a_missions_addresses_are_checked_one_per_line(mexico):
    state = mexico.state
    state.addresses = "mission@example.org\nnot an address"
    with pytest.raises(ValidationError) as refused:
        state.full_clean()
    assert "not an address" in str(refused.value)
    state.addresses = " mission@example.org \n\nsecond@example.org\n"
    state.full_clean()


# Sending -------------------------------------------------------------------------------------


def observer_with_addresses(meeting, **fields):
    return make_delegation(
        meeting,
        kind=DelegationKind.OBSERVER,
        code="ES",
        name_en="Spain",
        addresses="mission.es@example.org\ndesk.es@example.org",
        **fields,
    )


def test_convening_queues_one_email_per_address_in_each_delegations_language(meeting, mexico):
    mexico.state.addresses = "mission.mx@example.org"
    mexico.state.save()
    spain = observer_with_addresses(meeting)
    nobody = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="FR", name_en="France")

    assert convocation.convene(meeting, [mexico, spain, nobody], by=None) == 3

    emails = Email.objects.filter(kind=EmailKind.CONVOCATION).order_by("pk")
    assert [(e.delegation.code, e.to, e.language) for e in emails] == [
        (mexico.code, "mission.mx@example.org", "es"),
        ("ES", "mission.es@example.org", "en"),
        ("ES", "desk.es@example.org", "en"),
    ]
    assert {e.meeting_id for e in emails} == {meeting.pk}
    assert MeetingLog.objects.get(action="convocation.queued").detail == {"emails": 3}


def test_convening_twice_queues_nothing_more_until_the_meeting_moves(meeting):
    spain = observer_with_addresses(meeting)
    batch = uuid.uuid4()
    assert convocation.convene(meeting, [spain], by=None, batch=batch) == 2
    assert convocation.convene(meeting, [spain], by=None) == 0
    assert Email.objects.filter(kind=EmailKind.CONVOCATION, batch=batch).count() == 2

    meeting.start_time = dt.time(11, 0)
    meeting.end_time = dt.time(14, 0)
    meeting.save()  # raises calendar_sequence: the new date and time are worth a new email

    assert convocation.convene(meeting, [spain], by=None) == 2


def test_convening_issues_a_floor_link_where_it_was_revoked(meeting):
    spain = observer_with_addresses(meeting)
    revoke_link(spain)

    convocation.convene(meeting, [spain], by=None)

    spain.refresh_from_db()
    assert spain.has_link
    assert MeetingLog.objects.filter(action="delegation_link.issued").exists()


def test_the_worker_sends_the_convocation_composed_with_its_floor_link(meeting, settings):
    settings.MAILERS = LOCMEM_MAILERS
    spain = observer_with_addresses(meeting)
    convocation.convene(meeting, [spain], by=None)

    assert run_worker() == 2

    first, _second = sorted(mail.outbox, key=lambda message: message.to)
    assert first.to == ["desk.es@example.org"]
    assert first.subject == "Convocation: Migration governance (May 17, 2030)"
    assert link_path(spain) in first.body
    assert first.attachments[0][0] == "meeting.ics"
    assert Email.objects.filter(kind=EmailKind.CONVOCATION, status="sent").count() == 2


def test_a_convocation_is_cancelled_if_its_address_was_removed_before_it_went(meeting, settings):
    settings.MAILERS = LOCMEM_MAILERS
    spain = observer_with_addresses(meeting)
    convocation.convene(meeting, [spain], by=None)
    Delegation.objects.filter(pk=spain.pk).update(addresses="mission.es@example.org")

    run_worker()

    assert [message.to for message in mail.outbox] == [["mission.es@example.org"]]
    cancelled = Email.objects.get(to="desk.es@example.org")
    assert cancelled.status == "cancelled"
