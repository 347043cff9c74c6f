"""Plain text escaped for Markdown, for the templates that write Markdown with autoescaping off
(meetings/record/record.md): `md` for text on one line or in a table cell, `md_block` for text
whose lines are kept as lines. The escaping itself is meetings.outputs.record_markdown's."""

from django import template

from meetings.outputs.record_markdown import md as markdown_escaped
from meetings.outputs.record_markdown import md_block as markdown_block

register = template.Library()


@register.filter
def md(value) -> str:
    """The value as text (a number as its digits, None as nothing), escaped for Markdown."""
    return markdown_escaped(None if value is None else str(value))


@register.filter
def md_block(value) -> str:
    """Lines kept as lines (a hard break), each escaped for Markdown; a dash for no text."""
    return markdown_block(None if value is None else str(value))
