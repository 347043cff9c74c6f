"""One meeting in one JSON document: the secretariat's archive, written.

`export_meeting` writes everything a meeting holds, and everything it refers to, so that
`meetings.services.archive.import_meeting` can rebuild it in an empty database (or one with the
seeds loaded) with nothing lost. Each row is what Django's serialiser writes of it (every
column under its own name, relations by natural key), flattened: rows refer to one another by
natural keys, never by primary keys: mechanism slug, member state code, organisation slug,
username, round number (a round's key without its meeting, which is the document's own); a
panelist or a delegation by the "id" it had in the exporting database, which the import maps to
the new one; an agenda item by its position, a delegation (elsewhere) by its code.

Schema "cam-meetings/archive/1":
    schema, exported_at,
    users [username],                      (who acted, published, saved or sent: names only)
    organisations [{every column}],
    member_states [{every column}],
    mechanisms [{every column, parent_organisation: slug | null,
                 lead_organisations [slug], member_states [code]}],
    meeting {every column, convening_body: slug | null},  (before migration 0010: venue and
                                           chair, read as venue_en and chair_en; before
                                           0025: no confirmation_deadline and
                                           reminder_days, read as null and "7,2")
    rounds [{every column}],               (before migration 0025: no answers_deadline,
                                           read as null)
    agenda [{round: number | null, every column}],
    delegations [{id, state: code | null, every column (link_salt and link_digest included),
                  representatives [{every column}]}],
                                           (before migration 0025: no addresses, language,
                                           answer to the convocation nor representatives,
                                           read as empty; before mechanisms' 0005, a state
                                           has no addresses and English for its language)
    panelists [{id, mechanism: slug, substitute_for: id | null,
                every column (link_salt and link_digest included)}],
                                           (before migration 0018: the honorific as free
                                           text and no honorific_other, read as its key
                                           where it names one, else as "other"; before
                                           migration 0020: no decline_reason and no
                                           substitute_for, read as "" and null)
    turns [{round: number, panelist: id, every column, coordination [slug],
            revisions [{every column, saved_by: username | null}]}],
    interventions [{item: position, delegation: code | null, every column,
                    revisions [{every column, saved_by: username | null}]}],
                                           (an intervention is its item's position and its
                                           own: it has no natural key of its own; written
                                           without revisions before they were kept, read as
                                           none)
    answers [{round: number, panelist: id, every column, revisions [{every column}]}],
                                           (before migration 0015: no version and no
                                           revisions, read as version 0 and no history)
    emails [{panelist: id | null, delegation: code | null, created_by: username | null,
             every column}],               (before migration 0019: no slot, read as null;
                                           before 0025, the outbox: no time to be sent, key,
                                           batch nor message, read as sent when asked for,
                                           a key of its own, none and empty)
    publications [{published_by: username | null, every column}],
    log [{actor: username | null, panelist: id | null, every column}]

Documents written before agendas have no agenda, delegations nor interventions: the import
gives each round its item (in the order of their numbers, as Round.save does) and the meeting a
delegation for each member state, as the seed loader does.

Dates and times are ISO 8601 (date-times with their offset and microseconds: Django's JSON
encoder would keep milliseconds only, so the values are written here). The published
snapshots and the log's details are kept exactly as they were written: they are history, and
the ids inside them are those of the exporting database.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core import serializers
from django.db import connection, models, transaction
from django.utils import timezone

from mechanisms.models import Mechanism, MemberState, Organisation
from meetings.models import (
    AgendaItem,
    Answer,
    AnswerRevision,
    Delegation,
    Email,
    Intervention,
    Meeting,
    MeetingLog,
    Panelist,
    PublishedRecord,
    Representative,
    Round,
    TextRevision,
    Turn,
)

SCHEMA = "cam-meetings/archive/1"

# The document's sections, in the order they are written and read.
SECTIONS = (
    "schema",
    "exported_at",
    "users",
    "organisations",
    "member_states",
    "mechanisms",
    "meeting",
    "rounds",
    "agenda",
    "delegations",
    "panelists",
    "turns",
    "interventions",
    "answers",
    "emails",
    "publications",
    "log",
)

# The sections a document written before agendas lacks (read as empty).
SINCE_AGENDAS = ("agenda", "delegations", "interventions")

# The relation a row's place in the document already says: a round is the meeting's, a
# revision its turn's, its intervention's or its answer's.
IMPLIED = {
    Round: ("meeting",),
    AgendaItem: ("meeting",),
    Delegation: ("meeting",),
    Intervention: ("meeting",),
    Panelist: ("meeting",),
    Turn: ("meeting",),
    TextRevision: ("turn", "intervention"),
    Representative: ("delegation",),
    AnswerRevision: ("answer",),
    PublishedRecord: ("meeting",),
    MeetingLog: ("meeting",),
    Email: ("meeting",),
}


def archived_fields(model: type[models.Model]) -> list[models.Field]:
    """What a row of the model holds in the document: every field Django's serialiser writes
    (the columns, the relations, the many-to-many relations without a table of their own: a
    mechanism's member states, kept in Membership, are written beside it) but the primary key
    and the relation its place implies. Read from the model, so a new column is archived
    without anyone remembering to add it here."""
    implied = IMPLIED.get(model, ())
    return [
        field
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]
        if field.serialize
        and field.name not in implied
        and not (field.many_to_many and not field.remote_field.through._meta.auto_created)
    ]


def stamp_names(model: type[models.Model]) -> list[str]:
    """The columns the database sets on save (auto_now, auto_now_add)."""
    return [
        field.name
        for field in archived_fields(model)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


# Rows ---------------------------------------------------------------------------------------


# The rows whose id the import gives back where it is free: their links' tokens are made from it.
KEEP_IDS = (Panelist, Delegation)


def rows(model: type[models.Model], objects: Iterable[models.Model]) -> list[dict]:
    """Each object as the archive writes it: what Django's serialiser makes of it, with the
    natural keys of the rows it refers to, flattened (`reference`) and in ISO 8601."""
    fields = archived_fields(model)
    serialised = serializers.serialize(
        "python", objects, fields=[field.name for field in fields], use_natural_foreign_keys=True
    )
    return [
        {field.name: written(field, item["fields"][field.name]) for field in fields}
        | ({"id": item["pk"]} if model in KEEP_IDS else {})
        for item in serialised
    ]


def written(field: models.Field, value: object) -> object:
    if field.many_to_many:
        return sorted(reference(key) for key in value)
    if field.is_relation:
        return reference(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date too
        return value.isoformat()
    return value


def reference(key: object) -> object:
    """A natural key as the document writes it: the key's last part, a slug, a code, a
    username or a round's number (a round's key starts with its meeting's, the document's
    own); an id where the row has no natural key (a panelist), or null."""
    if not isinstance(key, tuple | list):
        return key
    *_meeting, last = key
    return last


# Export -------------------------------------------------------------------------------------


def export_meeting(meeting: Meeting) -> dict:
    """The meeting and everything it refers to, as a JSON-ready dictionary (schema above)."""
    with one_moment():
        return document_of(meeting)


@contextmanager
def one_moment() -> Iterator[None]:
    """Every query inside sees the database as it was at one moment: a panelist added during
    the export is wholly in the document (answers, log entries) or not at all.

    SQLite's transactions are such snapshots already; PostgreSQL's must be asked for, before
    their first query: inside a transaction begun elsewhere, that one decides."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def document_of(meeting: Meeting) -> dict:
    held = Held.in_meeting(meeting)
    mechanisms = mechanisms_referred_to(held)
    return {
        "schema": SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "users": usernames_in(held),
        **directory_sections(mechanisms, states_referred_to(held)),
        **meeting_sections(held),
    }


@dataclass
class Held:
    """The rows a meeting holds, each related row it refers to loaded with it (the serialiser
    asks every row for the natural keys of those it refers to)."""

    meeting: Meeting
    rounds: list[Round]
    agenda: list[AgendaItem]
    delegations: list[Delegation]
    panelists: list[Panelist]
    turns: list[Turn]
    interventions: list[Intervention]
    revisions: list[TextRevision]  # of every turn and intervention
    answers: list[Answer]
    emails: list[Email]
    publications: list[PublishedRecord]
    log: list[MeetingLog]

    @classmethod
    def in_meeting(cls, meeting: Meeting) -> "Held":
        in_order = ("saved_at", "pk")
        answers = Answer.objects.filter(panelist__meeting=meeting)
        return cls(
            meeting=Meeting.objects.select_related("convening_body").get(pk=meeting.pk),
            rounds=list(meeting.rounds.order_by("number")),
            agenda=list(meeting.agenda.select_related("meeting", "round__meeting")),
            delegations=list(
                meeting.delegations.select_related("state")
                .prefetch_related(
                    models.Prefetch(
                        "representatives", Representative.objects.order_by("position", "pk")
                    )
                )
                .order_by("pk")
            ),
            panelists=list(meeting.panelists.select_related("mechanism").order_by("pk")),
            turns=list(
                Turn.objects.filter(meeting=meeting)
                .select_related("round__meeting")
                .prefetch_related("coordination")
                .order_by("round__number", "position", "panelist_id")
            ),
            interventions=list(
                Intervention.objects.filter(meeting=meeting)
                .select_related("item__meeting", "delegation__meeting")
                .order_by("item__position", "position", "pk")
            ),
            revisions=list(
                TextRevision.objects.filter(
                    models.Q(turn__meeting=meeting) | models.Q(intervention__meeting=meeting)
                )
                .select_related("saved_by")
                .order_by(*in_order)
            ),
            answers=list(
                answers.select_related("round__meeting")
                .prefetch_related(
                    models.Prefetch("revisions", AnswerRevision.objects.order_by(*in_order))
                )
                .order_by("round__number", "panelist_id")
            ),
            emails=list(
                Email.objects.filter(meeting=meeting)
                .select_related("created_by", "delegation__meeting")
                .order_by("created_at", "pk")
            ),
            publications=list(
                meeting.publications.select_related("published_by").order_by("published_at", "pk")
            ),
            log=list(meeting.log.select_related("actor").order_by("at", "pk")),
        )


def states_referred_to(held: Held) -> list[MemberState]:
    """The member states the meeting's delegations represent."""
    return [delegation.state for delegation in held.delegations if delegation.state is not None]


def mechanisms_referred_to(held: Held) -> list[Mechanism]:
    """Every mechanism the meeting names (its panel's, its turns' coordination, its convening
    body), so that the document stands on its own."""
    ids = {panelist.mechanism_id for panelist in held.panelists}
    ids |= {other.pk for turn in held.turns for other in turn.coordination.all()}
    if held.meeting.convening_body_id:
        ids.add(held.meeting.convening_body_id)
    return list(
        Mechanism.objects.filter(pk__in=ids)
        .select_related("parent_organisation")
        .prefetch_related("lead_organisations", "memberships__state")
        .order_by("slug")
    )


def usernames_in(held: Held) -> list[str]:
    """Who saved, sent, published or acted: their names only."""
    users = [
        *(revision.saved_by for revision in held.revisions),
        *(email.created_by for email in held.emails),
        *(publication.published_by for publication in held.publications),
        *(entry.actor for entry in held.log),
    ]
    return sorted({user.get_username() for user in users if user is not None})


def directory_sections(
    mechanisms: list[Mechanism], delegations_states: list[MemberState]
) -> dict[str, list[dict]]:
    organisations = {
        organisation.slug: organisation
        for mechanism in mechanisms
        for organisation in [mechanism.parent_organisation, *mechanism.lead_organisations.all()]
        if organisation is not None
    }
    states = {
        membership.state.code: membership.state
        for mechanism in mechanisms
        for membership in mechanism.memberships.all()
    }
    states |= {state.code: state for state in delegations_states}
    members = [
        sorted(membership.state.code for membership in mechanism.memberships.all())
        for mechanism in mechanisms
    ]
    return {
        "organisations": rows(
            Organisation, [organisations[slug] for slug in sorted(organisations)]
        ),
        "member_states": rows(MemberState, [states[code] for code in sorted(states)]),
        "mechanisms": [
            {**row, "member_states": codes}
            for row, codes in zip(rows(Mechanism, mechanisms), members, strict=True)
        ],
    }


def meeting_sections(held: Held) -> dict[str, object]:
    revisions: dict[int, list[TextRevision]] = {}
    spoken: dict[int, list[TextRevision]] = {}  # the interventions'
    for revision in held.revisions:
        if revision.turn_id is not None:
            revisions.setdefault(revision.turn_id, []).append(revision)
        else:
            spoken.setdefault(revision.intervention_id, []).append(revision)
    return {
        "meeting": rows(Meeting, [held.meeting])[0],
        "rounds": rows(Round, held.rounds),
        "agenda": rows(AgendaItem, held.agenda),
        "delegations": [
            {**row, "representatives": rows(Representative, delegation.representatives.all())}
            for row, delegation in zip(
                rows(Delegation, held.delegations), held.delegations, strict=True
            )
        ],
        "panelists": rows(Panelist, held.panelists),
        "turns": [
            {**row, "revisions": rows(TextRevision, revisions.get(turn.pk, []))}
            for row, turn in zip(rows(Turn, held.turns), held.turns, strict=True)
        ],
        "interventions": [
            {**row, "revisions": rows(TextRevision, spoken.get(intervention.pk, []))}
            for row, intervention in zip(
                rows(Intervention, held.interventions), held.interventions, strict=True
            )
        ],
        "answers": [
            {**row, "revisions": rows(AnswerRevision, answer.revisions.all())}
            for row, answer in zip(rows(Answer, held.answers), held.answers, strict=True)
        ],
        "emails": rows(Email, held.emails),
        "publications": rows(PublishedRecord, held.publications),
        "log": rows(MeetingLog, held.log),
    }
