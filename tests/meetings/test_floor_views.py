"""A delegation's floor page at /floor/<token>/: the link, asking for the floor, withdrawing,
points of order, the language."""

import threading

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.common.throttle import TOKEN_MISSES
from meetings.models import (
    Attendance,
    Intervention,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    TurnStatus,
)
from meetings.services import floor, live_session
from meetings.services.links import issue_link, link_path, revoke_link
from tests.factories import (
    before_the_session,
    make_delegation,
    make_meeting,
    make_panelist,
    make_state,
    whole_agenda,
)

pytestmark = pytest.mark.django_db

NEVER_ISSUED = "/floor/" + "x" * 43 + "/"


@pytest.fixture
def meeting():
    meeting = make_meeting(title_en="Migration governance", title_es="Gobernanza migratoria")
    make_panelist(meeting)
    whole_agenda(meeting)
    return before_the_session(meeting)


@pytest.fixture
def mexico(meeting):
    return make_delegation(meeting, make_state(name_en="Mexico", name_es="México"))


@pytest.fixture
def canada(meeting):
    return make_delegation(meeting, make_state(name_en="Canada", name_es="Canadá"))


def to_the_dialogue(meeting):
    """Opening remarks and both rounds closed: the dialogue is under way."""
    for _ in range(3):
        live_session.perform(meeting, "next_item", by=None)


def act_url(delegation) -> str:
    return f"{link_path(delegation)}act/"


def act(client, delegation, action: str, **extra):
    return client.post(act_url(delegation), {"action": action}, **extra)


def htmx(client, delegation, action: str):
    return act(client, delegation, action, headers={"HX-Request": "true"})


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response) -> list[str]:
    return [alert.get_text(strip=True) for alert in soup_of(response).select(".messages .alert")]


def button_names(response) -> list[str]:
    return [button.get_text(strip=True) for button in soup_of(response).select("main button")]


def waiting(delegation) -> list[Intervention]:
    return list(Intervention.objects.filter(delegation=delegation, status=TurnStatus.PENDING))


# The link --------------------------------------------------------------------------------


def test_a_delegations_link_opens_its_floor_page(client, meeting, mexico):
    response = client.get(link_path(mexico))

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.get_text() == "Migration governance"
    assert soup.select_one(".floor-delegation").get_text() == "Delegation of Mexico"
    assert soup.select_one("[role=timer]").get_text() == "5:00"  # the opening remarks' time
    assert button_names(response)[-2:] == ["Request the floor", "Point of order"]


def test_unknown_token_is_404(client, mexico):
    assert client.get(NEVER_ISSUED).status_code == 404
    assert client.post(f"{NEVER_ISSUED}act/", {"action": "request"}).status_code == 404


def test_revoked_token_is_404(client, mexico):
    path = link_path(mexico)
    revoke_link(mexico)

    assert client.get(path).status_code == 404
    assert client.post(f"{path}act/", {"action": "request"}).status_code == 404
    assert not waiting(mexico)


def test_a_reissued_link_replaces_the_old_one(client, mexico):
    old_path = link_path(mexico)
    issue_link(mexico)

    assert client.get(old_path).status_code == 404
    assert client.get(link_path(mexico)).status_code == 200


def test_a_panelists_token_opens_no_floor_page(client, meeting):
    panelist = meeting.panelists.first()
    token = link_path(panelist).removeprefix("/respond/")

    assert client.get(f"/floor/{token}").status_code == 404


def test_too_many_misses_from_one_address_refuse_even_a_valid_link(client, mexico):
    misses = [client.get(NEVER_ISSUED).status_code for _ in range(TOKEN_MISSES.limit)]

    response = client.get(link_path(mexico))

    assert misses == [404] * TOKEN_MISSES.limit
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert act(client, mexico, "request").status_code == 429
    assert not waiting(mexico)


def test_misses_from_one_address_do_not_refuse_another(client, mexico):
    for _ in range(TOKEN_MISSES.limit):
        client.get(NEVER_ISSUED)

    assert client.get(link_path(mexico), REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda client, delegation: client.get(link_path(delegation)), id="page"),
        pytest.param(lambda client, delegation: act(client, delegation, "request"), id="post"),
        pytest.param(lambda client, delegation: htmx(client, delegation, "request"), id="htmx"),
    ],
)
def test_floor_responses_are_neither_cached_nor_indexed(client, mexico, send):
    response = send(client, mexico)

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "private"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_post_without_the_csrf_token_is_refused(meeting, mexico):
    to_the_dialogue(meeting)
    client = Client(enforce_csrf_checks=True)

    assert act(client, mexico, "request").status_code == 403
    assert not waiting(mexico)


@pytest.mark.parametrize("data", [{}, {"action": "everything"}])
def test_a_request_our_page_never_sends_changes_nothing(client, meeting, mexico, data):
    to_the_dialogue(meeting)

    assert client.post(act_url(mexico), data).status_code == 400
    assert not waiting(mexico)


# Asking for the floor ----------------------------------------------------------------------


def test_the_delegation_asks_for_the_floor_in_the_dialogue(client, meeting, mexico, canada):
    to_the_dialogue(meeting)
    floor.request_floor(canada)

    response = act(client, mexico, "request", follow=True)

    assert response.redirect_chain == [(link_path(mexico), 302)]
    assert messages_of(response) == ["Your request for the floor is in the queue."]
    assert soup_of(response).select_one("[data-floor-place]").get_text() == (
        "Your place in the queue: 2 of 2."
    )
    assert "Withdraw request" in button_names(response)
    assert "Request the floor" not in button_names(response)
    [request] = waiting(mexico)
    assert request.item.position == 4 and not request.point_of_order


def test_outside_a_dialogue_the_request_is_refused_with_the_reason(client, meeting, mexico):
    response = act(client, mexico, "request", follow=True)

    assert messages_of(response) == ["Requests for the floor are taken during the dialogue."]
    assert not waiting(mexico)
    assert "Request the floor" in button_names(response)


def test_the_refusal_comes_back_in_the_controls_for_htmx(client, meeting, mexico):
    response = htmx(client, mexico, "request")

    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("section")["id"] == "floor-controls"  # the controls alone
    assert soup.select_one("[role=alert]").get_text() == (
        "Requests for the floor are taken during the dialogue."
    )


def test_a_point_of_order_is_taken_at_any_time(client, meeting, mexico):
    live_session.perform(meeting, "start", by=None)  # the Chair's opening remarks

    response = act(client, mexico, "point_of_order", follow=True)

    assert messages_of(response) == [
        "Your point of order is raised: it comes before the other requests."
    ]
    [point] = waiting(mexico)
    assert point.point_of_order and point.item.position == 1
    assert "Withdraw point of order" in button_names(response)


def test_a_point_of_order_comes_before_the_requests_waiting(client, meeting, mexico, canada):
    to_the_dialogue(meeting)
    floor.request_floor(canada)

    response = htmx(client, mexico, "point_of_order")

    assert soup_of(response).select_one("[data-floor-place]").get_text() == (
        "You are first in the queue."
    )


def test_asking_reads_the_session_once_however_many_wait(client, meeting, mexico):
    to_the_dialogue(meeting)
    for _ in range(10):
        floor.request_floor(make_delegation(meeting))
        make_delegation(meeting)
    asked_first = make_delegation(meeting)

    with CaptureQueriesContext(connection) as first:
        htmx(client, asked_first, "request")
    with CaptureQueriesContext(connection) as queries:
        response = htmx(client, mexico, "request")

    assert len(queries) == len(first)
    agenda_reads = [q for q in queries.captured_queries if 'FROM "meetings_agendaitem"' in q["sql"]]
    assert len(agenda_reads) == 1
    controls = soup_of(response).select_one("#floor-controls")
    assert controls.select_one("[data-floor-place]").get_text() == (
        "Your place in the queue: 12 of 12."
    )
    assert controls["data-version"] == str(Meeting.objects.get(pk=meeting.pk).live_version)
    assert controls["data-waiting"] == "1"


def test_the_delegation_withdraws_its_request(client, meeting, mexico):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)

    response = act(client, mexico, "withdraw", follow=True)

    assert messages_of(response) == ["Your request for the floor is withdrawn."]
    assert not waiting(mexico)
    assert "Request the floor" in button_names(response)


def test_withdrawing_the_point_of_order_leaves_the_request(client, meeting, mexico):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    floor.request_floor(mexico, point_of_order=True)

    response = htmx(client, mexico, "withdraw_point_of_order")

    assert soup_of(response).select_one("[role=status]").get_text() == (
        "Your point of order is withdrawn."
    )
    [request] = waiting(mexico)
    assert not request.point_of_order


def test_withdrawing_what_was_given_the_floor_meanwhile_says_so(client, meeting, mexico):
    to_the_dialogue(meeting)
    request = floor.request_floor(mexico)
    live_session.perform(meeting, "give_floor", turn_id=request.clock_id, by=None)

    response = act(client, mexico, "withdraw", follow=True)

    assert messages_of(response) == [
        "Nothing was waiting: you may have been given the floor already."
    ]
    request.refresh_from_db()
    assert request.status == TurnStatus.READY


def test_a_double_click_adds_one_request(client, meeting, mexico):
    to_the_dialogue(meeting)

    first = htmx(client, mexico, "request")
    second = htmx(client, mexico, "request")

    assert first.status_code == second.status_code == 200
    assert len(waiting(mexico)) == 1


def test_two_devices_asking_at_once_add_one_request(meeting, mexico, transactional_db):
    to_the_dialogue(meeting)
    path = act_url(mexico)
    statuses = []
    start = threading.Barrier(2)

    def device():
        try:
            start.wait()
            statuses.append(Client().post(path, {"action": "request"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=device) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert len(waiting(mexico)) == 1


def test_the_htmx_answer_carries_the_version_the_action_made(client, meeting, mexico):
    to_the_dialogue(meeting)

    response = htmx(client, mexico, "request")

    controls = soup_of(response).select_one("[data-floor-controls]")
    assert int(controls["data-version"]) == Meeting.objects.get(pk=meeting.pk).live_version
    assert controls["data-waiting"] == "1"


def test_asking_does_not_change_the_delegations_attendance(client, meeting, mexico):
    to_the_dialogue(meeting)
    assert mexico.attendance == Attendance.ABSENT
    page = client.get(link_path(mexico))
    assert soup_of(page).select_one(".floor-attendance") is not None  # told, not changed

    act(client, mexico, "request")

    mexico.refresh_from_db()
    assert mexico.attendance == Attendance.ABSENT
    assert len(waiting(mexico)) == 1


def test_a_present_delegation_is_not_told_about_its_attendance(client, meeting, mexico):
    mexico.attendance = Attendance.ONLINE
    mexico.save()

    assert soup_of(client.get(link_path(mexico))).select_one(".floor-attendance") is None


def test_a_concluded_meeting_offers_no_button(client, meeting, mexico):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONCLUDED)

    response = client.get(link_path(mexico))

    assert not soup_of(response).select(".floor-controls button")
    refused = act(client, mexico, "point_of_order", follow=True)
    assert messages_of(refused) == ["The meeting is concluded."]


# The page --------------------------------------------------------------------------------


def test_the_page_shows_the_item_under_way(client, meeting, mexico):
    to_the_dialogue(meeting)

    soup = soup_of(client.get(link_path(mexico)))

    assert soup.select_one("[data-live-text='item.title']").get_text() == (
        "Dialogue with delegations"
    )
    assert soup.select_one("[role=timer]").get_text() == "3:00"  # per intervention
    assert soup.select_one("[data-floor-hint]").has_attr("hidden")


def test_outside_the_dialogue_the_page_says_when_requests_are_taken(client, meeting, mexico):
    soup = soup_of(client.get(link_path(mexico)))

    assert not soup.select_one("[data-floor-hint]").has_attr("hidden")


@pytest.mark.parametrize(
    ("format_", "shown"),
    [(MeetingFormat.VIRTUAL, True), (MeetingFormat.HYBRID, True), (MeetingFormat.IN_PERSON, False)],
)
def test_the_join_link_is_given_when_the_meeting_is_online(client, meeting, mexico, format_, shown):
    Meeting.objects.filter(pk=meeting.pk).update(
        format=format_, virtual_link="https://meet.example.org/cam"
    )

    links = soup_of(client.get(link_path(mexico))).select("a[href='https://meet.example.org/cam']")

    assert bool(links) is shown


def test_the_page_polls_the_public_live_feed(client, meeting, mexico):
    soup = soup_of(client.get(link_path(mexico)))

    page = soup.select_one(".floor-page")
    assert page["data-live-url"] == f"/meetings/{meeting.slug}/live.json?lang=en"
    assert page["data-delegation"] == mexico.code


def test_polling_an_unchanged_state_asks_the_database_nothing(client, meeting, mexico):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    url = soup_of(client.get(link_path(mexico))).select_one(".floor-page")["data-live-url"]
    first = client.get(url)
    assert first.json()["queue_order"] == [mexico.code]

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert len(queries) == 0


def test_the_controls_alone_are_given_to_htmx(client, meeting, mexico):
    response = client.get(link_path(mexico), headers={"HX-Request": "true"})

    soup = soup_of(response)
    assert soup.h1 is None
    assert soup.select_one("section")["id"] == "floor-controls"


def test_a_delegations_typed_name_is_shown_as_text(client, meeting):
    observer = make_delegation(meeting, kind="observer", code="ZZ", name_en="<b>Observer</b>")

    body = client.get(link_path(observer)).content.decode()

    assert "<b>Observer</b>" not in body
    assert "&lt;b&gt;Observer&lt;/b&gt;" in body


# Language --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "lang"), [("es", "es"), ("fr-CA,fr;q=0.9", "fr"), ("pt-BR,pt;q=0.9", "pt")]
)
def test_the_page_speaks_the_browsers_language(client, meeting, mexico, accept, lang):
    response = client.get(link_path(mexico), headers={"Accept-Language": accept})

    soup = soup_of(response)
    assert soup.html["lang"] == lang
    # live.json in the same language: the item's title and the chair's messages
    assert soup.select_one(".floor-page")["data-live-url"].endswith(f"?lang={lang}")


def test_the_language_switcher_changes_the_page(client, meeting, mexico):
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": link_path(mexico)}, follow=True
    )

    soup = soup_of(response)
    assert response.redirect_chain[-1][0] == link_path(mexico)
    assert soup.html["lang"] == "es"
    assert soup.h1.get_text() == "Gobernanza migratoria"


def test_the_live_feed_gives_the_item_and_the_queue_in_the_order_of_the_floor(
    client, meeting, mexico, canada
):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    floor.request_floor(canada, point_of_order=True)

    body = client.get(f"/meetings/{meeting.slug}/live.json").json()

    assert body["item"] == {"number": 4, "kind": "dialogue", "title": "Dialogue with delegations"}
    assert body["queue"] == 2
    assert body["queue_order"] == [canada.code, mexico.code]


def test_a_closed_list_of_speakers_is_said_before_asking(client, meeting, mexico):
    to_the_dialogue(meeting)
    floor.set_list_of_speakers(meeting, floor.open_dialogue(meeting), open_=False, by=None)

    page = soup_of(client.get(link_path(mexico)))
    response = act(client, mexico, "request", follow=True)

    assert not page.select_one("[data-floor-closed]").has_attr("hidden")
    assert messages_of(response) == ["The list of speakers is closed."]
    assert not waiting(mexico)
