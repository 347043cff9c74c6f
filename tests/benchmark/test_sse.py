"""The server-sent events that `make bench` measures against polling (tests.benchmark.sse):
the state at once, then an event when the live version changes."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.core.asgi import get_asgi_application
from django.test import AsyncClient, override_settings

from meetings.live.signals import raise_live_versions
from tests.asgi import http_get
from tests.benchmark import sse
from tests.event_loop import run_async
from tests.factories import before_the_session, make_mechanism, make_meeting, make_panelist

# Changes commit as in production: the feed forgets its cached state on commit.
pytestmark = pytest.mark.django_db(transaction=True)
BENCHMARK_URLS = override_settings(ROOT_URLCONF="tests.benchmark.sse_urls")


@pytest.fixture
def meeting():
    meeting = make_meeting(slug="sse-meeting")
    make_panelist(meeting, make_mechanism(slug="rcm", acronym_en="RCM"), name="Ana Pérez")
    return before_the_session(meeting)


SCREEN = "/meetings/sse-meeting/events/"


def data_of(chunk: bytes) -> dict:
    lines = chunk.decode().splitlines()
    return json.loads(
        next(line.removeprefix("data: ") for line in lines if line.startswith("data:"))
    )


@BENCHMARK_URLS
def test_a_stream_sends_the_state_at_once_then_each_change_until_the_screen_leaves(meeting):
    async def scenario():
        request = ApplicationCommunicator(get_asgi_application(), http_get(SCREEN, b"lang=es"))
        await request.send_input({"type": "http.request", "body": b"", "more_body": False})
        start = await request.receive_output(5)
        assert start["status"] == 200
        assert dict(start["headers"])[b"Content-Type"] == b"text/event-stream"
        first = (await request.receive_output(5))["body"]
        assert first.startswith(b"retry: ")
        assert data_of(first)["version"] == 0
        assert data_of(first)["round"]["question"] == "¿Pregunta 1?"

        await sync_to_async(raise_live_versions)([meeting.pk])
        second = (await request.receive_output(5))["body"]
        assert b"id: 1\n" in second and data_of(second)["version"] == 1

        watch = sse.watches["sse-meeting"]
        await request.send_input({"type": "http.disconnect"})
        await request.wait(2)
        await asyncio.wait_for(watch.task, 1)  # no stream left: the watch stops reading

    run_async(scenario())


@BENCHMARK_URLS
def test_no_stream_for_a_meeting_the_public_cannot_see(db):
    response = run_async(AsyncClient().get("/meetings/no-such-meeting/events/"))
    assert response.status_code == 404
