"""Validators shared by the models of both apps."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# What `str.splitlines` breaks on: a name with one of them is two lines in a page, an email's
# subject, a calendar file or a spreadsheet.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Bidi embeddings, overrides and isolates: they reorder what follows on the page, so that a name
# can read as something else ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters one does not see: two names that look the same would differ.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
NOT_ON_ONE_LINE = LINE_BREAKS | BIDI_CONTROLS | ZERO_WIDTH


def validate_one_line(value: str) -> None:
    """A name, title, venue or acronym: one line, read as it is shown."""
    if value and not NOT_ON_ONE_LINE.isdisjoint(value):
        raise ValidationError(
            _(
                "Write this on one line: line breaks, invisible characters and "
                "text-direction marks are not allowed."
            ),
            code="not_one_line",
        )


def email_lines(text: str) -> list[str]:
    """The addresses of a field that holds one per line, blank lines and repeats left out (in
    their order)."""
    seen: dict[str, None] = {}
    for line in (text or "").splitlines():
        address = line.strip()
        if address and address.casefold() not in {known.casefold() for known in seen}:
            seen[address] = None
    return list(seen)


def validate_email_lines(value: str) -> None:
    """One email address per line, each a valid one (Django's own check): a list of addresses
    an email is sent to, where a typing slip would lose the message unseen."""
    wrong = []
    for address in email_lines(value):
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        raise ValidationError(
            _("Not a valid email address: %(addresses)s. Write one address per line."),
            params={"addresses": ", ".join(wrong)},
            code="invalid_email_lines",
        )
