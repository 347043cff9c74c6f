"""French and Portuguese speakers meet no English: pages render in the chosen language."""

import re

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from meetings import invitations
from meetings.links import link_path
from meetings.models import EmailKind, Meeting
from meetings.roles import SECRETARIAT
from tests.factories import make_user

pytestmark = pytest.mark.django_db
SLUG = "migration-governance-2022"


def english_sentences(language: str) -> set[str]:
    """Interface sentences whose translation differs from the English (long enough to be
    unmistakable in a page's text)."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES/django.po"))
    return {
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and "%" not in entry.msgid
        and len(entry.msgid) >= 14
        and entry.msgstr
        and entry.msgstr != entry.msgid
    }


def visible_text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    # Content shown in another language than the page's, and marked so (the concept note
    # exists in English only): a fallback, not an untranslated interface.
    for other in soup.select("[lang]:not(html)"):
        if other["lang"] != soup.html["lang"]:
            other.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


@pytest.fixture
def pages(client, seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    panelist = meeting.panelists.first()
    client.force_login(make_user(SECRETARIAT))
    return [
        "/",
        "/mechanisms/",
        "/mechanisms/cam/",
        "/mechanisms/overlap/",
        f"/meetings/{SLUG}/",
        f"/meetings/{SLUG}/panel/",
        f"/meetings/{SLUG}/order/",
        f"/meetings/{SLUG}/console/",
        f"/meetings/{SLUG}/report/",
        link_path(panelist),
    ]


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_pages_under_another_language_show_no_english_sentence(client, pages, language):
    sentences = english_sentences(language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response)
        assert BeautifulSoup(response.content, "html.parser").html["lang"] == language, url
        leaks = sorted(sentence for sentence in sentences if sentence in text)
        assert leaks == [], (url, leaks)


@pytest.mark.parametrize(
    ("language", "title", "question"),
    [
        ("fr", "Gouvernance", "Quels sont les principaux défis"),
        ("pt", "Governança", "Quais são os principais desafios"),
    ],
)
def test_the_seeded_content_is_in_french_and_portuguese(client, seeded, language, title, question):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = visible_text(client.get(f"/meetings/{SLUG}/"))
    assert title in text
    assert question in text


def test_the_browser_language_chooses_french(client, seeded):
    response = client.get("/mechanisms/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "fr"
    assert "Conférence régionale sur les migrations" in soup.get_text()


@pytest.mark.parametrize(
    ("language", "date", "wrong"),
    [
        ("es", "17 de mayo de 2022", "Mayo"),
        ("fr", "17 mai 2022", "Mai 2022"),
        # Portuguese writes month names in lowercase; Django's pt catalogue capitalises them
        # (config/django_strings.py puts them in ours).
        ("pt", "17 de maio de 2022", "Maio"),
    ],
)
def test_dates_are_written_as_the_language_writes_them(client, seeded, language, date, wrong):
    client.force_login(make_user(SECRETARIAT))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = visible_text(client.get(f"/meetings/{SLUG}/"))
    markdown = client.get(f"/meetings/{SLUG}/report/?format=md").content.decode()
    panelist = Meeting.objects.get(slug=SLUG).panelists.first()
    panelist.preferred_language = language
    email = invitations.compose(panelist, EmailKind.INVITATION, base_url="https://x.test")
    for where, text in {
        "page": page,
        "markdown": markdown,
        "subject": email.subject,
        "email": email.text,
    }.items():
        assert date in text, where
        assert wrong not in text, where


def test_the_record_can_be_produced_in_portuguese(client, seeded):
    client.force_login(make_user(SECRETARIAT))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt"
    record = client.get(f"/meetings/{SLUG}/report/?format=json").json()
    assert record["language"] == "pt"
    assert record["rounds"][0]["question"].startswith("Quais são os principais desafios")
    assert "Governança" in record["meeting"]["title"]
