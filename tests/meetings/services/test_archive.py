"""The meeting archive: one meeting exported to one JSON file and imported into an empty
database comes back whole, personal links included; a document that cannot be imported is
refused with an ArchiveError, and nothing of it is kept.

The rich meeting is the demo meeting (seeded directory, six panelists, run to the end) with
a secretariat's edits on top: revisions of notes and summaries (one conflicting), a draft
answer, emails, a published record, a message to the speaker and a reissued link.
"""

import copy
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mechanisms.models import (
    Mechanism,
    Membership,
    MemberState,
    Organisation,
    SeedRecord,
)
from meetings.models import (
    AgendaItem,
    Answer,
    AnswerRevision,
    AnswerStatus,
    ApiToken,
    Delegation,
    Email,
    EmailKind,
    EmailStatus,
    Intervention,
    Meeting,
    MeetingLog,
    Panelist,
    PanelistStatus,
    PublishedRecord,
    Representative,
    RevisedText,
    Round,
    TextRevision,
    Turn,
    TurnStatus,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from meetings.outputs.archive import SCHEMA, SINCE_AGENDAS, export_meeting
from meetings.outputs.record import build_record, coordination_matrix
from meetings.roles import CHAIR, SECRETARIAT
from meetings.services import live_session
from meetings.services.archive import ArchiveError, import_meeting, links_to_reissue
from meetings.services.invitations import send
from meetings.services.links import issue_link, link_token, panelist_for_token, revoke_link
from meetings.services.panel import add_panelist, name_substitute, respond_to_invitation
from meetings.services.publication import latest_publication, publish
from meetings.services.revisions import save_text
from tests.factories import (
    LOCMEM_MAILERS,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)
from tests.meetings.outputs.whole_meeting import whole_meeting

pytestmark = pytest.mark.django_db

SLUG = "demo-archive"
# A small meeting (a decline and its substitute, a link issued, notes with a history, a
# coordination, a submitted answer and a draft) as the export wrote it before each row went
# through Django's serialiser.
WRITTEN_BEFORE = Path(__file__).parent / "archives" / "archive-1.json"


@dataclass
class Rich:
    meeting: Meeting
    panelist: Panelist  # holds a link issued by the secretariat, and its token
    token: str


@pytest.fixture
def rich(seeded, settings) -> Rich:
    settings.MAILERS = LOCMEM_MAILERS
    call_command("make_demo_meeting", slug=SLUG, panelists=6, stdout=io.StringIO())
    meeting = Meeting.objects.get(slug=SLUG)
    clerk = make_user(SECRETARIAT, username="clerk", first_name="Clara", last_name="Ruiz")
    chair = make_user(CHAIR, username="josé.pérez")  # non-ASCII: the file is UTF-8
    panelists = list(meeting.panelists.select_related("mechanism").order_by("pk"))
    first, second, third = panelists[:3]

    # The panel's details, every field filled in for one panelist.
    Panelist.objects.filter(pk=first.pk).update(
        honorific="other",
        honorific_other="Excma. Sra. Embajadora",
        position="Secretaria técnica",
        organisation="Organización de los Estados Americanos",
        preferred_language="es",
        bio="Diplomática con veinte años de experiencia en movilidad humana.",
        responded_at=dt.datetime(2026, 4, 2, 15, 30, 12, 345678, tzinfo=dt.UTC),
    )
    first.refresh_from_db()
    token = issue_link(first, by=clerk)
    revoke_link(third, by=clerk)

    # Notes and summaries with a history, one save made on a stale version (a conflict).
    turn = Turn.objects.get(panelist=first, round__number=1)
    save_text(turn, RevisedText.NOTES, "Notas: cooperación regional.", base_version=0, by=clerk)
    save_text(turn, RevisedText.NOTES, "Otra versión.", base_version=0, by=chair)
    save_text(
        turn, RevisedText.SUMMARY, "Resumen revisado, «con comillas».", base_version=0, by=chair
    )

    # A draft that was never submitted, and a submitted answer edited since.
    Answer.objects.filter(panelist=second, round__number=2).update(
        status=AnswerStatus.DRAFT, submitted_text="", submitted_at=None, draft_text="Borrador…"
    )
    Answer.objects.filter(panelist=first, round__number=1).update(draft_text="Cambiado después.")
    # An answer edited in two tabs, before the meeting concluded: a save on a stale version,
    # kept in its history.
    edited = Answer.objects.get(panelist=first, round__number=1)
    AnswerRevision.objects.create(answer=edited, text="Cambiado después.")
    AnswerRevision.objects.create(answer=edited, text="Desde la computadora.", conflicted=True)

    send(first, EmailKind.INVITATION, by=clerk)
    send(second, EmailKind.REMINDER, by=None)
    Email.objects.create(
        meeting=meeting,
        panelist=second,
        kind=EmailKind.INVITATION,
        to="panelist2@example.org",
        language="fr",
        subject="Invitation à la réunion",
        status=EmailStatus.FAILED,
        error="SMTPServerDisconnected: gone",
        attempts=2,
        created_by=chair,
    )
    publish(meeting, by=clerk)
    live_session.set_message(meeting, "Por favor, concluya", by=chair)
    # A turn left paused, a minute added and a fraction of a second spent: the clock's fields.
    Turn.objects.filter(panelist=third, round__number=2).update(
        status=TurnStatus.PAUSED, added_seconds=60, spent_seconds=123.456, ended_at=None
    )

    meeting.refresh_from_db()
    first.refresh_from_db()
    return Rich(meeting=meeting, panelist=first, token=token)


def empty_the_database() -> None:
    """Every meeting, the whole directory and every user gone (PROTECT decides the order)."""
    Meeting.objects.all().delete()
    Mechanism.objects.all().delete()
    MemberState.objects.all().delete()
    Organisation.objects.all().delete()
    SeedRecord.objects.all().delete()
    get_user_model().objects.all().delete()
    for model in (Meeting, Panelist, Turn, Mechanism, Membership, MemberState, Organisation):
        assert not model.objects.exists()
    assert not get_user_model().objects.exists()


def as_json(document: dict) -> dict:
    """The document as the file holds it."""
    return json.loads(json.dumps(document, ensure_ascii=False))


def comparable(document: dict) -> dict:
    """The document but for what an import necessarily adds: the export's time, and the
    log's last entry, "meeting.imported"."""
    document = as_json(document)
    del document["exported_at"]
    if document["log"] and document["log"][-1]["action"] == "meeting.imported":
        document["log"].pop()
    return document


def without_ids(record: dict) -> dict:
    """A record with the turns' and interventions' ids (new on import) and its time of making
    left out."""
    record = copy.deepcopy(record)
    del record["generated_at"]
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            del entry["turn"]
    for item in record["agenda"]:
        del item["actual_seconds"]  # an item under way (a turn left paused) counts until now
        for intervention in item["interventions"]:
            del intervention["intervention"]
    return record


def panelist_named(meeting: Meeting, name: str) -> Panelist:
    return meeting.panelists.get(name=name)


# The round trip ----------------------------------------------------------------------------


def test_a_meeting_comes_back_whole_into_an_empty_database(rich, client):
    text = json.dumps(export_meeting(rich.meeting), ensure_ascii=False, indent=2)
    record = build_record(rich.meeting, internal=True)
    publication_before = latest_publication(rich.meeting).content

    empty_the_database()
    meeting = import_meeting(json.loads(text))

    assert comparable(export_meeting(meeting)) == comparable(json.loads(text))
    imported = MeetingLog.objects.filter(meeting=meeting).order_by("at", "pk").last()
    assert imported.action == "meeting.imported"
    assert imported.detail == {"exported_at": json.loads(text)["exported_at"]}

    # The record, and the coordination matrix made from it, are the same.
    assert without_ids(build_record(meeting, internal=True)) == without_ids(record)
    assert coordination_matrix(build_record(meeting, internal=True)) == coordination_matrix(record)
    assert latest_publication(meeting).content == publication_before
    assert latest_publication(meeting).published_by.get_username() == "clerk"

    # The link the panelist was sent still opens their page, and can be shown again.
    panelist = panelist_named(meeting, rich.panelist.name)
    assert panelist_for_token(rich.token) == panelist
    assert link_token(panelist) == rich.token
    assert links_to_reissue(meeting) == []
    response = client.get(f"/respond/{rich.token}/")
    assert response.status_code == 200
    assert rich.panelist.name in response.content.decode()


def agenda_of(meeting: Meeting) -> list[tuple]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("position", "kind", "title_en", "title_es", "round__number", "closed_at")
    )


def interventions_of(meeting: Meeting) -> list[tuple]:
    return list(
        Intervention.objects.filter(meeting=meeting)
        .order_by("item__position", "position")
        .values_list(
            "item__position",
            "position",
            "delegation__code",
            "speaker_en",
            "speaker_name",
            "point_of_order",
            "source",
            "status",
            "spent_seconds",
            "started_at",
            "ended_at",
            "requested_at",
            "summary",
            "notes",
        )
    )


def intervention_revisions_of(meeting: Meeting) -> set:
    return set(
        TextRevision.objects.filter(intervention__meeting=meeting).values_list(
            "intervention__item__position",
            "intervention__position",
            "field",
            "text",
            "saved_at",
            "conflicted",
        )
    )


def test_the_whole_agenda_comes_back_with_its_delegations_and_interventions(client):
    whole = whole_meeting(slug="whole-archive")
    source = whole["meeting"]
    mexico_token = link_token(whole["mexico"])
    document = as_json(export_meeting(source))
    record = build_record(source, internal=True)
    agenda, interventions = agenda_of(source), interventions_of(source)
    revisions = intervention_revisions_of(source)
    delegations = list(
        source.delegations.order_by("code").values_list("pk", "code", "kind", "attendance")
    )
    assert [row["position"] for row in document["agenda"]] == [1, 2, 3, 4, 5]
    assert {row["code"] for row in document["delegations"]} == {"MX", "CA", "ES", "IOM"}
    assert [(row["item"], row["delegation"]) for row in document["interventions"]] == [
        (1, None),
        (2, "ES"),
        (3, "MX"),
        (3, "IOM"),
        (5, None),
    ]
    assert {"MX", "CA"} <= {row["code"] for row in document["member_states"]}

    empty_the_database()
    meeting = import_meeting(document)

    assert comparable(export_meeting(meeting)) == comparable(document)
    assert agenda_of(meeting) == agenda
    assert interventions_of(meeting) == interventions
    assert (
        list(meeting.delegations.order_by("code").values_list("pk", "code", "kind", "attendance"))
        == delegations
    )
    assert without_ids(build_record(meeting, internal=True)) == without_ids(record)
    # The notes' and summaries' histories of the interventions.
    assert intervention_revisions_of(meeting) == revisions
    assert len(revisions) == 3
    # A delegation's floor link still opens its page.
    mexico = meeting.delegations.get(code="MX")
    assert link_token(mexico) == mexico_token
    assert client.get(f"/floor/{mexico_token}/").status_code == 200


def test_the_delegations_answers_and_representatives_come_back(client):
    whole = whole_meeting(slug="convened-archive")
    source, mexico = whole["meeting"], whole["mexico"]
    mexico.state.addresses = "mission@example.org"
    mexico.state.save()
    Delegation.objects.filter(pk=mexico.pk).update(
        addresses="extra@example.org",
        language="es",
        confirmed_attendance="online",
        confirmed_at=dt.datetime(2022, 5, 10, 12, tzinfo=dt.UTC),
    )
    Representative.objects.create(delegation=mexico, position=1, name="Ana Ruiz", is_head=True)
    Representative.objects.create(
        delegation=mexico, position=2, name="Luis Soto", title="Adviser", email="l@example.org"
    )
    document = as_json(export_meeting(source))
    empty_the_database()

    meeting = import_meeting(document)

    assert comparable(export_meeting(meeting)) == comparable(document)
    mexico = meeting.delegations.get(code="MX")
    assert (mexico.addresses, mexico.language, mexico.confirmed_attendance) == (
        "extra@example.org",
        "es",
        "online",
    )
    assert mexico.state.addresses == "mission@example.org"
    assert list(mexico.representatives.values_list("position", "name", "is_head")) == [
        (1, "Ana Ruiz", True),
        (2, "Luis Soto", False),
    ]


def test_an_archive_from_before_the_convocation_imports(client):
    whole = whole_meeting(slug="unconvened-archive")
    document = as_json(export_meeting(whole["meeting"]))
    for row in document["delegations"]:
        for key in ("addresses", "language", "confirmed_attendance", "confirmed_at"):
            del row[key]
        del row["representatives"]
    for row in document["member_states"]:
        del row["addresses"], row["language"]
    empty_the_database()

    meeting = import_meeting(document)

    mexico = meeting.delegations.get(code="MX")
    assert (mexico.addresses, mexico.confirmed_attendance, mexico.confirmed_at) == ("", "", None)
    assert mexico.state.language == "en"


def test_a_document_written_by_the_earlier_export_imports_whole():
    document = json.loads(WRITTEN_BEFORE.read_text(encoding="utf-8"))

    meeting = import_meeting(copy.deepcopy(document))

    assert as_before_agendas(comparable(export_meeting(meeting))) == comparable(document)
    substitute = meeting.panelists.get(name="Eva Silva")
    assert substitute.substitute_for == meeting.panelists.get(name="Luis Gómez")
    # Each panelist under their exported id, their link's digest kept (it was issued under
    # another SECRET_KEY: here it is found by its digest, not shown again).
    panelists = meeting.panelists.order_by("pk")
    assert [(p.pk, p.link_digest) for p in panelists] == [
        (p["id"], p["link_digest"]) for p in document["panelists"]
    ]


def as_before_agendas(document: dict) -> dict:
    """An export as the export before agendas wrote it: no agenda, delegations or
    interventions, no panelist's attendance, no state's delegation names and no deadlines."""
    document = {key: value for key, value in document.items() if key not in SINCE_AGENDAS}
    # Nor deadlines, which came later still.
    document["meeting"] = {
        key: value
        for key, value in document["meeting"].items()
        if key not in ("confirmation_deadline", "reminder_days")
    }
    document["rounds"] = [
        {key: value for key, value in row.items() if key != "answers_deadline"}
        for row in document["rounds"]
    ]
    document["panelists"] = [
        {key: value for key, value in row.items() if key != "attendance"}
        for row in document["panelists"]
    ]
    document["member_states"] = [
        {
            key: value
            for key, value in row.items()
            if not key.startswith("delegation_") and key not in ("addresses", "language")
        }
        for row in document["member_states"]
    ]
    return document


def test_a_document_written_before_agendas_gets_its_rounds_on_the_agenda_and_delegations():
    document = json.loads(WRITTEN_BEFORE.read_text(encoding="utf-8"))
    assert not set(SINCE_AGENDAS) & set(document)

    meeting = import_meeting(copy.deepcopy(document))

    items = list(meeting.agenda.order_by("position"))
    assert [(item.position, item.kind, item.round.number) for item in items] == [
        (1, "round", 1),
        (2, "round", 2),
    ]
    # A delegation, with its floor link, for each member state the document names.
    states = {row["code"] for row in document["member_states"] if row["oas_status"] == "member"}
    assert set(meeting.delegations.values_list("code", flat=True)) == states
    assert all(delegation.has_link for delegation in meeting.delegations.all())
    assert set(meeting.panelists.values_list("attendance", flat=True)) == {"in_room"}
    # Its record reads the rounds as its agenda.
    record = build_record(meeting, internal=True)
    assert [item["round"] for item in record["agenda"]] == [1, 2]


def texts_of(meeting: Meeting) -> dict:
    """Per turn (round, panelist): notes, summary, their versions and the coordination."""
    turns = Turn.objects.filter(meeting=meeting).select_related("round", "panelist")
    return {
        (turn.round.number, turn.panelist.name): (
            turn.notes,
            turn.notes_version,
            turn.summary,
            turn.summary_version,
            sorted(mechanism.slug for mechanism in turn.coordination.all()),
        )
        for turn in turns.prefetch_related("coordination")
    }


def answers_of(meeting: Meeting) -> set:
    return set(
        Answer.objects.filter(panelist__meeting=meeting).values_list(
            "round__number",
            "panelist__name",
            "draft_text",
            "submitted_text",
            "status",
            "created_at",
            "saved_at",
            "submitted_at",
            "version",
        )
    )


def answer_revisions_of(meeting: Meeting) -> set:
    return set(
        AnswerRevision.objects.filter(answer__panelist__meeting=meeting).values_list(
            "answer__round__number",
            "answer__panelist__name",
            "kind",
            "text",
            "saved_at",
            "conflicted",
        )
    )


def revisions_of(meeting: Meeting) -> set:
    return set(
        TextRevision.objects.filter(turn__meeting=meeting).values_list(
            "turn__round__number",
            "turn__panelist__name",
            "field",
            "text",
            "saved_at",
            "saved_by__username",
            "conflicted",
        )
    )


def test_what_the_secretariat_and_the_panel_wrote_survives(rich):
    source = rich.meeting
    texts, answers, revisions = texts_of(source), answers_of(source), revisions_of(source)
    answer_revisions = answer_revisions_of(source)
    document = as_json(export_meeting(source))

    empty_the_database()
    meeting = import_meeting(document)

    assert texts_of(meeting) == texts
    assert answers_of(meeting) == answers
    assert revisions_of(meeting) == revisions
    assert {status for *_rest, status, _c, _s, _t, _v in answers} == {"draft", "submitted"}
    assert TextRevision.objects.filter(turn__meeting=meeting, conflicted=True).count() == 1
    assert answer_revisions_of(meeting) == answer_revisions
    assert {text for *_rest, text, _at, conflicted in answer_revisions if conflicted} == {
        "Desde la computadora."
    }
    assert meeting.message == "Por favor, concluya"
    assert meeting.live_version == source.live_version
    assert (meeting.created_at, meeting.updated_at) == (source.created_at, source.updated_at)


def test_users_come_back_by_name_only_and_without_access(rich):
    document = as_json(export_meeting(rich.meeting))
    assert document["users"] == ["clerk", "josé.pérez"]

    empty_the_database()
    import_meeting(document)

    users = get_user_model().objects.order_by("username")
    assert [user.username for user in users] == ["clerk", "josé.pérez"]
    for user in users:
        assert not user.is_active
        assert not user.has_usable_password()
        assert (user.first_name, user.email, user.groups.count()) == ("", "", 0)


def test_an_existing_user_is_matched_by_username_and_left_as_is(rich):
    document = as_json(export_meeting(rich.meeting))
    Meeting.objects.filter(slug=SLUG).delete()
    clerk = get_user_model().objects.get(username="clerk")

    meeting = import_meeting(document)

    assert latest_publication(meeting).published_by == clerk
    clerk.refresh_from_db()
    assert clerk.is_active and clerk.has_usable_password() and clerk.first_name == "Clara"


def test_the_archive_carries_the_directory_it_needs(rich):
    document = as_json(export_meeting(rich.meeting))
    used = {p.mechanism.slug for p in rich.meeting.panelists.all()} | {"cam"}
    used |= {
        m.slug
        for turn in Turn.objects.filter(meeting=rich.meeting)
        for m in turn.coordination.all()
    }
    assert {m["slug"] for m in document["mechanisms"]} == used
    states = {code for m in document["mechanisms"] for code in m["member_states"]}
    assert {s["code"] for s in document["member_states"]} == states
    organisations = {m["parent_organisation"] for m in document["mechanisms"]} - {None}
    organisations |= {slug for m in document["mechanisms"] for slug in m["lead_organisations"]}
    assert {o["slug"] for o in document["organisations"]} == organisations
    # Every translation of every translated column.
    cam = next(m for m in document["mechanisms"] if m["slug"] == "cam")
    assert {"name_en", "name_es", "name_fr", "name_pt", "description_pt"} <= set(cam)
    assert document["meeting"]["convening_body"] == "cam"


def test_the_import_into_a_seeded_database_uses_the_directory_there(rich):
    document = as_json(export_meeting(rich.meeting))
    Meeting.objects.filter(slug=SLUG).delete()
    get_user_model().objects.all().delete()
    directory = list(Mechanism.objects.order_by("pk").values())
    cam = next(m for m in document["mechanisms"] if m["slug"] == "cam")
    cam["name_en"] = "Renamed in the archive"

    meeting = import_meeting(copy.deepcopy(document))

    assert list(Mechanism.objects.order_by("pk").values()) == directory  # never changed
    cam["name_en"] = Mechanism.objects.get(slug="cam").name_en
    assert comparable(export_meeting(meeting)) == comparable(document)


def test_missing_directory_entries_are_created_with_their_links():
    state = MemberState.objects.create(
        code="QZ", alpha3="QZX", name_en="Testland", name_fr="Testlande", subregion="caribbean"
    )
    host = Organisation.objects.create(slug="host", acronym_en="HO", name_en="Host")
    lead = Organisation.objects.create(slug="lead", acronym_en="LE", name_en="Lead")
    mechanism = make_mechanism(members=[state], parent_organisation=host, predecessor_from=1990)
    mechanism.lead_organisations.set([lead])
    meeting = make_meeting(slug="small", convening_body=mechanism)
    make_panelist(meeting, mechanism=mechanism)
    document = as_json(export_meeting(meeting))

    empty_the_database()
    import_meeting(document)

    created = Mechanism.objects.get(slug=mechanism.slug)
    assert created.parent_organisation.slug == "host"
    assert [o.slug for o in created.lead_organisations.all()] == ["lead"]
    assert [s.name_fr for s in created.member_states.all()] == ["Testlande"]
    assert created.predecessor_from == 1990


@pytest.mark.django_db(transaction=True)
def test_export_and_import_outside_any_transaction():
    """As the commands run them: the export in a snapshot of its own, the import committed."""
    meeting = make_meeting(slug="committed")
    make_panelist(meeting, name="Ana")
    with CaptureQueriesContext(connection) as queries:
        document = as_json(export_meeting(meeting))
    # (PostgreSQL refuses it after the transaction's first query; SQLite's are snapshots.)
    snapshot = any("REPEATABLE READ" in query["sql"] for query in queries.captured_queries)
    assert snapshot == (connection.vendor == "postgresql")
    meeting.delete()

    imported = import_meeting(document)

    assert comparable(export_meeting(imported)) == comparable(document)
    assert imported.panelists.get().name == "Ana"


def test_a_running_turn_keeps_running_from_the_same_instant():
    meeting = make_meeting(slug="running")
    make_panelist(meeting)
    make_panelist(meeting)
    meeting = live_session.perform(meeting, "start", by=None)
    running = Turn.objects.select_related("round").get(meeting=meeting, status=TurnStatus.RUNNING)
    document = as_json(export_meeting(meeting))
    meeting.delete()

    imported = import_meeting(document)

    turn = Turn.objects.get(meeting=imported, status=TurnStatus.RUNNING)
    assert (turn.round.number, turn.position) == (running.round.number, running.position)
    assert (turn.running_since, turn.started_at) == (running.running_since, running.started_at)
    assert imported.live_version == meeting.live_version


def test_a_decline_its_reason_and_the_substitute_come_back():
    meeting = make_meeting(slug="substituted")
    ana = make_panelist(meeting, name="Ana")
    luis = make_panelist(meeting, name="Luis")
    respond_to_invitation(luis, PanelistStatus.DECLINED, reason="Travelling.")
    eva = name_substitute(luis, by=None, name="Eva")
    document = as_json(export_meeting(meeting))
    meeting.delete()

    imported = import_meeting(document)

    assert comparable(export_meeting(imported)) == comparable(document)
    declined = imported.panelists.get(name="Luis")
    substitute = imported.panelists.get(name="Eva")
    assert (declined.status, declined.decline_reason) == (PanelistStatus.DECLINED, "Travelling.")
    assert substitute.substitute_for == declined
    assert [turn.panelist.name for turn in live_session.meeting_turns(imported)] == [
        "Ana",
        "Eva",
    ] * 2
    assert (ana.pk, eva.pk) == (imported.panelists.get(name="Ana").pk, substitute.pk)


def test_an_archive_from_before_substitutes_is_read_without_them():
    meeting = make_meeting(slug="older")
    make_panelist(meeting, name="Ana")
    document = as_json(export_meeting(meeting))
    meeting.delete()
    for panelist in document["panelists"]:  # as migration 0019 left the table
        del panelist["decline_reason"], panelist["substitute_for"]

    imported = import_meeting(document)

    ana = imported.panelists.get()
    assert (ana.decline_reason, ana.substitute_for) == ("", None)


# Personal links -------------------------------------------------------------------------------


def test_a_taken_id_keeps_the_sent_link_working_and_says_it_must_be_reissued():
    meeting = make_meeting(slug="taken")
    panelist = make_panelist(meeting, name="Ana Pérez")
    token = link_token(panelist)
    document = as_json(export_meeting(meeting))
    mechanism = panelist.mechanism
    meeting.delete()
    # Another meeting's panelist now has the exported id.
    Panelist.objects.create(
        pk=panelist.pk, meeting=make_meeting(slug="other"), mechanism=mechanism, name="Other"
    )

    imported = import_meeting(document)

    again = imported.panelists.get()
    assert again.pk != panelist.pk
    assert panelist_for_token(token) == again  # the link already sent
    assert links_to_reissue(imported) == [again]
    entry = imported.log.get(action="meeting.imported")
    assert entry.detail["links_to_reissue"] == [again.pk]
    issue_link(again)  # what the secretariat does next
    assert links_to_reissue(imported) == []


def test_panelists_added_after_an_import_get_new_ids():
    """An id given back by hand must not be given again (PostgreSQL's sequence moves on)."""
    meeting = make_meeting(slug="sequence")
    make_panelist(meeting)
    document = as_json(export_meeting(meeting))
    meeting.delete()
    far = 10_000_000 + document["panelists"][0]["id"]
    document["panelists"][0]["id"] = far
    for section in ("turns", "log"):
        for item in document[section]:
            if item["panelist"] is not None:
                item["panelist"] = far

    imported = import_meeting(document)

    assert imported.panelists.get().pk == far
    newcomer = add_panelist(imported, mechanism=make_mechanism(), by=None, name="Newcomer")
    assert newcomer.pk > far


# Refusals -------------------------------------------------------------------------------------


@pytest.fixture
def small() -> dict:
    """The document of a small meeting that is no longer in the database."""
    meeting = make_meeting(slug="small")
    first = make_panelist(meeting, name="Ana")
    make_panelist(meeting, name="Luis")
    clerk = make_user(SECRETARIAT, username="clerk")
    turn = Turn.objects.get(panelist=first, round__number=1)
    save_text(turn, RevisedText.NOTES, "Notes.", base_version=0, by=clerk)
    document = as_json(export_meeting(meeting))
    meeting.delete()
    return document


def counts() -> dict[str, int]:
    models = (Meeting, Round, Panelist, Turn, TextRevision, Mechanism, MeetingLog, Answer)
    return {
        model.__name__: model.objects.count()
        for model in (*models, PublishedRecord, get_user_model())
    }


def test_a_meeting_with_the_same_slug_is_refused(small):
    meeting = import_meeting(copy.deepcopy(small))
    before = counts()
    with pytest.raises(ArchiveError, match="slug 'small' exists already"):
        import_meeting(small)
    assert counts() == before
    assert meeting.log.filter(action="meeting.imported").count() == 1


def test_the_same_links_under_another_slug_are_refused(small):
    import_meeting(copy.deepcopy(small))
    small["meeting"]["slug"] = "small-copy"
    with pytest.raises(ArchiveError, match="personal links"):
        import_meeting(small)
    assert not Meeting.objects.filter(slug="small-copy").exists()


@pytest.mark.parametrize(
    "schema", ["cam-meetings/archive/2", "cam-meetings/record/1", None, "", ["x"]]
)
def test_another_schema_is_refused(small, schema):
    small["schema"] = schema
    with pytest.raises(ArchiveError, match="schema"):
        import_meeting(small)


def test_a_document_without_a_schema_is_refused(small):
    del small["schema"]
    with pytest.raises(ArchiveError, match="schema"):
        import_meeting(small)


def set_to(path: str, value):
    """A change to the document at a dotted path ("panelists.0.email")."""

    def change(document: dict) -> None:
        *parents, last = path.split(".")
        target = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def remove(path: str):
    def change(document: dict) -> None:
        *parents, last = path.split(".")
        target = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        del target[last]

    return change


def second_current_turn(document: dict) -> None:
    for turn in document["turns"][:2]:
        turn["status"] = TurnStatus.PAUSED


MALFORMED = {
    "meeting is a list": (set_to("meeting", []), "meeting: expected an object"),
    "rounds missing": (remove("rounds"), "missing rounds"),
    "unknown section": (set_to("extra", 1), "unknown extra"),
    "exported_at naive": (set_to("exported_at", "2026-01-01T10:00:00"), "no time zone"),
    "column missing": (remove("meeting.time_zone"), "meeting: missing time_zone"),
    "column unknown": (set_to("meeting.colour", "blue"), "meeting: unknown colour"),
    "text is a number": (set_to("meeting.title_en", 5), "meeting.title_en: expected a text"),
    "bad date": (set_to("meeting.date", "2026-13-45"), "meeting.date"),
    "far date": (set_to("meeting.date", "2999-01-01"), "between the years"),
    "unknown zone": (set_to("meeting.time_zone", "Mars/Olympus"), "time zone"),
    "reserved slug": (set_to("meeting.slug", "new"), "reserved"),
    "empty slug": (set_to("meeting.slug", ""), "meeting.slug"),
    "ends before it starts": (set_to("meeting.end_time", "09:00:00"), "end after it starts"),
    "bool as number": (set_to("rounds.0.speaking_seconds", True), "whole number"),
    "bad choice": (set_to("panelists.0.status", "maybe"), "panelists\\[0\\]: status"),
    "bad email": (set_to("panelists.0.email", "not an address"), "email"),
    "null in a text": (set_to("panelists.0.name", None), "must not be null"),
    "id is text": (set_to("panelists.0.id", "7"), "positive whole number"),
    "id is negative": (set_to("panelists.0.id", -3), "positive whole number"),
    "id given twice": (lambda d: set_to("panelists.1.id", d["panelists"][0]["id"])(d), "twice"),
    "unknown mechanism": (set_to("panelists.0.mechanism", "nowhere"), "mechanism 'nowhere'"),
    "unknown round": (set_to("turns.0.round", 9), "round 9 is not in the document"),
    "panelist as float": (set_to("turns.0.panelist", 1.0), "panelist 1.0"),
    "panelist as list": (set_to("turns.0.panelist", [1]), "panelist \\[1\\]"),
    "unknown user": (set_to("turns.0.revisions.0.saved_by", "ghost"), "user 'ghost'"),
    "user not a text": (set_to("users.0", 3), "users\\[0\\]"),
    "revisions not a list": (set_to("turns.0.revisions", {}), "expected a list"),
    "round twice": (set_to("rounds.1.number", 1), "refused the document"),
    "two current turns": (second_current_turn, "refused the document"),
    "NUL in a text": (set_to("panelists.0.bio", "a\x00b"), "panelists\\[0\\].bio: contains a NUL"),
    "NUL in a detail": (
        set_to("log.0.detail", {"k": ["\x00"]}),
        "log\\[0\\].detail: contains a NUL",
    ),
    "infinite number": (set_to("turns.0.spent_seconds", 10**400), "not a finite number"),
    "NaN in a detail": (set_to("log.0.detail", {"k": float("nan")}), "not a finite number"),
    "moment out of range": (set_to("log.0.at", "9999-12-31T23:00:00-05:00"), "out of range"),
    "log detail not an object": (set_to("log.0.detail", [1, 2]), "log\\[0\\].detail"),
}


@pytest.mark.parametrize("change", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_document_is_refused_and_nothing_is_kept(small, change):
    alter, message = change
    alter(small)
    before = counts()
    with pytest.raises(ArchiveError, match=message):
        import_meeting(small)
    assert counts() == before


@pytest.mark.parametrize("document", [[], "text", None, 3])
def test_a_document_that_is_no_object_is_refused(document):
    with pytest.raises(ArchiveError, match="expected an object"):
        import_meeting(document)


# The two commands -----------------------------------------------------------------------------


def test_the_commands_carry_a_meeting_through_a_file(rich, tmp_path):
    path = tmp_path / "meeting.json"
    out = io.StringIO()
    call_command("export_meeting", SLUG, output=path, stdout=out)
    assert f"Wrote {SLUG}" in out.getvalue()
    text = path.read_text(encoding="utf-8")
    assert "josé.pérez" in text  # UTF-8, not \u escapes
    assert text.startswith('{\n  "schema": "cam-meetings/archive/1"')
    empty_the_database()

    out = io.StringIO()
    call_command("import_meeting", str(path), stdout=out)

    assert f"Imported {SLUG}" in out.getvalue()
    meeting = Meeting.objects.get(slug=SLUG)
    assert comparable(export_meeting(meeting)) == comparable(json.loads(text))


def test_export_writes_to_standard_output_by_default(rich):
    out = io.StringIO()
    call_command("export_meeting", SLUG, stdout=out)
    assert json.loads(out.getvalue())["schema"] == SCHEMA


def test_export_of_an_unknown_meeting_fails_clearly(db):
    with pytest.raises(CommandError, match="No meeting has the slug 'nowhere'"):
        call_command("export_meeting", "nowhere")


def test_export_to_an_unwritable_place_fails_clearly(tmp_path):
    make_meeting(slug="small")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_meeting", "small", output=tmp_path / "missing" / "meeting.json")


def test_import_warns_about_links_that_must_be_reissued(tmp_path):
    meeting = make_meeting(slug="taken")
    panelist = make_panelist(meeting, name="Ana Pérez")
    path = tmp_path / "meeting.json"
    call_command("export_meeting", "taken", output=path, stdout=io.StringIO())
    mechanism = panelist.mechanism
    meeting.delete()
    Panelist.objects.create(
        pk=panelist.pk, meeting=make_meeting(slug="other"), mechanism=mechanism, name="Other"
    )
    err = io.StringIO()
    call_command("import_meeting", str(path), stdout=io.StringIO(), stderr=err)
    assert "Ana Pérez" in err.getvalue()
    assert "issue a new one" in err.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not JSON"),
        (b"\xff\xfe\x00garbage", "is not UTF-8"),
        (b"[1, 2]", "not a meeting archive"),
        (b"[" * 100_000, "nests too deeply"),
        (b'{"schema": "cam-meetings/archive/9"}', "schema"),
    ],
)
def test_import_of_a_bad_file_fails_clearly(tmp_path, db, content, message):
    path = tmp_path / "meeting.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_meeting", str(path))


def test_import_of_a_missing_file_fails_clearly(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_meeting", str(tmp_path / "nowhere.json"))


def test_import_of_an_existing_meeting_fails_clearly(tmp_path):
    make_meeting(slug="small")
    path = tmp_path / "meeting.json"
    call_command("export_meeting", "small", output=path, stdout=io.StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("import_meeting", str(path))


# Completeness ---------------------------------------------------------------------------------

# Every relation of the archived models, and how the archive writes it. A new one fails
# here until the archive carries it.
RELATIONS = {
    Meeting: {"convening_body"},
    Round: {"meeting"},
    AgendaItem: {"meeting", "round"},
    Delegation: {"meeting", "state"},
    Intervention: {"meeting", "item", "delegation"},
    Panelist: {"meeting", "mechanism", "substitute_for"},
    Turn: {"meeting", "round", "panelist", "coordination"},
    TextRevision: {"turn", "intervention", "saved_by"},
    Representative: {"delegation"},
    Answer: {"panelist", "round"},
    AnswerRevision: {"answer"},
    Email: {"meeting", "panelist", "delegation", "created_by"},
    PublishedRecord: {"meeting", "published_by"},
    MeetingLog: {"meeting", "actor", "panelist"},
    Mechanism: {"parent_organisation", "lead_organisations", "member_states"},
    Organisation: set(),
    MemberState: set(),
}
# Tables of a meeting the archive leaves out, and why.
NOT_ARCHIVED = {
    # The AV desk's keys to the clock where the meeting runs: an archive carries the record,
    # never credentials (not even digests); a restored meeting is given new tokens.
    ApiToken,
    # The AV desk's webhooks: their secrets are credentials too, and what they were sent is
    # the meeting's log of a device, not its record.
    Webhook,
    WebhookDelivery,
    WebhookAttempt,
}


@pytest.mark.parametrize("model", RELATIONS, ids=lambda model: model.__name__)
def test_the_archive_knows_every_relation(model):
    forward = {f.name for f in model._meta.get_fields() if f.is_relation and not f.auto_created}
    assert forward == RELATIONS[model]


def test_every_table_that_hangs_off_a_meeting_is_archived():
    seen, waiting = set(), [Meeting]
    while waiting:
        model = waiting.pop()
        for relation in model._meta.get_fields(include_hidden=True):
            related = relation.related_model
            if relation.auto_created and not relation.concrete and related not in seen:
                if related._meta.auto_created:  # an M2M's own table, e.g. Turn.coordination's
                    continue
                seen.add(related)
                waiting.append(related)
    assert seen <= set(RELATIONS) | NOT_ARCHIVED


def test_every_column_is_written(rich):
    document = export_meeting(rich.meeting)
    sections = {
        Meeting: [document["meeting"]],
        Round: document["rounds"],
        Panelist: document["panelists"],
        Turn: document["turns"],
        TextRevision: [r for turn in document["turns"] for r in turn["revisions"]],
        Answer: document["answers"],
        AnswerRevision: [r for answer in document["answers"] for r in answer["revisions"]],
        Email: document["emails"],
        PublishedRecord: document["publications"],
        MeetingLog: document["log"],
        Mechanism: document["mechanisms"],
        Organisation: document["organisations"],
        MemberState: document["member_states"],
    }
    for model, items in sections.items():
        assert items, model.__name__
        names = {f.name for f in model._meta.concrete_fields if not f.primary_key}
        names -= {"meeting", "turn", "answer"}  # implied by where the item sits
        if model is TextRevision:
            names -= {"intervention"}  # a turn's revision, never an intervention's
        for item in items:
            assert names <= set(item), model.__name__
    panelist = next(p for p in document["panelists"] if p["id"] == rich.panelist.pk)
    assert panelist["link_salt"] and panelist["link_digest"]


def test_an_archive_from_before_the_venue_and_chair_had_four_languages_imports(rich):
    document = as_json(export_meeting(rich.meeting))
    meeting_row = document["meeting"]
    meeting_row["venue"] = "OAS headquarters"
    meeting_row["chair"] = "Chair of the CAM"
    for field in ("venue", "chair"):
        for language in ("en", "es", "fr", "pt"):
            del meeting_row[f"{field}_{language}"]
    empty_the_database()

    meeting = import_meeting(document)

    assert (meeting.venue_en, meeting.chair_en) == ("OAS headquarters", "Chair of the CAM")
    assert (meeting.venue_fr, meeting.chair_pt) == ("", "")


def test_an_archive_from_before_answers_kept_a_history_imports(rich):
    document = as_json(export_meeting(rich.meeting))
    for answer in document["answers"]:
        del answer["version"], answer["revisions"]
    empty_the_database()

    meeting = import_meeting(document)

    answers = Answer.objects.filter(panelist__meeting=meeting)
    assert answers.count() == len(document["answers"])
    assert set(answers.values_list("version", flat=True)) == {0}
    assert not AnswerRevision.objects.exists()


def test_an_archive_from_before_honorifics_were_keys_imports(rich):
    """An honorific typed as free text becomes its key where it names one form,
    else stays as typed under "other"."""
    document = as_json(export_meeting(rich.meeting))
    typed = ["Sra.", "Dr.", ""]
    rows = document["panelists"][:3]
    for row, text in zip(rows, typed, strict=True):
        row["honorific"] = text
        del row["honorific_other"]
    empty_the_database()

    import_meeting(document)

    imported = [Panelist.objects.get(pk=row["id"]) for row in rows]
    assert [(p.honorific, p.honorific_other) for p in imported] == [
        ("ms", ""),
        ("other", "Dr."),
        ("", ""),
    ]


def test_an_unknown_honorific_key_is_refused(small):
    small["panelists"][0]["honorific"] = "Excma."
    with pytest.raises(ArchiveError, match=r"panelists\[0\]: honorific"):
        import_meeting(small)


def test_an_archive_from_before_emails_kept_the_slot_imports(rich):
    document = as_json(export_meeting(rich.meeting))
    assert document["emails"]
    for email in document["emails"]:
        del email["slot"]
    empty_the_database()

    meeting = import_meeting(document)

    emails = Email.objects.filter(meeting=meeting)
    assert emails.count() == len(document["emails"])
    assert set(emails.values_list("slot", flat=True)) == {None}


def test_an_archive_from_before_the_outbox_imports_its_emails_as_sent_to_panelists(rich):
    document = as_json(export_meeting(rich.meeting))
    for email in document["emails"]:
        for column in ("send_after", "key", "batch", "delegation", "text", "html", "calendar"):
            del email[column]
    empty_the_database()

    meeting = import_meeting(document)

    emails = list(Email.objects.filter(meeting=meeting).order_by("created_at", "pk"))
    assert len(emails) == len(document["emails"])
    assert len({email.key for email in emails}) == len(emails)
    assert all(email.send_after == email.created_at for email in emails)
    assert all(email.panelist.meeting == meeting for email in emails)


def test_interventions_written_without_their_history_import_without_one():
    whole = whole_meeting(slug="whole-no-history")
    document = as_json(export_meeting(whole["meeting"]))
    for row in document["interventions"]:
        del row["revisions"]
    empty_the_database()

    meeting = import_meeting(document)

    assert meeting.interventions.count() == len(document["interventions"])
    assert not TextRevision.objects.filter(intervention__meeting=meeting).exists()
    mexico = meeting.interventions.get(delegation__code="MX")
    assert mexico.summary == "Mexico asked about returns."  # the current texts are kept
