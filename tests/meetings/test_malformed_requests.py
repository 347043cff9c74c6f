"""Every POST of the application, malformed: a field left out, a JSON body, a text/plain body.

Each answers 400 and changes nothing in the database (SECURITY.md, finding 6: an autosave without
its text once saved an empty draft). BODIES holds, for every URL that takes a POST, the complete
body its page sends; `test_every_post_url_has_a_body_here` fails for a new one without a row. The
request is made as someone allowed to act (the secretariat, the panelist's link...), so that only
the body can be the reason for the refusal."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from meetings.forms import SubstituteForm
from meetings.models import ItemKind
from meetings.services.links import link_token
from tests.browser.conftest import PASSWORD
from tests.factories import (
    answer_post,
    every_field,
    make_delegation,
    make_item,
    make_remarks_speaker,
    meeting_form,
    panelist_form,
    saved_rounds,
)
from tests.meetings.test_permissions import (
    LOGIN,
    PERMISSIONS,
    URLS,
    World,
    client_for,
    url_for,
)
from tests.meetings.test_permissions import world as world

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Post:
    role: str  # who may act (tests/meetings/test_permissions.client_for)
    body: Callable[[World, Client], dict] = lambda world, client: {}
    optional: frozenset = field(default_factory=frozenset)  # fields a page may leave out


def loaded_version(client: Client, url: str) -> str:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(url).content, "html.parser")
    return page.find("input", {"name": "loaded_version"})["value"]


def meeting_edit(world: World, client: Client) -> dict:
    url = reverse("meetings:edit", args=[world.meeting.slug])
    return meeting_form(
        slug=world.meeting.slug,
        loaded_version=loaded_version(client, url),
        **saved_rounds(world.meeting),
    )


def panelist_edit(world: World, client: Client) -> dict:
    url = reverse("meetings:panelist_edit", args=[world.meeting.slug, world.panelist.pk])
    return panelist_form(
        mechanism=world.panelist.mechanism_id,
        name="Ana María",
        loaded_version=loaded_version(client, url),
    )


def reset_password_page(world: World, client: Client) -> dict:
    """The email's link opened first (Django keeps its token in the session)."""
    user = world.user
    link = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    world.url = client.get(link)["Location"]
    return {"new_password1": "An0ther-long-password!", "new_password2": "An0ther-long-password!"}


def speakers(world: World) -> list[int]:
    return list(
        world.meeting.turns.filter(round__number=1)
        .order_by("position")
        .values_list("panelist_id", flat=True)
    )


def agenda_item(world: World, kind: str = ItemKind.OTHER):
    """An item of the world's meeting of this kind (a remarks item with its Chair), made once."""
    item = world.meeting.agenda.filter(kind=kind).first()
    if item is None:
        item = make_item(world.meeting, kind)
        if kind == ItemKind.REMARKS:
            make_remarks_speaker(item)
    return item


def item_fields(prefix: str) -> dict:
    names = ("title_en", "title_es", "title_fr", "title_pt", "speaking_seconds")
    return {f"{prefix}-{name}": "" for name in names} | {
        f"{prefix}-title_en": "Coffee break",
        f"{prefix}-planned_minutes": "15",
    }


def speaker_fields(prefix: str) -> dict:
    names = ("speaker_en", "speaker_es", "speaker_fr", "speaker_pt", "speaker_name")
    return {f"{prefix}-{name}": "" for name in names} | {
        f"{prefix}-speaker_en": "OAS official",
        f"{prefix}-attendance": "online",
    }


def remarks_speaker(world: World):
    return agenda_item(world, ItemKind.REMARKS).interventions.first()


def api_token(world: World, client) -> dict:
    from meetings.services.api_tokens import create_token

    return {"token": str(create_token(world.meeting, "Stream Deck", by=None)[0].pk)}


def a_webhook(world: World, client) -> dict:
    from meetings.services.webhooks import add_webhook

    return {"webhook": str(add_webhook(world.meeting, "https://mixer.example.org/", by=None)[0].pk)}


def a_delegation(world: World):
    return world.meeting.delegations.first() or make_delegation(world.meeting)


OBSERVER = {
    "new-kind": "observer",
    "new-code": "ES",
    "new-name_en": "Spain",
    "new-name_es": "",
    "new-name_fr": "",
    "new-name_pt": "",
}

BODIES: dict[str, Post] = {
    "logout": Post("secretariat"),
    "set_language": Post("anonymous", lambda w, c: {"language": "es"}, frozenset({"next"})),
    "login": Post("anonymous", lambda w, c: {"username": "clerk", "password": PASSWORD}),
    "password_reset": Post("anonymous", lambda w, c: {"email": "clerk@example.org"}),
    "password_reset_confirm": Post("anonymous", reset_password_page),
    "password_change": Post(
        "secretariat",
        lambda w, c: {
            "old_password": PASSWORD,
            "new_password1": "An0ther-long-password!",
            "new_password2": "An0ther-long-password!",
        },
    ),
    "meetings:create": Post("secretariat", lambda w, c: meeting_form()),
    "meetings:edit": Post("secretariat", meeting_edit),
    "meetings:report_publish": Post("secretariat"),
    "meetings:report_summary": Post(
        "secretariat",
        lambda w, c: {"summary": "A summary.", "summary_version": "1", "coordination_seen": ""},
        frozenset({"coordination_seen"}),
    ),
    "meetings:report_intervention_summary": Post(
        "secretariat", lambda w, c: {"summary": "A summary.", "summary_version": "0"}
    ),
    "meetings:report_restore": Post("secretariat"),
    "meetings:console_action": Post(
        "secretariat", lambda w, c: {"action": "start", "version": "0"}, frozenset({"version"})
    ),
    "meetings:console_message": Post("secretariat", lambda w, c: {"message": "Please conclude"}),
    "meetings:console_reorder": Post(
        "secretariat",
        lambda w, c: {"round": "1", "panelist": str(speakers(w)[0]), "offset": "1"},
    ),
    "meetings:console_notes": Post(
        "secretariat",
        lambda w, c: {"turn": str(w.turn.pk), "notes": "Notes.", "notes_version": "0"},
    ),
    "meetings:console_floor": Post(
        "secretariat", lambda w, c: {"action": "close", "item": "1"}, frozenset({"delegation"})
    ),
    "meetings:panelist_add": Post(
        "secretariat",
        lambda w, c: panelist_form(mechanism=w.panelist.mechanism_id, name="Luis Gómez"),
    ),
    "meetings:panelist_edit": Post("secretariat", panelist_edit),
    "meetings:panelist_remove": Post("secretariat"),
    "meetings:panelist_substitute": Post(
        "secretariat",
        lambda w, c: every_field(SubstituteForm) | {"name": "Eva Ruiz", "invite": "on"},
        frozenset({"invite"}),
    ),
    "meetings:send_updates": Post(
        "secretariat", lambda w, c: {"back": "panel"}, frozenset({"back"})
    ),
    "meetings:panelist_link": Post("secretariat", lambda w, c: {"action": "revoke"}),
    "meetings:invite_all": Post("secretariat"),
    "meetings:panelist_email": Post("secretariat"),
    "meetings:email_retry": Post("secretariat"),
    "outbox:resend": Post("secretariat"),
    "meetings:order_move": Post(
        "secretariat", lambda w, c: {"panelist": str(speakers(w)[0]), "offset": "1"}
    ),
    "meetings:order_set": Post(
        "secretariat", lambda w, c: {"order": ",".join(map(str, reversed(speakers(w))))}
    ),
    "meetings:order_copy": Post("secretariat", lambda w, c: {"reverse": "1"}),
    "meetings:agenda_add": Post(
        "secretariat", lambda w, c: item_fields("new-item") | {"new-item-kind": "other"}
    ),
    "meetings:agenda_edit": Post(
        "secretariat", lambda w, c: item_fields("item") | {"item": str(agenda_item(w).pk)}
    ),
    "meetings:agenda_move": Post(
        "secretariat", lambda w, c: {"item": str(agenda_item(w).pk), "offset": "-1"}
    ),
    "meetings:agenda_remove": Post("secretariat", lambda w, c: {"item": str(agenda_item(w).pk)}),
    "meetings:speaker_add": Post(
        "secretariat",
        lambda w, c: (
            speaker_fields("new-speaker") | {"item": str(agenda_item(w, ItemKind.REMARKS).pk)}
        ),
    ),
    "meetings:speaker_edit": Post(
        "secretariat",
        lambda w, c: speaker_fields("speaker") | {"speaker": str(remarks_speaker(w).pk)},
    ),
    "meetings:speaker_move": Post(
        "secretariat", lambda w, c: {"speaker": str(remarks_speaker(w).pk), "offset": "1"}
    ),
    "meetings:speaker_remove": Post(
        "secretariat", lambda w, c: {"speaker": str(remarks_speaker(w).pk)}
    ),
    "meetings:delegation_add": Post("secretariat", lambda w, c: dict(OBSERVER)),
    "meetings:delegation_attendance": Post(
        "secretariat",
        lambda w, c: {"delegation": str(a_delegation(w).pk), "attendance": "online"},
    ),
    "meetings:delegation_link": Post(
        "secretariat", lambda w, c: {"delegation": str(a_delegation(w).pk), "action": "revoke"}
    ),
    "portal:participation": Post("panelist", lambda w, c: {"participation": "confirmed"}),
    "portal:decline": Post("panelist", lambda w, c: {"reason": ""}),
    "portal:answer": Post(
        "panelist",
        lambda w, c: answer_post(w.panelist, "A draft.", "autosave"),
        frozenset({"round-1-coordination-seen"}),
    ),
    "floor:act": Post("panelist", lambda w, c: {"action": "point_of_order"}),
    "floor:confirm": Post(
        "panelist",
        lambda w, c: {"action": "save", "rep-TOTAL_FORMS": "0", "rep-INITIAL_FORMS": "0"},
    ),
    "meetings:convene": Post("secretariat"),
    "meetings:api_token_add": Post("secretariat", lambda w, c: {"name": "Stream Deck"}),
    "meetings:api_token_revoke": Post("secretariat", api_token),
    "meetings:webhook_add": Post("secretariat", lambda w, c: {"url": "https://mixer.example.org/"}),
    "meetings:webhook_enable": Post("secretariat", lambda w, c: a_webhook(w, c) | {"enabled": "0"}),
    "meetings:webhook_test": Post("secretariat", a_webhook),
    "meetings:webhook_remove": Post("secretariat", a_webhook),
}


def takes_post(name: str) -> bool:
    rows = [row for row in PERMISSIONS if row.name == name and row.method == "POST"]
    statuses = {status for row in rows for status in row.expected.values() if status != LOGIN}
    return name == "login" or statuses - {405} != set()


def test_every_post_url_has_a_body_here():
    assert sorted(name for name in URLS if takes_post(name) and name not in BODIES) == []
    assert sorted(name for name in BODIES if not takes_post(name)) == []


# The database, every table (sessions aside: the signed-in client's own row).


def database() -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


@dataclass
class Scene:
    client: Client
    url: str
    body: dict


@pytest.fixture
def scene(world, request) -> Scene:
    from django.contrib.auth import get_user_model

    name = request.param
    post = BODIES[name]
    world.user = get_user_model().objects.create_user(
        "clerk", "clerk@example.org", PASSWORD, is_staff=False
    )
    client = client_for(post.role)
    if post.role == "secretariat" and name == "password_change":
        client.force_login(world.user)
    world.url = url_for(name, post.role, world)
    body = post.body(world, client)
    return Scene(client, world.url, body)


def posts_with_fields():
    return [
        pytest.param(name, field_name, id=f"{name} without {field_name}")
        for name, post in BODIES.items()
        for field_name in body_names(name)
        if field_name not in post.optional
    ]


def body_names(name: str) -> list[str]:
    """The fields of a URL's body, without a database: the factories' keys, or a world's."""
    static = {
        "meetings:create": meeting_form(),
        "meetings:edit": meeting_form() | {"rounds-0-id": "", "rounds-1-id": ""},
        "meetings:panelist_add": panelist_form(),
        "meetings:panelist_edit": panelist_form(),
        "meetings:panelist_substitute": every_field(SubstituteForm),
        "portal:answer": {"round-1-text": "", "action": "", "round-1-version": ""},
        "password_reset_confirm": {"new_password1": "", "new_password2": ""},
    }
    if name in static:
        return sorted(static[name])
    return sorted(BODIES[name].body(None, None)) if name not in NEEDS_WORLD else NEEDS_WORLD[name]


NEEDS_WORLD = {
    "meetings:agenda_edit": sorted([*item_fields("item"), "item"]),
    "meetings:agenda_move": ["item", "offset"],
    "meetings:agenda_remove": ["item"],
    "meetings:speaker_add": sorted([*speaker_fields("new-speaker"), "item"]),
    "meetings:speaker_edit": sorted([*speaker_fields("speaker"), "speaker"]),
    "meetings:speaker_move": ["offset", "speaker"],
    "meetings:speaker_remove": ["speaker"],
    "meetings:delegation_attendance": ["attendance", "delegation"],
    "meetings:delegation_link": ["action", "delegation"],
    "meetings:console_reorder": ["offset", "panelist", "round"],
    "meetings:order_move": ["offset", "panelist"],
    "meetings:order_set": ["order"],
    "meetings:console_notes": ["notes", "notes_version", "turn"],
    "meetings:api_token_revoke": ["token"],
    "meetings:webhook_enable": ["enabled", "webhook"],
    "meetings:webhook_test": ["webhook"],
    "meetings:webhook_remove": ["webhook"],
}

# Management fields a formset page sends and Django does not read (MIN/MAX) and the fields a
# page may leave out (checkboxes) are not required.
NOT_READ = {"rounds-MIN_NUM_FORMS", "rounds-MAX_NUM_FORMS"}


@pytest.mark.parametrize(
    ("scene", "left_out"),
    [param for param in posts_with_fields() if param.values[1] not in NOT_READ],
    indirect=["scene"],
)
def test_a_post_without_one_of_its_fields_is_refused_and_changes_nothing(scene, left_out):
    body = {key: value for key, value in scene.body.items() if key != left_out}
    before = database()

    response = scene.client.post(scene.url, body)

    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode()
    assert database() == before


@pytest.mark.parametrize("scene", sorted(BODIES), indirect=True)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_post_whose_body_is_not_a_form_is_refused_and_changes_nothing(scene, content_type):
    if content_type == "application/json":
        data = json.dumps(scene.body)
    else:
        data = "&".join(f"{key}={value}" for key, value in scene.body.items()) or "x"
    before = database()

    response = scene.client.post(scene.url, data, content_type=content_type)

    assert response.status_code == 400
    assert database() == before


@pytest.mark.parametrize("scene", sorted(BODIES), indirect=True)
def test_the_complete_body_is_not_refused(scene):
    """The bodies above are those the pages send: whole, each is accepted as a request (its
    values may still be refused, with a message, as a person's input)."""
    response = scene.client.post(scene.url, scene.body)

    assert response.status_code not in (400, 403, 404, 405)


def test_htmx_is_told_where_to_show_the_refusal(world):
    client = Client()
    url = url_for("portal:answer", "panelist", world)

    response = client.post(url, {"action": "autosave"}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#request-error", "innerHTML")
    assert 'role="alert"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_an_autosave_without_its_text_saves_no_empty_draft(world):
    """The finding itself: the draft stays as it was."""
    client = Client()
    url = url_for("portal:answer", "panelist", world)
    client.post(url, answer_post(world.panelist, "My draft.", "draft"))
    token = link_token(world.panelist)
    assert token

    for body in (
        {"action": "autosave", "round-1-version": "1"},
        json.dumps({"action": "autosave"}),
    ):
        kwargs = {"content_type": "application/json"} if isinstance(body, str) else {}
        response = client.post(url, body, headers={"HX-Request": "true"}, **kwargs)
        assert response.status_code == 400

    assert world.panelist.answers.get(round__number=1).draft_text == "My draft."
