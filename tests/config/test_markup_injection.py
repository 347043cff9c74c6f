"""No text a user typed ever reaches a page as markup, and htmx acts only on what we wrote
(SECURITY.md, finding 1).

One meeting is seeded with hostile values in every text field of every model (tags, htmx
attributes, `meta refresh`, an open `form`, attribute break-outs, `javascript:` URLs, template
syntax). Then every page of the URLconf is opened as the public, a panelist and a superuser
(the roles that see different templates), plus the htmx fragments, the forms that echo what
was posted and the admin's send-emails preview. Each response is parsed (html.parser): a
payload that comes out as an element or an attribute fails, wherever it is. The same walk
proves that every template is rendered by some page, that htmx is configured before it loads,
that no element htmx would act on sits where htmx is off, and that every text a user wrote is
inside a `data-hx-disable` container on the pages where htmx runs.

The data is built and the pages are opened once for the module (about 300 requests).
"""

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mechanisms.models import Mechanism, Organisation, SeedRecord
from meetings.models import (
    Answer,
    AnswerRevision,
    Delegation,
    DelegationKind,
    Email,
    EmailKind,
    EmailStatus,
    Intervention,
    ItemKind,
    Meeting,
    MeetingLog,
    Panelist,
    PanelistStatus,
    Representative,
    RevisedText,
    TextRevision,
    Turn,
    WebhookAttempt,
)
from meetings.services import live_session
from meetings.services.answers import submit_answer
from meetings.services.api_tokens import create_token
from meetings.services.audit import log_action
from meetings.services.links import link_token
from meetings.services.publication import publish
from meetings.services.revisions import save_text
from meetings.services.webhooks import add_webhook, send_test
from tests.factories import (
    make_delegation,
    make_item,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_remarks_speaker,
    make_state,
    make_user,
)

# The data lives only while the module's fixture walks the pages; the mark makes pytest-django
# create the test database.
pytestmark = pytest.mark.django_db

MARK = "data-pwn"  # every payload carries it: as an attribute name it means markup got out
# Each vector on its own; a field gets as many as its length allows, starting at a different
# one for each field, so that short fields still carry tags and break-outs.
VECTORS = [
    f"<b {MARK}>bold</b>",
    f"<div hx-post=/admin/ hx-trigger=load {MARK}>",
    f'"{MARK}="',
    f"'{MARK}='",
    f"<meta http-equiv=refresh content=0;url=//evil.example {MARK}>",
    f"<form action=//evil.example {MARK}>",
    f"<div data-hx-get=/admin/ data-hx-trigger=load {MARK}>",
    f"</textarea></title></pre><b {MARK}>",
    f"<img src=x onerror=alert(1) {MARK}>",
    f"<a href=javascript:alert(1) {MARK}>link</a>",
    f"--><svg onload=alert(1) {MARK}>",
    '{{ request }}{% now "Y" %}',
    f"<script {MARK}>alert(1)</script>",
    f"<base href=//evil.example {MARK}>",
]
URL_PAYLOAD = f'javascript:alert(1)//"{MARK}="'
EMAIL_PAYLOAD = f'"<b/{MARK}>"@example.org'  # a valid address (RFC 5321 quoted), and a tag


def payload(max_length: int | None, start: int) -> str:
    """The vectors, from the start-th on, as many as fit in max_length."""
    limit = max_length or 10_000
    text = ""
    for index in range(len(VECTORS)):
        vector = VECTORS[(start + index) % len(VECTORS)]
        if len(text) + len(vector) <= limit:
            text += vector
    return text


# Fields no one types: identifiers, keys and digests, codes a validator checks, passwords.
NOT_TYPED = {
    "slug",
    "link_salt",
    "link_digest",
    "digest",
    "password",
    "time_zone",
    "language",
    "key",
}


def typed_fields(model) -> list[models.Field]:
    return [
        each
        for each in model._meta.concrete_fields
        if isinstance(each, models.CharField | models.TextField)
        and not each.choices
        and not isinstance(each, models.SlugField)
        and each.name not in NOT_TYPED
        and (each.max_length or 10_000) >= 12  # room for a tag (ISO codes have 2 or 3)
    ]


def hostile_values(model, start: int) -> dict[str, str]:
    values = {}
    for index, each in enumerate(typed_fields(model)):
        if isinstance(each, models.URLField):
            values[each.name] = URL_PAYLOAD
        elif isinstance(each, models.EmailField):
            values[each.name] = EMAIL_PAYLOAD
        else:
            values[each.name] = payload(each.max_length, start + index)
    return values


MADE_HOSTILE: set[type[models.Model]] = set()


def make_hostile(instance, start: int = 0):
    """Every typed field of the record made hostile, written past validation (the admin, an
    import or an old version may have stored anything)."""
    model = type(instance)
    MADE_HOSTILE.add(model)
    model.objects.filter(pk=instance.pk).update(**hostile_values(model, start))
    instance.refresh_from_db()
    return instance


@dataclass
class World:
    meeting: Meeting
    panelist: Panelist
    mechanism: Mechanism
    superuser: object
    turn: Turn
    revision: TextRevision
    email: Email
    delegation: Delegation


def build_world() -> World:
    superuser = make_user(is_staff=True, is_superuser=True)
    organisation = Organisation.objects.create(slug="hostile-org", acronym_en="HO", name_en="H")
    state = make_state()
    mechanism = make_mechanism(members=[state], parent_organisation=organisation)
    mechanism.lead_organisations.add(organisation)
    other = make_mechanism(members=[state])
    # With deadlines: the portal and the panel page show them (its rule is made hostile).
    meeting = make_meeting(
        convening_body=mechanism, confirmation_deadline=dt.datetime(2030, 5, 1, tzinfo=dt.UTC)
    )
    panelist = make_panelist(meeting, mechanism, preferred_language="en")
    second = make_panelist(meeting, other, preferred_language="es")
    make_panelist(meeting, other, email="")  # a seat with no address: "left out" lists
    # Who declined, with a reason: the panel's card and the substitute's page show it.
    make_hostile(make_panelist(meeting, other, status=PanelistStatus.DECLINED), start=8)

    first_round, second_round = meeting.rounds.order_by("number")
    for index, record in enumerate(
        [meeting, first_round, second_round, panelist, second, mechanism, other, organisation]
    ):
        make_hostile(record, start=index)
    make_hostile(state, start=3)
    SeedRecord.objects.create(key="hostile", fingerprint="0" * 64)
    make_hostile(SeedRecord.objects.get(key="hostile"), start=5)
    make_hostile(superuser, start=7)

    text = payload(None, 0)
    for round_ in (first_round, second_round):
        submit_answer(panelist, round_, text)
    Answer.objects.filter(panelist=second).delete()
    answer = Answer.objects.create(panelist=second, round=first_round, draft_text=text)
    make_hostile(answer, start=2)
    for each in AnswerRevision.objects.all():  # the answers' history, as staff read it
        make_hostile(each, start=each.pk)

    live_session.perform(meeting, "start", by=superuser)
    live_session.perform(meeting, "next", by=superuser)
    live_session.perform(meeting, "start", by=superuser)
    live_session.set_message(meeting, payload(200, 4), by=superuser)
    turn = Turn.objects.get(panelist=panelist, round=first_round)
    turn.coordination.add(other)
    for field_name in (RevisedText.NOTES, RevisedText.SUMMARY):
        save_text(turn, field_name, payload(None, 1), base_version=0, by=superuser)
        save_text(turn, field_name, payload(None, 6), base_version=1, by=superuser)
    for each in Turn.objects.filter(meeting=meeting):
        make_hostile(each, start=each.pk)
    revision = TextRevision.objects.filter(turn=turn, field=RevisedText.SUMMARY).first()
    for each in TextRevision.objects.all():
        make_hostile(each, start=each.pk)
    hostile_agenda(meeting, state)

    email = Email.objects.create(
        meeting=meeting,
        batch=uuid.uuid4(),
        panelist=panelist,
        kind=EmailKind.INVITATION,
        to=panelist.email,
        language="en",
        subject="x",
        status=EmailStatus.FAILED,
        created_by=superuser,
    )
    make_hostile(email, start=9)
    log = log_action(meeting, "hostile", actor=superuser, panelist=panelist, text=text)
    make_hostile(log, start=10)
    MeetingLog.objects.filter(pk=log.pk).update(detail={"text": text, text: text})
    # An observer's delegation named by the secretariat: its floor page shows the name.
    delegation = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="HO", name_en="H")
    make_hostile(delegation, start=11)
    # Its representatives, as it named them: the list of participants shows them.
    make_hostile(Representative.objects.create(delegation=delegation, name="R"), start=12)
    # A device's API token, named by the secretariat: its page lists the name.
    make_hostile(create_token(meeting, "T", by=superuser)[0], start=13)
    # An AV desk's webhook, its address typed by the secretariat, what it was sent and what
    # its endpoint answered: the same page lists them.
    webhook = make_hostile(add_webhook(meeting, "https://h.example.org/", by=superuser)[0], 14)
    delivery = make_hostile(send_test(webhook, by=superuser), start=15)
    attempt = WebhookAttempt.objects.create(delivery=delivery, number=1, at=timezone.now())
    make_hostile(attempt, start=16)
    publish(meeting, by=superuser)
    for record in (meeting, panelist):
        record.refresh_from_db()
    return World(meeting, panelist, mechanism, superuser, turn, revision, email, delegation)


def hostile_agenda(meeting: Meeting, state) -> None:
    """After the rounds (the session under way is untouched): remarks with a named speaker, a
    break, a dialogue with an observer's request (a code of its own: each hostile code is one
    of two payloads short enough), and a member state's delegation, every typed field of theirs
    hostile."""
    remarks = make_hostile(make_item(meeting, ItemKind.REMARKS), start=11)
    make_hostile(make_remarks_speaker(remarks), start=12)
    make_hostile(make_item(meeting, ItemKind.OTHER), start=13)
    dialogue = make_hostile(make_item(meeting, ItemKind.DIALOGUE), start=1)
    make_delegation(meeting, state=state)  # named by its state (hostile), its code the state's
    observer = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="OB", name_en="O")
    make_hostile(observer, start=3)
    request = Intervention.objects.create(
        meeting=meeting, item=dialogue, position=1, delegation=observer
    )
    make_hostile(request, start=4)


# The walk ---------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    status: int
    html: str
    templates: set[str] = field(default_factory=set)

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "html.parser")


def named_urls(resolver=None, namespace: str = "", converters=None) -> dict[str, list[str]]:
    """Every named URL of the URLconf (admin included) with the names of its parameters."""
    resolver = resolver or get_resolver()
    found: dict[str, list[str]] = {}
    for entry in resolver.url_patterns:
        params = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(named_urls(entry, inner, params))
        elif isinstance(entry, URLPattern) and entry.name:
            params.update(entry.pattern.regex.groupindex)
            found[f"{namespace}{entry.name}"] = list(params)
    return found


ADMIN_MODELS = {
    f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry
}
# Admin pages the walk leaves out, and why: the same template as a page it opens.
ADMIN_SKIPPED = ("_add", "_delete", "autocomplete", "jsi18n", "logout", "view_on_site")
ROLES = ("anonymous", "panelist", "superuser")


def url_values(name: str, world: World, role: str) -> dict | None:
    """The URL's parameters for this world, or None to leave the URL out."""
    if name.startswith("admin:"):
        if role != "superuser" or name.endswith(ADMIN_SKIPPED):
            return None
        model_key = name.removeprefix("admin:").rsplit("_", 1)[0]
        model = ADMIN_MODELS.get(model_key)
        first = model.objects.order_by("pk").first() if model else None
        values = {"app_label": "meetings", "object_id": first.pk if first else 1}
        if name == "admin:auth_user_password_change":
            values["id"] = world.superuser.pk
        return values
    holder = world.delegation if name.startswith("floor:") else world.panelist
    token = link_token(holder) if role == "panelist" else "x" * 43
    return {
        "slug": world.mechanism.slug if name.startswith("mechanisms:") else world.meeting.slug,
        "pk": world.email.pk
        if name in ("meetings:email_retry", "outbox:email", "outbox:resend")
        else world.panelist.pk,
        "batch": world.email.batch or uuid.UUID(int=0),
        "number": 1,
        "kind": EmailKind.INVITATION.value,
        "token": token,
        "turn_id": world.turn.pk,
        "intervention_id": Intervention.objects.filter(meeting=world.meeting).earliest("pk").pk,
        "revision_id": world.revision.pk,
        "action": "start",
        "uidb64": urlsafe_base64_encode(force_bytes(world.superuser.pk)),
    }


HOSTILE_QUERY = urlencode(
    {key: payload(None, 0) for key in ("q", "next", "lang", "view", "show", "field", "language")}
)
# Fragments htmx asks for, and views that show more with a query.
EXTRA_GETS = [
    ("meetings:directory_fragment", "mechanisms:directory", {"q": "M"}, True),
    ("notes pad", "meetings:console_notes", {"turn": "TURN"}, True),
    ("console panels", "meetings:console_panels", {}, True),
    ("panelist form", "meetings:panelist_edit", {}, True),
    ("new panelist form", "meetings:panelist_add", {"mechanism": "MECHANISM"}, True),
    ("panelist card", "meetings:panelist", {}, True),
    ("public record", "meetings:report", {"view": "public"}, False),
    # Not a page (no HTML to parse): opened so that its template counts as rendered.
    ("record as Markdown", "meetings:report", {"format": "md"}, False),
    ("compare", "meetings:report_history", {"a": "A", "b": "B"}, False),
    ("notes history", "meetings:report_history", {"field": "notes"}, False),
    ("answer history", "meetings:report_history", {"field": "answer"}, False),
    ("display overlay", "meetings:display", {"overlay": "1", "lang": "es"}, False),
    ("not confirmed", "meetings:panel", {"show": "not_confirmed"}, False),
    ("email preview read in Spanish", "meetings:panelist_email", {"language": "es"}, False),
    ("admin search", "admin:meetings_meeting_changelist", {"q": "<b"}, False),
]


def client_for(role: str, world: World) -> Client:
    client = Client()
    if role == "superuser":
        client.force_login(world.superuser)
    return client


def opened(label: str, response) -> Page:
    content_type = response.get("Content-Type", "")
    html = response.content.decode() if content_type.startswith("text/html") else ""
    names = {
        (getattr(template, "name", None) or "").split("#")[0]
        for template in getattr(response, "templates", []) or []
    }
    return Page(label, response.status_code, html, {name for name in names if name})


def walk(world: World) -> list[Page]:
    pages = []
    urls = named_urls()
    for role in ROLES:
        client = client_for(role, world)
        for name, params in sorted(urls.items()):
            values = url_values(name, world, role)
            if values is None:
                continue
            url = reverse(name, kwargs={param: values[param] for param in params})
            pages.append(opened(f"{role} GET {url}", client.get(url)))
            if not name.startswith("admin:"):
                hostile_url = f"{url}?{HOSTILE_QUERY}"
                pages.append(opened(f"{role} GET {name} (hostile query)", client.get(hostile_url)))
    pages += fragments_and_forms(world)
    return pages


def fragments_and_forms(world: World) -> list[Page]:
    pages = []
    client = client_for("superuser", world)
    htmx = {"HTTP_HX_REQUEST": "true"}
    revisions = list(world.turn.revisions.filter(field=RevisedText.SUMMARY).order_by("pk"))
    swap = {
        "TURN": str(world.turn.pk),
        "MECHANISM": str(world.mechanism.pk),
        "A": str(revisions[0].pk),
        "B": str(revisions[-1].pk),
    }
    for label, name, query, as_htmx in EXTRA_GETS:
        params = named_urls()[name]
        values = url_values(name, world, "superuser")
        url = reverse(name, kwargs={param: values[param] for param in params})
        query = {key: swap.get(value, value) for key, value in query.items()}
        response = client.get(f"{url}?{urlencode(query)}", **(htmx if as_htmx else {}))
        pages.append(opened(label, response))

    text = payload(None, 3)
    slug, pk = world.meeting.slug, world.panelist.pk
    posts = [
        # Forms that show again what was posted, refused or in conflict.
        (
            "panelist form refused",
            reverse("meetings:panelist_edit", args=[slug, pk]),
            {"name": text, "email": "not an address", "position": text},
            True,
        ),
        (
            "meeting form refused",
            reverse("meetings:edit", args=[slug]),
            {"title_en": text, "venue_en": text, "virtual_link": URL_PAYLOAD},
            False,
        ),
        ("new meeting refused", reverse("meetings:create"), {"title_en": text}, False),
        (
            "summary in conflict",
            reverse("meetings:report_summary", args=[slug, world.turn.pk]),
            {"summary": text},
            False,
        ),
        (
            "notes in conflict",
            reverse("meetings:console_notes", args=[slug]),
            {"turn": world.turn.pk, "notes": text, "notes_version": "0"},
            True,
        ),
        (
            "console message",
            reverse("meetings:console_message", args=[slug]),
            {"message": payload(200, 5)},
            True,
        ),
        # A change of the order: the round, the run of show and the slot notice out of band.
        (
            "speaking order moved",
            reverse("meetings:order_move", args=[slug, 1]),
            {"panelist": pk, "offset": "1"},
            True,
        ),
        # The agenda's and the delegations' forms refused, with what was typed.
        (
            "agenda item refused",
            reverse("meetings:agenda_add", args=[slug]),
            {
                "new-item-kind": "other",
                "new-item-title_en": text[:200],
                "new-item-title_es": text,
                "new-item-title_fr": "",
                "new-item-title_pt": "",
                "new-item-speaking_seconds": text[:50],
                "new-item-planned_minutes": "0",
            },
            False,
        ),
        (
            "delegation refused",
            reverse("meetings:delegation_add", args=[slug]),
            {
                "new-kind": "observer",
                "new-code": text[:40],
                "new-name_en": text,
                "new-name_es": "",
                "new-name_fr": "",
                "new-name_pt": "",
            },
            False,
        ),
        # The roll call: a delegation's row swapped in place.
        (
            "roll call",
            reverse("meetings:delegation_attendance", args=[slug]),
            {
                "delegation": Delegation.objects.filter(meeting=world.meeting).first().pk,
                "attendance": "online",
            },
            True,
        ),
        # The admin's send-emails preview, the third place a preview is shown.
        (
            "admin send-emails preview",
            reverse("admin:meetings_panelist_changelist"),
            {"action": "send_invitation", "_selected_action": [pk]},
            False,
        ),
    ]
    for label, url, data, as_htmx in posts:
        pages.append(opened(label, client.post(url, data, **(htmx if as_htmx else {}))))

    panelist_client = Client()
    token = link_token(world.panelist)
    pages.append(
        opened(
            "portal autosave",
            panelist_client.post(
                reverse("portal:answer", args=[token, 2]),
                {"round-2-text": text, "action": "autosave"},
                **htmx,
            ),
        )
    )
    pages.append(
        opened(
            "portal refused answer",
            panelist_client.post(
                reverse("portal:answer", args=[token, 2]),
                {"round-2-text": " ", "action": "submit"},
            ),
        )
    )
    # A delegation's point of order: the floor page's controls, the queue with its name.
    pages.append(
        opened(
            "floor point of order",
            Client().post(
                reverse("floor:act", args=[link_token(world.delegation)]),
                {"action": "point_of_order"},
                **htmx,
            ),
        )
    )
    # The substitute's page for who declined, and its form refused (no address to invite).
    declined = Panelist.objects.get(meeting=world.meeting, status=PanelistStatus.DECLINED)
    substitute_url = reverse("meetings:panelist_substitute", args=[slug, declined.pk])
    pages.append(opened("substitute form", client.get(substitute_url)))
    pages.append(
        opened(
            "substitute form refused",
            client.post(substitute_url, {"name": text, "position": text, "invite": "on"}),
        )
    )
    # The portal's decline, asked and refused (a reason over the limit), by a seat not yet
    # given the floor.
    waiting = Panelist.objects.get(meeting=world.meeting, email="")
    decline_url = reverse("portal:decline", args=[link_token(waiting)])
    pages.append(opened("portal decline", panelist_client.get(decline_url)))
    refused = panelist_client.post(decline_url, {"reason": text + "x" * 2001})
    pages.append(opened("portal decline refused", refused))
    anonymous = Client()
    pages.append(opened("sign-in refused", anonymous.post(reverse("login"), {"username": text})))
    # A password reset for the superuser (hostile name and address): its email, then its link.
    reset = anonymous.post(reverse("password_reset"), {"email": EMAIL_PAYLOAD})
    pages.append(opened("password reset asked", reset))
    uid = urlsafe_base64_encode(force_bytes(world.superuser.pk))
    link = reverse(
        "password_reset_confirm", args=[uid, default_token_generator.make_token(world.superuser)]
    )
    pages.append(opened("password reset link", anonymous.get(link, follow=True)))
    pages.append(opened("not found", anonymous.get(f"/no-such-page/{payload(100, 0)}")))
    unpublished = make_meeting()
    make_hostile(unpublished, start=4)
    pages.append(
        opened(
            "unpublished record", anonymous.get(reverse("meetings:report", args=[unpublished.slug]))
        )
    )
    staff = Client()
    staff.force_login(make_user(is_staff=True))
    pages.append(opened("forbidden", staff.get(reverse("meetings:list"))))
    remarks = world.meeting.agenda.filter(kind=ItemKind.REMARKS).last()
    prefix = "new-speaker"
    refused_speaker = {f"{prefix}-{name}": text for name in ("speaker_en", "speaker_es")}
    refused_speaker |= {f"{prefix}-speaker_fr": "", f"{prefix}-speaker_pt": ""}
    refused_speaker |= {f"{prefix}-speaker_name": text, f"{prefix}-attendance": "online"}
    response = client.post(
        reverse("meetings:speaker_add", args=[slug]), refused_speaker | {"item": remarks.pk}
    )
    pages.append(opened("remarks speaker refused", response))
    return pages


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker) -> list[Page]:
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        found = walk(world)
        transaction.set_rollback(True)
    return found


@pytest.fixture(scope="module")
def html_pages(pages) -> list[tuple[Page, BeautifulSoup]]:
    return [(page, page.soup) for page in pages if page.html]


# What must never come out -----------------------------------------------------------------

SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "xlink:href"}


def injected(soup: BeautifulSoup) -> list[str]:
    """Elements and attributes that only a payload could have produced."""
    found = []
    for element in soup.find_all(True):
        attributes = element.attrs
        where = f"<{element.name} {' '.join(attributes)}>"
        for name, value in attributes.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name == MARK or name.startswith("pwn"):
                found.append(f"payload attribute {name!r} in {where}")
            elif name.startswith("on"):
                found.append(f"event handler {name!r} in {where}")
            elif name.startswith("hx-"):
                found.append(f"bare htmx attribute {name!r} in {where}")
            elif name in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES or "evil.example" in value:
                    found.append(f"{name}={value[:60]!r} in {where}")
        if element.name in {"base", "iframe", "object", "embed", "frame"}:
            found.append(f"element {where}")
        if element.name == "meta" and attributes.get("http-equiv"):
            found.append(f"meta http-equiv in {where}")
        inline = element.name == "script" and not attributes.get("src")
        if inline and attributes.get("type") != "application/json":
            found.append(f"inline script {where}")
    return found


def test_the_walk_opens_every_page_and_none_fails(pages):
    assert len([page for page in pages if page.html]) > 100
    assert [page.label for page in pages if page.status >= 500] == []


def test_no_typed_text_comes_out_as_markup_on_any_page(html_pages):
    leaks = {page.label: found for page, soup in html_pages if (found := injected(soup))}

    assert not leaks, "\n".join(f"{label}: {found}" for label, found in leaks.items())


def test_every_model_with_typed_text_holds_the_payloads(pages):
    typed = {
        model
        for label in ("meetings", "mechanisms")
        for model in apps.get_app_config(label).get_models()
        if typed_fields(model)
    }

    assert sorted(model.__name__ for model in typed - MADE_HOSTILE) == []
    assert get_user_model() in MADE_HOSTILE  # names shown as "signed in as", "saved by"


def test_the_payloads_reach_the_pages_as_text(html_pages):
    """The walk is only as good as its data: the hostile text is there, shown as text."""
    shown = [page.label for page, soup in html_pages if MARK in soup.get_text()]

    assert any("email" in label for label in shown)
    assert any("admin send-emails preview" in label for label in shown)
    assert len(shown) > 50


def test_the_three_email_previews_show_the_hostile_question_as_text(html_pages):
    by_label = {page.label: soup for page, soup in html_pages}
    previews = [
        label
        for label in by_label
        if ("/email/invitation/" in label and label.startswith("superuser"))
        or ("/panel/invite/" in label and label.startswith("superuser GET"))
        or label in ("admin send-emails preview", "email preview read in Spanish")
    ]

    assert len(previews) >= 4
    for label in previews:
        shown = by_label[label].select("pre.email-preview")
        assert shown, label
        for preview in shown:  # one per language on Invite everyone
            assert preview.find(True) is None, label  # text only, not a single element
            assert f"<div hx-post=/admin/ hx-trigger=load {MARK}>" in preview.get_text(), label
        subjects = by_label[label].select(".email-subject")
        assert len(subjects) == len(shown) and all(s.find(True) is None for s in subjects), label
    invite_all = next(label for label in previews if "/panel/invite/" in label)
    assert len(by_label[invite_all].select("pre.email-preview")) == 2  # English and Spanish


DISABLED = "data-hx-disable"
HTMX_VERBS = ("get", "post", "put", "patch", "delete", "trigger", "swap-oob")


REQUIRED_HTMX_CONFIG = {"selfRequestsOnly": True, "allowEval": False, "allowScriptTags": False}


def uses_htmx(soup: BeautifulSoup) -> bool:
    return any("htmx" in (script.get("src") or "") for script in soup.find_all("script"))


def test_htmx_is_configured_before_it_loads_on_every_page(html_pages):
    problems = []
    for page, soup in html_pages:
        if not uses_htmx(soup):
            continue
        config = soup.find("meta", attrs={"name": "htmx-config"})
        script = next(s for s in soup.find_all("script") if "htmx" in (s.get("src") or ""))
        if config is None or config.sourceline > script.sourceline:
            problems.append(f"{page.label}: no htmx-config before htmx")
            continue
        config = json.loads(config["content"])
        if {key: config.get(key) for key in REQUIRED_HTMX_CONFIG} != REQUIRED_HTMX_CONFIG:
            problems.append(f"{page.label}: {config}")

    assert problems == []


def test_htmx_is_off_in_main_on_pages_that_do_not_use_it(html_pages):
    on = []
    for page, soup in html_pages:
        main = soup.find("main", id="main")
        if main is None or not uses_htmx(soup):
            continue
        wants_htmx = any(
            any(name == f"data-hx-{verb}" for name in element.attrs for verb in HTMX_VERBS)
            for element in main.find_all(True)
        )
        if not wants_htmx and not main.has_attr("data-hx-disable"):
            on.append(page.label)

    assert on == []


def test_every_htmx_element_we_wrote_is_where_htmx_works(html_pages):
    """data-hx-disable on an ancestor switches htmx off below it: a button there would be dead."""
    dead = []
    for page, soup in html_pages:
        for element in soup.find_all(True):
            if any(
                name.startswith("data-hx-") and name != "data-hx-disable" for name in element.attrs
            ):
                if element.has_attr("data-hx-swap-oob"):
                    continue  # out-of-band swaps are made whatever the ancestors say
                if element.find_parent(attrs={"data-hx-disable": True}) is not None:
                    dead.append(f"{page.label}: <{element.name} {' '.join(element.attrs)}>")

    assert not dead, "\n".join(dead)


# Where text is text whatever it holds.
TEXT_ONLY = {"textarea", "title", "option", "script", "style"}


def test_every_typed_text_sits_in_a_container_htmx_ignores(html_pages):
    """On the pages where htmx runs, each text node holding a payload has an ancestor marked
    data-hx-disable: a future escaping mistake there would still not be processed by htmx."""
    exposed = []
    for page, soup in html_pages:
        if not uses_htmx(soup):
            continue
        for text in soup.find_all(string=re.compile(MARK)):
            parent = text.parent
            if parent is None or parent.name in TEXT_ONLY:
                continue
            if parent.find_parent(attrs={"data-hx-disable": True}) is None and not parent.has_attr(
                "data-hx-disable"
            ):
                exposed.append(f"{page.label}: <{parent.name} {' '.join(parent.attrs)}>")

    exposed = sorted(set(exposed))
    assert not exposed, "\n".join(exposed)


# Every template is rendered by the walk, or said why not.
NOT_RENDERED = {
    "500.html": "the server-error page: no request, no data (tests/config/test_settings.py)",
    "503.html": "the database-unavailable page, without data "
    "(tests/config/test_database_unavailable.py)",
    "throttled.html": "the 429 page, no typed text (tests/config/test_sign_in.py)",
    "standalone.html": "the layout of the 500 and 503 pages alone",
    **{
        f"meetings/email/reminder_{name}": "a reminder, composed by the worker rather than "
        "shown on a page (tests/meetings/test_reminders_sync.py composes one of a hostile "
        "meeting)"
        for name in (
            "subject.txt",
            "confirmation.txt",
            "confirmation.html",
            "answers.txt",
            "answers.html",
        )
    },
}


def test_every_template_is_rendered_by_the_walk_or_listed_with_a_reason(pages):
    root = Path(settings.BASE_DIR) / "templates"
    ours = {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}
    rendered = set().union(*(page.templates for page in pages))

    assert sorted(ours - rendered - set(NOT_RENDERED)) == []
    assert sorted(set(NOT_RENDERED) - ours) == []
