from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings

pytestmark = pytest.mark.django_db

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_there_is_a_catalogue_for_every_language_but_english():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {code for code, _name in settings.LANGUAGES} - {"en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_catalogues_are_complete(path):
    catalogue = polib.pofile(str(path))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_compiled_catalogues_match_their_sources(path):
    """The .mo files are committed, so a plain install needs no gettext tools."""
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(path))}
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(path.with_suffix(".mo")))
        if e.msgid
    }
    assert compiled == {key: value for key, value in source.items() if key[1]}


def test_the_browser_language_chooses_spanish(client, seeded):
    response = client.get("/mechanisms/", headers={"Accept-Language": "es-419,es;q=0.9"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == "es"
    assert soup.h1.get_text() == "Mecanismos y procesos migratorios de las Américas"
    assert "CRM" in [node.get_text() for node in soup.select(".mechanism-card .acronym")]


def test_switching_language_is_remembered_in_a_cookie(client, seeded):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/mechanisms/cam/"})
    assert response.status_code == 302
    assert response["Location"] == "/mechanisms/cam/"
    soup = BeautifulSoup(client.get("/mechanisms/cam/").content, "html.parser")
    assert "Comisión de Asuntos Migratorios" in soup.h1.get_text()
    assert soup.find("h2", string="Acerca del mecanismo")


def test_spanish_content_falls_back_to_english_when_a_translation_is_missing(client, seeded):
    from mechanisms.models import Mechanism

    Mechanism.objects.filter(slug="gcr").update(description_es="")
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    soup = BeautifulSoup(client.get("/mechanisms/gcr/").content, "html.parser")
    description = soup.select_one(".mechanism-description").get_text(strip=True)
    assert description == Mechanism.objects.get(slug="gcr").description_en.strip()
