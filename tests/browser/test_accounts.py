"""A forgotten password reset through the emailed link, and a password changed from the header,
in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from meetings.roles import SECRETARIAT
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_user
from tests.worker import run_worker

pytestmark = pytest.mark.browser

NEW_PASSWORD = "the-new-one-is-longer-5678"
LINK = re.compile(r"https?://\S+/accounts/password/reset/\S+/\S+/")


@pytest.fixture
def site(live_server, transactional_db, settings):
    settings.SITE_URL = live_server.url  # the email's links lead to this server
    make_user(SECRETARIAT, username="secretary", email="secretary@example.org")
    return live_server


def sign_in_with(page, base_url: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    site, page, page_errors, mailoutbox
):
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.locator("#id_email").fill("secretary@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    run_worker()
    (message,) = mailoutbox
    page.goto(LINK.search(message.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    expect(page).to_have_url(re.compile(r"/set-password/$"))  # the token is out of the URL
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")

    page.locator("main").get_by_role("link", name="Sign in").click()
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator(".signed-in-as")).to_have_text("Signed in as secretary")
    assert page_errors == []


def test_a_password_is_changed_from_the_signed_in_header(site, page, page_errors):
    sign_in(page, site.url, "/")

    page.locator("header").get_by_role("button", name="Signed in as secretary").click()
    page.locator("header").get_by_role("link", name="Change password").click()
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.locator("main").get_by_role("button", name="Change password").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    expect(page.locator(".signed-in-as")).to_have_text("Signed in as secretary")  # still
    page.get_by_role("button", name="Signed in as secretary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in_with(page, site.url, PASSWORD)
    expect(page.locator("#sign-in-error")).to_be_visible()  # the old one no longer works
    sign_in_with(page, site.url, NEW_PASSWORD)
    expect(page.locator(".signed-in-as")).to_have_text("Signed in as secretary")
    assert page_errors == []
