"""A Secretariat member's htmx payload in a question does nothing when a superuser reads the
email previews (SECURITY.md, finding 1): no request leaves the page, the page stays where it is,
and the question is shown as the text it is."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_mechanism, make_meeting, make_panelist, make_user

pytestmark = pytest.mark.browser

QUESTION = (
    '<div data-hx-post="/admin/auth/user/1/delete/" data-hx-trigger="load" '
    'data-hx-vals=\'{"post": "yes"}\'>Which mechanisms coordinate?</div>'
    '<div hx-post="/admin/" hx-trigger="load">load</div>'
    '<img src="/static/favicon.svg?pwned" data-hx-get="/admin/" data-hx-trigger="load">'
    '<meta http-equiv="refresh" content="0;url=/?redirected=1">'
)


@pytest.fixture
def hostile_site(live_server, transactional_db):
    make_user(username="root", password=PASSWORD, is_staff=True, is_superuser=True)
    meeting = make_meeting(slug="hostile-question")
    round_ = meeting.rounds.get(number=1)
    round_.question_en = QUESTION
    round_.save()
    panelist = make_panelist(
        meeting, make_mechanism(acronym_en="RCM"), name="Ana Pérez", email="ana@example.org"
    )
    return live_server, meeting, panelist


def requests_while(page, made: list[str], action) -> list[str]:
    """The requests the page makes while the action runs and for two seconds after it."""
    start = len(made)
    action()
    page.wait_for_load_state("load")
    page.wait_for_timeout(2000)  # htmx's "load" triggers fire at once; a refresh at 0 s too
    return made[start:]


def assert_inert(page, made: list[str], url: str) -> None:
    assert [request for request in made if "/admin/" in request and "POST" in request] == []
    assert [request for request in made if "pwned" in request or "redirected" in request] == []
    assert [request for request in made if not request.startswith("GET")] == []
    assert page.url == url
    preview = page.locator("pre.email-preview")
    expect(preview).to_contain_text('<div hx-post="/admin/" hx-trigger="load">load</div>')
    assert preview.evaluate("element => element.children.length") == 0


def test_a_superuser_reading_the_previews_sends_nothing(hostile_site, page, page_errors):
    server, meeting, panelist = hostile_site
    made: list[str] = []
    page.on("request", lambda request: made.append(f"{request.method} {request.url}"))
    sign_in(page, server.url, "/meetings/", username="root")

    for path in (
        f"/meetings/{meeting.slug}/panel/{panelist.pk}/email/invitation/",
        f"/meetings/{meeting.slug}/panel/invite/",
    ):
        url = server.url + path
        assert_inert(page, requests_while(page, made, lambda url=url: page.goto(url)), url)

    page.goto(f"{server.url}/admin/meetings/panelist/")
    page.locator(f"input[name=_selected_action][value='{panelist.pk}']").check()
    page.locator("select[name=action]").select_option("send_invitation")
    changelist = page.url
    run = page.locator("button[name=index]").first
    step = requests_while(page, made, run.click)
    # The action's preview answers the changelist's POST; after it, nothing more is sent.
    assert_inert(page, step[step.index(f"POST {changelist}") + 1 :], changelist)
    assert page_errors == []
