"""The venue and the chair are content in four languages, wherever the meeting is shown."""

import io

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import translation
from docx import Document
from icalendar import Calendar

from meetings.models import Meeting
from meetings.outputs.calendar import calendar_in
from meetings.outputs.record import build_record
from meetings.roles import SECRETARIAT
from meetings.services import invitations
from tests.factories import make_meeting, make_panelist, make_user

pytestmark = pytest.mark.django_db
SLUG = "migration-governance-2022"
VENUE = {
    "en": "OAS headquarters, Washington, D.C.",
    "es": "Sede de la OEA, Washington, D.C.",
    "fr": "Siège de l'OEA, Washington (D.C.)",
    "pt": "Sede da OEA, Washington, D.C.",
}
CHAIR = {
    "en": "Chair of the Committee on Migration Issues (CAM)",
    "es": "Presidencia de la Comisión de Asuntos Migratorios (CAM)",
    "fr": "Présidence de la Commission des questions migratoires (CAM)",
    "pt": "Presidência da Comissão de Assuntos Migratórios (CAM)",
}


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_the_public_page_shows_the_venue_and_the_chair_in_its_language(client, seeded, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    soup = BeautifulSoup(client.get(f"/meetings/{SLUG}/").content, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert VENUE[language] in text
    assert CHAIR[language] in text
    others = [CHAIR[code] for code in CHAIR if code != language]
    assert not [chair for chair in others if chair in text]


def test_a_venue_not_yet_translated_falls_back_to_english_marked_so(client):
    make_meeting(slug="untranslated", venue_en="Room 1, Main Building", chair_en="The Chair")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    soup = BeautifulSoup(client.get("/meetings/untranslated/").content, "html.parser")
    assert soup.find("span", lang="en", string="Room 1, Main Building")
    assert "The Chair" in soup.get_text()
    assert not soup.select(".translation-badge")  # the public sees no badge

    client.force_login(make_user(SECRETARIAT))
    soup = BeautifulSoup(client.get("/meetings/untranslated/").content, "html.parser")
    assert soup.select(".translation-badge")


def test_the_badge_names_each_text_not_yet_translated_and_its_language(client):
    make_meeting(
        slug="half-translated",
        title_es="Reunión",
        title_fr="Réunion",
        title_pt="Reunião",
        venue_en="Room 1",
        venue_es="Sala 1",
        venue_pt="Sala 1",
        chair_en="",
    )
    client.force_login(make_user(SECRETARIAT))
    soup = BeautifulSoup(client.get("/meetings/half-translated/").content, "html.parser")
    [badge] = soup.select(".translation-badge")[:1]
    text = " ".join(badge.get_text().split())
    assert "venue (French)" in text
    assert "title" not in text and "Spanish" not in text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    soup = BeautifulSoup(client.get("/meetings/half-translated/").content, "html.parser")
    assert "sede (francés)" in soup.select(".translation-badge")[0].get_text().lower()


def test_the_calendar_file_says_where_in_the_language_asked(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    for language in ("fr", "pt"):
        event = Calendar.from_ical(calendar_in(language, meeting, url="https://x.test/")).walk(
            "VEVENT"
        )[0]
        assert str(event["LOCATION"]) == VENUE[language]


def test_the_invitation_names_the_venue_in_the_panelists_language(seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    panelist = make_panelist(meeting, name="Ana", email="ana@example.org", preferred_language="pt")
    composed = invitations.compose(panelist, "invitation")
    assert VENUE["pt"] in composed.text
    assert VENUE["pt"] in composed.html


def test_the_record_and_its_docx_name_the_chair_in_the_language_asked(client, seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    with translation.override("es"):
        record = build_record(meeting, internal=True)
    assert (record["meeting"]["venue"], record["meeting"]["chair"]) == (VENUE["es"], CHAIR["es"])

    client.force_login(make_user(SECRETARIAT))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(f"/meetings/{SLUG}/report/?format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert CHAIR["fr"] in text
    assert CHAIR["en"] not in text


def test_the_secretariat_writes_the_venue_and_the_chair_in_four_languages(client, seeded):
    client.force_login(make_user(SECRETARIAT))
    soup = BeautifulSoup(client.get(f"/meetings/{SLUG}/edit/").content, "html.parser")
    for field in ("venue", "chair"):
        for language in ("en", "es", "fr", "pt"):
            assert soup.find(attrs={"name": f"{field}_{language}"}), (field, language)
    assert soup.find(attrs={"name": "chair_fr"})["value"] == CHAIR["fr"]


def test_a_chair_not_yet_translated_is_marked_english_and_escaped(client):
    meeting = make_meeting(chair_en="<b>Chair</b> of the CAM", chair_fr="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(f"/meetings/{meeting.slug}/").content.decode()
    assert '<span lang="en">&lt;b&gt;Chair&lt;/b&gt; of the CAM</span>' in page
