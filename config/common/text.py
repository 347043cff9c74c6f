"""Text as a reader compares it: pure, no Django, so the domain rules can use it too."""

import unicodedata


def sort_key(text: str) -> str:
    """Alphabetical order a reader expects: "Panamá" before "Paraguay", case ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
