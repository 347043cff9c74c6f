"""The seeded meeting's agenda, and databases from before agendas: every round becomes an item
without a turn touched, and the loader puts the usual frame around them once."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from mechanisms.models import MemberState
from mechanisms.seeding import SeedRecord, fingerprint, record_key
from meetings.models import AgendaItem, Delegation, Intervention, ItemKind, Meeting, Turn
from meetings.services import live_session
from tests.factories import make_mechanism, make_state
from tests.mechanisms.test_seeds import load_seeds

SLUG = "migration-governance-2022"
BEFORE = [("meetings", "0020_panelist_decline_reason_substitute")]
AFTER = [("meetings", "0022_agenda_of_existing_meetings")]


def agenda_of(meeting) -> list[tuple[str, str, int | None]]:
    return [
        (item.kind, item.title_en or f"round {item.round.number}", item.speaking_seconds)
        for item in meeting.agenda.select_related("round").order_by("position")
    ]


@pytest.mark.django_db
def test_the_seeded_meeting_has_the_whole_agenda(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    assert agenda_of(meeting) == [
        (ItemKind.REMARKS, "Opening remarks", 300),
        (ItemKind.ROUND, "round 1", None),
        (ItemKind.ROUND, "round 2", None),
        (ItemKind.DIALOGUE, "Dialogue with delegations", 180),
        (ItemKind.REMARKS, "Closing remarks", 300),
    ]
    speakers = Intervention.objects.filter(meeting=meeting).order_by("item__position")
    assert [(s.item.position, s.speaker_es) for s in speakers] == [
        (1, "Presidencia de la Comisión de Asuntos Migratorios (CAM)"),
        (5, "Presidencia de la Comisión de Asuntos Migratorios (CAM)"),
    ]
    titles = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    assert (titles.title_es, titles.title_fr, titles.title_pt) == (
        "Diálogo con las delegaciones",
        "Dialogue avec les délégations",
        "Diálogo com as delegações",
    )


@pytest.mark.django_db
def test_the_seeded_meeting_has_a_delegation_for_every_member_state(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    delegations = Delegation.objects.filter(meeting=meeting)
    assert delegations.count() == 32  # the 35 states, but those withdrawn or not taking part
    mexico = delegations.get(code="MX")
    assert mexico.display_name == "Delegation of Mexico" and mexico.has_link


@pytest.mark.django_db
def test_reloading_the_seeds_keeps_the_agenda_as_the_secretariat_left_it(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    meeting.agenda.filter(kind=ItemKind.DIALOGUE).update(title_en="Questions from the floor")
    meeting.agenda.get(title_en="Closing remarks").delete()
    load_seeds()
    assert [title for _kind, title, _seconds in agenda_of(meeting)] == [
        "Opening remarks",
        "round 1",
        "round 2",
        "Questions from the floor",
    ]


@pytest.mark.django_db
def test_a_seeded_meeting_from_before_agendas_gets_its_frame_and_keeps_its_turns(seeded):
    """What a database migrated from before agendas holds: the rounds as the only items, at
    1 and 2, and no record that the loader ever wrote an agenda."""
    meeting = Meeting.objects.get(slug=SLUG)
    live_session.perform(meeting, "give_floor", by=None, turn_id=first_panelist_turn(meeting))
    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next", by=None)
    turns_before = list(Turn.objects.filter(meeting=meeting).values().order_by("pk"))
    meeting.agenda.exclude(kind=ItemKind.ROUND).delete()
    SeedRecord.objects.filter(key__startswith="meetings.agendaitem:").delete()
    for number in (1, 2):
        meeting.agenda.filter(round__number=number).update(position=number)

    load_seeds()

    assert [kind for kind, _title, _seconds in agenda_of(meeting)] == [
        ItemKind.REMARKS,
        ItemKind.ROUND,
        ItemKind.ROUND,
        ItemKind.DIALOGUE,
        ItemKind.REMARKS,
    ]
    assert list(Turn.objects.filter(meeting=meeting).values().order_by("pk")) == turns_before


def first_panelist_turn(meeting) -> int:
    return Turn.objects.filter(meeting=meeting, round__number=1, position=1).get().pk


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_each_round_an_item_and_touches_no_turn():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldMeeting = old.get_model("meetings", "Meeting")
    meeting = OldMeeting.objects.create(
        slug="old", title_en="Old", date="2022-05-17", start_time="10:00", end_time="12:00"
    )
    Round, Panelist, OldTurn = (
        old.get_model("meetings", name) for name in ("Round", "Panelist", "Turn")
    )
    mechanism, state = make_mechanism(), make_state()
    panelist = Panelist.objects.create(meeting=meeting, mechanism_id=mechanism.pk, name="A")
    for number in (2, 1):  # created out of order: the items follow the numbers
        round_ = Round.objects.create(meeting=meeting, number=number, question_en="Q?")
        OldTurn.objects.create(
            meeting=meeting,
            round=round_,
            panelist=panelist,
            position=1,
            status="finished" if number == 1 else "pending",
            spent_seconds=400.0 if number == 1 else 0,
        )
    turns_before = sorted(
        OldTurn.objects.values_list("pk", "round__number", "status", "spent_seconds")
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    items = new.get_model("meetings", "AgendaItem").objects.filter(meeting__slug="old")
    assert [
        (item.position, item.kind, item.round.number) for item in items.order_by("position")
    ] == [
        (1, "round", 1),
        (2, "round", 2),
    ]
    NewTurn = new.get_model("meetings", "Turn")
    assert (
        sorted(NewTurn.objects.values_list("pk", "round__number", "status", "spent_seconds"))
        == turns_before
    )
    delegations = new.get_model("meetings", "Delegation").objects.filter(meeting__slug="old")
    assert state.code in set(delegations.values_list("code", flat=True))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert AgendaItem.objects.filter(meeting__slug="old").count() == 2


@pytest.mark.django_db
def test_a_member_states_delegation_is_named_as_each_language_names_it(seeded):
    mexico = Delegation.objects.get(meeting__slug=SLUG, code="MX")
    united_states = Delegation.objects.get(meeting__slug=SLUG, code="US")
    said = {}
    for language in ("en", "es", "fr", "pt"):
        with translation.override(language):
            said[language] = (mexico.display_name, united_states.display_name)
    assert said == {
        "en": ("Delegation of Mexico", "Delegation of the United States"),
        "es": ("Delegación de México", "Delegación de los Estados Unidos"),
        "fr": ("Délégation du Mexique", "Délégation des États-Unis"),
        "pt": ("Delegação do México", "Delegação dos Estados Unidos"),
    }


@pytest.mark.django_db
def test_states_loaded_before_delegations_had_names_get_them_on_the_next_load(seeded):
    columns = ("delegation_en", "delegation_es", "delegation_fr", "delegation_pt")
    MemberState.objects.update(**dict.fromkeys(columns, ""))
    for state in MemberState.objects.all():  # what the loader remembered before the columns
        key = record_key(MemberState, {"code": state.code})
        record = SeedRecord.objects.get(key=key)
        fields = [
            f.attname
            for f in MemberState._meta.concrete_fields
            if f.attname not in ("id", "code", *columns, "addresses", "language")
        ]
        record.fingerprint = fingerprint(
            {"code": state.code, **{name: getattr(state, name) for name in fields}}
        )
        record.save()
    MemberState.objects.filter(code="CA").update(name_fr="Canada (modifié)")  # someone's edit
    load_seeds()
    assert MemberState.objects.get(code="MX").delegation_fr == "Délégation du Mexique"
    assert MemberState.objects.get(code="CA").delegation_fr == ""  # edited: left alone
    with translation.override("fr"):
        canada = Delegation.objects.get(meeting__slug=SLUG, code="CA")
        assert canada.display_name == "Délégation de Canada (modifié)"


@pytest.mark.django_db
def test_states_loaded_before_the_convocation_get_their_language_on_the_next_load(seeded):
    MemberState.objects.update(language="en")
    for state in MemberState.objects.all():  # what the loader remembered before the column
        key = record_key(MemberState, {"code": state.code})
        record = SeedRecord.objects.get(key=key)
        fields = [
            f.attname
            for f in MemberState._meta.concrete_fields
            if f.attname not in ("id", "code", "addresses", "language")
        ]
        record.fingerprint = fingerprint(
            {"code": state.code, **{name: getattr(state, name) for name in fields}}
        )
        record.save()
    MemberState.objects.filter(code="PE").update(name_fr="Pérou (modifié)")  # someone's edit
    load_seeds()
    languages = dict(MemberState.objects.values_list("code", "language"))
    assert (languages["MX"], languages["BR"], languages["HT"], languages["JM"]) == (
        "es",
        "pt",
        "fr",
        "en",
    )
    assert languages["PE"] == "en"  # edited: left alone
