"""The timing chart, parsed back as XML: a bar per turn given, typed acronyms escaped."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import translation

from meetings.outputs.record import build_record
from meetings.outputs.timing_chart import timing_svg
from meetings.services import live_session
from tests.factories import before_the_session, make_mechanism, make_meeting, make_panelist
from tests.meetings.outputs.rich_record import rich_record

pytestmark = pytest.mark.django_db


SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> dict[str, list]:
    root = ET.fromstring(svg)  # noqa: S314  (our own output, parsed to check it)
    rects = root.findall(f"{SVG}rect")
    return {
        "allotted": [r for r in rects if r.get("stroke-dasharray")],
        "used": [r for r in rects if r.get("fill") == "#146c43"],
        "overtime": [r for r in rects if r.get("fill") == "#b02a37"],
        "labels": [t.text for t in root.findall(f"{SVG}text")],
    }


def test_the_chart_has_a_bar_per_turn_given(small):
    svg = timing_svg(build_record(small["meeting"], internal=False))
    found = bars(svg)
    assert (len(found["allotted"]), len(found["used"]), len(found["overtime"])) == (3, 3, 2)
    assert found["labels"][:6] == [
        "R1 · RCM",
        "6:40 / 7:00",
        "R1 · CSM",
        "8:20 / 8:00",
        "R2 · RCM",
        "7:30 / 7:00",
    ]
    # Luis's 500 s used are the longest bar (520 px): 480 s allotted, 20 s over it in red.
    luis_allotted, luis_used, luis_over = (
        found["allotted"][1],
        found["used"][1],
        found["overtime"][0],
    )
    assert (luis_allotted.get("width"), luis_used.get("width")) == ("499.2", "499.2")
    assert (luis_over.get("x"), luis_over.get("width")) == ("689.2", "20.8")


def test_the_chart_of_the_demo_meeting_has_twelve_bars(demo):
    found = bars(timing_svg(build_record(demo, internal=False)))
    assert len(found["used"]) == 12 and len(found["allotted"]) == 12


def test_the_chart_escapes_an_acronym(small):
    record = build_record(small["meeting"], internal=False)
    record["mechanisms"][0]["acronym"] = "<b>&"
    svg = timing_svg(record)
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert bars(svg)["labels"][0] == "R1 · <b>&"


def test_the_chart_escapes_an_acronym_from_the_directory(db):
    meeting = make_meeting()
    make_panelist(meeting, make_mechanism(acronym_en="<b>"))
    before_the_session(meeting)
    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next", by=None)
    svg = timing_svg(build_record(meeting, internal=False))
    assert bars(svg)["labels"][0] == "R1 · <b>"


def test_no_chart_when_nobody_spoke(db):
    meeting = make_meeting()
    make_panelist(meeting)
    assert timing_svg(build_record(meeting, internal=False)) == ""


def test_the_chart_of_a_record_with_every_part_is_as_expected():
    """Quotes in an acronym come out as entities; the bars, figures and labels as before."""
    for language in ("en", "fr"):
        with translation.override(language):
            svg = timing_svg({**rich_record(), "language": language})
        expected = Path(__file__).parent / "expected" / f"chart.{language}.svg"
        assert svg == expected.read_text(encoding="utf-8")
    assert bars(svg)["labels"][2] == "T1 · C_S_M \"q\" 'a'"


def test_the_chart_gives_the_interventions_after_the_panels_turns(whole):
    found = bars(timing_svg(build_record(whole["meeting"], internal=False)))
    assert found["labels"][::2][:-1] == [
        "R1 · RCM",
        "R1 · CSM",
        "1 · Chair of the…",
        "2 · ES",
        "3 · MX",
        "3 · IOM",
        "5 · Chair of the…",
    ]
    assert len(found["used"]) == 7 and len(found["overtime"]) == 2  # Tomás and the IOM
