"""The record's pages through the test client: the report and its downloads, publication, the
summary form, the history of a text and restoring it.

The small meeting of test_record is the subject (RCM and CSM, two rounds, a note on Ana's first
turn that only the secretariat may read).
"""

import csv
import datetime as dt
import io
import json
import random
import re
import time

import docx
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mechanisms.models import Mechanism
from meetings.models import (
    NOTES_MAX_LENGTH,
    Intervention,
    PublishedRecord,
    Round,
    TextRevision,
    Turn,
)
from meetings.roles import CHAIR, SECRETARIAT
from meetings.services import publication
from meetings.services.answers import AnswerConflict, save_draft, submit_answer
from meetings.services.panel import set_speaking_order
from meetings.services.revisions import save_text
from meetings.views import record as record_views
from tests.factories import make_meeting, make_panelist, make_user
from tests.meetings.outputs.test_record import panel_of, small_meeting, turn_of
from tests.meetings.outputs.whole_meeting import whole_meeting

pytestmark = pytest.mark.django_db

NOTES = "Ana spoke fast"  # in the internal notes of Ana's first turn, nowhere public
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def clerk():
    return make_user(SECRETARIAT, username="clerk", first_name="Sam", last_name="Clerk")


@pytest.fixture
def staff(clerk) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def small(clerk):
    return small_meeting(clerk)


def report_url(small, suffix: str = "") -> str:
    return f"/meetings/{small['meeting'].slug}/report/{suffix}"


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def page_text(response) -> str:
    return soup_of(response).get_text(" ", strip=True)


def download_text(response) -> str:
    """Everything a download holds, as text (a DOCX unzipped and read)."""
    if response["Content-Type"] == DOCX_TYPE:
        document = docx.Document(io.BytesIO(response.content))
        cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return response.content.decode("utf-8-sig")


def publish(staff, small):
    response = staff.post(report_url(small, "publish/"))
    assert response.status_code == 302
    assert response["Location"] == report_url(small)
    return response


# Publication -----------------------------------------------------------------------------------


def test_the_public_learns_the_record_is_not_published_yet(client, small):
    response = client.get(report_url(small))
    assert response.status_code == 404
    assert "not published yet" in response.content.decode()
    assert "Ana: regional work." not in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "docx"])
def test_no_download_for_the_public_before_publication(client, small, fmt):
    response = client.get(report_url(small), {"format": fmt})
    assert response.status_code == 404
    assert "not published yet" in response.content.decode()


def test_the_secretariat_sees_the_working_version_with_notes_before_publishing(staff, small):
    text = page_text(staff.get(report_url(small)))
    assert "Not published: internal working version" in text
    assert "Internal view: notes included" in text
    assert "Internal: Ana spoke fast." in text
    assert "Ana: regional work." in text


def test_after_publication_the_public_sees_the_record_without_notes(client, staff, small, clerk):
    publish(staff, small)
    stored = PublishedRecord.objects.get(meeting=small["meeting"])
    assert stored.published_by == clerk
    assert sorted(stored.content) == ["en", "es", "fr", "pt"]
    response = client.get(report_url(small))
    text = page_text(response)
    # Today, in the meeting's time zone, as English writes a date ("Nov. 29, 2026, 02:16").
    assert re.search(r"Published [A-Z][a-z]+\.? \d{1,2}, \d{4}, \d\d:\d\d by Sam Clerk\.", text)
    assert "Ana: regional work." in text and "Luis: South American work." in text
    assert "RCM answer to question 1." in text
    assert NOTES not in response.content.decode()
    assert "Notes (internal)" not in text
    assert "Edit the summary" not in text


def test_only_the_secretariat_may_publish(client, small):
    response = client.post(report_url(small, "publish/"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    someone = make_user()
    client.force_login(someone)
    assert client.post(report_url(small, "publish/")).status_code == 403
    assert not PublishedRecord.objects.exists()


def test_the_chair_may_publish_too(small):
    chair = Client()
    chair.force_login(make_user(CHAIR))
    assert chair.post(report_url(small, "publish/")).status_code == 302
    assert PublishedRecord.objects.filter(meeting=small["meeting"]).count() == 1


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "docx"])
def test_public_downloads_have_no_notes(client, staff, small, fmt):
    assert NOTES in download_text(staff.get(report_url(small), {"format": fmt}))
    publish(staff, small)
    response = client.get(report_url(small), {"format": fmt})
    assert response.status_code == 200
    text = download_text(response)
    assert "Ana: regional work" in text
    assert NOTES not in text


def test_the_public_json_is_the_published_record(client, staff, small):
    publish(staff, small)
    record = json.loads(client.get(report_url(small), {"format": "json"}).content)
    assert record["schema"] == "cam-meetings/record/2"
    assert (record["internal"], record["published_by"]) == (False, "Sam Clerk")
    assert record["published_at"].endswith("Z")
    assert record == PublishedRecord.objects.get().content["en"]


def test_the_public_csv_has_a_row_per_panelist_and_round_without_a_notes_column(
    client, staff, small
):
    publish(staff, small)
    content = client.get(report_url(small), {"format": "csv"}).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 2 * 2  # Ana and Luis in two rounds; Eva, who declined, is not shown
    assert rows[0][-3:] == ["Ended", "Agenda item", "Point of order"]  # no notes after them


def test_the_published_record_is_in_the_visitors_language(client, staff, small):
    publish(staff, small)
    text = page_text(client.get(report_url(small), HTTP_ACCEPT_LANGUAGE="es"))
    assert "¿Pregunta 1?" in text
    record = json.loads(
        client.get(report_url(small), {"format": "json"}, HTTP_ACCEPT_LANGUAGE="es").content
    )
    assert record["language"] == "es"
    assert record["mechanisms"][0]["acronym"] == "CRM"


def test_the_report_page_writes_dates_as_the_visitors_language_does(client, staff, small):
    publish(staff, small)
    PublishedRecord.objects.update(published_at=dt.datetime(2030, 5, 18, 15, 30, 5, tzinfo=dt.UTC))
    # The snapshot holds the instant; the page writes it in the reader's language.
    stored = PublishedRecord.objects.get()
    for language in stored.content:
        stored.content[language]["published_at"] = "2030-05-18T15:30:05Z"
    stored.save()
    header = soup_of(client.get(report_url(small), HTTP_ACCEPT_LANGUAGE="fr")).select_one(
        ".record-header"
    )
    text = header.get_text(" ", strip=True)
    assert "17 mai 2030 · 10:00–13:00 (America/New_York)" in text
    assert "Publié le 18 mai 2030, 11:30 par Sam Clerk." in text
    assert header.find("time")["datetime"] == "2030-05-17"
    assert "2030-05-18T" not in text


def test_the_meeting_page_links_to_the_record_once_published(client, staff, small):
    page = f"/meetings/{small['meeting'].slug}/"
    assert not soup_of(client.get(page)).find("a", href=report_url(small))
    publish(staff, small)
    link = soup_of(client.get(page)).find("a", href=report_url(small))
    assert link.get_text(strip=True) == "Record of the meeting"


def test_edits_reach_the_public_only_when_published_again(client, staff, small):
    publish(staff, small)
    turn = turn_of(small["ana"], 1)
    response = staff.post(
        report_url(small, f"turns/{turn.pk}/summary/"),
        {"summary": "Ana: a corrected summary.", "summary_version": "1"},
    )
    assert response.status_code == 302
    assert "Ana: a corrected summary." in page_text(staff.get(report_url(small)))

    public = page_text(client.get(report_url(small)))
    assert "Ana: regional work." in public and "Ana: a corrected summary." not in public
    json_text = client.get(report_url(small), {"format": "json"}).content.decode()
    assert "Ana: regional work." in json_text and "corrected" not in json_text

    staff_page = page_text(staff.get(report_url(small)))
    assert "Publish again" in staff_page
    publish(staff, small)
    public = page_text(client.get(report_url(small)))
    assert "Ana: a corrected summary." in public and "Ana: regional work." not in public
    assert PublishedRecord.objects.filter(meeting=small["meeting"]).count() == 2


# Downloads -------------------------------------------------------------------------------------


@pytest.fixture
def docx_builds(monkeypatch) -> list[str]:
    """The language of each DOCX the views build (the real builder runs)."""
    built: list[str] = []
    build = record_views.to_docx

    def counted(record):
        built.append(record["language"])
        return build(record)

    monkeypatch.setattr(record_views, "to_docx", counted)
    return built


def test_the_public_docx_is_built_once_per_publication_and_language(
    client, staff, small, docx_builds
):
    publish(staff, small)
    first = client.get(report_url(small), {"format": "docx"})
    second = client.get(report_url(small), {"format": "docx"})
    assert second.content == first.content  # the same file: it holds the time it was made
    assert docx_builds == ["en"]
    spanish = client.get(report_url(small), {"format": "docx"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "¿Pregunta 1?" in download_text(spanish)
    assert docx_builds == ["en", "es"]
    assert client.head(report_url(small) + "?format=docx").status_code == 200
    assert docx_builds == ["en", "es"]


def test_a_new_publication_rebuilds_the_public_docx(client, staff, small, docx_builds):
    publish(staff, small)
    assert "Ana: regional work." in download_text(client.get(report_url(small), {"format": "docx"}))
    turn = turn_of(small["ana"], 1)
    staff.post(
        report_url(small, f"turns/{turn.pk}/summary/"),
        {"summary": "Ana: a corrected summary.", "summary_version": "1"},
    )
    text = download_text(client.get(report_url(small), {"format": "docx"}))
    assert "corrected" not in text  # not published yet: the file of the publication
    publish(staff, small)
    text = download_text(client.get(report_url(small), {"format": "docx"}))
    assert "Ana: a corrected summary." in text
    assert docx_builds == ["en", "en"]


def test_the_secretariats_working_docx_is_built_once_per_version_of_the_record(
    staff, small, docx_builds
):
    publish(staff, small)
    first = staff.get(report_url(small), {"format": "docx"})
    assert staff.get(report_url(small), {"format": "docx"}).content == first.content
    assert docx_builds == ["en"]
    turn = turn_of(small["ana"], 1)
    staff.post(
        report_url(small, f"turns/{turn.pk}/summary/"),
        {"summary": "Ana: a corrected summary.", "summary_version": "1"},
    )
    text = download_text(staff.get(report_url(small), {"format": "docx"}))
    assert "Ana: a corrected summary." in text  # a new version of the record: a new file
    assert docx_builds == ["en", "en"]
    staff.get(report_url(small), {"format": "docx"}, HTTP_ACCEPT_LANGUAGE="es")
    assert docx_builds == ["en", "en", "es"]


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("docx", DOCX_TYPE, "docx"),
        ("md", "text/markdown; charset=utf-8", "md"),
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("json", "application/json; charset=utf-8", "json"),
    ],
)
def test_each_download_has_its_type_and_file_name(
    client, staff, small, fmt, content_type, extension
):
    publish(staff, small)
    for who in (client, staff):
        response = who.get(report_url(small), {"format": fmt})
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="small-record-record-en.{extension}"'
        )


def test_a_download_in_spanish_is_named_for_its_language(staff, small):
    response = staff.get(report_url(small), {"format": "md"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Disposition"] == 'attachment; filename="small-record-record-es.md"'


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "DOCX", "../json"])
def test_an_unknown_format_is_not_found(client, staff, small, fmt):
    assert staff.get(report_url(small), {"format": fmt}).status_code == 404
    publish(staff, small)
    assert client.get(report_url(small), {"format": fmt}).status_code == 404


def test_the_downloads_of_the_published_version_seen_by_staff_have_no_notes(staff, small):
    publish(staff, small)
    soup = soup_of(staff.get(report_url(small), {"view": "public"}))
    assert NOTES not in soup.get_text()
    links = [a["href"] for a in soup.select("a[href*='format=']")]
    assert len(links) == 4
    leaking = [href for href in links if NOTES in download_text(staff.get(report_url(small, href)))]
    assert leaking == []


# The summary form ------------------------------------------------------------------------------


@pytest.fixture
def seeded_turn(seeded, clerk):
    """An RCM panelist (seeded directory) whose answer names the Quito Process and the CSM."""
    meeting = make_meeting(slug="named")
    panelist = make_panelist(
        meeting, Mechanism.objects.get(slug="rcm"), name="Ana Pérez", status="confirmed"
    )
    round1 = Round.objects.get(meeting=meeting, number=1)
    submit_answer(
        panelist, round1, "La CRM trabaja con el Proceso de Quito y con la CSM en la región."
    )
    return Turn.objects.get(panelist=panelist, round=round1)


def summary_url(turn) -> str:
    return f"/meetings/{turn.meeting.slug}/report/turns/{turn.pk}/summary/"


def checkboxes(soup) -> dict[str, dict]:
    """Each mechanism offered, by slug: ticked? marked found in the text?"""
    slugs = dict(Mechanism.objects.values_list("pk", "slug"))
    found = {}
    for box in soup.select("input[name=coordination]"):
        label = soup.find("label", attrs={"for": box["id"]})
        found[slugs[int(box["value"])]] = {
            "checked": box.has_attr("checked"),
            "suggested": "found in the text" in label.get_text(),
        }
    return found


def test_the_summary_form_marks_the_mechanisms_named_in_the_answer(staff, seeded_turn):
    soup = soup_of(staff.get(summary_url(seeded_turn)))
    boxes = checkboxes(soup)
    assert "rcm" not in boxes  # the speaker's own mechanism is not offered
    assert sorted(boxes) == sorted(
        Mechanism.objects.exclude(slug="rcm").values_list("slug", flat=True)
    )
    assert sorted(slug for slug, box in boxes.items() if box["suggested"]) == [
        "csm",
        "quito-process",
    ]
    assert not any(box["checked"] for box in boxes.values())
    assert soup.select_one("textarea#summary").get_text() == ""
    assert soup.select_one("input[name=summary_version]")["value"] == "0"
    assert "La CRM trabaja con el Proceso de Quito" in soup.get_text()


def test_saving_the_summary_and_coordination_redirects_to_the_record(staff, seeded_turn, clerk):
    csm, quito = (Mechanism.objects.get(slug=slug) for slug in ("csm", "quito-process"))
    own = Mechanism.objects.get(slug="rcm")
    response = staff.post(
        summary_url(seeded_turn),
        {
            "summary": "Proposed joint work with the Quito Process.",
            "summary_version": "0",
            "coordination": [str(csm.pk), str(quito.pk), str(own.pk), "x"],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/meetings/named/report/#turn-{seeded_turn.pk}"
    seeded_turn.refresh_from_db()
    assert (seeded_turn.summary, seeded_turn.summary_version) == (
        "Proposed joint work with the Quito Process.",
        1,
    )
    assert sorted(m.slug for m in seeded_turn.coordination.all()) == ["csm", "quito-process"]
    revision = TextRevision.objects.get(turn=seeded_turn)
    assert (revision.field, revision.text, revision.saved_by, revision.conflicted) == (
        "summary",
        "Proposed joint work with the Quito Process.",
        clerk,
        False,
    )
    page = page_text(staff.get("/meetings/named/report/"))
    assert "The summary of Ana Pérez is saved." in page
    soup = soup_of(staff.get(summary_url(seeded_turn)))
    assert sorted(slug for slug, box in checkboxes(soup).items() if box["checked"]) == [
        "csm",
        "quito-process",
    ]


def test_coordination_saved_in_the_form_shows_on_the_report(staff, seeded_turn):
    csm = Mechanism.objects.get(slug="csm")
    staff.post(
        summary_url(seeded_turn),
        {"summary": "Joint work.", "summary_version": "0", "coordination": [str(csm.pk)]},
    )
    assert [m.slug for m in seeded_turn.coordination.all()] == ["csm"]
    entry = soup_of(staff.get("/meetings/named/report/")).find(id=f"turn-{seeded_turn.pk}")
    assert "Proposes to coordinate with: CSM" in entry.get_text(" ", strip=True)


def test_a_save_on_an_outdated_version_is_a_conflict_and_loses_nothing(staff, seeded_turn, clerk):
    other = make_user(SECRETARIAT, username="other")
    save_text(seeded_turn, "summary", "Their summary.", base_version=0, by=other)
    response = staff.post(
        summary_url(seeded_turn), {"summary": "My summary.", "summary_version": "0"}
    )
    soup = soup_of(response)
    assert "Someone saved this summary while you were editing it" in soup.get_text()
    assert soup.select_one("textarea#summary").get_text() == "My summary."
    assert soup.select_one("pre.notes-theirs").get_text() == "Their summary."
    assert soup.select_one("input[name=summary_version]")["value"] == "1"
    seeded_turn.refresh_from_db()
    assert (seeded_turn.summary, seeded_turn.summary_version) == ("Their summary.", 1)
    kept = TextRevision.objects.get(turn=seeded_turn, conflicted=True)
    assert (kept.field, kept.text, kept.saved_by) == ("summary", "My summary.", clerk)


def test_a_save_without_a_version_is_refused_and_changes_nothing(staff, seeded_turn):
    save_text(seeded_turn, "summary", "Their summary.", base_version=0, by=None)
    response = staff.post(summary_url(seeded_turn), {"summary": "My summary."})
    assert response.status_code == 400
    seeded_turn.refresh_from_db()
    assert seeded_turn.summary == "Their summary."


def test_a_conflicting_save_does_not_overwrite_the_coordination(staff, seeded_turn):
    csm, gcm = (Mechanism.objects.get(slug=slug) for slug in ("csm", "gcm"))
    save_text(seeded_turn, "summary", "Their summary.", base_version=0, by=None)
    seeded_turn.coordination.set([csm])
    response = staff.post(
        summary_url(seeded_turn),
        {"summary": "My summary.", "summary_version": "0", "coordination": [str(gcm.pk)]},
    )
    assert "Someone saved this summary" in page_text(response)
    assert [m.slug for m in seeded_turn.coordination.all()] == ["csm"]


def test_a_summary_over_50000_characters_is_refused_and_kept_in_the_form(staff, seeded_turn):
    text = "x" * 50_001
    response = staff.post(summary_url(seeded_turn), {"summary": text, "summary_version": "0"})
    soup = soup_of(response)
    assert soup.select_one(".alert-danger").get_text(strip=True) == (
        "A summary holds at most 50,000 characters; this one has 50,001. Nothing was saved."
    )
    assert soup.select_one("textarea#summary").get_text() == text
    seeded_turn.refresh_from_db()
    assert (seeded_turn.summary, seeded_turn.summary_version) == ("", 0)
    assert not TextRevision.objects.filter(turn=seeded_turn).exists()


def test_a_summary_of_exactly_50000_characters_is_saved(staff, seeded_turn):
    text = "x" * 50_000
    response = staff.post(summary_url(seeded_turn), {"summary": text, "summary_version": "0"})
    assert response.status_code == 302
    seeded_turn.refresh_from_db()
    assert len(seeded_turn.summary) == 50_000


@pytest.fixture
def reordered(clerk):
    """Three panelists added A, B, C, speaking C, A, B in round 1 and B, C, A in round 2: the
    record's order is not the order of adding."""
    meeting = make_meeting(slug="reordered")
    a, b, c = (make_panelist(meeting, name=name) for name in ("Alba", "Bruno", "Carla"))
    round1, round2 = Round.objects.filter(meeting=meeting).order_by("number")
    set_speaking_order(round1, [c.pk, a.pk, b.pk], by=clerk)
    set_speaking_order(round2, [b.pk, c.pk, a.pk], by=clerk)
    submit_answer(a, round1, "Alba's written answer.")
    turn = Turn.objects.get(panelist=a, round=round1)
    save_text(turn, "notes", "Alba: notes of the session.", base_version=0, by=clerk)
    return [
        Turn.objects.get(panelist=panelist, round=round_)
        for round_, order in ((round1, (c, a, b)), (round2, (b, c, a)))
        for panelist in order
    ]


def test_save_and_next_opens_each_entry_in_record_order_and_the_last_returns(staff, reordered):
    """Summaries are written one after another, by round then position."""
    for index, turn in enumerate(reordered):
        soup = soup_of(staff.get(summary_url(turn)))
        assert soup.select_one(".summary-position").get_text() == (
            f"Entry {index + 1} of 6 in the record"
        )
        response = staff.post(
            summary_url(turn),
            {"summary": f"Summary {index + 1}.", "summary_version": "0", "then": "next"},
        )
        assert response.status_code == 302
        if index + 1 < len(reordered):
            assert response["Location"] == summary_url(reordered[index + 1])
        else:  # the last one returns to the record
            assert response["Location"] == f"/meetings/reordered/report/#turn-{turn.pk}"
    assert [Turn.objects.get(pk=turn.pk).summary for turn in reordered] == [
        f"Summary {number}." for number in range(1, 7)
    ]
    page = page_text(staff.get("/meetings/reordered/report/"))
    assert "The summary of Alba is saved." in page


def test_the_summary_form_says_who_comes_next_and_when_it_is_the_last(staff, reordered):
    first = soup_of(staff.get(summary_url(reordered[0])))
    assert first.select_one("#summary-next").get_text().startswith("Next: Alba (")
    assert first.find("button", value="next")["aria-describedby"] == "summary-next"
    last = soup_of(staff.get(summary_url(reordered[-1])))
    assert "This is the last entry" in last.select_one("#summary-next").get_text()


def test_the_answer_and_the_notes_are_shown_beside_the_box_not_folded(staff, reordered):
    soup = soup_of(staff.get(summary_url(reordered[1])))  # Alba, round 1
    assert soup.find("details") is None
    layout = soup.select_one(".summary-layout")
    sources, box = layout.select_one(".summary-sources"), layout.select_one(".summary-box")
    assert box.select_one("textarea#summary") is not None
    assert sources.select_one(".summary-answer").get_text(strip=True) == "Alba's written answer."
    assert sources.select_one(".summary-notes").get_text(strip=True) == (
        "Alba: notes of the session."
    )
    empty = soup_of(staff.get(summary_url(reordered[0])))  # Carla: no answer, no notes
    assert "No written answer was submitted." in empty.select_one(".summary-answer").get_text()
    assert empty.select_one(".summary-notes").get_text(strip=True) == "No notes were taken."


def test_save_and_next_in_conflict_stays_on_the_entry_and_saves_nothing(staff, reordered):
    turn = reordered[0]
    save_text(turn, "summary", "Their summary.", base_version=0, by=None)
    response = staff.post(
        summary_url(turn), {"summary": "My summary.", "summary_version": "0", "then": "next"}
    )
    soup = soup_of(response)
    assert "Someone saved this summary while you were editing it" in soup.get_text()
    assert soup.select_one("textarea#summary").get_text() == "My summary."
    turn.refresh_from_db()
    assert turn.summary == "Their summary."


def test_save_and_next_refused_for_coordination_changed_meanwhile_stays(staff, reordered):
    turn = reordered[0]
    other = reordered[1].panelist.mechanism
    response = staff.post(
        summary_url(turn),
        {
            "summary": "Mine.",
            "summary_version": "0",
            "coordination_seen": str(other.pk),  # seen ticked, no longer is
            "coordination": [str(other.pk)],
            "then": "next",
        },
    )
    assert "were changed while you were editing" in page_text(response)
    turn.refresh_from_db()
    assert turn.summary == ""


def test_the_summary_pages_are_for_the_secretariat_only(client, small):
    turn = turn_of(small["ana"], 1)
    urls = [
        report_url(small, f"turns/{turn.pk}/summary/"),
        report_url(small, f"turns/{turn.pk}/history/?field=summary"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    revision = TextRevision.objects.filter(turn=turn).first()
    response = client.post(report_url(small, f"revisions/{revision.pk}/restore/"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(urls[0], {"summary": "Vandalised.", "summary_version": "1"})
    turn.refresh_from_db()
    assert turn.summary == "Ana: regional work."


def test_a_turn_of_another_meeting_is_not_found(staff, small):
    make_meeting(slug="other-meeting")
    turn = turn_of(small["ana"], 1)
    assert staff.get(f"/meetings/other-meeting/report/turns/{turn.pk}/summary/").status_code == 404


# History and restore ---------------------------------------------------------------------------


@pytest.fixture
def revised(small, clerk):
    """Ana's first summary saved three more times: 'alpha/beta', 'alpha/gamma', 'alpha/gamma/
    delta'."""
    turn = turn_of(small["ana"], 1)
    for version, text in enumerate(["alpha\nbeta", "alpha\ngamma", "alpha\ngamma\ndelta"], start=1):
        save_text(turn, "summary", text, base_version=version, by=clerk)
    return turn


def history_url(turn, query: str = "field=summary") -> str:
    return f"/meetings/{turn.meeting.slug}/report/turns/{turn.pk}/history/?{query}"


def revision_ids(turn) -> dict[str, int]:
    return {
        text: pk
        for pk, text in TextRevision.objects.filter(turn=turn, field="summary").values_list(
            "pk", "text"
        )
    }


def test_the_history_lists_the_revisions_newest_first(staff, revised):
    soup = soup_of(staff.get(history_url(revised)))
    rows = soup.select("tbody tr")
    assert [row.select("td")[4].get_text() for row in rows] == [
        "alpha\ngamma\ndelta",
        "alpha\ngamma",
        "alpha\nbeta",
        "Ana: regional work.",
    ]
    assert {row.select("td")[3].get_text() for row in rows} == {"clerk"}
    assert "Ana spoke fast" not in soup.get_text()  # the notes have a history of their own
    notes = soup_of(staff.get(history_url(revised, "field=notes")))
    assert [row.select("td")[4].get_text() for row in notes.select("tbody tr")] == [
        "Internal: Ana spoke fast."
    ]


def test_the_staff_read_every_text_of_the_written_answer_conflicts_included(staff, small):
    ana, round_ = small["ana"], Round.objects.get(meeting=small["meeting"], number=1)
    base = ana.answers.get(round=round_).version  # submitted by the fixture
    save_draft(ana, round_, "From the phone.", base_version=base)
    with pytest.raises(AnswerConflict):
        save_draft(ana, round_, "From the laptop.", base_version=base)
    turn = turn_of(ana, 1)

    soup = soup_of(staff.get(history_url(turn, "field=answer")))

    rows = soup.select("tbody tr")
    assert [row.select("td")[4].get_text() for row in rows] == [
        "From the laptop.",
        "From the phone.",
        "RCM answer to question 1.",
    ]
    assert "conflicting edit, kept" in rows[0].get_text()
    assert "Submitted" in rows[2].get_text()
    assert {row.select("td")[3].get_text() for row in rows} == {ana.display_name}
    assert not soup.select("form[action$='/restore/']")  # the panelist's words, not ours
    assert soup.select_one("a[aria-current=page]").get_text() == "Written answer"


def test_an_unknown_field_has_no_history(staff, revised):
    assert staff.get(history_url(revised, "field=title")).status_code == 404


def test_the_history_compares_two_revisions_line_by_line(staff, revised):
    ids = revision_ids(revised)
    first, last = ids["alpha\nbeta"], ids["alpha\ngamma\ndelta"]
    soup = soup_of(staff.get(history_url(revised, f"field=summary&a={first}&b={last}")))
    assert [(p["class"][0], p.get_text()) for p in soup.select(".diff p")] == [
        ("diff-same", "\xa0 alpha"),
        ("diff-removed", "removed: − beta"),
        ("diff-added", "added: + gamma"),
        ("diff-added", "added: + delta"),
    ]
    checked = [radio["value"] for radio in soup.select("input[type=radio][checked]")]
    assert checked == [str(last), str(first)]


def test_the_comparison_marks_the_words_that_changed_and_writes_no_markup(staff, small, clerk):
    turn = turn_of(small["ana"], 1)
    for version, text in enumerate(["Met on <b>Monday</b>.", "Met on <b>Tuesday</b>."], start=1):
        save_text(turn, "summary", text, base_version=version, by=clerk)
    ids = revision_ids(turn)
    query = f"field=summary&a={ids['Met on <b>Monday</b>.']}&b={ids['Met on <b>Tuesday</b>.']}"
    soup = soup_of(staff.get(history_url(turn, query)))
    assert [p.get_text() for p in soup.select(".diff p")] == [
        "removed: − Met on <b>Monday</b>.",
        "added: + Met on <b>Tuesday</b>.",
    ]
    assert [tag.get_text() for tag in soup.select(".diff del, .diff ins")] == ["Monday", "Tuesday"]
    assert soup.select(".diff b") == []
    assert soup.select(".alert-warning") == []


def test_comparing_two_texts_of_the_maximum_length_takes_under_a_second_of_cpu(staff, small, clerk):
    """SECURITY.md, finding 3: one comparison of two notes of 28,700 characters took 115 s of CPU.
    The costliest pair for the page: 75,000 lines to write."""
    turn = turn_of(small["ana"], 1)
    texts = ["\n" * NOTES_MAX_LENGTH, "x\n" * (NOTES_MAX_LENGTH // 2)]
    for version, text in enumerate(texts, start=1):
        save_text(turn, "notes", text, base_version=version, by=clerk)
    older, newer = (TextRevision.objects.get(turn=turn, text=text).pk for text in texts)
    started = time.process_time()
    response = staff.get(history_url(turn, f"field=notes&a={older}&b={newer}"))
    cpu = time.process_time() - started
    print(f"history compare of two 50,000-character texts: {cpu:.3f} s of CPU")  # pytest -s
    assert cpu < 1
    assert response.content.count(b'<p class="diff-removed') == NOTES_MAX_LENGTH


def test_a_comparison_with_too_many_changes_to_line_up_says_so(staff, small, clerk):
    turn = turn_of(small["ana"], 1)
    chance = random.Random(13)
    texts = ["\n".join(chance.choice("ab") for _ in range(20_000)) for _ in range(2)]
    for version, text in enumerate(texts, start=1):
        save_text(turn, "notes", text, base_version=version, by=clerk)
    older, newer = (TextRevision.objects.get(turn=turn, text=text).pk for text in texts)
    started = time.process_time()
    response = staff.get(history_url(turn, f"field=notes&a={older}&b={newer}"))
    assert time.process_time() - started < 1
    warning = re.search(rb'<p class="alert alert-warning">([^<]*)</p>', response.content)
    assert warning[1].startswith(b"Too many changes to line them all up")


def test_no_comparison_without_two_revisions(staff, revised):
    ids = revision_ids(revised)
    soup = soup_of(staff.get(history_url(revised, f"field=summary&a={ids['alpha\nbeta']}&b=x")))
    assert soup.select(".diff") == []


def test_restoring_makes_the_old_text_current_and_adds_a_revision(staff, revised, clerk):
    ids = revision_ids(revised)
    response = staff.post(
        f"/meetings/{revised.meeting.slug}/report/revisions/{ids['alpha\nbeta']}/restore/"
    )
    assert response.status_code == 302
    assert response["Location"] == history_url(revised)
    revised.refresh_from_db()
    assert (revised.summary, revised.summary_version) == ("alpha\nbeta", 5)
    texts = list(
        TextRevision.objects.filter(turn=revised, field="summary").values_list("text", flat=True)
    )
    assert texts == [
        "alpha\nbeta",
        "alpha\ngamma\ndelta",
        "alpha\ngamma",
        "alpha\nbeta",
        "Ana: regional work.",
    ]
    assert TextRevision.objects.filter(turn=revised).first().saved_by == clerk
    assert "earlier text is restored" in page_text(staff.get(history_url(revised)))


def test_a_revision_of_another_meeting_cannot_be_restored_here(staff, revised):
    make_meeting(slug="elsewhere")
    ids = revision_ids(revised)
    response = staff.post(f"/meetings/elsewhere/report/revisions/{ids['alpha\nbeta']}/restore/")
    assert response.status_code == 404
    revised.refresh_from_db()
    assert revised.summary == "alpha\ngamma\ndelta"


# The page --------------------------------------------------------------------------------------


def test_the_report_page_shows_each_entry_and_the_timing(staff, small):
    soup = soup_of(staff.get(report_url(small)))
    ana = soup.find(id=f"turn-{turn_of(small['ana'], 1).pk}")
    assert ana.find("h3").get_text(" ", strip=True) == "RCM — Ana Pérez"
    assert "6:40 of 7:00" in ana.get_text()
    assert "Proposes to coordinate with: CSM" in ana.get_text(" ", strip=True)
    matrix = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in soup.select("table.coordination-matrix tr")
    ]
    assert matrix == [["", "RCM", "CSM"], ["RCM", "", "2"], ["CSM", "1", ""]]
    assert [li.get_text(" ", strip=True) for li in soup.select(".coordination-list li")] == [
        "RCM : proposes CSM; proposed by CSM",
        "CSM : proposes RCM; proposed by RCM",
    ]
    timing_rows = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in soup.select("#timing table.timing-rounds tbody tr")
    ]
    assert timing_rows == [
        ["1", "2", "10:10–10:24", "10:10–10:25", "15:00", "15:00", "0:20"],
        ["2", "1", "10:24–10:39", "10:26–10:35", "7:00", "7:30", "0:30"],
        ["Meeting", "3", "10:10–10:39", "10:10–10:35", "22:00", "22:30", "0:50"],
    ]
    per_turn = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in soup.select("#timing table.timing-turns tbody tr")
    ]
    assert per_turn[0] == [
        "1",
        "RCM — Ana Pérez",
        "10:10–10:17",  # planned start and end
        "10:10–10:16",  # actual start and end
        "7:00",
        "6:40",
        "0:00",
    ]
    assert len(per_turn) == 4  # two speakers, two rounds; the declined seat is in no round
    attendance = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in soup.select("#attendance tbody tr")
    ]
    assert attendance == [
        ["RCM", "Ana Pérez", "Confirmed", "yes"],
        ["CSM", "Luis Gómez", "Confirmed", "yes"],
        ["CSM", "Eva Ruiz", "Declined", "no"],
    ]
    assert soup.select_one("#timing svg.timing-chart") is not None


def test_user_text_is_escaped_on_the_page(client, staff, small):
    save_text(
        turn_of(small["ana"], 1), "summary", "<script>alert(1)</script>", base_version=1, by=None
    )
    for who in (staff, client):
        if who is client:
            publish(staff, small)
        content = who.get(report_url(small)).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "<script>alert(1)" not in content


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_page_queries_do_not_grow_with_the_panel(client, staff, clerk):
    counts = {"staff": [], "public": []}
    for size in (2, 8):
        meeting = panel_of(size, clerk)
        url = f"/meetings/{meeting.slug}/report/"
        counts["staff"].append(queries_of(staff, url))
        publication.publish(meeting, by=clerk)
        counts["public"].append(queries_of(client, url))
    assert counts["staff"][0] == counts["staff"][1]
    # The public page reads the meeting and the published snapshot, nothing else.
    assert counts["public"] == [2, 2]


def test_a_nul_character_in_a_summary_is_dropped_not_a_server_error(staff, small):
    turn = turn_of(small["ana"], 1)
    response = staff.post(
        f"/meetings/{small['meeting'].slug}/report/turns/{turn.pk}/summary/",
        {"summary": "Pasted\x00 text", "summary_version": str(turn.summary_version)},
    )
    assert response.status_code == 302
    turn.refresh_from_db()
    assert turn.summary == "Pasted text"


def test_ticks_made_in_the_portal_meanwhile_are_not_undone_by_the_summary_form(staff, seeded_turn):
    csm, gcm = (Mechanism.objects.get(slug=slug) for slug in ("csm", "gcm"))
    form = soup_of(staff.get(summary_url(seeded_turn)))
    seen = form.find("input", {"name": "coordination_seen"})["value"]
    seeded_turn.coordination.set([csm])  # the panelist, in the portal, meanwhile
    data = {"summary": "My summary.", "summary_version": "0", "coordination_seen": seen}
    response = staff.post(summary_url(seeded_turn), data | {"coordination": [str(gcm.pk)]})
    soup = soup_of(response)
    assert "were changed while you were editing" in soup.select_one(".alert-warning").get_text()
    assert soup.find("input", {"value": str(gcm.pk)}).has_attr("checked")  # their ticks stay
    assert [m.slug for m in seeded_turn.coordination.all()] == ["csm"]
    seeded_turn.refresh_from_db()
    assert seeded_turn.summary == ""  # nothing of the form was applied
    seen = soup.find("input", {"name": "coordination_seen"})["value"]
    again = data | {"coordination_seen": seen, "coordination": [str(csm.pk), str(gcm.pk)]}
    assert staff.post(summary_url(seeded_turn), again).status_code == 302  # having seen theirs
    assert sorted(m.slug for m in seeded_turn.coordination.all()) == ["csm", "gcm"]


# The whole agenda --------------------------------------------------------------------------------


@pytest.fixture
def whole():
    return whole_meeting(slug="whole-page")


def text_of(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_the_page_gives_every_item_in_order_with_its_speakers(staff, whole):
    response = staff.get("/meetings/whole-page/report/")
    soup = BeautifulSoup(response.content, "html.parser")
    headings = [h.get_text(" ", strip=True) for h in soup.select("section.record-round > h2")]
    assert headings == [
        "Opening remarks",
        "Round 1",
        "Dialogue with delegations",
        "Break",
        "Closing remarks",
    ]
    toc = [a.get_text(strip=True) for a in soup.select(".record-toc a")]
    assert toc[:5] == headings
    dialogue = soup.select_one("#item-3")
    speakers = [h.get_text(strip=True) for h in dialogue.select("article h3")]
    assert speakers == ["Delegation of Mexico", "International Organization for Migration"]
    assert "Planned time: 20:00 · Actual time: 8:10" in dialogue.get_text()
    assert "Internal: Mexico spoke fast." in dialogue.get_text()  # the secretariat's view
    point = soup.select_one("#round-1 .record-intervention h3").get_text(strip=True)
    assert point == "Delegation of Spain (point of order)"
    assert "Online" in soup.select_one("#round-1 .record-intervention").get_text()


def test_the_page_gives_the_time_per_item_and_intervention_and_the_delegations(staff, whole):
    soup = BeautifulSoup(staff.get("/meetings/whole-page/report/").content, "html.parser")
    items = [
        [cell.get_text(strip=True) for cell in row.select("td, th")]
        for row in soup.select("table.timing-items tbody tr")
    ]
    assert items[3] == ["4", "Break", "10:49–11:04", "10:28–10:43", "15:00", "15:00", "0:00"]
    interventions = soup.select("table.timing-interventions tbody tr")
    assert len(interventions) == 5
    delegations = [
        [cell.get_text(strip=True) for cell in row.select("td, th")]
        for row in soup.select("table.record-delegations tbody tr")
    ]
    assert delegations == [
        ["Delegation of Mexico", "In the room", "1", "0", "2:50"],
        ["Delegation of Spain", "Online", "1", "1", "1:00"],
        ["International Organization for Migration", "Not present", "1", "0", "3:20"],
    ]


def test_the_published_page_of_the_whole_agenda_has_no_notes(staff, whole, clerk, client):
    publication.publish(whole["meeting"], by=clerk)
    text = text_of(client.get("/meetings/whole-page/report/"))
    assert "Mexico asked about returns." in text
    assert "Mexico spoke fast" not in text
    assert "Delegation of Spain (point of order)" in text


def test_the_page_of_the_whole_agenda_in_spanish(staff, whole):
    staff.cookies["django_language"] = "es"
    text = text_of(staff.get("/meetings/whole-page/report/", HTTP_ACCEPT_LANGUAGE="es"))
    for title in ("Palabras de apertura", "Diálogo con las delegaciones", "Pausa"):
        assert title in text
    assert "Presidencia de la CAM, Ana Pérez" in text
    assert "Organización Internacional para las Migraciones" in text


def test_a_meeting_of_rounds_alone_shows_no_agenda_tables(staff, small):
    soup = BeautifulSoup(staff.get(report_url(small)).content, "html.parser")
    assert not soup.select("table.timing-items, table.timing-interventions")
    assert not soup.select("table.record-delegations, .record-intervention")


def test_a_record_published_before_agendas_still_reads_in_every_format(client, staff, small):
    """A snapshot of schema 1 (no agenda, no delegations): the page and every download give its
    rounds as they always did."""
    publish(staff, small)
    snapshot = PublishedRecord.objects.get(meeting=small["meeting"])
    for record in snapshot.content.values():
        record["schema"] = "cam-meetings/record/1"
        del record["agenda"], record["delegations"]
    snapshot.save()
    text = page_text(client.get(report_url(small)))
    assert "Round 1" in text and "Ana: regional work." in text
    for fmt in ("md", "csv", "json", "docx"):
        response = client.get(report_url(small), {"format": fmt})
        assert response.status_code == 200, fmt
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(report_url(small), {"format": "csv"}).content.decode("utf-8-sig")
            )
        )
    )
    assert [row[-2] for row in rows[1:]] == ["1", "1", "2", "2"]  # the rounds as the agenda


def intervention_summary_url(intervention) -> str:
    return f"/meetings/{intervention.meeting.slug}/report/interventions/{intervention.pk}/summary/"


def test_the_secretariat_writes_an_interventions_summary_from_the_record(staff, whole):
    iom = Intervention.objects.get(delegation=whole["iom"])
    page = staff.get("/meetings/whole-page/report/")
    assert intervention_summary_url(iom) in page.content.decode()
    form = staff.get(intervention_summary_url(iom))
    assert "International Organization for Migration, Dialogue with delegations" in text_of(form)

    response = staff.post(
        intervention_summary_url(iom), {"summary": "The IOM offered help.", "summary_version": 0}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/whole-page/report/#intervention-{iom.pk}"
    iom.refresh_from_db()
    assert (iom.summary, iom.summary_version) == ("The IOM offered help.", 1)
    assert TextRevision.objects.filter(intervention=iom, field="summary").count() == 1
    record = text_of(staff.get("/meetings/whole-page/report/"))
    assert "The IOM offered help." in record


def test_a_summary_saved_over_a_newer_one_is_kept_aside_and_said(staff, whole):
    mexico = Intervention.objects.get(delegation=whole["mexico"])  # its summary is at version 1
    response = staff.post(
        intervention_summary_url(mexico), {"summary": "Mine.", "summary_version": 0}
    )
    assert response.status_code == 200
    assert "Someone saved this summary while you were editing it." in text_of(response)
    mexico.refresh_from_db()
    assert mexico.summary == "Mexico asked about returns."
    assert TextRevision.objects.filter(intervention=mexico, conflicted=True, text="Mine.").exists()


def test_only_the_secretariat_writes_an_interventions_summary(client, whole):
    iom = Intervention.objects.get(delegation=whole["iom"])
    response = client.post(intervention_summary_url(iom), {"summary": "x", "summary_version": 0})
    assert response.status_code in (302, 403)
    iom.refresh_from_db()
    assert iom.summary == ""
    assert client.get(
        f"/meetings/whole-page/report/interventions/{iom.pk + 999}/summary/"
    ).status_code in (302, 403, 404)


def test_the_report_page_shows_each_new_version_of_the_record_at_once(staff, small):
    assert "Ana: regional work." in staff.get(report_url(small)).content.decode()
    turn = turn_of(small["ana"], 1)
    staff.post(
        report_url(small, f"turns/{turn.pk}/summary/"),
        {"summary": "Ana: a corrected summary.", "summary_version": "1"},
    )
    page = staff.get(report_url(small)).content.decode()
    assert "Ana: a corrected summary." in page
    assert "Ana: regional work." not in page
    spanish = staff.get(report_url(small), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Ana: a corrected summary." in spanish
    assert spanish != page  # the body is kept per language too
