"""What the public reads of a published record: no user names, nobody who declined.

The small meeting of test_record is the subject: Ana Pérez (RCM) and Luis Gómez (CSM) spoke,
Eva Ruiz (CSM) declined the invitation. Every public output (the page, JSON, CSV, Markdown,
DOCX) is read back and searched; the secretariat's internal record keeps Eva.
"""

import csv
import io
import json

import docx
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import PanelistStatus, PublishedRecord
from meetings.outputs.record import build_record, publisher_name, without_declined
from meetings.roles import CHAIR, SECRETARIAT
from meetings.services import publication
from tests.factories import make_mechanism, make_panelist, make_user
from tests.meetings.outputs.test_record import small_meeting

pytestmark = pytest.mark.django_db

USERNAME = "pub-account-7731"  # a sign-in name: never shown to the public
DECLINED = "Eva Ruiz"
FORMATS = ["html", "json", "csv", "md", "docx"]


@pytest.fixture
def chair():
    return make_user(CHAIR, username=USERNAME)  # no full name: the role stands for them


@pytest.fixture
def small(chair):
    return small_meeting(chair)


def report_url(small) -> str:
    return f"/meetings/{small['meeting'].slug}/report/"


def strings_of(value) -> list[str]:
    """Every string a JSON document holds, keys and values."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *strings_of(item)]]
    if isinstance(value, list):
        return [text for item in value for text in strings_of(item)]
    return [value] if isinstance(value, str) else []


def read_back(client, small, fmt: str, **params) -> str:
    """One output of the report as a reader gets it: parsed, then its text."""
    query = params if fmt == "html" else {**params, "format": fmt}
    response = client.get(report_url(small), query)
    assert response.status_code == 200
    if fmt == "html":
        return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    if fmt == "json":
        return "\n".join(strings_of(json.loads(response.content)))
    if fmt == "csv":
        rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        return "\n".join(" | ".join(row) for row in rows)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(response.content))
        cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
        sections = [
            paragraph.text
            for section in document.sections
            for part in (section.header, section.footer)
            for paragraph in part.paragraphs
        ]
        return "\n".join([p.text for p in document.paragraphs] + cells + sections)
    return response.content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_public_output_names_the_publishers_account_or_who_declined(client, small, chair, fmt):
    publication.publish(small["meeting"], by=chair)

    text = read_back(client, small, fmt)

    assert "Ana Pérez" in text and "Luis Gómez" in text
    assert DECLINED not in text
    assert USERNAME not in text
    if fmt != "csv":  # the CSV has no line on the publication
        assert "Chair" in text


# The CSV has a row per place in the rounds only, where who declined has none.
@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "csv"])
def test_the_secretariats_internal_record_keeps_who_declined(small, chair, fmt):
    publication.publish(small["meeting"], by=chair)
    staff = Client()
    staff.force_login(chair)

    assert DECLINED in read_back(staff, small, fmt)
    assert DECLINED not in read_back(staff, small, fmt, view="public")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_snapshot_published_before_is_read_without_them_too(client, small, chair, fmt):
    """Published by the earlier code: the user name and the declined seat in the snapshot."""
    stored = PublishedRecord.objects.create(
        meeting=small["meeting"], published_by=chair, content={}
    )
    content = {}
    for language in ("en", "es", "fr", "pt"):
        with translation.override(language):
            content[language] = {
                **build_record(small["meeting"], internal=False, published=stored),
                "published_by": USERNAME,
            }
    stored.content = content
    stored.save()

    text = read_back(client, small, fmt)

    assert DECLINED not in text and USERNAME not in text


def test_the_public_record_leaves_out_the_declined_seat_and_closes_up_the_order(small):
    record = build_record(small["meeting"], internal=False)
    public = without_declined(record)

    assert [person["name"] for person in public["panel"]] == ["Ana Pérez", "Luis Gómez"]
    for round_ in public["rounds"]:
        assert [(e["position"], e["panelist"]) for e in round_["entries"]] == [
            (1, small["ana"].pk),
            (2, small["luis"].pk),
        ]
    internal = build_record(small["meeting"], internal=True)
    assert DECLINED in json.dumps(internal, ensure_ascii=False)  # the internal one keeps her
    assert without_declined(public) == public


def test_a_mechanism_only_a_decliner_sat_for_leaves_the_public_record(small):
    gcm = make_mechanism(slug="gcm", position=3, acronym_en="GCM")
    make_panelist(small["meeting"], gcm, name="Rita Sol", status=PanelistStatus.DECLINED)

    public = without_declined(build_record(small["meeting"], internal=False))

    assert [mechanism["slug"] for mechanism in public["mechanisms"]] == ["rcm", "csm"]


@pytest.mark.parametrize(
    ("role", "fields", "expected"),
    [
        (SECRETARIAT, {"first_name": "Sam", "last_name": "Clerk"}, "Sam Clerk"),
        (CHAIR, {}, "Chair"),
        (SECRETARIAT, {}, "Secretariat"),
        (None, {"is_superuser": True, "is_staff": True}, "Secretariat"),
    ],
)
def test_the_publisher_is_named_by_full_name_or_role_never_user_name(role, fields, expected):
    user = make_user(role, username=USERNAME, **fields)
    assert publisher_name(user) == expected
    with translation.override("es"):
        assert publisher_name(user) != USERNAME


def test_only_the_public_record_reads_the_published_snapshot(client, small, chair):
    """The snapshot holds the record in every language (a megabyte at 200 panelists): the
    meeting's page and the secretariat's record show only who published it and when."""
    meeting = small["meeting"]
    publication.publish(meeting, by=chair)
    staff = Client()
    staff.force_login(make_user(SECRETARIAT))

    def snapshot_read(reader, path: str) -> bool:
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(path).status_code == 200
        return any('"content"' in query["sql"] for query in queries.captured_queries)

    assert not snapshot_read(client, f"/meetings/{meeting.slug}/")
    assert not snapshot_read(staff, report_url(small))
    assert snapshot_read(client, report_url(small))  # the public's record is the snapshot
