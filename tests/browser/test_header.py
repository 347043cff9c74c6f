"""The signed-in header holds one line on a 1366-pixel laptop screen, in every language."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_the_signed_in_header_holds_one_line_at_1366_pixels(
    live_server, transactional_db, page, language
):
    make_user(username="administrator", password=PASSWORD, is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    sign_in(page, live_server.url, "/", username="administrator")

    navbar = page.locator("header .navbar")
    tops = {
        round(box["y"])
        for box in (
            page.locator(selector).bounding_box()
            for selector in (
                "header .navbar-brand",
                "header .navbar-nav",
                "header .language-switcher",
                "header .account-menu",
            )
        )
    }
    assert navbar.bounding_box()["height"] < 70  # one line (two lines were 104 px)
    assert max(tops) - min(tops) < 20

    account = page.locator("header .account-menu")
    account.get_by_role("button").click()  # who is signed in, outbox, password, sign out
    expect(account.locator(".signed-in-as")).to_be_visible()
    expect(account.get_by_role("link")).to_have_count(2)
    expect(
        account.get_by_role("link", name=re.compile("Outbox|Bandeja|Boîte|Caixa"))
    ).to_be_visible()
    expect(account.locator("button[type=submit]")).to_be_visible()
