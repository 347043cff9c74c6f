"""The AV desk's webhooks: when a speaker's turn starts or ends, every enabled endpoint of the
meeting is sent a signed JSON message (a video mixer switches its camera scene).

A console action queues its messages (`queue_turn_events`, called by
meetings.services.live_session.perform) in its own transaction, as rows and worker tasks
(django.tasks in the same database, like the outbox): a refused or rolled back action sends
nothing, and the clock never waits for a slow endpoint. The worker (`deliver`) claims the row
under lock before it sends, so a delivery id goes out once however many tasks or workers run;
a failure (no answer within TIMEOUT seconds, an answer other than 2xx, a redirect) is tried
again after RETRY_AFTER, then the delivery is failed. Every attempt is kept, with the status
code, the error and how long it took, for the AV desk page.

Each message is signed as Stripe and GitHub sign theirs: HMAC-SHA256, with the endpoint's
secret, of "<timestamp>.<body>", sent in the X-Webhook-Signature header as "v1=<hex>" beside
X-Webhook-Timestamp (Unix seconds): the receiver checks both (README, "Control from the AV
desk").
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Hashable, Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.domain import clock
from meetings.models import (
    DeliveryStatus,
    Intervention,
    Meeting,
    Turn,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)
from meetings.services.audit import log_action

logger = logging.getLogger(__name__)

# Seconds an endpoint has to connect and answer (each step of the exchange).
TIMEOUT = 5
# The pauses before the 2nd, 3rd and 4th attempts; after the 4th, the delivery is failed.
RETRY_AFTER = (
    dt.timedelta(seconds=10),
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
)
ATTEMPTS = len(RETRY_AFTER) + 1
# The endpoints plain http may reach: a tool on the machine that runs the server.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, no secret)
# Deliveries shown per endpoint on the AV desk page.
RECENT = 10
# A turn that has spoken is one of these until it ends.
SPEAKING = (clock.TurnStatus.RUNNING, clock.TurnStatus.PAUSED)


# The endpoints -------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """An endpoint's address: https, or http to this machine only (a local tool); raises
    ValidationError otherwise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise ValidationError(_("Enter a full address, such as https://example.org/hook."))
    if parts.scheme == "https" or (parts.scheme == "http" and host in LOCAL_HOSTS):
        return url
    raise ValidationError(
        _("The address must start with https:// (http:// only for 127.0.0.1 or localhost)."),
        code="insecure",
    )


@transaction.atomic
def add_webhook(meeting: Meeting, url: str, *, by) -> tuple[Webhook, str]:
    """A new endpoint, enabled: the row, and its secret to show once."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    webhook = Webhook.objects.create(
        meeting=meeting, url=check_url(url.strip()), secret=secret, created_by=by
    )
    log_action(meeting, "webhook.added", actor=by, webhook=webhook.pk, url=webhook.url)
    return webhook, secret


@transaction.atomic
def set_enabled(webhook: Webhook, enabled: bool, *, by) -> Webhook:
    """Turn an endpoint on or off; a disabled one is sent nothing more (its deliveries still
    waiting are cancelled when their time comes). Setting it as it is changes nothing."""
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if webhook.enabled != enabled:
        webhook.enabled = enabled
        webhook.save(update_fields=["enabled"])
        action = "webhook.enabled" if enabled else "webhook.disabled"
        log_action(webhook.meeting, action, actor=by, webhook=webhook.pk, url=webhook.url)
    return webhook


@transaction.atomic
def remove_webhook(webhook: Webhook, *, by) -> None:
    """The endpoint and its deliveries go; the meeting's log keeps that it was there."""
    log_action(webhook.meeting, "webhook.removed", actor=by, webhook=webhook.pk, url=webhook.url)
    webhook.delete()


def webhooks_of(meeting: Meeting) -> list[Webhook]:
    """The meeting's endpoints, each with its RECENT last deliveries (`recent`) and their
    attempts: three queries, however many there are."""
    recent = WebhookDelivery.objects.order_by("-created_at", "-pk").prefetch_related("attempt_log")
    return list(
        meeting.webhooks.select_related("created_by").prefetch_related(
            Prefetch("deliveries", queryset=recent[:RECENT], to_attr="recent")
        )
    )


def any_waiting(listed: list[Webhook]) -> bool:
    """Whether a delivery listed is still on its way (the page then follows it)."""
    on_the_way = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
    return any(delivery.status in on_the_way for webhook in listed for delivery in webhook.recent)


# What a turn's start and end send -----------------------------------------------------------


def turn_events(
    before: clock.Session, after: clock.Session
) -> list[tuple[WebhookEvent, clock.Turn]]:
    """The turns an action ended and started, ended first: a turn starts when its clock first
    runs (Start; again after the floor was given back), and ends when it leaves the floor
    after it spoke (Next, Skip, Next item, another speaker given the floor). Pause, Resume
    and Add minute start and end nothing; a speaker skipped before speaking never started."""
    ended, started = [], []
    for old, new in zip(before.turns, after.turns, strict=True):
        if old.status in SPEAKING and new.status not in SPEAKING:
            ended.append((WebhookEvent.TURN_ENDED, new))
        elif old.status not in SPEAKING and new.status == clock.TurnStatus.RUNNING:
            started.append((WebhookEvent.TURN_STARTED, new))
    return ended + started


def iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def turn_payload(turn: Turn | Intervention, state: clock.Turn) -> dict:
    """Who speaks, for a machine: names in the site's language, codes as they are."""
    mechanism = delegation = None
    if isinstance(turn, Turn):
        kind, speaker = "panelist", turn.panelist.display_name
        mechanism = {
            "slug": turn.panelist.mechanism.slug,
            "acronym": str(turn.panelist.mechanism.acronym),
            "name": str(turn.panelist.mechanism.name),
        }
    elif turn.delegation_id is not None:
        kind, speaker = "delegation", str(turn.delegation.display_name)
        delegation = {"code": turn.delegation.code, "name": str(turn.delegation.display_name)}
    else:
        kind, speaker = "speaker", str(turn.speaker_label)
    return {
        "id": str(turn.clock_id),
        "kind": kind,
        "speaker": speaker,
        "mechanism": mechanism,
        "delegation": delegation,
        "point_of_order": state.point_of_order,
        "agenda_item": state.item,
        "speaking_seconds": round(state.allotted),
        "spent_seconds": round(state.spent_before),
        "started_at": iso(state.started_at),
        "ended_at": iso(state.ended_at),
    }


def queue_turn_events(
    meeting: Meeting,
    before: clock.Session,
    after: clock.Session,
    turns: Mapping[Hashable, Turn | Intervention],
    now: dt.datetime,
) -> list[WebhookDelivery]:
    """One delivery per enabled endpoint for each turn the action started or ended, queued
    in the action's transaction (the meeting's row is locked and its version raised)."""
    events = turn_events(before, after)
    if not events:
        return []
    webhooks = list(meeting.webhooks.filter(enabled=True))
    if not webhooks:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        described = [(event, turn_payload(turns[state.id], state)) for event, state in events]
    return [
        queue(webhook, event, {"version": meeting.live_version, "at": iso(now), "turn": turn})
        for event, turn in described
        for webhook in webhooks
    ]


def send_test(webhook: Webhook, *, by) -> WebhookDelivery:
    """A test message, sent even to a disabled endpoint: what an AV desk checks its receiver
    with before the meeting."""
    meeting = webhook.meeting
    with transaction.atomic():
        delivery = queue(
            webhook,
            WebhookEvent.TEST,
            {"version": meeting.live_version, "at": iso(timezone.now()), "turn": None},
        )
        log_action(meeting, "webhook.test", actor=by, webhook=webhook.pk, url=webhook.url)
    return delivery


def queue(webhook: Webhook, event: WebhookEvent, fields: dict) -> WebhookDelivery:
    """The delivery's row, its body written once, and its task for the worker."""
    delivery = WebhookDelivery(webhook=webhook, event=event, send_after=timezone.now())
    payload = {
        "id": str(delivery.delivery_id),
        "event": str(event),
        "meeting": webhook.meeting.slug,
        **fields,
    }
    delivery.body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    # the row and its task together; inside an action, with its transaction (no savepoint)
    with transaction.atomic(savepoint=False):
        delivery.save()
        enqueue(delivery)
    return delivery


def enqueue(delivery: WebhookDelivery) -> None:
    if delivery.send_after > timezone.now():
        send_webhook.using(run_after=delivery.send_after).enqueue(delivery.pk)
    else:
        send_webhook.enqueue(delivery.pk)


# Signing ------------------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of "<timestamp>.<body>" under the endpoint's secret, in hex."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(delivery: WebhookDelivery, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "CAM-meetings-webhook/1",
        "X-Webhook-Id": str(delivery.delivery_id),
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Timestamp": str(timestamp),
        "X-Webhook-Signature": f"v1={signature(delivery.webhook.secret, timestamp, body)}",
    }


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, tolerance: int = 300) -> bool:
    """What a receiver does (README): the signature matches, and the timestamp is recent (a
    message recorded and replayed later is refused)."""
    try:
        timestamp = int(headers["X-Webhook-Timestamp"])
    except (KeyError, TypeError, ValueError):
        return False
    expected = f"v1={signature(secret, timestamp, body)}"
    fresh = abs(time.time() - timestamp) <= tolerance
    return fresh and hmac.compare_digest(expected, headers.get("X-Webhook-Signature") or "")


# The worker's part --------------------------------------------------------------------------


@task
def send_webhook(delivery_pk: int) -> str:
    """The worker's task (`manage.py db_worker` runs it): one attempt at one delivery."""
    return deliver(delivery_pk)


def deliver(delivery_pk: int) -> str:
    """Claim the delivery, send it, keep the attempt; says what it did."""
    now = timezone.now()
    delivery, outcome = claimed(delivery_pk, now)
    if outcome:
        return outcome
    body = delivery.body.encode()
    timestamp = int(now.timestamp())
    started = time.perf_counter()
    status_code, error = post(delivery.webhook.url, body, signed_headers(delivery, timestamp, body))
    duration = round((time.perf_counter() - started) * 1000)
    attempt = WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        at=now,
        status_code=status_code,
        error=error[:2000],
        duration_ms=duration,
    )
    if attempt.succeeded:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.save(update_fields=["status", "delivered_at"])
        return "delivered"
    logger.warning("Webhook %s to %s failed: %s", delivery.delivery_id, delivery.webhook.url, error)
    if delivery.attempts < ATTEMPTS:
        delivery.status = DeliveryStatus.QUEUED
        delivery.send_after = now + RETRY_AFTER[delivery.attempts - 1]
        delivery.save(update_fields=["status", "send_after"])
        enqueue(delivery)
        return "retrying"
    delivery.status = DeliveryStatus.FAILED
    delivery.save(update_fields=["status"])
    log_action(
        delivery.webhook.meeting,
        "webhook.failed",
        webhook=delivery.webhook_id,
        url=delivery.webhook.url,
        delivery=str(delivery.delivery_id),
        event=delivery.event,
        error=error[:300],
    )
    return "failed"


def claimed(delivery_pk: int, now: dt.datetime) -> tuple[WebhookDelivery | None, str]:
    """The delivery, locked and marked as sending, its attempt counted; or why not."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook__meeting")
            .filter(pk=delivery_pk)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.QUEUED:
            return delivery, "not waiting"  # sent, failed, or claimed by another worker
        if delivery.send_after > now:
            return delivery, "not yet"
        if not delivery.webhook.enabled and delivery.event != WebhookEvent.TEST:
            delivery.status = DeliveryStatus.CANCELLED
            delivery.save(update_fields=["status"])
            return delivery, "cancelled"
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.save(update_fields=["status", "attempts"])
    return delivery, ""


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the endpoint's answer, not an address to follow: a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(KeepRedirects)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST the body; the answer's status code (None without one) and what went wrong."""
    # check_url let only https and local http in
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with OPENER.open(request, timeout=TIMEOUT) as response:
            response.read(4096)
            return response.status, ""
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, f"HTTP {answer.code} {answer.reason}"
    except Exception as problem:  # no answer: refused, timed out, a bad certificate...
        reason = getattr(problem, "reason", problem)
        return None, f"{type(problem).__name__}: {reason}"
