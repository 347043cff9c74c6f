"""A meeting archive imported: the meeting rebuilt from the document `export_meeting` wrote
(meetings/outputs/archive.py describes it), all or nothing, and logged.

Each row is checked against the document's contract (exactly the model's archived fields,
each of its JSON type: Django's deserialiser would turn 5 into "5"), its references looked
up among the rows the document itself holds, and then built by Django's deserialiser; the
directory's rows are matched by their natural keys (an existing one is used as it is,
never changed), and the model's own validation runs before anything is written.

Personal links: a panelist's token is an HMAC of their id and salt under the SECRET_KEY
(meetings/services/links.py), and only its digest is stored. The import therefore gives a
panelist their exported id back whenever it is free in the target database (always, in an
empty one): with the same DJANGO_SECRET_KEY the link they were sent keeps working and can be
shown and sent again. Where the id is taken, the link they were sent still works (it is
found by its digest), but it cannot be shown again: `links_to_reissue` names those
panelists.
"""

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializedObject
from django.db import DataError, IntegrityError, connection, models, transaction
from modeltranslation.utils import get_translation_fields

from mechanisms.models import Mechanism, Membership, MemberState, Organisation
from meetings.honorifics import from_text
from meetings.models import (
    AgendaItem,
    Answer,
    AnswerRevision,
    Attendance,
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
from meetings.models.meeting import REMINDER_DAYS_DEFAULT
from meetings.outputs.archive import (
    SCHEMA,
    SECTIONS,
    SINCE_AGENDAS,
    archived_fields,
    stamp_names,
)
from meetings.services.audit import log_action
from meetings.services.floor import ensure_member_delegations
from meetings.services.links import link_token, token_digest

MAX_ID = 2**63 - 1  # the largest primary key every supported database stores


class ArchiveError(Exception):
    """The document cannot be imported; the message says why, and where in the document."""


# Values ---------------------------------------------------------------------------------------


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


# Rows -----------------------------------------------------------------------------------------


@dataclass
class ImportedObjects:
    """The rows created or found for the document's references: its natural keys (a
    username, a slug, a state's code, a round's number) and the panelists' exported ids.

    A directory row found in the database is held as the deserialiser built it, the
    database's id with the document's values: only its id is read, and it is never saved."""

    users: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    states: dict[str, MemberState] = field(default_factory=dict)
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    rounds: dict[int, Round] = field(default_factory=dict)
    agenda: dict[int, AgendaItem] = field(default_factory=dict)  # by position
    delegations: dict[str, Delegation] = field(default_factory=dict)  # by code
    panelists: dict[int, Panelist] = field(default_factory=dict)  # exported id -> new panelist

    def find(self, model: type[models.Model], key: object, where: str) -> models.Model:
        """The row the document names; it must be listed in the document itself."""
        table, what = self.table_of(model)
        if type(key) not in (str, int):  # as dictionary keys, true and 1.0 would both find id 1
            raise ArchiveError(f"{where}: {what} {key!r} is not in the document.")
        try:
            return table[key]
        except KeyError:
            raise ArchiveError(f"{where}: {what} {key!r} is not in the document.") from None

    def find_optional(self, model: type[models.Model], key: object, where: str):
        return None if key is None else self.find(model, key, where)

    def table_of(self, model: type[models.Model]) -> tuple[dict, str]:
        tables = {
            get_user_model(): (self.users, "user"),
            Organisation: (self.organisations, "organisation"),
            MemberState: (self.states, "member state"),
            Mechanism: (self.mechanisms, "mechanism"),
            Round: (self.rounds, "round"),
            AgendaItem: (self.agenda, "agenda item"),
            Delegation: (self.delegations, "delegation"),
            Panelist: (self.panelists, "panelist"),
        }
        return tables[model]


def read_row(
    model: type[models.Model],
    data: object,
    where: str,
    imported: ImportedObjects,
    *,
    placed: dict[str, models.Model] | None = None,
    own: tuple[str, ...] = (),
    later: tuple[str, ...] = (),
) -> tuple[DeserializedObject, dict[str, object]]:
    """One row of the document, built by Django's deserialiser, and the values of the keys
    the archive adds beside the model's fields (`own`: "id", "revisions") or resolves itself
    afterwards (`later`: a panelist's substitute_for).

    The row must hold exactly the model's archived fields and those keys: a missing column
    would silently take a default. `placed` are the relations the row's place in the
    document gives (its meeting)."""
    record = as_dict(data, where)
    fields = {field.name: field for field in archived_fields(model)}
    missing = sorted((set(fields) | set(own)) - set(record))
    if missing:
        raise ArchiveError(f"{where}: missing {', '.join(missing)}.")
    unknown = sorted(set(record) - set(fields) - set(own))
    if unknown:
        raise ArchiveError(f"{where}: unknown {', '.join(unknown)}.")
    values: dict[str, object] = {name: row.pk for name, row in (placed or {}).items()}
    for name, column in fields.items():
        if name not in later:
            values[name] = loaded(column, record[name], where, imported)
    (item,) = serializers.deserialize(
        "python", [{"model": model._meta.label_lower, "fields": values}]
    )
    for name, row in (placed or {}).items():
        setattr(item.object, name, row)
    return item, {name: record[name] for name in (*own, *later)}


def loaded(column: models.Field, value: object, where: str, imported: ImportedObjects) -> object:
    """A field's value as the deserialiser takes it: a reference as the id of the row the
    document names, a column checked and converted."""
    if column.many_to_many:
        keys = as_list(value, f"{where}.{column.name}")
        return [imported.find(column.related_model, key, where).pk for key in keys]
    if column.is_relation:
        found = imported.find_optional(column.related_model, value, where)
        return None if found is None else found.pk
    return load_value(column, value, f"{where}.{column.name}")


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


# Import -------------------------------------------------------------------------------------


def import_meeting(document: dict, *, by=None) -> Meeting:
    """Rebuild the meeting the document holds; all or nothing. Raises ArchiveError."""
    document = as_dict(document, "document")
    if document.get("schema") != SCHEMA:
        raise ArchiveError(
            f"This is not a meeting archive of schema {SCHEMA!r} "
            f"(the document says {document.get('schema')!r})."
        )
    missing = [name for name in SECTIONS if name not in document and name not in SINCE_AGENDAS]
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
    import_rounds(document["rounds"], meeting, imported)
    if "agenda" in document:
        import_agenda(document["agenda"], meeting, imported)
        import_delegations(document.get("delegations", []), meeting, imported)
    else:  # written before agendas: the rounds on the agenda, the member states convened
        for number in sorted(imported.rounds):
            AgendaItem.place_round(imported.rounds[number])
        ensure_member_delegations(meeting)
    import_panelists(document["panelists"], meeting, imported)
    import_turns(document["turns"], meeting, imported)
    import_interventions(document.get("interventions", []), meeting, imported)
    import_answers(document["answers"], imported)
    import_emails(document["emails"], meeting, imported)
    import_history(document, meeting, imported)

    relinked = links_to_reissue(meeting)
    relinked_delegations = [
        d.code for d in delegation_links_to_reissue(meeting) if d.code in imported.delegations
    ]
    detail: dict[str, object] = {"exported_at": document["exported_at"]}
    if relinked:
        detail["links_to_reissue"] = [panelist.pk for panelist in relinked]
    if relinked_delegations:
        detail["delegation_links_to_reissue"] = relinked_delegations
    log_action(meeting, "meeting.imported", actor=by, **detail)
    # Last: nothing after this may touch the meeting's row (its updated_at is restored, and
    # its live version, which the delegations convened for an archive from before agendas
    # raised).
    restored = [*stamp_names(Meeting), "live_version"]
    Meeting.objects.filter(pk=meeting.pk).update(
        **{name: getattr(meeting, name) for name in restored}
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
        item, _own = read_row(Organisation, data, f"organisations[{index}]", imported)
        imported.organisations[item.object.slug] = found_or_saved(item, f"organisations[{index}]")

    for index, data in enumerate(as_list(document["member_states"], "member_states")):
        where = f"member_states[{index}]"
        item, _own = read_row(MemberState, upgraded_state_row(data), where, imported)
        state = item.object
        if state.pk is None and MemberState.objects.filter(alpha3=state.alpha3).exists():
            raise ArchiveError(
                f"{where}: another member state has the alpha-3 code {state.alpha3!r}."
            )
        imported.states[state.code] = found_or_saved(item, where)

    for index, data in enumerate(as_list(document["mechanisms"], "mechanisms")):
        import_mechanism(data, f"mechanisms[{index}]", imported)


def import_mechanism(data: object, where: str, imported: ImportedObjects) -> None:
    item, own = read_row(Mechanism, data, where, imported, own=("member_states",))
    states = [
        imported.find(MemberState, code, where)
        for code in as_list(own["member_states"], f"{where}.member_states")
    ]
    mechanism = item.object
    if mechanism.pk is None:  # new here: its members too (a table of their own)
        found_or_saved(item, where)
        Membership.objects.bulk_create(
            Membership(mechanism=mechanism, state=state) for state in states
        )
    imported.mechanisms[mechanism.slug] = mechanism


def found_or_saved(item: DeserializedObject, where: str) -> models.Model:
    """The directory row the deserialiser found by its natural key, or else the document's,
    validated and saved (its many-to-many relations with it)."""
    if item.object.pk is None:
        checked(item.object, where)
        item.save()
    return item.object


# Archives written before migration 0010 hold the venue and the chair as one English column
# each; they are read as the English column, the other languages empty.
LEGACY_MEETING_COLUMNS = ("venue", "chair")


# Archives written before migration 0025 have no deadlines: read as none, and the rule of
# reminders a meeting then took (REMINDER_DAYS_DEFAULT).
DEADLINE_DEFAULTS = {"confirmation_deadline": None, "reminder_days": REMINDER_DAYS_DEFAULT}


def upgraded_meeting_row(data: object) -> object:
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if "confirmation_deadline" not in data:
        data = {**DEADLINE_DEFAULTS, **data}
    for name in LEGACY_MEETING_COLUMNS:
        if name in data and f"{name}_en" not in data:
            data[f"{name}_en"] = data.pop(name)
            for language in ("es", "fr", "pt"):
                data.setdefault(f"{name}_{language}", "")
    return data


def upgraded_state_row(data: object) -> object:
    """Archives written before mechanisms' migration 0004 name no state's delegation: the
    general wording ("Delegation of Mexico") is used for it, as for a state nobody named.
    Before 0005, no mission addresses, and the emails in English."""
    if not isinstance(data, dict):
        return data
    names = {column: "" for column in get_translation_fields("delegation")}
    return {**names, "addresses": "", "language": "en", **data}


def upgraded_delegation_row(data: object) -> object:
    """Archives written before migration 0025 hold no addresses, language nor answer to the
    convocation, and no representatives."""
    if not isinstance(data, dict):
        return data
    before = {"addresses": "", "language": "", "confirmed_attendance": "", "confirmed_at": None}
    return {**before, "representatives": [], **data}


def upgraded_panelist_row(data: object) -> object:
    """Archives written before migration 0018 hold the honorific as free text and no
    honorific_other: read as its key where the text names one form without doubt, else as
    "other" with the text as typed (meetings.honorifics.from_text, as the migration did).
    Archives written before migration 0020 have no reason for declining and no substitutes;
    before 0021, no attendance."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if "honorific_other" not in data and isinstance(data.get("honorific"), str):
        data["honorific"], data["honorific_other"] = from_text(data["honorific"])
    if "decline_reason" not in data:
        data = {"decline_reason": "", "substitute_for": None, **data}
    if "attendance" not in data:  # written before agendas: a panelist was in the room
        data = {**data, "attendance": Attendance.IN_ROOM}
    return data


def import_meeting_row(data: dict, imported: ImportedObjects) -> Meeting:
    """The meeting, saved as the deserialiser saves (raw: its created_at and updated_at are
    the document's, and no signal takes it for an edit)."""
    item, _own = read_row(Meeting, upgraded_meeting_row(data), "meeting", imported)
    checked(item.object, "meeting")
    item.save()
    return item.object


def upgraded_round_row(data: object) -> object:
    """Archives written before migration 0025 give no round a deadline for its answers."""
    if isinstance(data, dict) and "answers_deadline" not in data:
        return {**data, "answers_deadline": None}
    return data


def import_rounds(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    rounds = []
    for index, row in enumerate(as_list(data, "rounds")):
        where = f"rounds[{index}]"
        row = upgraded_round_row(row)
        item, _own = read_row(Round, row, where, imported, placed={"meeting": meeting})
        rounds.append(checked(item.object, where))
    for round_ in create_all(Round, rounds):
        imported.rounds[round_.number] = round_


def import_agenda(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    """The agenda items, a round's by its number (bulk: Round.save placed none)."""
    items = []
    for index, row in enumerate(as_list(data, "agenda")):
        where = f"agenda[{index}]"
        item, _own = read_row(AgendaItem, row, where, imported, placed={"meeting": meeting})
        items.append(checked(item.object, where))
    for item in create_all(AgendaItem, items):
        imported.agenda[item.position] = item


def import_delegations(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    """The delegations, each under its exported id where it is free (its floor link's token is
    made from it)."""
    found: dict[int, Delegation] = {}
    people: list[list[Representative]] = []
    for index, row in enumerate(as_list(data, "delegations")):
        where = f"delegations[{index}]"
        item, own = read_row(
            Delegation,
            upgraded_delegation_row(row),
            where,
            imported,
            placed={"meeting": meeting},
            own=("id", "representatives"),
        )
        exported_id = as_id(own["id"], f"{where}.id")
        if exported_id in found:
            raise ArchiveError(f"{where}: the id {exported_id} is given twice.")
        found[exported_id] = checked(item.object, where)
        people.append(
            read_revisions(
                Representative, own["representatives"], f"{where}.representatives", imported
            )
        )
    create_keeping_ids(Delegation, found, holder="delegation", links="floor links")
    for delegation, named in zip(found.values(), people, strict=True):
        imported.delegations[delegation.code] = delegation
        for person in named:
            person.delegation = delegation  # it has its id now
    create_all(Representative, [person for named in people for person in named])


def create_keeping_ids[M: models.Model](
    model: type[M], found: dict[int, M], *, holder: str, links: str
) -> None:
    """The rows, each under its exported id wherever it is free (a link's token is computed
    from it); refused when one of their links is in the database already."""
    digests = [row.link_digest for row in found.values() if row.link_digest is not None]
    if model.objects.filter(link_digest__in=digests).exists():
        raise ArchiveError(
            f"A {holder} in this database already has one of the document's {links} (was this "
            "meeting imported before, under another slug?); nothing imported."
        )
    taken = set(model.objects.filter(pk__in=list(found)).values_list("pk", flat=True))
    for exported_id, row in found.items():
        if exported_id not in taken:
            row.pk = exported_id
    create_all(model, list(found.values()))
    if set(found) - taken:
        # Ids given by hand leave PostgreSQL's sequence behind them: move it past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(sql)


def import_interventions(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    """The interventions and their notes' and summaries' histories (none in a document written
    before they were kept)."""
    interventions, histories = [], []
    for index, row in enumerate(as_list(data, "interventions")):
        where = f"interventions[{index}]"
        row = as_dict(row, where)
        if "revisions" not in row:
            row = {**row, "revisions": []}
        item, own = read_row(
            Intervention, row, where, imported, placed={"meeting": meeting}, own=("revisions",)
        )
        interventions.append(checked(item.object, where))
        histories.append(
            read_revisions(TextRevision, own["revisions"], f"{where}.revisions", imported)
        )
    create_all(Intervention, interventions)
    for intervention, kept in zip(interventions, histories, strict=True):
        for revision in kept:
            revision.intervention = intervention  # it has its id now
    create_all(TextRevision, [revision for kept in histories for revision in kept])


def import_panelists(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    replaced: dict[int, object] = {}  # exported id -> the exported id of whom they replace
    for index, row in enumerate(as_list(data, "panelists")):
        where = f"panelists[{index}]"
        item, own = read_row(
            Panelist,
            upgraded_panelist_row(row),
            where,
            imported,
            placed={"meeting": meeting},
            own=("id",),
            later=("substitute_for",),
        )
        exported_id = as_id(own["id"], f"{where}.id")
        if exported_id in imported.panelists:
            raise ArchiveError(f"{where}: the id {exported_id} is given twice.")
        imported.panelists[exported_id] = checked(item.object, where)
        if own["substitute_for"] is not None:
            replaced[exported_id] = own["substitute_for"]
    substitutes = {
        exported_id: imported.find(Panelist, other, f"panelists[id={exported_id}]")
        for exported_id, other in replaced.items()
    }
    create_panelists(imported)
    for exported_id, declined in substitutes.items():  # now that both have their new ids
        substitute = imported.panelists[exported_id]
        substitute.substitute_for = declined
        Panelist.objects.filter(pk=substitute.pk).update(substitute_for=declined)


def create_panelists(imported: ImportedObjects) -> None:
    """The panelists, each under their exported id wherever it is free: their link's token is
    computed from it."""
    create_keeping_ids(Panelist, imported.panelists, holder="panelist", links="personal links")


def import_turns(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    turns: list[Turn] = []
    coordination: list[list[int]] = []
    revisions: list[list[TextRevision]] = []
    for index, row in enumerate(as_list(data, "turns")):
        where = f"turns[{index}]"
        item, own = read_row(
            Turn, row, where, imported, placed={"meeting": meeting}, own=("revisions",)
        )
        turns.append(checked(item.object, where))
        coordination.append(item.m2m_data["coordination"])
        revisions.append(
            read_revisions(TextRevision, own["revisions"], f"{where}.revisions", imported)
        )

    create_all(Turn, turns)
    Through = Turn.coordination.through
    Through.objects.bulk_create(
        Through(turn_id=turn.pk, mechanism_id=mechanism_id)
        for turn, others in zip(turns, coordination, strict=True)
        for mechanism_id in others
    )
    for turn, kept in zip(turns, revisions, strict=True):
        for revision in kept:
            revision.turn = turn  # the turn has its id now
    create_all(TextRevision, [revision for kept in revisions for revision in kept])


def read_revisions[R: models.Model](
    model: type[R], data: object, where: str, imported: ImportedObjects
) -> list[R]:
    """A turn's or an answer's history (or a delegation's representatives); each row is given
    its turn, answer or delegation once that has its id."""
    revisions = []
    for index, row in enumerate(as_list(data, where)):
        item, _own = read_row(model, row, f"{where}[{index}]", imported)
        revisions.append(checked(item.object, f"{where}[{index}]"))
    return revisions


def import_answers(data: object, imported: ImportedObjects) -> None:
    answers, histories = [], []
    for index, row in enumerate(as_list(data, "answers")):
        where = f"answers[{index}]"
        row = as_dict(row, where)
        if "version" not in row and "revisions" not in row:  # exported before 0015
            row = {**row, "version": 0, "revisions": []}
        item, own = read_row(Answer, row, where, imported, own=("revisions",))
        answers.append(checked(item.object, where))
        histories.append(
            read_revisions(AnswerRevision, own["revisions"], f"{where}.revisions", imported)
        )
    create_all(Answer, answers)
    for answer, kept in zip(answers, histories, strict=True):
        for revision in kept:
            revision.answer = answer  # the answer has its id now
    create_all(AnswerRevision, [revision for kept in histories for revision in kept])


def import_emails(data: object, meeting: Meeting, imported: ImportedObjects) -> None:
    emails = []
    for index, row in enumerate(as_list(data, "emails")):
        where = f"emails[{index}]"
        row = as_dict(row, where)
        if "slot" not in row:  # exported before 0019: the slot the email stated is unknown
            row = {**row, "slot": None}
        if "key" not in row:  # exported before 0025: emails to panelists, no outbox yet
            row = {
                "send_after": row.get("created_at"),
                "key": str(uuid.uuid4()),
                "batch": None,
                "delegation": None,
                "text": "",
                "html": "",
                "calendar": "",
                **row,
            }
        item, _own = read_row(Email, row, where, imported, placed={"meeting": meeting})
        emails.append(checked(item.object, where))
    create_all(Email, emails)


def import_history(document: dict, meeting: Meeting, imported: ImportedObjects) -> None:
    """The published records and the log, as they were: they are history."""
    publications = []
    for index, data in enumerate(as_list(document["publications"], "publications")):
        where = f"publications[{index}]"
        item, _own = read_row(PublishedRecord, data, where, imported, placed={"meeting": meeting})
        # The public pages read the English record when a language is missing: it must be there.
        content = as_dict(item.object.content, f"{where}.content")
        as_dict(content.get("en"), f"{where}.content.en")
        publications.append(checked(item.object, where))
    create_all(PublishedRecord, publications)

    entries = []
    for index, data in enumerate(as_list(document["log"], "log")):
        where = f"log[{index}]"
        item, _own = read_row(MeetingLog, data, where, imported, placed={"meeting": meeting})
        as_dict(item.object.detail, f"{where}.detail")
        entries.append(checked(item.object, where))
    create_all(MeetingLog, entries)


def links_to_reissue(meeting: Meeting) -> list[Panelist]:
    """Panelists whose stored link was made for another id: the link they were sent still
    works, but it cannot be shown or sent again until a new one is issued."""
    return [
        panelist
        for panelist in meeting.panelists.exclude(link_digest=None).order_by("pk")
        if token_digest(link_token(panelist) or "") != panelist.link_digest
    ]


def delegation_links_to_reissue(meeting: Meeting) -> list[Delegation]:
    """Delegations whose stored floor link was made for another id (as links_to_reissue)."""
    return [
        delegation
        for delegation in meeting.delegations.exclude(link_digest=None).order_by("pk")
        if token_digest(link_token(delegation) or "") != delegation.link_digest
    ]
