"""The secretariat's live record, built once for each version of what it is made of.

Building the record reads the whole meeting: at 200 panelists about 6,000 rows and 65 ms of a
core, most of the report page's and the DOCX's time although their bodies are kept per version
of the record (docs/benchmarks.md). The record changes far less often than it is read, so it
is kept in the shared cache under a key that changes whenever what it says may have changed:

- the meeting's live version, which the console's actions raise (they write turns in bulk,
  which sends no signal), as does every edit that a screen shows (meetings.live.signals);
- the *generation*, a token replaced, once the transaction commits, by every save or delete
  of a row of the models of the meetings, mechanisms and accounts apps, and every change to
  their many-to-many relations (a model added later is covered too): answers, notes,
  summaries, coordination, names, publications, and the audit log's line that each action
  of the secretariat writes;
- the latest publication and the language (the record is the secretariat's: notes included).

Requests run outside transactions, and only there is a record kept or a kept one used: what is
kept has been committed, and the generation is replaced once a write has committed, so a record
read before it is retired. A record with a turn, an intervention or an agenda item under way is
never kept: its times run with the clock. A write that sends no signal and raises no version
(an UPDATE typed in psql) shows within `RECORD_SECONDS`, the longest a kept record is used.

Only a cache that every process shares (Redis) can carry the generation from the process that
writes to the one that reads: without it, or while Redis is away, the record is built on each
request, as before.
"""

import uuid

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from config.common import shared_cache
from meetings.models import Meeting, PublishedRecord
from meetings.outputs.record import build_record, iso, record_version

GENERATION_KEY = "record-generation"
RECORD_SECONDS = 60
SOURCE_APPS = ("meetings", "mechanisms", "auth")


def secretariat_record(meeting: Meeting, published: PublishedRecord | None) -> tuple[dict, str]:
    """The record with the secretariat's notes, and its version (`record_version`)."""
    # Inside a transaction the record may hold what it has written and not committed.
    in_transaction = transaction.get_connection().in_atomic_block
    generation = None if in_transaction else current_generation()
    if generation is None:
        record = build_record(meeting, internal=True, published=published)
        return record, record_version(record)
    key = record_key(meeting, published, generation)
    kept = shared_cache.get(key)
    if kept is not None:
        record, version = kept
        return {**record, "generated_at": iso(timezone.now())}, version
    record = build_record(meeting, internal=True, published=published)
    version = record_version(record)
    if not under_way(record):
        shared_cache.set(key, (record, version), RECORD_SECONDS)
    return record, version


def record_key(meeting: Meeting, published: PublishedRecord | None, generation: str) -> str:
    parts = (meeting.pk, meeting.live_version, generation, published.pk if published else "-")
    return "live-record:" + ":".join(map(str, (*parts, translation.get_language())))


def current_generation() -> str | None:
    """The token that every write to the record's rows replaces; None when the cache is not
    shared between processes or cannot be reached (then nothing is kept)."""
    if shared_cache.redis_url() is None:
        return None
    generation = shared_cache.get(GENERATION_KEY)
    if generation is None:  # a Redis started afresh: any token no kept record was made under
        shared_cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = shared_cache.get(GENERATION_KEY)
    return generation


def under_way(record: dict) -> bool:
    """Something has started and not ended: its used and actual times grow with the clock."""
    started = [
        *(entry for round_ in record["rounds"] for entry in round_["entries"]),
        *record["agenda"],
        *(intervention for item in record["agenda"] for intervention in item["interventions"]),
    ]
    return any(part["started_at"] and not part["ended_at"] for part in started)


def replace_generation() -> None:
    shared_cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def source_changed(sender, **kwargs) -> None:
    """A row the record may read was saved or deleted: replace the generation once the
    transaction commits (before, no other request can see the change), once per transaction
    however many rows it writes, and never while it holds its locks."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        hook is replace_generation for _savepoints, hook, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(replace_generation)  # outside a transaction: at once


def connect() -> None:
    for app in SOURCE_APPS:
        for model in apps.get_app_config(app).get_models():
            post_save.connect(source_changed, sender=model, weak=False)
            post_delete.connect(source_changed, sender=model, weak=False)
            for field in model._meta.local_many_to_many:  # a turn's coordination, for one
                m2m_changed.connect(source_changed, sender=field.remote_field.through, weak=False)
