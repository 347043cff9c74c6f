"""What a signed-in console sends, for load clients that speak raw HTTP: a session cookie
made the way Django's test client signs in, and a CSRF cookie with its matching header."""

import asyncio
import re
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import get_random_string

from tests.benchmark.client import Connection, ProtocolError


def console_headers(user) -> dict[str, str]:
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    csrf = get_random_string(32)  # a CSRF secret: the cookie and the header must match
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
        # As htmx sends them: the console answers with its panels alone (a form sent without
        # JavaScript gets the whole page back, which these servers' uncollected static files
        # cannot render).
        "HX-Request": "true",
    }


def form(fields: dict[str, str], headers: dict[str, str]) -> dict:
    """Keyword arguments for Connection.request: a form POST with the console's headers."""
    return {
        "headers": {**headers, "Content-Type": "application/x-www-form-urlencoded"},
        "body": urlencode(fields).encode("ascii"),
    }


PANELS_VERSION = re.compile(rb'id="console-panels" data-version="(\d+)"')


class HttpConsole:
    """A console over raw HTTP, acting as the browser's console does: each action carries the
    live version the console last saw, so that sending it again can never apply it twice.
    After a failure (a dropped connection, a 5xx) it reloads its panels and sends the action
    again only when the version shows it did not land."""

    def __init__(self, host: str, port: int, slug: str, headers: dict[str, str]) -> None:
        self.connection = Connection(host, port)
        self.base = f"/meetings/{slug}/console/"
        self.headers = headers
        self.version: int | None = None
        self.failures = 0  # attempts that failed (and were retried)

    async def reload(self) -> int:
        while True:
            try:
                answer = await self.connection.request(
                    "GET", self.base + "panels/", headers=self.headers
                )
            except (OSError, ProtocolError, asyncio.IncompleteReadError):
                answer = None
            if answer is not None and answer.status == 200:
                self.version = version_in(answer.body)
                return self.version
            self.failures += 1
            await asyncio.sleep(0.2)

    async def act(self, action: str, **fields: str) -> bool:
        """True when the action landed; False when the server refused it (not possible now)."""
        if self.version is None:
            await self.reload()
        seen = self.version
        while True:
            try:
                answer = await self.connection.request(
                    "POST",
                    self.base + "action/",
                    **form({"action": action, "version": str(seen), **fields}, self.headers),
                )
            except (OSError, ProtocolError, asyncio.IncompleteReadError):
                answer = None
            if answer is not None and answer.status == 200:
                self.version = version_in(answer.body)
                return self.version != seen
            self.failures += 1
            if await self.reload() != seen:
                return True  # it landed before the failure
            await asyncio.sleep(0.1)

    async def close(self) -> None:
        await self.connection.close()


def version_in(panels: bytes) -> int:
    found = PANELS_VERSION.search(panels)
    if found is None:
        raise ProtocolError("no live version in the console's panels")
    return int(found.group(1))
