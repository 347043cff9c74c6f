"""htmx attributes are written `data-hx-*`, the form HTML allows.

A bare `hx-post` is not valid HTML: the W3C checker reported every one of them. htmx reads
both forms, so the valid one costs nothing. The rendered pages are checked too, in
tests/config/test_markup_injection.py.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# An attribute name hx-… that is not the tail of data-hx-… (nor of htmx-…, a word).
BARE_ATTRIBUTE = re.compile(r"(?<![\w-])hx-[a-z][a-z-]*\s*=")
# JavaScript that would set one: setAttribute("hx-…"), or a string holding hx-…=.
BARE_IN_SCRIPT = re.compile(r"""["'`]hx-[a-z][a-z-]*["'`=]""")


def bare_attributes(paths, pattern) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in paths
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]


def test_no_template_has_a_bare_hx_attribute():
    templates = sorted((ROOT / "templates").rglob("*.html"))

    assert templates
    assert bare_attributes(templates, BARE_ATTRIBUTE) == []


def test_no_script_sets_a_bare_hx_attribute():
    scripts = sorted((ROOT / "static" / "js").rglob("*.js"))

    assert scripts
    assert bare_attributes(scripts, BARE_IN_SCRIPT) == []


def test_the_check_catches_a_bare_attribute_and_spares_the_valid_form():
    assert BARE_ATTRIBUTE.search('<button hx-post="/x/">')
    assert BARE_ATTRIBUTE.search("<b\nhx-get = '/'>")
    assert not BARE_ATTRIBUTE.search('<button data-hx-post="/x/">')
    assert not BARE_ATTRIBUTE.search('<meta name="htmx-config" content="{}">')
    assert BARE_IN_SCRIPT.search('element.setAttribute("hx-get", url)')
    assert not BARE_IN_SCRIPT.search('element.setAttribute("data-hx-get", url)')


# htmx asks hx-confirm's question only when it sits on the element that sends the request (or
# an ancestor of it): on a submit button of a form that sends, it is never asked (End round,
# Leave out and Give the floor back once went through on one click).
TAG = re.compile(r"<(?:button|input|a)\b[^>]*\bdata-hx-confirm=", re.DOTALL)
SENDS = re.compile(r"\bdata-hx-(?:get|post|put|patch|delete)=")


def confirmations_never_asked(text: str) -> list[str]:
    found = []
    for match in TAG.finditer(text):
        end = text.index(">", text.index("data-hx-confirm=", match.start()))
        tag = text[match.start() : end]
        if not SENDS.search(tag):
            found.append(tag[:120])
    return found


def test_every_confirmation_on_a_button_sits_on_the_element_that_sends():
    templates = sorted((ROOT / "templates").rglob("*.html"))
    never_asked = {
        str(path.relative_to(ROOT)): found
        for path in templates
        if (found := confirmations_never_asked(path.read_text()))
    }
    assert never_asked == {}


def test_the_confirmation_check_catches_a_button_that_does_not_send():
    assert confirmations_never_asked('<button type="submit" data-hx-confirm="Sure?">')
    assert not confirmations_never_asked('<button data-hx-post="/x/" data-hx-confirm="Sure?">')
