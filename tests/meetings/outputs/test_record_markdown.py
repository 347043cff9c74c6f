"""The record as Markdown: its outline, every typed text escaped exactly where CommonMark would
read markup, and the same plain text when a CommonMark parser renders it."""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.utils import translation

from meetings.outputs.record import build_record, panel_mechanisms
from meetings.outputs.record_markdown import md, to_markdown
from meetings.services.revisions import save_text
from tests.factories import make_mechanism, make_meeting, make_panelist
from tests.meetings.outputs.read_back import SECTIONS, published_record
from tests.meetings.outputs.rich_record import rich_record
from tests.meetings.outputs.test_record import turn_of

pytestmark = pytest.mark.django_db


def test_markdown_has_a_heading_per_round_and_per_mechanism(demo):
    record = build_record(demo, internal=False)
    text = to_markdown(record)
    lines = text.splitlines()
    assert lines[0] == f"# {md(record['meeting']['title'])}"
    assert lines[0] == "# Demo thematic meeting (6 panelists)"
    assert [line for line in lines if line.startswith("## ")] == [f"## {s}" for s in SECTIONS]
    third_level = [line for line in lines if line.startswith("### ")]
    assert third_level == [
        f"### {md(mechanism['acronym'])} — Panelist {index}"
        for _round in (1, 2)
        for index, mechanism in enumerate(panel_mechanisms(record), start=1)
    ] + ["### Time per round", "### Time per speaker"]
    assert "### Quito Process — Panelist 6" in third_level
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            assert md(entry["answer"]) in text and md(entry["summary"]) in text


def test_markdown_of_the_small_meeting(small):
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert text.startswith(
        "# Small thematic meeting\n\n"
        "**Record of the meeting** · May 17, 2030, 10:00–13:00 (America/New_York)\n\n"
        "Document: CIDRP00001E01\n\n"
        "## Agenda\n\n"
        "| Round | Position | Speaker | Planned |\n"
        "|---|---|---|---|\n"
        "| 1 | 1 | RCM — Ana Pérez | 10:10–10:17 |\n"
        "| 1 | 2 | CSM — Luis Gómez | 10:17–10:24 |\n"
        "| 2 | 1 | RCM — Ana Pérez | 10:24–10:31 |\n"
        "| 2 | 2 | CSM — Luis Gómez | 10:32–10:39 |\n\n"
        "## Round 1\n\n"
        "*Question 1?*\n\n"
        "### RCM — Ana Pérez\n\n"
        "**Written answer**\n\n"
        "RCM answer to question 1.\n\n"
        "**Summary**\n\n"
        "Ana: regional work.\n\n"
        "Proposes to coordinate with: CSM\n\n"
        "Time used: 6:40 of 7:00 · Spoke\n\n"
        "### CSM — Luis Gómez\n\n"
        "**Written answer**\n\n"
        "CSM answer to question 1.  \nSecond line.\n\n"  # lines kept: a hard break
    )
    assert "Time used: 8:20 of 8:00 · Spoke" in text
    assert "Eva Ruiz" not in text  # declined: in no round, and not in the public attendance
    assert text[text.index("## Coordination") :].startswith(
        "## Coordination\n\n"
        "How many answers of each mechanism (rows) propose to coordinate with each other "
        "mechanism (columns).\n\n"
        "| Proposed by ↓ / with → | RCM | CSM |\n"
        "|---|---|---|\n"
        "| RCM | 0 | 2 |\n"
        "| CSM | 1 | 0 |\n\n"
        "- **RCM**: proposes CSM; proposed by CSM\n"
        "- **CSM**: proposes RCM; proposed by RCM\n\n"
        "## Timing\n\n"
        "### Time per round\n\n"
        "| Round | Speakers | Planned | Actual | Allotted | Used | Overtime |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 1 | 2 | 10:10–10:24 | 10:10–10:25 | 15:00 | 15:00 | 0:20 |\n"
        "| 2 | 1 | 10:24–10:39 | 10:26–10:35 | 7:00 | 7:30 | 0:30 |\n"
        "| Meeting | 3 | 10:10–10:39 | 10:10–10:35 | 22:00 | 22:30 | 0:50 |\n\n"
        "### Time per speaker\n\n"
        "| Round | Speaker | Planned | Actual | Allotted | Used | Overtime |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 1 | RCM — Ana Pérez | 10:10–10:17 | 10:10–10:16 | 7:00 | 6:40 | 0:00 |\n"
        "| 1 | CSM — Luis Gómez | 10:17–10:24 | 10:17–10:25 | 8:00 | 8:20 | 0:20 |\n"
        "| 2 | RCM — Ana Pérez | 10:24–10:31 | 10:26–10:35 | 7:00 | 7:30 | 0:30 |\n"
        "| 2 | CSM — Luis Gómez | 10:32–10:39 | — | 7:00 | 0:00 | 0:00 |\n\n"
        "## Attendance\n\n"
        "| Mechanism | Panelist | Reply to the invitation | Spoke |\n"
        "|---|---|---|---|\n"
        "| RCM | Ana Pérez | Confirmed | yes |\n"
        "| CSM | Luis Gómez | Confirmed | yes |\n"
    )
    assert "Notes" not in text and "Ana spoke fast" not in text


def test_markdown_says_who_published_and_when_in_the_meetings_time_zone(small):
    text = to_markdown(published_record(small["meeting"]))
    assert "\n\nPublished May 18, 2030, 11:30 by Sam Clerk.\n\n" in text
    assert "2030-05-18" not in text and "15:30" not in text


def test_markdown_in_french_writes_dates_as_french_does(small):
    record = published_record(small["meeting"], "fr")
    with translation.override("fr"):
        text = to_markdown(record)
    assert "· 17 mai 2030, 10:00–13:00 (America/New_York)" in text
    assert "Publié le 18 mai 2030, 11:30 par Sam Clerk." in text
    assert "2030-05" not in text


def test_markdown_has_the_notes_only_when_internal(small):
    text = to_markdown(build_record(small["meeting"], internal=True))
    assert "**Notes (internal)**\n\nInternal: Ana spoke fast.\n\n" in text


def test_markdown_escapes_what_the_user_typed(small):
    turn = turn_of(small["ana"], 1)
    save_text(turn, "summary", "**bold** <script>", base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert "**Summary**\n\n\\*\\*bold\\*\\* \\<script>\n\n" in text
    assert "**bold**" not in text
    assert "<script>" not in text.replace("\\<script>", "")


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("# Not a heading", "\\# Not a heading"),
        ("[a link](javascript:alert(1))", "\\[a link\\](javascript:alert(1))"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "\\> not a quote"),
        ("`code` and _under_ | pipe", "\\`code\\` and \\_under\\_ \\| pipe"),
        ("![img](x.png)", "!\\[img\\](x.png)"),
        ("1. not numbered", "1\\. not numbered"),
        ("+ not a list", "\\+ not a list"),
        ("&amp; not an entity", "\\&amp; not an entity"),
    ],
)
def test_markdown_escapes_every_kind_of_markup(small, typed, escaped):
    save_text(turn_of(small["ana"], 1), "summary", typed, base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert f"**Summary**\n\n{escaped}\n\n" in text


def test_markdown_does_not_let_user_text_underline_itself_into_a_heading(small):
    save_text(turn_of(small["ana"], 1), "summary", "Not a heading\n===", base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert "===" not in text.splitlines()


def test_markdown_escapes_the_meeting_and_mechanism_names(db):
    meeting = make_meeting(title_en="A *title* <b>")
    mechanism = make_mechanism(acronym_en="M_1", name_en="[Name]")
    make_panelist(meeting, mechanism, name="Ana *Pérez*")
    text = to_markdown(build_record(meeting, internal=False))
    assert text.startswith("# A \\*title\\* \\<b>\n")
    assert "### M_1 — Ana \\*Pérez\\*\n" in text


@pytest.mark.parametrize(
    "typed",
    [
        "Dr. Michael Dubois-Martin (CSM), 2026-05-17",
        "Coordination with R4V + MIRPS = 2 mechanisms! {a} 3.5 # 4",
        "snake_case_name and 10:00–11:00 at the O.A.S.",
    ],
)
def test_markdown_escapes_only_where_commonmark_reads_markup(small, typed):
    save_text(turn_of(small["ana"], 1), "summary", typed, base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert f"**Summary**\n\n{typed}\n\n" in text  # no needless backslash


def rendered_markdown(text: str):
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    return BeautifulSoup(html, "html.parser")


def test_the_markdown_renders_its_outline_and_tables(demo):
    record = build_record(demo, internal=False)
    page = rendered_markdown(to_markdown(record))
    assert [h.get_text() for h in page.find_all("h1")] == [record["meeting"]["title"]]
    assert [h.get_text() for h in page.find_all("h2")] == SECTIONS
    headers = [[th.get_text() for th in table.select("thead th")] for table in page("table")]
    assert ["Round", "Position", "Speaker", "Planned"] in headers
    rows = sum(len(table.select("tbody tr")) for table in page("table"))
    assert rows >= 2 * len(panel_mechanisms(record))  # the run of show alone has a row per turn


@pytest.mark.parametrize(
    "typed",
    [
        "**bold** <script>alert(1)</script>",
        "# Not a heading",
        "[a link](javascript:alert(1)) and ![img](x.png)",
        "- not a list\n> not a quote\n1. not numbered",
        "`code` _under_ | pipe ~~struck~~ &amp; 3 < 4",
        "Dr. Dubois-Martin: 1. first\n2) second\n+ third\n***",
        "Not a heading\n===",
    ],
)
def test_what_the_user_typed_renders_as_the_same_plain_text(small, typed):
    save_text(turn_of(small["ana"], 1), "summary", typed, base_version=1, by=None)
    page = rendered_markdown(to_markdown(build_record(small["meeting"], internal=False)))
    label = page.find("strong", string="Summary")
    paragraph = label.find_parent("p").find_next_sibling("p")
    assert paragraph.get_text() == typed  # every character as typed, nothing interpreted
    assert not paragraph.find(["a", "img", "script", "strong", "em", "code", "h1", "ul", "ol"])


# The whole file, pinned to the byte ------------------------------------------------------------

EXPECTED = Path(__file__).parent / "expected"


@pytest.mark.parametrize(
    ("language", "internal"),
    [("en", False), ("en", True), ("es", True), ("fr", True), ("pt", True)],
)
def test_markdown_of_a_record_with_every_part_and_every_markup_is_as_expected(language, internal):
    """The file as the string-built writer wrote it before the template, to the byte: every
    typed value escaped the same way, every line and blank line in its place. In English with
    the whole agenda; in the other languages a record published before agendas (schema 1),
    which reads exactly as it always did."""
    name = f"record.{language}{'-internal' if internal else ''}.md"
    record = rich_record(internal=internal, agenda=language == "en")
    with translation.override(language):
        text = to_markdown({**record, "language": language})
    assert text == (EXPECTED / name).read_text(encoding="utf-8")


def test_the_markdown_is_plain_text_not_markup_for_a_page():
    text = to_markdown(rich_record())
    assert type(text) is str  # not a SafeString, which a page would print unescaped


TEMPLATE_VALUE = re.compile(r"{{(.*?)}}")


def test_the_template_prints_every_value_escaped_for_markdown():
    """Autoescaping is off in record.md: a value printed without `md` or `md_block` would go
    out as Markdown markup."""
    source = Path(get_template("meetings/record/record.md").origin.name).read_text()
    values = [value.strip() for value in TEMPLATE_VALUE.findall(source)]
    assert len(values) > 30
    assert [v for v in values if not re.fullmatch(r"[\w.]+\|md(_block)?", v)] == []
