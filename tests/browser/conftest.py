import io
import socket
import threading
import time

import pytest
import uvicorn
from django.core.management import call_command

PASSWORD = "a-long-test-password-1234"  # the factories' default


def sign_in(page, base_url: str, next_path: str, username: str = "secretary") -> None:
    """Through the real sign-in page, as a person would."""
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.locator("#id_username").fill(username)  # ids, not labels: any language
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")
    page.wait_for_load_state("load")  # htmx and our scripts are ready for keys


@pytest.fixture
def directory_site(live_server, transactional_db):
    """A live server with the seeded directory (the browser reads it from another thread)."""
    call_command("load_seeds", stdout=io.StringIO())
    return live_server


@pytest.fixture
def page_errors(page):
    """Console errors and CSP violations the page reports; a test asserts there are none."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def audit_page(browser):
    """axe-core is injected as a script: this page lets it in (the app's CSP would not)."""
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


class AsgiLiveServer:
    """config.asgi's application under uvicorn in a thread, as the events server runs it in
    production: the pages, live.json and the streams of server-sent events (which the WSGI
    live_server answers 404). It reads the test database through live_server's connection:
    an in-memory SQLite database is not shared by connections a thread would open itself.
    `stop` and `start` again (the same port) drop every stream, as a restart does."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.thread = None

    def start(self) -> None:
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        from config.asgi import application

        config = uvicorn.Config(
            ASGIStaticFilesHandler(application),
            host="127.0.0.1",
            port=self.port,
            lifespan="off",
            log_level="warning",
            timeout_graceful_shutdown=0.2,  # the streams never end by themselves
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        assert not self.thread.is_alive(), "uvicorn did not stop"


@pytest.fixture
def asgi_live_server(live_server, monkeypatch):
    from django.db import DEFAULT_DB_ALIAS, connections

    shared = connections[DEFAULT_DB_ALIAS]  # live_server has made it shareable across threads
    if shared.vendor == "sqlite" and shared.is_in_memory_db():
        original = connections.create_connection
        monkeypatch.setattr(
            connections,
            "create_connection",
            lambda alias: shared if alias == DEFAULT_DB_ALIAS else original(alias),
        )
    server = AsgiLiveServer()
    server.start()
    yield server
    server.stop()
