"""The summary form in a browser: the written answer and the notes beside the
box on a laptop, above it on a phone, never folded away; "Save and next" goes through the
entries in the record's order."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Round, Turn
from meetings.roles import SECRETARIAT
from meetings.services.answers import submit_answer
from meetings.services.panel import set_speaking_order
from meetings.services.revisions import save_text
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_meeting, make_panelist, make_user

pytestmark = pytest.mark.browser

ANSWER = "Our conference proposes a regional protocol on labour mobility. " * 40


@pytest.fixture
def summaries(live_server, transactional_db):
    clerk = make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="summaries")
    ana, luis = make_panelist(meeting, name="Ana Pérez"), make_panelist(meeting, name="Luis Gómez")
    round1, round2 = Round.objects.filter(meeting=meeting).order_by("number")
    set_speaking_order(round2, [luis.pk, ana.pk], by=clerk)
    submit_answer(ana, round1, ANSWER)
    first = Turn.objects.get(panelist=ana, round=round1)
    save_text(first, "notes", "Ana added figures for 2024.", base_version=0, by=clerk)
    order = [
        first,
        *(
            Turn.objects.get(panelist=p, round=r)
            for p, r in ((luis, round1), (luis, round2), (ana, round2))
        ),
    ]
    return live_server, [f"/meetings/summaries/report/turns/{t.pk}/summary/" for t in order]


def boxes(page):
    return (
        page.locator(".summary-answer").bounding_box(),
        page.locator("textarea#summary").bounding_box(),
    )


def test_the_answer_is_beside_the_box_at_1366_pixels(summaries, page, page_errors):
    server, paths = summaries
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, server.url, paths[0])
    expect(page.locator(".summary-answer")).to_contain_text("regional protocol")
    expect(page.locator(".summary-notes")).to_have_text("Ana added figures for 2024.")
    answer, box = boxes(page)
    assert answer["x"] + answer["width"] <= box["x"]  # side by side, the answer first
    assert abs(answer["y"] - box["y"]) < 60  # at the same height
    assert box["y"] + box["height"] < 768  # the box is in view without scrolling
    assert page.locator("details").count() == 0
    page.evaluate("window.scrollTo(0, 700)")  # a long answer scrolls; the box stays beside it
    assert page.evaluate("window.scrollY") >= 600
    expect(page.locator("textarea#summary")).to_be_in_viewport()
    assert page_errors == []


def test_the_answer_is_above_the_box_on_a_phone(summaries, page, page_errors):
    server, paths = summaries
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server.url, paths[0])
    expect(page.locator(".summary-answer")).to_be_visible()
    answer, box = boxes(page)
    assert answer["y"] + answer["height"] <= box["y"]  # stacked: read, then write
    assert box["width"] > 300  # the whole width of the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert page_errors == []


def test_save_and_next_goes_through_the_record_then_back_to_it(summaries, page, page_errors):
    server, paths = summaries
    sign_in(page, server.url, paths[0])
    for index in range(len(paths)):
        expect(page.locator(".summary-position")).to_have_text(
            f"Entry {index + 1} of 4 in the record"
        )
        page.locator("textarea#summary").fill(f"Summary number {index + 1}.")
        page.get_by_role("button", name="Save and next").click()
        if index + 1 < len(paths):
            page.wait_for_url(f"**{paths[index + 1]}")
            expect(page.get_by_role("status")).to_contain_text("is saved.")
    page.wait_for_url(re.compile(r"/meetings/summaries/report/#turn-\d+$"))
    for number in range(1, 5):
        expect(page.get_by_text(f"Summary number {number}.")).to_be_visible()
    assert page_errors == []
