"""Publishing the record: notes and summaries stay internal until the secretariat publishes.

Publishing stores a snapshot of the record in every language (`public_record`: without
the raw notes and without the panelists who declined); the public sees that snapshot, with
who published it (their full name or role, never their user name) and when, until the
next publication. Later edits reach the public only when published again.
"""

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import get_template
from django.utils import translation

from config.common import shared_cache
from meetings.models import Meeting, PublishedRecord
from meetings.outputs import (
    docx_blocks,
    record_docx,
    record_json,
    record_markdown,
    record_tables,
    record_text,
)
from meetings.outputs import record as record_code
from meetings.outputs.record import (
    build_record,
    publisher_name,
    without_declined,
)
from meetings.services.audit import log_action


@transaction.atomic
def publish(meeting: Meeting, *, by) -> PublishedRecord:
    publication = PublishedRecord.objects.create(meeting=meeting, published_by=by, content={})
    content = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            content[language] = public_record(meeting, publication)
    publication.content = content
    publication.save(update_fields=["content"])
    log_action(meeting, "record.published", actor=by, publication=publication.pk)
    return publication


def public_record(meeting: Meeting, publication: PublishedRecord | None = None) -> dict:
    """The record as the public may read it, in the active language: what the internal
    record holds less the secretariat's notes and less who declined."""
    return without_declined(build_record(meeting, internal=False, published=publication))


def latest_publication(meeting: Meeting, *, content: bool = False) -> PublishedRecord | None:
    """Who published last and when; with `content`, the snapshot itself (every language: a
    megabyte at 200 panelists), which the meeting's page and the secretariat's record, needing
    the date alone, do not read."""
    publications = meeting.publications.select_related("published_by")
    return (publications if content else publications.defer("content")).first()


def published_record(publication: PublishedRecord, language: str) -> dict:
    """The published record in a language, or in English if it was not published in it.

    A snapshot published before the public record left out who declined, and named the
    publisher by user name, is read as if published today (the publisher as `publisher_name`
    gives them, while their account exists)."""
    record = publication.content.get(language) or publication.content["en"]
    published_by = record["published_by"]
    if publication.published_by is not None:
        with translation.override(record["language"]):
            published_by = publisher_name(publication.published_by)
    return {**without_declined(record), "published_by": published_by}


# The live record's downloads: a DOCX of 200 panelists takes seconds to write, and the record
# changes far less often than it is downloaded. Each is built once per version of the record
# (its digest: the same record makes the same file), language and format; the file's own date
# is when that version was first built.
RECORD_FILE_SECONDS = 3600


def record_file(
    record: dict, version: str, fmt: str, build: Callable[[dict], bytes | str]
) -> bytes | str:
    """`build(record)`, built once for each `version` of the record (`record_version`)."""
    key = f"record-file:{version}:{fmt}:{exports_fingerprint()}"
    body = shared_cache.get(key)
    if body is None:
        body = build(record)
        shared_cache.set(key, body, RECORD_FILE_SECONDS)
    return body


# A published record's downloads change only with a new publication (a new pk), so each is built
# once per publication, language and format and kept in the shared cache. The key also holds a
# fingerprint of the code that writes the files, so a deploy that changes them starts afresh.
PUBLISHED_FILE_SECONDS = 24 * 3600


# What writes the cached files (CSV is built afresh each time), and what makes the public record.
EXPORT_MODULES = (
    record_text,
    record_tables,
    record_json,
    record_markdown,
    record_docx,
    docx_blocks,
)
EXPORT_TEMPLATES = ("meetings/record/record.md",)


@functools.cache
def exports_fingerprint() -> str:
    """Of the code and templates that write the files and of the code that makes the public
    record."""
    sources = [module.__file__ for module in (*EXPORT_MODULES, record_code)]
    sources += [get_template(name).origin.name for name in EXPORT_TEMPLATES]
    sources.append(__file__)
    return hashlib.sha256(b"".join(Path(path).read_bytes() for path in sources)).hexdigest()[:12]


def published_file(
    publication: PublishedRecord, language: str, fmt: str, build: Callable[[dict], bytes | str]
) -> bytes | str:
    """`build(record)` of the published record in `language`, built once and then reused."""
    key = f"published-file:{publication.pk}:{language}:{fmt}:{exports_fingerprint()}"
    body = shared_cache.get(key)
    if body is None:  # not built yet, or the cache is away: build it (and keep it if we can)
        body = build(published_record(publication, language))
        shared_cache.set(key, body, PUBLISHED_FILE_SECONDS)
    return body
