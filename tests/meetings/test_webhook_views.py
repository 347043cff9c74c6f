"""The AV desk's webhooks on the secretariat's AV desk API page: added (the secret shown
once), tested, disabled, removed; what was sent listed with its status; a console action
through the API queues a delivery the worker sends to a real local server."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from meetings.models import DeliveryStatus, MeetingLog, Webhook, WebhookDelivery
from meetings.roles import SECRETARIAT
from meetings.services import api_tokens, webhooks
from tests.factories import before_the_session, make_meeting, make_panelist, make_user
from tests.webhook_receiver import serving
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

PAGE = "/meetings/camera-meeting/api/"


@pytest.fixture
def receiver():
    yield from serving()


@pytest.fixture
def meeting():
    meeting = make_meeting(slug="camera-meeting")
    make_panelist(meeting, name="Ana Pérez")
    return before_the_session(meeting)


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_an_endpoint_added_shows_its_secret_once(meeting, secretary, client):
    response = client.post(f"{PAGE}webhooks/add/", {"url": "https://mixer.example.org/cam"})

    assert response.status_code == 200
    webhook = Webhook.objects.get()
    secret = soup(response).select_one("#new-webhook-secret").get_text(strip=True)
    assert secret == webhook.secret and webhook.created_by == secretary
    assert "no-store" in response["Cache-Control"]
    page = client.get(PAGE)
    assert secret not in page.content.decode()
    assert "https://mixer.example.org/cam" in soup(page).select_one(".webhook-url").get_text()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://mixer.example.org/cam", "must start with https://"),
        ("not an address", "Enter a valid URL"),
        ("", "This field is required"),
    ],
)
def test_an_address_refused_is_said_and_nothing_is_added(meeting, secretary, client, url, problem):
    response = client.post(f"{PAGE}webhooks/add/", {"url": url})

    assert response.status_code == 200
    assert problem in soup(response).select_one("#add-webhook").get_text()
    assert not Webhook.objects.exists()


def test_a_local_tool_may_listen_on_plain_http(meeting, secretary, client):
    client.post(f"{PAGE}webhooks/add/", {"url": "http://127.0.0.1:8000/scene"})
    assert Webhook.objects.get().url == "http://127.0.0.1:8000/scene"


def test_send_a_test_event_and_see_its_delivery(meeting, secretary, client, receiver):
    webhook, secret = webhooks.add_webhook(meeting, receiver.url, by=secretary)

    response = client.post(f"{PAGE}webhooks/test/", {"webhook": webhook.pk})
    assert response.status_code == 302 and response["Location"].endswith(f"#webhook-{webhook.pk}")
    run_worker()

    [message] = receiver.received
    assert webhooks.verify(secret, message.headers, message.body)
    row = soup(client.get(PAGE)).select_one(f"#webhook-{webhook.pk} .webhook-delivery")
    assert row["data-status"] == "delivered"
    assert "test" in row.get_text() and "200" in row.get_text()
    assert MeetingLog.objects.filter(action="webhook.test", actor=secretary).exists()


def test_a_failed_attempt_shows_its_answer(meeting, secretary, client, receiver):
    receiver.answers = [500]
    webhook, _secret = webhooks.add_webhook(meeting, receiver.url, by=secretary)
    client.post(f"{PAGE}webhooks/test/", {"webhook": webhook.pk})
    run_worker()

    row = soup(client.get(PAGE)).select_one(".webhook-delivery")
    assert row["data-status"] == "queued"  # to be tried again
    assert "HTTP 500 Internal Server Error" in row.get_text()


def test_disable_enable_and_remove(meeting, secretary, client):
    webhook, _secret = webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)

    client.post(f"{PAGE}webhooks/enable/", {"webhook": webhook.pk, "enabled": "0"})
    webhook.refresh_from_db()
    assert not webhook.enabled
    assert "Disabled" in soup(client.get(PAGE)).select_one(".webhook").get_text()
    client.post(f"{PAGE}webhooks/enable/", {"webhook": webhook.pk, "enabled": "1"})
    webhook.refresh_from_db()
    assert webhook.enabled

    response = client.post(f"{PAGE}webhooks/remove/", {"webhook": webhook.pk}, follow=True)
    assert not Webhook.objects.exists()
    assert "is removed" in response.content.decode()


def test_another_meetings_webhook_is_not_found(meeting, secretary, client):
    other = make_meeting(slug="other-meeting")
    webhook, _secret = webhooks.add_webhook(other, "https://mixer.example.org/", by=None)

    for action in ("test", "remove"):
        response = client.post(f"{PAGE}webhooks/{action}/", {"webhook": webhook.pk})
        assert response.status_code == 404
    assert Webhook.objects.filter(pk=webhook.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_a_start_through_the_api_reaches_the_endpoint(meeting, receiver):
    webhook, secret = webhooks.add_webhook(meeting, receiver.url, by=None)
    token = api_tokens.create_token(meeting, "Stream Deck", by=None)[1]

    response = Client().post(
        "/api/meetings/camera-meeting/actions/start/", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert run_worker() == 1

    [message] = receiver.received
    assert webhooks.verify(secret, message.headers, message.body)
    payload = json.loads(message.body)
    assert (payload["event"], payload["turn"]["speaker"]) == ("turn.started", "Ana Pérez")
    assert payload["version"] == response.json()["version"]
    assert WebhookDelivery.objects.get(webhook=webhook).status == DeliveryStatus.DELIVERED


def test_the_list_follows_a_delivery_on_its_way_and_then_stops(meeting, secretary, client):
    webhook, _secret = webhooks.add_webhook(meeting, "https://mixer.example.org/", by=None)
    page = soup(client.get(PAGE))
    assert page.select_one("main").has_attr("data-hx-disable")  # nothing on its way: no htmx
    assert not page.select_one("#webhook-list").has_attr("data-hx-get")

    delivery = webhooks.send_test(webhook, by=None)
    page = soup(client.get(PAGE))
    assert not page.select_one("main").has_attr("data-hx-disable")
    assert page.select_one("#webhook-list")["data-hx-get"] == PAGE
    assert page.select_one(".webhook-url").has_attr("data-hx-disable")  # typed: never htmx

    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DELIVERED)
    page = soup(client.get(PAGE))
    assert page.select_one("main").has_attr("data-hx-disable")
    assert not page.select_one("#webhook-list").has_attr("data-hx-get")
