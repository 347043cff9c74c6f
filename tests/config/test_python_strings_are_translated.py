"""Every string the Python code marks for translation can reach the catalogues.

xgettext reads an f-string as one literal and never looks inside it, so
f"{_('Document')}: {reference}" marks nothing: "Document" is missing from every
catalogue and shows in English in every language. The check parses each module and
fails on any gettext call inside an f-string; a sentence with variables is one
call with %(name)s placeholders instead.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

PACKAGES = ("config", "meetings", "mechanisms")
MODULES = sorted(
    path
    for package in PACKAGES
    for path in Path(settings.BASE_DIR, package).rglob("*.py")
    if "migrations" not in path.parts
)
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):  # translation.gettext(...)
        return call.func.attr
    return None


def gettext_in_fstrings(source: str) -> list[str]:
    """Each gettext call found inside an f-string, as `line: call`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and called_name(inner) in GETTEXT:
                found.append(f"{inner.lineno}: {ast.unparse(inner)}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_no_string_is_marked_for_translation_inside_an_f_string(path):
    assert gettext_in_fstrings(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_gettext_inside_an_f_string():
    assert gettext_in_fstrings("x = f\"{_('Document')}: {ref}\"") == ["1: _('Document')"]
    assert gettext_in_fstrings("x = f'{translation.gettext(\"Hi\")}'") == [
        "1: translation.gettext('Hi')"
    ]
    assert gettext_in_fstrings("x = f'{md(_(\"Time\"))}'") == ["1: _('Time')"]


def test_the_check_lets_a_sentence_with_placeholders_pass():
    assert gettext_in_fstrings("x = _('Document: %(ref)s') % {'ref': ref}") == []
    assert gettext_in_fstrings("label = _('Time')\nx = f'{label}: {used}'") == []
