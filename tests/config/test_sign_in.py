import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.test import Client

from config.common.throttle import ACCOUNT_LIMIT, ADDRESS_FAILURES, DEVICE_COOKIE
from meetings.roles import SECRETARIAT
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password-1234"


@pytest.fixture
def secretary():
    user = get_user_model().objects.create_user(username="ana", password=PASSWORD)
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


def test_sign_in_page_is_styled_with_crispy_fields(client):
    soup = BeautifulSoup(client.get("/accounts/login/").content, "html.parser")
    assert soup.find("input", {"name": "username", "class": "form-control"})
    assert soup.find("label", {"for": "id_password"})


def test_signing_in_leads_back_to_the_page_asked_for(client, secretary):
    response = client.post(
        "/accounts/login/", {"username": "ana", "password": PASSWORD, "next": "/mechanisms/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mechanisms/"
    page = client.get("/mechanisms/").content.decode()
    assert "Signed in as ana" in page


def test_a_wrong_password_says_so_and_keeps_the_username(client, secretary):
    response = client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in soup.get_text()
    assert soup.find("input", {"name": "username"})["value"] == "ana"


def test_signing_out_is_a_post(client, secretary):
    client.force_login(secretary)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "Sign in" in client.get("/").content.decode()


def test_an_open_redirect_after_sign_in_is_refused(client, secretary):
    response = client.post(
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def fail_ten_times(client, username="ana", **request):
    for _ in range(ACCOUNT_LIMIT):
        response = client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, **request
        )
        assert response.status_code == 200  # told the password is wrong, not refused yet


def fail_from_one_address(client, **request):
    """As many failures as an address may make, each on another account (none is Ana's)."""
    for number in range(ADDRESS_FAILURES.limit):
        response = client.post(
            "/accounts/login/", {"username": f"guess{number}", "password": "wrong"}, **request
        )
        assert response.status_code == 200


def sign_in_rightly(client, **request):
    """Ana signs in with her right password, from the address `request` says."""
    return client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}, **request)


def test_ten_failed_sign_ins_refuse_the_account_even_with_the_right_password(client, secretary):
    fail_ten_times(client, REMOTE_ADDR="198.51.100.1")

    response = sign_in_rightly(client, REMOTE_ADDR="203.0.113.9")  # from anywhere

    assert response.status_code == 429
    assert "refused for 15 minutes" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session


def test_the_account_limit_holds_whatever_the_case_of_the_name(client, secretary):
    for username in ["ANA", "Ana", " ana", "ａｎａ"] * 3:  # full-width letters fold to ana
        client.post("/accounts/login/", {"username": username, "password": "wrong"})

    assert sign_in_rightly(client).status_code == 429


def test_a_hundred_guesses_from_rotating_addresses_get_ten_password_checks(client, secretary):
    """The attack the address limit alone let through: one guess per address."""
    checked = []

    def count_check(**kwargs):
        checked.append(kwargs["credentials"]["username"])

    user_login_failed.connect(count_check)
    try:
        statuses = [
            client.post(
                "/accounts/login/",
                {"username": "ana", "password": f"guess-{number}"},
                REMOTE_ADDR=f"10.{number // 250}.{number % 250}.1",
            ).status_code
            for number in range(100)
        ]
    finally:
        user_login_failed.disconnect(count_check)

    assert len(checked) == ACCOUNT_LIMIT == 10
    assert statuses == [200] * 10 + [429] * 90


def test_a_guesser_cannot_lock_ana_out_of_the_browser_she_signed_in_from(secretary):
    anas_browser, guesser = Client(), Client()
    assert sign_in_rightly(anas_browser).status_code == 302
    anas_browser.post("/accounts/logout/")
    fail_ten_times(guesser, REMOTE_ADDR="203.0.113.66")

    assert sign_in_rightly(anas_browser).status_code == 302
    assert sign_in_rightly(Client()).status_code == 429  # a browser she never used


def test_the_device_cookie_is_signed_http_only_and_sent_only_to_the_accounts_pages(
    client, secretary
):
    cookie = sign_in_rightly(client).cookies[DEVICE_COOKIE]

    assert cookie["httponly"]
    assert cookie["path"] == "/accounts/"
    assert cookie["samesite"] == "Lax"
    assert "ana" not in cookie.value  # the account is named by a keyed digest


def test_a_device_cookie_from_another_account_or_forged_lifts_nothing(client, secretary):
    make_user(username="mallory", password=PASSWORD)
    client.post("/accounts/login/", {"username": "mallory", "password": PASSWORD})
    client.post("/accounts/logout/")
    fail_ten_times(client)  # on Ana's account, with Mallory's device cookie
    assert sign_in_rightly(client).status_code == 429

    client.cookies[DEVICE_COOKIE] = "forged:cookie"
    assert sign_in_rightly(client).status_code == 429


def test_a_trusted_browser_that_keeps_failing_is_refused_in_the_end(client, secretary):
    sign_in_rightly(client)
    client.post("/accounts/logout/")
    fail_ten_times(client)  # its own allowance (the account's count is untouched)
    fail_ten_times(client)  # then held to the account's limit like any browser

    assert sign_in_rightly(client).status_code == 429


def test_many_accounts_tried_from_one_address_refuse_the_address(client, secretary):
    fail_from_one_address(client)

    response = sign_in_rightly(client)

    assert response.status_code == 429
    assert "Too many failed sign-ins came from your address" in response.content.decode()
    assert sign_in_rightly(client, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_addresses_in_one_ipv6_64_are_one_address(client, secretary):
    for number in range(ADDRESS_FAILURES.limit):
        client.post(
            "/accounts/login/",
            {"username": f"guess{number}", "password": "wrong"},
            REMOTE_ADDR=f"2001:db8:1:2::{number:x}",
        )

    assert sign_in_rightly(client, REMOTE_ADDR="2001:db8:1:2:ffff::1").status_code == 429
    assert sign_in_rightly(client, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_the_admin_sign_in_is_the_same_throttled_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_behind_the_proxy_each_client_is_counted_apart(client, secretary):
    """The proxy on loopback is one address for everyone: the count follows X-Forwarded-For."""
    fail_from_one_address(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = sign_in_rightly(
        client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert response.status_code == 302


def test_a_forwarded_address_written_by_the_client_itself_is_not_believed(client, secretary):
    # The client sends its own X-Forwarded-For; the proxy appends the address it saw.
    fail_from_one_address(
        client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7"
    )
    response = sign_in_rightly(
        client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.7"
    )
    assert response.status_code == 429


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(client, secretary):
    fail_from_one_address(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
    response = sign_in_rightly(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert response.status_code == 429


def test_with_the_cache_away_signing_in_still_works(client, secretary, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    assert client.post("/accounts/login/", {"username": "ana", "password": "x"}).status_code == 200
    response = sign_in_rightly(client)
    assert response.status_code == 302


def test_with_the_cache_away_each_process_still_counts(client, secretary, settings):
    """Redis away: failing open would let a guesser try without end; each process counts."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    fail_ten_times(client)

    assert sign_in_rightly(client).status_code == 429
    make_user(username="bea", password=PASSWORD)
    other = client.post(
        "/accounts/login/", {"username": "bea", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 302
