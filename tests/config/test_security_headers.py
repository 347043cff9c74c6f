import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/mechanisms/", "/mechanisms/cam/", "/mechanisms/overlap/", "/accounts/login/"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, seeded, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert response.status_code == 200
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style_and_nothing_from_elsewhere(client, seeded, url):
    body = client.get(url).content.decode()
    nonce = client.get(url)["Content-Security-Policy"]  # a fresh nonce per response
    assert "style=" not in body
    assert "<style" not in body
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body
    assert nonce  # each response has its own


def test_scripts_carry_the_nonce_of_their_response(client, seeded):
    response = client.get("/mechanisms/")
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    assert body.count("<script") == body.count(f'nonce="{nonce}"') >= 2


def test_security_headers_are_sent(client, seeded):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https_when_behind_the_proxy(client, seeded, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/mechanisms/").status_code == 301
    secure = client.get("/mechanisms/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
