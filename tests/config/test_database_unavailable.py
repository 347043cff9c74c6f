"""The database away for a moment: a friendly 503 (JSON for the live feed), never a 500."""

from contextlib import contextmanager

import pytest
from django.db import connection

from tests.factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_away():
    """Point the connection at a database that does not exist, for real, then back."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/cam.sqlite3"
    else:
        connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def test_a_page_says_back_in_a_moment(client):
    with database_away():
        response = client.get("/mechanisms/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()


def test_the_page_is_in_the_reader_s_language_and_says_which(client):
    with database_away():
        response = client.get("/mechanisms/", headers={"Accept-Language": "es"})
    assert response.status_code == 503
    body = response.content.decode()
    assert '<html lang="es">' in body
    assert "Volvemos en un momento" in body


def test_the_live_feed_answers_json_the_displays_understand_and_comes_back(client):
    url = f"/meetings/{make_meeting().slug}/live.json"
    with database_away():
        response = client.get(url)
    assert response.status_code == 503
    assert response.json() == {"error": "database unavailable"}
    assert client.get(url).status_code == 200
