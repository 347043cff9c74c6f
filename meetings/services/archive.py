"""One meeting in one JSON document, and back: the secretariat's archive.

`export_meeting` writes everything a meeting holds, and everything it refers to, so that
`import_meeting` can rebuild it in an empty database (or one with the seeds loaded) with
nothing lost. Rows refer to one another by natural keys, never by primary keys: mechanism
slug, member state code, organisation slug, username, round number; a panelist by the "id"
it had in the exporting database, which the import maps to the new one.

Schema "cam-meetings/archive/1" (every model column is written, under its own name):
    schema, exported_at,
    users [username],                      (who acted, published, saved or sent: names only)
    organisations [{every column}],
    member_states [{every column}],
    mechanisms [{every column, parent_organisation: slug | null,
                 lead_organisations [slug], member_states [code]}],
    meeting {every column, convening_body: slug | null},  (before migration 0010: venue and
                                           chair, read as venue_en and chair_en)
    rounds [{every column}],
    panelists [{id, mechanism: slug, substitute_for: id | null,
                every column (link_salt and link_digest included)}],
                                           (before migration 0018: the honorific as free
                                           text and no honorific_other, read as its key
                                           where it names one, else as "other"; before
                                           migration 0020: no decline_reason and no
                                           substitute_for, read as "" and null)
    turns [{round: number, panelist: id, every column, coordination [slug],
            revisions [{every column, saved_by: username | null}]}],
    answers [{round: number, panelist: id, every column, revisions [{every column}]}],
                                           (before migration 0015: no version and no
                                           revisions, read as version 0 and no history)
    emails [{panelist: id, created_by: username | null, every column}],
                                           (before migration 0019: no slot, read as null)
    publications [{published_by: username | null, every column}],
    log [{actor: username | null, panelist: id | null, every column}]

Dates and times are ISO 8601 (date-times with their offset and microseconds). The published
snapshots and the log's details are kept exactly as they were written: they are history,
and the ids inside them are those of the exporting database.

Personal links: a panelist's token is an HMAC of their id and salt under the SECRET_KEY
(meetings/services/links.py), and only its digest is stored. The import therefore gives a panelist
their exported id back whenever it is free in the target database (always, in an empty
one): with the same DJANGO_SECRET_KEY the link they were sent keeps working and can be shown
and sent again. Where the id is taken, the link they were sent still works (it is found by
its digest), but it cannot be shown again: `links_to_reissue` names those panelists.
"""

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone

from mechanisms.models import Mechanism, Membership, MemberState, Organisation
from meetings.honorifics import from_text
from meetings.models import (
    Answer,
    AnswerRevision,
    Meeting,
    MeetingLog,
    Panelist,
    PanelistEmail,
    PublishedRecord,
    Round,
    TextRevision,
    Turn,
)
from meetings.services.audit import log_action
from meetings.services.links import link_token, token_digest

SCHEMA = "cam-meetings/archive/1"
MAX_ID = 2**63 - 1  # the largest primary key every supported database stores

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
    "panelists",
    "turns",
    "answers",
    "emails",
    "publications",
    "log",
)


class ArchiveError(Exception):
    """The document cannot be imported; the message says why, and where in the document."""


# Columns ------------------------------------------------------------------------------------


def columns(model: type[models.Model]) -> list[models.Field]:
    """The model's own columns: every concrete field but the primary key and the relations,
    which the archive writes as natural keys. Read from the model, so a new column is
    archived without anyone remembering to add it here."""
    return [
        column
        for column in model._meta.concrete_fields
        if not column.primary_key and not column.is_relation
    ]


def stamp_names(model: type[models.Model]) -> list[str]:
    """The columns the database sets on save (auto_now, auto_now_add): restored after insert."""
    return [
        column.name
        for column in columns(model)
        if getattr(column, "auto_now", False) or getattr(column, "auto_now_add", False)
    ]


def dump_value(value: object) -> object:
    if isinstance(value, dt.date | dt.time):  # datetime is a date too
        return value.isoformat()
    return value


def dump_columns(obj: models.Model) -> dict[str, object]:
    return {column.name: dump_value(getattr(obj, column.name)) for column in columns(type(obj))}


def load_value(column: models.Field, value: object, where: str) -> object:
    """The document's value converted for the column; its type checked, never coerced."""
    if value is None:
        if column.null:
            return None
        raise ArchiveError(f"{where}: must not be null.")
    match column:
        case models.DateTimeField():
            return parse_moment(value, where)
        case models.DateField() | models.TimeField():
            if not isinstance(value, str):
                raise ArchiveError(f"{where}: expected an ISO 8601 text.")
            try:
                return column.to_python(value)
            except ValidationError:
                raise ArchiveError(f"{where}: {value!r} is not a valid ISO 8601 value.") from None
        case models.BooleanField():
            if not isinstance(value, bool):
                raise ArchiveError(f"{where}: expected true or false.")
            return value
        case models.IntegerField():
            if isinstance(value, bool) or not isinstance(value, int):
                raise ArchiveError(f"{where}: expected a whole number.")
            return value
        case models.FloatField():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ArchiveError(f"{where}: expected a number.")
            try:
                number = float(value)
            except OverflowError:  # a whole number beyond any float
                number = math.inf
            return plain_json(number, where)
        case models.JSONField():
            return plain_json(value, where)
        case models.CharField() | models.TextField():
            if not isinstance(value, str):
                raise ArchiveError(f"{where}: expected a text.")
            return plain_json(value, where)
    # A kind of column this archive does not know yet: refuse rather than lose it.
    raise ArchiveError(f"{where}: cannot read a {type(column).__name__}.")


def plain_json[V](value: V, where: str) -> V:
    """The value, unless a text in it holds NUL or a number in it is infinite or NaN.

    SQLite would store them, PostgreSQL refuses them, and the application never writes them
    (meetings/services/revisions.py strips NUL): whichever the database, such a document is refused.
    Walked with a list, not recursion: a hostile document may nest deeply."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, dict):
            waiting.extend(item)  # the keys
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
        elif isinstance(item, str) and "\x00" in item:
            raise ArchiveError(f"{where}: contains a NUL character.")
        elif isinstance(item, float) and not math.isfinite(item):
            raise ArchiveError(f"{where}: {item} is not a finite number.")
    return value


def parse_moment(value: object, where: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ArchiveError(f"{where}: expected an ISO 8601 date and time.")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ArchiveError(f"{where}: {value!r} is not an ISO 8601 date and time.") from None
    if moment.tzinfo is None:  # a naive time is ambiguous: the archive always writes offsets
        raise ArchiveError(f"{where}: {value!r} has no time zone offset.")
    try:
        moment.astimezone(dt.UTC)  # what the database stores
    except OverflowError:
        raise ArchiveError(f"{where}: {value!r} is out of range.") from None
    return moment


def load_columns(
    model: type[models.Model], data: object, where: str, *, references: tuple[str, ...] = ()
) -> tuple[dict[str, object], dict[str, object]]:
    """(column values, references) of one record, which must hold exactly the model's
    columns and the named references: a missing column would silently take a default."""
    record = as_dict(data, where)
    own = {column.name: column for column in columns(model)}
    missing = sorted((set(own) | set(references)) - set(record))
    if missing:
        raise ArchiveError(f"{where}: missing {', '.join(missing)}.")
    unknown = sorted(set(record) - set(own) - set(references))
    if unknown:
        raise ArchiveError(f"{where}: unknown {', '.join(unknown)}.")
    values = {
        name: load_value(column, record[name], f"{where}.{name}") for name, column in own.items()
    }
    return values, {name: record[name] for name in references}


def checked[M: models.Model](obj: M, where: str) -> M:
    """The model's own validation (lengths, choices, validators, clean()), as an ArchiveError.

    Relations are excluded: they were resolved here, and checking them costs a query each.
    Uniqueness and the constraints are left to the database (one insert, not one query
    per constraint); a refusal there rolls everything back and is reported too."""
    relations = [column.name for column in obj._meta.concrete_fields if column.is_relation]
    try:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ArchiveError(f"{where}: {problems}") from None
    return obj


def create_all[M: models.Model](model: type[M], objects: list[M]) -> list[M]:
    """Insert the rows at once, then put back the times auto_now(_add) replaced on insert."""
    names = stamp_names(model)
    wanted = [{name: getattr(obj, name) for name in names} for obj in objects]
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objects)
    else:  # the new ids are needed for the rows that refer to these ones
        for obj in objects:
            obj.save()
    if names and objects:
        for obj, values in zip(objects, wanted, strict=True):
            for name, value in values.items():
                setattr(obj, name, value)
        model.objects.bulk_update(objects, names)
    return objects


# Reading the document's structure ----------------------------------------------------------


def as_dict(value: object, where: str) -> dict:
    if not isinstance(value, dict):
        raise ArchiveError(f"{where}: expected an object.")
    return value


def as_list(value: object, where: str) -> list:
    if not isinstance(value, list):
        raise ArchiveError(f"{where}: expected a list.")
    return value


def as_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ArchiveError(f"{where}: expected a non-empty text.")
    return value


def as_id(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ArchiveError(f"{where}: expected a positive whole number.")
    return value


def lookup[T](table: dict[Any, T], key: object, where: str, what: str) -> T:
    """The object the document names; it must be listed in the document itself."""
    if type(key) not in (str, int):  # as dictionary keys, true and 1.0 would both find id 1
        raise ArchiveError(f"{where}: {what} {key!r} is not in the document.")
    try:
        return table[key]
    except KeyError:
        raise ArchiveError(f"{where}: {what} {key!r} is not in the document.") from None


def lookup_optional[T](table: dict[Any, T], key: object, where: str, what: str) -> T | None:
    return None if key is None else lookup(table, key, where, what)


# Export -------------------------------------------------------------------------------------


def username(user) -> str | None:
    return user.get_username() if user is not None else None


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
    meeting = Meeting.objects.select_related("convening_body").get(pk=meeting.pk)
    rounds = list(meeting.rounds.order_by("number"))
    numbers = {round_.pk: round_.number for round_ in rounds}
    panelists = list(meeting.panelists.select_related("mechanism").order_by("pk"))
    turns = list(
        Turn.objects.filter(meeting=meeting)
        .select_related("round")
        .prefetch_related("coordination")
        .order_by("round__number", "position", "panelist_id")
    )
    revisions: dict[int, list[TextRevision]] = {}
    for revision in (
        TextRevision.objects.filter(turn__meeting=meeting)
        .select_related("saved_by")
        .order_by("saved_at", "pk")
    ):
        revisions.setdefault(revision.turn_id, []).append(revision)
    answers = list(
        Answer.objects.filter(panelist__meeting=meeting)
        .prefetch_related(
            models.Prefetch("revisions", queryset=AnswerRevision.objects.order_by("saved_at", "pk"))
        )
        .order_by("round__number", "panelist_id")
    )
    emails = list(
        PanelistEmail.objects.filter(panelist__meeting=meeting)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )
    publications = list(
        meeting.publications.select_related("published_by").order_by("published_at", "pk")
    )
    log = list(meeting.log.select_related("actor").order_by("at", "pk"))

    # Everything referred to, so that the document stands on its own.
    mechanism_ids = {panelist.mechanism_id for panelist in panelists}
    mechanism_ids |= {other.pk for turn in turns for other in turn.coordination.all()}
    if meeting.convening_body_id:
        mechanism_ids.add(meeting.convening_body_id)
    mechanisms = list(
        Mechanism.objects.filter(pk__in=mechanism_ids)
        .select_related("parent_organisation")
        .prefetch_related("lead_organisations", "memberships__state")
        .order_by("slug")
    )
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
    users = {
        name
        for name in [
            *(username(revision.saved_by) for group in revisions.values() for revision in group),
            *(username(email.created_by) for email in emails),
            *(username(publication.published_by) for publication in publications),
            *(username(entry.actor) for entry in log),
        ]
        if name is not None
    }

    return {
        "schema": SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "users": sorted(users),
        "organisations": [dump_columns(organisations[slug]) for slug in sorted(organisations)],
        "member_states": [dump_columns(states[code]) for code in sorted(states)],
        "mechanisms": [
            {
                **dump_columns(mechanism),
                "parent_organisation": mechanism.parent_organisation.slug
                if mechanism.parent_organisation
                else None,
                "lead_organisations": sorted(o.slug for o in mechanism.lead_organisations.all()),
                "member_states": sorted(m.state.code for m in mechanism.memberships.all()),
            }
            for mechanism in mechanisms
        ],
        "meeting": {
            **dump_columns(meeting),
            "convening_body": meeting.convening_body.slug if meeting.convening_body else None,
        },
        "rounds": [dump_columns(round_) for round_ in rounds],
        "panelists": [
            {
                "id": panelist.pk,
                "mechanism": panelist.mechanism.slug,
                "substitute_for": panelist.substitute_for_id,
                **dump_columns(panelist),
            }
            for panelist in panelists
        ],
        "turns": [
            {
                "round": numbers[turn.round_id],
                "panelist": turn.panelist_id,
                **dump_columns(turn),
                "coordination": sorted(other.slug for other in turn.coordination.all()),
                "revisions": [
                    {**dump_columns(revision), "saved_by": username(revision.saved_by)}
                    for revision in revisions.get(turn.pk, [])
                ],
            }
            for turn in turns
        ],
        "answers": [
            {
                "round": numbers[answer.round_id],
                "panelist": answer.panelist_id,
                **dump_columns(answer),
                "revisions": [dump_columns(revision) for revision in answer.revisions.all()],
            }
            for answer in answers
        ],
        "emails": [
            {
                "panelist": email.panelist_id,
                "created_by": username(email.created_by),
                **dump_columns(email),
            }
            for email in emails
        ],
        "publications": [
            {"published_by": username(publication.published_by), **dump_columns(publication)}
            for publication in publications
        ],
        "log": [
            {
                "actor": username(entry.actor),
                "panelist": entry.panelist_id,
                **dump_columns(entry),
            }
            for entry in log
        ],
    }


# Import -------------------------------------------------------------------------------------


@dataclass
class ImportedObjects:
    """What the document's natural keys stand for in the target database."""

    users: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    states: dict[str, MemberState] = field(default_factory=dict)
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    rounds: dict[int, Round] = field(default_factory=dict)
    panelists: dict[int, Panelist] = field(default_factory=dict)  # exported id -> new panelist


def import_meeting(document: dict, *, by=None) -> Meeting:
    """Rebuild the meeting the document holds; all or nothing. Raises ArchiveError."""
    document = as_dict(document, "document")
    if document.get("schema") != SCHEMA:
        raise ArchiveError(
            f"This is not a meeting archive of schema {SCHEMA!r} "
            f"(the document says {document.get('schema')!r})."
        )
    missing = [name for name in SECTIONS if name not in document]
    if missing:
        raise ArchiveError(f"document: missing {', '.join(missing)}.")
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        raise ArchiveError(f"document: unknown {', '.join(unknown)}.")
    parse_moment(document["exported_at"], "exported_at")
    try:
        with transaction.atomic():
            return import_document(document, by=by)
    except (IntegrityError, DataError) as error:
        # A constraint the document breaks (two rounds with one number, a second current
        # turn...): everything was rolled back.
        raise ArchiveError(f"The database refused the document: {error}") from None


def import_document(document: dict, *, by) -> Meeting:
    meeting_data = as_dict(document["meeting"], "meeting")
    slug = as_text(meeting_data.get("slug"), "meeting.slug")
    if Meeting.objects.filter(slug=slug).exists():
        raise ArchiveError(f"A meeting with the slug {slug!r} exists already; nothing imported.")
    imported = ImportedObjects()
    import_users(document["users"], imported)
    import_directory(document, imported)
    meeting = import_meeting_row(meeting_data, imported)
    import_panel(document, meeting, imported)
    import_turns(document["turns"], meeting, imported)
    import_answers_and_emails(document, imported)
    import_history(document, meeting, imported)

    relinked = links_to_reissue(meeting)
    detail: dict[str, object] = {"exported_at": document["exported_at"]}
    if relinked:
        detail["links_to_reissue"] = [panelist.pk for panelist in relinked]
    log_action(meeting, "meeting.imported", actor=by, **detail)
    # Last: nothing after this may touch the meeting's row (its updated_at is restored).
    Meeting.objects.filter(pk=meeting.pk).update(
        **{name: getattr(meeting, name) for name in stamp_names(Meeting)}
    )
    meeting.refresh_from_db()
    return meeting


def import_users(data: object, imported: ImportedObjects) -> None:
    """Users are matched by username; a missing one is created inactive, with no password:
    the archive says who did what, it gives nobody access."""
    User = get_user_model()
    wanted = [as_text(name, f"users[{index}]") for index, name in enumerate(as_list(data, "users"))]
    key = User.USERNAME_FIELD
    imported.users = {
        user.get_username(): user for user in User._default_manager.filter(**{f"{key}__in": wanted})
    }
    for index, name in enumerate(wanted):
        if name in imported.users:
            continue
        user = User(**{key: name, "is_active": False})
        user.set_unusable_password()
        checked(user, f"users[{index}]").save()
        imported.users[name] = user


def import_directory(document: dict, imported: ImportedObjects) -> None:
    """Organisations, member states and mechanisms: an existing one (same natural key) is
    used as it is, never changed; a missing one is created as the document describes it."""
    for index, data in enumerate(as_list(document["organisations"], "organisations")):
        where = f"organisations[{index}]"
        values, _refs = load_columns(Organisation, data, where)
        existing = Organisation.objects.filter(slug=values["slug"]).first()
        imported.organisations[values["slug"]] = existing or save_new(
            checked(Organisation(**values), where)
        )

    for index, data in enumerate(as_list(document["member_states"], "member_states")):
        where = f"member_states[{index}]"
        values, _refs = load_columns(MemberState, data, where)
        existing = MemberState.objects.filter(code=values["code"]).first()
        if existing is None and MemberState.objects.filter(alpha3=values["alpha3"]).exists():
            raise ArchiveError(
                f"{where}: another member state has the alpha-3 code {values['alpha3']!r}."
            )
        imported.states[values["code"]] = existing or save_new(
            checked(MemberState(**values), where)
        )

    for index, data in enumerate(as_list(document["mechanisms"], "mechanisms")):
        where = f"mechanisms[{index}]"
        values, refs = load_columns(
            Mechanism,
            data,
            where,
            references=("parent_organisation", "lead_organisations", "member_states"),
        )
        parent = lookup_optional(
            imported.organisations, refs["parent_organisation"], where, "organisation"
        )
        leads = [
            lookup(imported.organisations, slug, where, "organisation")
            for slug in as_list(refs["lead_organisations"], f"{where}.lead_organisations")
        ]
        states = [
            lookup(imported.states, code, where, "member state")
            for code in as_list(refs["member_states"], f"{where}.member_states")
        ]
        existing = Mechanism.objects.filter(slug=values["slug"]).first()
        if existing is not None:
            imported.mechanisms[values["slug"]] = existing
            continue
        mechanism = save_new(checked(Mechanism(**values, parent_organisation=parent), where))
        mechanism.lead_organisations.set(leads)
        Membership.objects.bulk_create(
            Membership(mechanism=mechanism, state=state) for state in states
        )
        imported.mechanisms[values["slug"]] = mechanism


def save_new[M: models.Model](obj: M) -> M:
    obj.save()
    return obj


# Archives written before migration 0010 hold the venue and the chair as one English column
# each; they are read as the English column, the other languages empty.
LEGACY_MEETING_COLUMNS = ("venue", "chair")


def upgraded_meeting_row(data: object) -> object:
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for name in LEGACY_MEETING_COLUMNS:
        if name in data and f"{name}_en" not in data:
            data[f"{name}_en"] = data.pop(name)
            for language in ("es", "fr", "pt"):
                data.setdefault(f"{name}_{language}", "")
    return data


def upgraded_panelist_row(data: object) -> object:
    """Archives written before migration 0018 hold the honorific as free text and no
    honorific_other: read as its key where the text names one form without doubt, else as
    "other" with the text as typed (meetings.honorifics.from_text, as the migration did)."""
    if not isinstance(data, dict) or "honorific_other" in data:
        return data
    data = dict(data)
    if isinstance(data.get("honorific"), str):
        data["honorific"], data["honorific_other"] = from_text(data["honorific"])
    return data


def import_meeting_row(data: dict, imported: ImportedObjects) -> Meeting:
    data = upgraded_meeting_row(data)
    values, refs = load_columns(Meeting, data, "meeting", references=("convening_body",))
    convening_body = lookup_optional(
        imported.mechanisms, refs["convening_body"], "meeting.convening_body", "mechanism"
    )
    meeting = checked(Meeting(**values, convening_body=convening_body), "meeting")
    # save() sets created_at and updated_at to now: keep the document's, put back at the end.
    stamps = {name: getattr(meeting, name) for name in stamp_names(Meeting)}
    meeting.save()
    for name, value in stamps.items():
        setattr(meeting, name, value)
    return meeting


def import_panel(document: dict, meeting: Meeting, imported: ImportedObjects) -> None:
    rounds = []
    for index, data in enumerate(as_list(document["rounds"], "rounds")):
        values, _refs = load_columns(Round, data, f"rounds[{index}]")
        rounds.append(checked(Round(meeting=meeting, **values), f"rounds[{index}]"))
    for round_ in create_all(Round, rounds):
        imported.rounds[round_.number] = round_

    replaced: dict[int, object] = {}  # exported id -> the exported id of whom they replace
    for index, data in enumerate(as_list(document["panelists"], "panelists")):
        where = f"panelists[{index}]"
        data = upgraded_panelist_row(data)
        values, refs = load_columns(
            Panelist,
            row_before_substitutes(data),
            where,
            references=("id", "mechanism", "substitute_for"),
        )
        exported_id = as_id(refs["id"], f"{where}.id")
        if exported_id in imported.panelists:
            raise ArchiveError(f"{where}: the id {exported_id} is given twice.")
        mechanism = lookup(imported.mechanisms, refs["mechanism"], where, "mechanism")
        panelist = Panelist(meeting=meeting, mechanism=mechanism, **values)
        imported.panelists[exported_id] = checked(panelist, where)
        if refs["substitute_for"] is not None:
            replaced[exported_id] = refs["substitute_for"]
    substitutes = {
        exported_id: lookup(imported.panelists, other, f"panelists[id={exported_id}]", "panelist")
        for exported_id, other in replaced.items()
    }

    digests = [p.link_digest for p in imported.panelists.values() if p.link_digest is not None]
    if Panelist.objects.filter(link_digest__in=digests).exists():
        raise ArchiveError(
            "A panelist in this database already has one of the document's personal links "
            "(was this meeting imported before, under another slug?); nothing imported."
        )
    # The link's token is computed from the panelist's id: keep the id wherever it is free.
    taken = set(
        Panelist.objects.filter(pk__in=list(imported.panelists)).values_list("pk", flat=True)
    )
    for exported_id, panelist in imported.panelists.items():
        if exported_id not in taken:
            panelist.pk = exported_id
    create_all(Panelist, list(imported.panelists.values()))
    if set(imported.panelists) - taken:
        # Ids given by hand leave PostgreSQL's sequence behind them: move it past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Panelist]):
                cursor.execute(sql)
    for exported_id, declined in substitutes.items():  # now that both have their new ids
        substitute = imported.panelists[exported_id]
        substitute.substitute_for = declined
        Panelist.objects.filter(pk=substitute.pk).update(substitute_for=declined)


# Archives written before migration 0020 have no reason for declining and no substitutes.
LEGACY_PANELIST_DEFAULTS = {"decline_reason": "", "substitute_for": None}


def row_before_substitutes(data: object) -> object:
    if not isinstance(data, dict) or "decline_reason" in data:
        return data
    return {**LEGACY_PANELIST_DEFAULTS, **data}


def import_turns(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    turns: list[Turn] = []
    coordination: list[list[Mechanism]] = []
    revisions: list[list[TextRevision]] = []
    for index, item in enumerate(as_list(data, "turns")):
        where = f"turns[{index}]"
        values, refs = load_columns(
            Turn, item, where, references=("round", "panelist", "coordination", "revisions")
        )
        turn = Turn(
            meeting=meeting,
            round=lookup(imported.rounds, refs["round"], where, "round"),
            panelist=lookup(imported.panelists, refs["panelist"], where, "panelist"),
            **values,
        )
        turns.append(checked(turn, where))
        coordination.append(
            [
                lookup(imported.mechanisms, slug, where, "mechanism")
                for slug in as_list(refs["coordination"], f"{where}.coordination")
            ]
        )
        revisions.append(read_revisions(refs["revisions"], turn, f"{where}.revisions", imported))

    create_all(Turn, turns)
    Through = Turn.coordination.through
    Through.objects.bulk_create(
        Through(turn_id=turn.pk, mechanism_id=mechanism.pk)
        for turn, others in zip(turns, coordination, strict=True)
        for mechanism in others
    )
    for turn, kept in zip(turns, revisions, strict=True):
        for revision in kept:
            revision.turn = turn  # the turn has its id now
    create_all(TextRevision, [revision for kept in revisions for revision in kept])


def read_revisions(
    data: object, turn: Turn, where: str, imported: ImportedObjects
) -> list[TextRevision]:
    revisions = []
    for index, item in enumerate(as_list(data, where)):
        at = f"{where}[{index}]"
        values, refs = load_columns(TextRevision, item, at, references=("saved_by",))
        saved_by = lookup_optional(imported.users, refs["saved_by"], at, "user")
        revisions.append(checked(TextRevision(turn=turn, saved_by=saved_by, **values), at))
    return revisions


def read_answer_revisions(data: object, answer: Answer, where: str) -> list[AnswerRevision]:
    revisions = []
    for index, item in enumerate(as_list(data, where)):
        at = f"{where}[{index}]"
        values, _refs = load_columns(AnswerRevision, item, at)
        revisions.append(checked(AnswerRevision(answer=answer, **values), at))
    return revisions


def import_answers_and_emails(document: dict, imported: ImportedObjects) -> None:
    answers, histories = [], []
    for index, data in enumerate(as_list(document["answers"], "answers")):
        where = f"answers[{index}]"
        data = as_dict(data, where)
        if "version" not in data and "revisions" not in data:  # exported before 0015
            data = {**data, "version": 0, "revisions": []}
        values, refs = load_columns(
            Answer, data, where, references=("round", "panelist", "revisions")
        )
        answer = Answer(
            round=lookup(imported.rounds, refs["round"], where, "round"),
            panelist=lookup(imported.panelists, refs["panelist"], where, "panelist"),
            **values,
        )
        answers.append(checked(answer, where))
        histories.append(read_answer_revisions(refs["revisions"], answer, f"{where}.revisions"))
    create_all(Answer, answers)
    for answer, kept in zip(answers, histories, strict=True):
        for revision in kept:
            revision.answer = answer  # the answer has its id now
    create_all(AnswerRevision, [revision for kept in histories for revision in kept])

    emails = []
    for index, data in enumerate(as_list(document["emails"], "emails")):
        where = f"emails[{index}]"
        data = as_dict(data, where)
        if "slot" not in data:  # exported before 0019: the slot the email stated is unknown
            data = {**data, "slot": None}
        values, refs = load_columns(
            PanelistEmail, data, where, references=("panelist", "created_by")
        )
        email = PanelistEmail(
            panelist=lookup(imported.panelists, refs["panelist"], where, "panelist"),
            created_by=lookup_optional(imported.users, refs["created_by"], where, "user"),
            **values,
        )
        emails.append(checked(email, where))
    create_all(PanelistEmail, emails)


def import_history(document: dict, meeting: Meeting, imported: ImportedObjects) -> None:
    """The published records and the log, as they were: they are history."""
    publications = []
    for index, data in enumerate(as_list(document["publications"], "publications")):
        where = f"publications[{index}]"
        values, refs = load_columns(PublishedRecord, data, where, references=("published_by",))
        # The public pages read the English record when a language is missing: it must be there.
        content = as_dict(values["content"], f"{where}.content")
        as_dict(content.get("en"), f"{where}.content.en")
        publication = PublishedRecord(
            meeting=meeting,
            published_by=lookup_optional(imported.users, refs["published_by"], where, "user"),
            **values,
        )
        publications.append(checked(publication, where))
    create_all(PublishedRecord, publications)

    entries = []
    for index, data in enumerate(as_list(document["log"], "log")):
        where = f"log[{index}]"
        values, refs = load_columns(MeetingLog, data, where, references=("actor", "panelist"))
        as_dict(values["detail"], f"{where}.detail")
        entry = MeetingLog(
            meeting=meeting,
            actor=lookup_optional(imported.users, refs["actor"], where, "user"),
            panelist=lookup_optional(imported.panelists, refs["panelist"], where, "panelist"),
            **values,
        )
        entries.append(checked(entry, where))
    create_all(MeetingLog, entries)


def links_to_reissue(meeting: Meeting) -> list[Panelist]:
    """Panelists whose stored link was made for another id: the link they were sent still
    works, but it cannot be shown or sent again until a new one is issued."""
    return [
        panelist
        for panelist in meeting.panelists.exclude(link_digest=None).order_by("pk")
        if token_digest(link_token(panelist) or "") != panelist.link_digest
    ]
