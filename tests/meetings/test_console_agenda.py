"""The console over the whole agenda, through the Django test client: every item in order with
its status, remarks speakers with the panelists' controls, the dialogue's requests (points of
order first), a delegation added by hand, the list of speakers closed and reopened, Next item
and its confirmation, where the speakers follow the meeting, and the notes pad on an
intervention."""

import pytest
from bs4 import BeautifulSoup
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from meetings.models import (
    AgendaItem,
    Attendance,
    Intervention,
    Meeting,
    MeetingLog,
    RequestSource,
    RevisedText,
    TextRevision,
    TurnStatus,
)
from meetings.roles import SECRETARIAT
from meetings.services import floor, live_session, revisions
from tests.factories import (
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
    state_delegation,
    whole_agenda,
)

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def meeting():
    """Opening remarks by the Chair of the CAM, round 1 (Ana Pérez, Luis Gómez), the dialogue
    (3 minutes each) and closing remarks; the delegations of Mexico, Chile and Brazil."""
    meeting = make_meeting(rounds=1, slug="agenda-console")
    make_panelist(meeting, make_mechanism(acronym_en="RCM"), name="Ana Pérez")
    make_panelist(meeting, make_mechanism(acronym_en="CSM"), name="Luis Gómez")
    whole_agenda(meeting)
    for code, name in (("MX", "Mexico"), ("CL", "Chile"), ("BR", "Brazil")):
        state_delegation(meeting, code, name)
    return before_the_session(meeting)


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


def fresh(meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def act(meeting, action, **arguments):
    return live_session.perform(fresh(meeting), action, by=None, **arguments)


def in_the_dialogue(meeting) -> AgendaItem:
    """The opening remarks given, round 1 closed: the dialogue is the item under way."""
    act(meeting, "start")
    act(meeting, "next")
    act(meeting, "next_item")
    return meeting.agenda.get(kind="dialogue")


def delegation(meeting, code):
    return meeting.delegations.get(code=code)


def console(client, meeting) -> BeautifulSoup:
    response = client.get(f"/meetings/{meeting.slug}/console/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def post(client, meeting, action, *, htmx=True, version="current", **fields):
    data = {"action": action, **fields}
    if version == "current":
        data["version"] = fresh(meeting).live_version
    elif version is not None:
        data["version"] = version
    return client.post(
        f"/meetings/{meeting.slug}/console/action/", data, headers=HTMX if htmx else {}
    )


def post_floor(client, meeting, action, **fields):
    return client.post(
        f"/meetings/{meeting.slug}/console/floor/", {"action": action, **fields}, headers=HTMX
    )


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


def button_names(soup) -> list[str]:
    """Each button's accessible name: its text without what is hidden from screen readers."""
    names = []
    for button in soup.select("button"):
        for hidden in button.select("[aria-hidden=true]"):
            hidden.extract()
        names.append(text(button))
    return names


def items(soup) -> list[tuple[str, str]]:
    return [
        (text(card.select_one("h3 span")), text(card.select_one(".item-status")))
        for card in soup.select(".console-item")
    ]


# The agenda -----------------------------------------------------------------------------------


def test_the_console_lists_every_item_in_order_with_its_status(client, meeting, secretary):
    soup = console(client, meeting)
    assert items(soup) == [
        ("1. Opening remarks", "Under way"),
        ("2. Round 1", "Waiting"),
        ("3. Dialogue with delegations", "Waiting"),
        ("4. Closing remarks", "Waiting"),
    ]
    under_way = soup.select(".console-item[aria-current=step]")
    assert [card["id"] for card in under_way] == ["agenda-item-1"]
    assert "Start gives the floor to Chair of the CAM (Opening remarks)." in text(soup)

    in_the_dialogue(meeting)
    soup = console(client, meeting)
    assert [status for _heading, status in items(soup)] == ["Over", "Over", "Under way", "Waiting"]


def test_remarks_speakers_have_the_panelists_controls(client, meeting, secretary):
    soup = console(client, meeting)
    opening = soup.select_one("#agenda-item-1")
    assert text(opening.select_one(".speakers-list li span")) == "Chair of the CAM"
    names = button_names(opening)
    assert "Give the floor to Chair of the CAM" in names
    assert "Leave out Chair of the CAM" in names
    assert not any(name.startswith("Up") for name in names)  # the order of a round only
    chair = Intervention.objects.get(item__position=1)
    assert opening.select_one("input[name=intervention]")["value"] == str(chair.pk)

    response = post(client, meeting, "give_floor", intervention=chair.pk)
    chair.refresh_from_db()
    assert chair.status == TurnStatus.READY
    current = soup_of(response).select_one(".current-speaker")
    assert text(current.select_one(".h3")) == "Chair of the CAM"
    assert "Opening remarks" in text(current)


def test_a_remarks_speaker_left_out_is_given_back_by_reopening_the_item(client, meeting, secretary):
    chair = Intervention.objects.get(item__position=1)
    post(client, meeting, "skip", intervention=chair.pk)
    chair.refresh_from_db()
    assert chair.status == TurnStatus.SKIPPED
    soup = console(client, meeting)
    assert items(soup)[0] == ("1. Opening remarks", "Over")
    assert "Reopen item" in button_names(soup.select_one("#agenda-item-1"))

    post(client, meeting, "reopen_skipped", item=1)
    chair.refresh_from_db()
    assert chair.status == TurnStatus.PENDING


def test_the_six_buttons_run_a_remarks_item_as_a_round(client, meeting, secretary):
    for action in ("start", "pause", "resume", "add_minute"):
        assert post(client, meeting, action).status_code == 200
    chair = Intervention.objects.get(item__position=1)
    assert (chair.status, chair.added_seconds) == (TurnStatus.RUNNING, 60)
    post(client, meeting, "next")
    chair.refresh_from_db()
    assert chair.status == TurnStatus.FINISHED
    soup = console(client, meeting)
    assert "Start gives the floor to Ana Pérez (RCM), round 1." in text(soup)
    assert items(soup)[0][1] == "Over"
    # The same version twice: the second press changes nothing.
    version = fresh(meeting).live_version
    post(client, meeting, "start", version=version)
    response = post(client, meeting, "start", version=version)
    assert "Another console acted first" in response.content.decode()
    assert fresh(meeting).live_version == version + 1


def test_the_keys_stay_those_of_the_speakers_buttons_and_next_item_has_none(
    client, meeting, secretary
):
    soup = console(client, meeting)
    keys = [button["data-shortcut"] for button in soup.select("button[data-shortcut]")]
    assert keys == ["s", "p", "r", "m", "n", "k"]
    next_item = soup.select_one(".console-next-item button[value=next_item]")
    assert text(next_item) == "Next item"
    assert not next_item.has_attr("data-shortcut") and not next_item.has_attr("aria-keyshortcuts")
    assert "Next item has no key" in text(soup)


# Next item --------------------------------------------------------------------------------------


def test_next_item_with_nobody_waiting_moves_on_at_once(client, meeting, secretary):
    act(meeting, "start")
    act(meeting, "next")  # the Chair has spoken: nobody waits in the opening
    act(meeting, "next_item")  # round 1 closed (it asks nothing of a session: perform)
    response = post(client, meeting, "next_item")  # the dialogue: nobody asked
    soup = soup_of(response)
    assert soup.select_one(".next-item-confirmation") is None
    assert meeting.agenda.get(position=3).closed_at is not None
    assert [status for _heading, status in items(soup)][2:] == ["Over", "Under way"]


def test_next_item_with_speakers_waiting_asks_first_and_changes_nothing(client, meeting, secretary):
    act(meeting, "start")
    act(meeting, "next")  # round 1 under way, Ana Pérez and Luis Gómez waiting
    version = fresh(meeting).live_version
    soup = soup_of(post(client, meeting, "next_item"))
    confirmation = soup.select_one(".next-item-confirmation")
    assert confirmation["role"] == "alert"
    assert "2 speakers are still waiting in “Round 1”" in text(confirmation)
    assert [text(li) for li in confirmation.select("li")] == ["Ana Pérez", "Luis Gómez"]
    assert fresh(meeting).live_version == version
    assert meeting.agenda.get(position=2).closed_at is None
    form = confirmation.select_one("form")
    assert form.select_one("input[name=confirmed]")["value"] == "1"
    assert form.select_one("input[name=version]")["value"] == str(version)
    assert "Leave them out and move on" in button_names(form)

    soup = soup_of(post(client, meeting, "next_item", confirmed="1"))
    assert soup.select_one(".next-item-confirmation") is None
    assert meeting.agenda.get(position=2).closed_at is not None
    assert set(meeting.turns.values_list("status", flat=True)) == {TurnStatus.SKIPPED}
    assert fresh(meeting).live_version == version + 1
    assert MeetingLog.objects.filter(action="clock.next_item").count() == 1


def test_the_confirmation_works_without_javascript(client, meeting, secretary):
    act(meeting, "start")
    act(meeting, "next")
    response = post(client, meeting, "next_item", htmx=False)
    soup = soup_of(response)
    assert soup.select_one("html") is not None  # the whole console, not a fragment
    assert soup.select_one(".next-item-confirmation form")["action"] == (
        f"/meetings/{meeting.slug}/console/action/"
    )
    assert soup.select_one(".next-item-confirmation a")["href"] == (
        f"/meetings/{meeting.slug}/console/"
    )
    post(client, meeting, "next_item", htmx=False, confirmed="1")
    assert meeting.agenda.get(position=2).closed_at is not None


def test_a_confirmation_pressed_twice_moves_on_by_one_item(client, meeting, secretary):
    act(meeting, "start")
    act(meeting, "next")
    version = fresh(meeting).live_version
    post(client, meeting, "next_item", version=version, confirmed="1")
    response = post(client, meeting, "next_item", version=version, confirmed="1")
    assert "Another console acted first" in response.content.decode()
    assert list(
        meeting.agenda.filter(closed_at__isnull=False).values_list("position", flat=True)
    ) == [2]


def test_next_item_pressed_on_an_old_version_asks_nothing_and_changes_nothing(
    client, meeting, secretary
):
    act(meeting, "start")
    act(meeting, "next")
    version = fresh(meeting).live_version
    response = post(client, meeting, "next_item", version=version - 1)
    assert "Another console acted first" in response.content.decode()
    assert soup_of(response).select_one(".next-item-confirmation") is None
    assert fresh(meeting).live_version == version


# The dialogue -----------------------------------------------------------------------------------


def test_the_dialogue_lists_the_requests_points_of_order_first_flagged_in_words(
    client, meeting, secretary
):
    in_the_dialogue(meeting)
    floor.request_floor(delegation(meeting, "MX"))
    floor.request_floor(delegation(meeting, "CL"))
    floor.request_floor(delegation(meeting, "BR"), point_of_order=True)
    soup = console(client, meeting)
    queue = soup.select("#agenda-item-3 .floor-queue li")
    assert [text(li.select_one("span")) for li in queue] == [
        "Delegation of Brazil",
        "Delegation of Mexico",
        "Delegation of Chile",
    ]
    assert ["Point of order" in text(li) for li in queue] == [True, False, False]
    names = button_names(soup.select_one("#agenda-item-3"))
    for name in ("Brazil", "Mexico", "Chile"):
        assert names.count(f"Give the floor to Delegation of {name}") == 1
    assert "Start gives the floor to Delegation of Brazil (Dialogue with delegations)." in text(
        soup
    )


def test_a_point_of_order_in_a_round_is_listed_there_flagged_and_heard_first(
    client, meeting, secretary
):
    act(meeting, "start")
    act(meeting, "next")
    act(meeting, "start")  # Ana Pérez speaks in round 1
    floor.request_floor(delegation(meeting, "BR"), point_of_order=True)
    soup = console(client, meeting)
    rows = soup.select("#agenda-item-2 .speakers-list li")
    assert ["Point of order" in text(row) for row in rows] == [False, False, True]
    assert "Delegation of Brazil" in text(rows[2])
    assert "Give the floor to Delegation of Brazil" in button_names(rows[2])
    confirm = rows[2].select_one("button[value=skip]")["data-hx-confirm"]
    assert confirm.endswith("Reopen round gives them their turn back.")
    assert "Next: Delegation of Brazil (Round 1)." in text(soup.select_one(".console-next"))

    soup = soup_of(post(client, meeting, "next"))
    assert text(soup.select_one(".current-speaker .h3")) == "Delegation of Brazil"
    assert "Point of order" in text(soup.select_one(".current-speaker"))


def test_giving_the_floor_to_a_delegation_makes_it_current(client, meeting, secretary):
    in_the_dialogue(meeting)
    floor.request_floor(delegation(meeting, "MX"))
    chile = floor.request_floor(delegation(meeting, "CL"))
    soup = soup_of(post(client, meeting, "give_floor", intervention=chile.pk))
    chile.refresh_from_db()
    assert chile.status == TurnStatus.READY
    assert text(soup.select_one(".current-speaker .h3")) == "Delegation of Chile"
    assert "Next: Delegation of Mexico (Dialogue with delegations)." in text(soup)
    queue = soup.select("#agenda-item-3 .floor-queue li")
    assert [text(li.select_one("span")) for li in queue] == ["Delegation of Mexico"]


def test_the_interventions_given_show_the_time_used(client, meeting, secretary):
    dialogue = in_the_dialogue(meeting)
    mexico = floor.request_floor(delegation(meeting, "MX"))
    act(meeting, "start")
    Intervention.objects.filter(pk=mexico.pk).update(spent_seconds=95.0)
    act(meeting, "pause")
    act(meeting, "next")
    soup = console(client, meeting)
    given = soup.select(f"#agenda-item-{dialogue.position} .interventions-given li")
    assert len(given) == 1
    assert "Delegation of Mexico" in text(given[0])
    assert "Finished" in text(given[0])
    assert "1:35 of 3:00" in text(given[0])
    assert "Give the floor back Delegation of Mexico" in button_names(given[0])


def test_the_chair_adds_a_delegation_by_hand_once(client, meeting, secretary):
    dialogue = in_the_dialogue(meeting)
    soup = console(client, meeting)
    select = soup.select_one(f"#add-delegation-{dialogue.position}")
    label = soup.select_one(f"label[for=add-delegation-{dialogue.position}]")
    assert "add a delegation" in text(label)
    assert [text(option) for option in select.select("option")] == [
        "Delegation of Brazil",
        "Delegation of Chile",
        "Delegation of Mexico",
    ]
    mexico = delegation(meeting, "MX")
    soup = soup_of(post_floor(client, meeting, "add", delegation=mexico.pk))
    request = Intervention.objects.get(delegation=mexico)
    assert (request.source, request.status) == (RequestSource.CHAIR, TurnStatus.PENDING)
    queue = soup.select("#agenda-item-3 .floor-queue li")
    assert "Added by the chair" in text(queue[0])
    options = soup.select(f"#add-delegation-{dialogue.position} option")
    assert "Delegation of Mexico" not in [text(option) for option in options]

    version = fresh(meeting).live_version
    response = post_floor(client, meeting, "add", delegation=mexico.pk)  # a second console
    assert "Delegation of Mexico is already on the list of speakers." in text(soup_of(response))
    assert Intervention.objects.filter(delegation=mexico).count() == 1
    assert fresh(meeting).live_version == version


def test_a_delegation_is_added_by_hand_only_in_the_dialogue_under_way(client, meeting, secretary):
    soup = console(client, meeting)  # the opening remarks under way
    assert soup.select_one(".add-delegation") is None
    response = post_floor(client, meeting, "add", delegation=delegation(meeting, "MX").pk)
    assert "Requests for the floor are taken during the dialogue." in text(soup_of(response))
    assert not Intervention.objects.filter(delegation__isnull=False).exists()


def test_the_list_of_speakers_is_closed_and_reopened(client, meeting, secretary):
    dialogue = in_the_dialogue(meeting)
    card = console(client, meeting).select_one("#agenda-item-3")
    assert "The list of speakers is open" in text(card)
    assert "Close the list of speakers" in button_names(card)

    soup = soup_of(post_floor(client, meeting, "close", item=dialogue.position))
    dialogue.refresh_from_db()
    assert not dialogue.accepts_requests
    card = soup.select_one("#agenda-item-3")
    assert "The list of speakers is closed" in text(card)
    assert "Reopen the list of speakers" in button_names(card)
    with pytest.raises(floor.RequestRefused):
        floor.request_floor(delegation(meeting, "MX"))
    # The chair still adds a delegation, and a point of order is still taken.
    post_floor(client, meeting, "add", delegation=delegation(meeting, "CL").pk)
    floor.request_floor(delegation(meeting, "BR"), point_of_order=True)
    assert dialogue.interventions.count() == 2

    response = post_floor(client, meeting, "close", item=dialogue.position)  # pressed twice
    assert "That is not possible right now." in text(soup_of(response))
    post_floor(client, meeting, "reopen", item=dialogue.position)
    dialogue.refresh_from_db()
    assert dialogue.accepts_requests
    assert MeetingLog.objects.filter(action__startswith="floor.list_").count() == 2


def test_closing_the_list_of_an_item_that_is_no_dialogue_is_refused_with_a_message(
    client, meeting, secretary
):
    response = post_floor(client, meeting, "close", item=1)
    assert "That is not possible right now." in text(soup_of(response))
    response = post_floor(client, meeting, "close", item=99)
    assert "That is not possible right now." in text(soup_of(response))


def test_a_delegation_of_another_meeting_cannot_be_added(client, meeting, secretary):
    in_the_dialogue(meeting)
    other = make_meeting(rounds=0)
    stranger = state_delegation(other, "XQ", "Elsewhere")
    response = post_floor(client, meeting, "add", delegation=stranger.pk)
    assert "That is not possible right now." in text(soup_of(response))
    assert not Intervention.objects.filter(delegation=stranger).exists()


def test_an_intervention_of_another_meeting_is_refused_with_a_message(client, meeting, secretary):
    other = make_meeting(rounds=0, slug="elsewhere")
    whole_agenda(other)
    stranger = Intervention.objects.filter(meeting=other).first()
    version = fresh(meeting).live_version
    for action in ("give_floor", "skip"):
        response = post(client, meeting, action, intervention=stranger.pk)
        assert "That is not possible right now." in response.content.decode()
    assert fresh(meeting).live_version == version


@pytest.mark.parametrize(
    "data",
    [
        {"action": "add"},  # which delegation?
        {"action": "close"},  # which item?
        {"action": "add", "delegation": "Mexico"},
        {"action": "add", "delegation": "-1"},
        {"action": "close", "item": "0"},
        {"action": "close", "item": "1e3"},
        {"action": "burn", "item": "3"},
        {"action": "close", "item": "3\x00"},
    ],
)
def test_floor_requests_no_console_sends_are_refused_with_400(client, meeting, secretary, data):
    response = client.post(f"/meetings/{meeting.slug}/console/floor/", data)
    assert response.status_code == 400
    assert fresh(meeting).live_version == 0


@pytest.mark.parametrize(
    "data",
    [
        {"action": "give_floor", "intervention": "abc"},
        {"action": "give_floor", "intervention": "1", "turn": "1"},
        {"action": "skip", "intervention": "-4"},
    ],
)
def test_console_actions_no_console_sends_are_refused_with_400(client, meeting, secretary, data):
    response = client.post(f"/meetings/{meeting.slug}/console/action/", data)
    assert response.status_code == 400
    assert fresh(meeting).live_version == 0


def test_the_floor_controls_are_for_the_console_roles_only(client, meeting):
    client.force_login(make_user())
    response = post_floor(client, meeting, "close", item=3)
    assert response.status_code == 403
    assert meeting.agenda.get(position=3).accepts_requests


# Hybrid: who is online ---------------------------------------------------------------------------


def test_the_console_says_whether_the_current_and_next_speakers_are_online(
    client, meeting, secretary
):
    in_the_dialogue(meeting)
    mexico, chile = delegation(meeting, "MX"), delegation(meeting, "CL")
    chile.attendance = Attendance.ONLINE
    chile.save()
    mexico.attendance = Attendance.IN_ROOM
    mexico.save()
    floor.request_floor(chile)
    floor.request_floor(mexico)
    act(meeting, "start")
    soup = console(client, meeting)
    current = soup.select_one(".current-speaker")
    assert text(current.select_one(".speaker-attendance")) == "Online"
    assert text(current.select_one(".console-next").parent) == (
        "Next: Delegation of Mexico (Dialogue with delegations). In the room"
    )


def test_an_online_panelist_is_labelled_online_in_words(client, meeting, secretary):
    meeting.panelists.filter(name="Luis Gómez").update(attendance=Attendance.ONLINE)
    act(meeting, "start")
    act(meeting, "next")
    act(meeting, "start")
    soup = console(client, meeting)
    assert "Next: Luis Gómez" in text(soup.select_one(".console-next"))
    assert "Online" in text(soup.select_one(".console-next").parent)
    rows = soup.select("#agenda-item-2 .speakers-list li")
    assert ["Online" in text(row) for row in rows] == [False, True]


# The notes pad on an intervention ------------------------------------------------------------


def post_notes(client, meeting, intervention, notes, version):
    return client.post(
        f"/meetings/{meeting.slug}/console/notes/",
        {"intervention": intervention.pk, "notes": notes, "notes_version": version},
        headers=HTMX,
    )


def test_the_notes_pad_opens_on_the_intervention_that_has_the_floor(client, meeting, secretary):
    act(meeting, "start")
    soup = console(client, meeting)
    chair = Intervention.objects.get(item__position=1)
    assert text(soup.select_one("#notes-heading")) == "Notes: Chair of the CAM (Opening remarks)"
    form = soup.select_one("#notes-form")
    assert form.select_one("input[name=intervention]")["value"] == str(chair.pk)
    assert form["data-notes-query"] == f"intervention={chair.pk}"
    assert soup.select_one("#console-panels")["data-notes-query"] == f"intervention={chair.pk}"

    response = client.get(
        f"/meetings/{meeting.slug}/console/notes/", {"intervention": chair.pk}, headers=HTMX
    )
    assert "Notes: Chair of the CAM (Opening remarks)" in response.content.decode()


def test_notes_on_an_intervention_are_saved_with_their_history(client, meeting, secretary):
    chair = Intervention.objects.get(item__position=1)
    response = post_notes(client, meeting, chair, "Welcome; the CAM's work plan.", 0)
    assert "Saved at" in response.content.decode()
    chair.refresh_from_db()
    assert (chair.notes, chair.notes_version) == ("Welcome; the CAM's work plan.", 1)
    kept = TextRevision.objects.get(intervention=chair)
    assert (kept.turn, kept.text, kept.saved_by) == (None, chair.notes, secretary)
    assert MeetingLog.objects.get(action="notes.saved").detail["speaker"] == "Chair of the CAM"


def test_notes_on_an_intervention_saved_over_a_newer_version_are_kept_aside(
    client, meeting, secretary
):
    chair = Intervention.objects.get(item__position=1)
    post_notes(client, meeting, chair, "Theirs.", 0)
    response = post_notes(client, meeting, chair, "Mine.", 0)
    assert "while you were typing" in response.content.decode()
    chair.refresh_from_db()
    assert chair.notes == "Theirs."
    assert TextRevision.objects.get(intervention=chair, conflicted=True).text == "Mine."


def test_an_earlier_note_of_an_intervention_is_restored_as_a_new_revision(meeting, secretary):
    chair = Intervention.objects.get(item__position=1)
    revisions.save_text(chair, "notes", "First.", base_version=0, by=secretary)
    revisions.save_text(chair, "notes", "Second.", base_version=1, by=secretary)
    first = TextRevision.objects.get(intervention=chair, text="First.")
    revisions.restore(first, by=secretary)
    chair.refresh_from_db()
    assert (chair.notes, chair.notes_version) == ("First.", 3)
    assert chair.revisions.count() == 3


def test_notes_over_the_limit_on_an_intervention_are_refused_and_nothing_is_saved(
    client, meeting, secretary
):
    chair = Intervention.objects.get(item__position=1)
    response = post_notes(client, meeting, chair, "x" * 50_001, 0)
    assert "Nothing was saved." in response.content.decode()
    chair.refresh_from_db()
    assert chair.notes == ""
    assert not TextRevision.objects.filter(intervention=chair).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"notes": "A", "notes_version": "0"},  # whose notes?
        {"turn": "1", "intervention": "1", "notes": "A", "notes_version": "0"},
        {"intervention": "x", "notes": "A", "notes_version": "0"},
    ],
)
def test_notes_naming_no_speaker_or_two_are_refused_with_400(client, meeting, secretary, data):
    assert client.post(f"/meetings/{meeting.slug}/console/notes/", data).status_code == 400


def test_notes_of_an_intervention_of_another_meeting_are_not_found(client, meeting, secretary):
    other = make_meeting(rounds=0, slug="other-notes")
    whole_agenda(other)
    stranger = Intervention.objects.filter(meeting=other).first()
    assert post_notes(client, meeting, stranger, "A", 0).status_code == 404
    url = f"/meetings/{meeting.slug}/console/notes/"
    assert client.get(url, {"intervention": stranger.pk}).status_code == 404
    assert client.get(url, {"intervention": "abc"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.notes == ""


def test_the_agenda_kept_rendered_carries_each_requests_own_csrf_field(meeting, secretary):
    """The agenda is rendered once for each live version and kept: each console still gets
    its own CSRF token in every form of it, and the next version after an action."""
    pages = []
    for _browser in range(2):
        browser = Client()
        browser.force_login(secretary)
        response = browser.get(f"/meetings/{meeting.slug}/console/")
        secret = response.cookies["csrftoken"].value
        soup = BeautifulSoup(response.content, "html.parser")
        tokens = {field["value"] for field in soup.select("input[name=csrfmiddlewaretoken]")}
        assert len(soup.select("#agenda-item-1 input[name=csrfmiddlewaretoken]")) > 0
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}
        assert "csrf-token-of-the-request" not in response.content.decode()
        pages.append(secret)
    assert pages[0] != pages[1]
    live_session.perform(fresh(meeting), "start", by=secretary)
    browser = Client()
    browser.force_login(secretary)
    soup = BeautifulSoup(browser.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    versions = {field["value"] for field in soup.select("#agenda-item-1 input[name=version]")}
    assert versions == {str(fresh(meeting).live_version)}


def test_the_notes_pad_shows_notes_saved_since_the_session_was_read(client, meeting, secretary):
    """The console keeps the session of each live version, and notes raise none: the notes
    pad reads its speaker's notes and their version afresh."""
    live_session.perform(fresh(meeting), "start", by=secretary)
    console = f"/meetings/{meeting.slug}/console/"
    soup = BeautifulSoup(client.get(console).content, "html.parser")
    assert soup.select_one("#notes-version")["value"] == "0"
    speaker = Intervention.objects.get(meeting=meeting, status=TurnStatus.RUNNING)
    revisions.save_text(speaker, RevisedText.NOTES, "Opened on time.", base_version=0, by=None)
    soup = BeautifulSoup(client.get(console).content, "html.parser")
    assert soup.select_one("#notes-text").get_text() == "Opened on time."
    assert soup.select_one("#notes-version")["value"] == "1"
