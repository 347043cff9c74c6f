"""CSV downloads that a spreadsheet opens safely."""

import csv
import unicodedata
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_SIGNS = frozenset("=+-@")
# What a neutralised cell may start with (the tab and carriage return start a formula in some
# spreadsheets too); hostile-input tests draw from it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet reads as the start of a formula although they are not ASCII: NFKC
# maps the full-width and small forms (U+FF1D, U+FE66...) to "=+-@"; these it leaves alone.
FORMULA_LOOKALIKES = frozenset("\u2212\u2796\u2795")  # minus sign, heavy minus, heavy plus


def first_visible(text: str) -> str:
    """The first character a reader sees: whitespace and invisible format characters skipped.

    Format characters (category Cf) are the zero-width space and joiners, the word joiner, the
    byte order mark and the bidi controls; whitespace includes tabs, line breaks and the
    ideographic space."""
    for char in text:
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        return char
    return ""


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could take the text for a formula (whatever hides its first sign)."""
    char = first_visible(text)
    return bool(char) and (
        unicodedata.normalize("NFKC", char)[:1] in FORMULA_SIGNS or char in FORMULA_LOOKALIKES
    )


def safe_cell(value: object) -> str:
    """Text a spreadsheet shows as text, never runs as a formula.

    The one place CSV cells are neutralised: every CSV download goes through `csv_response`."""
    text = "" if value is None else str(value)
    if is_formula(text) or text.startswith(("\t", "\r")):
        return "'" + text
    return text


def csv_response(filename: str, rows: Iterable[Iterable[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads UTF-8 (accents in names)
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
