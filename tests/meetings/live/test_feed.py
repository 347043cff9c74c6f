"""The live feed from the cache (meetings.live.feed): what the screens' polls cost, and that
every committed change still reaches them."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mechanisms.models import Mechanism
from meetings.live import feed
from meetings.models import Meeting, MeetingStatus, Panelist, Round
from meetings.roles import SECRETARIAT
from meetings.services import floor, live_session, panel
from tests.factories import (
    agenda_with_a_break,
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
    state_delegation,
)

# Changes commit as in production: the feed forgets its cached state on commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting():
    meeting = make_meeting(slug="feed-meeting")
    make_panelist(meeting, make_mechanism(slug="rcm", acronym_en="RCM"), name="Ana Pérez")
    make_panelist(meeting, make_mechanism(slug="csm", acronym_en="CSM"), name="Luis Gómez")
    return before_the_session(meeting)


def poll(client, etag=None, slug="feed-meeting"):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/meetings/{slug}/live.json", headers=headers)


def test_an_unchanged_state_costs_no_database_query(client, meeting):
    etag = poll(client)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            assert poll(client, etag).status_code == 304
    assert len(queries) == 0


def test_a_screen_that_loads_the_state_afresh_costs_no_query_either(client, meeting):
    poll(client)
    with CaptureQueriesContext(connection) as queries:
        answers = [poll(client) for _ in range(5)]
    assert len(queries) == 0
    assert {answer.status_code for answer in answers} == {200}


def test_the_remaining_time_is_of_the_moment_of_each_answer(client, meeting):
    live_session.perform(meeting, "start", by=None, now=timezone.now())
    first = poll(client).json()
    time.sleep(0.25)
    second = poll(client).json()  # the same cached snapshot, a later moment
    assert second["version"] == first["version"]
    assert second["server_time"] > first["server_time"]
    assert second["remaining_seconds"] < first["remaining_seconds"]


def test_a_committed_action_reaches_the_next_poll(client, meeting):
    etag = poll(client)["ETag"]
    live_session.perform(meeting, "start", by=None)
    changed = poll(client, etag)
    assert changed.status_code == 200
    assert changed.json()["state"] == "running"
    assert changed["ETag"] != etag


def test_an_edit_of_the_panel_reaches_the_next_poll(client, meeting):
    etag = poll(client)["ETag"]
    panel.update_panelist(meeting.panelists.get(name="Ana Pérez"), by=None, name="Ana María")
    assert poll(client, etag).status_code == 200


def test_each_language_has_its_own_state_and_etag(client, meeting):
    english = poll(client)
    spanish = client.get("/meetings/feed-meeting/live.json?lang=es")
    assert english["ETag"].endswith('-en"') and spanish["ETag"].endswith('-es"')
    assert poll(client, spanish["ETag"]).status_code == 200  # an English screen is not fooled


def test_a_draft_meeting_stays_hidden_from_the_public_even_when_cached(client, meeting):
    staff = make_user(SECRETARIAT)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.DRAFT)
    client.force_login(staff)
    assert poll(client).status_code == 200  # the secretariat previews its draft
    client.logout()
    assert poll(client).status_code == 404


def test_publishing_a_draft_opens_its_feed_at_once(client, meeting):
    draft = Meeting.objects.get(pk=meeting.pk)
    draft.status = MeetingStatus.DRAFT
    draft.save()
    assert poll(client).status_code == 404
    draft.status = MeetingStatus.SCHEDULED
    draft.save()
    assert poll(client).status_code == 200


def test_an_unknown_meeting_is_404_and_not_cached(client, meeting):
    assert poll(client, slug="no-such-meeting").status_code == 404
    assert cache.get(feed.current_key("no-such-meeting")) is None


def test_a_change_the_signals_miss_reaches_the_screens_when_the_entry_expires(
    client, meeting, monkeypatch
):
    monkeypatch.setattr(feed, "CURRENT_SECONDS", 1)
    cache.clear()
    assert poll(client).json()["next_speaker"]["name"] == "Ana Pérez"
    # A rename straight in the database: no signal, no new version.
    meeting.panelists.filter(name="Ana Pérez").update(name="Ana María Pérez")
    time.sleep(1.1)
    assert poll(client).json()["next_speaker"]["name"] == "Ana María Pérez"


def test_a_mechanism_renamed_anywhere_reaches_screens_holding_the_old_etag(client, meeting):
    etag = poll(client)["ETag"]
    rcm = Mechanism.objects.get(slug="rcm")
    rcm.name_en = "Regional Conference on Migration (Puebla Process)"
    rcm.save()  # as the admin's change form does
    answer = poll(client, etag)
    assert answer.status_code == 200
    assert answer.json()["next_speaker"]["mechanism"] == rcm.name_en
    assert poll(client, answer["ETag"]).status_code == 304


def test_a_round_edited_anywhere_reaches_screens_holding_the_old_etag(client, meeting):
    etag = poll(client)["ETag"]
    first = Round.objects.get(meeting=meeting, number=1)
    first.question_en = "Which coordination works?"
    first.save()
    answer = poll(client, etag)
    assert answer.status_code == 200
    assert answer.json()["round"]["question"] == "Which coordination works?"


def test_a_panelist_renamed_or_removed_reaches_screens_holding_the_old_etag(client, meeting):
    etag = poll(client)["ETag"]
    ana = Panelist.objects.get(meeting=meeting, name="Ana Pérez")
    ana.name = "Ana María Pérez"
    ana.save()
    answer = poll(client, etag)
    assert answer.json()["next_speaker"]["name"] == "Ana María Pérez"
    ana.delete()
    answer = poll(client, answer["ETag"])
    assert answer.status_code == 200
    assert answer.json()["next_speaker"]["name"] == "Luis Gómez"


def test_a_meeting_saved_whole_reaches_the_screens_and_never_lowers_the_version(client, meeting):
    read_before = Meeting.objects.get(pk=meeting.pk)  # an admin form opened at version 0
    live_session.perform(meeting, "start", by=None)
    live_session.set_message(meeting, "Please conclude", by=None)
    etag = poll(client)["ETag"]
    read_before.warning_seconds = 90
    read_before.save()
    answer = poll(client, etag)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["warning_seconds"], body["version"]) == (90, 3)
    assert body["message"] == "Please conclude"  # the console's message is not written over


def test_with_redis_away_the_feed_reads_the_database_and_still_answers(client, meeting, settings):
    closed_port = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": closed_port,
        }
    }
    first = poll(client)
    assert first.status_code == 200
    live_session.perform(meeting, "start", by=None)
    feed.drop_process_copies()  # what a fifth of a second does
    changed = poll(client, first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["state"] == "running"


@pytest.fixture
def dialogue():
    """A meeting whose dialogue is under way (its round closed), two delegations convened."""
    meeting = make_meeting(rounds=1, slug="feed-dialogue")
    make_panelist(meeting, make_mechanism(slug="rcm-d", acronym_en="RCM"), name="Ana Pérez")
    agenda_with_a_break(meeting)
    state_delegation(meeting, "MX", "Mexico", "México")
    state_delegation(meeting, "CA", "Canada", "Canadá")
    for _ in range(2):  # the opening remarks, then round 1
        live_session.perform(meeting, "next_item", by=None)
    return meeting


def test_a_request_for_the_floor_reaches_the_next_poll_and_then_costs_nothing(client, dialogue):
    etag = poll(client, slug="feed-dialogue")["ETag"]
    floor.request_floor(dialogue.delegations.get(code="MX"))
    floor.request_floor(dialogue.delegations.get(code="CA"))
    changed = poll(client, etag, slug="feed-dialogue")
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    body = changed.json()
    assert (body["queue"], body["queue_order"]) == (2, ["MX", "CA"])
    assert body["item"]["title"] == "Dialogue with delegations"
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            assert poll(client, changed["ETag"], slug="feed-dialogue").status_code == 304
    assert len(queries) == 0


def test_each_language_has_its_own_dialogue_texts(client, dialogue):
    floor.request_floor(dialogue.delegations.get(code="MX"))
    english = poll(client, slug="feed-dialogue").json()
    spanish = client.get("/meetings/feed-dialogue/live.json?lang=es").json()
    assert english["next_speaker"]["name"] == "Delegation of Mexico"
    assert "México" in spanish["next_speaker"]["name"]
    assert spanish["item"]["title"] == "Diálogo con las delegaciones"
    assert spanish["between_items"] == {"item": 3, "title": "Diálogo con las delegaciones"}
    assert english["queue_order"] == spanish["queue_order"] == ["MX"]


def test_after_a_change_the_session_is_read_once_for_every_language_asked(client, dialogue):
    floor.request_floor(dialogue.delegations.get(code="MX"))
    with CaptureQueriesContext(connection) as first:
        english = poll(client, slug="feed-dialogue").json()
    with CaptureQueriesContext(connection) as others:
        spanish = client.get("/meetings/feed-dialogue/live.json?lang=es").json()
        french = client.get("/meetings/feed-dialogue/live.json?lang=fr").json()

    # Each language's state is built on demand, its texts its own; the turns, requests and
    # agenda are read once for all of them.
    turns_read = [q for q in first.captured_queries if 'FROM "meetings_intervention"' in q["sql"]]
    assert turns_read
    assert not [q for q in others.captured_queries if 'FROM "meetings_intervention"' in q["sql"]]
    assert english["next_speaker"]["name"] == "Delegation of Mexico"
    assert "México" in spanish["next_speaker"]["name"]
    assert french["item"]["title"] != english["item"]["title"]
    assert english["queue_order"] == spanish["queue_order"] == french["queue_order"] == ["MX"]
