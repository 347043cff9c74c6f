"""The deadlines and the rule of reminders: typed in the secretariat's meeting form (in the
meeting's time zone), checked, shown back, and carried by the archive."""

import datetime as dt
import json
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from meetings.models import Meeting
from meetings.models.meeting import parse_reminder_days
from meetings.outputs.archive import export_meeting
from meetings.roles import SECRETARIAT
from meetings.services.archive import import_meeting
from tests.factories import make_meeting, make_user, meeting_form, saved_rounds

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("text", "days"),
    [("7,2", (7, 2)), ("2,7", (7, 2)), (" 14 , 3,1 ", (14, 3, 1)), ("60", (60,)), ("", ())],
)
def test_a_rule_names_distinct_days_from_1_to_60(text, days):
    assert parse_reminder_days(text) == days


@pytest.mark.parametrize(
    "text", ["7,,2", "7,2,", "7;2", "seven", "0", "61", "7,7", "-1", "1.5", "7 2", "١"]
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValidationError):
        parse_reminder_days(text)


def test_the_deadlines_are_typed_in_the_meetings_time_zone(client, secretary):
    response = client.post(
        "/meetings/new/",
        meeting_form(
            time_zone="Asia/Tokyo",
            confirmation_deadline="2031-03-01T17:00",
            reminder_days=" 2, 10",
            **{"rounds-0-answers_deadline": "2031-03-05T09:30"},
        ),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(slug="labour-migration")
    assert meeting.confirmation_deadline == dt.datetime(2031, 3, 1, 17, 0, tzinfo=TOKYO)
    assert meeting.reminder_days == "10,2"  # as the rule reads, earliest first
    rounds = dict(meeting.rounds.values_list("number", "answers_deadline"))
    assert rounds == {1: dt.datetime(2031, 3, 5, 9, 30, tzinfo=TOKYO), 2: None}


def test_the_form_shows_the_deadlines_as_they_were_typed(client, secretary):
    meeting = make_meeting(
        time_zone="Asia/Tokyo",
        confirmation_deadline=dt.datetime(2031, 3, 1, 17, 0, tzinfo=TOKYO),
    )
    meeting.rounds.filter(number=2).update(
        answers_deadline=dt.datetime(2031, 3, 5, 9, 30, tzinfo=TOKYO)
    )
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/edit/"))
    confirm = soup.find("input", {"name": "confirmation_deadline"})
    assert (confirm["type"], confirm["value"]) == ("datetime-local", "2031-03-01T17:00")
    assert soup.find("input", {"name": "rounds-1-answers_deadline"})["value"] == "2031-03-05T09:30"
    assert soup.find("input", {"name": "reminder_days"})["value"] == "7,2"
    assert "Asia/Tokyo" in soup.find(id="id_confirmation_deadline_helptext").get_text()


def test_saving_the_form_unchanged_reports_no_change_of_deadline(client, secretary):
    client.post("/meetings/new/", meeting_form(confirmation_deadline="2031-03-01T17:00"))
    meeting = Meeting.objects.get(slug="labour-migration")
    form = soup_of(client.get(f"/meetings/{meeting.slug}/edit/"))
    version = form.find("input", {"name": "loaded_version"})["value"]
    client.post(
        f"/meetings/{meeting.slug}/edit/",
        meeting_form(
            confirmation_deadline="2031-03-01T17:00",
            loaded_version=version,
            **saved_rounds(meeting),
        ),
    )
    changed = meeting.log.filter(action="meeting.changed").get()
    assert "confirmation_deadline" not in changed.detail["fields"]


def test_an_invalid_rule_is_refused_with_a_message(client, secretary):
    soup = soup_of(client.post("/meetings/new/", meeting_form(reminder_days="7,7")))
    assert "Name each day once." in soup.find(id="form-errors").get_text()
    assert not Meeting.objects.filter(slug="labour-migration").exists()


def test_a_deadline_that_is_no_date_is_refused(client, secretary):
    soup = soup_of(client.post("/meetings/new/", meeting_form(confirmation_deadline="soon")))
    assert soup.find(id="form-errors") is not None
    assert not Meeting.objects.filter(slug="labour-migration").exists()


def test_the_deadlines_come_back_from_the_archive():
    meeting = make_meeting(
        confirmation_deadline=dt.datetime(2030, 5, 1, 17, 0, tzinfo=NEW_YORK),
        reminder_days="10,3",
    )
    meeting.rounds.filter(number=1).update(
        answers_deadline=dt.datetime(2030, 5, 10, 12, 0, tzinfo=NEW_YORK)
    )
    document = json.loads(json.dumps(export_meeting(meeting)))
    Meeting.objects.all().delete()
    imported = import_meeting(document)
    assert imported.confirmation_deadline == dt.datetime(2030, 5, 1, 17, 0, tzinfo=NEW_YORK)
    assert imported.reminder_days == "10,3"
    assert imported.rounds.get(number=1).answers_deadline == dt.datetime(
        2030, 5, 10, 12, 0, tzinfo=NEW_YORK
    )


def test_an_archive_written_before_deadlines_imports_without_them():
    meeting = make_meeting()
    document = json.loads(json.dumps(export_meeting(meeting)))
    for name in ("confirmation_deadline", "reminder_days"):
        del document["meeting"][name]
    for row in document["rounds"]:
        del row["answers_deadline"]
    Meeting.objects.all().delete()
    imported = import_meeting(document)
    assert (imported.confirmation_deadline, imported.reminder_days) == (None, "7,2")
    assert not imported.rounds.filter(answers_deadline__isnull=False).exists()


def test_an_archived_rule_that_breaks_the_rule_is_refused():
    from meetings.services.archive import ArchiveError

    meeting = make_meeting()
    document = json.loads(json.dumps(export_meeting(meeting)))
    document["meeting"]["reminder_days"] = "7,0"
    Meeting.objects.all().delete()
    with pytest.raises(ArchiveError, match="reminder_days"):
        import_meeting(document)


def test_the_admin_takes_the_deadlines_in_the_meetings_time_zone_too(client):
    from tests.meetings.test_admin import form_data

    client.force_login(make_user(is_staff=True, is_superuser=True))
    meeting = make_meeting(time_zone="Asia/Tokyo")
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url))
    assert data["reminder_days"] == "7,2"
    data |= {
        "confirmation_deadline": "2031-03-01T17:00",
        "reminder_days": "3, 10",
        "rounds-1-answers_deadline": "2031-03-05T09:30",
    }
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.confirmation_deadline == dt.datetime(2031, 3, 1, 17, 0, tzinfo=TOKYO)
    assert meeting.reminder_days == "10,3"
    assert meeting.rounds.get(number=2).answers_deadline == dt.datetime(
        2031, 3, 5, 9, 30, tzinfo=TOKYO
    )
    shown = form_data(client.get(url))
    assert (shown["confirmation_deadline"], shown["rounds-1-answers_deadline"]) == (
        "2031-03-01T17:00",
        "2031-03-05T09:30",
    )
