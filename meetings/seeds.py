"""The seed file of meetings: seeds/meetings.toml (rounds, the agenda and panel seats inside)."""

import tomllib
from pathlib import Path

from modeltranslation.utils import get_translation_fields

from mechanisms.models import Mechanism
from mechanisms.seeding import Seeder, SeedError, comparable, fingerprint, record_key
from meetings.models import (
    AgendaItem,
    Intervention,
    ItemKind,
    Meeting,
    Panelist,
    PanelistStatus,
    Round,
)
from meetings.services.floor import ensure_member_delegations
from meetings.services.links import issue_link
from meetings.services.panel import sync_turns

MEETING_FIELDS = (
    "document_reference",
    "date",
    "start_time",
    "end_time",
    "time_zone",
    "format",
    "virtual_link",
    "status",
    "speaking_seconds",
    "warning_seconds",
    "opening_minutes",
    "closing_minutes",
    "changeover_seconds",
)


def meeting_fields() -> tuple[str, ...]:
    return (
        *get_translation_fields("title"),
        *get_translation_fields("venue"),
        *get_translation_fields("chair"),
        *MEETING_FIELDS,
    )


# Until migration 0010 the venue and the chair were one English column each, `venue` and
# `chair`; the loader's fingerprint of a meeting it wrote then names those columns.
LEGACY_COLUMNS = {"venue_en": "venue", "chair_en": "chair"}
NEW_COLUMNS = {"venue_es", "venue_fr", "venue_pt", "chair_es", "chair_fr", "chair_pt"}


def adopt_legacy_record(seeder: Seeder, lookup: dict, names: list[str]) -> None:
    """A meeting the loader wrote before the venue and the chair had four languages, and that
    nobody has edited since, is still the loader's own: its fingerprint is restated under
    today's columns, so that this run fills the new ones from the seed file like any other
    change of the file. A meeting someone edited is left alone, as always."""
    key = record_key(Meeting, lookup)
    record = seeder.records.get(key)
    meeting = Meeting.objects.filter(**lookup).first()
    if record is None or meeting is None:
        return
    legacy = {
        LEGACY_COLUMNS.get(name, name): getattr(meeting, name)
        for name in names
        if name not in NEW_COLUMNS
    }
    if record.fingerprint == fingerprint({**lookup, **legacy}):
        current = {name: getattr(meeting, name) for name in names}
        seeder.remember(key, fingerprint({**lookup, **current}))


def round_fields() -> tuple[str, ...]:
    return (
        *get_translation_fields("title"),
        *get_translation_fields("question"),
        "speaking_seconds",
    )


def load_meetings(seeder: Seeder, directory: Path) -> None:
    path = directory / "meetings.toml"
    entries = read_meetings_file(path)
    mechanisms = {mechanism.slug: mechanism for mechanism in Mechanism.objects.all()}
    for number, entry in enumerate(entries, start=1):
        source = f"{path.name}: meeting {number} ({entry.get('slug', '?')})"
        meeting = seed_meeting(seeder, directory, entry, mechanisms, source)
        if meeting is None:
            continue  # a user deleted it: its rounds and seats go with it
        seed_rounds(seeder, meeting, entry.get("round", []), source)
        seed_agenda(seeder, meeting, entry.get("item", []), source)
        seed_panel(seeder, meeting, entry.get("panelist", []), mechanisms, source)
        sync_turns(meeting)
        ensure_member_delegations(meeting)


def read_meetings_file(path: Path) -> list[dict]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")).get("meeting", [])
    except FileNotFoundError:
        raise SeedError(f"Seed file {path} is missing.") from None
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"{path.name}: {error}") from None


def seed_meeting(
    seeder: Seeder,
    directory: Path,
    entry: dict,
    mechanisms: dict[str, Mechanism],
    source: str,
) -> Meeting | None:
    """The meeting row of one entry (None when a user deleted it)."""
    missing = [name for name in meeting_fields() if name not in entry]
    if missing:
        raise SeedError(f"{source}: missing {', '.join(missing)}.")
    values = {name: entry[name] for name in meeting_fields()}
    values["convening_body"] = mechanism_named(mechanisms, entry.get("convening_body"), source)
    values["concept_note_en"] = read_note(directory, entry.get("concept_note_en_file"), source)
    adopt_legacy_record(seeder, {"slug": entry.get("slug", "")}, list(values))
    return seeder.apply(
        Meeting,
        lookup={"slug": entry.get("slug", "")},
        values=values,
        table="meetings",
        label=entry.get("slug", ""),
        source=source,
    )


def seed_rounds(seeder: Seeder, meeting: Meeting, rounds: list[dict], source: str) -> None:
    for round_entry in rounds:
        seeder.apply(
            Round,
            lookup={"meeting": meeting, "number": round_entry.get("number")},
            values={name: round_entry.get(name, "") for name in round_fields()},
            table="rounds",
            label=f"{meeting.slug} round {round_entry.get('number')}",
            source=source,
        )


def seed_agenda(seeder: Seeder, meeting: Meeting, entries: list[dict], source: str) -> None:
    """The agenda around the rounds, the first time the loader meets the meeting's agenda
    (a new database, or one migrated from before agendas, whose rounds were its only items):
    the rounds move to their places in the file, the other items and their speakers are
    created. Afterwards the agenda is the secretariat's: the loader leaves it alone, an item
    someone deleted included."""
    if not entries or agenda_seeded(seeder, meeting):
        return
    if meeting.agenda.exclude(kind=ItemKind.ROUND).exists():
        return  # an agenda someone built before the file had one
    rounds = {item.round.number: item for item in meeting.agenda.select_related("round")}
    for item in rounds.values():  # out of the way of the file's places (positions are unique)
        AgendaItem.objects.filter(pk=item.pk).update(position=item.position + 1000)
    for position, entry in enumerate(entries, start=1):
        kind = entry.get("kind")
        if kind == ItemKind.ROUND:
            if entry.get("round") in rounds:
                item = rounds.pop(entry["round"])
                AgendaItem.objects.filter(pk=item.pk).update(position=position)
            continue
        if kind not in ItemKind.values:
            raise SeedError(f"{source}: agenda item {position} has no known kind ({kind!r}).")
        item = seeder.apply(
            AgendaItem,
            lookup={"meeting": meeting, "position": position},
            values={
                "kind": kind,
                **{name: entry.get(name, "") for name in get_translation_fields("title")},
                "speaking_seconds": entry.get("speaking_seconds"),
                "planned_minutes": entry.get("planned_minutes", 0),
            },
            table="agenda items",
            label=f"{meeting.slug} item {position}",
            source=source,
        )
        for number, speaker in enumerate(entry.get("speaker", []), start=1):
            seeder.apply(
                Intervention,
                lookup={"meeting": meeting, "item": item, "position": number},
                values={name: speaker.get(name, "") for name in get_translation_fields("speaker")},
                table="remarks speakers",
                label=f"{meeting.slug} item {position} speaker {number}",
                source=source,
            )
    last = len(entries)
    for offset, item in enumerate(sorted(rounds.values(), key=lambda i: i.position), start=1):
        AgendaItem.objects.filter(pk=item.pk).update(position=last + offset)  # rounds not in it


def agenda_seeded(seeder: Seeder, meeting: Meeting) -> bool:
    prefix = f"{AgendaItem._meta.label_lower}:meeting={comparable(meeting)},"
    return any(key.startswith(prefix) for key in seeder.records)


def seed_panel(
    seeder: Seeder,
    meeting: Meeting,
    seats: list[dict],
    mechanisms: dict[str, Mechanism],
    source: str,
) -> None:
    """One seat per mechanism named; a new seat gets its personal link."""
    for seat in seats:
        mechanism = mechanism_named(mechanisms, seat.get("mechanism"), source)
        seeder.apply(
            Panelist,
            lookup={"meeting": meeting, "mechanism": mechanism},
            values={
                "name": seat.get("name", ""),
                "email": seat.get("email", ""),
                "preferred_language": seat.get("preferred_language", ""),
                "status": seat.get("status", PanelistStatus.INVITED),
            },
            table="panel seats",
            label=f"{meeting.slug}: {mechanism.acronym_en}",
            source=source,
            on_create=issue_link,
        )


def mechanism_named(mechanisms: dict[str, Mechanism], slug: str | None, source: str):
    if not slug:
        return None
    if slug not in mechanisms:
        raise SeedError(f"{source}: unknown mechanism {slug!r}.")
    return mechanisms[slug]


def read_note(directory: Path, filename: str | None, source: str) -> str:
    if not filename:
        return ""
    try:
        return (directory / filename).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise SeedError(f"{source}: concept note file {filename} is missing.") from None
