"""The meetings' admin actions, as staff use them."""

import json

import pytest

from meetings.archive import SCHEMA
from meetings.models import Meeting
from tests.factories import make_meeting, make_panelist, make_user

pytestmark = pytest.mark.django_db


def run_action(client, action: str, meetings: list[Meeting]):
    return client.post(
        "/admin/meetings/meeting/",
        {"action": action, "_selected_action": [meeting.pk for meeting in meetings]},
        follow=False,
    )


def test_staff_download_one_meeting_as_an_archive(client):
    meeting = make_meeting(slug="to-archive")
    make_panelist(meeting, name="Ana Pérez")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = run_action(client, "download_archive", [meeting])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="to-archive-archive.json"'
    document = json.loads(response.content)
    assert document["schema"] == SCHEMA
    assert document["meeting"]["slug"] == "to-archive"
    assert [panelist["name"] for panelist in document["panelists"]] == ["Ana Pérez"]


def test_archiving_several_meetings_at_once_is_refused_with_a_message(client):
    meetings = [make_meeting(), make_meeting()]
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = run_action(client, "download_archive", meetings)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose exactly one meeting to archive." in page
