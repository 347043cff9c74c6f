"""Every page costs the same number of queries for a panel of 10 and a panel of 200.

The meetings come from `make_demo_meeting` (run to the end, with answers, notes, summaries and
proposed coordination), so every part of every page has something to show.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.live import feed
from meetings.models import Meeting
from meetings.roles import SECRETARIAT
from meetings.services import floor, live_session
from meetings.services.links import issue_link, link_path
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIZES = (10, 200)

PAGES = [
    "/meetings/{slug}/",
    "/meetings/{slug}/calendar.ics",
    "/meetings/{slug}/live.json",
    "/meetings/{slug}/display/",
    "/meetings/{slug}/console/",
    "/meetings/{slug}/console/panels/",
    "/meetings/{slug}/report/",
    "/meetings/{slug}/report/?format=json",
    "/meetings/{slug}/report/?format=csv",
    "/meetings/{slug}/report/?format=md",
    "/meetings/{slug}/report/?format=docx",
    "/meetings/{slug}/edit/",
    "/meetings/{slug}/panel/",
    "/meetings/{slug}/order/",
    "{portal}",
    "{portal}speaker/",
]


def queries_for(client, path: str) -> int:
    client.get(path)  # the first asks once for what is cached later (content types...)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def test_every_page_costs_the_same_queries_for_10_and_200_panelists(client):
    call_command("load_seeds", stdout=io.StringIO())
    client.force_login(make_user(SECRETARIAT))
    counts: dict[str, list[int]] = {page: [] for page in PAGES}
    for size in SIZES:
        slug = f"queries-{size}"
        call_command("make_demo_meeting", slug=slug, panelists=size, stdout=io.StringIO())
        panelist = Meeting.objects.get(slug=slug).panelists.order_by("pk").last()
        issue_link(panelist)
        portal = link_path(panelist)
        for page in PAGES:
            counts[page].append(queries_for(client, page.format(slug=slug, portal=portal)))
    growing = {page: found for page, found in counts.items() if len(set(found)) != 1}
    assert growing == {}, f"queries for {SIZES} panelists: {growing}"


SCREENS = [
    "/meetings/{slug}/live.json",
    "/meetings/{slug}/live.json?lang=es",
    "/meetings/{slug}/display/",
    "{portal}speaker/",
]


def queries_building(client, path: str) -> int:
    """What a screen costs when its state is built afresh (nothing cached)."""
    client.get(path)
    cache.clear()
    feed.drop_process_copies()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def test_the_screens_cost_the_same_queries_for_3_and_30_requests_for_the_floor(client):
    call_command("load_seeds", stdout=io.StringIO())
    counts: dict[str, list[int]] = {screen: [] for screen in SCREENS}
    for size in (3, 30):
        slug = f"dialogue-{size}"
        call_command(
            "make_demo_meeting", slug=slug, panelists=3, dialogue=True, stdout=io.StringIO()
        )
        meeting = Meeting.objects.get(slug=slug)
        for delegation in meeting.delegations.order_by("code")[:size]:
            floor.request_floor(delegation)
        live_session.perform(meeting, "start", by=None)  # the first speaks, the others wait
        panelist = meeting.panelists.order_by("pk").last()
        issue_link(panelist)
        for screen in SCREENS:
            path = screen.format(slug=slug, portal=link_path(panelist))
            counts[screen].append(queries_building(client, path))
        assert client.get(f"/meetings/{slug}/live.json").json()["queue"] == size - 1
    growing = {screen: found for screen, found in counts.items() if len(set(found)) != 1}
    assert growing == {}, f"queries for 3 and 30 requests: {growing}"
