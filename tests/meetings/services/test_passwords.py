"""A forgotten password reset by email (end to end, through the email's link), one's own
password changed; both throttled like sign-in."""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from config.common.throttle import ACCOUNT_LIMIT, ADDRESS_FAILURES
from meetings.services.passwords import EMAIL_LIMIT
from tests.factories import make_user
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1234"
NEW_PASSWORD = "the-new-one-is-longer-5678"
LINK = re.compile(r"https?://\S+/accounts/password/reset/\S+/\S+/")


@pytest.fixture
def ana():
    return make_user(username="ana", password=PASSWORD, email="ana@example.org")


def ask_for_a_link(client, email="ana@example.org", **request):
    """Ask for the email, and let the worker send what the request queued."""
    response = client.post("/accounts/password/reset/", {"email": email}, **request)
    run_worker()
    return response


def emailed_link(mailoutbox) -> str:
    (message,) = mailoutbox
    return LINK.search(message.body).group(0)


def choose_new_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the email's link, then post the new password on the form it leads to."""
    form_page = client.get(urlsplit(link).path)
    assert form_page.status_code == 302  # the token moves into the session, out of the URL
    assert client.get(form_page["Location"]).status_code == 200
    return client.post(
        form_page["Location"], {"new_password1": password, "new_password2": password}
    )


def sign_in(client, password: str):
    return client.post("/accounts/login/", {"username": "ana", "password": password})


def test_the_sign_in_page_links_to_the_reset(client):
    soup = BeautifulSoup(client.get("/accounts/login/").content, "html.parser")
    assert soup.find("a", href="/accounts/password/reset/")


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, ana, mailoutbox):
    page = BeautifulSoup(client.get("/accounts/password/reset/").content, "html.parser")
    assert page.find("input", {"name": "email", "class": "form-control"})  # crispy, styled

    response = ask_for_a_link(client)

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert "Check your email" in client.get(response["Location"]).content.decode()
    assert mailoutbox[0].to == ["ana@example.org"]
    assert mailoutbox[0].subject == "Reset your password for CAM meetings"
    assert "Hello ana," in mailoutbox[0].body
    done = choose_new_password(Client(), emailed_link(mailoutbox))
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert sign_in(Client(), PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(Client(), NEW_PASSWORD).status_code == 302


def test_the_link_is_built_from_the_site_url_never_from_the_host_header(
    client, ana, mailoutbox, settings
):
    settings.SITE_URL = "https://cam.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # even where any Host is let through

    ask_for_a_link(client, HTTP_HOST="attacker.example")

    assert emailed_link(mailoutbox).startswith("https://cam.example.org/accounts/password/reset/")
    assert "attacker.example" not in mailoutbox[0].body


def test_the_link_works_once(client, ana, mailoutbox):
    ask_for_a_link(client)
    link = emailed_link(mailoutbox)
    choose_new_password(Client(), link)

    again = Client().get(urlsplit(link).path)

    assert again.status_code == 200
    assert "This link no longer works" in again.content.decode()


def test_a_weak_new_password_is_refused_with_the_reason(client, ana, mailoutbox):
    ask_for_a_link(client)

    response = choose_new_password(Client(), emailed_link(mailoutbox), password="12345678")

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert sign_in(Client(), PASSWORD).status_code == 302


def test_an_address_no_account_uses_gets_the_same_page_and_no_email(client, ana, mailoutbox):
    response = ask_for_a_link(client, email="nobody@example.org")

    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mailoutbox == []


def test_inactive_accounts_and_accounts_without_a_password_get_no_email(client, mailoutbox):
    make_user(username="gone", email="gone@example.org", is_active=False)
    imported = make_user(username="imported", email="imported@example.org")
    imported.set_unusable_password()
    imported.save()

    ask_for_a_link(client, email="gone@example.org")
    ask_for_a_link(client, email="imported@example.org")

    assert mailoutbox == []


def test_reset_requests_for_one_email_address_are_limited_from_any_address(client, ana, mailoutbox):
    for number in range(EMAIL_LIMIT):
        ask_for_a_link(client, REMOTE_ADDR=f"10.0.{number}.1")

    refused = ask_for_a_link(client, email="ANA@example.org", REMOTE_ADDR="10.9.9.9")

    assert len(mailoutbox) == EMAIL_LIMIT
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "Too many password resets were asked for" in refused.content.decode()


def test_reset_requests_from_one_address_are_limited(client, mailoutbox):
    for number in range(ADDRESS_FAILURES.limit):
        ask_for_a_link(client, email=f"someone{number}@example.org")

    assert ask_for_a_link(client, email="other@example.org").status_code == 429


def test_broken_reset_links_count_as_failed_sign_ins_from_the_address(client, ana):
    for number in range(ADDRESS_FAILURES.limit):
        response = client.get(f"/accounts/password/reset/MQ/guess-{number}/")
        assert "This link no longer works" in response.content.decode()

    refused = client.get("/accounts/password/reset/MQ/one-more/")

    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
    assert sign_in(client, PASSWORD).status_code == 429  # the same count as sign-in's


def test_a_reset_lets_the_owner_in_although_a_guesser_locked_the_account(ana, mailoutbox):
    guesser = Client()
    for _ in range(ACCOUNT_LIMIT):
        guesser.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    anas_browser = Client()
    assert sign_in(anas_browser, PASSWORD).status_code == 429

    ask_for_a_link(anas_browser, REMOTE_ADDR="198.51.100.5")
    choose_new_password(anas_browser, emailed_link(mailoutbox))

    assert sign_in(anas_browser, NEW_PASSWORD).status_code == 302


def test_the_reset_page_is_in_the_reader_s_language(client):
    page = client.get("/accounts/password/reset/", headers={"Accept-Language": "es"})
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.html["lang"] == "es"
    assert soup.find("label", {"for": "id_email"}).get_text(strip=True).startswith("Correo")


# Changing one's own password -----------------------------------------------------------------


def change(client, old: str, new: str = NEW_PASSWORD):
    return client.post(
        "/accounts/password/change/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_the_signed_in_header_links_to_changing_the_password(client, ana):
    client.force_login(ana)
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert soup.select_one("header a[href='/accounts/password/change/']")


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(client, ana):
    sign_in(client, PASSWORD)
    form = BeautifulSoup(client.get("/accounts/password/change/").content, "html.parser")
    assert form.find("input", {"name": "old_password", "class": "form-control"})

    response = change(client, PASSWORD)

    assert response["Location"] == "/accounts/password/change/done/"
    assert client.get(response["Location"]).status_code == 200  # still signed in
    assert get_user_model().objects.get(username="ana").check_password(NEW_PASSWORD)
    assert sign_in(Client(), NEW_PASSWORD).status_code == 302


def test_changing_the_password_signs_out_other_browsers(client, ana):
    other = Client()
    sign_in(other, PASSWORD)
    sign_in(client, PASSWORD)

    change(client, PASSWORD)

    assert other.get("/accounts/password/change/").status_code == 302  # to sign-in


def test_a_wrong_current_password_counts_as_a_failed_sign_in(client, ana):
    client.force_login(ana)
    for _ in range(ACCOUNT_LIMIT):
        assert change(client, "wrong").status_code == 200

    refused = change(client, PASSWORD)

    assert refused.status_code == 429
    assert refused.has_header("Retry-After")
    assert get_user_model().objects.get(username="ana").check_password(PASSWORD)


def test_the_admin_s_password_change_is_the_same_throttled_page(client, ana):
    client.force_login(ana)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/"
