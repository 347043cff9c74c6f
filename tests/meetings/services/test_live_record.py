"""The secretariat's record is read once per version of what it is made of, and never stale.

Kept only in a cache that every process shares: these tests run where REDIS_URL is set (CI's
PostgreSQL and Redis run), but the last one, which checks that nothing is kept without it.
The subject is test_record's small meeting, run to the end: Ana Pérez (RCM) and Luis Gómez
(CSM) spoke.
"""

import datetime as dt
import io

import docx
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from config.common import shared_cache
from meetings.models import Meeting
from meetings.roles import SECRETARIAT
from meetings.services import live_record, publication
from meetings.services.revisions import save_text
from tests.factories import make_user
from tests.meetings.outputs.test_record import small_meeting, turn_of

# Committed for real, as in production: a record read inside a transaction is never kept.
pytestmark = pytest.mark.django_db(transaction=True)

needs_redis = pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="kept only in a shared cache: runs where REDIS_URL is set (CI's PostgreSQL run)",
)


@pytest.fixture
def clerk():
    return make_user(SECRETARIAT)


@pytest.fixture
def small(clerk):
    return small_meeting(clerk)


def read(meeting) -> tuple[dict, str]:
    """As the report page reads it: the meeting and its publication fresh from the database."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    return live_record.secretariat_record(meeting, publication.latest_publication(meeting))


def summary_of(record: dict, name: str, number: int = 1) -> str:
    (panelist,) = (person["id"] for person in record["panel"] if person["name"] == name)
    entries = record["rounds"][number - 1]["entries"]
    (entry,) = (entry for entry in entries if entry["panelist"] == panelist)
    return entry["summary"]


def coordinating(record: dict) -> list[str]:
    """Who proposed coordination in the first round."""
    names = {person["id"]: person["name"] for person in record["panel"]}
    entries = record["rounds"][0]["entries"]
    return [names[entry["panelist"]] for entry in entries if entry["coordination"]]


@needs_redis
def test_a_record_that_has_not_changed_is_read_without_a_query(small):
    first, version = read(small["meeting"])
    meeting = Meeting.objects.get(pk=small["meeting"].pk)
    with CaptureQueriesContext(connection) as queries:
        again, same = live_record.secretariat_record(meeting, None)
    assert len(queries) == 0
    assert same == version
    assert again["rounds"] == first["rounds"]
    assert again["generated_at"] >= first["generated_at"]  # when it was read, not kept


@needs_redis
def test_a_summary_saved_is_in_the_next_reading(small, clerk):
    before, version = read(small["meeting"])
    assert summary_of(before, "Ana Pérez") == "Ana: regional work."
    turn = turn_of(small["ana"], 1)
    save_text(turn, "summary", "Ana: a new summary.", base_version=turn.summary_version, by=clerk)
    after, new_version = read(small["meeting"])
    assert summary_of(after, "Ana Pérez") == "Ana: a new summary."
    assert new_version != version


@needs_redis
def test_coordination_changed_is_in_the_next_reading(small):
    assert sorted(coordinating(read(small["meeting"])[0])) == ["Ana Pérez", "Luis Gómez"]
    turn_of(small["luis"], 1).coordination.clear()  # a many-to-many change: no save of a row
    assert coordinating(read(small["meeting"])[0]) == ["Ana Pérez"]


@needs_redis
def test_a_mechanism_renamed_in_the_directory_is_in_the_next_reading(small):
    read(small["meeting"])
    rcm = small["rcm"]
    rcm.name_en = "Regional Conference on Migration (Puebla Process)"
    rcm.save()
    names = {m["slug"]: m["name"] for m in read(small["meeting"])[0]["mechanisms"]}
    assert names["rcm"] == "Regional Conference on Migration (Puebla Process)"


@needs_redis
def test_each_language_is_kept_apart(small):
    english, _ = read(small["meeting"])
    with translation.override("es"):
        spanish, _ = read(small["meeting"])
    assert english["language"] == "en" and spanish["language"] == "es"
    names = {m["slug"]: m["name"] for m in spanish["mechanisms"]}
    assert names["rcm"] == "Conferencia Regional sobre Migración"


@needs_redis
def test_a_publication_is_in_the_next_reading(small, clerk):
    assert read(small["meeting"])[0]["published_at"] is None
    publication.publish(small["meeting"], by=clerk)
    assert read(small["meeting"])[0]["published_at"] is not None


@needs_redis
def test_a_record_under_way_is_read_afresh_each_time(small):
    meeting = small["meeting"]
    started = timezone.now() - dt.timedelta(seconds=30)
    turn = turn_of(small["ana"], 2)
    turn.started_at, turn.ended_at = started, None
    turn.save(update_fields=["started_at", "ended_at"])
    first, _ = read(meeting)
    assert live_record.under_way(first)
    with CaptureQueriesContext(connection) as queries:
        read(meeting)
    assert len(queries) > 2  # built again: its time used grows with the clock


@needs_redis
def test_what_another_process_kept_before_a_write_committed_is_retired_by_the_commit(small, clerk):
    meeting = small["meeting"]
    stale, stale_version = read(meeting)
    turn = turn_of(small["ana"], 1)
    with transaction.atomic():
        save_text(
            turn, "summary", "Ana: after the commit.", base_version=turn.summary_version, by=clerk
        )
        # Another process reads now, before the commit, and keeps what it saw under the
        # token the write has just put in place.
        fresh = Meeting.objects.get(pk=meeting.pk)
        key = live_record.record_key(fresh, None, live_record.current_generation())
        shared_cache.set(key, (stale, stale_version), live_record.RECORD_SECONDS)
    assert summary_of(read(meeting)[0], "Ana Pérez") == "Ana: after the commit."


@needs_redis
def test_a_transaction_retires_the_kept_record_once_when_it_commits(small, clerk):
    turns = [turn_of(small["ana"], 1), turn_of(small["luis"], 1), turn_of(small["ana"], 2)]
    with transaction.atomic():
        for turn in turns:
            save_text(turn, "notes", "Seen.", base_version=turn.notes_version, by=clerk)
        hooks = [hook for _, hook, _ in connection.run_on_commit]
        transaction.set_rollback(True)
    assert hooks.count(live_record.replace_generation) == 1


@needs_redis
def test_a_record_read_inside_a_transaction_is_neither_kept_nor_taken_from_the_cache(small, clerk):
    meeting = small["meeting"]
    read(meeting)  # kept
    turn = turn_of(small["ana"], 1)
    with transaction.atomic():
        save_text(turn, "summary", "Ana: not yet.", base_version=turn.summary_version, by=clerk)
        assert summary_of(read(meeting)[0], "Ana Pérez") == "Ana: not yet."
        transaction.set_rollback(True)
    assert summary_of(read(meeting)[0], "Ana Pérez") == "Ana: regional work."


@needs_redis
def test_the_report_page_and_its_docx_show_a_summary_saved_through_the_form(small, clerk):
    meeting, turn = small["meeting"], turn_of(small["ana"], 1)
    staff = Client()
    staff.force_login(clerk)
    report = f"/meetings/{meeting.slug}/report/"
    for query in ("", "?format=docx"):  # kept
        assert staff.get(report + query, secure=True).status_code == 200
    posted = staff.post(
        f"/meetings/{meeting.slug}/report/turns/{turn.pk}/summary/",
        {"summary": "Ana: said through the form.", "summary_version": str(turn.summary_version)},
        secure=True,
    )
    assert posted.status_code == 302
    assert "Ana: said through the form." in staff.get(report, secure=True).text
    docx_file = docx.Document(io.BytesIO(staff.get(report + "?format=docx", secure=True).content))
    cells = [cell.text for table in docx_file.tables for row in table.rows for cell in row.cells]
    paragraphs = [paragraph.text for paragraph in docx_file.paragraphs]
    assert any("Ana: said through the form." in text for text in paragraphs + cells)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_without_a_shared_cache_the_record_is_built_on_each_reading(small):
    read(small["meeting"])
    with CaptureQueriesContext(connection) as queries:
        record, version = read(small["meeting"])
    assert len(queries) > 2
    assert summary_of(record, "Ana Pérez") == "Ana: regional work." and version
