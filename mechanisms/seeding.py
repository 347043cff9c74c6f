"""Loading the human-edited files of seeds/ without ever overwriting a user's work.

For every record it writes, the loader remembers a fingerprint of the values it
wrote (SeedRecord). On the next run, a record whose values still match that
fingerprint is the loader's own and may follow a changed seed file; a record
that differs was edited by someone and is kept as it is; a seeded record that
no longer exists was deleted on purpose and is not re-created.
"""

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models

from mechanisms.models import SeedRecord


class SeedError(Exception):
    """A seed file holds something that cannot be loaded; the message names where."""


@dataclass
class SeedReport:
    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)

    def add(self, outcome: str, table: str, label: str) -> None:
        getattr(self, outcome).setdefault(table, []).append(label)


def read_csv(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """Rows of a seed CSV file with the place they come from ("file.csv:12")."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                cells = {name: (value or "").strip() for name, value in row.items()}
                yield f"{path.name}:{reader.line_num}", cells
    except FileNotFoundError:
        raise SeedError(f"Seed file {path} is missing.") from None


def comparable(value: object) -> object:
    if isinstance(value, models.Model):
        return value.pk
    return value


def fingerprint(values: dict[str, object]) -> str:
    text = json.dumps({k: comparable(v) for k, v in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Seeder:
    """Applies seed rows to the database, one natural key at a time."""

    def __init__(self) -> None:
        self.report = SeedReport()
        self.records = {record.key: record for record in SeedRecord.objects.all()}

    def apply(
        self,
        model: type[models.Model],
        *,
        lookup: dict[str, object],
        values: dict[str, object],
        many: dict[str, list[models.Model]] | None = None,
        table: str,
        label: str,
        source: str,
        on_create: Callable[[models.Model], object] | None = None,
    ) -> models.Model | None:
        """Create, update or keep one record; returns it unless a user deleted it."""
        many = many or {}
        key = record_key(model, lookup)
        wanted = fingerprint({**lookup, **values, **{k: sorted_pks(v) for k, v in many.items()}})
        record = self.records.get(key)
        obj = model.objects.filter(**lookup).first()

        if obj is None:
            if record is not None:
                self.report.add("kept", table, f"{label} (deleted by a user)")
                return None
            obj = model(**lookup, **values)
            self.save(obj, many, source)
            self.remember(key, wanted)
            self.report.add("created", table, label)
            if on_create is not None:
                on_create(obj)
            return obj

        current = fingerprint(
            {
                **lookup,
                **{name: getattr(obj, name) for name in values},
                **{name: sorted_pks(getattr(obj, name).all()) for name in many},
            }
        )
        if current == wanted:
            if record is None or record.fingerprint != wanted:
                self.remember(key, wanted)  # the user's record already says what the seed says
            return obj
        if record is None or record.fingerprint != current:
            self.report.add("kept", table, f"{label} (edited by a user)")
            return obj
        for name, value in values.items():
            setattr(obj, name, value)
        self.save(obj, many, source)
        self.remember(key, wanted)
        self.report.add("updated", table, label)
        return obj

    def adopt_new_columns(
        self, model: type[models.Model], lookup: dict[str, object], names: list[str], new: set
    ) -> None:
        """A record this loader wrote before the `new` columns existed, and that nobody has
        edited since, is still the loader's own: its fingerprint is restated with them, so
        that this run fills them from the seed file like any other change of the file. A
        record someone edited is left alone, as always."""
        key = record_key(model, lookup)
        record = self.records.get(key)
        obj = model.objects.filter(**lookup).first()
        if record is None or obj is None:
            return
        before = {name: getattr(obj, name) for name in names if name not in new}
        if record.fingerprint == fingerprint({**lookup, **before}):
            current = {name: getattr(obj, name) for name in names}
            self.remember(key, fingerprint({**lookup, **current}))

    def save(self, obj: models.Model, many: dict[str, list[models.Model]], source: str) -> None:
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise SeedError(f"{source}: {problems}") from None
        obj.save()
        for name, related in many.items():
            getattr(obj, name).set(related)

    def remember(self, key: str, wanted: str) -> None:
        record, _ = SeedRecord.objects.update_or_create(key=key, defaults={"fingerprint": wanted})
        self.records[key] = record


def record_key(model: type[models.Model], lookup: dict[str, object]) -> str:
    natural = ",".join(f"{name}={comparable(value)}" for name, value in sorted(lookup.items()))
    return f"{model._meta.label_lower}:{natural}"


def sorted_pks(objects) -> list[object]:
    return sorted(obj.pk for obj in objects)
