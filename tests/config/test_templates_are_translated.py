"""Every word a template shows goes through the translation catalogues.

The check strips Django tags, variables, comments, scripts and HTML tags from each
template and fails on any letters left over, and on readable attributes (placeholder,
aria-label, title, alt) that hold literal words.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(
    path
    for pattern in ("*.html", "*.txt", "*.md", "*.svg")
    for path in Path(settings.BASE_DIR, "templates").rglob(pattern)
)
# Words that are the same in every language: file formats, names of standards.
UNTRANSLATABLE = {"DOCX", "Markdown", "CSV", "JSON", "meeting.ics", "CAM", "OAS"}

BLOCKS = re.compile(
    r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}"
    r"|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    r"|<script.*?</script>|<style.*?</style>|<svg.*?</svg>",
    re.DOTALL,
)
TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
HTML = re.compile(r"<[^>]*>", re.DOTALL)
ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
READABLE_ATTRIBUTE = re.compile(r'\b(placeholder|aria-label|title|alt)="([^"]*)"')


def leftover_words(source: str) -> list[str]:
    text = BLOCKS.sub(" ", source)
    attributes = [
        value
        for _name, value in READABLE_ATTRIBUTE.findall(TAGS.sub("", text))
        if re.search(r"[A-Za-z]{2,}", value)
    ]
    text = HTML.sub(" ", TAGS.sub(" ", text))
    text = ENTITY.sub(" ", text)
    words = [
        word
        for word in re.findall(r"[^\W\d_][\w'.-]*", text)
        if word.strip(".") not in UNTRANSLATABLE and len(word) > 1
    ]
    return words + attributes


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR))
)
def test_templates_show_no_word_outside_the_catalogues(path):
    assert leftover_words(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_an_unmarked_word():
    assert leftover_words("<p>{% translate 'Hello' %} world</p>") == ["world"]
    assert leftover_words('<input placeholder="Search">') == ["Search"]
    assert leftover_words("<p>{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}</p>") == []
