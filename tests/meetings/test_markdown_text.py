"""The Markdown filters of record.md: any value as text, escaped for Markdown."""

from django.template import Context, Template


def rendered(source: str, **values) -> str:
    template = Template(
        "{% load markdown_text %}{% autoescape off %}" + source + "{% endautoescape %}"
    )
    return template.render(Context(values))


def test_md_escapes_typed_markup_and_leaves_plain_text_alone():
    assert rendered("{{ text|md }}", text="# *Ana* <b> Dr. Dubois-Martin") == (
        "\\# \\*Ana\\* \\<b> Dr. Dubois-Martin"
    )


def test_md_writes_a_number_as_its_digits_and_none_as_nothing():
    assert rendered(
        "[{{ zero|md }}|{{ count|md }}|{{ none|md }}]", zero=0, count=12, none=None
    ) == ("[0|12|]")


def test_md_block_keeps_lines_as_lines_and_gives_a_dash_for_no_text():
    assert rendered("{{ text|md_block }}", text="1. one\n- two") == "1\\. one  \n\\- two"
    assert rendered("{{ text|md_block }}|{{ none|md_block }}", text="", none=None) == "—|—"
