"""Numbers in messages, written the way the reader's language writes them."""

from django.utils.formats import number_format


def grouped(value: int) -> str:
    """20000 -> "20,000" in English, "20.000" in Spanish and Portuguese, "20 000" in French."""
    return number_format(value, force_grouping=True)
