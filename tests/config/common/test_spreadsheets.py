"""The safe-CSV helper: a cell a spreadsheet could run as a formula is neutralised, whatever hides
its first sign (spaces, line breaks, full-width forms, zero-width and bidi characters)."""

import csv
import io

import pytest

from config.common.spreadsheets import csv_response, safe_cell

SIGNS = ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe66", "\u2212"]
HIDERS = [
    "",
    " ",
    "   ",
    "\t",
    "\n",
    "\r\n",
    "\u3000",  # ideographic space
    "\u00a0",  # no-break space
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    " \u200b\n\u202a ",
]


@pytest.mark.parametrize("hider", HIDERS)
@pytest.mark.parametrize("sign", SIGNS)
def test_a_formula_behind_invisible_characters_is_neutralised(sign, hider):
    text = f'{hider}{sign}HYPERLINK("http://x")'
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Ana", " Ana", "\u200bAna", "1-2", "a=b", "ana@example.org", "", "(=)", "\uff21"]
)
def test_ordinary_text_is_kept_as_it_is(text):
    assert safe_cell(text) == text


def test_none_and_numbers_become_text():
    assert safe_cell(None) == ""
    assert safe_cell(3) == "3"
    assert safe_cell(-3) == "'-3"  # a negative number is text too: the file holds no formulas


def test_every_cell_of_a_download_goes_through_the_helper():
    response = csv_response("x.csv", [["\u200b=1+1", "ok"], ["\uff0bcmd", " @SUM(A1)"]])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["'\u200b=1+1", "ok"], ["'\uff0bcmd", "' @SUM(A1)"]]
