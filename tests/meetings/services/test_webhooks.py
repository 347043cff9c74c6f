"""The AV desk's webhooks: one signed message per enabled endpoint when a turn starts or ends,
sent by the worker to a real HTTP server once, retried after growing pauses, every attempt
kept."""

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meetings.models import (
    DeliveryStatus,
    Intervention,
    MeetingLog,
    Turn,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from meetings.services import live_session, webhooks
from tests.benchmark.outbox import finish, worker_processes
from tests.factories import (
    before_the_session,
    make_delegation,
    make_item,
    make_meeting,
    make_panelist,
    make_user,
)
from tests.meetings.test_processes import database_url
from tests.webhook_receiver import serving
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    yield from serving()


@pytest.fixture
def meeting(db):
    meeting = make_meeting(slug="camera-session")
    make_panelist(meeting, name="Ana Pérez")
    make_panelist(meeting, name="Luis Gómez")
    return before_the_session(meeting)


def act(meeting, action, **arguments):
    return live_session.perform(meeting, action, by=None, **arguments)


def events() -> list[tuple[str, str]]:
    """(event, speaker) of every delivery queued, oldest first."""
    return [
        (delivery.event, (json.loads(delivery.body)["turn"] or {}).get("speaker", ""))
        for delivery in WebhookDelivery.objects.order_by("created_at", "pk")
    ]


# Which actions start and end a turn -----------------------------------------------------------


def test_start_and_end_queue_one_delivery_per_enabled_endpoint(meeting):
    first, _secret = webhooks.add_webhook(meeting, "https://mixer.example.org/a", by=None)
    second, _secret = webhooks.add_webhook(meeting, "http://127.0.0.1:9/b", by=None)
    off, _secret = webhooks.add_webhook(meeting, "https://off.example.org/", by=None)
    webhooks.set_enabled(off, False, by=None)

    act(meeting, "start")
    assert events() == [("turn.started", "Ana Pérez")] * 2
    assert {d.webhook for d in WebhookDelivery.objects.all()} == {first, second}
    for action in ("pause", "resume", "add_minute"):
        act(meeting, action)
    assert len(events()) == 2  # the same turn goes on
    act(meeting, "next")  # Luis is current, his clock not started
    act(meeting, "start")
    act(meeting, "skip")  # Luis had spoken: his turn ends
    assert events()[2:] == [
        ("turn.ended", "Ana Pérez"),
        ("turn.ended", "Ana Pérez"),
        ("turn.started", "Luis Gómez"),
        ("turn.started", "Luis Gómez"),
        ("turn.ended", "Luis Gómez"),
        ("turn.ended", "Luis Gómez"),
    ]
    assert DBTaskResult.objects.count() == 8  # a task per delivery


def test_a_speaker_skipped_before_speaking_never_started_nor_ended(meeting):
    webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)
    act(meeting, "next")  # Ana current, not started
    act(meeting, "skip")
    assert events() == []


def test_the_floor_given_to_another_speaker_ends_one_turn_and_start_begins_the_other(meeting):
    webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)
    act(meeting, "start")
    luis = Turn.objects.get(panelist__name="Luis Gómez", round__number=1)
    act(meeting, "give_floor", turn_id=luis.pk)
    act(meeting, "start")
    assert events() == [
        ("turn.started", "Ana Pérez"),
        ("turn.ended", "Ana Pérez"),
        ("turn.started", "Luis Gómez"),
    ]


def test_an_action_refused_queues_nothing(meeting):
    webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)
    with pytest.raises(live_session.StaleVersion):
        act(meeting, "start", expected_version=41)
    with pytest.raises(RuntimeError), transaction.atomic():
        act(meeting, "start")
        raise RuntimeError("the request failed after the action")
    assert not WebhookDelivery.objects.exists() and not DBTaskResult.objects.exists()


def test_the_payload_describes_the_turn(meeting):
    webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)
    moment = dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)
    live_session.perform(meeting, "start", by=None, now=moment)
    live_session.perform(meeting, "next", by=None, now=moment + dt.timedelta(seconds=95))

    started, ended = (json.loads(d.body) for d in WebhookDelivery.objects.order_by("pk"))
    assert started["event"] == "turn.started" and ended["event"] == "turn.ended"
    assert started["meeting"] == ended["meeting"] == "camera-session"
    assert (started["version"], ended["version"]) == (1, 2)
    assert started["id"] != ended["id"]
    turn = ended["turn"]
    mechanism = Turn.objects.get(panelist__name="Ana Pérez", round__number=1).panelist.mechanism
    assert turn == {
        "id": turn["id"],
        "kind": "panelist",
        "speaker": "Ana Pérez",
        "mechanism": {
            "slug": mechanism.slug,
            "acronym": mechanism.acronym_en,
            "name": mechanism.name_en,
        },
        "delegation": None,
        "point_of_order": False,
        "agenda_item": 1,
        "speaking_seconds": started["turn"]["speaking_seconds"],
        "spent_seconds": 95,
        "started_at": "2030-05-17T14:00:00Z",
        "ended_at": "2030-05-17T14:01:35Z",
    }
    assert started["turn"]["ended_at"] is None and started["at"] == "2030-05-17T14:00:00Z"


def test_a_delegation_on_the_floor_is_named_with_its_code(meeting):
    webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)
    item = make_item(meeting, "dialogue")
    delegation = make_delegation(meeting)
    request = Intervention.objects.create(
        meeting=meeting, item=item, position=1, delegation=delegation
    )
    act(meeting, "give_floor", turn_id=request.clock_id)
    act(meeting, "start")

    turn = json.loads(WebhookDelivery.objects.get().body)["turn"]
    assert turn["kind"] == "delegation" and turn["mechanism"] is None
    assert turn["delegation"] == {"code": delegation.code, "name": turn["speaker"]}
    assert turn["speaking_seconds"] == 180


# The endpoints --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://mixer.example.org/hook", "http://127.0.0.1:8888/x", "http://localhost/scene"],
)
def test_https_or_a_local_http_address_is_accepted(url):
    assert webhooks.check_url(url) == url


@pytest.mark.parametrize(
    "url", ["http://mixer.example.org/hook", "ftp://127.0.0.1/", "https://", "127.0.0.1/x"]
)
def test_other_addresses_are_refused(url):
    with pytest.raises(ValidationError):
        webhooks.check_url(url)


def test_adding_gives_a_secret_once_and_logs_who(meeting):
    user = make_user()
    webhook, secret = webhooks.add_webhook(meeting, " https://mixer.example.org/ ", by=user)
    assert secret.startswith("whsec_") and len(secret) == 49 and webhook.secret == secret
    assert webhook.url == "https://mixer.example.org/" and webhook.enabled
    webhooks.set_enabled(webhook, False, by=user)
    webhooks.set_enabled(webhook, False, by=user)
    webhooks.remove_webhook(webhook, by=user)
    assert list(
        MeetingLog.objects.filter(action__startswith="webhook.")
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("webhook.added", user.pk),
        ("webhook.disabled", user.pk),
        ("webhook.removed", user.pk),
    ]


# Delivery ---------------------------------------------------------------------------------------


def test_the_worker_sends_a_signed_message_a_receiver_can_verify(meeting, receiver):
    _webhook, secret = webhooks.add_webhook(meeting, receiver.url, by=None)
    act(meeting, "start")

    assert run_worker() == 1

    [message] = receiver.received
    delivery = WebhookDelivery.objects.get()
    assert message.path == "/hook"
    assert message.body == delivery.body.encode()
    assert json.loads(message.body)["id"] == message.headers["X-Webhook-Id"]
    assert message.headers["X-Webhook-Id"] == str(delivery.delivery_id)
    assert message.headers["X-Webhook-Event"] == "turn.started"
    assert message.headers["Content-Type"] == "application/json; charset=utf-8"
    assert webhooks.verify(secret, message.headers, message.body)
    assert not webhooks.verify("whsec_another", message.headers, message.body)
    assert not webhooks.verify(secret, message.headers, message.body.replace(b"Ana", b"Eve"))
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    [attempt] = delivery.attempt_log.all()
    assert (attempt.status_code, attempt.error, attempt.number) == (200, "", 1)
    assert attempt.duration_ms >= 0


def readme_verifier():
    """The README's snippet that checks a signature, as a receiver would paste it."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    [snippet] = re.findall(r"```python\n(import hashlib, hmac, time\n.*?)```", readme, re.S)
    namespace = {}
    exec(snippet, namespace)  # noqa: S102 (our own README)
    return namespace["verified"]


def test_the_readmes_snippet_verifies_what_was_received(meeting, receiver):
    webhook, secret = webhooks.add_webhook(meeting, receiver.url, by=None)
    webhooks.send_test(webhook, by=None)
    run_worker()
    verified = readme_verifier()

    [message] = receiver.received
    assert json.loads(message.body)["event"] == "test"
    assert verified(secret, message.headers, message.body)
    assert not verified("whsec_another", message.headers, message.body)
    assert not verified(secret, message.headers, message.body + b" ")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert not verified(secret, message.headers, message.body)


def test_an_old_timestamp_is_refused_by_verify(meeting, receiver):
    webhook, secret = webhooks.add_webhook(meeting, receiver.url, by=None)
    webhooks.send_test(webhook, by=None)
    run_worker()
    [message] = receiver.received
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        assert not webhooks.verify(secret, message.headers, message.body)


def test_failures_are_retried_after_10_s_1_min_5_min_then_failed(meeting, receiver):
    receiver.answers = [500, 503, 404, 502]
    webhooks.add_webhook(meeting, receiver.url, by=None)
    act(meeting, "start")

    settle()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 4)
    attempts = list(delivery.attempt_log.all())
    assert [attempt.status_code for attempt in attempts] == [500, 503, 404, 502]
    assert attempts[0].error == "HTTP 500 Internal Server Error"
    pauses = [(later.at - earlier.at) for earlier, later in itertools.pairwise(attempts)]
    assert pauses == [dt.timedelta(seconds=10), dt.timedelta(minutes=1), dt.timedelta(minutes=5)]
    # the same message each time, under a new timestamp
    assert len({message.body for message in receiver.received}) == 1
    assert MeetingLog.objects.filter(action="webhook.failed").count() == 1


def test_a_failure_then_an_answer_is_delivered_once(meeting, receiver):
    receiver.answers = [503]
    webhooks.add_webhook(meeting, receiver.url, by=None)
    act(meeting, "start")

    assert run_worker() == 1  # the first attempt; the retry waits for its time
    assert WebhookDelivery.objects.get().status == DeliveryStatus.QUEUED
    settle()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert len(receiver.received) == 2
    assert not MeetingLog.objects.filter(action="webhook.failed").exists()


def test_a_delivery_goes_out_once_however_many_tasks_run_it(meeting, receiver):
    webhooks.add_webhook(meeting, receiver.url, by=None)
    act(meeting, "start")
    delivery = WebhookDelivery.objects.get()
    webhooks.send_webhook.enqueue(delivery.pk)  # a duplicate task

    assert run_worker() == 2
    assert webhooks.deliver(delivery.pk) == "not waiting"

    assert len(receiver.received) == 1
    assert WebhookAttempt.objects.count() == 1


def test_a_redirect_is_a_failure_not_followed(meeting, receiver):
    receiver.answers = [302]
    webhooks.add_webhook(meeting, receiver.url, by=None)
    act(meeting, "start")

    run_worker()

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 302 and not attempt.succeeded
    assert len(receiver.received) == 1


def test_no_answer_is_logged_with_its_error(meeting, receiver, monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT", 0.2)
    receiver.delay = 1.0
    webhooks.add_webhook(meeting, receiver.url, by=None)
    webhooks.add_webhook(meeting, "http://127.0.0.1:9/closed", by=None)
    act(meeting, "start")

    run_worker()

    slow, closed = WebhookAttempt.objects.order_by("delivery__webhook__pk")
    assert slow.status_code is None and "timed out" in slow.error
    assert 150 <= slow.duration_ms < 1000
    assert closed.status_code is None and "refused" in closed.error.lower()
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"queued"}


def test_a_disabled_endpoint_is_sent_nothing_more_but_a_test(meeting, receiver):
    webhook, _secret = webhooks.add_webhook(meeting, receiver.url, by=None)
    act(meeting, "start")
    webhooks.set_enabled(webhook, False, by=None)
    webhooks.send_test(webhook, by=None)

    run_worker()

    statuses = dict(WebhookDelivery.objects.values_list("event", "status"))
    assert statuses == {
        WebhookEvent.TURN_STARTED: DeliveryStatus.CANCELLED,
        WebhookEvent.TEST: DeliveryStatus.DELIVERED,
    }
    assert len(receiver.received) == 1


def test_the_page_reads_each_endpoint_with_its_last_deliveries_in_three_queries(
    meeting, django_assert_num_queries
):
    for name in "abc":
        webhook, _secret = webhooks.add_webhook(meeting, f"https://{name}.example.org/", by=None)
        for _ in range(webhooks.RECENT + 2):
            webhooks.send_test(webhook, by=None)

    with django_assert_num_queries(3):
        listed = webhooks.webhooks_of(meeting)
        assert [len(webhook.recent) for webhook in listed] == [webhooks.RECENT] * 3
        assert all(list(delivery.attempt_log.all()) == [] for delivery in listed[0].recent)


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_send_each_delivery_once(receiver):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test's database on PostgreSQL (CI's run)")
    meeting = make_meeting(slug="many-turns")
    for number in range(10):
        make_panelist(meeting, name=f"Speaker {number}")
    meeting = before_the_session(meeting)
    webhooks.add_webhook(meeting, receiver.url, by=None)
    webhooks.add_webhook(meeting, receiver.url.replace("/hook", "/other"), by=None)
    for _ in range(10):  # ten turns started and ended, two endpoints: 40 deliveries
        act(meeting, "start")
        act(meeting, "next")
    for delivery in WebhookDelivery.objects.all()[:10]:  # asked for twice by a stale task
        webhooks.send_webhook.enqueue(delivery.pk)

    environment = {"DATABASE_URL": database_url(), "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
    finish(worker_processes(environment, 2), timeout=300)

    deliveries = WebhookDelivery.objects.count()
    assert deliveries == 40
    assert WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == deliveries
    ids = [message.headers["X-Webhook-Id"] for message in receiver.received]
    assert len(ids) == len(set(ids)) == deliveries


def queries_of_a_start(meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        act(meeting, "start")
    act(meeting, "next")
    return len(queries)


def test_each_endpoint_costs_a_console_action_two_inserts(meeting):
    """The endpoints are read once; each delivery is its row and its task, in the action's
    transaction, without a savepoint. An action that starts and ends nothing reads nothing."""
    alone = queries_of_a_start(meeting)
    for name in "abc":
        webhooks.add_webhook(meeting, f"https://{name}.example.org/", by=None)

    assert queries_of_a_start(meeting) == alone + 3 * 2
    act(meeting, "start")
    with CaptureQueriesContext(connection) as queries:
        act(meeting, "pause")
    assert not any("webhook" in query["sql"] for query in queries.captured_queries)
