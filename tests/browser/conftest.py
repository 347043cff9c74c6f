import io

import pytest
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
