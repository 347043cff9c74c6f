import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from meetings.roles import SECRETARIAT

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


def fail_ten_times(client, **request):
    for _ in range(10):
        response = client.post(
            "/accounts/login/", {"username": "ana", "password": "wrong"}, **request
        )
        assert response.status_code == 200  # told the password is wrong, not refused yet


def sign_in_rightly(client, **request):
    """Ana signs in with her right password, from the address `request` says."""
    return client.post("/accounts/login/", {"username": "ana", "password": PASSWORD}, **request)


def test_ten_failed_sign_ins_lock_the_address_out_even_with_the_right_password(client, secretary):
    fail_ten_times(client)
    response = sign_in_rightly(client)
    assert response.status_code == 429
    assert "refused for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_may_still_sign_in(client, secretary):
    fail_ten_times(client)
    response = sign_in_rightly(client, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_the_admin_sign_in_is_the_same_throttled_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_behind_the_proxy_each_client_is_counted_apart(client, secretary):
    """The proxy on loopback is one address for everyone: the count follows X-Forwarded-For."""
    fail_ten_times(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = sign_in_rightly(
        client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert response.status_code == 302


def test_a_forwarded_address_written_by_the_client_itself_is_not_believed(client, secretary):
    # The client sends its own X-Forwarded-For; the proxy appends the address it saw.
    fail_ten_times(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    response = sign_in_rightly(
        client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.7"
    )
    assert response.status_code == 429


def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(client, secretary):
    fail_ten_times(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.1.1.1")
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
