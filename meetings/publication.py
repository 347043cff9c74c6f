"""Publishing the record: notes and summaries stay internal until the secretariat publishes.

Publishing stores a snapshot of the record in every language (without the raw
notes); the public sees that snapshot, with who published it and when, until
the next publication. Later edits reach the public only when published again.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from meetings.audit import log_action
from meetings.models import Meeting, PublishedRecord
from meetings.record import build_record


@transaction.atomic
def publish(meeting: Meeting, *, by) -> PublishedRecord:
    publication = PublishedRecord.objects.create(meeting=meeting, published_by=by, content={})
    content = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            content[language] = build_record(meeting, internal=False, published=publication)
    publication.content = content
    publication.save(update_fields=["content"])
    log_action(meeting, "record.published", actor=by, publication=publication.pk)
    return publication


def latest_publication(meeting: Meeting) -> PublishedRecord | None:
    return meeting.publications.select_related("published_by").first()


def published_record(publication: PublishedRecord, language: str) -> dict:
    """The published record in a language, or in English if it was not published in it."""
    return publication.content.get(language) or publication.content["en"]
