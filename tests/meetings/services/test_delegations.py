"""The delegations as the secretariat keeps them: every new meeting has its member states',
observers and organisations are added (a code once per meeting), attendance is marked at
the roll call, and the floor links are issued, revoked and listed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict

from mechanisms.models import OASStatus
from meetings.forms import MeetingForm, RoundFormSet
from meetings.models import Attendance, Delegation, DelegationKind, Meeting, MeetingLog
from meetings.services import delegations
from meetings.services.links import delegation_for_token, link_token
from meetings.services.meetings import save_meeting
from tests.factories import make_delegation, make_meeting, make_state, make_user, meeting_form

pytestmark = pytest.mark.django_db


def created_meeting() -> Meeting:
    data = QueryDict(mutable=True)
    data.update(meeting_form())
    with transaction.atomic():
        form = MeetingForm(data, instance=Meeting())
        rounds = RoundFormSet(data, instance=Meeting(), prefix="rounds")
        assert form.is_valid() and rounds.is_valid(), (form.errors, rounds.errors)
        return save_meeting(form, rounds=rounds, by=None)


def test_a_new_meeting_has_a_delegation_with_a_link_for_each_member_state():
    make_state(code="MX", name_en="Mexico")
    make_state(code="CA", name_en="Canada")
    make_state(code="CU", name_en="Cuba", oas_status=OASStatus.NOT_PARTICIPATING)

    meeting = created_meeting()

    assert list(meeting.delegations.values_list("code", flat=True)) == ["CA", "MX"]
    assert all(link_token(delegation) for delegation in meeting.delegations.all())
    assert str(meeting.delegations.get(code="MX").display_name) == "Delegation of Mexico"


def test_an_observer_is_added_with_its_link_and_logged():
    meeting = make_meeting()
    user = make_user()
    spain = delegations.add_delegation(
        meeting,
        by=user,
        kind=DelegationKind.OBSERVER,
        code=" es ",
        name_en="Spain",
        name_es="España",
    )
    assert (spain.code, spain.name_es, spain.attendance) == ("ES", "España", Attendance.ABSENT)
    assert delegation_for_token(link_token(spain)) == spain
    log = MeetingLog.objects.get(action="delegation.added")
    assert (log.actor, log.detail) == (user, {"delegation": "ES", "kind": "observer"})


def test_a_code_is_once_per_meeting_and_a_name_is_needed():
    meeting = make_meeting()
    make_delegation(meeting, kind=DelegationKind.ORGANISATION, code="IOM", name_en="IOM")
    with pytest.raises(ValidationError) as refused:
        delegations.add_delegation(
            meeting, by=None, kind=DelegationKind.ORGANISATION, code="iom", name_en="Other"
        )
    assert "code" in refused.value.message_dict
    with pytest.raises(ValidationError):
        delegations.add_delegation(meeting, by=None, kind=DelegationKind.OBSERVER, code="FR")
    with pytest.raises(ValidationError):
        delegations.add_delegation(
            meeting, by=None, kind=DelegationKind.MEMBER_STATE, code="PE", name_en="Peru"
        )
    with pytest.raises(ValidationError):
        delegations.add_delegation(
            meeting, by=None, kind=DelegationKind.OBSERVER, code="X\nY", name_en="Z"
        )
    # The same code in another meeting is another delegation.
    delegations.add_delegation(
        make_meeting(), by=None, kind=DelegationKind.ORGANISATION, code="IOM", name_en="IOM"
    )
    assert Delegation.objects.filter(code="IOM").count() == 2


def test_attendance_is_marked_and_logged_once_per_change():
    delegation = make_delegation(make_meeting())
    delegations.set_attendance(delegation, Attendance.ONLINE, by=None)
    delegations.set_attendance(delegation, Attendance.ONLINE, by=None)
    delegation.refresh_from_db()
    assert delegation.is_online
    assert MeetingLog.objects.filter(action="delegation.attendance").count() == 1
    with pytest.raises(ValueError):
        delegations.set_attendance(delegation, "on the moon", by=None)


def test_a_new_link_replaces_the_old_and_a_revoked_one_opens_nothing():
    delegation = make_delegation(make_meeting())
    old = link_token(delegation)
    new = delegations.new_link(delegation, by=None)
    assert delegation_for_token(old) is None
    assert delegation_for_token(new).pk == delegation.pk
    delegations.revoke_link(delegation, by=None)
    assert delegation_for_token(new) is None
    assert link_token(Delegation.objects.get(pk=delegation.pk)) is None
    assert list(MeetingLog.objects.values_list("action", flat=True).order_by("pk")) == [
        "delegation_link.issued",
        "delegation_link.revoked",
    ]
