"""French and Portuguese speakers meet no English: pages render in the chosen language."""

import csv
import io
import re
from pathlib import Path

import django
import polib
import pytest
from bs4 import BeautifulSoup, Doctype
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from meetings.models import EmailKind, Meeting, Turn
from meetings.roles import SECRETARIAT
from meetings.services import invitations
from meetings.services.links import link_path
from tests.factories import make_user, panelist_form

pytestmark = pytest.mark.django_db
SLUG = "migration-governance-2022"


# Words that Django's catalogue rightly leaves as they are in English.
SAME_IN_LANGUAGE = {"es": {"No"}, "fr": {"Action", "Administration", "Permissions"}, "pt": set()}
READABLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


def english_sentences(language: str) -> set[str]:
    """Interface texts whose translation differs from the English: ours (our catalogue), and
    Django's that no catalogue translates into the language (the admin, the forms)."""
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES/django.po"))
    ours = {
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and "%" not in entry.msgid
        and entry.msgstr
        and entry.msgstr != entry.msgid
    }
    return ours | untranslated_django_strings(language)


def untranslated_django_strings(language: str) -> set[str]:
    base = Path(django.__file__).parent
    english = set()
    for domain in ("conf", "contrib/admin", "contrib/auth"):
        path = base / domain / "locale" / "fr" / "LC_MESSAGES" / "django.po"
        english |= {
            entry.msgid
            for entry in polib.pofile(str(path))
            if not entry.msgid_plural and not entry.msgctxt and "%" not in entry.msgid
        }
    with translation.override(language):
        return {
            msgid
            for msgid in english
            if re.search("[A-Za-z]{2}", msgid)
            and translation.gettext(msgid) == msgid
            and msgid not in SAME_IN_LANGUAGE[language]
        }


def readable_texts(content: bytes | str) -> list[str]:
    """What a reader meets: each piece of text, and each attribute read aloud or shown
    (aria-label, title, placeholder, alt, a button's value), one string each."""
    soup = BeautifulSoup(content, "html.parser")
    # What users typed (a textarea's text) is content, not interface.
    for hidden in soup(["script", "style", "template", "textarea"]):
        hidden.decompose()
    page_language = soup.html.get("lang") if soup.html else None
    # Content shown in another language than the page's, and marked so (the concept note
    # exists in English only): a fallback, not an untranslated interface.
    for other in soup.select("[lang]:not(html)"):
        if other["lang"] != page_language:
            other.decompose()
    texts = [
        re.sub(r"\s+", " ", text).strip()
        for text in soup.find_all(string=True)
        if not isinstance(text, Doctype)
    ]
    for tag in soup.find_all(True):
        texts += [tag[name] for name in READABLE_ATTRIBUTES if tag.get(name)]
        if tag.name == "input" and tag.get("type") in ("submit", "button"):
            texts += [tag["value"]] if tag.get("value") else []
    return [text for text in texts if text]


def leaks_in(texts: list[str], sentences: set[str]) -> list[str]:
    """English interface texts found: a whole text or attribute, or a long sentence inside one."""
    joined = "\n".join(texts)
    whole = set(texts)
    return sorted(
        sentence
        for sentence in sentences
        if sentence in whole or (len(sentence) >= 14 and sentence in joined)
    )


def visible_text(response) -> str:
    return " ".join(readable_texts(response.content))


@pytest.fixture
def staff(seeded):
    return get_user_model().objects.create_superuser("staff", "staff@example.org", "x")


@pytest.fixture
def pages(seeded, staff):
    """(path, method, expected status) of every kind of page, as the secretariat's staff see
    them; `None` as the user for the pages the public sees signed out."""
    meeting = Meeting.objects.get(slug=SLUG)
    panelist = meeting.panelists.first()
    panelist.email = "ana@example.org"
    panelist.save()
    turn = Turn.objects.filter(meeting=meeting).first()
    portal = link_path(panelist)
    meeting_admin = f"/admin/meetings/meeting/{meeting.pk}/change/"
    return [
        ("/", "get", 200),
        ("/mechanisms/", "get", 200),
        ("/mechanisms/cam/", "get", 200),
        ("/mechanisms/overlap/", "get", 200),
        (f"/meetings/{SLUG}/", "get", 200),
        (f"/meetings/{SLUG}/display/", "get", 200),
        (f"/meetings/{SLUG}/display/?overlay=1", "get", 200),
        (portal, "get", 200),
        (f"{portal}speaker/", "get", 200),
        (link_path(meeting.delegations.get(code="MX")), "get", 200),  # a delegation's floor page
        ("/meetings/", "get", 200),
        ("/meetings/new/", "get", 200),
        (f"/meetings/{SLUG}/edit/", "get", 200),
        (f"/meetings/{SLUG}/panel/", "get", 200),
        (f"/meetings/{SLUG}/panel/add/", "post", 200),
        (f"/meetings/{SLUG}/panel/{panelist.pk}/edit/", "get", 200),
        (f"/meetings/{SLUG}/panel/{panelist.pk}/email/invitation/", "get", 200),
        (f"/meetings/{SLUG}/panel/invite/", "get", 200),
        (f"/meetings/{SLUG}/order/", "get", 200),
        (f"/meetings/{SLUG}/agenda/", "get", 200),
        (f"/meetings/{SLUG}/delegations/", "get", 200),
        (f"/meetings/{SLUG}/console/", "get", 200),
        (f"/meetings/{SLUG}/report/", "get", 200),
        (f"/meetings/{SLUG}/report/turns/{turn.pk}/summary/", "get", 200),
        (f"/meetings/{SLUG}/report/turns/{turn.pk}/history/", "get", 200),
        ("/meetings/no-such-meeting/", "get", 404),
        ("/accounts/password/change/", "get", 200),
        ("/accounts/password/change/done/", "get", 200),
        ("/accounts/password/reset/", "get", 200),
        ("/accounts/password/reset/sent/", "get", 200),
        ("/accounts/password/reset/MQ/a-link-that-does-not-work/", "get", 200),
        ("/accounts/password/reset/complete/", "get", 200),
        ("/admin/", "get", 200),
        ("/admin/meetings/meeting/", "get", 200),
        ("/admin/meetings/delegation/", "get", 200),
        (meeting_admin, "get", 200),
    ]


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_pages_under_another_language_show_no_english_sentence(client, pages, staff, language):
    sentences = english_sentences(language)
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    found = {}
    for url, method, status in pages:
        # The one POST: the panelist form sent blank (every field, empty), its errors shown.
        response = client.post(url, panelist_form()) if method == "post" else client.get(url)
        assert response.status_code == status, url
        assert BeautifulSoup(response.content, "html.parser").html["lang"] == language, url
        leaks = leaks_in(readable_texts(response.content), sentences)
        if leaks:
            found[url] = leaks
    assert not found, "\n".join(f"{url}: {leaks}" for url, leaks in found.items())


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_the_pages_of_the_signed_out_show_no_english_sentence(client, seeded, language):
    """The sign-in page, and the 403 a signed-in user without a role meets."""
    sentences = english_sentences(language)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert leaks_in(readable_texts(response.content), sentences) == []

    client.force_login(make_user())
    response = client.get("/meetings/new/")
    assert response.status_code == 403
    assert BeautifulSoup(response.content, "html.parser").html["lang"] == language
    assert leaks_in(readable_texts(response.content), sentences) == []


@pytest.mark.parametrize("language", ["fr", "pt"])
def test_the_exports_headings_are_in_the_language_asked(client, seeded, language):
    sentences = english_sentences(language)
    client.force_login(make_user(SECRETARIAT))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    markdown = client.get(f"/meetings/{SLUG}/report/?format=md").content.decode()
    headings = [
        line.lstrip("#").strip()
        for line in markdown.splitlines()
        if line.startswith("#") or line.startswith("|")
    ]
    cells = [cell.strip() for line in headings for cell in line.split("|")]
    assert leaks_in([*headings, *cells], sentences) == []

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/meetings/{SLUG}/report/?format=csv").content.decode("utf-8-sig")
            )
        )
    )
    assert leaks_in(rows[0], sentences) == [], rows[0]


@pytest.mark.parametrize("language", ["fr", "pt"])
def test_the_invitation_is_written_entirely_in_the_language(seeded, language):
    sentences = english_sentences(language)
    panelist = Meeting.objects.get(slug=SLUG).panelists.first()
    panelist.preferred_language = language
    panelist.email = "ana@example.org"
    for kind in (EmailKind.INVITATION, EmailKind.REMINDER):
        email = invitations.compose(panelist, kind)
        lines = [line.strip() for line in email.text.splitlines() if line.strip()]
        assert leaks_in([email.subject, *lines], sentences) == [], kind
        assert leaks_in(readable_texts(email.html), sentences) == [], kind


def test_staff_see_the_badge_and_the_public_the_english_title_marked_so(client, seeded):
    meeting = Meeting.objects.get(slug=SLUG)
    meeting.title_fr = ""
    meeting.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    soup = BeautifulSoup(client.get(f"/meetings/{SLUG}/").content, "html.parser")
    assert soup.h1.get_text(strip=True) == meeting.title_en
    assert soup.h1["lang"] == "en"
    assert not soup.select(".translation-badge")

    client.force_login(make_user(SECRETARIAT))
    soup = BeautifulSoup(client.get(f"/meetings/{SLUG}/").content, "html.parser")
    [badge] = soup.select(".translation-badge")
    assert "français" in badge.get_text().lower() or "french" in badge.get_text().lower()


def test_the_public_never_meets_an_empty_title_in_any_language(client, seeded):
    Meeting.objects.filter(slug=SLUG).update(title_es="", title_fr="", title_pt="")
    for language in ("es", "fr", "pt"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        soup = BeautifulSoup(client.get(f"/meetings/{SLUG}/").content, "html.parser")
        assert soup.h1.get_text(strip=True), language
        home = BeautifulSoup(client.get("/").content, "html.parser")
        link = home.find("a", href=f"/meetings/{SLUG}/")
        assert link.get_text(strip=True) and link["lang"] == "en", language


def test_every_seeded_content_field_is_filled_in_every_language(seeded):
    """Every *_es, *_fr and *_pt column the seeds fill in English is filled in the others."""
    empty = []
    for model in apps.get_models():
        fields = {field.name for field in model._meta.concrete_fields}
        translated = sorted(
            name[:-3] for name in fields if name.endswith("_en") and f"{name[:-3]}_pt" in fields
        )
        for obj in model.objects.all():
            for field in translated:
                if not getattr(obj, f"{field}_en"):
                    continue
                empty += [
                    f"{model._meta.label}:{obj.pk}.{field}_{code}"
                    for code in ("es", "fr", "pt")
                    if not getattr(obj, f"{field}_{code}")
                    and field != "concept_note"  # the note exists in English only
                ]
    assert empty == []


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
    email = invitations.compose(panelist, EmailKind.INVITATION)
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
