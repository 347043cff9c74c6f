import io

import pytest
from django.core.management import call_command


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
