"""Two entry points, as README's "Running in production" names them: config.wsgi:application
and config.asgi:application."""

import os
import subprocess
import sys

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings

from tests.asgi import http_get
from tests.event_loop import run_async

PRINT_CONNECTION_LIFETIME = (
    "import importlib, sys; importlib.import_module(sys.argv[1]); "
    "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
)


def import_entry_point(entry_point: str, **env) -> subprocess.CompletedProcess:
    """Import `entry_point` in a fresh interpreter, as a server would, and print CONN_MAX_AGE."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(  # noqa: S603 (the tests name the entry points)
        [sys.executable, "-c", PRINT_CONNECTION_LIFETIME, entry_point],
        cwd=settings.BASE_DIR,
        env={
            **clean,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://cam@127.0.0.1:5432/cam",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def database_connection_lifetime(entry_point: str, **env) -> str:
    result = import_entry_point(entry_point, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


async def get(application, path: str) -> tuple[int, dict[str, str], bytes]:
    communicator = ApplicationCommunicator(application, http_get(path))
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=20)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=20)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return start["status"], headers, body


@pytest.mark.django_db(transaction=True)
def test_the_asgi_application_serves_the_pages(monkeypatch):
    monkeypatch.setenv("DJANGO_DB_CONN_MAX_AGE", "")  # the import's default stays in this test
    from config.asgi import application

    status, headers, body = run_async(get(application, "/mechanisms/"))
    assert status == 200
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert b"<main" in body


def test_under_asgi_each_request_closes_its_database_connection():
    # ASGI runs a request's database work in a thread that ends with it: persistent
    # connections would be left open until PostgreSQL refuses new ones.
    assert database_connection_lifetime("config.asgi") == "0"
    assert database_connection_lifetime("config.wsgi") == "60"


def test_the_connection_lifetime_can_be_set_and_is_read_strictly():
    assert database_connection_lifetime("config.wsgi", DJANGO_DB_CONN_MAX_AGE="300") == "300"
    assert database_connection_lifetime("config.asgi", DJANGO_DB_CONN_MAX_AGE="30") == "30"
    refused = import_entry_point("config.asgi", DJANGO_DB_CONN_MAX_AGE="forever")
    assert refused.returncode != 0
    assert "DJANGO_DB_CONN_MAX_AGE must be a whole number" in refused.stderr
