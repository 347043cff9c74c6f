"""Who may open what: one table for every URL of the meetings and portal namespaces.

A new view without a row in PERMISSIONS fails `test_every_url_has_an_entry_in_the_table`.
"""

import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from meetings.models import (
    Delegation,
    Email,
    EmailKind,
    EmailStatus,
    Intervention,
    ItemKind,
    Meeting,
    Panelist,
    RevisedText,
    TextRevision,
    Turn,
)
from meetings.roles import CHAIR, SECRETARIAT
from meetings.services.links import link_token
from meetings.services.revisions import save_text
from tests.factories import (
    answer_post,
    make_delegation,
    make_item,
    make_meeting,
    make_panelist,
    make_remarks_speaker,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "panelist", "other_panelist", "secretariat", "chair", "staff", "superuser")
NAMESPACES = ("meetings", "portal", "floor", "mechanisms", "outbox")
TOP_LEVEL_NAMES = (
    "home",
    "login",
    "logout",
    "set_language",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "password_change",
    "password_change_done",
)

LOGIN = "302 to sign-in"  # an expected status: a redirect to /accounts/login/?next=…
NEVER_ISSUED = "x" * 43  # a well-formed token no panelist holds


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)


def managed(status: int) -> dict:
    """Secretariat pages: sign in first; signed in without the role, 403."""
    return {
        "anonymous": LOGIN,
        "panelist": LOGIN,  # a personal link is no account
        "other_panelist": LOGIN,
        "secretariat": status,
        "chair": status,
        "staff": 403,
        "superuser": status,
    }


def signed_in(status: int) -> dict:
    """Pages for anyone with an account, whatever their role: sign in first."""
    return {
        **everyone(status),
        "anonymous": LOGIN,
        "panelist": LOGIN,
        "other_panelist": LOGIN,
    }


def portal(status: int) -> dict:
    """Portal pages open with a panelist's token only; signing in opens nothing there."""
    return {
        "anonymous": 404,
        "panelist": status,
        "other_panelist": status,
        "secretariat": 404,
        "chair": 404,
        "staff": 404,
        "superuser": 404,
    }


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    expected: dict

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


# Secretariat actions are posted with empty data: they must answer with a status, never 500
# (400 where the action takes fields: tests/meetings/test_malformed_requests.py).
PERMISSIONS = [
    Row("home", "GET", everyone(200)),
    Row("home", "POST", everyone(405)),
    Row("logout", "GET", everyone(405)),  # signing out is a POST (CSRF-protected)
    Row("logout", "POST", everyone(302)),
    Row(
        "set_language", "POST", everyone(400)
    ),  # no language given (tests/meetings/test_malformed_requests.py)
    Row("mechanisms:directory", "GET", everyone(200)),
    Row("mechanisms:directory", "POST", everyone(405)),
    Row("mechanisms:overlap", "GET", everyone(200)),
    Row("mechanisms:overlap", "POST", everyone(405)),
    Row("mechanisms:detail", "GET", everyone(200)),
    Row("mechanisms:detail", "POST", everyone(405)),
    Row("meetings:detail", "POST", everyone(405)),
    Row("meetings:live", "POST", everyone(405)),
    Row("meetings:events", "POST", everyone(405)),
    Row("meetings:display", "POST", everyone(405)),
    Row(
        "login", "GET", {**everyone(302), "anonymous": 200, "panelist": 200, "other_panelist": 200}
    ),
    # A forgotten password: anyone may ask (the same page whether an account exists or not);
    # a link that does not work (as here) says so. Changing one's password needs an account.
    Row("password_reset", "GET", everyone(200)),
    Row("password_reset", "POST", everyone(400)),  # no address given
    Row("password_reset_done", "GET", everyone(200)),
    Row("password_reset_done", "POST", everyone(405)),
    Row("password_reset_confirm", "GET", everyone(200)),
    Row("password_reset_confirm", "POST", everyone(200)),
    Row("password_reset_complete", "GET", everyone(200)),
    Row("password_reset_complete", "POST", everyone(405)),
    Row("password_change", "GET", signed_in(200)),
    Row("password_change", "POST", signed_in(400)),  # nothing given
    Row("password_change_done", "GET", signed_in(200)),
    Row("password_change_done", "POST", signed_in(405)),
    Row("meetings:list", "GET", managed(200)),
    Row("meetings:create", "GET", managed(200)),
    Row("meetings:create", "POST", managed(400)),  # every field missing
    Row("meetings:detail", "GET", everyone(200)),
    Row("meetings:calendar", "GET", everyone(200)),
    Row("meetings:live", "GET", everyone(200)),
    # The streams are served under ASGI (tests/meetings/live/test_events.py); this is WSGI.
    Row("meetings:events", "GET", everyone(404)),
    # The record: the public sees it once published (this one is not), the secretariat always.
    Row(
        "meetings:report",
        "GET",
        {**everyone(404), "secretariat": 200, "chair": 200, "superuser": 200},
    ),
    Row("meetings:report_publish", "POST", managed(302)),
    Row("meetings:report_summary", "GET", managed(200)),
    Row("meetings:report_summary", "POST", managed(400)),
    Row("meetings:report_intervention_summary", "GET", managed(200)),
    Row("meetings:report_intervention_summary", "POST", managed(400)),
    Row("meetings:report_history", "GET", managed(200)),
    Row("meetings:report_restore", "POST", managed(302)),
    Row("meetings:display", "GET", everyone(200)),
    Row("meetings:console", "GET", managed(200)),
    Row("meetings:console_panels", "GET", managed(200)),
    Row("meetings:console_action", "POST", managed(400)),
    Row("meetings:console_message", "POST", managed(400)),
    Row("meetings:console_reorder", "POST", managed(400)),
    Row("meetings:console_notes", "GET", managed(404)),  # no turn given
    Row("meetings:console_notes", "POST", managed(400)),
    Row("meetings:console_floor", "POST", managed(400)),
    Row("meetings:edit", "GET", managed(200)),
    Row("meetings:edit", "POST", managed(400)),
    Row("meetings:panel", "GET", managed(200)),
    Row("meetings:panelist_add", "GET", managed(200)),
    Row("meetings:panelist_add", "POST", managed(400)),
    Row("meetings:panelist", "GET", managed(200)),
    Row("meetings:panelist_edit", "GET", managed(200)),
    Row("meetings:panelist_edit", "POST", managed(400)),
    Row("meetings:panelist_remove", "POST", managed(302)),
    Row("meetings:panelist_link", "POST", managed(400)),
    # The panelist has not declined: the page says so on the panel.
    Row("meetings:panelist_substitute", "GET", managed(302)),
    Row("meetings:panelist_substitute", "POST", managed(400)),  # no fields given
    Row("meetings:invite_all", "GET", managed(200)),
    Row("meetings:invite_all", "POST", managed(302)),
    Row("meetings:send_updates", "POST", managed(302)),
    Row("meetings:panelist_email", "GET", managed(200)),
    Row("meetings:panelist_email", "POST", managed(302)),
    Row("meetings:email_retry", "POST", managed(302)),
    Row("outbox:list", "GET", managed(200)),
    Row("outbox:email", "GET", managed(200)),
    Row("outbox:resend", "POST", managed(302)),
    Row("outbox:progress", "GET", managed(200)),
    Row("meetings:order", "GET", managed(200)),
    Row("meetings:order_move", "POST", managed(400)),
    Row("meetings:order_set", "POST", managed(400)),
    Row("meetings:order_copy", "POST", managed(400)),
    Row("meetings:agenda", "GET", managed(200)),
    Row("meetings:agenda_add", "POST", managed(400)),
    Row("meetings:agenda_edit", "POST", managed(400)),
    Row("meetings:agenda_move", "POST", managed(400)),
    Row("meetings:agenda_remove", "POST", managed(400)),
    Row("meetings:speaker_add", "POST", managed(400)),
    Row("meetings:speaker_edit", "POST", managed(400)),
    Row("meetings:speaker_move", "POST", managed(400)),
    Row("meetings:speaker_remove", "POST", managed(400)),
    Row("meetings:delegations", "GET", managed(200)),
    Row("meetings:delegation_add", "POST", managed(400)),
    Row("meetings:delegation_attendance", "POST", managed(400)),
    Row("meetings:delegation_link", "POST", managed(400)),
    Row("meetings:delegation_links", "GET", managed(200)),
    Row("meetings:api", "GET", managed(200)),
    Row("meetings:api_token_add", "POST", managed(400)),  # no name
    Row("meetings:api_token_revoke", "POST", managed(400)),  # no token
    Row("meetings:webhook_add", "POST", managed(400)),  # no url
    Row("meetings:webhook_enable", "POST", managed(400)),  # no webhook
    Row("meetings:webhook_test", "POST", managed(400)),
    Row("meetings:webhook_remove", "POST", managed(400)),
    Row("meetings:convene", "GET", managed(200)),
    Row("meetings:convene", "POST", managed(302)),
    Row("meetings:participants", "GET", managed(200)),
    Row("meetings:participants_csv", "GET", managed(200)),
    Row("portal:respond", "GET", portal(200)),
    Row("portal:speaker", "GET", portal(200)),
    Row("portal:participation", "POST", portal(400)),
    Row("portal:decline", "GET", portal(200)),
    Row("portal:decline", "POST", portal(400)),  # no reason field (empty is a reason)
    Row("portal:answer", "POST", portal(400)),
    # A delegation's floor page: its link only (the "panelist" roles hold a delegation's link).
    Row("floor:page", "GET", portal(200)),
    Row("floor:act", "POST", portal(400)),  # no action
    Row("floor:confirm", "POST", portal(400)),  # no action
]
POST_ONLY = sorted(
    {row.name for row in PERMISSIONS} - {row.name for row in PERMISSIONS if row.method == "GET"}
)


def named_urls(resolver=None, namespace: str = "", converters=None) -> dict[str, list[str]]:
    """Every URL name under the root resolver, with its namespace, and its parameters."""
    resolver = resolver or get_resolver()
    found: dict[str, list[str]] = {}
    for entry in resolver.url_patterns:
        params = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(named_urls(entry, inner, params))
        elif entry.name:
            found[f"{namespace}{entry.name}"] = list(params)
    return found


def in_scope(name: str) -> bool:
    return name in TOP_LEVEL_NAMES or name.split(":")[0] in NAMESPACES


URLS = {name: params for name, params in named_urls().items() if in_scope(name)}


@dataclass
class World:
    meeting: Meeting
    panelist: Panelist
    other_meeting: Meeting
    other_panelist: Panelist
    email: Email
    turn: Turn
    revision: TextRevision
    delegation: Delegation
    other_delegation: Delegation


@pytest.fixture
def world() -> World:
    meeting = make_meeting(title_en="Meeting A on water governance")
    panelist = make_panelist(meeting)
    make_panelist(meeting)  # two speakers, so an empty speaking order is refused
    other_meeting = make_meeting(title_en="Meeting B on labour mobility")
    email = Email.objects.create(
        meeting=meeting,
        batch=uuid.uuid4(),
        panelist=panelist,
        kind=EmailKind.INVITATION,
        to=panelist.email,
        language="en",
        subject="Invitation",
        status=EmailStatus.FAILED,
        error="Connection refused",
    )
    turn = Turn.objects.get(panelist=panelist, round__number=1)
    save_text(turn, RevisedText.SUMMARY, "A first summary.", base_version=0, by=None)
    return World(
        meeting,
        panelist,
        other_meeting,
        make_panelist(other_meeting),
        email,
        turn,
        TextRevision.objects.get(turn=turn),
        make_delegation(meeting),
        make_delegation(other_meeting),
    )


def client_for(role: str) -> Client:
    client = Client()
    users = {
        "secretariat": lambda: make_user(SECRETARIAT),
        "chair": lambda: make_user(CHAIR),
        "staff": lambda: make_user(is_staff=True),
        "superuser": lambda: make_user(is_staff=True, is_superuser=True),
    }
    if role in users:
        client.force_login(users[role]())
    return client


def token_for(role: str, world: World, name: str = "") -> str:
    """The link the role holds: a panelist's, or on a floor page a delegation's."""
    floor = name.startswith("floor:")
    if role == "panelist":
        return link_token(world.delegation if floor else world.panelist)
    if role == "other_panelist":
        return link_token(world.other_delegation if floor else world.other_panelist)
    return NEVER_ISSUED


def remarks_speaker(world: World):
    """A remarks speaker of the world's meeting, made the first time a URL names one."""
    found = Intervention.objects.filter(meeting=world.meeting).first()
    return found or make_remarks_speaker(make_item(world.meeting, ItemKind.REMARKS))


def url_for(name: str, role: str, world: World) -> str:
    values = {
        "slug": world.panelist.mechanism.slug
        if name.startswith("mechanisms:")
        else world.meeting.slug,
        "pk": world.email.pk
        if name in ("meetings:email_retry", "outbox:email", "outbox:resend")
        else world.panelist.pk,
        "batch": world.email.batch,
        "number": 1,
        "kind": EmailKind.INVITATION.value,
        "token": token_for(role, world, name),
        "turn_id": world.turn.pk,
        "intervention_id": remarks_speaker(world).pk if "intervention_id" in URLS[name] else 0,
        "revision_id": world.revision.pk,
        "uidb64": "MQ",  # a user's id as a reset link writes it
    }
    return reverse(name, kwargs={param: values[param] for param in URLS[name]})


def request(client: Client, method: str, url: str):
    return client.get(url) if method == "GET" else client.post(url, {})


def test_every_url_has_an_entry_in_the_table():
    assert set(TOP_LEVEL_NAMES) <= set(URLS)
    assert sorted(set(URLS) - {row.name for row in PERMISSIONS}) == []


def test_the_table_names_only_urls_that_exist():
    assert sorted({row.name for row in PERMISSIONS} - set(URLS)) == []


def test_every_row_gives_a_status_for_every_role():
    assert [str(row) for row in PERMISSIONS if set(row.expected) != set(ROLES)] == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", PERMISSIONS, ids=str)
def test_each_role_gets_the_status_of_the_table(row, role, world):
    url = url_for(row.name, role, world)

    response = request(client_for(role), row.method, url)

    expected = row.expected[role]
    if expected == LOGIN:
        assert (response.status_code, response["Location"]) == (
            302,
            f"/accounts/login/?next={url}",
        )
    else:
        assert response.status_code == expected


GET_ROWS = [row for row in PERMISSIONS if row.method == "GET"]
OTHER_GET_PATHS = ["/favicon.ico", "/admin/", "/admin/meetings/meeting/", "/admin/login/"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", GET_ROWS, ids=str)
def test_head_is_answered_wherever_get_is(row, role, world):
    """Health checks and link checkers ask HEAD: the same status as GET, and no body."""
    url = url_for(row.name, role, world)
    client = client_for(role)
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code
    assert head.get("Location") == got.get("Location")
    assert head.content == b""


@pytest.mark.parametrize("role", ["anonymous", "superuser"])
@pytest.mark.parametrize("path", OTHER_GET_PATHS)
def test_head_is_answered_outside_the_table_too(path, role, world):
    client = client_for(role)
    assert client.head(path).status_code == client.get(path).status_code


def test_every_url_that_answers_get_is_checked_for_head():
    assert {row.name for row in GET_ROWS} == {
        name for name in URLS if name not in POST_ONLY and name != "set_language"
    }


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("panelist", "Meeting A on water governance", "Meeting B on labour mobility"),
        ("other_panelist", "Meeting B on labour mobility", "Meeting A on water governance"),
    ],
)
def test_a_token_only_ever_shows_its_own_panelists_meeting(role, shown, hidden, world):
    response = Client().get(url_for("portal:respond", role, world))

    body = response.content.decode()
    assert response.status_code == 200
    assert shown in body
    assert hidden not in body


def test_a_token_only_ever_acts_for_its_own_panelist(world):
    url = url_for("portal:answer", "other_panelist", world)

    Client().post(url, answer_post(world.other_panelist, "Labour mobility first.", "submit"))

    assert list(world.other_panelist.answers.values_list("submitted_text", flat=True)) == [
        "Labour mobility first."
    ]
    assert not world.panelist.answers.exists()


@pytest.mark.parametrize("name", [name for name in POST_ONLY if name.startswith("meetings:")])
def test_secretariat_actions_answer_get_with_405(name, world):
    response = client_for("secretariat").get(url_for(name, "secretariat", world))
    assert response.status_code == 405


@pytest.mark.parametrize(
    "name", [name for name in POST_ONLY if name.startswith(("portal:", "floor:"))]
)
def test_portal_actions_answer_get_with_405(name, world):
    response = Client().get(url_for(name, "panelist", world))
    assert response.status_code == 405


DRAFT_VISIBILITY = {
    "anonymous": 404,
    "secretariat": 200,
    "chair": 200,
    "staff": 404,
    "superuser": 200,
}


@pytest.mark.parametrize(("role", "status"), DRAFT_VISIBILITY.items())
@pytest.mark.parametrize("name", ["meetings:detail", "meetings:calendar"])
def test_a_draft_meeting_is_shown_only_to_those_who_manage_meetings(name, role, status):
    draft = make_meeting(status="draft")

    response = client_for(role).get(reverse(name, args=[draft.slug]))

    assert response.status_code == status


def test_the_home_page_does_not_list_draft_meetings():
    make_meeting(title_en="A scheduled meeting on returns")
    make_meeting(title_en="A draft meeting on visas", status="draft")

    body = Client().get(reverse("home")).content.decode()

    assert "A scheduled meeting on returns" in body
    assert "A draft meeting on visas" not in body
