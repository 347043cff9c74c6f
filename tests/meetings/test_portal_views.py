"""The panelist portal at /respond/<token>/: the link, the participation, the answers."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone

from config.common.throttle import TOKEN_MISSES
from meetings.models import (
    ANSWER_MAX_LENGTH,
    Answer,
    AnswerStatus,
    MeetingStatus,
    PanelistStatus,
    Turn,
    TurnStatus,
)
from meetings.services.answers import submit_answer
from meetings.services.links import issue_link, link_path, revoke_link
from tests.factories import answer_post, make_meeting, make_panelist

pytestmark = pytest.mark.django_db

NEVER_ISSUED = "/respond/" + "x" * 43 + "/"


@pytest.fixture
def panelist():
    meeting = make_meeting(title_en="Migration governance", title_es="Gobernanza migratoria")
    return make_panelist(meeting, name="Ana Pérez")


def round_url(panelist, number: int = 1) -> str:
    return f"{link_path(panelist)}rounds/{number}/"


def post_answer(client, panelist, text: str, action: str, **extra):
    return client.post(round_url(panelist), answer_post(panelist, text, action), **extra)


def answer_of(panelist) -> Answer:
    return Answer.objects.get(panelist=panelist, round__number=1)


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response) -> list[str]:
    return [alert.get_text(strip=True) for alert in soup_of(response).select(".messages .alert")]


# The link --------------------------------------------------------------------------------


def test_a_personal_link_opens_the_panelists_page(client, panelist):
    response = client.get(link_path(panelist))

    assert response.status_code == 200
    assert soup_of(response).h1.get_text() == "Migration governance"


def test_unknown_token_is_404(client, panelist):
    assert client.get(NEVER_ISSUED).status_code == 404


def test_revoked_token_is_404(client, panelist):
    path = link_path(panelist)
    revoke_link(panelist)

    assert client.get(path).status_code == 404


def test_a_reissued_link_replaces_the_old_one(client, panelist):
    old_path = link_path(panelist)
    issue_link(panelist)

    assert client.get(old_path).status_code == 404
    assert client.get(link_path(panelist)).status_code == 200


def test_too_many_misses_from_one_address_refuse_even_a_valid_link(client, panelist):
    misses = [client.get(NEVER_ISSUED).status_code for _ in range(TOKEN_MISSES.limit)]

    response = client.get(link_path(panelist))

    assert misses == [404] * TOKEN_MISSES.limit
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert soup_of(response).select_one(".alert").get_text(strip=True) == (
        "Too many unknown links were tried from your address. Please wait 15 minutes, "
        "then open the link from your invitation again."
    )


def test_misses_from_one_address_do_not_refuse_another(client, panelist):
    for _ in range(TOKEN_MISSES.limit):
        client.get(NEVER_ISSUED)

    assert client.get(link_path(panelist), REMOTE_ADDR="192.0.2.7").status_code == 200


# Participation ---------------------------------------------------------------------------


def test_the_panelist_confirms_their_participation_on_one_click(client, panelist):
    response = client.post(f"{link_path(panelist)}participation/", {"participation": "confirmed"})

    panelist.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == link_path(panelist)
    assert panelist.status == PanelistStatus.CONFIRMED
    assert panelist.responded_at is not None
    assert messages_of(client.get(link_path(panelist))) == [
        "Thank you: your participation is confirmed."
    ]


def test_a_decline_is_not_recorded_before_it_is_confirmed(client, panelist):
    response = client.post(f"{link_path(panelist)}participation/", {"participation": "declined"})

    panelist.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, f"{link_path(panelist)}decline/")
    assert panelist.status == PanelistStatus.INVITED
    page = client.get(f"{link_path(panelist)}decline/")
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.select_one("form.decline-form button").get_text(strip=True) == "Yes, decline"
    assert soup.find("textarea", attrs={"name": "reason"}) is not None
    panelist.refresh_from_db()
    assert panelist.status == PanelistStatus.INVITED


def test_the_confirmed_decline_keeps_the_reason_for_the_secretariat(client, panelist):
    response = client.post(
        f"{link_path(panelist)}decline/", {"reason": "  I am travelling that week.  "}
    )

    panelist.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, link_path(panelist))
    assert panelist.status == PanelistStatus.DECLINED
    assert panelist.decline_reason == "I am travelling that week."
    assert panelist.responded_at is not None
    assert messages_of(client.get(link_path(panelist))) == [
        "Your answer is recorded: you will not take part."
    ]
    entry = panelist.meeting.log.get(action="panelist.declined")
    assert entry.detail == {"reason_given": True}  # the reason itself stays on the panelist


def test_a_panelist_who_has_spoken_can_no_longer_decline(client, panelist):
    Turn.objects.filter(panelist=panelist, round__number=1).update(
        status=TurnStatus.FINISHED, started_at=timezone.now(), ended_at=timezone.now()
    )

    response = client.post(f"{link_path(panelist)}decline/", {"reason": ""}, follow=True)

    panelist.refresh_from_db()
    assert panelist.status == PanelistStatus.INVITED
    assert messages_of(response) == [
        "You have the floor or have already spoken at this meeting: your participation can no "
        "longer be declined here. Please speak to the secretariat."
    ]


def test_an_unknown_participation_choice_changes_nothing(client, panelist):
    response = client.post(f"{link_path(panelist)}participation/", {"participation": "maybe"})

    panelist.refresh_from_db()
    assert response.status_code == 400  # no page of ours sends it
    assert panelist.status == PanelistStatus.INVITED
    assert "nothing was changed" in soup_of(response).select_one("main").get_text()


# Answers ---------------------------------------------------------------------------------


def test_saving_a_draft_stores_the_draft_only(client, panelist):
    response = post_answer(client, panelist, "A first thought.", "draft")

    answer = answer_of(panelist)
    assert response.status_code == 302
    assert response["Location"] == f"{link_path(panelist)}#round-1"
    assert (answer.draft_text, answer.submitted_text, answer.status) == (
        "A first thought.",
        "",
        AnswerStatus.DRAFT,
    )
    assert messages_of(client.get(link_path(panelist))) == ["Your draft for round 1 is saved."]


def test_submitting_stores_the_submitted_answer(client, panelist):
    response = post_answer(client, panelist, "Our considered answer.", "submit")

    answer = answer_of(panelist)
    assert response.status_code == 302
    assert response["Location"] == f"{link_path(panelist)}#round-1"
    assert (answer.draft_text, answer.submitted_text, answer.status) == (
        "Our considered answer.",
        "Our considered answer.",
        AnswerStatus.SUBMITTED,
    )
    assert answer.submitted_at is not None
    assert messages_of(client.get(link_path(panelist))) == ["Your answer to round 1 is submitted."]


def test_an_htmx_autosave_returns_only_the_status_fragment(client, panelist):
    response = post_answer(
        client, panelist, "Typing along", "autosave", headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    status = soup_of(response).select_one("#round-1-status")
    assert response.status_code == 200
    assert "<html" not in body
    fragment = soup_of(response)
    assert [element.name for element in fragment.find_all(recursive=False)] == [
        "input",
        "input",
        "span",
    ]
    version = fragment.select_one("input#round-1-version")
    assert (version["data-hx-swap-oob"], version["value"]) == ("true", "1")  # the next save's
    seen = fragment.select_one("input#round-1-coordination-seen")
    assert seen["data-hx-swap-oob"] == "true"  # the page's record of its ticks, kept current
    assert status["role"] == "status"
    assert "Last saved at" in status.get_text()
    assert answer_of(panelist).draft_text == "Typing along"


def test_an_over_long_answer_is_refused_and_kept_in_the_textarea(client, panelist):
    text = "a" * (ANSWER_MAX_LENGTH + 1)

    response = post_answer(client, panelist, text, "submit")

    assert response.status_code == 200
    assert messages_of(response) == [
        "An answer holds at most 20,000 characters; this one has 20,001."
    ]
    assert len(soup_of(response).select_one("textarea#id_round-1-text").string) == 20_001
    assert not Answer.objects.filter(panelist=panelist).exists()


def test_an_empty_answer_cannot_be_submitted(client, panelist):
    response = post_answer(client, panelist, "   ", "submit")

    assert response.status_code == 200
    assert messages_of(response) == ["Write your answer before submitting it."]
    assert not Answer.objects.filter(panelist=panelist, status=AnswerStatus.SUBMITTED).exists()


def test_a_round_of_another_number_is_404(client, panelist):
    assert client.post(round_url(panelist, 9), {"round-9-text": "Hello"}).status_code == 404


# A concluded meeting ---------------------------------------------------------------------


@pytest.fixture
def concluded(panelist):
    """The panelist submitted an answer, then the meeting concluded."""
    submit_answer(panelist, panelist.meeting.rounds.get(number=1), "What I said at the meeting.")
    panelist.meeting.status = MeetingStatus.CONCLUDED
    panelist.meeting.save()
    return panelist


def test_a_concluded_meeting_shows_the_answers_read_only(client, concluded):
    response = client.get(link_path(concluded))

    soup = soup_of(response)
    assert response.status_code == 200
    assert soup.select("textarea") == []
    assert soup.find("button", string="Submit answer") is None
    assert soup.select_one("#round-1 .submitted-answer").get_text(strip=True) == (
        "What I said at the meeting."
    )
    assert (
        soup.select_one("#round-2").get_text(" ", strip=True).endswith("No answer was submitted.")
    )


@pytest.mark.parametrize("action", ["draft", "submit"])
def test_answers_to_a_concluded_meeting_no_longer_change(client, concluded, action):
    response = post_answer(client, concluded, "A late change.", action)

    answer = answer_of(concluded)
    assert response.status_code == 200
    assert messages_of(response) == ["The meeting is concluded: answers can no longer change."]
    assert (answer.draft_text, answer.submitted_text) == (
        "What I said at the meeting.",
        "What I said at the meeting.",
    )


def test_participation_in_a_concluded_meeting_no_longer_changes(client, concluded):
    response = client.post(
        f"{link_path(concluded)}participation/", {"participation": "declined"}, follow=True
    )

    concluded.refresh_from_db()
    assert concluded.status == PanelistStatus.INVITED
    assert messages_of(response) == ["The meeting is concluded: your reply can no longer change."]


# Language --------------------------------------------------------------------------------


def test_the_portal_speaks_the_panelists_preferred_language(client, panelist):
    panelist.preferred_language = "es"
    panelist.save()

    soup = soup_of(client.get(link_path(panelist)))

    assert soup.html["lang"] == "es"
    assert response_language(client, panelist) == "es"
    assert soup.h1.get_text() == "Gobernanza migratoria"
    assert soup.find("button", value="confirmed").get_text() == "Confirmar participación"
    assert soup.select_one("label[for=id_round-1-text]").get_text() == "¿Pregunta 1?"


def test_the_language_cookie_overrides_the_preferred_language(client, panelist):
    panelist.preferred_language = "es"
    panelist.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    soup = soup_of(client.get(link_path(panelist)))

    assert soup.html["lang"] == "en"
    assert soup.h1.get_text() == "Migration governance"
    assert soup.find("button", value="confirmed").get_text() == "Confirm participation"


def test_a_panelist_whose_language_nobody_set_gets_the_browsers(client, panelist):
    assert panelist.preferred_language == ""  # the default: not set

    response = client.get(link_path(panelist), headers={"Accept-Language": "pt-BR,pt;q=0.9"})

    soup = soup_of(response)
    assert soup.html["lang"] == "pt"
    assert soup.find("button", value="confirmed").get_text() == "Confirmar participação"
    assert soup_of(client.get(link_path(panelist))).html["lang"] == "en"  # no preference at all


def test_the_language_the_secretariat_set_wins_over_the_browsers(client, panelist):
    panelist.preferred_language = "fr"
    panelist.save()

    response = client.get(link_path(panelist), headers={"Accept-Language": "es,en;q=0.5"})

    assert soup_of(response).html["lang"] == "fr"
    assert response["Content-Language"] == "fr"


# The page --------------------------------------------------------------------------------


def test_the_textarea_is_labelled_by_the_rounds_question(client, panelist):
    soup = soup_of(client.get(link_path(panelist)))

    textarea = soup.select_one("#round-1 textarea")
    label = soup.find("label", attrs={"for": textarea["id"]})
    assert label.get_text() == "Question 1?"


def test_html_typed_into_an_answer_is_shown_escaped(client, panelist):
    post_answer(client, panelist, '<script>alert("x")</script><b>bold</b>', "draft")

    response = client.get(link_path(panelist))

    body = response.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in body
    assert "<b>bold</b>" not in body
    assert soup_of(response).select_one("#id_round-1-text").string == (
        '<script>alert("x")</script><b>bold</b>'
    )


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda client, panelist: client.get(link_path(panelist)), id="page"),
        pytest.param(
            lambda client, panelist: post_answer(client, panelist, "Draft", "draft"), id="save"
        ),
        pytest.param(
            lambda client, panelist: post_answer(client, panelist, "", "submit"), id="refused"
        ),
        pytest.param(
            lambda client, panelist: post_answer(
                client, panelist, "Draft", "autosave", headers={"HX-Request": "true"}
            ),
            id="autosave",
        ),
    ],
)
def test_portal_responses_are_neither_cached_nor_indexed(client, panelist, send):
    response = send(client, panelist)

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "private"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def response_language(client, panelist) -> str:
    return client.get(link_path(panelist))["Content-Language"]


def test_a_panelist_marks_the_mechanisms_they_propose_to_coordinate_with(client, panelist):
    from meetings.models import Turn
    from tests.factories import make_mechanism

    quito, r4v = make_mechanism(acronym_en="Quito Process"), make_mechanism(acronym_en="R4V")
    own = panelist.mechanism
    client.post(
        f"{link_path(panelist)}rounds/2/",
        answer_post(
            panelist,
            "We propose joint work with the Quito Process and R4V.",
            number=2,
            **{"round-2-coordination": [str(quito.pk), str(r4v.pk), str(own.pk), "x"]},
        ),
    )
    turn = Turn.objects.get(panelist=panelist, round__number=2)
    assert set(turn.coordination.all()) == {quito, r4v}  # never their own mechanism
    page = client.get(link_path(panelist)).content.decode()
    assert f'value="{quito.pk}" id="round-2-coordination-{quito.pk}" checked' in page


def test_the_portal_offers_the_mechanisms_named_in_the_answer_without_ticking_them(
    client, panelist
):
    from bs4 import BeautifulSoup

    from tests.factories import make_mechanism

    r4v = make_mechanism(acronym_en="R4V")
    make_mechanism(acronym_en="MIRPS")
    client.post(
        f"{link_path(panelist)}rounds/1/",
        answer_post(panelist, "Nous coordonnons avec la R4V."),
    )
    soup = BeautifulSoup(client.get(link_path(panelist)).content, "html.parser")
    box = soup.find(id=f"round-1-coordination-{r4v.pk}")
    label = soup.find("label", attrs={"for": box["id"]})
    assert "named in your answer" in label.get_text()
    assert not box.has_attr("checked")  # offered, never ticked for them
    named = [badge.find_parent("label").get_text() for badge in soup.select(".badge.text-bg-info")]
    assert len(named) == 1


def test_the_portal_keeps_the_secretariats_marks_and_the_panelists_own_ticks(client, panelist):
    from bs4 import BeautifulSoup

    from meetings.models import Turn
    from tests.factories import make_mechanism

    quito, r4v, gcm = (make_mechanism(acronym_en=name) for name in ("Quito", "R4V", "GCM"))
    page = BeautifulSoup(client.get(link_path(panelist)).content, "html.parser")
    seen = page.select_one("input#round-1-coordination-seen")["value"]
    turn = Turn.objects.get(panelist=panelist, round__number=1)
    turn.coordination.add(gcm)  # the secretariat marks GCM while the page is open
    response = client.post(
        f"{link_path(panelist)}rounds/1/",
        answer_post(
            panelist,
            "Typing along",
            "autosave",
            **{
                "round-1-coordination": [str(quito.pk), str(r4v.pk)],
                "round-1-coordination-seen": seen,
            },
        ),
        headers={"HX-Request": "true"},
    )
    assert set(turn.coordination.all()) == {quito, r4v, gcm}  # theirs added, GCM kept
    seen = soup_of(response).select_one("input#round-1-coordination-seen")["value"]
    client.post(
        f"{link_path(panelist)}rounds/1/",
        answer_post(
            panelist,
            "Typing along",
            "autosave",
            **{
                "round-1-coordination": [str(quito.pk)],  # R4V unticked again
                "round-1-coordination-seen": seen,
            },
        ),
        headers={"HX-Request": "true"},
    )
    assert set(turn.coordination.all()) == {quito, gcm}


# The answer open in two tabs or on two devices ----------------------------------------------

HTMX = {"HX-Request": "true"}


def test_an_autosave_over_a_newer_version_is_refused_with_both_texts(client, panelist):
    opened = answer_post(panelist)  # tab B's page: version 0
    post_answer(client, panelist, "Tab A's text.", "autosave", headers=HTMX)

    response = client.post(
        round_url(panelist),
        {**opened, "round-1-text": "Tab B's text.", "action": "autosave"},
        headers=HTMX,
    )

    fragment = soup_of(response)
    assert response.status_code == 409
    assert "another tab" in fragment.select_one("#round-1-status").get_text()
    panel = fragment.select_one("#round-1-conflict")
    assert panel["data-hx-swap-oob"] == "true"
    assert "Tab A's text." in panel.select_one(".answer-theirs").get_text()
    assert fragment.select_one("input#round-1-version")["value"] == "1"  # shown: saving goes on
    answer = answer_of(panelist)
    assert answer.draft_text == "Tab A's text."
    assert [(r.text, r.conflicted) for r in answer.revisions.order_by("pk")] == [
        ("Tab A's text.", False),
        ("Tab B's text.", True),
    ]


def test_a_save_over_a_newer_version_shows_both_texts_and_saving_again_keeps_it(client, panelist):
    opened = answer_post(panelist)
    post_answer(client, panelist, "Saved on the phone.", "draft")

    response = client.post(
        round_url(panelist), {**opened, "round-1-text": "Typed on the laptop.", "action": "submit"}
    )

    page = soup_of(response)
    assert response.status_code == 409
    assert page.select_one("textarea#id_round-1-text").get_text() == "Typed on the laptop."
    assert "Saved on the phone." in page.select_one("#round-1-conflict .answer-theirs").get_text()
    version = page.select_one("input#round-1-version")["value"]
    assert answer_of(panelist).status == AnswerStatus.DRAFT

    again = client.post(
        round_url(panelist),
        {**opened, "round-1-version": version, "round-1-text": "Typed on the laptop."}
        | {"action": "submit"},
    )

    assert again.status_code == 302
    assert answer_of(panelist).submitted_text == "Typed on the laptop."


def test_the_portal_gives_the_programme_around_the_panelists_rounds(client):
    from tests.factories import whole_agenda

    meeting = make_meeting(opening_minutes=0, closing_minutes=0)
    panelist = make_panelist(meeting)
    _opening, dialogue, _closing = whole_agenda(meeting)
    dialogue.planned_minutes = 30
    dialogue.save()
    soup = soup_of(client.get(link_path(panelist)))
    lines = [item.get_text(" ", strip=True) for item in soup.select(".programme li")]
    assert lines == [
        "10:00 Opening remarks",
        "10:05 Round 1",
        "10:12 Round 2",
        "10:19 Dialogue with delegations (3 minutes per intervention)",
        "10:49 Closing remarks",
        "10:54 End",
    ]
    slot = soup.select_one(".your-turns").get_text(" ", strip=True)
    assert "Round 1: you speak in position 1, planned at 10:05" in slot
