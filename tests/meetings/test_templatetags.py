"""The template filters that stand between typed text and the page (SECURITY.md, finding 1), and the
ones that write times for a reader."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.templatetags.meetings_extras import moment, web_url


@pytest.mark.parametrize(
    "address",
    ["https://meet.example.org/j/1?pwd=a&b=c", "http://example.org", " HTTPS://Example.org/x "],
)
def test_a_web_address_becomes_a_link(address):
    assert web_url(address) == address.strip()


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        "/relative/path",
        "http://[::1",
        "",
        None,
    ],
)
def test_anything_but_a_web_address_gives_no_link(address):
    assert web_url(address) == ""


def test_inert_text_is_escaped_inside_a_span_htmx_leaves_alone():
    shown = Template("{% load meetings_extras %}<button>{{ name|inert }}</button>").render(
        Context({"name": '<b data-hx-get="/admin/">x</b>'})
    )

    assert shown == (
        "<button><span data-hx-disable>&lt;b data-hx-get=&quot;/admin/&quot;&gt;x&lt;/b&gt;"
        "</span></button>"
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Dec. 4, 2026, 09:46 (America/New_York)"),
        ("es", "4 de diciembre de 2026, 09:46 (America/New_York)"),
        ("fr", "4 décembre 2026, 09:46 (America/New_York)"),
        ("pt", "4 de dezembro de 2026, 09:46 (America/New_York)"),
    ],
)
def test_a_moment_gives_the_date_in_words_the_time_and_its_zone(language, text):
    instant = dt.datetime(2026, 12, 4, 14, 46, tzinfo=dt.UTC)
    with translation.override(language):
        assert moment(instant, "America/New_York") == text
