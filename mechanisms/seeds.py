"""The seed files of the mechanisms directory: states, organisations, mechanisms, memberships."""

import tomllib
from pathlib import Path

from modeltranslation.utils import get_translation_fields

from mechanisms.models import Mechanism, Membership, MemberState, Organisation
from mechanisms.seeding import Seeder, SeedError, read_csv

# Texts come in every language of settings.LANGUAGES: name_en, name_es, name_fr, name_pt...
STATE_TEXTS = ("name", "status_note", "delegation")
ORGANISATION_TEXTS = ("acronym", "name")
MECHANISM_TEXTS = (
    "acronym",
    "name",
    "other_name",
    "founding_instrument",
    "predecessor_name",
    "membership_note",
    "description",
)


def in_every_language(*fields: str) -> tuple[str, ...]:
    return tuple(column for field in fields for column in get_translation_fields(field))


MECHANISM_NUMBERS = (
    "position",
    "year_established",
    "predecessor_from",
    "predecessor_until",
    "stated_country_count",
    "stated_partner_count",
)


def columns(row: dict[str, object], names: tuple[str, ...], source: str) -> dict[str, object]:
    missing = [name for name in names if name not in row]
    if missing:
        raise SeedError(f"{source}: missing {', '.join(missing)}.")
    return {name: row[name] for name in names}


def load_mechanisms(seeder: Seeder, directory: Path) -> None:
    states = load_states(seeder, directory)
    organisations = load_organisations(seeder, directory)
    mechanisms = load_mechanism_table(seeder, directory, organisations)
    for source, row in read_csv(directory / "memberships.csv"):
        if row.get("mechanism") not in mechanisms or row.get("state") not in states:
            raise SeedError(f"{source}: unknown mechanism or state {row}.")
        mechanism, state = mechanisms[row["mechanism"]], states[row["state"]]
        if mechanism is None or state is None:
            continue  # a user deleted one side on purpose
        seeder.apply(
            Membership,
            lookup={"mechanism": mechanism, "state": state},
            values={},
            table="memberships",
            label=f"{mechanism.acronym_en}: {state.name_en}",
            source=source,
        )


# Each loader maps the seed file's keys to records; None where a user deleted one.
def load_states(seeder: Seeder, directory: Path) -> dict[str, MemberState | None]:
    states = {}
    for source, row in read_csv(directory / "member_states.csv"):
        values = columns(
            row,
            ("alpha3", "subregion", "oas_status", *in_every_language(*STATE_TEXTS), "language"),
            source,
        )
        # The delegations' names came with the agenda, and the language of their emails with
        # the convocation: states loaded before have neither yet.
        lookup = {"code": row.get("code", "")}
        names = [name for name in values if name != "language"]
        seeder.adopt_new_columns(
            MemberState, lookup, names, set(get_translation_fields("delegation"))
        )
        seeder.adopt_new_columns(MemberState, lookup, list(values), {"language"})
        states[row.get("code", "")] = seeder.apply(
            MemberState,
            lookup={"code": row.get("code", "")},
            values=values,
            table="member states",
            label=str(values["name_en"]),
            source=source,
        )
    return states


def load_organisations(seeder: Seeder, directory: Path) -> dict[str, Organisation | None]:
    organisations = {}
    for source, row in read_csv(directory / "organisations.csv"):
        values = columns(row, in_every_language(*ORGANISATION_TEXTS), source)
        organisations[row.get("slug", "")] = seeder.apply(
            Organisation,
            lookup={"slug": row.get("slug", "")},
            values=values,
            table="organisations",
            label=str(values["acronym_en"]),
            source=source,
        )
    return organisations


def load_mechanism_table(
    seeder: Seeder, directory: Path, organisations: dict[str, Organisation | None]
) -> dict[str, Mechanism | None]:
    path = directory / "mechanisms.toml"
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("mechanism", [])
    except FileNotFoundError:
        raise SeedError(f"Seed file {path} is missing.") from None
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"{path.name}: {error}") from None

    def organisation(slug: str, source: str) -> Organisation | None:
        if slug not in organisations:
            raise SeedError(f"{source}: unknown organisation {slug!r}.")
        return organisations[slug]

    mechanisms = {}
    for number, entry in enumerate(entries, start=1):
        source = f"{path.name}: mechanism {number} ({entry.get('slug', '?')})"
        values = columns(entry, ("kind", "status", *in_every_language(*MECHANISM_TEXTS)), source)
        values.update({name: entry.get(name) for name in MECHANISM_NUMBERS})
        parent = entry.get("parent_organisation", "")
        values["parent_organisation"] = organisation(parent, source) if parent else None
        leads = [organisation(slug, source) for slug in entry.get("lead_organisations", [])]
        mechanisms[entry.get("slug", "")] = seeder.apply(
            Mechanism,
            lookup={"slug": entry.get("slug", "")},
            values=values,
            many={"lead_organisations": [lead for lead in leads if lead is not None]},
            table="mechanisms",
            label=str(values["acronym_en"]),
            source=source,
        )
    return mechanisms
