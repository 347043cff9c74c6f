"""The record's files read back as a reader's tools read them: the CSV as a spreadsheet, the
DOCX through python-docx; and a record as published, to read back."""

import csv
import datetime as dt
import io

import docx
from django.utils import translation

from config.common.spreadsheets import csv_response
from meetings.models import PublishedRecord
from meetings.outputs.record import build_record
from meetings.outputs.record_csv import csv_rows
from meetings.outputs.record_docx import to_docx
from meetings.outputs.record_text import file_stem
from meetings.roles import SECRETARIAT
from tests.factories import make_user

# The record's sections, in order, in every document (DOCX headings, Markdown's ##)
SECTIONS = ["Agenda", "Round 1", "Round 2", "Coordination", "Timing", "Attendance"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def published_record(meeting, language: str = "en") -> dict:
    """The record as published by Sam Clerk on 18 May 2030 at 15:30:05 UTC (11:30 in New York)."""
    clerk = make_user(SECRETARIAT, first_name="Sam", last_name="Clerk")
    publication = PublishedRecord.objects.create(meeting=meeting, published_by=clerk, content={})
    PublishedRecord.objects.filter(pk=publication.pk).update(
        published_at=dt.datetime(2030, 5, 18, 15, 30, 5, tzinfo=dt.UTC)
    )
    publication.refresh_from_db()
    with translation.override(language):
        return build_record(meeting, internal=False, published=publication)


def parsed_csv(record: dict) -> list[list[str]]:
    """The CSV the report downloads, read back the way a spreadsheet reads it."""
    content = csv_response(f"{file_stem(record)}.csv", csv_rows(record)).content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def opened(record: dict) -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(record)))


def paragraphs(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def table_text(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs(document) + cells)


def fields(paragraph) -> list[str]:
    """The instructions of the fields in a paragraph (PAGE, NUMPAGES)."""
    return [code.text.strip() for code in paragraph._p.iter(f"{W}instrText")]
